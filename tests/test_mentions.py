"""Initiative terms and listed industries named in one provision's own text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.policy.mentions import Initiative, extract_mentions, load_initiatives
from ingest.policy.records import MentionRecord
from kg.errors import SourceError

SEED_EIGHT_INDUSTRIES = "- 坚持服务大局,促进产教融合。 紧密对接自治区“八大产业”(如旅游业、清洁能源、特色农牧业、大数据等)发展需求,优化专业布局,实现教育链、人才链与产业链、创新链的有效衔接。"
SEED_LOCAL_INDUSTRIES = "- 开发特色优质课程资源。 围绕自治区特色产业(如高原特色种养殖、民族手工艺、跨境旅游、边境贸易等),开发一批体现地方特色、融入民族文化、对接产业标准的活页式、工作手册式教材和数字化教学资源。"
SEED_RURAL = "- 聚焦乡村振兴。 发挥职业院校优势,面向农牧区开展种养殖技术、电子商务、乡村旅游、家政服务等实用技术培训,培养一批“土专家”“田秀才”,助力乡村产业发展和农民增收。"
SEED_CERTIFICATES = "- 强化“岗课赛证”综合育人。 将真实生产岗位要求、职业技能等级标准、技能大赛内容融入课程教学和人才培养全过程,支持学生获取“1+X”证书,提升就业竞争力。"
SEED_TEACHERS = "- 加强“双师型”教师队伍建设。 完善职业院校教师准入和评价机制,设立“产业教授”特聘岗位,建立教师定期到企业实践锻炼制度,吸引行业企业高技能人才、工程技术人员到校任教。"

REQUIRED_TERMS = (
    "岗课赛证", "双师型", "产教融合", "校企合作", "1+X", "现代学徒制", "中国特色学徒制", "职普融通", "中高职衔接",
    "产业学院", "订单培养", "工学结合", "职业技能等级证书", "活页式教材", "工作手册式教材", "双高计划",
    "本科层次职业教育", "产教融合型企业", "实训基地", "虚拟仿真实训", "技能大赛", "终身学习", "乡村振兴",
    "数字化转型", "立德树人", "三教改革", "学分银行", "书证融通", "市域产教联合体", "行业产教融合共同体",
    "工匠精神", "劳模精神",
)


def _pairs(mentions: list[MentionRecord], kind: str) -> list[tuple[str, str]]:
    return [(m.text, m.term) for m in mentions if m.kind == kind]


def _industries(text: str) -> list[str]:
    return [m.text for m in extract_mentions(text) if m.kind == "industry"]


def _assert_spans_exact(text: str, mentions: list[MentionRecord]) -> None:
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.text != ""


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "initiatives.tsv"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_packaged_table_holds_the_core_terms_and_is_cached() -> None:
    initiatives = load_initiatives()
    terms = [i.term for i in initiatives]
    assert len(terms) >= 30 and len(terms) == len(set(terms))
    assert set(REQUIRED_TERMS) <= set(terms)
    assert all(i.note for i in initiatives)
    assert load_initiatives() is initiatives


def test_a_table_path_can_be_given(tmp_path: Path) -> None:
    path = _write(tmp_path, "term\tvariants\tnote\n双师型\t双师型教师|双师素质\t教师\n\n学分银行\t\t制度\n")
    assert load_initiatives(path) == (
        Initiative("双师型", ("双师型教师", "双师素质"), "教师"), Initiative("学分银行", (), "制度"))


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("name\tvariants\tnote\n", 1, "header"),
        ("", 1, "header"),
        ("term\tvariants\tnote\n双师型\t双师型教师\n", 2, "fields"),
        ("term\tvariants\tnote\n学分银行\t\t制度\n双师型\ta\tb\textra\n", 3, "fields"),
        ("term\tvariants\tnote\n\t双师型教师\t教师\n", 2, "empty term"),
        ("term\tvariants\tnote\n学分银行\t\t制度\n学分银行\t\t重复\n", 3, "duplicate"),
    ],
)
def test_a_malformed_table_names_its_line(tmp_path: Path, body: str, line: int, reason: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(SourceError) as raised:
        load_initiatives(path)
    assert raised.value.line == line and reason in raised.value.reason and str(path) in str(raised.value)


def test_a_missing_table_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        load_initiatives(tmp_path / "absent.tsv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加强双师型教师队伍建设", [("双师型教师", "双师型")]),
        ("加强“双师型”教师队伍建设", [("双师型", "双师型")]),
        ("具备双师素质", [("双师素质", "双师型")]),
        ("支持学生获取“1+X”证书", [("1+X", "1+X")]),
        ("实施1+X证书制度", [("1+X证书制度", "1+X")]),
        ("试点1＋X证书", [("1＋X证书", "1+X")]),
        ("推动普职融通", [("普职融通", "职普融通")]),
        ("促进中高职贯通", [("中高职贯通", "中高职衔接")]),
        ("认定产教融合型企业", [("产教融合型企业", "产教融合型企业")]),
        ("深化产教融合、校企合作", [("产教融合", "产教融合"), ("校企合作", "校企合作")]),
        ("推行岗课赛证综合育人", [("岗课赛证", "岗课赛证")]),
        ("开发活页式、工作手册式教材", [("活页式", "活页式教材"), ("工作手册式教材", "工作手册式教材")]),
        ("支持职教本科发展", [("职教本科", "本科层次职业教育")]),
        ("培育劳模精神、劳动精神、工匠精神", [("劳模精神", "劳模精神"), ("劳动精神", "劳动精神"), ("工匠精神", "工匠精神")]),
        ("推动职业教育数字化转型", [("数字化转型", "数字化转型")]),
        ("国家鼓励发展多种层次和形式的职业教育", []),
    ],
)
def test_initiatives_longest_first_canonical_and_unquoted(text: str, expected: list[tuple[str, str]]) -> None:
    mentions = extract_mentions(text)
    assert _pairs(mentions, "initiative") == expected
    _assert_spans_exact(text, mentions)


def test_initiative_spans_never_overlap() -> None:
    text = "产教融合型企业和产教融合实践中心、行业产教融合共同体"
    spans = [(m.start, m.end) for m in extract_mentions(text) if m.kind == "initiative"]
    assert [text[s:e] for s, e in spans] == ["产教融合型企业", "产教融合实践中心", "行业产教融合共同体"]
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))


def test_an_explicit_initiative_list_is_used() -> None:
    custom = (Initiative("学分银行", (), "制度"),)
    assert _pairs(extract_mentions("建立学分银行,深化产教融合", custom), "initiative") == [("学分银行", "学分银行")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("对接“八大产业”(如旅游业、清洁能源、特色农牧业、大数据等)发展需求", ["旅游业", "清洁能源", "特色农牧业", "大数据"]),
        ("围绕特色产业（如高原特色种养殖、民族手工艺、跨境旅游、边境贸易等），开发教材", ["高原特色种养殖", "民族手工艺", "跨境旅游", "边境贸易"]),
        ("重点产业，如“智能制造”、《现代物流》等", ["智能制造", "现代物流"]),
        ("(如高等职业教育、中等职业教育等)", ["高等职业教育", "中等职业教育"]),
        ("面向农牧区开展种养殖技术、电子商务、乡村旅游、家政服务等实用技术培训", ["种养殖技术", "电子商务", "乡村旅游", "家政服务"]),
        ("聚焦新能源、新材料等领域", ["新能源", "新材料"]),
        ("大力发展数字经济、现代服务业等产业", ["数字经济", "现代服务业"]),
        ("组织开展面向社会的就业技能培训、创业培训等多种形式的职业培训", ["就业技能培训", "创业培训"]),
        ("培育新一代信息技术、生物医药、一个非常非常非常长的产业名称列表元素等产业", ["新一代信息技术", "生物医药"]),
    ],
)
def test_industry_lists(text: str, expected: list[str]) -> None:
    mentions = extract_mentions(text)
    assert _industries(text) == expected
    assert all(m.term == m.text for m in mentions if m.kind == "industry")
    _assert_spans_exact(text, mentions)


@pytest.mark.parametrize(
    "text",
    [
        "市发展改革、财政、税务等部门按照各自职责做好工作",
        "通过发展经济和调整产业结构、规范人力资源市场等措施,创造就业条件",
        "针对农牧民转移就业、退役军人等重点群体",
        "将民族传统工艺、非物质文化遗产等融入职业教育",
        "如果旅游业、清洁能源等需要",
        "定期发布行业发展动态、人才需求等信息",
        "职业院校可以面向企业招聘高技能人才、工程技术人员等兼任教师",
        "实施高等职业教育",
    ],
)
def test_not_industry_lists(text: str) -> None:
    assert _industries(text) == []


@pytest.mark.parametrize(
    ("text", "initiatives", "industries"),
    [
        (SEED_EIGHT_INDUSTRIES, ["产教融合"], ["旅游业", "清洁能源", "特色农牧业", "大数据"]),
        (SEED_LOCAL_INDUSTRIES, ["活页式教材", "工作手册式教材"], ["高原特色种养殖", "民族手工艺", "跨境旅游", "边境贸易"]),
        (SEED_RURAL, ["乡村振兴"], ["种养殖技术", "电子商务", "乡村旅游", "家政服务"]),
        (SEED_CERTIFICATES, ["岗课赛证", "技能大赛", "1+X"], []),
        (SEED_TEACHERS, ["双师型"], []),
    ],
    ids=["eight-industries", "local-industries", "rural", "certificates", "teachers"],
)
def test_seed_sentences(text: str, initiatives: list[str], industries: list[str]) -> None:
    mentions = extract_mentions(text)
    assert [m.term for m in mentions if m.kind == "initiative"] == initiatives
    assert _industries(text) == industries
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    _assert_spans_exact(text, mentions)


def test_seed_file_mentions(seed_path: Path) -> None:
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    mentions = [(line, m) for line in lines for m in extract_mentions(line)]
    for line, mention in mentions:
        assert line[mention.start:mention.end] == mention.text
    industries = [m.text for _, m in mentions if m.kind == "industry"]
    assert industries == ["旅游业", "清洁能源", "特色农牧业", "大数据", "高原特色种养殖", "民族手工艺", "跨境旅游",
                          "边境贸易", "种养殖技术", "电子商务", "乡村旅游", "家政服务"]
    terms = {m.term for _, m in mentions if m.kind == "initiative"}
    assert {"岗课赛证", "双师型", "产教融合", "1+X", "校企合作", "乡村振兴", "数字化转型", "立德树人"} <= terms


_PIECES = st.sampled_from([
    "产教融合", "产教融合型企业", "校企合作", "双师型", "“", "”", "1+X", "1＋X", "证书", "如", "(如", "（如", "等",
    "、", "，", ",", "。", "开展", "面向", "大力发展", "旅游业", "大数据", "高等", "部门", "(", ")", "）", " ",
])
_TEXT = st.lists(st.one_of(_PIECES, st.text(alphabet="产业教育技能等如、", max_size=3)), max_size=25).map("".join)


@settings(max_examples=25, deadline=None)
@given(_TEXT)
def test_mention_spans_always_index_the_text(text: str) -> None:
    mentions = extract_mentions(text)
    _assert_spans_exact(text, mentions)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    initiatives = [m for m in mentions if m.kind == "initiative"]
    assert all(a.end <= b.start for a, b in zip(initiatives, initiatives[1:]))
    edges = set("“”()（） ")
    industries = [m.text for m in mentions if m.kind == "industry"]
    assert all(len(t) <= 12 and {t[0], t[-1]}.isdisjoint(edges) for t in industries)
