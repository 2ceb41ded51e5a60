"""Ingestors: pure parsers from source files to records to triples."""
