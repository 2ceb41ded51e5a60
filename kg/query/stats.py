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


OUTSIDE_CATALOGUE = "Certificate (outside 1+X)"
OUTSIDE_QUERY = """
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a vet:Certificate ; vet:outsideCatalogue true }"""


def class_counts(store: GraphStore) -> dict[str, int]:
    """{"Provision": 312, "eli:LegalResource": 11, ...}: vet: classes by local name, others prefixed.

    ``Certificate`` counts the 1+X catalogue's certificates; those a profile names that the catalogue
    lacks are counted apart, as ``Certificate (outside 1+X)``.
    """
    counts = {terms.prefixed(row["class"]): int(row["n"]) for row in store.select(STATS_QUERY)}
    outside = int(store.select(OUTSIDE_QUERY)[0]["n"]) if "Certificate" in counts else 0
    if outside:
        counts["Certificate"] -= outside
        counts[OUTSIDE_CATALOGUE] = outside
        if not counts["Certificate"]:
            del counts["Certificate"]
    return counts


def store_overview(store: GraphStore) -> StoreOverview:
    """Source files, data triples (as the manifest counts them) and the class counts."""
    sources = store.sources()
    return StoreOverview(sources=len(sources), triples=sum(r.triple_count for r in sources.values()),
                         classes=class_counts(store))
