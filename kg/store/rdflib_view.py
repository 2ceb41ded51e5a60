"""An rdflib view of the data graphs, for tools that need rdflib (pyshacl, JSON-LD)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.core import terms
from kg.store.base import GraphStore

if TYPE_CHECKING:
    import rdflib


def as_rdflib_graph(store: GraphStore) -> rdflib.Graph:
    """The union of the data graphs (system graph excluded) as an in-memory rdflib Graph."""
    import rdflib

    graph = rdflib.Graph()
    for prefix, namespace in terms.PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.parse(data="\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in store.quads()), format="nt")
    return graph
