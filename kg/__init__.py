"""VETgraph: a knowledge graph of Chinese vocational education and training.

Rooms, lowest first (each may import only the rooms above it in this list, and kg.errors):
  core/      shared vocabulary: terms, RDF helpers, the IRI scheme, records, names, levels
  store/     the GraphStore protocol, its backends and the factory, the home folder
  resolve/   steps computed against the whole store after a write
  align/     entity linking and alignment suggestions (may also import resolve.base)
  query/     read models (dataclasses) for the app, the CLI and the exports
  export/    one file a format, with a factory
  validate/  SHACL over the data graphs
  search/    node texts, dense and lexical indexes, fusion
  pipeline/  ingest runs: files -> ingest/ -> store -> resolve  (imports ingest/)
  cli/       the `vetgraph` command                             (imports ingest/)
The SPARQL endpoint (serve/) gets a room of its own beside these.
"""
