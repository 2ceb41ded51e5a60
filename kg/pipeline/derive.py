"""Rebuild the derived graphs (resolution, then linking) as one unit that a crash cannot leave half done.

Each step replaces its own graph atomically, but the steps are separate writes: a process that dies
between two of them leaves some graphs computed from the new sources and some from the old. So the
system graph's stamp (kg.store.version) is removed first and written again after the last step; the
next ingest (even one that changes nothing) and ``vetgraph align`` rebuild what a stamp-less store holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.core.faults import fault_point
from kg.pipeline.steps import AFTER_INGEST
from kg.resolve.base import Resolution, Resolver
from kg.resolve.runner import run_resolvers
from kg.store.base import GraphStore
from kg.store.version import mark_derived_complete, mark_derived_pending, store_version


def rebuild_derived(store: GraphStore, steps: Iterable[Resolver] = AFTER_INGEST) -> list[Resolution]:
    """Run every step in order, each replacing its derived graph, then stamp them as complete."""
    mark_derived_pending(store)
    results: list[Resolution] = []
    for step in steps:
        if results:
            fault_point("align.between-graphs")
        results += run_resolvers(store, (step,))
    mark_derived_complete(store)
    return results


def derived_stale(store: GraphStore) -> bool:
    """Whether an earlier run stopped before the derived graphs were all computed from the current sources."""
    return store_version(store).derived_stale
