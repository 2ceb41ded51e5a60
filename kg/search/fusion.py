"""Reciprocal-rank fusion of the retrievers' rankings, one hit per node, filters before the cut."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from kg.core.levels import EDUCATION_LEVEL_NAMES
from kg.search.base import SEARCHABLE
from kg.search.settings import SearchError

RRF_K = 60


@dataclass
class Fused:
    """One node after fusion: its score and its (1-based) rank in each retriever that found it."""

    iri: str
    score: float
    found_by: dict[str, int] = field(default_factory=dict)


def best_per_node(chunk_hits: Iterable[tuple[int, float]], node_of: Mapping[int, str]) -> list[tuple[str, float, int]]:
    """Chunk hits (best first) folded to one (node, score, best chunk id) per node, best first."""
    best: dict[str, tuple[str, float, int]] = {}
    for chunk, score in chunk_hits:
        iri = node_of.get(chunk)
        if iri is not None and (iri not in best or score > best[iri][1]):
            best[iri] = (iri, score, chunk)
    return sorted(best.values(), key=lambda hit: (-hit[1], hit[0]))


def reciprocal_rank_fusion(rankings: Mapping[str, list[str]], weights: Mapping[str, float],
                           k: int = RRF_K) -> list[Fused]:
    """Sum of weight / (k + rank) over the retrievers that ranked a node; ties go to the better best rank."""
    fused: dict[str, Fused] = {}
    for retriever, ranking in rankings.items():
        weight = weights.get(retriever, 1.0)
        for rank, iri in enumerate(dict.fromkeys(ranking), start=1):
            hit = fused.setdefault(iri, Fused(iri, 0.0))
            hit.score += weight / (k + rank)
            hit.found_by[retriever] = rank
    return sorted(fused.values(), key=lambda f: (-f.score, min(f.found_by.values()), f.iri))


def node_filter(types: Iterable[str] | None, level: str | None,
                classes: Mapping[str, str], levels: Mapping[str, str | None]) -> Callable[[str], bool] | None:
    """A predicate keeping nodes of the given classes and education level; None when nothing is filtered."""
    wanted = _checked_types(types)
    if level is not None and level not in EDUCATION_LEVEL_NAMES:
        raise SearchError(f"unknown education level {level!r}; known: {', '.join(EDUCATION_LEVEL_NAMES)}")
    if wanted is None and level is None:
        return None

    def keep(iri: str) -> bool:
        return (wanted is None or classes.get(iri) in wanted) and (level is None or levels.get(iri) == level)

    return keep


def _checked_types(types: Iterable[str] | None) -> set[str] | None:
    if types is None:
        return None
    canonical = {name.lower(): name for name in SEARCHABLE}
    asked = [t.removeprefix("vet:") for t in ([types] if isinstance(types, str) else types)]
    unknown = [t for t in asked if t.lower() not in canonical]
    if unknown:
        raise SearchError(f"unknown node type {unknown[0]!r}; searchable: {', '.join(SEARCHABLE)}")
    return {canonical[t.lower()] for t in asked} or None
