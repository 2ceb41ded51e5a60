"""Quantified goals and deadlines found in one provision's own text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.policy.records import TargetRecord
from ingest.policy.targets import extract_targets, parse_chinese_number
from tests.conftest import require_shared

LAW_FILES = [
    "vocational-education-law-2022.md",
    "vocational-education-law-1996.md",
    "education-law-2021.md",
    "employment-promotion-law-2015.md",
    "shanghai-vocational-education-regulation-2018.md",
    "beijing-vocational-education-law-implementation.md",
    "ningbo-secondary-vocational-education-regulation-2010.md",
    "ningbo-school-enterprise-cooperation-regulation-2020.md",
    "qingdao-vocational-education-regulation-2015.md",
    "henan-vocational-education-law-implementation-2010.md",
]

# The seed draft's provisions that carry targets, exactly as printed in the seed file.
SEED_GOALS = "(三)发展目标 到2027年,我区职业教育体系更加完善,产教融合、校企合作的办学模式全面深化,职业教育的吸引力、竞争力和贡献力显著增强。"
SEED_SCHOOLS = "- 办学水平显著提升: 建设3-5所高水平职业院校和一批优质专业群,教师队伍“双师型”比例达到70%以上。"
SEED_TRAINING = "- 服务能力全面增强: 每年为社会输送数万名高素质技术技能人才,职业培训年均覆盖10万人次以上,成为服务我区经济社会发展的“人才引擎”。"
SEED_FUNDING = (
    "(二)加大财政投入 建立与办学规模、培养成本、办学质量等相适应的财政拨款制度,确保职业教育经费投入持续稳定增长,"
    "从自治区教育费附加和地方教育附加中,拿出不低于30%的比例用于职业教育,鼓励通过政府和社会资本合作(PPP)模式,"
    "吸引社会资本参与职业院校建设和运营。"
)

# (kind, value, value_max, unit, comparator, comparator_text, year, metric, text) per seed target
SEED_EXPECTED = {
    SEED_GOALS: [("deadline", "2027", None, "年", None, None, 2027, None, "到2027年")],
    SEED_SCHOOLS: [
        ("quantity", "3", "5", "所", None, None, 2027, "高水平职业院校", "3-5所"),
        ("quantity", "70", None, "%", "at_least", "达到…以上", 2027, "教师队伍“双师型”比例", "达到70%以上"),
    ],
    SEED_TRAINING: [("quantity", "100000", None, "人次", "at_least", "以上", 2027, "职业培训年均覆盖", "10万人次以上")],
    SEED_FUNDING: [("quantity", "30", None, "%", "at_least", "不低于", 2027, "比例用于职业教育", "不低于30%")],
}


def _row(record: TargetRecord) -> tuple[object, ...]:
    return (record.kind, str(record.value), None if record.value_max is None else str(record.value_max),
            record.unit, record.comparator, record.comparator_text, record.year, record.metric, record.text)


def _quantities(text: str, inherited_year: int | None = None) -> list[TargetRecord]:
    return [r for r in extract_targets(text, inherited_year) if r.kind == "quantity"]


def _assert_spans_exact(text: str, records: list[TargetRecord]) -> None:
    for record in records:
        assert 0 <= record.start < record.end <= len(text)
        assert text[record.start:record.end] == record.text


@pytest.mark.parametrize(
    ("text", "expected"), list(SEED_EXPECTED.items()), ids=["goals", "schools", "training", "funding"]
)
def test_seed_sentences_give_the_acceptance_targets(text: str, expected: list[tuple[object, ...]]) -> None:
    records = extract_targets(text, inherited_year=2027)
    assert [_row(r) for r in records] == expected
    _assert_spans_exact(text, records)


def test_seed_file_has_exactly_the_acceptance_targets(seed_path) -> None:  # noqa: ANN001 - pytest fixture
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    found = {line: [_row(r) for r in extract_targets(line, inherited_year=2027)] for line in lines}
    found = {line: rows for line, rows in found.items() if rows}
    assert found == SEED_EXPECTED


@pytest.mark.parametrize(
    ("text", "value", "value_max", "unit"),
    [
        ("建设70所", "70", None, "所"),
        ("比例提高3.5个百分点", "3.5", None, "个百分点"),
        ("培训1,000人", "1000", None, "人"),
        ("新建三所学校", "3", None, "所"),
        ("建设十所示范校", "10", None, "所"),
        ("培育二十家企业", "20", None, "家"),
        ("建成一百个基地", "100", None, "个"),
        ("遴选两所院校", "2", None, "所"),
        ("培训五千人", "5000", None, "人"),
        ("建设3-5所", "3", "5", "所"),
        ("建设3～5所", "3", "5", "所"),
        ("建设3至5所", "3", "5", "所"),
        ("建设3到5所", "3", "5", "所"),
        ("建设三至五所", "3", "5", "所"),
        ("比例为3%-5%", "3", "5", "%"),
        ("覆盖10万人次", "100000", None, "人次"),
        ("培训十万人次", "100000", None, "人次"),
        ("投入5000万元", "5000", None, "万元"),
        ("投入五千万元", "5000", None, "万元"),
        ("投入1.5亿元", "1.5", None, "亿元"),
        ("占比30％", "30", None, "%"),
        ("占比３０％", "30", None, "%"),
        ("按照百分之二点五提取", "2.5", None, "%"),
        ("工资总额千分之五", "5", None, "‰"),
        ("百分之十至百分之二十", "10", "20", "%"),
        ("增加一点五倍", "1.5", None, "倍"),
    ],
)
def test_numbers_and_units(text: str, value: str, value_max: str | None, unit: str) -> None:
    [record] = _quantities(text)
    assert (record.value, record.value_max, record.unit) == (
        Decimal(value), None if value_max is None else Decimal(value_max), unit)
    _assert_spans_exact(text, [record])


@pytest.mark.parametrize(
    ("text", "comparator", "comparator_text", "span"),
    [
        ("比例不低于30%", "at_least", "不低于", "不低于30%"),
        ("每年不少于40学时", "at_least", "不少于", "不少于40学时"),
        ("比例达到70%以上", "at_least", "达到…以上", "达到70%以上"),
        ("覆盖10万人次以上", "at_least", "以上", "10万人次以上"),
        ("比例达到70%", "reach", "达到", "达到70%"),
        ("提高到80%", "reach", "提高到", "提高到80%"),
        ("提升到90%", "reach", "提升到", "提升到90%"),
        ("增至5000人", "reach", "增至", "增至5000人"),
        ("超过20家", "more_than", "超过", "超过20家"),
        ("十余所", "more_than", "余", "十余所"),
        ("不超过10%", "at_most", "不超过", "不超过10%"),
        ("不高于10%", "at_most", "不高于", "不高于10%"),
        ("每日不得超过八小时", "at_most", "不得超过", "不得超过八小时"),
        ("五年以内", "at_most", "以内", "五年以内"),
        ("处五倍以下罚款", "at_most", "以下", "五倍以下"),
        ("三年内建成", "at_most", "内", "三年内"),
        ("比例低于5%", "less_than", "低于", "低于5%"),
        ("人数少于3人", "less_than", "少于", "少于3人"),
        ("违法所得不足一万元的", "less_than", "不足", "不足一万元"),
        ("比例达不到百分之三十", "less_than", "达不到", "达不到百分之三十"),
        ("年满十六周岁", "at_least", "年满", "年满十六周岁"),
        ("未满十六周岁", "less_than", "未满", "未满十六周岁"),
        ("不得低于标准的一点五倍", "at_least", "不得低于", "不得低于标准的一点五倍"),
    ],
)
def test_comparators(text: str, comparator: str, comparator_text: str, span: str) -> None:
    [record] = _quantities(text)
    assert (record.comparator, record.comparator_text, record.text) == (comparator, comparator_text, span)
    _assert_spans_exact(text, [record])


@pytest.mark.parametrize(
    ("text", "value", "value_max", "unit"),
    [("责令停止招生资格一年以上三年以下", "1", "3", "年"), ("并处一万元以上五万元以下的罚款", "1", "5", "万元"),
     ("处五日以上十五日以下拘留", "5", "15", "日")],
)
def test_a_lower_and_an_upper_bound_make_one_range(text: str, value: str, value_max: str, unit: str) -> None:
    [record] = _quantities(text)
    assert (record.value, record.value_max, record.unit) == (Decimal(value), Decimal(value_max), unit)
    assert (record.comparator, record.comparator_text) == (None, "以上…以下")


@pytest.mark.parametrize(
    "text",
    [
        "1996年5月15日 第八届全国人民代表大会常务委员会第十九次会议通过",
        "2022年4月20日 第十三届全国人民代表大会常务委员会第三十四次会议修订",
        "自2022年5月1日起施行。",
        "到2027年",  # a deadline, not a quantity
        "第二十条 国家鼓励企业举办职业教育。",
        "依照本法第二十七条规定",
        "（三）发展目标",
        "(一)指导思想",
        "1. 总则",
        "每年为社会输送数万名高素质技术技能人才",
        "数十万人参加培训",
        "支持学生获取“1+X”证书",
        "落实“1＋X”证书制度试点",
        "“十四五”期间",
        "紧密对接自治区“八大产业”",
        "推行“四共”模式",
        "建设一批优质专业群",
        "实施九年义务教育",
        "十六周岁的未成年人",
        "顶岗实习一般为六个月",
        "专业教师每两年到企业实践",
        "三分之二以上多数通过",
        "坚持四项基本原则",
        "践行“三个代表”重要思想",
        "这十分重要",
    ],
)
def test_not_quantities(text: str) -> None:
    assert _quantities(text) == []


@pytest.mark.parametrize(
    ("text", "year", "span"),
    [
        ("到2027年,我区职业教育体系更加完善", 2027, "到2027年"),
        ("至2025年,建成10所", 2025, "至2025年"),
        ("到2027年底建成10所", 2027, "到2027年底"),
        ("2027年前建成10所", 2027, "2027年前"),
        ("2027年底前建成10所", 2027, "2027年底前"),
        ("截至2030年,覆盖率达到90%", 2030, "截至2030年"),
        ("到二〇二七年,建成10所", 2027, "到二〇二七年"),
    ],
)
def test_deadlines_and_the_year_they_give(text: str, year: int, span: str) -> None:
    records = extract_targets(text, inherited_year=1999)
    deadlines = [r for r in records if r.kind == "deadline"]
    assert [(d.value, d.unit, d.comparator, d.year, d.text) for d in deadlines] == [
        (Decimal(year), "年", None, year, span)]
    assert all(r.year == year for r in records)
    _assert_spans_exact(text, records)


@pytest.mark.parametrize("text", ["2027年我区将全面完成", "1996年5月15日通过", "自2022年5月1日起施行"])
def test_a_year_alone_is_not_a_deadline(text: str) -> None:
    assert extract_targets(text) == []


def test_each_quantity_takes_the_nearest_deadline_before_it() -> None:
    text = "到2025年,建成10所;到2035年,建成20所"
    assert [(r.kind, r.year) for r in extract_targets(text)] == [
        ("deadline", 2025), ("quantity", 2025), ("deadline", 2035), ("quantity", 2035)]


def test_the_inherited_year_applies_only_without_a_deadline_of_its_own() -> None:
    assert [r.year for r in _quantities("建设3-5所", inherited_year=2027)] == [2027]
    assert [r.year for r in _quantities("建设3-5所")] == [None]
    assert [r.year for r in _quantities("到2030年,建设3-5所", inherited_year=2027)] == [2030]


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("建设3-5所高水平职业院校和一批优质专业群", "高水平职业院校"),
        ("教师队伍“双师型”比例达到70%以上", "教师队伍“双师型”比例"),
        ("职业培训年均覆盖10万人次以上", "职业培训年均覆盖"),
        ("拿出不低于30%的比例用于职业教育", "比例用于职业教育"),
        ("用于一线职工职业教育培训的比例不低于百分之六十", "用于一线职工职业教育培训的比例"),
        ("到2027年,毕业生就业率达到95%", "毕业生就业率"),
        ("到2027年毕业生就业率达到95%", "毕业生就业率"),
        ("建设10所", "建设"),
        ("30%", None),
    ],
)
def test_metric_is_the_clause_before_or_the_noun_after(text: str, metric: str | None) -> None:
    [record] = _quantities(text)
    assert record.metric == metric


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("三", 3), ("十", 10), ("十六", 16), ("二十", 20), ("一百", 100), ("一百零五", 105), ("两", 2),
     ("五千", 5000), ("十万", 100_000), ("一万五千", 15_000), ("一亿", 100_000_000), ("一点五", Decimal("1.5"))],
)
def test_chinese_numerals(numeral: str, value: int | Decimal) -> None:
    assert parse_chinese_number(numeral) == Decimal(value)


@pytest.mark.parametrize("numeral", ["十四五", "三五", "四五"])
def test_digit_runs_are_names_not_numerals(numeral: str) -> None:
    assert parse_chinese_number(numeral) is None


@pytest.mark.realdata
@pytest.mark.parametrize("name", LAW_FILES)
def test_laws_give_no_dates_ordinals_or_deadlines(name: str) -> None:
    path = require_shared("policy", name)
    for line in path.read_text(encoding="utf-8").splitlines():
        records = extract_targets(line)
        _assert_spans_exact(line, records)
        assert not [r for r in records if r.kind == "deadline"], line
        for record in records:
            assert "第" not in record.text and "月" not in record.text.replace("个月", ""), line
            bounded = record.comparator is not None or record.value_max is not None
            assert bounded or record.unit not in ("年", "个月", "周岁"), line


_PIECES = st.sampled_from([
    "建设", "所", "人次", "%", "％", "万", "万元", "亿", "年", "周岁", "个百分点", "以上", "以下", "以内", "达到",
    "不低于", "不得超过", "未满", "第", "条", "到", "至", "-", "～", "数", "每", "百分之", "分之", "1+X", "“", "”",
    ",", "，", "。", "；", " ", "\n", "三", "十", "二〇二七", "两", "点", "一", "比例", "学校", "余",
])
_TEXT = st.lists(st.one_of(_PIECES, st.integers(0, 30000).map(str), st.decimals(0, 100, places=1).map(str)),
                 max_size=25).map("".join)


@settings(max_examples=25, deadline=None)
@given(_TEXT, st.none() | st.integers(2000, 2050))
def test_spans_always_index_the_text(text: str, inherited_year: int | None) -> None:
    records = extract_targets(text, inherited_year)
    _assert_spans_exact(text, records)
    assert [r.start for r in records] == sorted(r.start for r in records)
    for record in records:
        assert record.value >= 0 and (record.value_max is None or record.value_max >= 0)
        assert record.kind in ("quantity", "deadline")


@pytest.mark.parametrize(
    ("text", "span", "comparator", "metric"),
    [
        ("（一）培训规模 2025年底前，培训3000人次。", "2025年底前", None, None),
        ("打造10个左右市级高水平专业群", "10个左右", "about", "市级高水平专业群"),
    ],
)
def test_spans_do_not_swallow_spaces_and_approximate_counts_are_about(
        text: str, span: str, comparator: str | None, metric: str | None) -> None:
    record = extract_targets(text)[0]
    assert record.text == span == text[record.start:record.end]
    assert record.comparator == comparator
    assert record.metric == metric
