"""CTDL-ASN export: the JSON-LD parses with rdflib from its inline context, and says what the map says."""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, Namespace, URIRef

from kg.export.ctdl import ctdl_bytes
from tests.map_samples import BATTERY, HIGH_VOLTAGE, MOTOR, SMART, SPECIAL, bare_major_map, major_map

CEASN = Namespace("https://purl.org/ctdlasn/terms/")
CETERMS = Namespace("https://purl.org/ctdl/terms/")
FRAMEWORK = URIRef("https://w3id.org/vetgraph/id/competency-framework/460702")
FIRST = URIRef("https://w3id.org/vetgraph/id/competency/460702/1")


def _graph(data: bytes) -> Graph:
    # The context is inline: a remote one would make rdflib fetch it (and fail here, with no network).
    return Graph().parse(data=data.decode("utf-8"), format="json-ld")


def test_the_framework_and_its_competencies_in_chinese() -> None:
    graph = _graph(ctdl_bytes(major_map()))
    assert (FRAMEWORK, RDF.type, CEASN.CompetencyFramework) in graph
    assert (FRAMEWORK, CEASN.name, Literal("新能源汽车技术主要专业能力要求", lang="zh")) in graph
    assert (FRAMEWORK, CEASN.inLanguage, Literal("zh")) in graph
    assert graph.value(FRAMEWORK, CEASN.dateModified).toPython().isoformat() == "2026-11-30T09:30:00+00:00"
    assert (FIRST, RDF.type, CEASN.Competency) in graph
    assert (FIRST, CEASN.competencyText, Literal("具有新能源汽车动力电池检测与维护的能力", lang="zh")) in graph
    assert (FIRST, CEASN.listID, Literal("1")) in graph
    assert (FIRST, CEASN.isPartOf, FRAMEWORK) in graph
    assert set(graph.objects(FRAMEWORK, CEASN.hasTopChild)) == {
        FIRST, URIRef("https://w3id.org/vetgraph/id/competency/460702/2"),
        *(URIRef(node.iri) for node in (BATTERY, MOTOR)),
        URIRef("https://w3id.org/vetgraph/id/teaching-standard/course/460702/formula")}
    texts = list(graph.objects(None, CEASN.competencyText))
    assert texts and all(text.language == "zh" for text in texts)


def test_courses_are_competencies_of_the_framework() -> None:
    graph = _graph(ctdl_bytes(major_map()))
    battery = URIRef(BATTERY.iri)
    assert (battery, RDF.type, CEASN.Competency) in graph
    assert (battery, CEASN.competencyCategory, Literal("课程", lang="zh")) in graph
    assert (battery, CEASN.competencyText, Literal(BATTERY.label, lang="zh")) in graph
    assert (battery, CEASN.isPartOf, FRAMEWORK) in graph


def test_alignments_to_certificates_by_strength() -> None:
    graph = _graph(ctdl_bytes(major_map()))
    smart, special = URIRef(SMART.iri), URIRef(SPECIAL.iri)
    assert (URIRef(BATTERY.iri), CEASN.exactAlignment, smart) in graph
    assert (URIRef(MOTOR.iri), CEASN.minorAlignment, special) in graph
    assert (URIRef(MOTOR.iri), CEASN.exactAlignment, special) not in graph
    # the major's own links (stated, peer) are on its framework
    assert set(graph.objects(FRAMEWORK, CEASN.exactAlignment)) == {smart, URIRef(HIGH_VOLTAGE.iri)}
    assert set(graph.objects(FRAMEWORK, CEASN.minorAlignment)) == {special}
    for name in ("majorAlignment", "broadAlignment", "narrowAlignment"):
        assert not list(graph.triples((None, CEASN[name], None)))
    assert set(graph.subjects(RDF.type, CETERMS.Certification)) == {smart, special, URIRef(HIGH_VOLTAGE.iri)}
    assert (smart, CETERMS.name, Literal("智能新能源汽车职业技能等级证书", lang="zh")) in graph


def test_a_major_without_a_profile_gets_a_framework_of_its_courses() -> None:
    graph = _graph(ctdl_bytes(bare_major_map()))
    (framework,) = graph.subjects(RDF.type, CEASN.CompetencyFramework)
    assert framework == URIRef("https://w3id.org/vetgraph/id/competency-framework/510205")
    (course,) = graph.objects(framework, CEASN.hasTopChild)
    assert (course, CEASN.competencyText, Literal("数据采集技术", lang="zh")) in graph
    assert not list(graph.subjects(RDF.type, CETERMS.Certification))


def test_the_bytes_are_deterministic_utf8_json() -> None:
    data = ctdl_bytes(major_map())
    assert data == ctdl_bytes(major_map())
    assert data.endswith(b"}\n") and "智能新能源汽车".encode() in data
    assert b'"ceasn": "https://purl.org/ctdlasn/terms/"' in data  # the context is inline
