"""The store's version: a fingerprint of what its source and derived graphs hold, read from the system graph.

A source graph is named by its file's path, content and parser (kg.core.iris.source_graph), so the
manifest's graph IRIs with their triple counts say what the source graphs hold. Derived graphs are
computed from the whole store: when they are all written, the system graph records the sources they
were computed from (``vet:derivedFrom``); the stamp is removed before the first of them is rewritten,
so a run that stops half way leaves them marked stale, and the next ingest or ``vetgraph align``
rebuilds them (kg.pipeline.derive). The search index saves the version it was built from and compares
it at start-up (kg.search.freshness). One select over the system graph: cheap on any store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kg.core import terms
from kg.store.base import GraphStore

#: The system-graph node that carries the derived graphs' stamp.
DERIVED_STATE = f"{terms.SYSTEM_GRAPH}/derived-state"

_STATE_QUERY = f"""
SELECT ?graph ?count ?derived WHERE {{
  GRAPH <{terms.SYSTEM_GRAPH}> {{
    {{ ?s a vet:SourceFile ; vet:graph ?graph ; vet:tripleCount ?count }}
    UNION {{ <{DERIVED_STATE}> vet:derivedFrom ?derived }}
  }}
}}"""
_FORGET_STAMP = f"DELETE WHERE {{ GRAPH <{terms.SYSTEM_GRAPH}> {{ <{DERIVED_STATE}> vet:derivedFrom ?stamp }} }}"


@dataclass(frozen=True)
class StoreVersion:
    """What a store holds, in two fingerprints: its source graphs, and the sources its derived graphs are from."""

    sources: str  # sha256 of the manifest's source graphs and triple counts
    derived_from: str  # the ``sources`` the derived graphs were last completed for; "" while none are
    source_count: int

    @property
    def derived_stale(self) -> bool:
        """Whether the derived graphs were not (or not completely) computed from these sources."""
        return self.derived_from != self.sources and not (self.source_count == 0 and not self.derived_from)

    @property
    def fingerprint(self) -> str:
        """One short string that changes whenever the sources or the derived graphs' state does."""
        return hashlib.sha256(f"{self.sources}|{self.derived_from}".encode()).hexdigest()[:24]

    def to_json(self) -> dict[str, object]:
        return {"fingerprint": self.fingerprint, "sources": self.sources, "derived_from": self.derived_from,
                "source_count": self.source_count, "derived_stale": self.derived_stale}


def store_version(store: GraphStore) -> StoreVersion:
    """The version of the store as it is now (one select over the system graph)."""
    graphs, stamps = [], []
    for row in store.select(_STATE_QUERY):
        if "graph" in row:
            graphs.append(f"{row['graph']} {row.get('count', '')}")
        if "derived" in row:
            stamps.append(row["derived"])
    digest = hashlib.sha256("\n".join(sorted(graphs)).encode()).hexdigest()
    return StoreVersion(digest, stamps[0] if len(stamps) == 1 else "", len(graphs))


def mark_derived_pending(store: GraphStore) -> None:
    """Remove the derived graphs' stamp: they are about to be rewritten, one graph after another."""
    store.update(_FORGET_STAMP)


def mark_derived_complete(store: GraphStore) -> StoreVersion:
    """Stamp the derived graphs as computed from the sources the store holds now; the new version."""
    sources = store_version(store).sources
    store.update(f"{_FORGET_STAMP} ;\nINSERT DATA {{ GRAPH <{terms.SYSTEM_GRAPH}> {{ "
                 f"<{DERIVED_STATE}> vet:derivedFrom \"{sources}\" }} }}")
    return store_version(store)
