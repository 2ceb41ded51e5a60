"""Validation: the data graphs checked against the SHACL shapes in ontology/.

Reads the store through the GraphStore protocol (an rdflib view for pyshacl); may import kg.core,
kg.errors and kg.store; never ingest/, the CLI or the app.
"""
