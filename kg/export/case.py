"""An alignment map as a 1EdTech CASE 1.1 CFPackage (the getCFPackage JSON binding).

- CFDocument: the major's profile (the major itself when it has no profile), titled with the map's
  title; CFItems: the profile's competencies (CFItemType ``Competency``), then the map's courses
  (``Course``; for a major without a profile, its teaching-standard courses), each ``isChildOf`` the
  document. ``uri`` fields are the graph's node IRIs.
- Certificates are outside the package: each is a CFAssociation whose destinationNodeURI is the
  certificate IRI (``targetType`` ``ext:Certificate``), from a course (a matrix cell) or from the
  document (the major's own certificate links).
- associationType: ``exactMatchOf`` for an exact link, ``isRelatedTo`` for major, minor, broad and
  narrow (CASE has no graded match; an ``ext:`` type would be unknown to CASE readers). The
  strength is kept in two ways a reader can use: the association's CFAssociationGrouping (one per
  strength, its uri the CTDL-ASN alignment property, e.g. ``ceasn:minorAlignment``) and its
  ``extensions``, which also carry method, score, status, evidence and the alignment IRI; ``notes``
  says the same in Chinese. Rejected links are left out.
- CFDefinitions: the two CFItemTypes (uri ``ceasn:Competency`` and ``vet:Course``, which each item
  names in CFItemTypeURI) and the strength groupings in use.
- Identifiers are ``uuid5(CASE_NAMESPACE, IRI)``; an association's is made from its origin, type
  and destination. Times are the map's ``generated_at`` (the latest ingest), never the clock.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from kg.core.terms import CEASN, DATA, VET
from kg.export.ctdl import ALIGNMENT_TERMS
from kg.maps.model import METHOD_LABELS, STATUS_LABELS, STRENGTH_LABELS, STRENGTHS, AlignmentMap, Evidence, Link

#: The namespace of every CASE identifier VETgraph mints: uuid5(NAMESPACE_URL, "https://w3id.org/vetgraph/case").
CASE_NAMESPACE = uuid.UUID("0c9376ed-bf36-5288-ae58-00c3a47e3f82")
CREATOR = "VETgraph"
LANGUAGE = "zh"
ASSOCIATIONS = f"{DATA}case/association/"
CERTIFICATE_TARGET = "ext:Certificate"
ASSOCIATION_TYPES = {"exact": "exactMatchOf", "major": "isRelatedTo", "minor": "isRelatedTo",
                     "broad": "isRelatedTo", "narrow": "isRelatedTo"}
FRAMEWORK_TYPES = {"MajorProfile": "专业简介", "Major": "专业教学标准", "Certificate": "职业技能等级证书"}
#: CFItemType name -> (uri, hierarchyCode, description); the code also starts each item's humanCodingScheme.
ITEM_TYPES = {"Competency": (f"{CEASN}Competency", "C", "专业简介“主要专业能力要求”中的一条能力"),
              "Course": (f"{VET}Course", "K", "专业的一门课程（专业教学标准、专业简介或学校课程标准所列）")}
GROUPING_DESCRIPTION = "对齐强度为“{}”的课程或专业与证书的对应关系"


def case_identifier(key: str) -> str:
    """The CASE identifier of an IRI (or an association key): a uuid5, so the same map gives the same ids."""
    return str(uuid.uuid5(CASE_NAMESPACE, key))


def _link_to(title: str, iri: str, target_type: str | None = None) -> dict[str, str]:
    """A LinkGenURI (or a LinkURI, without ``target_type``) to the node ``iri``."""
    link = {"title": title, "identifier": case_identifier(iri), "uri": iri}
    if target_type is not None:
        link["targetType"] = target_type
    return link


def _evidence(evidence: Evidence) -> dict[str, Any]:
    fields = {"text": evidence.text, "iri": evidence.iri, "source": evidence.source, "line": evidence.line}
    return {key: value for key, value in fields.items() if value is not None}


def _where(evidence: Evidence) -> str:
    if evidence.source is None:
        return evidence.text
    line = f" 第 {evidence.line} 行" if evidence.line is not None else ""
    return f"{evidence.text}（{evidence.source}{line}）"


class _Package:
    """Builds the package of one map: the document link, items and associations in a fixed order."""

    def __init__(self, amap: AlignmentMap) -> None:
        self.amap = amap
        self.node = amap.profile or amap.subject
        self.document = _link_to(amap.title, self.node.iri, "CASE")
        self.associations: list[dict[str, Any]] = []
        self.strengths: set[str] = set()  # the strengths of the certificate associations made

    def associate(self, origin: dict[str, str], kind: str, destination: dict[str, str], **fields: Any) -> None:
        identifier = case_identifier("\n".join((origin["uri"], kind, destination["uri"])))
        self.associations.append({
            "identifier": identifier, "associationType": kind, "uri": ASSOCIATIONS + identifier,
            "originNodeURI": origin, "destinationNodeURI": destination,
            "lastChangeDateTime": self.amap.generated_at, **fields})

    def item(self, iri: str, item_type: str, statement: str, position: int, sequence: int,
             **fields: Any) -> dict[str, Any]:
        self.associate(_link_to(statement, iri, "CASE"), "isChildOf", self.document, sequenceNumber=sequence)
        type_uri, code, _ = ITEM_TYPES[item_type]
        prefix = f"{self.amap.subject.code}-" if self.amap.subject.code else ""
        return {"identifier": case_identifier(iri), "fullStatement": statement, "CFItemType": item_type,
                "CFItemTypeURI": _link_to(item_type, type_uri), "uri": iri,
                "humanCodingScheme": f"{prefix}{code}{position}", "listEnumeration": str(position),
                "language": LANGUAGE, "lastChangeDateTime": self.amap.generated_at, **fields}

    def align(self, origin: dict[str, str], certificate: str, link: Link, gap: bool | None = None) -> None:
        if link.status == "rejected":
            return
        extensions: dict[str, Any] = {"strength": link.strength, "method": link.method, "resolvedBy": link.resolved_by,
                                      "score": round(link.score, 4), "status": link.status}
        if link.alignment is not None:
            extensions["alignment"] = link.alignment
        if link.node.level is not None:
            extensions["level"] = link.node.level
        if gap is not None:
            extensions["gap"] = gap
        extensions["evidence"] = [_evidence(item) for item in link.evidence]
        notes = [STRENGTH_LABELS[link.strength], METHOD_LABELS.get(link.method, link.method),
                 STATUS_LABELS.get(link.status, link.status), f"分数 {link.score:.2f}"]
        if link.node.level is not None:
            notes.append(f"等级：{link.node.level}")
        if gap:
            notes.append("缺口：没有课程覆盖该证书")
        text = " · ".join(notes) + "".join(f"\n依据：{_where(item)}" for item in link.evidence)
        self.strengths.add(link.strength)
        grouping = _link_to(_grouping_title(link.strength), CEASN + ALIGNMENT_TERMS[link.strength])
        self.associate(origin, ASSOCIATION_TYPES[link.strength], _link_to(link.node.label, certificate,
                       CERTIFICATE_TARGET), CFAssociationGroupingURI=grouping, notes=text, extensions=extensions)


def _grouping_title(strength: str) -> str:
    return f"{STRENGTH_LABELS[strength]}（ceasn:{ALIGNMENT_TERMS[strength]}）"


def _document(package: _Package) -> dict[str, Any]:
    amap, node = package.amap, package.node
    description = "\n".join(f"{heading}：{text}" for heading, text in amap.profile_texts.items())
    extensions: dict[str, Any] = {
        "subject": {key: value for key, value in (("iri", amap.subject.iri), ("type", amap.subject.type),
                    ("code", amap.subject.code), ("level", amap.subject.level)) if value is not None},
        "sources": [{"iri": s.iri, "path": s.path, "kind": s.kind, "sha256": s.sha256, "ingestedAt": s.ingested_at}
                    for s in amap.sources]}
    if amap.framework is not None:
        extensions["framework"] = amap.framework.iri
    document: dict[str, Any] = {
        "identifier": package.document["identifier"], "uri": node.iri,
        "frameworkType": FRAMEWORK_TYPES.get(node.type, node.type), "caseVersion": "1.1", "creator": CREATOR,
        "title": amap.title, "lastChangeDateTime": amap.generated_at,
        "subject": [amap.subject.label], "subjectURI": [_link_to(amap.subject.label, amap.subject.iri)],
        "language": LANGUAGE}
    if description:
        document["description"] = description
    if amap.notes:
        document["notes"] = "\n".join(amap.notes)
    document["extensions"] = extensions
    return document


def case_package(amap: AlignmentMap) -> dict[str, Any]:
    """The map as a CFPackage: CFDocument, CFItems, CFAssociations and CFDefinitions, in that order."""
    package = _Package(amap)
    items = [package.item(c.iri, "Competency", c.text, c.order, sequence,
                          extensions={k: v for k, v in (("source", c.source), ("line", c.line)) if v is not None})
             for sequence, c in enumerate(amap.competencies, start=1)]
    for position, course in enumerate(amap.courses, start=1):
        extensions: dict[str, Any] = {"origins": list(course.origins)}
        fields: dict[str, Any] = {}
        if course.node.code is not None:
            extensions["code"] = course.node.code
        if course.standard is not None:
            extensions["standard"] = course.standard
            fields["notes"] = course.standard + (f"（{course.institution}）" if course.institution else "")
        if course.institution is not None:
            extensions["institution"] = course.institution
        items.append(package.item(course.node.iri, "Course", course.node.label, position, len(items) + 1, **fields,
                                  extensions=extensions))
    for cell in amap.cells:
        course = next((item for item in items if item["uri"] == cell.course), None)
        if course is not None:
            package.align(_link_to(course["fullStatement"], cell.course, "CASE"), cell.certificate, cell.link)
    for column in amap.certificates:
        package.align(package.document, column.link.node.iri, column.link, gap=column.gap)
    used = {item["CFItemType"] for item in items}
    item_types = [{"identifier": case_identifier(uri), "uri": uri, "title": name, "description": description,
                   "hierarchyCode": code, "typeCode": name.lower(), "lastChangeDateTime": amap.generated_at}
                  for name, (uri, code, description) in ITEM_TYPES.items() if name in used]
    groupings = [{"identifier": case_identifier(CEASN + ALIGNMENT_TERMS[s]), "uri": CEASN + ALIGNMENT_TERMS[s],
                  "title": _grouping_title(s), "description": GROUPING_DESCRIPTION.format(STRENGTH_LABELS[s]),
                  "lastChangeDateTime": amap.generated_at}
                 for s in STRENGTHS if s in package.strengths]
    return {"CFDocument": _document(package), "CFItems": items, "CFAssociations": package.associations,
            "CFDefinitions": {"CFItemTypes": item_types, "CFAssociationGroupings": groupings}}


def case_bytes(amap: AlignmentMap) -> bytes:
    """The package as UTF-8 JSON (indent 2, Chinese unescaped, keys in CASE's reading order), ending in a newline."""
    text = json.dumps(case_package(amap), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
