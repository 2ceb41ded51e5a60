"""Character-bigram TF-IDF: how close two Chinese texts are by the rare word pieces they share.

Chinese has no spaces, and the names and texts of majors, courses, occupations, industries and
certificates share their key words as character pairs (风力发电 → 风力 力发 发电). Pairs that every
text of a kind carries (技术, 服务, 管理) say little and get a low weight from the collection's
document frequencies. Deterministic and model-free, so it runs after every ingest.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from kg.core.names import normalise_name

_NOT_WORD = re.compile(r"[\W_\d]+")

Vector = dict[str, float]


def bigrams(text: str) -> list[str]:
    """The character pairs of a text, punctuation, digits and spaces dropped (a pair never spans them)."""
    out: list[str] = []
    for run in _NOT_WORD.split(normalise_name(text)):
        out += [run[i:i + 2] for i in range(len(run) - 1)]
    return out


def weighted_bigrams(parts: Iterable[tuple[str, float]]) -> Counter[str]:
    """Bigram counts of several texts, each counted with its weight."""
    counts: Counter[str] = Counter()
    for text, weight in parts:
        if weight > 0:
            for gram in bigrams(text):
                counts[gram] += weight
    return counts


class Idf:
    """Inverse document frequencies of a collection, optionally damped by a second collection's.

    ``idf(g) = log((N+1)/(df+0.5)) * (log((M+1)/(df2+0.5)) / log(M+1)) ** damping``: a pair rare among
    the documents compared against but common in the texts being matched (技术 in every major's text)
    is weighed down.
    """

    def __init__(self, documents: Iterable[Iterable[str]], background: Iterable[Iterable[str]] = (),
                 damping: float = 0.0) -> None:
        counted = [set(document) for document in documents]
        frequency: Counter[str] = Counter()
        for document in counted:
            frequency.update(document)
        others: Counter[str] = Counter()
        size = 0
        for document in background:
            others.update(set(document))
            size += 1
        total = len(counted)
        self.weights: dict[str, float] = {}
        for gram, count in frequency.items():
            weight = math.log((total + 1) / (count + 0.5))
            if size and damping:
                weight *= max(0.0, math.log((size + 1) / (others[gram] + 0.5)) / math.log(size + 1)) ** damping
            self.weights[gram] = weight

    def vector(self, counts: Mapping[str, float]) -> Vector:
        """The unit-length TF-IDF vector of bigram counts (pairs outside the collection dropped)."""
        raw = {g: math.log1p(n) * self.weights[g] for g, n in counts.items() if n > 0 and self.weights.get(g, 0) > 0}
        norm = math.sqrt(sum(x * x for x in raw.values()))
        return {g: x / norm for g, x in raw.items()} if norm else {}


def cosine(left: Vector, right: Vector) -> float:
    """The dot product of two unit vectors."""
    if len(left) > len(right):
        left, right = right, left
    return sum(x * right.get(g, 0.0) for g, x in left.items())


def shared(left: Vector, right: Vector, top: int = 4) -> list[str]:
    """The word pieces two vectors share, the ones that add most to their cosine first: a link's evidence."""
    return [g for g, _ in sorted(((g, x * right[g]) for g, x in left.items() if g in right),
                                 key=lambda pair: (-pair[1], pair[0]))[:top]]
