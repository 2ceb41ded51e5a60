"""The `vetgraph` command line (``main.cli``): one module a command or command group.

The edge of the library: the only place, with kg/pipeline, that imports ingest/; it turns
kg.errors exceptions into one line on stderr. Commands import what they need inside themselves.
"""
