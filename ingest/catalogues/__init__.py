"""Tabular catalogues (CSV, XLSX, JSON Lines): majors, industries, occupations, certificates, teaching standards.

One module per kind with its column map; may import ingest.base, ingest.readers, kg.core, kg.errors.
"""
