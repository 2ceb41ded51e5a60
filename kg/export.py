"""`vetgraph export graph`: the data graphs as Turtle or JSON-LD (union), or as N-Quads (with graphs)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from pyoxigraph import RdfFormat, Triple, serialize

from kg import terms
from kg.errors import VetgraphError
from kg.store.oxigraph import OxigraphStore
from kg.store.rdflib_view import as_rdflib_graph

GRAPH_FORMATS = ("ttl", "nq", "jsonld")


def _union_triples(store: OxigraphStore) -> Iterator[Triple]:
    seen: set[tuple[str, str, str]] = set()
    for quad in store.data_quads():
        key = (str(quad.subject), str(quad.predicate), str(quad.object))
        if key not in seen:
            seen.add(key)
            yield Triple(quad.subject, quad.predicate, quad.object)


def export_graph(store: OxigraphStore, fmt: str, output: BinaryIO) -> int:
    """Write the graph in ``fmt``; returns the number of statements written."""
    if fmt == "nq":
        quads = list(store.all_quads())
        serialize(quads, output, format=RdfFormat.N_QUADS)
        return len(quads)
    if fmt == "ttl":
        triples = list(_union_triples(store))
        serialize(triples, output, format=RdfFormat.TURTLE, prefixes=terms.PREFIXES)
        return len(triples)
    if fmt == "jsonld":
        graph = as_rdflib_graph(store)
        output.write(graph.serialize(format="json-ld", indent=2, auto_compact=True).encode("utf-8"))
        return len(graph)
    raise VetgraphError(f"unknown graph format '{fmt}'; known: {', '.join(GRAPH_FORMATS)}")

