"""Majors whose courses and occupations read alike: the nearest neighbours of a major by its own texts.

Peers that share a name, a 接续专业 or a 专业类 are what the catalogue says; majors of other classes
often train for the same work (工业软件开发技术 and 工业互联网应用 share their courses, not their
class). A major's name, its courses and its occupations as character-bigram TF-IDF over every major's
texts give a cosine that finds them; what those majors' profiles state is then evidence for this one.
Model-free and deterministic, like the other text links.
"""

from __future__ import annotations

import weakref

from kg.align.major_texts import major_texts, weighted
from kg.align.tfidf import Idf, Vector, cosine, weighted_bigrams
from kg.store.base import GraphStore

#: The texts compared, each counted once: what the major is called, teaches and trains for.
KINDS = ("name", "course", "occupation")
WEIGHTS = {kind: 1.0 for kind in KINDS}


#: Vectors of read-only stores (a snapshot never changes), so an entity page or a map that asks several
#: times reads every major's texts once; writable stores are read afresh each time.
_CACHE: weakref.WeakKeyDictionary[GraphStore, dict[str, Vector]] = weakref.WeakKeyDictionary()


def major_vectors(store: GraphStore) -> dict[str, Vector]:
    """Major IRI -> the TF-IDF vector of its name, courses and occupations (the collection: every major)."""
    cacheable = store.capabilities.read_only
    if cacheable:
        try:
            return _CACHE[store]
        except (KeyError, TypeError):
            pass
    documents = {major: weighted_bigrams(weighted(parts, WEIGHTS))
                 for major, parts in major_texts(store, kinds=KINDS).items()}
    idf = Idf(list(counts) for counts in documents.values())
    vectors = {major: idf.vector(counts) for major, counts in documents.items()}
    if cacheable:
        try:
            _CACHE[store] = vectors
        except TypeError:  # a store that cannot be weakly referenced is simply not cached
            pass
    return vectors


def nearest_majors(store: GraphStore, major: str, among: set[str], k: int) -> list[tuple[str, float]]:
    """The ``k`` majors of ``among`` (not ``major`` itself) closest to ``major`` by their texts, closest first."""
    vectors = major_vectors(store)
    mine = vectors.get(major)
    if not mine:
        return []
    scored = [(other, cosine(mine, vectors[other])) for other in among if other != major and other in vectors]
    return sorted((pair for pair in scored if pair[1] > 0), key=lambda pair: (-pair[1], pair[0]))[:k]
