"""The union of the data graphs as compacted JSON-LD (through rdflib)."""

from __future__ import annotations

from typing import BinaryIO

from kg.export.base import Exporter
from kg.store.base import GraphStore
from kg.store.rdflib_view import as_rdflib_graph


def write_jsonld(store: GraphStore, output: BinaryIO) -> int:
    graph = as_rdflib_graph(store)
    output.write(graph.serialize(format="json-ld", indent=2, auto_compact=True).encode("utf-8"))
    return len(graph)


EXPORTER = Exporter("jsonld", write_jsonld)
