"""The ontology and its SHACL shapes: every term documented, and the shapes accept good data and reject broken data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from kg.core import terms

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
VET = Namespace(terms.VET)
ELI = Namespace(terms.ELI)
PROV = Namespace(terms.PROV)
SCHEMA = Namespace(terms.SCHEMA)
CEASN = Namespace(terms.CEASN)
ID = Namespace(terms.DATA)
XSD = Namespace(terms.XSD)  # rdflib's XSD object warns when pytest probes module attributes

CLASSES = [
    "Industry", "Occupation", "OccupationGroup", "Major", "MajorCategory", "TeachingStandard",
    "Course", "CourseStandard", "CourseModule", "LearningOutcome", "Certificate", "CertificateLevel",
    "Competition", "Organization", "Institution", "PolicyDocument", "Provision", "Target", "Mention",
    "Alignment", "LegalStatus", "SourceFile", "IngestRun", "Rejection",
]

PROPERTIES = [
    # policy documents and provisions
    "legalStatus", "adoptionHistory", "inDocument", "provisionKind", "order", "heading", "text",
    "lineStart", "lineEnd",
    # targets and mentions
    "statedIn", "targetKind", "targetValue", "targetValueMax", "unit", "comparator", "comparatorText",
    "targetYear", "metric", "spanText", "spanStart", "spanEnd", "mentionedIn", "mentionKind",
    "matchedTerm", "refersTo",
    # provenance
    "path", "sha256", "sourceKind", "parserVersion", "ingestedAt", "tripleCount", "rejectedCount",
    "graph", "documentNode", "rejection", "line", "reason", "command",
    # catalogues, certificates, standards, courses
    "level", "industryLevel", "greenMarker", "digitalMarker", "inCatalogue2021", "laterAddition",
    "parseQuality", "hasLevel", "levelName", "issuedBy", "batch", "forMajor", "hasCourse", "position",
    "preparesFor", "derived", "describes", "basedOn", "offeredBy", "hours", "credits", "courseNature",
    "outcomeKind", "hasOutcome", "hasModule", "tasks", "requirements",
    # alignments
    "alignmentSource", "alignmentTarget", "score", "method", "evidence", "reviewStatus", "alignmentKind",
]

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "vetgraph.ttl", format="turtle")


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


def _in_vet(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(terms.VET)


# --------------------------------------------------------------------------- ontology


def test_ontology_header(ontology: Graph) -> None:
    header = URIRef(terms.VET.rstrip("#"))
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert (header, OWL.versionInfo, Literal("0.1.0")) in ontology
    title_langs = {t.language for t in ontology.objects(header, DCTERMS.title)}
    assert {"zh", "en"} <= title_langs
    assert ontology.value(header, DCTERMS.description) is not None


def test_every_vet_term_has_labels_and_definitions(ontology: Graph) -> None:
    declared = {s for t in TERM_TYPES for s in ontology.subjects(RDF.type, t) if _in_vet(s)}
    described = {s for s in ontology.subjects() if _in_vet(s)}
    assert len(declared) >= len(CLASSES) + len(PROPERTIES)
    missing = []
    for term in sorted(declared | described):
        for prop in (RDFS.label, SKOS.definition):
            langs = {o.language for o in ontology.objects(term, prop) if isinstance(o, Literal)}
            for lang in ("zh", "en"):
                if lang not in langs:
                    missing.append(f"{term} lacks {ontology.qname(prop)}@{lang}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("name", CLASSES)
def test_class_is_declared(ontology: Graph, name: str) -> None:
    assert (VET[name], RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize("name", PROPERTIES)
def test_property_is_declared(ontology: Graph, name: str) -> None:
    types = set(ontology.objects(VET[name], RDF.type))
    assert types & {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}, f"vet:{name} undeclared"


@pytest.mark.parametrize(
    ("term", "relation", "standard"),
    [
        (VET.PolicyDocument, RDFS.subClassOf, ELI.LegalResource),
        (VET.Provision, RDFS.subClassOf, ELI.LegalResourceSubdivision),
        (VET.Industry, RDFS.subClassOf, SKOS.Concept),
        (VET.Occupation, RDFS.subClassOf, SCHEMA.Occupation),
        (VET.Major, RDFS.subClassOf, SCHEMA.EducationalOccupationalProgram),
        (VET.Course, RDFS.subClassOf, SCHEMA.Course),
        (VET.Certificate, RDFS.subClassOf, SCHEMA.EducationalOccupationalCredential),
        (VET.Organization, RDFS.subClassOf, SCHEMA.Organization),
        (VET.Institution, RDFS.subClassOf, VET.Organization),
        (VET.LearningOutcome, RDFS.subClassOf, CEASN.Competency),
        (VET.LegalStatus, RDFS.subClassOf, SKOS.Concept),
        (VET.SourceFile, RDFS.subClassOf, PROV.Entity),
        (VET.IngestRun, RDFS.subClassOf, PROV.Activity),
        (VET.inDocument, RDFS.subPropertyOf, DCTERMS.isPartOf),
        (VET.ingestedAt, RDFS.subPropertyOf, PROV.generatedAtTime),
    ],
)
def test_term_specialises_standard_vocabulary(ontology: Graph, term: URIRef, relation: URIRef, standard: URIRef) -> None:
    assert (term, relation, standard) in ontology


@pytest.mark.parametrize(
    ("prop", "range_"),
    [
        (VET.legalStatus, VET.LegalStatus),
        (VET.inDocument, VET.PolicyDocument),
        (VET.statedIn, VET.Provision),
        (VET.order, XSD.integer),
        (VET.text, RDF.langString),
        (VET.heading, RDF.langString),
        (VET.targetValue, XSD.decimal),
        (VET.targetYear, XSD.gYear),
        (VET.ingestedAt, XSD.dateTime),
        (VET.greenMarker, XSD.boolean),
        (VET.score, XSD.decimal),
        (VET.hasLevel, VET.CertificateLevel),
    ],
)
def test_property_range(ontology: Graph, prop: URIRef, range_: URIRef) -> None:
    assert (prop, RDFS.range, range_) in ontology


@pytest.mark.parametrize(
    ("status", "zh"),
    [
        (VET.StatusInForce, "现行有效"),
        (VET.StatusDraft, "草案（征求意见稿）"),
        (VET.StatusSuperseded, "已被修订或废止"),
    ],
)
def test_legal_status_concepts(ontology: Graph, status: URIRef, zh: str) -> None:
    assert (status, RDF.type, VET.LegalStatus) in ontology
    assert (status, SKOS.inScheme, VET.LegalStatusScheme) in ontology
    assert (VET.LegalStatusScheme, RDF.type, SKOS.ConceptScheme) in ontology
    assert (status, SKOS.prefLabel, Literal(zh, lang="zh")) in ontology
    assert any(label.language == "en" for label in ontology.objects(status, SKOS.prefLabel))


# --------------------------------------------------------------------------- shapes


def test_every_class_has_a_node_shape(ontology: Graph, shapes: Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetClass))
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if _in_vet(c)}
    assert classes - targeted == set()


def test_shapes_use_no_sparql_constraints(shapes: Graph) -> None:
    assert not list(shapes.triples((None, SH.sparql, None)))
    assert not list(shapes.subjects(RDF.type, SH.SPARQLConstraint))


def test_every_property_shape_has_a_message(shapes: Graph) -> None:
    silent = [ps for ps in shapes.objects(None, SH.property) if shapes.value(ps, SH.message) is None]
    assert not silent, f"{len(silent)} property shapes lack sh:message"


def test_vet_terms_used_in_shapes_are_declared(ontology: Graph, shapes: Graph) -> None:
    used = {t for triple in shapes for t in triple if _in_vet(t)}
    undeclared = sorted(t for t in used if ontology.value(t, RDF.type) is None)
    assert used and not undeclared, f"used in shapes.ttl but not declared: {undeclared}"


# --------------------------------------------------------------------------- validation

POLICY_TTL = """
@base <https://w3id.org/vetgraph/id/> .
@prefix vet: <https://w3id.org/vetgraph/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<policy/demo> a vet:PolicyDocument , eli:LegalResource ;
    eli:title "关于推动现代职业教育高质量发展的实施意见（征求意见稿）"@zh ;
    rdfs:label "关于推动现代职业教育高质量发展的实施意见（征求意见稿）"@zh ;
    vet:legalStatus vet:StatusDraft ;
    eli:in_force eli:InForce-notInForce ;
    eli:date_document "2022-05-01"^^xsd:date ;
    vet:adoptionHistory "2022年5月1日印发" ;
    dcterms:identifier "demo" ;
    prov:wasDerivedFrom <source/abc> .

<policy/demo/point-1> a vet:Provision , eli:LegalResourceSubdivision ;
    eli:is_part_of <policy/demo> ;
    vet:inDocument <policy/demo> ;
    eli:number "（一）" ;
    vet:provisionKind "point" ;
    vet:order 1 ;
    vet:heading "总体目标"@zh ;
    vet:text "（一）总体目标。\\n1. 到2025年，“双师型”教师比例达到70%以上。"@zh ;
    vet:lineStart 5 ;
    vet:lineEnd 6 ;
    prov:wasDerivedFrom <source/abc> .

<policy/demo/point-1/item-1> a vet:Provision , eli:LegalResourceSubdivision ;
    eli:is_part_of <policy/demo/point-1> ;
    vet:inDocument <policy/demo> ;
    eli:number "1." ;
    vet:provisionKind "item" ;
    vet:order 1 ;
    vet:text "1. 到2025年，“双师型”教师比例达到70%以上。"@zh ;
    vet:lineStart 6 ;
    vet:lineEnd 6 ;
    prov:wasDerivedFrom <source/abc> .

<policy/demo/point-1/item-1/target-1> a vet:Target ;
    vet:statedIn <policy/demo/point-1/item-1> ;
    vet:targetKind "quantity" ;
    vet:targetValue 70.0 ;
    vet:unit "%" ;
    vet:comparator "at_least" ;
    vet:comparatorText "达到…以上" ;
    vet:targetYear "2025"^^xsd:gYear ;
    vet:metric "“双师型”教师比例"@zh ;
    vet:spanText "达到70%以上" ;
    vet:spanStart 19 ;
    vet:spanEnd 26 ;
    prov:wasDerivedFrom <source/abc> .

<policy/demo/point-1/item-1/mention-1> a vet:Mention ;
    vet:mentionedIn <policy/demo/point-1/item-1> ;
    vet:mentionKind "initiative" ;
    vet:matchedTerm "双师型教师" ;
    vet:spanText "“双师型”教师" ;
    vet:spanStart 10 ;
    vet:spanEnd 17 .

<source/abc> a vet:SourceFile ;
    vet:path "/data/policy/demo.txt" ;
    vet:sha256 "63c5338d7d9bffda63c5338d7d9bffda63c5338d7d9bffda63c5338d7d9bffda" ;
    vet:sourceKind "policy" ;
    vet:parserVersion "0.1.0" ;
    vet:ingestedAt "2025-01-01T08:00:00+08:00"^^xsd:dateTime ;
    vet:tripleCount 60 ;
    vet:rejectedCount 1 ;
    vet:graph <https://w3id.org/vetgraph/graph/abc> ;
    vet:documentNode <policy/demo> ;
    vet:rejection <source/abc/rejection-1> ;
    prov:wasGeneratedBy <run/1> .

<source/abc/rejection-1> a vet:Rejection ;
    vet:line 3 ;
    vet:reason "unnumbered line outside any provision" .

<run/1> a vet:IngestRun ;
    prov:startedAtTime "2025-01-01T08:00:00+08:00"^^xsd:dateTime ;
    prov:endedAtTime "2025-01-01T08:00:02+08:00"^^xsd:dateTime ;
    vet:command "vetgraph ingest demo.txt" .
"""

CATALOGUE_TTL = """
@prefix vet: <https://w3id.org/vetgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix id: <https://w3id.org/vetgraph/id/> .

id:major-category-51 a vet:MajorCategory ; skos:prefLabel "电子与信息大类"@zh ; skos:notation "51" .
id:major-category-5102 a vet:MajorCategory ; skos:prefLabel "计算机类"@zh ; skos:notation "5102" ;
    skos:broader id:major-category-51 .
id:major-510201 a vet:Major ; skos:prefLabel "计算机应用技术"@zh ; skos:notation "510201" ;
    skos:broader id:major-category-5102 ; vet:level "高职专科" ; vet:inCatalogue2021 true ;
    vet:preparesFor id:occupation-4-04-05-01 , id:occupation-group-4-04-05 .
id:occupation-group-4-04-05 a vet:OccupationGroup ; skos:prefLabel "计算机和办公设备维修人员"@zh ;
    skos:notation "4-04-05" .
id:occupation-4-04-05-01 a vet:Occupation ; skos:prefLabel "计算机维修工"@zh ; skos:notation "4-04-05-01" ;
    skos:broader id:occupation-group-4-04-05 ; vet:digitalMarker false .
id:cert-web a vet:Certificate ; skos:prefLabel "Web前端开发职业技能等级证书"@zh ; vet:batch 1 ;
    vet:hasLevel id:cert-web-junior ; vet:issuedBy id:org-miit .
id:cert-web-junior a vet:CertificateLevel ; vet:levelName "初级" .
id:org-miit a vet:Organization ; skos:prefLabel "工业和信息化部教育与考试中心"@zh .
"""

DOC = ID["policy/demo"]
POINT = ID["policy/demo/point-1"]
ITEM = ID["policy/demo/point-1/item-1"]
TARGET = ID["policy/demo/point-1/item-1/target-1"]
MENTION = ID["policy/demo/point-1/item-1/mention-1"]
MAJOR = ID["major-510201"]


def _validate(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, Graph, str]:
    conforms, results, text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none"
    )
    return conforms, results, text


def _violations(results: Graph) -> set[tuple[URIRef, URIRef]]:
    return {
        (results.value(r, SH.focusNode), results.value(r, SH.resultPath))
        for r in results.subjects(RDF.type, SH.ValidationResult)
    }


def _set(node: URIRef, prop: URIRef, value: object) -> Callable[[Graph], None]:
    return lambda g: g.set((node, prop, value))


def _remove(node: URIRef, prop: URIRef) -> Callable[[Graph], None]:
    return lambda g: g.remove((node, prop, None))


def _add(node: URIRef, prop: URIRef, value: object) -> Callable[[Graph], None]:
    return lambda g: g.add((node, prop, value))


@pytest.fixture
def policy_graph() -> Graph:
    return Graph().parse(data=POLICY_TTL, format="turtle")


@pytest.fixture
def catalogue_graph() -> Graph:
    return Graph().parse(data=CATALOGUE_TTL, format="turtle")


def test_sample_offsets_index_the_provision_text(policy_graph: Graph) -> None:
    text = str(policy_graph.value(ITEM, VET.text))
    for node in (TARGET, MENTION):
        start = int(policy_graph.value(node, VET.spanStart))
        end = int(policy_graph.value(node, VET.spanEnd))
        assert text[start:end] == str(policy_graph.value(node, VET.spanText))


def test_policy_sample_conforms(policy_graph: Graph, shapes: Graph, ontology: Graph) -> None:
    conforms, _, text = _validate(policy_graph, shapes, ontology)
    assert conforms, text


@pytest.mark.parametrize("inference", ["rdfs", "without ontology"])
def test_policy_sample_conforms_under_other_settings(
    inference: str, policy_graph: Graph, shapes: Graph, ontology: Graph
) -> None:
    """Correct data stays valid whether or not the ontology is mixed in or RDFS-entailed."""
    if inference == "without ontology":
        conforms, _, text = pyshacl.validate(policy_graph, shacl_graph=shapes, inference="none")
    else:
        conforms, _, text = pyshacl.validate(policy_graph, shacl_graph=shapes, ont_graph=ontology, inference=inference)
    assert conforms, text


def test_catalogue_sample_conforms(catalogue_graph: Graph, shapes: Graph, ontology: Graph) -> None:
    conforms, _, text = _validate(catalogue_graph, shapes, ontology)
    assert conforms, text


def test_enumerations_accept_explicit_xsd_string(policy_graph: Graph, shapes: Graph, ontology: Graph) -> None:
    """Oxigraph hands back "article"^^xsd:string; rdflib keeps it distinct from "article"."""
    policy_graph.set((ITEM, VET.provisionKind, Literal("item", datatype=XSD.string)))
    policy_graph.set((TARGET, VET.targetKind, Literal("quantity", datatype=XSD.string)))
    conforms, _, text = _validate(policy_graph, shapes, ontology)
    assert conforms, text


def test_free_text_may_be_tagged_chinese(policy_graph: Graph, shapes: Graph, ontology: Graph) -> None:
    """Spans, matched terms, comparator text and adoption lines are accepted plain or as @zh."""
    for node, prop in ((TARGET, VET.spanText), (TARGET, VET.comparatorText), (MENTION, VET.spanText),
                       (MENTION, VET.matchedTerm), (DOC, VET.adoptionHistory)):
        policy_graph.set((node, prop, Literal(str(policy_graph.value(node, prop)), lang="zh")))
    conforms, _, text = _validate(policy_graph, shapes, ontology)
    assert conforms, text


BROKEN_POLICY = {
    "provision without eli:is_part_of": (_remove(ITEM, ELI.is_part_of), ITEM, ELI.is_part_of),
    "provision with two vet:text": (_add(ITEM, VET.text, Literal("1. 另一段。", lang="zh")), ITEM, VET.text),
    "document with eli:is_part_of": (_add(DOC, ELI.is_part_of, POINT), DOC, ELI.is_part_of),
    "target with non-decimal value": (_set(TARGET, VET.targetValue, Literal("七十")), TARGET, VET.targetValue),
    "unknown provisionKind": (_set(POINT, VET.provisionKind, Literal("paragraph")), POINT, VET.provisionKind),
    "provision text without language tag": (_set(POINT, VET.text, Literal("（一）总体目标。")), POINT, VET.text),
    "provision part of a literal": (_set(ITEM, ELI.is_part_of, Literal("point-1")), ITEM, ELI.is_part_of),
    "inDocument pointing to a provision": (_set(ITEM, VET.inDocument, POINT), ITEM, VET.inDocument),
    "provision without vet:order": (_remove(POINT, VET.order), POINT, VET.order),
    "provision line zero": (_set(POINT, VET.lineStart, Literal(0)), POINT, VET.lineStart),
    "document without legal status": (_remove(DOC, VET.legalStatus), DOC, VET.legalStatus),
    "document with unknown legal status": (_set(DOC, VET.legalStatus, VET.StatusRepealed), DOC, VET.legalStatus),
    "document with two titles": (_add(DOC, ELI.title, Literal("另一个标题", lang="zh")), DOC, ELI.title),
    "document without identifier": (_remove(DOC, DCTERMS.identifier), DOC, DCTERMS.identifier),
    "document without source": (_remove(DOC, PROV.wasDerivedFrom), DOC, PROV.wasDerivedFrom),
    "document date not a date": (_set(DOC, ELI.date_document, Literal("2022年5月")), DOC, ELI.date_document),
    "document not an eli:LegalResource": (lambda g: g.remove((DOC, RDF.type, ELI.LegalResource)), DOC, RDF.type),
    "target with unknown kind": (_set(TARGET, VET.targetKind, Literal("ratio")), TARGET, VET.targetKind),
    "target with unknown comparator": (_set(TARGET, VET.comparator, Literal(">=")), TARGET, VET.comparator),
    "target year as integer": (_set(TARGET, VET.targetYear, Literal(2025)), TARGET, VET.targetYear),
    "target without unit": (_remove(TARGET, VET.unit), TARGET, VET.unit),
    "target stated in a document": (_set(TARGET, VET.statedIn, DOC), TARGET, VET.statedIn),
    "target span reversed": (_set(TARGET, VET.spanStart, Literal(30)), TARGET, VET.spanStart),
    "mention with unknown kind": (_set(MENTION, VET.mentionKind, Literal("person")), MENTION, VET.mentionKind),
    "mention without matched term": (_remove(MENTION, VET.matchedTerm), MENTION, VET.matchedTerm),
    "mention span as an IRI": (_set(MENTION, VET.spanText, ITEM), MENTION, VET.spanText),
    "mention with two spans": (_add(MENTION, VET.spanText, Literal("双师型", lang="zh")), MENTION, VET.spanText),
    "target value as a plain string": (_set(TARGET, VET.targetValue, Literal("70")), TARGET, VET.targetValue),
}


@pytest.mark.parametrize("name", sorted(BROKEN_POLICY))
def test_broken_policy_data_fails(
    name: str, policy_graph: Graph, shapes: Graph, ontology: Graph
) -> None:
    break_it, focus, path = BROKEN_POLICY[name]
    break_it(policy_graph)
    conforms, results, _ = _validate(policy_graph, shapes, ontology)
    assert not conforms
    assert (focus, path) in _violations(results)


BROKEN_CATALOGUE = {
    "major with English label": (_set(MAJOR, SKOS.prefLabel, Literal("Computer applications", lang="en")), MAJOR, SKOS.prefLabel),
    "major without code": (_remove(MAJOR, SKOS.notation), MAJOR, SKOS.notation),
    "major broader than an occupation": (_set(MAJOR, SKOS.broader, ID["occupation-4-04-05-01"]), MAJOR, SKOS.broader),
    "major prepares for a literal": (_add(MAJOR, VET.preparesFor, Literal("4-04-05-01")), MAJOR, VET.preparesFor),
    "occupation broader than a major": (
        _set(ID["occupation-4-04-05-01"], SKOS.broader, MAJOR), ID["occupation-4-04-05-01"], SKOS.broader,
    ),
    "certificate level not a level": (_add(ID["cert-web"], VET.hasLevel, ID["org-miit"]), ID["cert-web"], VET.hasLevel),
    "certificate level with unknown name": (
        _set(ID["cert-web-junior"], VET.levelName, Literal("特级")), ID["cert-web-junior"], VET.levelName,
    ),
    "organization without a name": (_remove(ID["org-miit"], SKOS.prefLabel), ID["org-miit"], SKOS.prefLabel),
}


@pytest.mark.parametrize("name", sorted(BROKEN_CATALOGUE))
def test_broken_catalogue_data_fails(
    name: str, catalogue_graph: Graph, shapes: Graph, ontology: Graph
) -> None:
    break_it, focus, path = BROKEN_CATALOGUE[name]
    break_it(catalogue_graph)
    conforms, results, _ = _validate(catalogue_graph, shapes, ontology)
    assert not conforms
    assert (focus, path) in _violations(results)
