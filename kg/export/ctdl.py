"""An alignment map as CTDL-ASN JSON-LD: one ceasn:CompetencyFramework, its competencies, the certificates.

The context is inline (nothing is fetched) and uses language maps for Chinese text, as the
Credential Registry does: ``"ceasn:competencyText": {"zh": "…"}``.

- The framework is the profile's ``ceasn:CompetencyFramework``; a major without a profile gets the
  IRI its framework would have (``competency-framework/{code}``) holding only its courses.
- Courses are ``ceasn:Competency`` nodes of the same framework with ``ceasn:competencyCategory``
  课程 (the profile's statements have 专业能力), as ASN statement documents list course-level
  statements: CTDL-ASN's alignment properties have ``ceasn:Competency`` as their domain, and a
  ``ceterms:Course`` could say what a course covers only through condition profiles.
- Each cell becomes ``ceasn:exactAlignment`` / ``majorAlignment`` / ``minorAlignment`` /
  ``broadAlignment`` / ``narrowAlignment`` (by the link's strength) from the course to the
  certificate IRI; the major's own certificate links are the same properties on the framework.
  The certificates are described as ``ceterms:Certification`` nodes with their names (CTDL-ASN
  declares ``ceasn:Competency`` as the alignments' range; the issue asks for the certificate IRIs).
- Rejected links are left out. Method, score, status and evidence are in the CASE export and the
  graph itself; this document carries the alignment and its strength only.

Keys are sorted (``@id`` and ``@type`` come first that way); lists keep the map's order; the
same map gives byte-identical output.
"""

from __future__ import annotations

import json
from typing import Any

from kg.core.iris import competency_framework
from kg.core.terms import CEASN, VET, XSD
from kg.maps.model import STRENGTHS, AlignmentMap, Link, Node

CETERMS = "https://purl.org/ctdl/terms/"
LANGUAGE = "zh"
#: The CTDL-ASN alignment property of each strength.
ALIGNMENT_TERMS = {"exact": "exactAlignment", "major": "majorAlignment", "minor": "minorAlignment",
                   "broad": "broadAlignment", "narrow": "narrowAlignment"}
#: ceasn:competencyCategory of the two kinds of statement the framework holds.
COMPETENCY_CATEGORY = "专业能力"
COURSE_CATEGORY = "课程"

_LANGUAGE_MAPS = ("ceasn:name", "ceasn:description", "ceasn:competencyText", "ceasn:competencyLabel",
                  "ceasn:competencyCategory", "ceterms:name")
_IRI_VALUED = ("ceasn:hasTopChild", "ceasn:isPartOf", "ceasn:isTopChildOf", "vet:frameworkOf",
               *(f"ceasn:{term}" for term in ALIGNMENT_TERMS.values()))
CONTEXT: dict[str, Any] = {
    "ceasn": CEASN, "ceterms": CETERMS, "vet": VET, "xsd": XSD,
    **{term: {"@container": "@language"} for term in _LANGUAGE_MAPS},
    **{term: {"@type": "@id"} for term in _IRI_VALUED},
    "ceasn:dateModified": {"@type": "xsd:dateTime"},
}


def framework_iri(amap: AlignmentMap) -> str:
    """The profile's framework; for a major without one, the IRI its framework would have."""
    if amap.framework is not None:
        return amap.framework.iri
    if amap.subject.type == "Major" and amap.subject.code:
        return competency_framework(amap.subject.code).value
    return f"{amap.subject.iri}/competency-framework"


def _text(value: str) -> dict[str, str]:
    return {LANGUAGE: value}


def _alignments(links: list[tuple[str, Link]]) -> dict[str, list[str]]:
    """``ceasn:*Alignment`` → certificate IRIs (map order, each once), strongest property first."""
    by_strength: dict[str, list[str]] = {}
    for target, link in links:
        if link.status == "rejected":
            continue
        targets = by_strength.setdefault(link.strength, [])
        if target not in targets:
            targets.append(target)
    return {f"ceasn:{ALIGNMENT_TERMS[s]}": by_strength[s] for s in STRENGTHS if s in by_strength}


def _certifications(amap: AlignmentMap) -> list[dict[str, Any]]:
    """Every certificate the document points at, as a named ``ceterms:Certification``, columns first."""
    named: dict[str, Node] = {}
    for column in amap.certificates:
        if column.link.status != "rejected":
            named.setdefault(column.link.node.iri, column.link.node)
    for cell in amap.cells:
        if cell.link.status != "rejected":
            named.setdefault(cell.certificate, cell.link.node)
    return [{"@id": iri, "@type": "ceterms:Certification", "ceterms:name": _text(node.label)}
            for iri, node in named.items()]


def ctdl_document(amap: AlignmentMap) -> dict[str, Any]:
    """The map as a JSON-LD document (``@context`` and ``@graph``) in CTDL-ASN terms."""
    framework = framework_iri(amap)
    name = amap.framework.label if amap.framework is not None else amap.title
    description = "\n".join([amap.title, *(f"{heading}：{text}" for heading, text in amap.profile_texts.items())])
    statements: list[dict[str, Any]] = []
    for competency in amap.competencies:
        statements.append({"@id": competency.iri, "@type": "ceasn:Competency",
                           "ceasn:competencyText": _text(competency.text),
                           "ceasn:competencyCategory": _text(COMPETENCY_CATEGORY),
                           "ceasn:listID": str(competency.order),
                           "ceasn:isPartOf": framework, "ceasn:isTopChildOf": framework})
    for position, course in enumerate(amap.courses, start=1):
        cells = [(cell.certificate, cell.link) for cell in amap.cells if cell.course == course.node.iri]
        statements.append({"@id": course.node.iri, "@type": "ceasn:Competency",
                           "ceasn:competencyText": _text(course.node.label),
                           "ceasn:competencyLabel": _text(course.node.label),
                           "ceasn:competencyCategory": _text(COURSE_CATEGORY),
                           "ceasn:listID": str(position),
                           "ceasn:isPartOf": framework, "ceasn:isTopChildOf": framework,
                           **_alignments(cells)})
    root: dict[str, Any] = {
        "@id": framework, "@type": "ceasn:CompetencyFramework",
        "ceasn:name": _text(name), "ceasn:description": _text(description),
        "ceasn:inLanguage": [LANGUAGE], "ceasn:dateModified": amap.generated_at,
        "ceasn:hasTopChild": [statement["@id"] for statement in statements],
        **_alignments([(column.link.node.iri, column.link) for column in amap.certificates]),
    }
    if amap.subject.type == "Major":
        root["vet:frameworkOf"] = amap.subject.iri
    return {"@context": CONTEXT, "@graph": [root, *statements, *_certifications(amap)]}


def ctdl_bytes(amap: AlignmentMap) -> bytes:
    """The document as UTF-8 JSON-LD, keys sorted, Chinese unescaped, ending in a newline."""
    text = json.dumps(ctdl_document(amap), ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")
