"""The 专业简介 parser: block fields, each section, the PDF-conversion warts, refused blocks, and the real files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.writers import write_docx_blocks
from ingest.policy.ingestor import detect_policy
from ingest.profile.parser import parse_profile
from ingest.profile.records import MajorProfile, ProfileDoc
from ingest.registry import choose_ingestor
from tests.conftest import ROOT, require_shared

BLOCK = """# 4607 汽车制造类

专业代码 460702

专业名称 新能源汽车技术

基本修业年限 三年

# 职业面向

面向新能源汽车整车制造等行业的整车制造人员、工程技术人员等职业，新能源汽车装调、质量检验等岗位（群）。

# 培养目标定位

本专业培养德智体美劳全面发展的高素质技术技能人才。

# 主要专业能力要求

1. 具有新能源汽车整车及关键零部件装调的能力；
2. 具有新能源汽车检测与维修的能力，能够按照

高压安全规程作业；
3. 具有探究学习、终身学习和可持续发展的能力。

# 主要专业课程与实习实训

专业基础课程：汽车文化、新能源汽车构造。

专业核心课程：新能源汽车底盘技术、新能源汽车故障诊断技术。

实习实训：在校内外进行新能源汽车装调等实训。在新能源汽车整车制造企业进行岗位实习。

# 职业类证书举例

职业资格证书：特种作业人员

职业技能等级证书：新能源汽车装调与测试、智能新能源汽车

# 接续专业举例

接续高职本科专业举例：汽车工程技术、新能源汽车工程技术接续普通本科专业举例：车辆工程
"""


def parse_text(tmp_path: Path, text: str, name: str = "profile.md") -> ProfileDoc:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_profile(path)


def only(doc: ProfileDoc) -> MajorProfile:
    assert len(doc.profiles) == 1, doc.profiles
    return doc.profiles[0]


def terms(profile: MajorProfile, kind: str) -> list[str]:
    return [name.term for name in profile.named(kind)]


def test_fields_and_the_prose_sections(tmp_path: Path) -> None:
    doc = parse_text(tmp_path, BLOCK)
    profile = only(doc)
    assert doc.title == "4607汽车制造类" and doc.rejections == []
    assert (profile.code, profile.name, profile.study_years, profile.line) == ("460702", "新能源汽车技术", "三年", 3)
    assert profile.orientation == ("面向新能源汽车整车制造等行业的整车制造人员、工程技术人员等职业，"
                                   "新能源汽车装调、质量检验等岗位（群）。")
    assert profile.training_goal == "本专业培养德智体美劳全面发展的高素质技术技能人才。"
    assert profile.practice == "在校内外进行新能源汽车装调等实训。在新能源汽车整车制造企业进行岗位实习。"
    assert not profile.omitted


def test_numbered_competencies_keep_their_order_and_continuation_lines(tmp_path: Path) -> None:
    profile = only(parse_text(tmp_path, BLOCK))
    assert [(c.order, c.number, c.line) for c in profile.competencies] == [(1, "1.", 19), (2, "2.", 20), (3, "3.", 23)]
    assert profile.competencies[1].text == "具有新能源汽车检测与维修的能力，能够按照高压安全规程作业"
    assert profile.competencies_line == 17


@pytest.mark.parametrize("marks", [("1、", "2、"), ("（1）", "（2）"), ("(1)", "(2)"), ("1．", "2．"), ("①", "②")])
def test_other_numberings_give_the_same_items(tmp_path: Path, marks: tuple[str, str]) -> None:
    text = BLOCK.replace("1. 具有新能源汽车整车", f"{marks[0]}具有新能源汽车整车").replace(
        "2. 具有新能源汽车检测", f"{marks[1]} 具有新能源汽车检测")
    profile = only(parse_text(tmp_path, text))
    assert [c.text[:12] for c in profile.competencies] == ["具有新能源汽车整车及关键", "具有新能源汽车检测与维修", "具有探究学习、终身学习和"]
    assert profile.competencies[0].number == marks[0]


def test_courses_by_kind_with_their_lines(tmp_path: Path) -> None:
    profile = only(parse_text(tmp_path, BLOCK))
    assert [(c.kind, c.name, c.line) for c in profile.courses] == [
        ("basic", "汽车文化", 27), ("basic", "新能源汽车构造", 27),
        ("core", "新能源汽车底盘技术", 29), ("core", "新能源汽车故障诊断技术", 29)]


def test_course_names_lose_the_pdf_spaces_next_to_chinese(tmp_path: Path) -> None:
    """The teaching standard prints 工程制图与CAD; the profile's course must hash to the same course IRI."""
    text = BLOCK.replace("专业基础课程：汽车文化、新能源汽车构造。", "专业基础课程：汽车 文化、工程制图与 CAD、Visual Basic 程序设计。")
    profile = only(parse_text(tmp_path, text))
    assert [c.name for c in profile.courses if c.kind == "basic"] == ["汽车文化", "工程制图与CAD", "Visual Basic程序设计"]


def test_certificates_by_kind_and_the_item_they_were_listed_in(tmp_path: Path) -> None:
    profile = only(parse_text(tmp_path, BLOCK))
    assert terms(profile, "qualification") == ["特种作业人员"]
    assert terms(profile, "skill-certificate") == ["新能源汽车装调与测试", "智能新能源汽车"]
    skill = profile.named("skill-certificate")[0]
    assert (skill.text, skill.line) == ("职业技能等级证书：新能源汽车装调与测试、智能新能源汽车", 37)


def test_glued_next_major_keys_give_two_levels(tmp_path: Path) -> None:
    profile = only(parse_text(tmp_path, BLOCK))
    assert [(n.term, n.levels, n.line) for n in profile.named("next-major")] == [
        ("汽车工程技术", ("高职本科",), 41), ("新能源汽车工程技术", ("高职本科",), 41), ("车辆工程", ("普通本科",), 41)]
    assert profile.named("next-major")[2].text == "接续普通本科专业举例：车辆工程"


def test_a_next_major_listed_under_two_keys_is_one_name_with_both_levels(tmp_path: Path) -> None:
    text = BLOCK.replace("接续高职本科专业举例：汽车工程技术、新能源汽车工程技术接续普通本科专业举例：车辆工程",
                         "接续专业硕士学位授予领域举例：机械、交通运输\n\n接续硕士学位二级学科举例：车辆工程、交通运输")
    profile = only(parse_text(tmp_path, text))
    assert [(n.term, n.levels, n.line) for n in profile.named("next-major")] == [
        ("机械", ("专业硕士学位授予领域",), 41), ("交通运输", ("专业硕士学位授予领域", "硕士学位二级学科"), 41),
        ("车辆工程", ("硕士学位二级学科",), 43)]


def test_occupation_position_and_industry_names_of_the_orientation(tmp_path: Path) -> None:
    profile = only(parse_text(tmp_path, BLOCK))
    assert terms(profile, "industry") == ["新能源汽车整车制造"]
    assert terms(profile, "occupation") == ["整车制造人员", "工程技术人员"]
    assert terms(profile, "position") == ["新能源汽车装调", "质量检验"]
    assert {n.line for n in profile.named("position")} == {11}


@pytest.mark.parametrize(("orientation", "expected"), [
    ("面向金融业、软件和信息技术服务业的金融大数据分析、金融数字化营销等岗位（群）。",
     {"industry": ["金融业", "软件和信息技术服务业"], "position": ["金融大数据分析", "金融数字化营销"]}),
    ("面向农业行业农艺工、烟叶调制员等职业，烟草栽培、烟叶评级等岗位（群）。",
     {"industry": ["农业"], "occupation": ["农艺工", "烟叶调制员"], "position": ["烟草栽培", "烟叶评级"]}),
    ("面向光伏组件制造工等职业，光伏产业的单晶硅、硅片制造等岗位（群）。",
     {"occupation": ["光伏组件制造工"], "industry": ["光伏产业"], "position": ["单晶硅", "硅片制造"]}),
    ("面向建筑电气工程设计、施工等技术领域。", {}),
    ("面向区块链金融应用（区块链融资、供应链金融）、数字人民币服务等岗位（群）。",
     {"position": ["区块链金融应用（区块链融资、供应链金融）", "数字人民币服务"]}),
    ("面向装调检修、行业应用方案设计等岗位（群）。", {"position": ["装调检修", "行业应用方案设计"]}),
])
def test_orientation_names(tmp_path: Path, orientation: str, expected: dict[str, list[str]]) -> None:
    profile = only(parse_text(tmp_path, BLOCK.replace(BLOCK.splitlines()[10], orientation)))
    found = {kind: terms(profile, kind) for kind in ("industry", "occupation", "position") if terms(profile, kind)}
    assert found == expected


def test_key_value_fields_headings_without_marks_and_the_typo_heading(tmp_path: Path) -> None:
    text = ("专业代码：560102K\n专业名称：网络新闻与传播\n基本修业年限：三年\n职业面向\n面向网络编辑等职业。\n"
            "职类证书举例\n职业技能等级证书：新媒体编辑\n接续专业举例\n接续普通本科专业举例：网络与新媒体\n")
    profile = only(parse_text(tmp_path, text, "notes.txt"))
    assert (profile.code, profile.name, profile.study_years) == ("560102K", "网络新闻与传播", "三年")
    assert terms(profile, "occupation") == ["网络编辑"]
    assert terms(profile, "skill-certificate") == ["新媒体编辑"]
    assert terms(profile, "next-major") == ["网络与新媒体"]


def test_a_section_heading_glued_to_the_end_of_a_line_is_split_off(tmp_path: Path) -> None:
    text = BLOCK.replace("职业技能等级证书：新能源汽车装调与测试、智能新能源汽车\n\n# 接续专业举例\n",
                         "职业技能等级证书：新能源汽车装调与测试、智能新能源汽车接续专业举例\n")
    profile = only(parse_text(tmp_path, text))
    assert terms(profile, "skill-certificate") == ["新能源汽车装调与测试", "智能新能源汽车"]
    assert terms(profile, "next-major") == ["汽车工程技术", "新能源汽车工程技术", "车辆工程"]


def test_no_certificates_when_the_profile_says_none(tmp_path: Path) -> None:
    text = re.sub(r"职业资格证书：.*\n\n职业技能等级证书：.*\n", "暂无\n", BLOCK)
    doc = parse_text(tmp_path, text)
    assert terms(only(doc), "qualification") == terms(only(doc), "skill-certificate") == [] and doc.rejections == []
    text = BLOCK.replace("职业技能等级证书：新能源汽车装调与测试、智能新能源汽车", "职业技能等级证书：暂无")
    assert terms(only(parse_text(tmp_path, text)), "skill-certificate") == []


def test_an_omitted_block_is_kept_as_known_empty(tmp_path: Path) -> None:
    doc = parse_text(tmp_path, BLOCK + "\n专业代码 580101K\n\n专业名称 治安管理\n\n（略）\n")
    assert [p.code for p in doc.profiles] == ["460702", "580101K"] and doc.omitted == 1
    omitted = doc.profiles[1]
    assert omitted.omitted and omitted.name == "治安管理" and omitted.line == 43
    assert (omitted.competencies, omitted.courses, omitted.names, omitted.orientation) == ([], [], [], None)


def test_a_bad_block_is_refused_with_its_line_and_the_others_load(tmp_path: Path) -> None:
    text = (BLOCK + "\n专业代码 46070\n\n专业名称 汽车电子技术\n\n# 职业面向\n\n面向汽车电子装调等岗位（群）。\n"
            "\n专业代码 460705\n\n# 职业面向\n\n面向汽车改装等岗位（群）。\n"
            "\n专业代码 460704\n\n专业名称 智能网联汽车技术\n\n（略）\n")
    doc = parse_text(tmp_path, text)
    assert [p.code for p in doc.profiles] == ["460702", "460704"]
    assert [(r.line, r.key, r.kept) for r in doc.rejections] == [(43, "46070", False), (51, "460705", False)]
    assert "malformed 专业代码 '46070'" in doc.rejections[0].reason
    assert "no 专业名称" in doc.rejections[1].reason


def test_a_major_printed_without_its_code_is_refused_not_merged(tmp_path: Path) -> None:
    doc = parse_text(tmp_path, BLOCK + "\n# 职业面向\n\n面向汽车电子装调等岗位（群）。\n\n# 培养目标定位\n\n本专业培养人才。\n")
    profile = only(doc)
    assert terms(profile, "position") == ["新能源汽车装调", "质量检验"]
    assert [(r.line, r.key, r.kept) for r in doc.rejections] == [(43, "460702", False)]


def test_a_major_without_its_code_after_a_class_heading_is_refused_too(tmp_path: Path) -> None:
    doc = parse_text(tmp_path, BLOCK + "\n# 4608 汽车维修类\n\n# 职业面向\n\n面向汽车维修等岗位（群）。\n")
    assert terms(only(doc), "position") == ["新能源汽车装调", "质量检验"]
    assert [(r.line, r.kept) for r in doc.rejections] == [(45, False)]


def test_a_bracketed_note_is_kept_out_of_the_list_and_reported(tmp_path: Path) -> None:
    doc = parse_text(tmp_path, BLOCK + "\n（本专业主要服务在职人员学历提升与培训）\n")
    assert terms(only(doc), "next-major")[-1] == "车辆工程"
    assert [(r.line, r.kept) for r in doc.rejections] == [(43, True)]


def test_a_profile_is_a_profile_to_the_registry_and_never_a_policy(tmp_path: Path) -> None:
    path = tmp_path / "4607汽车制造类.md"
    path.write_text(BLOCK, encoding="utf-8")
    assert choose_ingestor(path).kind == "profile"
    assert "专业简介 profile" in (detect_policy(path) or "")


def test_a_docx_profile_parses_like_the_markdown_one(tmp_path: Path) -> None:
    blocks: list[tuple] = [("heading", 1, "4607 汽车制造类"),
                           ("table", [["专业代码", "460702"], ["专业名称", "新能源汽车技术"], ["基本修业年限", "三年"]], [], {})]
    body = BLOCK.split("基本修业年限 三年\n", 1)[1]
    for line in (raw.strip() for raw in body.splitlines()):
        if line:
            blocks.append(("heading", 1, line[2:]) if line.startswith("# ") else ("para", line))
    path = write_docx_blocks(blocks, tmp_path / "profile.docx")
    assert choose_ingestor(path).kind == "profile"
    docx = only(parse_profile(path))
    markdown = only(parse_text(tmp_path, BLOCK))
    without_lines = {"code", "name", "study_years", "orientation", "training_goal", "practice", "omitted"}
    assert {k: getattr(docx, k) for k in without_lines} == {k: getattr(markdown, k) for k in without_lines}
    assert [c.text for c in docx.competencies] == [c.text for c in markdown.competencies]
    assert [(c.kind, c.name) for c in docx.courses] == [(c.kind, c.name) for c in markdown.courses]
    assert [(n.kind, n.term, n.levels) for n in docx.names] == [(n.kind, n.term, n.levels) for n in markdown.names]


def test_a_word_table_with_the_fields_as_columns(tmp_path: Path) -> None:
    blocks: list[tuple] = [("table", [["专业代码", "专业名称", "基本修业年限"], ["460702", "新能源汽车技术", "三年"]], [], {}),
                           ("heading", 1, "职业面向"), ("para", "面向整车制造人员等职业。"),
                           ("heading", 1, "主要专业能力要求"), ("para", "1、具有新能源汽车检测能力；")]
    profile = only(parse_profile(write_docx_blocks(blocks, tmp_path / "columns.docx")))
    assert (profile.code, profile.name, profile.study_years, profile.line) == ("460702", "新能源汽车技术", "三年", 2)
    assert terms(profile, "occupation") == ["整车制造人员"]
    assert [c.text for c in profile.competencies] == ["具有新能源汽车检测能力"]


NAME = st.text(alphabet="新能源汽车技术工程电子智能网联制造装调测试数据", min_size=2, max_size=8)


@settings(max_examples=25, deadline=None)
@given(items=st.lists(NAME, min_size=1, max_size=6), wraps=st.lists(st.integers(1, 7), min_size=6, max_size=6))
def test_competencies_wrapped_anywhere_come_back_whole(tmp_path_factory: pytest.TempPathFactory, items: list[str],
                                                        wraps: list[int]) -> None:
    lines = []
    for n, (item, wrap) in enumerate(zip(items, wraps), start=1):
        text = f"具有{item}的能力；"
        cut = min(wrap, len(text) - 1)
        lines += [f"{n}. {text[:cut]}", text[cut:]]
    text = BLOCK.split("# 主要专业能力要求")[0] + "# 主要专业能力要求\n\n" + "\n\n".join(lines) + "\n"
    profile = only(parse_text(tmp_path_factory.mktemp("wrap"), text))
    assert [c.text for c in profile.competencies] == [f"具有{item}的能力" for item in items]
    assert [c.order for c in profile.competencies] == list(range(1, len(items) + 1))


# -- the corpus sample and the real files ---------------------------------------------------------

def test_the_corpus_profile_gives_its_two_majors() -> None:
    doc = parse_profile(ROOT / "corpus" / "profiles" / "public-services-elderly-care.md")
    assert (doc.title, doc.rejections) == ("5903公共服务类", [])
    assert [(p.code, p.name, p.omitted) for p in doc.profiles] == [("590302", "智慧健康养老服务与管理", False),
                                                                   ("390302", "智慧健康养老管理", True)]
    profile = doc.profiles[0]
    assert terms(profile, "industry") == ["社会工作", "居民服务"]
    assert terms(profile, "occupation") == ["养老护理员", "健康照护师", "老年人能力评估师"]
    assert terms(profile, "skill-certificate") == ["老年照护", "失智老年人照护"]
    assert [(n.term, n.levels) for n in profile.named("next-major")] == [
        ("智慧健康养老管理", ("高职本科",)), ("养老服务管理", ("普通本科",)), ("健康服务与管理", ("普通本科",))]


@pytest.fixture(scope="module")
def real_docs() -> dict[str, ProfileDoc]:
    folder = require_shared("profiles")
    return {path.name: parse_profile(path) for path in sorted(folder.glob("*.md"))}


@pytest.mark.realdata
def test_every_real_block_is_found(real_docs: dict[str, ProfileDoc]) -> None:
    folder = require_shared("profiles")
    printed = sum(1 for path in folder.glob("*.md")
                  for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("专业代码"))
    assert len(real_docs) == 247
    assert printed == 1154 == sum(len(doc.profiles) for doc in real_docs.values())
    assert all(doc.profiles for doc in real_docs.values())


@pytest.mark.realdata
def test_the_real_omitted_blocks(real_docs: dict[str, ProfileDoc]) -> None:
    omitted = {name: doc.omitted for name, doc in real_docs.items() if doc.omitted}
    assert omitted == {"3802公安技术类.md": 2, "3803侦查类.md": 1, "5801公安管理类.md": 4, "5802公安技术类.md": 3,
                       "5803侦查类.md": 4}
    assert all(not p.competencies and not p.names for doc in real_docs.values() for p in doc.profiles if p.omitted)


@pytest.mark.realdata
def test_the_real_new_energy_vehicle_profile(real_docs: dict[str, ProfileDoc]) -> None:
    profile = next(p for p in real_docs["4607汽车制造类.md"].profiles if p.code == "460702")
    assert (profile.name, profile.line, profile.study_years) == ("新能源汽车技术", 44, "三年")
    assert terms(profile, "skill-certificate") == ["新能源汽车装调与测试", "电动汽车高电压系统评测与维修", "智能新能源汽车"]
    assert terms(profile, "qualification") == ["特种作业人员"]
    assert [(c.order, c.number, c.line, c.text) for c in profile.competencies] == [
        (1, "1.", 60, "具有新能源汽车整车及关键零部件装调的能力"),
        (2, "2.", 62, "具有新能源汽车整车及关键零部件生产过程中的质量检验和性能检测的能力"),
        (3, "3.", 63, "具有一定的新能源汽车整车及关键零部件生产的工艺编制、现场管理的能力"),
        (4, "4.", 64, "具有一定的新能源汽车整车及关键零部件样品试制试验的能力"),
        (5, "5.", 65, "具有新能源汽车检测与维修的能力"),
        (6, "6.", 66, "具有一定的二手车交易评估的能力"),
        (7, "7.", 67, "具有新能源汽车制造领域相关数字技术和信息技术的应用能力"),
        (8, "8.", 68, "具有绿色生产、环境保护、安全防护、质量管理等的相关意识"),
        (9, "9.", 69, "具有探究学习、终身学习和可持续发展的能力")]
    assert [c.name for c in profile.courses if c.kind == "core"] == [
        "新能源汽车底盘技术", "新能源汽车电气技术", "新能源汽车动力蓄电池及管理技术", "新能源汽车驱动电机及控制技术",
        "新能源汽车整车控制技术", "汽车制造工艺技术", "新能源汽车试验技术", "新能源汽车故障诊断技术"]
    assert [(n.term, n.levels) for n in profile.named("next-major")] == [
        ("新能源汽车工程技术", ("高职本科",)), ("汽车工程技术", ("高职本科",)),
        ("车辆工程", ("普通本科",)), ("汽车服务工程", ("普通本科",))]


@pytest.mark.realdata
def test_a_glued_key_in_the_real_data_gives_both_levels(real_docs: dict[str, ProfileDoc]) -> None:
    first = real_docs["4607汽车制造类.md"].profiles[0]
    assert first.code == "460701"
    assert [(n.term, n.levels) for n in first.named("next-major")] == [
        ("汽车工程技术", ("高职本科",)), ("新能源汽车工程技术", ("高职本科",)), ("智能网联汽车工程技术", ("高职本科",)),
        ("车辆工程", ("普通本科",)), ("新能源汽车工程", ("普通本科",)), ("智能车辆工程", ("普通本科",))]


@pytest.mark.realdata
def test_real_majors_printed_without_their_code_are_refused_with_their_line(real_docs: dict[str, ProfileDoc]) -> None:
    refused = [(name, r.line) for name, doc in real_docs.items() for r in doc.rejections if not r.kept]
    assert ("4102林业类.md", 178) in refused and ("4102林业类.md", 213) in refused
    assert all("printed without its 专业代码" in r.reason for doc in real_docs.values() for r in doc.rejections
               if not r.kept)
