"""Every alignment in the store, for bulk use: a CSV table (Chinese columns, latest review applied) or N-Quads.

The table has one row per alignment IRI, sorted by IRI; an alignment whose latest review rejected it
stays in, with 审核状态 ``rejected`` (values are the codes the graph uses: proposed, accepted,
rejected), so a team sees what it turned down. The N-Quads are the alignment nodes' statements as
stored, in every graph, sorted; their reviews are exported by `vetgraph export reviews`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import RdfFormat, serialize

from kg.align.review_ops import alignment_kind, node_labels
from kg.align.reviews import latest_decisions
from kg.export.cells import csv_bytes
from kg.store.base import GraphStore

COLUMNS = ("对齐IRI", "类型", "来源", "来源名称", "目标", "目标名称", "方法", "解析方式", "得分", "强度", "审核状态", "证据")
FACTS = "SELECT ?a ?p ?o WHERE { ?a a vet:Alignment ; ?p ?o . FILTER(STRSTARTS(STR(?p), STR(vet:))) }"


@dataclass(frozen=True)
class AlignmentRow:
    """One alignment as the CSV shows it; a property stated with two values (in two graphs) shows both."""

    iri: str
    kind: str
    source: str
    source_label: str
    target: str
    target_label: str
    method: str
    resolved_by: str
    score: float | None
    strength: str
    status: str
    evidence: tuple[str, ...]

    def cells(self) -> tuple[str | float | None, ...]:
        return (self.iri, self.kind, self.source, self.source_label, self.target, self.target_label, self.method,
                self.resolved_by, self.score, self.strength, self.status, " ".join(self.evidence))


def alignment_rows(store: GraphStore) -> list[AlignmentRow]:
    """Every alignment, sorted by IRI, its status the latest review's decision where there is one."""
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in store.select(FACTS):
        facts[row["a"]][row["p"].rsplit("#", 1)[-1]].add(row["o"])
    labels = node_labels(store, {end for node in facts.values()
                                 for end in node["alignmentSource"] | node["alignmentTarget"]})
    decisions = latest_decisions(store)

    def one(values: set[str]) -> str:
        return "; ".join(sorted(values))

    rows = []
    for iri in sorted(facts):
        node = facts[iri]
        source, target = one(node["alignmentSource"]), one(node["alignmentTarget"])
        scores = [float(score) for score in node["score"]]
        rows.append(AlignmentRow(
            iri=iri, kind=alignment_kind(iri, one(node["alignmentType"])),
            source=source, source_label=one({labels[s] for s in node["alignmentSource"]}),
            target=target, target_label=one({labels[t] for t in node["alignmentTarget"]}),
            method=one(node["method"]), resolved_by=one(node["resolvedBy"]), score=max(scores) if scores else None,
            strength=one(node["strength"]), status=decisions.get(iri) or one(node["reviewStatus"]),
            evidence=tuple(sorted(node["evidence"]))))
    return rows


def alignments_csv(store: GraphStore) -> tuple[bytes, int]:
    """The CSV file's bytes (UTF-8 with BOM, formula-safe cells) and its number of rows."""
    rows = alignment_rows(store)
    return csv_bytes(COLUMNS, (row.cells() for row in rows)), len(rows)


def alignments_nquads(store: GraphStore) -> tuple[bytes, int]:
    """The alignment nodes' statements in every data graph as sorted N-Quads, and their number."""
    nodes = {row["a"] for row in store.select("SELECT DISTINCT ?a WHERE { ?a a vet:Alignment }")}
    quads = [quad for quad in store.quads() if quad.subject.value in nodes]
    if not quads:
        return b"", 0
    lines = sorted(set(serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8").splitlines()))
    return "".join(f"{line}\n" for line in lines).encode("utf-8"), len(lines)
