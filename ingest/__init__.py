"""Ingestors: pure parsers from source files to records to triples, with provenance.

base.py says what an ingestor is; registry.py looks one up by kind or detects it; each kind
(policy/, catalogues/, course_standard/, profile/) keeps its parser, records and triples in its
folder, readers/ turns document formats into lines and blocks. May import kg.core and kg.errors
only: never the store, the pipeline, search, the CLI, the app or streamlit.
"""
