"""Run every resolution step in order and replace each one's derived graph."""

from __future__ import annotations

from collections.abc import Iterable

from kg.core import iris
from kg.resolve.base import Resolution, Resolver
from kg.resolve.courses import course_links
from kg.resolve.legal_status import legal_status
from kg.resolve.occupations import occupation_links
from kg.store.base import GraphStore

#: In order: occupations before courses (nothing depends on it yet, but a later step may read earlier graphs).
RESOLVERS: tuple[Resolver, ...] = (legal_status, occupation_links, course_links)


def run_resolvers(store: GraphStore, steps: Iterable[Resolver] = RESOLVERS) -> list[Resolution]:
    """Run each step in order and atomically replace its derived graph."""
    results = []
    for resolver in steps:
        resolution = resolver(store)
        store.replace_graph(iris.derived_graph(resolution.name), resolution.triples)
        results.append(resolution)
    return results
