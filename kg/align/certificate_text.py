"""How close a certificate's name is to a major's texts, by character-bigram TF-IDF over certificate names.

A certificate's name says what it certifies (工业机器人操作与运维, 金融大数据处理); a major's name,
courses, profile and occupations say what it trains for. Weighing the word pieces by how rare they
are among certificate names (数据 and 管理 are in many; 机器人 and 金税 in few) gives a closeness
that ranks a certificate's stated majors and suggests certificates no peer of a major states.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from kg.align.major_texts import major_texts, weighted
from kg.align.tfidf import Idf, Vector, bigrams, cosine, weighted_bigrams
from kg.core.names import certificate_key
from kg.store.base import GraphStore

CERTIFICATE_NAMES = "SELECT ?c ?l WHERE { ?c a vet:Certificate ; skos:prefLabel ?l }"


class CertificateText:
    """The certificates of a store as TF-IDF vectors of their names, and majors' texts in the same space."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        names: dict[str, str] = {}
        for row in store.select(CERTIFICATE_NAMES):
            names.setdefault(row["c"], row["l"])
        self.names = dict(sorted(names.items()))
        self.idf = Idf(bigrams(certificate_key(name)) for name in self.names.values())

    @cached_property
    def vectors(self) -> dict[str, Vector]:
        """Certificate IRI -> the vector of its name (built when first needed: ranking majors needs none)."""
        return {iri: self.name_vector(name) for iri, name in self.names.items()}

    def name_vector(self, name: str) -> Vector:
        return self.idf.vector(weighted_bigrams([(certificate_key(name), 1.0)]))

    def major_vectors(self, majors: Iterable[str] | None = None) -> dict[str, Vector]:
        """Each major's texts (name, profile, courses, occupations) as a vector over certificate-name pieces;
        every major's when ``majors`` is None (one pass over the store, far faster than naming them all)."""
        texts = major_texts(self.store, majors=majors)
        return {major: self.idf.vector(weighted_bigrams(weighted(parts))) for major, parts in texts.items()}

    def closest_certificates(self, major_vector: Vector, minimum: float = 0.0) -> list[tuple[str, float]]:
        """(certificate IRI, cosine) above ``minimum``, closest first."""
        scored = [(iri, cosine(major_vector, vector)) for iri, vector in self.vectors.items()]
        return sorted(((iri, score) for iri, score in scored if score > minimum), key=lambda pair: (-pair[1], pair[0]))
