"""Distinct subjects per class over the data graphs (the system graph is not counted)."""

from __future__ import annotations

from kg import terms
from kg.store.oxigraph import OxigraphStore

STATS_QUERY = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s a ?class }}
  FILTER(?g != <{terms.SYSTEM_GRAPH}>)
}} GROUP BY ?class ORDER BY ?class"""


def class_counts(store: OxigraphStore) -> dict[str, int]:
    """{"Provision": 312, "eli:LegalResource": 11, ...}: vet: classes by local name, others prefixed."""
    return {terms.prefixed(row["class"]): int(row["n"]) for row in store.select(STATS_QUERY)}


def store_summary(store: OxigraphStore) -> dict[str, int]:
    """Sources, data triples and named graphs, for the human-readable stats."""
    sources = store.sources()
    return {"sources": len(sources), "triples": sum(r.triple_count for r in sources.values())}
