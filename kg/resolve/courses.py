"""Course standards linked to what the store knows: stated certificates, teaching-standard courses, majors.

A certificate a course standard names becomes a vet:Alignment from the college's course to the
certificate level it states (or the certificate when it states none), method "stated", with the
covering modules as evidence. A college course whose major code and name match a course of that
major's teaching standard is vet:basedOn it. What does not resolve stays a mention and is noted.
"""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import NamedNode

from kg.core import iris
from kg.core.names import certificate_key
from kg.core.rdf import RDF_TYPE, RDFS_LABEL, Triple, string, vet, zh
from kg.resolve.base import Resolution
from kg.store.base import GraphStore

NAME = "course-links"

CERTIFICATE_NAMES = """
SELECT DISTINCT ?certificate ?label WHERE {
  ?certificate a vet:Certificate . { ?certificate skos:prefLabel ?label } UNION { ?certificate skos:altLabel ?label }
}"""
CERTIFICATE_LEVELS = """
SELECT DISTINCT ?certificate ?level ?name WHERE { ?certificate vet:hasLevel ?level . ?level vet:levelName ?name }"""
MENTIONS = """
SELECT DISTINCT ?mention ?term ?level ?course ?line ?evidence WHERE {
  ?mention a vet:Mention ; vet:mentionKind "certificate" ; vet:matchedTerm ?term ; vet:mentionedIn ?standard .
  ?standard a vet:CourseStandard ; vet:describes ?course .
  OPTIONAL { ?mention vet:statedLevel ?level }
  OPTIONAL { ?mention vet:line ?line }
  OPTIONAL { ?mention vet:evidence ?evidence }
}"""
COLLEGE_COURSES = """
SELECT DISTINCT ?course ?name ?stated ?standardLabel WHERE {
  ?standard a vet:CourseStandard ; vet:describes ?course ; rdfs:label ?standardLabel .
  ?course skos:prefLabel ?name .
  OPTIONAL { GRAPH ?graph { ?course vet:forMajor ?stated } FILTER(STRSTARTS(STR(?graph), "%s")) }
}""" % iris.SOURCE_GRAPHS


def course_links(store: GraphStore) -> Resolution:
    """Stated certificates -> alignments to the catalogue's levels; college courses -> their standard's course."""
    triples: list[Triple] = []
    notes: list[str] = []
    triples += _certificate_alignments(store, notes)
    triples += _based_on(store, notes)
    return Resolution(NAME, triples, notes)


def _certificate_alignments(store: GraphStore, notes: list[str]) -> list[Triple]:
    by_key = {certificate_key(row["label"]): row["certificate"] for row in store.select(CERTIFICATE_NAMES)}
    levels = {(row["certificate"], row["name"]): row["level"] for row in store.select(CERTIFICATE_LEVELS)}
    mentions: dict[str, dict[str, object]] = {}
    for row in store.select(MENTIONS):
        entry = mentions.setdefault(row["mention"], {"row": row, "evidence": set()})
        if "evidence" in row:
            entry["evidence"].add(row["evidence"])  # type: ignore[union-attr]
    triples: list[Triple] = []
    for mention, entry in sorted(mentions.items()):
        row: dict[str, str] = entry["row"]  # type: ignore[assignment]
        certificate = by_key.get(certificate_key(row["term"]))
        where = f"line {row['line']}" if "line" in row else "?"
        if certificate is None:
            notes.append(f"certificate '{row['term']}' ({where} of {row['course']}) is not in the certificate "
                         "catalogue; kept as a mention")
            continue
        target = certificate
        level = row.get("level")
        if level:
            target = levels.get((certificate, level), certificate)
            if target == certificate:
                notes.append(f"certificate '{row['term']}' has no level {level} in the catalogue ({where}); "
                             "linked to the certificate")
        node = iris.stated_alignment(mention)
        triples += [
            (node, RDF_TYPE, vet("Alignment")),
            (node, vet("alignmentSource"), NamedNode(row["course"])),
            (node, vet("alignmentTarget"), NamedNode(target)),
            (node, vet("method"), string("stated")),
            (node, vet("reviewStatus"), string("accepted")),
            (node, vet("evidence"), NamedNode(mention)),
            (node, RDFS_LABEL, zh(row["term"] + (f"（{level}）" if level else ""))),
            (NamedNode(mention), vet("refersTo"), NamedNode(target)),
        ]
        triples += [(node, vet("evidence"), NamedNode(e)) for e in sorted(entry["evidence"])]  # type: ignore[arg-type]
    return triples


def _based_on(store: GraphStore, notes: list[str]) -> list[Triple]:
    """A college course -> the teaching-standard course of its major with the same name, when the store has it."""
    courses: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in store.select(COLLEGE_COURSES):
        courses[row["course"]].append(row)
    known = {row["c"] for row in store.select(
        "SELECT DISTINCT ?c WHERE { ?s a vet:TeachingStandard ; vet:hasCourse ?c }")}
    majors = {row["code"] for row in store.select("SELECT DISTINCT ?code WHERE { ?m a vet:Major ; skos:notation ?code }")}
    triples: list[Triple] = []
    for course, rows in sorted(courses.items()):
        codes = sorted({code for row in rows if (code := iris.major_code(row.get("stated", "")))})
        for code in codes:
            if majors and code not in majors:
                notes.append(f"《{rows[0]['standardLabel']}》 names major {code}, which the major catalogue lacks")
            candidate = iris.standard_course(code, rows[0]["name"]).value
            if candidate in known:
                triples.append((NamedNode(course), vet("basedOn"), NamedNode(candidate)))
    return triples
