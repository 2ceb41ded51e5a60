"""Course standards in the graph: the corpus against its expectations, docx = pdf, stated links, bad input."""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from corpus.writers import write_docx_blocks, write_pdf_blocks
from ingest.course_standard.ingestor import INGESTOR
from ingest.course_standard.records import CertificateStatement, CompetitionStatement, CourseStandardDoc
from ingest.course_standard.triples import course_standard_to_triples
from ingest.registry import choose_ingestor
from kg.core import iris
from kg.pipeline.run import ingest
from kg.store.home import Home
from tests.conftest import ROOT

CORPUS = ROOT / "corpus"
STANDARDS = sorted((CORPUS / "course_standards").glob("*.expected.json"))
SOURCE = NamedNode("https://w3id.org/vetgraph/source/test")
IGNORED = {"http://www.w3.org/ns/prov#wasDerivedFrom", "https://w3id.org/vetgraph/ontology#line"}


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The demo catalogues and the course standards, ingested once for this module."""
    home = Home(tmp_path_factory.mktemp("courses") / "home")
    report = ingest(home, [CORPUS / "catalogues", CORPUS / "course_standards"])
    assert report.count("rejected") == 0, [f.reason for f in report.files if f.status == "rejected"]
    home.report = report  # type: ignore[attr-defined]
    return home


def _document(path: Path) -> Path:
    stem = path.name.removesuffix(".expected.json")
    return next(p for p in path.parent.iterdir() if p.stem == stem and not p.name.endswith(".json"))


def test_there_are_at_least_six_corpus_standards_in_four_formats() -> None:
    suffixes = {_document(p).suffix for p in STANDARDS}
    assert len(STANDARDS) >= 6 and suffixes >= {".docx", ".pdf", ".md", ".txt"}


@pytest.mark.parametrize("expected_path", STANDARDS, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_each_corpus_standard_becomes_the_expected_course(expected_path: Path, corpus_home: Home) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    document = _document(expected_path)
    assert choose_ingestor(document).kind == "course-standard"
    store = corpus_home.open_reader()
    slug = document.stem
    course = f"https://w3id.org/vetgraph/id/course-standard/{slug}/course"
    facts = store.select(f"""SELECT ?name ?hours ?credits WHERE {{
        <{course}> a vet:Course ; skos:prefLabel ?name .
        OPTIONAL {{ <{course}> vet:hours ?hours }} OPTIONAL {{ <{course}> vet:credits ?credits }} }}""")
    assert len(facts) == 1
    assert facts[0]["name"] == expected["course_name"]
    assert Decimal(facts[0]["hours"]) == Decimal(expected["hours"])
    assert Decimal(facts[0]["credits"]) == Decimal(expected["credits"])
    kinds = {row["kind"]: int(row["n"]) for row in store.select(f"""SELECT ?kind (COUNT(?o) AS ?n) WHERE {{
        <{course}> vet:hasOutcome ?o . ?o vet:outcomeKind ?kind }} GROUP BY ?kind""")}
    assert kinds == {k: v for k, v in expected["outcomes"].items() if v}
    modules = store.select(f"""SELECT ?position ?title ?hours WHERE {{
        <{course}> vet:hasModule ?m . ?m vet:position ?position ; skos:prefLabel ?title ; vet:hours ?hours }}
        ORDER BY ?position""")
    assert [m["title"] for m in modules] == expected["modules"]["titles"]
    assert sum(Decimal(m["hours"]) for m in modules) == Decimal(expected["modules"]["hours"]) == Decimal(expected["hours"])
    majors = {row["code"] for row in store.select(
        f"SELECT ?code WHERE {{ <{course}> vet:forMajor ?m . ?m skos:notation ?code }}")}
    assert majors == set(expected["majors"])
    links = store.select(f"""SELECT ?certificate ?level (GROUP_CONCAT(STR(?position); separator=",") AS ?modules) WHERE {{
        ?a vet:alignmentSource <{course}> ; vet:method "stated" ; vet:alignmentTarget ?t .
        {{ ?t vet:levelName ?level . ?c vet:hasLevel ?t ; skos:prefLabel ?certificate }}
        UNION {{ ?t a vet:Certificate ; skos:prefLabel ?certificate }}
        OPTIONAL {{ ?a vet:evidence ?m . ?m a vet:CourseModule ; vet:position ?position }}
      }} GROUP BY ?certificate ?level""")
    found = {(row["certificate"], row.get("level"), tuple(sorted(int(p) for p in row.get("modules", "").split(",") if p)))
             for row in links}
    assert found == {(c["name"], c["level"], tuple(sorted(c["modules"]))) for c in expected["certificates"]}
    competitions = {row["name"] for row in store.select(f"""SELECT ?name WHERE {{
        ?a vet:alignmentSource <{course}> ; vet:alignmentTarget ?t . ?t a vet:Competition ; skos:prefLabel ?name }}""")}
    assert competitions == {c["name"] for c in expected["competitions"]}
    based_on = store.select(f"SELECT ?s WHERE {{ <{course}> vet:basedOn ?s . ?s vet:position ?p }}")
    assert bool(based_on) == expected["based_on_teaching_standard_course"]


def test_the_corpus_with_its_catalogues_validates(corpus_home: Home) -> None:
    from kg.validate.shacl import validate_store

    assert validate_store(corpus_home.open_reader()) == []


def _course_subgraph(path: Path) -> set[str]:
    result = INGESTOR.parse(path, SOURCE)
    return {f"{s} {p} {o}" for s, p, o in result.triples if p.value not in IGNORED}


def test_the_same_standard_as_docx_and_pdf_gives_isomorphic_course_subgraphs(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "course_standards" / "build.py")
    build = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(build)  # type: ignore[union-attr]
    blocks = build.SOURCES["new-energy-vehicle-battery"]
    (tmp_path / "docx").mkdir()
    (tmp_path / "pdf").mkdir()
    as_docx = write_docx_blocks(blocks, tmp_path / "docx" / "battery.docx")
    as_pdf = write_pdf_blocks(blocks, tmp_path / "pdf" / "battery.pdf")
    docx_graph, pdf_graph = _course_subgraph(as_docx), _course_subgraph(as_pdf)
    assert len(docx_graph) > 100
    assert docx_graph == pdf_graph


def test_module_hours_that_do_not_add_up_are_a_warning(tmp_path: Path) -> None:
    text = (CORPUS / "course_standards" / "e-commerce-live-streaming.md").read_text(encoding="utf-8")
    broken = tmp_path / "broken-hours.md"
    broken.write_text(text.replace("48", "50", 1), encoding="utf-8")
    report = ingest(Home(tmp_path / "home"), [broken])
    outcome = report.files[0]
    assert outcome.status == "added" and outcome.kind == "course-standard"
    warnings = [r for r in outcome.rejections if "module hours add up to 48" in r.reason]
    assert len(warnings) == 1 and warnings[0].kept and "50" in warnings[0].reason and warnings[0].line


def test_an_unknown_certificate_stays_a_mention_and_is_reported(tmp_path: Path) -> None:
    text = (CORPUS / "course_standards" / "e-commerce-live-streaming.md").read_text(encoding="utf-8")
    assert "网店运营推广" in text
    changed = tmp_path / "unknown-certificate.md"
    changed.write_text(text.replace("网店运营推广", "元宇宙直播运营"), encoding="utf-8")
    report = ingest(Home(tmp_path / "home"), [CORPUS / "catalogues" / "certificates.csv", changed])
    assert any("元宇宙直播运营" in note and "kept as a mention" in note for note in report.notes)
    store = Home(tmp_path / "home").open_reader()
    mention = store.select("""SELECT ?m WHERE { ?m a vet:Mention ; vet:mentionKind "certificate" ;
        vet:matchedTerm ?t FILTER(CONTAINS(STR(?t), "元宇宙直播运营")) FILTER NOT EXISTS { ?m vet:refersTo ?x } }""")
    assert len(mention) == 1


@pytest.mark.parametrize(("name", "content", "message"), [
    ("no-basic-info.md", "# 课程标准\n\n## 一、课程目标\n\n1. 掌握电池结构。\n", "no basic information"),
    ("corrupt.docx", "PK\x03\x04 not really a zip", "corrupt"),
])
def test_bad_course_standards_are_refused_with_a_clear_message(name: str, content: str, message: str,
                                                               tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    report = ingest(Home(tmp_path / "home"), [path], kind="course-standard")
    outcome = report.files[0]
    assert outcome.status == "rejected" and name in outcome.reason and message in outcome.reason.lower()


def test_two_spellings_of_one_certificate_or_event_are_two_stated_links() -> None:
    """Occurrences count on the normalised name the IRIs hash, so 1+X and 1＋Ｘ never share one node."""
    doc = CourseStandardDoc(
        slug="battery", title="《动力电池》课程标准", course_name="动力电池", course_code=None, nature=None,
        hours=None, credits=None, majors=[], institution=None, description=None, outcomes=[], modules=[],
        certificates=[CertificateStatement("智能新能源汽车", "中级", (), "智能新能源汽车（中级）", 3),
                      CertificateStatement("智能新能源汽车 ", "中级", (), "智能新能源汽车 （中级）", 4)],
        competitions=[CompetitionStatement("新能源汽车检测与维修", None, (), "新能源汽车检测与维修赛项", 5),
                      CompetitionStatement("新能源汽车检测与维修 ", None, (), "新能源汽车检测与维修 赛项", 6)],
        basic_info_line=1, source_format="md")
    standard = iris.course_standard("battery")
    course = iris.college_course(standard)
    subjects = {s for s, _, _ in course_standard_to_triples(doc, SOURCE)}
    assert {iris.certificate_statement(standard, "智能新能源汽车", "中级", n) for n in (1, 2)} <= subjects
    assert {iris.competition_alignment(course, "新能源汽车检测与维修", n) for n in (1, 2)} <= subjects
