"""The triples of one alignment: a reified link with method, how its name resolved, score, strength, evidence.

Alignment IRIs come from source, target and kind (``iris.alignment``), so the same link found again
is the same node and a review attached to it survives re-ingest and re-alignment.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from kg.core import iris
from kg.core.rdf import RDF_TYPE, RDFS_LABEL, Triple, decimal, string, vet, zh

METHODS = ("stated", "peer", "text", "embedding", "human", "derived")
RESOLVED_BY = ("code", "name", "alias", "text", "embedding")  # text: bigram TF-IDF of whole texts
STRENGTHS = ("exact", "major", "minor", "broad", "narrow")
STATUSES = ("proposed", "accepted", "rejected")


@dataclass(frozen=True)
class Link:
    """One alignment before it becomes triples."""

    kind: str  # major-certificate, major-industry, provision-industry, major-occupation, major-next-major …
    source: str
    target: str
    method: str
    resolved_by: str
    score: float
    strength: str
    status: str
    label: str
    evidence: tuple[str, ...] = ()  # IRIs of the mentions (or other nodes) that support it

    @property
    def iri(self) -> str:
        return iris.alignment(self.source, self.target, self.kind).value


def link_triples(link: Link) -> list[Triple]:
    """The alignment node of ``link`` with every property the shapes ask for."""
    node = NamedNode(link.iri)
    triples: list[Triple] = [
        (node, RDF_TYPE, vet("Alignment")),
        (node, vet("alignmentSource"), NamedNode(link.source)),
        (node, vet("alignmentTarget"), NamedNode(link.target)),
        (node, vet("alignmentType"), string(link.kind)),
        (node, vet("method"), string(link.method)),
        (node, vet("resolvedBy"), string(link.resolved_by)),
        (node, vet("score"), decimal(round(link.score, 4))),
        (node, vet("strength"), string(link.strength)),
        (node, vet("reviewStatus"), string(link.status)),
        (node, RDFS_LABEL, zh(link.label)),
    ]
    triples += [(node, vet("evidence"), NamedNode(e)) for e in sorted(set(link.evidence))]
    return triples
