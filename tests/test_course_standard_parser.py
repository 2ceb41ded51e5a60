"""Course-standard parser: basic information, outcomes, modules, 岗课赛证 links, detection and errors."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.writers import write_blank_pdf, write_docx_blocks, write_pdf_blocks
from ingest.course_standard.basic_info import BasicInfo, line_pairs
from ingest.course_standard.fields import credits_value, hours_value, institution_of, majors_of
from ingest.course_standard.mentions import certificate_mentions, competition_mentions
from ingest.course_standard.parser import looks_like_course_standard, parse_course_standard
from ingest.course_standard.records import CertificateStatement, CourseStandardDoc, MajorRef
from ingest.readers import read_blocks
from ingest.readers.blocks import TableBlock
from kg.errors import SourceError
from tests.conftest import ROOT, require_shared

CORPUS = ROOT / "corpus" / "course_standards"
STANDARD = [
    ("title", "XX职业技术学院《新能源汽车动力电池技术》课程标准"),
    ("heading", 1, "一、课程基本信息"),
    ("table", [
        ["课程名称：", "新能源汽车动力电池技术", "课程代码", "QC2301"],
        ["课程性质", "专业核心课", "学分", "4.0"],
        ["总学时", "64（理论24，实践40）", "开设学期", "第3学期"],
        ["适用专业", "新能源汽车技术（460702）、汽车检测与维修技术（500211）", "", ""],
    ], [((3, 1), (3, 3))]),
    ("heading", 1, "二、课程性质与任务"),
    ("para", "本课程是新能源汽车技术专业的专业核心课程。"),
    ("para", "本课程培养学生检测和维护动力电池的能力。"),
    ("heading", 1, "三、课程目标"),
    ("para", "通过本课程的学习，学生能够完成动力电池的检测与维护工作。"),
    ("heading", 2, "（一）知识目标"),
    ("para", "1. 掌握动力电池的结构和类型。"),
    ("para", "2. 理解电池管理系统的工作原理。"),
    ("para", "3. 熟悉热管理系统的类型。"),
    ("para", "能力目标：能检测电池单体电压；能读取电池管理系统数据流；能更换电池模组。"),
    ("heading", 2, "（三）素质目标"),
    ("para", "（1）具有高压安全意识。"),
    ("para", "（2）具有团队协作精神。"),
    ("heading", 1, "四、课程内容与学时分配"),
    ("table", [
        ["参考学时", "知识与技能要求", "学习项目", "学习任务", "序号"],
        ["16", "掌握电池结构与类型", "项目一 动力电池认知", "任务1 认识电池类型\n任务2 高压安全防护", "1"],
        ["24", "能检测电池管理系统", "项目二 电池管理系统检测", "任务1 数据流读取", "2"],
        ["20", "能拆装电池包", "项目三 电池包拆装与维护", "任务1 电池包拆卸", "3"],
        ["60", "", "合计", "", ""],
    ], [], {"header": True}),
    ("heading", 1, "五、岗课赛证融通"),
    ("para", "本课程对接1+X智能新能源汽车职业技能等级证书(初级)，项目一、项目三覆盖其考核要点。"),
    ("para", "结合1+X“汽车运用与维修”证书的要求组织实训。"),
    ("para", "融入全国职业院校技能大赛“新能源汽车检测与维修”赛项，涵盖项目二。"),
]


def without_lines(value: Any) -> Any:
    """A record as plain data without line numbers and source format, for comparing formats."""
    if dataclasses.is_dataclass(value):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        dropped = {"line", "other_line", "basic_info_line", "source_format"}
        return {k: without_lines(v) for k, v in value.items() if k not in dropped}
    if isinstance(value, list):
        return [without_lines(v) for v in value]
    return value


@pytest.fixture(scope="module")
def docx_doc(tmp_path_factory: pytest.TempPathFactory) -> CourseStandardDoc:
    return parse_course_standard(write_docx_blocks(STANDARD, tmp_path_factory.mktemp("docx") / "battery.docx"))


@pytest.fixture(scope="module")
def pdf_doc(tmp_path_factory: pytest.TempPathFactory) -> CourseStandardDoc:
    return parse_course_standard(write_pdf_blocks(STANDARD, tmp_path_factory.mktemp("pdf") / "battery.pdf"))


def test_basic_information_from_a_key_value_table_with_a_merged_cell(docx_doc: CourseStandardDoc) -> None:
    assert (docx_doc.course_name, docx_doc.course_code, docx_doc.nature) == ("新能源汽车动力电池技术", "QC2301", "专业核心课")
    assert (docx_doc.hours, docx_doc.credits) == (Decimal(64), Decimal(4))
    assert [(m.code, m.name) for m in docx_doc.majors] == [("460702", "新能源汽车技术"), ("500211", "汽车检测与维修技术")]
    assert docx_doc.institution == "XX职业技术学院"
    assert docx_doc.title == "XX职业技术学院《新能源汽车动力电池技术》课程标准"
    assert docx_doc.slug == "battery" and docx_doc.source_format == "docx"
    assert docx_doc.description == "本课程是新能源汽车技术专业的专业核心课程。\n本课程培养学生检测和维护动力电池的能力。"


def test_outcomes_by_kind_numbered_and_split_on_semicolons(docx_doc: CourseStandardDoc) -> None:
    by_kind = {kind: [o for o in docx_doc.outcomes if o.kind == kind] for kind in ("knowledge", "skill", "attitude")}
    assert {kind: len(items) for kind, items in by_kind.items()} == {"knowledge": 3, "skill": 3, "attitude": 2}
    assert [(o.number, o.text) for o in by_kind["knowledge"]][0] == ("1.", "掌握动力电池的结构和类型")
    assert [(o.number, o.text, o.order) for o in by_kind["skill"]] == [
        (None, "能检测电池单体电压", 1), (None, "能读取电池管理系统数据流", 2), (None, "能更换电池模组", 3),
    ]
    assert by_kind["attitude"][1].number == "（2）"
    assert not any("通过本课程" in o.text for o in docx_doc.outcomes)


def test_modules_from_a_content_table_in_unusual_column_order(docx_doc: CourseStandardDoc) -> None:
    modules = docx_doc.modules
    assert [(m.order, m.title, m.hours) for m in modules] == [
        (1, "动力电池认知", Decimal(16)), (2, "电池管理系统检测", Decimal(24)), (3, "电池包拆装与维护", Decimal(20)),
    ]
    assert modules[0].tasks == "任务1 认识电池类型\n任务2 高压安全防护"
    assert modules[0].requirements == "掌握电池结构与类型"


def test_module_hours_that_miss_the_stated_total_are_a_kept_warning(docx_doc: CourseStandardDoc) -> None:
    reasons = [(w.reason, w.kept) for w in docx_doc.warnings]
    assert reasons == [("module hours add up to 60, the basic information says 64", True)]


def test_certificates_and_competitions_with_their_modules(docx_doc: CourseStandardDoc) -> None:
    assert [(c.name, c.level, c.modules) for c in docx_doc.certificates] == [
        ("智能新能源汽车职业技能等级证书", "初级", (1, 3)),
        ("汽车运用与维修", None, ()),
    ]
    assert [(c.name, c.tier, c.modules) for c in docx_doc.competitions] == [
        ("新能源汽车检测与维修", "全国职业院校技能大赛", (2,)),
    ]


def test_the_same_standard_as_docx_and_as_pdf_gives_the_same_record(
    docx_doc: CourseStandardDoc, pdf_doc: CourseStandardDoc
) -> None:
    assert pdf_doc.source_format == "pdf"
    assert without_lines(pdf_doc) == without_lines(docx_doc)


MARKDOWN = """# 《直播电商》课程标准

| 项目 | 内容 |
| --- | --- |
| 课程名称 | 直播电商 |
| 学时 | 48学时 |
| 学分 | 3 |
| 适用专业 | 电子商务 |
| 专业代码 | 530701 |

## 课程定位

本课程是电子商务专业的专业核心课程。

## 课程目标

**知识目标**：了解直播平台规则；掌握选品方法。

**能力目标**

- 能搭建直播间
- 能撰写直播脚本

**素养目标**：具有诚信经营意识。

## 课程内容

| 模块 | 教学内容 | 课时 |
| :-: | --- | :-: |
| 模块1 直播认知 | 平台规则<br>产业链 | 20 |
| 模块2 直播脚本 | 单品脚本 | 20 |
| **合计** | | **40** |

## 课证融通

| 证书名称 | 等级 | 对应模块 |
| --- | --- | --- |
| 网店运营推广 | 中级 | 模块1、2 |
"""


def test_markdown_standard_with_pipe_tables(tmp_path: Path) -> None:
    path = tmp_path / "live.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = parse_course_standard(path)
    assert (doc.course_name, doc.hours, doc.credits, doc.institution) == ("直播电商", Decimal(48), Decimal(3), None)
    assert doc.majors == [MajorRef("530701", "电子商务", 9)]  # the line of the code
    assert [o.kind for o in doc.outcomes] == ["knowledge", "knowledge", "skill", "skill", "attitude"]
    assert [(m.title, m.tasks, m.hours) for m in doc.modules] == [
        ("直播认知", "平台规则\n产业链", Decimal(20)), ("直播脚本", "单品脚本", Decimal(20)),
    ]
    assert [w.reason for w in doc.warnings] == ["module hours add up to 40, the basic information says 48"]
    assert [(c.name, c.level, c.modules) for c in doc.certificates] == [("网店运营推广", "中级", (1, 2))]
    assert doc.description == "本课程是电子商务专业的专业核心课程。"


TEXT = """XX旅游职业学院
模拟导游实训课程标准
课程名称：模拟导游实训  课程代码：LY2416
学时：五十六；学分：2
适用专业：旅游管理（540101）
制定人：张三  审核人：李四
一、课程性质与任务
本课程是旅游管理专业的专业实训课。
二、课程目标
知识目标：熟悉地陪导游服务程序；掌握欢迎词的结构；了解安全事故处理原则。
技能目标：①能完成接团准备；②能讲解景点导游词。
素质目标：具有服务意识。
三、课程内容与学时分配
项目\t学时\t教学内容
项目一 带团准备\t26\t研读接待计划
项目二 景点讲解\t30\t创作导游词
四、课证融通
参加XX省职业院校技能大赛“导游服务”赛项（项目二），并参照世界技能大赛酒店接待项目组织训练。
"""


def test_text_standard_with_key_value_lines(tmp_path: Path) -> None:
    path = tmp_path / "guide.txt"
    path.write_text(TEXT, encoding="utf-8")
    doc = parse_course_standard(path)
    assert (doc.title, doc.institution, doc.basic_info_line) == ("模拟导游实训课程标准", "XX旅游职业学院", 3)
    assert (doc.course_name, doc.course_code, doc.hours, doc.credits) == ("模拟导游实训", "LY2416", Decimal(56), Decimal(2))
    counts = {kind: sum(o.kind == kind for o in doc.outcomes) for kind in ("knowledge", "skill", "attitude")}
    assert counts == {"knowledge": 3, "skill": 2, "attitude": 1}
    assert [o.number for o in doc.outcomes if o.kind == "skill"] == ["①", "②"]
    assert [(m.title, m.hours) for m in doc.modules] == [("带团准备", Decimal(26)), ("景点讲解", Decimal(30))]
    assert doc.warnings == [] and doc.certificates == []
    assert [(c.name, c.tier, c.modules) for c in doc.competitions] == [
        ("导游服务", "XX省职业院校技能大赛", (2,)), ("酒店接待", "世界技能大赛", ()),
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("智能新能源汽车职业技能等级证书（中级）", [("智能新能源汽车职业技能等级证书", ["中级"])]),
    ("考取1+X智能新能源汽车职业技能等级证书(初级)。", [("智能新能源汽车职业技能等级证书", ["初级"])]),
    ("对接“工业机器人操作与运维”职业技能等级证书中级标准", [("工业机器人操作与运维职业技能等级证书", ["中级"])]),
    ("取得《老年照护职业技能等级证书》（初级）", [("老年照护职业技能等级证书", ["初级"])]),
    ("大数据应用开发（Python）职业技能等级证书", [("大数据应用开发（Python）职业技能等级证书", [])]),
    ("对接网店运营推广职业技能等级证书（初级、中级）", [("网店运营推广职业技能等级证书", ["初级", "中级"])]),
    ("1+X“汽车运用与维修”证书", [("汽车运用与维修", [])]),
    ("鼓励学生获取相关职业技能等级证书", []),
    ("本课程与工业机器人相关1+X职业技能等级证书对接", []),
    ("为学生考取导游资格证书奠定基础", []),
])
def test_certificate_patterns(text: str, expected: list[tuple[str, list[str]]]) -> None:
    assert [(m.name, m.levels) for m in certificate_mentions(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("融入全国职业院校技能大赛“新能源汽车检测与维修”赛项", [("新能源汽车检测与维修", "全国职业院校技能大赛")]),
    ("对接全国职业院校技能大赛高职组机器人系统集成应用技术赛项", [("机器人系统集成应用技术", "全国职业院校技能大赛")]),
    ("参加广东省职业院校技能大赛“导游服务”赛项", [("导游服务", "广东省职业院校技能大赛")]),
    ("参照世界技能大赛汽车技术项目", [("汽车技术", "世界技能大赛")]),
    ("学生在全国职业院校技能大赛中获奖", []),
])
def test_competition_patterns(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.name, m.tier) for m in competition_mentions(text)] == expected


@pytest.mark.parametrize(("text", "value"), [
    ("64", "64"), ("64学时", "64"), ("64（理论32，实践32）", "64"), ("理论32+实践32", "64"), ("六十四学时", "64"), ("/", None),
])
def test_hours_values(text: str, value: str | None) -> None:
    assert hours_value(text) == (Decimal(value) if value else None)


@pytest.mark.parametrize(("text", "value"), [("4", "4"), ("4.0", "4"), ("3.5", "3.5"), ("四", "4"), ("2学分", "2")])
def test_credit_values(text: str, value: str) -> None:
    assert credits_value(text) == Decimal(value) and str(credits_value(text)) == value


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_hours_read_from_any_total_with_its_split(total: int, theory: int) -> None:
    assert hours_value(f"{total}学时") == Decimal(total)
    assert hours_value(f"{total}（理论{theory}，实践{abs(total - theory)}）") == Decimal(total)


TABLES_ONLY = [
    ("title", "《电工基础》课程标准"),
    ("table", [["课程名称", "课程代码", "学时", "学分"], ["电工基础", "DG01", "16", "1"]], []),
    ("heading", 1, "一、课程目标"),
    ("table", [["知识目标", "1.掌握电路定律\n2.理解交流电"], ["技能目标", "能使用万用表；能连接电路"], ["素质目标", "具有安全意识"]], []),
    ("heading", 1, "二、课程内容"),
    ("table", [
        ["项目名称", "工作任务", "学时"],
        ["项目一 直流电路", "任务1 电路连接", "8"],
        ["", "任务2 电路测量", ""],
        ["项目二 交流电路", "任务1 交流测量", "8"],
    ], [((1, 0), (2, 0)), ((1, 2), (2, 2))]),
]


@pytest.mark.parametrize(
    ("writer", "suffix"), [(write_docx_blocks, "docx"), (write_pdf_blocks, "pdf")], ids=["docx", "pdf"]
)
def test_key_row_over_value_row_objectives_table_and_vertically_merged_modules(
    writer: Any, suffix: str, tmp_path: Path
) -> None:
    doc = parse_course_standard(writer(TABLES_ONLY, tmp_path / f"tables.{suffix}"))
    assert (doc.course_name, doc.course_code, doc.hours, doc.credits) == ("电工基础", "DG01", Decimal(16), Decimal(1))
    assert [(o.kind, o.number, o.text) for o in doc.outcomes] == [
        ("knowledge", "1.", "掌握电路定律"), ("knowledge", "2.", "理解交流电"),
        ("skill", None, "能使用万用表"), ("skill", None, "能连接电路"), ("attitude", None, "具有安全意识"),
    ]
    # the merged title and hours cells repeat in the second row: one module, its 8 hours counted once
    assert [(m.title, m.tasks, m.hours) for m in doc.modules] == [
        ("直流电路", "任务1 电路连接\n任务2 电路测量", Decimal(8)), ("交流电路", "任务1 交流测量", Decimal(8)),
    ]
    assert doc.warnings == []


def test_pdf_content_table_across_pages_is_one_table(tmp_path: Path) -> None:
    rows = [["序号", "学习项目", "学时"]] + [[str(n), f"项目{n} 检测与维护", "2"] for n in range(1, 61)]
    blocks = [("title", "《长表》课程标准"), ("para", "课程名称：长表"), ("para", "学时：120"),
              ("heading", 1, "一、课程内容"), ("table", rows, [])]
    path = write_pdf_blocks(blocks, tmp_path / "long.pdf")
    assert sum(isinstance(b, TableBlock) for b in read_blocks(path)) >= 2
    doc = parse_course_standard(path)
    assert len(doc.modules) == 60 and doc.modules[-1].order == 60 and doc.warnings == []


@pytest.mark.parametrize(("lines", "majors", "institution"), [
    (["适用专业：护理（520201）、助产（520202）"], [("520201", "护理"), ("520202", "助产")], None),
    (["适用专业：大数据技术专业", "专业代码：510205"], [("510205", "大数据技术")], None),
    (["适用专业：汉语（570102K）", "制定单位：XX师范学院"], [("570102K", "汉语")], "XX师范学院"),
    (["适用专业：工业机器人技术（专业代码：460305）"], [("460305", "工业机器人技术")], None),
])
def test_majors_and_institution_fields(
    lines: list[str], majors: list[tuple[str, str]], institution: str | None
) -> None:
    info = BasicInfo(1)
    for number, text in enumerate(lines, 1):
        for pair in line_pairs(text, number):
            info.add(pair)
    assert [(m.code, m.name) for m in majors_of(info, [])] == majors
    assert institution_of(info, "《课程》课程标准", []) == institution


def text_file(tmp_path: Path, body: str, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_unrecognised_content_table_is_a_warning(tmp_path: Path) -> None:
    path = text_file(tmp_path, "课程名称：甲\n学分：2\n一、课程内容\n甲\t乙\t丙\n1\t2\t3\n")
    doc = parse_course_standard(path)
    assert doc.modules == []
    [warning] = doc.warnings
    assert warning.line == 4 and not warning.kept
    assert "甲 | 乙 | 丙" in warning.reason and "学习项目/模块" in warning.reason


def test_no_basic_information_is_refused(tmp_path: Path) -> None:
    path = text_file(tmp_path, "一、课程目标\n知识目标：掌握结构。\n课程名称：甲\n学时：32\n")
    assert not looks_like_course_standard(read_blocks(path))
    with pytest.raises(SourceError, match="no basic information found: expected 课程名称 with 课程代码, 学时 or 学分"):
        parse_course_standard(path)


def test_basic_information_without_a_course_name_says_so(tmp_path: Path) -> None:
    path = text_file(tmp_path, "课程代码：QC01\n学时：32\n一、课程目标\n")
    with pytest.raises(SourceError, match="lacks 课程名称 .found 课程代码, 学时") as caught:
        parse_course_standard(path)
    assert caught.value.line == 1


def test_unreadable_files_raise_the_readers_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no text layer"):
        parse_course_standard(write_blank_pdf(tmp_path / "scan.pdf"))
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(SourceError, match="corrupt .docx"):
        parse_course_standard(broken)


def test_detection_is_false_for_policy_documents() -> None:
    policies = sorted(require_shared("policy").glob("*.md")) + [require_shared("policy", "000_63c5338d7d9bffda.txt")]
    assert len(policies) > 5
    assert [p.name for p in policies if looks_like_course_standard(read_blocks(p))] == []


#: The six demo course standards, named here so that a missing file fails its case instead of dropping it.
CORPUS_STEMS = {
    "big-data-collection": ".pdf", "e-commerce-live-streaming": ".md", "elderly-care-skills": ".docx",
    "industrial-robot-programming": ".docx", "new-energy-vehicle-battery": ".docx", "tour-guide-practice": ".txt",
}


def corpus_cases() -> list[Path]:
    return sorted(CORPUS.glob("*.expected.json")) if CORPUS.is_dir() else []


def test_the_corpus_holds_exactly_the_listed_standards() -> None:
    assert CORPUS.is_dir(), f"{CORPUS} is missing"
    assert sorted(p.name.removesuffix(".expected.json") for p in corpus_cases()) == sorted(CORPUS_STEMS)
    sources = {p.stem: p.suffix for p in CORPUS.iterdir() if p.suffix in (".docx", ".pdf", ".md", ".txt")}
    assert sources == CORPUS_STEMS


@pytest.mark.parametrize("stem", sorted(CORPUS_STEMS))
def test_demo_corpus_standards_parse_as_expected(stem: str) -> None:
    expected_path = CORPUS / f"{stem}.expected.json"
    assert expected_path.is_file(), f"{expected_path} is missing"
    [source] = [p for p in CORPUS.glob(f"{stem}.*") if p.suffix in (".docx", ".pdf", ".md", ".txt")]
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert looks_like_course_standard(read_blocks(source))
    doc = parse_course_standard(source)
    number = lambda value: None if value is None else str(value)  # noqa: E731
    got = {
        "course_name": doc.course_name, "course_code": doc.course_code, "nature": doc.nature,
        "hours": number(doc.hours), "credits": number(doc.credits), "majors": [m.code for m in doc.majors],
        "institution": doc.institution,
        "outcomes": {kind: sum(o.kind == kind for o in doc.outcomes) for kind in ("knowledge", "skill", "attitude")},
        "modules": {"count": len(doc.modules), "hours": number(sum(m.hours or 0 for m in doc.modules)),
                    "titles": [m.title for m in doc.modules]},
        "certificates": [{"name": c.name, "level": c.level, "modules": list(c.modules)} for c in doc.certificates],
        "competitions": [{"name": c.name} for c in doc.competitions],
    }
    assert got == {key: expected[key] for key in got}
    assert all(isinstance(c, CertificateStatement) and c.text for c in doc.certificates)


def test_a_gbk_course_standard_parses_as_its_utf8_original(tmp_path: Path) -> None:
    original = CORPUS / "tour-guide-practice.txt"
    data = original.read_text(encoding="utf-8").encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really GBK, not UTF-8 by accident
    gbk = tmp_path / "tour-guide-practice.txt"
    gbk.write_bytes(data)
    assert looks_like_course_standard(read_blocks(gbk))
    expected, doc = parse_course_standard(original), parse_course_standard(gbk)
    assert (doc.course_name, doc.hours) == (expected.course_name, expected.hours) == ("模拟导游实训", Decimal(56))
    assert doc.outcomes == expected.outcomes and len(doc.outcomes) == 12
    assert doc.modules == expected.modules and len(doc.modules) == 8
    assert dataclasses.asdict(doc) == dataclasses.asdict(expected)
