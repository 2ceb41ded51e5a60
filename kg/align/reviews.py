"""Review decisions on alignments: data in their own graph that linking reads and never replaces.

A review is a vet:Review in ``iris.REVIEW_GRAPH``: which alignment, the decision (accepted or
rejected), who, when, a note, and what the alignment connected (so a decision can still be listed
after linking has dropped the alignment it rejected). The latest decision per alignment wins;
linking leaves out an alignment whose latest decision is ``rejected`` and marks an accepted one
``accepted``. Writing reviews, links made by hand, export and import: ``kg.align.review_ops``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from kg.core import iris
from kg.core.rdf import RDF_TYPE, Triple, string, typed, vet, zh
from kg.errors import VetgraphError
from kg.store.base import GraphStore

DECISIONS = ("accepted", "rejected")
REVIEWS_QUERY = f"""
SELECT ?review ?alignment ?decision ?reviewer ?at ?note ?source ?target WHERE {{
  GRAPH <{iris.REVIEW_GRAPH}> {{
    ?review a vet:Review ; vet:reviewOf ?alignment ; vet:decision ?decision ; vet:reviewedAt ?at .
    OPTIONAL {{ ?review vet:reviewer ?reviewer }} OPTIONAL {{ ?review vet:note ?note }}
    OPTIONAL {{ ?review vet:reviewedSource ?source }} OPTIONAL {{ ?review vet:reviewedTarget ?target }}
  }}
}} ORDER BY ?alignment ?at ?review"""


@dataclass(frozen=True)
class Review:
    """One decision on one alignment."""

    alignment: str
    decision: str
    reviewer: str
    at: str
    note: str = ""
    source: str = ""  # what the alignment connected when it was reviewed (IRIs), where known
    target: str = ""


def reviews(store: GraphStore) -> list[Review]:
    """Every review in the store, oldest first per alignment."""
    return [Review(row["alignment"], row["decision"], row.get("reviewer", ""), row["at"], row.get("note", ""),
                   row.get("source", ""), row.get("target", ""))
            for row in store.select(REVIEWS_QUERY)]


def latest_decisions(store: GraphStore) -> dict[str, str]:
    """The latest decision per alignment IRI."""
    latest: dict[str, str] = {}
    for review in reviews(store):
        latest[review.alignment] = review.decision
    return latest


def review_triples(review: Review) -> list[Triple]:
    """The triples of one review, for the review graph."""
    if review.decision not in DECISIONS:
        raise VetgraphError(f"unknown review decision '{review.decision}'; known: {', '.join(DECISIONS)}")
    node = iris.review(review.alignment, review.reviewer, review.at)
    triples: list[Triple] = [
        (node, RDF_TYPE, vet("Review")),
        (node, vet("reviewOf"), NamedNode(review.alignment)),
        (node, vet("decision"), string(review.decision)),
        (node, vet("reviewedAt"), typed(review.at, "dateTime")),
    ]
    if review.reviewer:
        triples.append((node, vet("reviewer"), string(review.reviewer)))
    if review.note:
        triples.append((node, vet("note"), zh(review.note)))
    if review.source:
        triples.append((node, vet("reviewedSource"), NamedNode(review.source)))
    if review.target:
        triples.append((node, vet("reviewedTarget"), NamedNode(review.target)))
    return triples


def rejected_pairs(store: GraphStore) -> set[tuple[str, str]]:
    """(source, target) of every alignment whose latest review rejected it: a person said these two do not
    belong together, so no other kind of suggestion (peer, text, name) may offer the pair again."""
    latest: dict[str, Review] = {}
    for review in reviews(store):
        latest[review.alignment] = review
    pairs = {(r.source, r.target) for r in latest.values() if r.decision == "rejected" and r.source and r.target}
    unnamed = sorted(a for a, r in latest.items() if r.decision == "rejected" and not (r.source and r.target))
    for start in range(0, len(unnamed), 400):
        values = " ".join(f"<{a}>" for a in unnamed[start:start + 400])
        for row in store.select(f"SELECT ?s ?t WHERE {{ VALUES ?a {{ {values} }} "
                                "?a vet:alignmentSource ?s ; vet:alignmentTarget ?t }"):
            pairs.add((row["s"], row["t"]))
    return pairs

