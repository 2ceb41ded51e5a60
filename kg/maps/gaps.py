"""The gap analysis of one policy document: each industry and special field it names, and what serves it.

A field is an industry mention of the document's provisions (旅游业, 清洁能源, 民族手工艺 …), named as
the document writes it, with the provision and line that name it. It resolves (by code, name or
the alias table) to GB/T 4754 classes; the majors that serve it are those linked to any of those
classes or to a class above or below them (3612 serves a field resolved to 36, and 36 one resolved
to 3612); its certificates are the ones those majors state; its occupations the ones they prepare
for. A count of zero is written as 0 with its reason: nothing in the catalogue, the field resolved
to no class, or the catalogue of that kind is known to be partial (the 1+X lists hold batches 1-2
and a platform subset only).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kg.align.reviews import latest_decisions
from kg.maps.facts import Facts
from kg.query.documents import find_document
from kg.maps.model import (
    ZERO_INCOMPLETE, ZERO_NONE, ZERO_UNRESOLVED, Evidence, GapField, GapReport, Link, Node,
)
from kg.store.base import GraphStore

FIELDS = """
SELECT ?mention ?term ?provision ?line ?text ?order WHERE {{
  ?mention a vet:Mention ; vet:mentionKind "industry" ; vet:matchedTerm ?term ; vet:mentionedIn ?provision .
  ?provision vet:inDocument <{document}> .
  OPTIONAL {{ ?provision vet:lineStart ?line }} OPTIONAL {{ ?provision vet:text ?text }}
  OPTIONAL {{ ?mention vet:position ?order }}
}}"""
RESOLVED = """
SELECT ?mention ?industry ?alignment WHERE {{
  VALUES ?mention {{ {mentions} }}
  ?mention vet:refersTo ?industry . ?industry a vet:Industry .
  OPTIONAL {{ ?alignment vet:evidence ?mention ; vet:alignmentTarget ?industry ; vet:alignmentType "provision-industry" }}
}}"""
#: Every major linked to an industry, with how: stated by its profile, accepted, or from its texts.
MAJOR_INDUSTRIES = """
SELECT ?alignment ?major ?industry ?code ?method ?resolved ?score ?strength ?status WHERE {
  ?alignment vet:alignmentType ?kind ; vet:alignmentSource ?major ; vet:alignmentTarget ?industry .
  FILTER(?kind IN ("major-industry", "major-industry-text"))
  ?major a vet:Major . ?industry skos:notation ?code .
  OPTIONAL { ?alignment vet:method ?method } OPTIONAL { ?alignment vet:resolvedBy ?resolved }
  OPTIONAL { ?alignment vet:score ?score } OPTIONAL { ?alignment vet:strength ?strength }
  OPTIONAL { ?alignment vet:reviewStatus ?status }
}"""
MAJOR_TARGETS = """
SELECT ?major ?target ?alignment ?method ?status WHERE {{
  VALUES ?major {{ {majors} }}
  ?alignment vet:alignmentSource ?major ; vet:alignmentTarget ?target . ?target a vet:{cls} .
  OPTIONAL {{ ?alignment vet:method ?method }} OPTIONAL {{ ?alignment vet:reviewStatus ?status }}
}}"""
#: A 大类 suggested only because a major's texts are close to it counts as serving a field from this score
#: up; weaker ones are third-choice divisions that would make every field look served. A class the
#: major's 职业面向 names always counts.
MIN_TEXT_SCORE = 0.2

#: The links of a serving major that count for its certificates and occupations: what its profile states,
#: what its teaching standard lists (derived), what a person added.
FIRM_METHODS = ("stated", "derived", "human")


@dataclass(frozen=True)
class _MajorLink:
    alignment: str
    major: str
    code: str
    method: str
    resolved_by: str
    score: float
    strength: str
    status: str


def gap_report(store: GraphStore, document: str) -> GapReport:
    """The gap analysis of the policy document ``document`` (IRI or file path)."""
    iri = find_document(store, document)
    facts = Facts(store)
    doc = facts.node(iri) or Node(iri, "PolicyDocument", iri)
    facts.use_sources_of([iri])
    decisions = latest_decisions(store)
    mentions = store.select(FIELDS.format(document=iri))
    first: dict[str, dict[str, str]] = {}
    for row in sorted(mentions, key=lambda r: (int(r.get("line", "0")), int(r.get("order", "0")), r["mention"])):
        first.setdefault(row["term"], row)
    resolved = _resolved(store, [row["mention"] for row in mentions])
    by_term: dict[str, dict[str, str | None]] = defaultdict(dict)
    for row in mentions:
        by_term[row["term"]].update(resolved.get(row["mention"], {}))
    major_links = _major_links(store, decisions)
    fields = [_field(store, facts, decisions, row, by_term[term], major_links) for term, row in first.items()]
    status = store.select(f"SELECT ?s WHERE {{ <{iri}> vet:legalStatus ?s }}")
    record = next((r for r in store.sources().values() if r.document == iri), None)
    notes = ("证书目录不完整：1+X 证书仅含第一、二批及部分平台数据，证书数为 0 不代表没有相关证书",
             f"专业按 GB/T 4754 行业上下位关系匹配；仅由文本相近推荐的专业—行业大类只计得分 ≥ {MIN_TEXT_SCORE} 的")
    return GapReport(document=doc, path=record.path if record else None,
                     legal_status=_status_name(status[0]["s"]) if status else None,
                     generated_at=facts.generated_at(), fields=tuple(fields), sources=facts.used(), notes=notes)


def _status_name(iri: str) -> str:
    local = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return {"StatusDraft": "draft", "StatusInForce": "in force", "StatusSuperseded": "superseded"}.get(local, local)


def _resolved(store: GraphStore, mentions: list[str]) -> dict[str, dict[str, str | None]]:
    """Mention IRI -> {industry IRI: the provision-industry alignment IRI (or None)}."""
    out: dict[str, dict[str, str | None]] = defaultdict(dict)
    for start in range(0, len(mentions), 400):
        values = " ".join(f"<{m}>" for m in sorted(set(mentions))[start:start + 400])
        for row in store.select(RESOLVED.format(mentions=values)):
            out[row["mention"]].setdefault(row["industry"], row.get("alignment"))
    return out


def _major_links(store: GraphStore, decisions: dict[str, str]) -> list[_MajorLink]:
    out = []
    for row in store.select(MAJOR_INDUSTRIES):
        status = decisions.get(row["alignment"], row.get("status", "proposed"))
        score = float(row.get("score", "1"))
        method = row.get("method", "stated")
        resolved = row.get("resolved", "name")
        guessed = method == "text" and resolved == "text" and status != "accepted"  # a 大类 close to its texts
        if status == "rejected" or guessed and score < MIN_TEXT_SCORE:
            continue
        out.append(_MajorLink(row["alignment"], row["major"], row["code"], method, resolved, score,
                              row.get("strength", "broad"), status))
    return out


def _related(code: str, other: str) -> bool:
    """Two GB/T 4754 codes of one line of the hierarchy (36 and 3612), 门类 letters left out."""
    return code.isdigit() and other.isdigit() and (code.startswith(other) or other.startswith(code))


def _field(store: GraphStore, facts: Facts, decisions: dict[str, str], row: dict[str, str],
           industries: dict[str, str | None], major_links: list[_MajorLink]) -> GapField:
    provision = facts.node(row["provision"]) or Node(row["provision"], "Provision", row["provision"])
    facts.use_sources_of([row["provision"]])
    stored = facts.evidence(a for a in industries.values() if a)
    industry_nodes = facts.nodes(industries)
    industry_links = tuple(
        Link(node, industries[iri], "stated", "alias" if not node.label == row["term"] else "name", 1.0, "broad",
             decisions.get(industries[iri] or "", "accepted"), stored.get(industries[iri] or "", ()))
        for iri, node in sorted(industry_nodes.items(), key=lambda item: item[1].code or ""))
    codes = [link.node.code for link in industry_links if link.node.code]
    best: dict[str, _MajorLink] = {}
    for link in major_links:
        if any(_related(link.code, code) for code in codes):
            known = best.get(link.major)
            if known is None or (link.method != "text", link.score) > (known.method != "text", known.score):
                best[link.major] = link
    majors = _links(facts, {major: (link, f"服务行业 {link.code}") for major, link in best.items()})
    certificates = _through_majors(store, facts, decisions, best, "Certificate", "证书")
    occupations = _through_majors(store, facts, decisions, best, "Occupation", "职业")
    zero = ZERO_UNRESOLVED if not industry_links else ZERO_NONE
    reasons = {kind: (ZERO_INCOMPLETE if kind == "certificates" and industry_links else zero)
               for kind, found in (("majors", majors), ("certificates", certificates), ("occupations", occupations))
               if not found}
    line = int(row["line"]) if row.get("line", "").isdigit() else None
    quote = _sentence(row.get("text", ""), row["term"])
    return GapField(row["term"], row["mention"], provision, line, quote, industry_links, majors, certificates,
                    occupations, reasons)


def _links(facts: Facts, chosen: dict[str, tuple[_MajorLink, str]]) -> tuple[Link, ...]:
    nodes = facts.nodes(chosen)
    out = [Link(nodes[iri], link.alignment, link.method, link.resolved_by, link.score, link.strength, link.status,
                (Evidence(why, link.alignment),)) for iri, (link, why) in chosen.items() if iri in nodes]
    return tuple(sorted(out, key=_order))


def _order(link: Link) -> tuple[int, float, str]:
    firm = link.method in ("stated", "human") or link.status == "accepted"
    return (0 if firm else 1, -link.score, link.node.code or link.node.label)


def _through_majors(store: GraphStore, facts: Facts, decisions: dict[str, str], majors: dict[str, _MajorLink],
                    cls: str, noun: str) -> tuple[Link, ...]:
    """The certificates (or occupations) the serving majors state (or their teaching standards list), each with
    the majors it comes through."""
    if not majors:
        return ()
    through: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(majors), 300):
        values = " ".join(f"<{m}>" for m in sorted(majors)[start:start + 300])
        for row in store.select(MAJOR_TARGETS.format(majors=values, cls=cls)):
            if decisions.get(row["alignment"]) == "rejected" or row.get("method", "stated") not in FIRM_METHODS:
                continue
            through[row["target"]].append(row["major"])
    nodes = facts.nodes(list(through) + list(majors))
    out = []
    for target, via in through.items():
        if target not in nodes:
            continue
        via = sorted(set(via), key=lambda m: (majors[m].method == "text", -majors[m].score, m))
        names = "、".join(nodes[m].label for m in via[:5] if m in nodes) + ("等" if len(via) > 5 else "")
        firm = any(majors[m].method != "text" or majors[m].status == "accepted" for m in via)
        out.append((len(via), Link(nodes[target], None, "derived", "name", round(max(majors[m].score for m in via), 4),
                                   "broad", "accepted" if firm else "proposed",
                                   (Evidence(f"经由 {len(via)} 个专业列出该{noun}：{names}"),))))
    return tuple(link for _, link in sorted(out, key=lambda pair: (-pair[0], pair[1].node.label)))


def _sentence(text: str, term: str) -> str:
    """The sentence of ``text`` that names ``term``."""
    at = text.find(term)
    if at < 0:
        return text[:120]
    start = max(text.rfind(mark, 0, at) for mark in "。；;\n") + 1
    ends = [e for e in (text.find(mark, at) for mark in "。；;\n") if e >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()

