"""Reciprocal-rank fusion of the retrievers' rankings, one hit per node, filters (as row masks) before the cut."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

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
    key = filter_key(types, level)
    if key is None:
        return None
    wanted, level = key

    def keep(iri: str) -> bool:
        return (wanted is None or classes.get(iri) in wanted) and (level is None or levels.get(iri) == level)

    return keep


def filter_key(types: Iterable[str] | None, level: str | None) -> tuple[frozenset[str] | None, str | None] | None:
    """The checked (classes, level) of a filter; None when nothing is filtered. Unknown names are refused."""
    wanted = _checked_types(types)
    if level is not None and level not in EDUCATION_LEVEL_NAMES:
        raise SearchError(f"unknown education level {level!r}; known: {', '.join(EDUCATION_LEVEL_NAMES)}")
    if wanted is None and level is None:
        return None
    return (None if wanted is None else frozenset(wanted)), level


class RowLabels:
    """The class and level of each row of one retriever, as codes, with the mask of each filter built once."""

    def __init__(self, labels: Iterable[tuple[str | None, str | None]]) -> None:
        self._class_codes: dict[str | None, int] = {}
        self._level_codes: dict[str | None, int] = {}
        pairs = [(self._class_codes.setdefault(c, len(self._class_codes)),
                  self._level_codes.setdefault(lv, len(self._level_codes))) for c, lv in labels]
        codes = np.array(pairs, np.int32).reshape(-1, 2)
        self._classes, self._levels = codes[:, 0], codes[:, 1]
        self._masks: dict[tuple[frozenset[str] | None, str | None], np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._classes)

    def mask(self, key: tuple[frozenset[str] | None, str | None]) -> np.ndarray:
        """The rows of the classes and level in ``key`` (a filter_key), as booleans; computed once per key."""
        if key not in self._masks:
            wanted, level = key
            keep = np.ones(len(self._classes), bool)
            if wanted is not None:
                keep &= np.isin(self._classes, [self._class_codes[c] for c in wanted if c in self._class_codes])
            if level is not None:
                keep &= self._levels == self._level_codes.get(level, -1)
            keep.setflags(write=False)
            self._masks[key] = keep
        return self._masks[key]


class NodeFilter:
    """A search's class and level filter: a predicate on IRIs, and for the retrievers of the index it was made
    for, a boolean mask over their rows (``mask_for``) so that they filter in numpy, not node by node."""

    def __init__(self, key: tuple[frozenset[str] | None, str | None], keep: Callable[[str], bool],
                 labels: Callable[[object], RowLabels | None]) -> None:
        self.key = key
        self._keep = keep
        self._labels = labels  # retriever -> the labels of its rows, None for one it does not know

    def __call__(self, iri: str) -> bool:
        return self._keep(iri)

    def mask_for(self, retriever: object) -> np.ndarray | None:
        """The rows of ``retriever`` this filter keeps (read-only booleans), None when it has no labels for it."""
        labels = self._labels(retriever)
        return None if labels is None else labels.mask(self.key)


def _checked_types(types: Iterable[str] | None) -> set[str] | None:
    if types is None:
        return None
    canonical = {name.lower(): name for name in SEARCHABLE}
    asked = [t.removeprefix("vet:") for t in ([types] if isinstance(types, str) else types)]
    unknown = [t for t in asked if t.lower() not in canonical]
    if unknown:
        raise SearchError(f"unknown node type {unknown[0]!r}; searchable: {', '.join(SEARCHABLE)}")
    return {canonical[t.lower()] for t in asked} or None
