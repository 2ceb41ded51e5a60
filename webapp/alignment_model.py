"""A node's alignments as the entity page lists them, and the review a click records.

Majors, certificates, courses and provisions get what `vetgraph align suggest` gives (stated and
accepted links first, then computed suggestions); other nodes their stored alignments. Each row
says its direction, its evidence (mentions with their clause, or the peer / industry it came
through) and how to review it: a stored alignment by its IRI (``record_review``), a computed one
by its ``Link`` (``review_link`` stores it with the decision).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kg.align.alignments import Link
from kg.align.review_ops import Recorded, alignment_kind, record_review, review_link
from kg.align.reviews import latest_decisions
from kg.align.suggest import Suggestion, stored_links, suggest
from kg.store.base import GraphStore
from webapp.entity_model import nodes

#: The node types `align suggest` answers for, and the classes asked of it.
SUGGESTED = ("Major", "Certificate", "Course", "Provision")
LINKED_TYPES = ["Certificate", "Industry", "Occupation", "OccupationGroup", "Major", "Course", "Provision",
                "MajorCategory", "Competition"]


@dataclass(frozen=True)
class Evidence:
    """Why an alignment holds: a mention's words and where they stand, or a node it passes through."""

    text: str
    iri: str | None = None  # the node to link to (the provision of a mention, a peer major, an industry)


@dataclass
class AlignmentRow:
    suggestion: Suggestion
    outgoing: bool  # the node is the alignment's source
    stored: bool  # the store holds the alignment node (else it is computed and reviewed with its link)
    link: Link | None = None  # for a computed suggestion: what review_link stores
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def reviewable(self) -> bool:
        return bool(self.suggestion.alignment) and (self.stored or self.link is not None)


def alignments(store: GraphStore, iri: str, cls: str, label: str, top: int = 60) -> list[AlignmentRow]:
    """The node's alignments, best first."""
    if cls in SUGGESTED:
        found = suggest(store, iri, node_type=cls, types=LINKED_TYPES, top=top)
    else:
        found = stored_links(store, iri, latest_decisions(store))[:top]
    unnamed = nodes(store, [s.iri for s in found if s.label == s.iri])  # provisions have no prefLabel
    found = [replace(s, label=unnamed[s.iri].label) if s.iri in unnamed else s for s in found]
    ids = [s.alignment for s in found if s.alignment]
    ends = _stored_sources(store, ids)
    evidence = _stored_evidence(store, ids)
    named = nodes(store, [s.evidence for s in found if s.evidence and s.evidence.startswith("http")])
    rows = []
    for item in found:
        stored = item.alignment in ends
        row = AlignmentRow(item, outgoing=ends.get(item.alignment, iri) == iri or not stored, stored=stored)
        row.evidence = evidence.get(item.alignment or "", [])
        if item.evidence:
            node = named.get(item.evidence)
            row.evidence.append(Evidence(node.label, node.iri) if node else Evidence(item.evidence))
        if not stored and item.alignment:
            row.link = computed_link(iri, label, item)
        rows.append(row)
    return rows


def computed_link(node: str, label: str, item: Suggestion) -> Link | None:
    """The Link a computed suggestion stands for (its IRI must be the suggestion's), None when it cannot be rebuilt."""
    kind = alignment_kind(item.alignment or "")
    evidence = (item.evidence,) if item.evidence and item.evidence.startswith("http") else ()
    ends = ((node, item.iri, f"{label} → {item.label}"), (item.iri, node, f"{item.label} → {label}"))
    for source, target, name in ends:
        link = Link(kind=kind, source=source, target=target, method=item.method, resolved_by=item.resolved_by,
                    score=max(0.0, min(1.0, item.score)), strength=item.strength, status=item.status, label=name,
                    evidence=evidence)
        if kind and link.iri == item.alignment:
            return link
    return None


def decide(store: GraphStore, row: AlignmentRow, decision: str, reviewer: str, note: str = "") -> Recorded:
    """Record ``decision`` (accepted / rejected) on the row's alignment, on the writer's store."""
    if row.link is not None:
        return review_link(store, row.link, decision, reviewer, note)
    return record_review(store, row.suggestion.alignment or "", decision, reviewer, note)


def _stored_sources(store: GraphStore, alignments: list[str]) -> dict[str, str]:
    """Alignment IRI -> its source, for the ones the store holds."""
    if not alignments:
        return {}
    rows = store.select(f"SELECT ?a ?s WHERE {{ VALUES ?a {{ {' '.join(f'<{a}>' for a in set(alignments))} }} "
                        "?a a vet:Alignment ; vet:alignmentSource ?s }")
    return {row["a"]: row["s"] for row in rows}


def _stored_evidence(store: GraphStore, alignments: list[str]) -> dict[str, list[Evidence]]:
    """Alignment IRI -> its vet:evidence: a mention's words and its provision (or profile), else the node named."""
    if not alignments:
        return {}
    rows = store.select(
        f"SELECT DISTINCT ?a ?e ?words ?place WHERE {{ VALUES ?a {{ {' '.join(f'<{a}>' for a in set(alignments))} }} "
        "?a vet:evidence ?e . OPTIONAL { ?e vet:spanText ?words } OPTIONAL { ?e vet:mentionedIn ?place } } "
        "ORDER BY ?a ?e")
    places = nodes(store, [row.get("place") or row["e"] for row in rows])
    found: dict[str, list[Evidence]] = {}
    for row in rows:
        where = row.get("place") or row["e"]
        place = places.get(where)
        name = place.label if place else where
        text = f"«{row['words']}» · {name}" if row.get("words") else name
        item = Evidence(text, where)
        if item not in found.setdefault(row["a"], []):
            found[row["a"]].append(item)
    return found
