"""The alignment map of one major (岗课赛证): its courses × its certificates, what it serves, its competencies.

Rows are the major's courses: its teaching standard's, its profile's basic and core courses (the
same node when the names match) and every college course standard based on it. Columns are the
certificates its profile states (and any accepted by review), then the best suggested ones (peer
majors, text). A cell is the best alignment of the course to the certificate or one of its levels:
stated by a course standard, accepted by review, or suggested when the course's name is close to
the certificate's. Suggestions are computed here, for this major, so no prior `vetgraph align` is needed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from kg.align.reviews import latest_decisions, rejected_pairs
from kg.align.suggest import (
    COURSE_PEER_FLOOR, COURSE_TEXT_WEIGHT, TEXT_WEIGHT, Suggestion, course_certificates, stored_links, suggest,
)
from kg.align.tfidf import bigrams, shared
from kg.core import iris
from kg.errors import VetgraphError
from kg.maps.facts import Facts
from kg.maps.model import STRENGTHS, AlignmentMap, Cell, Competency, Link, MapCertificate, MapCourse, Node
from kg.store.base import GraphStore

if TYPE_CHECKING:
    from kg.align.certificate_text import CertificateText

#: Suggested (not stated) certificates shown as columns beside the stated ones.
SUGGESTED_COLUMNS = 5
#: A suggested column or cell needs at least this closeness of names (0-1): one shared common piece
#: (汽车, 技术) is not evidence of coverage.
MIN_TEXT_CLOSENESS = 0.25
#: Industries and occupations listed for the major.
SERVED = 30
COURSES = """
SELECT DISTINCT ?course ?origin ?standard ?institution WHERE {{
  {{ ?ts vet:hasCourse ?course . ?course vet:forMajor <{major}> . BIND("teaching-standard" AS ?origin) }}
  UNION {{ ?profile vet:profileOf <{major}> ; vet:basicCourse ?course . BIND("profile-basic" AS ?origin) }}
  UNION {{ ?profile vet:profileOf <{major}> ; vet:coreCourse ?course . BIND("profile-core" AS ?origin) }}
  UNION {{ ?cs a vet:CourseStandard ; vet:forMajor <{major}> ; vet:describes ?course ; rdfs:label ?standard .
           OPTIONAL {{ ?course vet:offeredBy ?college . ?college skos:prefLabel ?institution }}
           BIND("course-standard" AS ?origin) }}
}}"""
POSITIONS = """
SELECT ?course (MIN(?p) AS ?position) WHERE {{ VALUES ?course {{ {courses} }} ?course vet:position ?p }} GROUP BY ?course"""
PROFILE = """
SELECT ?profile ?orientation ?goal ?practice ?framework WHERE {{
  ?profile vet:profileOf <{major}> .
  OPTIONAL {{ ?profile vet:occupationalOrientation ?orientation }} OPTIONAL {{ ?profile vet:trainingGoal ?goal }}
  OPTIONAL {{ ?profile vet:practice ?practice }}
  OPTIONAL {{ ?framework vet:frameworkOf <{major}> }}
}}"""
COMPETENCIES = """
SELECT ?competency ?order ?text ?line ?source WHERE {{
  ?competency ceasn:isPartOf <{framework}> ; vet:order ?order ; ceasn:competencyText ?text .
  OPTIONAL {{ ?competency vet:line ?line }} OPTIONAL {{ ?competency prov:wasDerivedFrom ?source }}
}} ORDER BY ?order"""
ORIGIN_ORDER = ("course-standard", "profile-core", "profile-basic", "teaching-standard")
PROFILE_HEADINGS = {"orientation": "职业面向", "goal": "培养目标定位", "practice": "实习实训"}


def major_map(store: GraphStore, code: str, *, suggested: int = SUGGESTED_COLUMNS) -> AlignmentMap:
    """The map of the major with catalogue code ``code`` (K suffix kept); VetgraphError when there is none."""
    major = iris.major(code).value
    facts = Facts(store)
    subject = facts.node(major)
    if subject is None or subject.type != "Major":
        raise VetgraphError(f"no major {code} in the store")
    facts.use_sources_of([major])
    courses = _courses(store, facts, major)
    certificates = _certificates(store, facts, major, suggested)
    cells = _cells(store, facts, courses, {c.node.iri for c in certificates}, subject.label)
    covered = {cell.certificate for cell in cells}
    industries = _served(store, facts, major, "Industry")
    occupations = _served(store, facts, major, "Occupation")
    profile, framework, texts, competencies = _profile(store, facts, major)
    notes = [] if profile else ["无专业简介：课程取自教学标准与课程标准，无能力要求"]
    if not courses:
        notes.append("库中没有该专业的课程")
    facts.use_sources_of([c.node.iri for c in courses])
    return AlignmentMap(
        subject=subject, title=f"{subject.label}（{subject.code}）专业岗课赛证对应表",
        generated_at=facts.generated_at(), courses=tuple(courses),
        certificates=tuple(MapCertificate(link, link.node.iri in covered) for link in certificates),
        cells=tuple(cells), industries=industries, occupations=occupations, competencies=competencies,
        framework=framework, profile=profile, profile_texts=texts, sources=facts.used(), notes=tuple(notes))


def _courses(store: GraphStore, facts: Facts, major: str) -> list[MapCourse]:
    origins: dict[str, set[str]] = {}
    standards: dict[str, tuple[str | None, str | None]] = {}
    for row in store.select(COURSES.format(major=major)):
        origins.setdefault(row["course"], set()).add(row["origin"])
        if "standard" in row:
            standards[row["course"]] = (row["standard"], row.get("institution"))
    nodes = facts.nodes(origins)
    positions = _positions(store, list(origins))
    out = [MapCourse(nodes[c], tuple(o for o in ORIGIN_ORDER if o in origins[c]), *standards.get(c, (None, None)))
           for c in origins if c in nodes]
    return sorted(out, key=lambda c: (ORIGIN_ORDER.index(c.origins[0]), positions.get(c.node.iri, 10**6),
                                      c.node.label, c.node.iri))


def _positions(store: GraphStore, courses: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for start in range(0, len(courses), 400):
        values = " ".join(f"<{c}>" for c in sorted(courses)[start:start + 400])
        for row in store.select(POSITIONS.format(courses=values)):
            out[row["course"]] = int(float(row["position"]))
    return out


def _is_firm(item: Suggestion | Link) -> bool:
    return item.method in ("stated", "human") or item.status == "accepted"


def _certificates(store: GraphStore, facts: Facts, major: str, suggested: int) -> list[Link]:
    """Stated and accepted certificates, then the best ``suggested`` others."""
    found = suggest(store, major, node_type="Major", types=["Certificate"], top=10_000)
    firm = [s for s in found if _is_firm(s)]
    close = [s for s in found if not _is_firm(s) and (s.method != "text" or s.score >= TEXT_WEIGHT * MIN_TEXT_CLOSENESS)]
    chosen = firm + close[:suggested]
    stored = facts.evidence(s.alignment for s in chosen if s.alignment)
    return [facts.link(s, stored) for s in chosen]


def _served(store: GraphStore, facts: Facts, major: str, cls: str) -> tuple[Link, ...]:
    found = suggest(store, major, node_type="Major", types=[cls], top=SERVED)
    stored = facts.evidence(s.alignment for s in found if s.alignment)
    backed = [s for s in found if _is_firm(s) or s.alignment in stored]
    return tuple(facts.link(s, stored) for s in backed or found)  # bare name likeness only when nothing else


def _cells(store: GraphStore, facts: Facts, courses: list[MapCourse], columns: set[str], major_name: str
           ) -> list[Cell]:
    """The best alignment of each course to each column certificate, where one is stated or close enough."""
    if not courses or not columns:
        return []
    from kg.align.certificate_text import CertificateText

    texts = CertificateText(store)
    decisions = latest_decisions(store)
    refused = rejected_pairs(store)
    floors = {"peer": COURSE_PEER_FLOOR + (1 - COURSE_PEER_FLOOR) * MIN_TEXT_CLOSENESS,
              "text": COURSE_TEXT_WEIGHT * MIN_TEXT_CLOSENESS}
    cells: list[Cell] = []
    for course in courses:
        stated = [s for s in stored_links(store, course.node.iri, decisions) if s.type == "Certificate"]
        linked = {s.iri for s in stated}
        computed = [_with_pieces(s, texts, course.node.label, major_name)
                    for s in course_certificates(store, course.node.iri, linked, decisions, texts)
                    if s.iri in columns and s.score >= floors.get(s.method, 0.0)]
        best: dict[str, Suggestion] = {}
        for item in stated + [c for c in computed if c is not None and (course.node.iri, c.iri) not in refused]:
            if item.iri in columns and (item.iri not in best or _better(item, best[item.iri])):
                best[item.iri] = item
        stored = facts.evidence(s.alignment for s in best.values() if s.alignment)
        cells += [Cell(course.node.iri, certificate, facts.link(item, stored))
                  for certificate, item in sorted(best.items())]
    return cells


def specific_pieces(course_name: str, certificate: str, texts: CertificateText, major_name: str) -> list[str]:
    """The word pieces a course's name shares with a certificate's, less those of the major's own name:
    every course of 新能源汽车技术 shares 新能源汽车 with 智能新能源汽车, which says nothing about the course."""
    common = set(bigrams(major_name))
    pieces = shared(texts.name_vector(course_name), texts.vectors.get(certificate, {}), top=10)
    return [piece for piece in pieces if piece not in common][:4]


def _with_pieces(item: Suggestion, texts: CertificateText, course_name: str, major_name: str) -> Suggestion | None:
    """A computed course cell with the pieces it rests on as evidence; None when it rests on the major's name alone."""
    pieces = specific_pieces(course_name, item.iri, texts, major_name)
    if not pieces:
        return None
    listed = "本专业列出该证书；" if item.method == "peer" else ""
    return replace(item, evidence=f"{listed}课程名与证书名相近：{'、'.join(pieces)}")


def _better(item: Suggestion, than: Suggestion) -> bool:
    def key(s: Suggestion) -> tuple[int, int, float]:
        strength = STRENGTHS.index(s.strength) if s.strength in STRENGTHS else len(STRENGTHS)
        return (0 if _is_firm(s) else 1, strength, -s.score)
    return key(item) < key(than)


def _profile(store: GraphStore, facts: Facts, major: str
             ) -> tuple[Node | None, Node | None, dict[str, str], tuple[Competency, ...]]:
    rows = store.select(PROFILE.format(major=major))
    if not rows:
        return None, None, {}, ()
    row = rows[0]
    profile = facts.node(row["profile"])
    facts.use_sources_of([row["profile"]])
    texts = {heading: row[key] for key, heading in PROFILE_HEADINGS.items() if row.get(key)}
    framework = facts.node(row["framework"]) if "framework" in row else None
    competencies: list[Competency] = []
    if framework is not None:
        for item in store.select(COMPETENCIES.format(framework=framework.iri)):
            competencies.append(Competency(item["competency"], int(item["order"]), item["text"],
                                           facts.path_of(item.get("source")),
                                           int(item["line"]) if "line" in item else None))
    return profile, framework, texts, tuple(competencies)
