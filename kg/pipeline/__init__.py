"""The ingest pipeline: files -> ingestors -> atomic commits -> resolution steps, with a report.

With the CLI, the only place under kg/ that imports ingest/ (to choose an ingestor per file).
"""
