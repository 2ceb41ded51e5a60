"""Course standards laid out as colleges export them: cover pages, TOCs, running headers, approval pages,
objective matrices, tables broken across pages, hours in running text, majors named without a code."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from ingest.course_standard.hours_table import matched_hours
from ingest.course_standard.layout import strip_page_furniture
from ingest.course_standard.parser import looks_like_course_standard, parse_course_standard
from ingest.course_standard.records import CourseStandardDoc, Module
from ingest.course_standard.running_text import stated_credits, stated_hours
from ingest.course_standard.title import name_in_title
from ingest.policy.ingestor import detect_policy
from ingest.readers import read_blocks
from ingest.readers.blocks import Paragraph, TableBlock
from ingest.registry import choose_ingestor
from kg.core import iris
from kg.pipeline.run import ingest
from kg.store.home import Home
from tests.conftest import ROOT

STANDARDS = ROOT / "corpus" / "course_standards"
REAL_WORLD = STANDARDS / "real-world"
CASES = sorted(REAL_WORLD.glob("*.expected.json"))


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"corpus_{name}", STANDARDS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _source(expected_path: Path) -> Path:
    stem = expected_path.name.removesuffix(".expected.json")
    [source] = [p for p in REAL_WORLD.glob(f"{stem}.*") if p.suffix in (".docx", ".pdf")]
    return source


def _record(doc: CourseStandardDoc) -> dict:
    """What a parse found, in the terms of an .expected.json."""
    number = lambda value: None if value is None else str(value)  # noqa: E731
    return {
        "title": doc.title, "course_name": doc.course_name, "course_code": doc.course_code, "nature": doc.nature,
        "hours": number(doc.hours), "credits": number(doc.credits), "majors": [m.code for m in doc.majors],
        "major_names": [{"name": m.name, "category": m.category} for m in doc.major_names],
        "institution": doc.institution,
        "outcomes": {kind: sum(o.kind == kind for o in doc.outcomes) for kind in ("knowledge", "skill", "attitude")},
        "modules": {"count": len(doc.modules), "hours": number(sum(m.hours or 0 for m in doc.modules)),
                    "titles": [m.title for m in doc.modules]},
        "certificates": [{"name": c.name, "level": c.level, "modules": list(c.modules)} for c in doc.certificates],
        "competitions": [{"name": c.name} for c in doc.competitions],
    }


def test_the_real_world_corpus_has_at_least_four_exports_in_docx_and_pdf() -> None:
    assert len(CASES) >= 4
    assert {_source(case).suffix for case in CASES} == {".docx", ".pdf"}
    assert {p.stem for p in REAL_WORLD.iterdir() if p.suffix in (".docx", ".pdf")} == set(_module("real_world").LAYOUTS)


def test_build_writes_the_real_world_files_byte_for_byte(tmp_path: Path) -> None:
    written = _module("build").build(tmp_path)
    exports = [path for path in written if path.parent.name == "real-world"]
    assert len(exports) == len(CASES)
    for path in exports:
        assert path.read_bytes() == (REAL_WORLD / path.name).read_bytes(), f"{path.name} differs from the corpus"


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_each_export_is_a_course_standard_parsed_as_expected(expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    source = _source(expected_path)
    assert choose_ingestor(source).kind == "course-standard"
    assert detect_policy(source).startswith("it is a course standard")
    got = _record(parse_course_standard(source))
    assert got == {key: expected[key] for key in got}
    assert expected["modules"]["hours"] == expected["hours"]  # every module has its hours, and they add up


def test_the_exports_show_the_layouts_they_stand_for() -> None:
    """Guards the corpus itself: each file really has the furniture its tests are about."""
    blocks = {case.name.removesuffix(".expected.json"): read_blocks(_source(case)) for case in CASES}
    texts = {stem: [b.text for b in found if isinstance(b, Paragraph)] for stem, found in blocks.items()}
    assert any("……" in t and t.endswith("2") for t in texts["big-data-platform-ops"])  # a TOC with dot leaders
    assert sum(t == "XX信息职业技术学院  大数据平台部署与运维课程标准" for t in texts["big-data-platform-ops"]) >= 3
    tables = [b for b in blocks["big-data-platform-ops"] if isinstance(b, TableBlock) and b.rows[0][0] == "序号"]
    assert len(tables) == 2 and tables[0].rows[0] == tables[1].rows[0]  # broken by a page, header repeated
    split = [b for b in blocks["elderly-ability-assessment"] if isinstance(b, TableBlock)]
    assert split[1].rows[0][0] == "5"  # the continuation of the content table has no header row
    assert "课 程 标 准" in texts["ev-drive-motor"] and "课程代码：" not in texts["ev-drive-motor"]
    assert "续表" in texts["e-commerce-data-analysis"]


@pytest.mark.parametrize("stem", ["big-data-platform-ops", "ev-drive-motor", "e-commerce-data-analysis",
                                  "elderly-ability-assessment"])
def test_the_same_export_as_docx_and_as_pdf_gives_the_same_record(stem: str, tmp_path: Path) -> None:
    exports = _module("exports")
    blocks, _, header, footer = _module("real_world").LAYOUTS[stem]
    docx = parse_course_standard(exports.write_docx_export(blocks, tmp_path / f"{stem}.docx", header=header, footer=footer))
    pdf = parse_course_standard(exports.write_pdf_export(blocks, tmp_path / f"{stem}.pdf", header=header, footer=footer))
    word, paper = _record(docx), _record(pdf)
    # Word keeps its running header out of the body; a PDF prints it, and "XX健康职业学院  课程标准" names the college
    assert word.pop("institution") in (None, paper.pop("institution"))
    assert word == paper
    assert [(o.kind, o.text) for o in docx.outcomes] == [(o.kind, o.text) for o in pdf.outcomes]


def test_a_running_header_between_a_tables_halves_does_not_cut_the_content_table(tmp_path: Path) -> None:
    exports = _module("exports")
    blocks, _, header, footer = _module("real_world").LAYOUTS["big-data-platform-ops"]
    bare = parse_course_standard(exports.write_pdf_export(blocks, tmp_path / "bare.pdf"))
    furnished = parse_course_standard(exports.write_pdf_export(blocks, tmp_path / "full.pdf", header=header, footer=footer))
    assert len(furnished.modules) == len(bare.modules) == 6
    assert [m.hours for m in furnished.modules] == [Decimal(8), Decimal(16), *[Decimal(12)] * 4]


@pytest.mark.parametrize("text", [
    "一、课程性质……………………1", "二、课程目标..........2", "三、课程内容 · · · · · 12", "第四部分 考核评价———————5",
    "第 3 页 共 12 页", "- 3 -", "— 12 —", "3/12", "共12页 第3页", "续表", "续表2-1", "（续表）", "表3-1（续）",
])
def test_page_furniture_is_dropped(text: str) -> None:
    blocks = [Paragraph("《电工基础》课程标准", 1), Paragraph(text, 2), Paragraph("一、课程性质", 3)]
    assert [b.text for b in strip_page_furniture(blocks)] == ["《电工基础》课程标准", "一、课程性质"]


def test_toc_entries_after_a_contents_heading_go_and_the_text_stays() -> None:
    blocks = [Paragraph("目  录", 1), Paragraph("一、课程性质 1", 2), Paragraph("二、课程目标\t2", 3),
              Paragraph("一、课程性质", 4), Paragraph("本课程共64学时。", 5), Paragraph("共 3 页", 6)]
    assert [b.line for b in strip_page_furniture(blocks)] == [4, 5, 6]


def test_a_line_printed_three_times_goes_every_time_twice_only_the_second_time() -> None:
    header = "XX职业技术学院课程标准"
    blocks = [Paragraph(header, 1), Paragraph("甲", 2), Paragraph(header, 3), Paragraph("乙", 4), Paragraph(header, 5),
              Paragraph("知识目标", 6), Paragraph("知识目标", 7), Paragraph("丙丁", 8), Paragraph("丙丁", 9)]
    assert [b.line for b in strip_page_furniture(blocks)] == [2, 4, 6, 7, 8]  # a heading named twice stays


@pytest.mark.parametrize(("title", "name"), [
    ("《电工基础》课程标准", "电工基础"),
    ("电工基础课程标准", "电工基础"),
    ("电工基础 课程标准", "电工基础"),
    ("XX职业技术学院《电工基础》课程教学标准", "电工基础"),
    ("XX职业技术学院电工基础课程标准", "电工基础"),
    ("《电工基础》课程标准（2024版）", "电工基础"),
    ("《电工基础》课程标准审批表", "电工基础"),
    ("《电工基础》课程大纲", "电工基础"),
    ("XX健康职业学院  课程标准", None),
    ("课程标准", None),
    ("关于修订《电工基础》课程标准的通知", None),
    ("关于2024级课程标准修订工作的会议纪要", None),
])
def test_the_course_a_title_names(title: str, name: str | None) -> None:
    assert name_in_title(title) == name


@pytest.mark.parametrize(("text", "hours", "credits"), [
    ("本课程共64学时，4学分，其中理论24学时、实践40学时。", "64", "4"),
    ("本课程是专业核心课，3学分，48学时。", "48", "3"),
    ("总学时为72，学分为4。", "72", "4"),
    ("其中理论24学时、实践40学时，计3.5学分。", None, "3.5"),
    ("本课程设置6个学习项目，计56课时。", "56", None),
])
def test_hours_and_credits_in_running_text(text: str, hours: str | None, credits: str | None) -> None:
    blocks = [Paragraph(text, 1)]
    found_hours, found_credits = stated_hours(blocks), stated_credits(blocks)
    assert (str(found_hours.value) if found_hours else None, str(found_credits.value) if found_credits else None) == (
        hours, credits)


def _objectives(tmp_path: Path, table: list[list[str]]) -> list[tuple[str, str]]:
    from corpus.writers import write_docx_blocks

    blocks = [("title", "《电工基础》课程标准"), ("heading", 1, "一、课程目标"), ("table", table, [], {"header": True}),
              ("heading", 1, "二、课程内容"), ("para", "本课程共32学时。")]
    doc = parse_course_standard(write_docx_blocks(blocks, tmp_path / "objectives.docx"))
    return [(o.kind, o.text) for o in doc.outcomes]


def test_an_objectives_matrix_with_the_kinds_as_columns(tmp_path: Path) -> None:
    found = _objectives(tmp_path, [["知识目标", "能力目标", "素质目标"], ["1. 掌握欧姆定律", "1. 能使用万用表", "1. 安全意识"],
                                   ["2. 理解基尔霍夫定律", "2. 能安装照明电路", ""]])
    assert found == [("knowledge", "掌握欧姆定律"), ("knowledge", "理解基尔霍夫定律"), ("skill", "能使用万用表"),
                     ("skill", "能安装照明电路"), ("attitude", "安全意识")]


def test_an_objectives_matrix_with_the_kinds_as_rows(tmp_path: Path) -> None:
    found = _objectives(tmp_path, [["类别", "目标"], ["知识目标", "1. 掌握欧姆定律\n2. 理解基尔霍夫定律"],
                                   ["素质目标", "1. 安全意识"]])
    assert found == [("knowledge", "掌握欧姆定律"), ("knowledge", "理解基尔霍夫定律"), ("attitude", "安全意识")]


def test_module_hours_from_an_hours_table_by_title_or_else_by_position() -> None:
    modules = [Module(1, "电路认知", None, None, None, 3), Module(2, "照明电路安装", None, None, None, 4)]
    named = [Module(1, "照明电路安装", None, None, Decimal(20), 9), Module(2, "电路认知", None, None, Decimal(12), 10)]
    assert [m.hours for m in matched_hours(modules, named)] == [Decimal(12), Decimal(20)]
    other = [Module(1, "项目一", None, None, Decimal(10), 9), Module(2, "项目二", None, None, Decimal(22), 10)]
    assert [m.hours for m in matched_hours(modules, other)] == [Decimal(10), Decimal(22)]
    assert matched_hours(modules, other[:1]) is None


def test_a_blank_basic_information_field_is_no_value_and_the_running_text_fills_it() -> None:
    doc = parse_course_standard(REAL_WORLD / "ev-drive-motor.docx")
    assert doc.course_code is None and (doc.hours, doc.credits) == (Decimal(64), Decimal(4))
    assert not looks_like_course_standard([b for b in read_blocks(REAL_WORLD / "ev-drive-motor.docx")
                                           if isinstance(b, TableBlock)])  # the table alone is no course standard


@pytest.fixture(scope="module")
def layouts_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("layouts") / "home")
    report = ingest(home, [ROOT / "corpus" / "catalogues", REAL_WORLD])
    assert report.count("rejected") == 0, [f.reason for f in report.files if f.status == "rejected"]
    assert {f.kind for f in report.files if f.status == "added" and f.path.endswith((".docx", ".pdf"))} == {
        "course-standard"}
    return home


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_each_export_becomes_its_course_with_major_mentions(expected_path: Path, layouts_home: Home) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    slug = _source(expected_path).stem
    standard = f"https://w3id.org/vetgraph/id/course-standard/{slug}"
    course = f"{standard}/course"
    store = layouts_home.open_reader()
    [facts] = store.select(f"""SELECT ?name ?hours ?credits WHERE {{ <{course}> skos:prefLabel ?name ;
        vet:hours ?hours ; vet:credits ?credits }}""")
    assert (facts["name"], Decimal(facts["hours"]), Decimal(facts["credits"])) == (
        expected["course_name"], Decimal(expected["hours"]), Decimal(expected["credits"]))
    modules = store.select(f"SELECT ?m WHERE {{ <{course}> vet:hasModule ?m }}")
    assert len(modules) == expected["modules"]["count"]
    majors = {row["code"] for row in store.select(  # stated by code in the document's own graph, not linked by name
        f"""SELECT ?code WHERE {{ GRAPH ?g {{ <{course}> vet:forMajor ?m }} ?m skos:notation ?code
            FILTER(!STRSTARTS(STR(?g), "{iris.DERIVED_GRAPHS}")) }}""")}
    assert majors == set(expected["majors"])
    named = {row["term"] for row in store.select(f"""SELECT ?term WHERE {{ ?m a vet:Mention ; vet:mentionKind "major" ;
        vet:mentionedIn <{standard}> ; vet:matchedTerm ?term }}""")}
    assert named == {m["name"] for m in expected["major_names"]}
    stated = {(row["certificate"], row["level"]) for row in store.select(f"""SELECT ?certificate ?level WHERE {{
        ?a vet:alignmentSource <{course}> ; vet:method "stated" ; vet:alignmentTarget ?t .
        ?t vet:levelName ?level . ?c vet:hasLevel ?t ; skos:prefLabel ?certificate }}""")}
    assert stated == {(c["name"], c["level"]) for c in expected["certificates"]}
    based_on = store.select(f"SELECT ?s WHERE {{ <{course}> vet:basedOn ?s }}")
    assert bool(based_on) == expected["based_on_teaching_standard_course"]


def test_the_exports_validate_and_no_policy_document_came_of_them(layouts_home: Home) -> None:
    from kg.validate.shacl import validate_store

    store = layouts_home.open_reader()
    assert validate_store(store) == []
    assert store.select("SELECT ?d WHERE { ?d a vet:PolicyDocument }") == []


def test_records_keep_major_names_apart_from_codes() -> None:
    doc = parse_course_standard(REAL_WORLD / "e-commerce-data-analysis.docx")
    assert doc.majors == [] and [dataclasses.astuple(m)[:2] for m in doc.major_names] == [("电子商务类", True)]
    assert any("电子商务类" in w.reason and w.kept for w in doc.warnings)
