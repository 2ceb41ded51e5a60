"""The triples of one alignment: a reified link with method, how its name resolved, score, strength, evidence.

Alignment IRIs come from source, target and kind (``iris.alignment``), so the same link found again
is the same node and a review attached to it survives re-ingest and re-alignment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pyoxigraph import NamedNode

from kg.core import iris
from kg.core.rdf import RDF_TYPE, RDFS_LABEL, Triple, decimal, string, vet, zh


@dataclass(frozen=True)
class Link:
    """One alignment before it becomes triples (the values each field may take are in ontology/shapes.ttl)."""

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


def merge_link(links: dict[str, Link], draft: Link, decisions: dict[str, str]) -> bool:
    """Add ``draft`` to ``links`` under its IRI, as its latest review says: False (and nothing added) when it
    was rejected; marked accepted when it was accepted; found again, the better score kept and the
    evidence of both joined."""
    decision = decisions.get(draft.iri)
    if decision == "rejected":
        return False
    if decision == "accepted":
        draft = replace(draft, status="accepted")
    known = links.get(draft.iri)
    if known is None:
        links[draft.iri] = draft
    else:
        best = draft if draft.score > known.score else known
        links[draft.iri] = replace(best, evidence=known.evidence + draft.evidence)
    return True
