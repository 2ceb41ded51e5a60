"""The union of the data graphs as Turtle, with the predeclared prefixes."""

from __future__ import annotations

from typing import BinaryIO

from pyoxigraph import RdfFormat, serialize

from kg.core import terms
from kg.export.base import Exporter, union_triples
from kg.store.base import GraphStore


def write_turtle(store: GraphStore, output: BinaryIO) -> int:
    triples = list(union_triples(store))
    serialize(triples, output, format=RdfFormat.TURTLE, prefixes=terms.PREFIXES)
    return len(triples)


EXPORTER = Exporter("ttl", write_turtle)
