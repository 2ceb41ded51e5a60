"""The ingest pipeline: files -> ingestors -> atomic commits -> resolution steps, with a report.

parse.py is the parse step as one picklable function (run here, in a process pool by pool.py, or
by any executor); run.py is the one writer. With the CLI, the only place under kg/ that imports
ingest/ (to choose an ingestor per file).
"""
