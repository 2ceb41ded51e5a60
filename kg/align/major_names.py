"""Majors and 专业类 a course standard names without a code, linked to the catalogue by name and level.

A name ('新能源汽车技术', printed '新能源汽车技术专业') resolves to the catalogue majors of that exact or
normalised name, a 专业类 ('电子商务类') to the ``vet:MajorCategory`` nodes (kg.align.names). The
catalogue holds one name at several levels (电子商务: 730701 中职, 530701 高职专科, 330701 职教本科), so
the level the standard states chooses: its ``vet:level``, else its college's type (职业技术大学 -> 职教本科;
职业技术学院, 职业学院, 高等专科学校 -> 高职专科; 中等职业学校, 职业中专 … -> 中职).

One candidate at that level, or the only one of the name when no level is stated, is an accepted link
(method ``stated``, resolved_by ``name``, the mention as evidence: its file and line): the standard and
its course get ``vet:forMajor`` as a code would give them, the course ``vet:basedOn`` its major's
teaching-standard course of the same name, the mention ``vet:refersTo`` the major. Otherwise every
candidate is a proposed link, its score shared among them, for a reviewer to decide; one accepted by
review gets the same statements at the next run, a rejected one is never proposed again. A 专业类 gets
its link and refersTo only (``vet:forMajor`` names a major). What resolves to nothing is noted with why.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pyoxigraph import NamedNode

from kg.align.alignments import Link, link_triples, merge_link
from kg.align.catalogue import Catalogue, Major, NameIndex
from kg.align.names import Candidate, resolve_major, resolve_major_category
from kg.core import iris
from kg.core.levels import education_level
from kg.core.names import normalise_name
from kg.core.rdf import Triple, vet
from kg.store.base import GraphStore

MENTIONS = """
SELECT DISTINCT ?mention ?term ?label ?line ?standard ?title ?course ?name ?college ?level WHERE {
  ?mention a vet:Mention ; vet:mentionKind "major" ; vet:matchedTerm ?term ; vet:mentionedIn ?standard .
  ?standard a vet:CourseStandard ; vet:describes ?course .
  OPTIONAL { ?mention rdfs:label ?label } OPTIONAL { ?mention vet:line ?line }
  OPTIONAL { ?standard rdfs:label ?title } OPTIONAL { ?course skos:prefLabel ?name }
  OPTIONAL { ?course vet:offeredBy ?by . ?by skos:prefLabel ?college }
  OPTIONAL { ?standard vet:level ?level }
}"""
CATEGORIES = """
SELECT ?node ?code ?label ?level WHERE {
  ?node a vet:MajorCategory ; skos:notation ?code ; skos:prefLabel ?label . OPTIONAL { ?node vet:level ?level }
}"""
TEACHING_COURSES = "SELECT DISTINCT ?course WHERE { ?standard a vet:TeachingStandard ; vet:hasCourse ?course }"

#: The level a college's name states, first match wins (职业技术大学 before 学院; 中等职业学校 before 职业学校).
COLLEGE_LEVELS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"职业技术大学|职业本科"), "职教本科"),
    (re.compile(r"职业技术学院|职业学院|高等专科学校|高等职业技术学校"), "高职专科"),
    (re.compile(r"中等职业|中等专业学校|职业中专|职业高级中学|职业中学|职业教育中心|职教中心"), "中职"),
)
#: How the ingest marks a 专业类 in a mention's label.
CATEGORY_MARK = "（专业类）"
COURSE_MAJOR, COURSE_CATEGORY = "course-major", "course-major-category"


@dataclass(frozen=True)
class MajorMention:
    """A major or 专业类 a course standard names, with where it is and the level the standard states."""

    iri: str
    term: str
    category: bool
    line: str | None
    standard: str
    title: str
    course: str
    course_name: str
    level: str | None  # 中职 | 高职专科 | 职教本科, from the standard's vet:level or its college's type


@dataclass
class MajorNameLinks:
    """What the major names give the link graph: their triples, resolved / unresolved counts, notes."""

    triples: list[Triple]
    outcomes: Counter[tuple[str, str]]
    notes: list[str]
    links: int


def college_level(college: str | None) -> str | None:
    """The level a college's name states ('XX汽车职业技术学院' -> 高职专科), None when it states none."""
    for pattern, level in COLLEGE_LEVELS:
        if college and pattern.search(normalise_name(college)):
            return level
    return None


def major_mentions(store: GraphStore) -> list[MajorMention]:
    """Every major mention of a course standard, once, in IRI order; a standard stating two levels states none."""
    rows: dict[str, list[dict[str, str]]] = {}
    for row in store.select(MENTIONS):
        rows.setdefault(row["mention"], []).append(row)
    out = []
    for mention, found in sorted(rows.items()):
        found.sort(key=lambda r: tuple(sorted(r.items())))
        first = found[0]
        stated = {known.name for r in found if r.get("level") and (known := education_level(r["level"]))}
        levels = sorted(stated or {level for r in found if (level := college_level(r.get("college")))})
        category = first["term"].endswith("类") or any(r.get("label", "").endswith(CATEGORY_MARK) for r in found)
        out.append(MajorMention(mention, first["term"], category, first.get("line"), first["standard"],
                                first.get("title", first["standard"]), first["course"],
                                first.get("name", ""), levels[0] if len(levels) == 1 else None))
    return out


def category_index(store: GraphStore) -> NameIndex[Major]:
    """The 专业类 and 专业大类 nodes, indexed as majors are (code, label, normalised label)."""
    entries = sorted({Major(r["node"], r["code"], r["label"], r.get("level")) for r in store.select(CATEGORIES)},
                     key=lambda m: m.code)
    return NameIndex.build(entries, lambda m: m.code, lambda m: (m.label,), normalise_name, normalise_name)


def link_major_names(store: GraphStore, catalogue: Catalogue, decisions: dict[str, str]) -> MajorNameLinks:
    """Links, statements and notes for every major and 专业类 course standards name without a code."""
    mentions = major_mentions(store)
    outcomes: Counter[tuple[str, str]] = Counter()
    if not mentions:
        return MajorNameLinks([], outcomes, [], 0)
    categories = category_index(store)
    links: dict[str, Link] = {}
    owners: dict[str, MajorMention] = {}
    unresolved: list[str] = []
    ambiguous = 0
    for mention in mentions:
        found, why = _candidates(mention, catalogue, categories)
        outcomes["major", "resolved" if found else "unresolved"] += 1
        if not found:
            unresolved.append(f"'{mention.term}' (《{mention.title}》 line {mention.line or '?'}): {why}")
            continue
        chosen = [c for c in found if mention.level and _level(c, catalogue, categories) == mention.level]
        if not chosen and mention.level is None and len(found) == 1:
            chosen = found
        ambiguous += not chosen
        for candidate in chosen or found:
            draft = _draft(mention, candidate, catalogue, categories, chosen, len(found))
            if merge_link(links, draft, decisions):
                owners[draft.iri] = mention
    triples = _statements(links, owners, {row["course"] for row in store.select(TEACHING_COURSES)})
    for link in sorted(links.values(), key=lambda item: item.iri):
        triples += link_triples(link)
    notes = []
    if unresolved:
        notes.append(f"links: major names not resolved: {'; '.join(unresolved)}")
    if ambiguous:
        notes.append(f"links: {ambiguous} major names name no one catalogue entry at the standard's level (several "
                     "levels hold the name and the standard states none, or only another level does): one proposed "
                     "link per candidate, for review")
    return MajorNameLinks(triples, outcomes, notes, len(links))


def _candidates(mention: MajorMention, catalogue: Catalogue, categories: NameIndex[Major]
                ) -> tuple[list[Candidate], str]:
    """Every level's node of the name, and why there is none."""
    if mention.category:
        if not categories.by_code:
            return [], "a 专业类, and the store holds no 专业类 (ingest the major catalogue)"
        return resolve_major_category(mention.term, categories), "no 专业类 of that name in the major catalogue"
    if not catalogue.majors.by_code:
        return [], "the store holds no major catalogue"
    return resolve_major(mention.term, catalogue), "no major of that name in the major catalogue"


def _level(candidate: Candidate, catalogue: Catalogue, categories: NameIndex[Major]) -> str | None:
    entry = catalogue.majors.by_code.get(candidate.code or "") or categories.by_code.get(candidate.code or "")
    return entry.level if entry is not None and entry.iri == candidate.iri else None


def _draft(mention: MajorMention, candidate: Candidate, catalogue: Catalogue, categories: NameIndex[Major],
           chosen: list[Candidate], found: int) -> Link:
    """The link of one candidate: accepted when chosen, else proposed with the score shared (at least halved)."""
    level = _level(candidate, catalogue, categories)
    score = candidate.score if chosen else candidate.score / max(2, found)
    return Link(kind=COURSE_CATEGORY if mention.category else COURSE_MAJOR, source=mention.course,
                target=candidate.iri, method="stated", resolved_by=candidate.resolved_by, score=round(score, 4),
                strength=candidate.strength, status="accepted" if chosen else "proposed",
                label=f"{mention.term} → {candidate.label} {candidate.code}（{level or '?'}）",
                evidence=(mention.iri,))


def _statements(links: dict[str, Link], owners: dict[str, MajorMention], teaching: set[str]) -> list[Triple]:
    """What an accepted link states, as a code would: forMajor, basedOn, refersTo (sorted, each once)."""
    found: set[tuple[str, str, str]] = set()
    for iri_, link in links.items():
        if link.status != "accepted":
            continue
        mention = owners[iri_]
        found.add((mention.iri, "refersTo", link.target))
        code = iris.major_code(link.target)
        if link.kind != COURSE_MAJOR or code is None:
            continue
        found |= {(mention.standard, "forMajor", link.target), (mention.course, "forMajor", link.target)}
        based = iris.standard_course(code, mention.course_name).value
        if mention.course_name and based in teaching:
            found.add((mention.course, "basedOn", based))
    return [(NamedNode(s), vet(p), NamedNode(o)) for s, p, o in sorted(found)]

