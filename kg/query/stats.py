"""Distinct subjects per class over the data graphs (the system graph is not counted), and store totals."""

from __future__ import annotations

from dataclasses import dataclass

from kg.core import terms
from kg.store.base import GraphStore

STATS_QUERY = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s a ?class }}
  FILTER(?g != <{terms.SYSTEM_GRAPH}>)
}} GROUP BY ?class ORDER BY ?class"""


@dataclass(frozen=True)
class StoreOverview:
    """What a store holds, in the terms a person reads first: files, triples, nodes per class."""

    sources: int
    triples: int
    classes: dict[str, int]


def class_counts(store: GraphStore) -> dict[str, int]:
    """{"Provision": 312, "eli:LegalResource": 11, ...}: vet: classes by local name, others prefixed."""
    return {terms.prefixed(row["class"]): int(row["n"]) for row in store.select(STATS_QUERY)}


def store_overview(store: GraphStore) -> StoreOverview:
    """Source files, data triples (as the manifest counts them) and the class counts."""
    sources = store.sources()
    return StoreOverview(sources=len(sources), triples=sum(r.triple_count for r in sources.values()),
                         classes=class_counts(store))
