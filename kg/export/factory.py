"""Exporters by format name; an unknown name is refused with the known ones listed."""

from __future__ import annotations

from typing import BinaryIO

from kg.errors import VetgraphError
from kg.export import jsonld, nquads, turtle
from kg.export.base import Exporter
from kg.store.base import GraphStore

GRAPH_EXPORTERS: dict[str, Exporter] = {e.name: e for e in (turtle.EXPORTER, nquads.EXPORTER, jsonld.EXPORTER)}
GRAPH_FORMATS = tuple(GRAPH_EXPORTERS)


def graph_exporter(fmt: str) -> Exporter:
    if fmt not in GRAPH_EXPORTERS:
        raise VetgraphError(f"unknown graph format '{fmt}'; known: {', '.join(GRAPH_FORMATS)}")
    return GRAPH_EXPORTERS[fmt]


def export_graph(store: GraphStore, fmt: str, output: BinaryIO) -> int:
    """Write the graph in ``fmt``; returns the number of statements written."""
    return graph_exporter(fmt).write(store, output)
