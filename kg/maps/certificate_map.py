"""The inverse map of one certificate: the majors it serves and the courses that prepare for it.

Majors: those whose profiles state it (or whose link a reviewer accepted), ranked as `align suggest
--certificate` ranks them, then suggested ones. Courses: those a course standard states it for (or
a reviewer accepted), then the courses of its stated majors whose names are close to its name
(method ``peer``, the same alignment IRIs a major's map uses).
"""

from __future__ import annotations

from kg.align.reviews import latest_decisions
from kg.align.suggest import COURSE_PEER_FLOOR, Suggestion, find_certificate, stored_links, suggest
from kg.align.tfidf import cosine
from kg.core import iris
from kg.errors import VetgraphError
from kg.maps.facts import Facts
from kg.maps.major_map import COURSES, MIN_TEXT_CLOSENESS, ORIGIN_ORDER, specific_pieces
from kg.maps.model import AlignmentMap, Cell, Evidence, Link, MapCertificate, MapCourse
from kg.store.base import GraphStore

#: Majors listed, and courses of stated majors considered (the closest first).
MAJORS = 30
COURSES_SHOWN = 60
COURSE_SOURCES = """
SELECT DISTINCT ?course WHERE {{
  VALUES ?target {{ {targets} }}
  ?alignment vet:alignmentTarget ?target ; vet:alignmentSource ?course . ?course a vet:Course .
}}"""


def certificate_map(store: GraphStore, name: str, *, majors: int = MAJORS) -> AlignmentMap:
    """The map of the certificate ``name`` names (full or short name); VetgraphError when there is none."""
    certificate = find_certificate(store, name)
    facts = Facts(store)
    subject = facts.node(certificate)
    if subject is None:
        raise VetgraphError(f"no certificate named '{name}' in the store")
    facts.use_sources_of([certificate])
    decisions = latest_decisions(store)
    found = suggest(store, certificate, node_type="Certificate", types=["Major"], top=majors)
    stored = facts.evidence(s.alignment for s in found if s.alignment)
    major_links = tuple(facts.link(s, stored) for s in found)
    targets = [certificate] + [row["l"] for row in store.select(f"SELECT ?l WHERE {{ <{certificate}> vet:hasLevel ?l }}")]
    cells = _stated_cells(store, facts, certificate, targets, decisions)
    firm = [link.node.iri for link in major_links if link.method in ("stated", "human") or link.status == "accepted"]
    cells += _close_cells(store, facts, certificate, subject.label, firm, {c.course for c in cells}, decisions)
    courses = _courses(store, facts, [c.course for c in cells])
    column = MapCertificate(Link(subject, None, "stated", "name", 1.0, "exact", "accepted"), bool(cells))
    facts.use_sources_of([c.node.iri for c in courses])
    return AlignmentMap(
        subject=subject, title=f"{subject.label}：面向专业与课程对应表", generated_at=facts.generated_at(),
        courses=tuple(courses), certificates=(column,), cells=tuple(cells), majors=major_links,
        sources=facts.used(), notes=() if cells else ("没有课程与该证书对应",))


def _stated_cells(store: GraphStore, facts: Facts, certificate: str, targets: list[str],
                  decisions: dict[str, str]) -> list[Cell]:
    values = " ".join(f"<{t}>" for t in targets)
    courses = [row["course"] for row in store.select(COURSE_SOURCES.format(targets=values))]
    cells = []
    for course in sorted(courses):
        links = [s for s in stored_links(store, course, decisions) if s.iri == certificate]
        stored = facts.evidence(s.alignment for s in links if s.alignment)
        if links:
            best = min(links, key=lambda s: (s.method not in ("stated", "human") and s.status != "accepted", -s.score))
            cells.append(Cell(course, certificate, facts.link(best, stored)))
    return cells


def _close_cells(store: GraphStore, facts: Facts, certificate: str, name: str, majors: list[str], taken: set[str],
                 decisions: dict[str, str]) -> list[Cell]:
    """Courses of the stated majors whose names are close to the certificate's (method ``peer``)."""
    from kg.align.certificate_text import CertificateText

    texts = CertificateText(store)
    wanted = texts.name_vector(name)
    major_names = {iri: node.label for iri, node in facts.nodes(majors).items()}
    scored: list[tuple[float, str, str, str]] = []
    for major in majors:
        for row in store.select(COURSES.format(major=major)):
            course = row["course"]
            if course in taken:
                continue
            node = facts.node(course)
            if node is None:
                continue
            closeness = cosine(texts.name_vector(node.label), wanted)
            pieces = specific_pieces(node.label, certificate, texts, major_names.get(major, ""))
            if closeness >= MIN_TEXT_CLOSENESS and pieces:
                taken.add(course)
                scored.append((closeness, course, major, "、".join(pieces)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    cells = []
    for closeness, course, major, pieces in scored[:COURSES_SHOWN]:
        alignment = iris.alignment(course, certificate, "course-certificate-peer").value
        status = decisions.get(alignment, "proposed")
        if status == "rejected":
            continue
        suggestion = Suggestion(certificate, "Certificate", name, None, round(COURSE_PEER_FLOOR + (1 - COURSE_PEER_FLOOR)
                                * closeness, 4), "peer", "name", "minor", status, alignment)
        link = facts.link(suggestion, {})
        major_node = facts.node(major)
        evidence = (Evidence(f"所属专业列出该证书：{major_node.label if major_node else major}", major),
                    Evidence(f"课程名与证书名相近：{pieces}"))
        cells.append(Cell(course, certificate, Link(link.node, alignment, "peer", "name", suggestion.score, "minor",
                                                    status, evidence)))
    return cells


def _courses(store: GraphStore, facts: Facts, courses: list[str]) -> list[MapCourse]:
    nodes = facts.nodes(courses)
    origins: dict[str, str] = {}
    values = " ".join(f"<{c}>" for c in sorted(set(courses)))
    for row in store.select(f"SELECT ?c WHERE {{ VALUES ?c {{ {values} }} ?s a vet:CourseStandard ; vet:describes ?c }}")\
            if courses else []:
        origins[row["c"]] = "course-standard"
    majors: dict[str, str] = {}
    for row in store.select(f"SELECT ?c ?m WHERE {{ VALUES ?c {{ {values} }} ?c vet:forMajor ?m }}") if courses else []:
        majors.setdefault(row["c"], row["m"])
    major_nodes = facts.nodes(majors.values())
    out = [MapCourse(nodes[c], (origins.get(c, "teaching-standard"),), major=major_nodes.get(majors.get(c, "")))
           for c in dict.fromkeys(courses) if c in nodes]
    return sorted(out, key=lambda c: (ORIGIN_ORDER.index(c.origins[0]), c.major.code if c.major else "",
                                      c.node.label, c.node.iri))
