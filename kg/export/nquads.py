"""Every named graph as N-Quads, the system graph (manifest, runs) included: a full copy of the store."""

from __future__ import annotations

from typing import BinaryIO

from pyoxigraph import RdfFormat, serialize

from kg.export.base import Exporter
from kg.store.base import GraphStore


def write_nquads(store: GraphStore, output: BinaryIO) -> int:
    quads = list(store.quads(include_system=True))
    serialize(quads, output, format=RdfFormat.N_QUADS)
    return len(quads)


EXPORTER = Exporter("nq", write_nquads)
