"""What an exporter is: a named format that writes what it reads from a store to a binary file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from pyoxigraph import Triple

from kg.store.base import GraphStore

#: Writes the export to ``output`` and returns the number of statements written.
Writer = Callable[[GraphStore, BinaryIO], int]


@dataclass(frozen=True)
class Exporter:
    """One export format: its name on the command line and the writer."""

    name: str
    write: Writer


def union_triples(store: GraphStore) -> Iterator[Triple]:
    """The data graphs as one graph: a triple stated by two sources comes once."""
    seen: set[tuple[str, str, str]] = set()
    for quad in store.quads():
        key = (str(quad.subject), str(quad.predicate), str(quad.object))
        if key not in seen:
            seen.add(key)
            yield Triple(quad.subject, quad.predicate, quad.object)
