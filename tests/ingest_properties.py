"""Properties of every ingestor and of the name normaliser, with the hypothesis strategies that feed them.

Shared by ``tests/test_properties_ingest.py`` (25 examples a property in CI) and ``bench/fuzz.py``
(thousands). Documents come from small grammars (a policy: title and 第X条 articles; a course
standard: title, basic information, sections; a 专业简介 profile; a catalogue table with its real
headers) with noise mixed in: random lines, quotes, commas, newlines, full-width forms, control
characters. Each ``check_*`` takes generated input and raises AssertionError when a property fails;
any exception that is not a ``kg.errors.VetgraphError`` escapes as it is (that is a crash).
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode

from ingest.readers.text import CONTROL
from ingest.base import Ingestor, ParseResult
from ingest.registry import choose_ingestor, get_ingestor
from kg.core import terms
from kg.errors import SourceError, VetgraphError

SOURCE = NamedNode("https://example.org/fuzz/source")
#: The file name every variant of one input is written under (document slugs come from the stem).
STEM = "fuzz-input"
LINE_PREDICATES = {terms.VET + name for name in ("line", "lineStart", "lineEnd")}
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16")  # Python's utf-16 writes a BOM
DOCUMENT_KINDS = ("policy", "course-standard", "profile")
CATALOGUE_KINDS = ("majors", "industries", "occupations", "certificates", "standard-courses", "standard-occupations")

# -- text pieces ---------------------------------------------------------------------------------
WORDS = ("职业教育", "产教融合", "校企合作", "专业", "课程", "实训", "新能源汽车", "工业机器人", "大数据", "电子商务",
         "旅游", "养老", "护理", "教师", "学生", "企业", "院校", "培训", "证书", "标准", "技能", "发展", "建设",
         "推进", "支持", "鼓励", "应当", "不低于", "达到", "以上", "比例", "每年", "全市", "县（区）", "人民政府",
         "“双师型”", "1+X", "《中华人民共和国职业教育法》", "60%", "30家", "2027年", "5万人次")
PUNCTUATION = ("，", "、", "；", "：", "。", "（", "）", "“", "”", "《", "》", ",", ".", ";", ":")
#: What a careless export puts into a field or a line: quotes, separators, newlines, wide and control characters.
NASTY = ('"', "'", ",", ";", "\t", "\n", "\r\n", "\r", " ", "\u3000", "\u00a0", "\ufeff", "\u200b", "\x0b", "\x0c",
         "\x1b", "\x7f", "\x85", "\u2028", "ＡＢＣ", "１２３", "（）", "<b>", "&amp;", "=1+1", "\\", "第", "条", "一、",
         "😀", "\U00020000", "e\u0301", "\u0301", "ﬁ")
CHINESE_NUMBERS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1..99 as 一 .. 九十九."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CHINESE_NUMBERS[ones - 1]
    head = "" if tens == 1 else CHINESE_NUMBERS[tens - 1]
    return head + "十" + (CHINESE_NUMBERS[ones - 1] if ones else "")


#: No NUL: a NUL makes a file binary, which ``test_a_nul_is_refused_as_binary_in_every_encoding`` covers.
noise = st.lists(st.one_of(st.sampled_from(NASTY), st.characters(codec="utf-8", exclude_categories=("Cs",),
                                                                  exclude_characters="\x00")),
                 max_size=12).map("".join)
sentences = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(PUNCTUATION)), min_size=1,
                     max_size=14).map("".join)
noisy_sentences = st.one_of(sentences, st.tuples(sentences, noise, sentences).map("".join))


@st.composite
def _lines(draw: st.DrawFn, core: list[str]) -> str:
    """``core`` lines with random noise lines and blank lines among them, joined by one kind of line end."""
    out: list[str] = []
    for line in core:
        if draw(st.integers(0, 9)) == 0:
            out.append(draw(st.one_of(noise, noisy_sentences)))
        if draw(st.integers(0, 7)) == 0:
            out.append("")
        out.append(draw(st.sampled_from(("", " ", "\u3000", "  "))) + line)
    return draw(st.sampled_from(("\n", "\r\n"))).join(out) + draw(st.sampled_from(("", "\n")))


@st.composite
def policy_texts(draw: st.DrawFn) -> str:
    """A title, maybe a date and chapters, then 第X条 articles with （一） items."""
    kind = draw(st.sampled_from(("条例", "办法", "实施意见", "实施意见（征求意见稿）")))
    lines = [draw(st.sampled_from(("", "# "))) + "XX市" + draw(sentences) + kind]
    if draw(st.booleans()):
        lines.append(f"{draw(st.integers(2000, 2030))}年{draw(st.integers(1, 12))}月{draw(st.integers(1, 28))}日 通过")
    article = 0
    for chapter in range(1, draw(st.integers(1, 3)) + 1):
        if draw(st.booleans()):
            lines.append(f"第{chinese_number(chapter)}章 {draw(sentences)}")
        for _ in range(draw(st.integers(1, 4))):
            article += 1
            lines.append(f"第{chinese_number(article)}条 {draw(noisy_sentences)}")
            for item in range(1, draw(st.integers(0, 3)) + 1):
                lines.append(f"（{chinese_number(item)}）{draw(noisy_sentences)}")
    return draw(_lines(lines))


@st.composite
def course_standard_texts(draw: st.DrawFn) -> str:
    """A title, the basic-information block, objectives and a content table of tab-separated rows."""
    name = draw(st.sampled_from(("新能源汽车构造", "模拟导游实训", "老年照护技能", "数据采集", "工业机器人编程"))) + draw(
        st.sampled_from(("", "实务", "（一）", draw(noise))))
    hours = draw(st.integers(0, 200))
    info = [f"课程名称：{name}"]
    for field, value in (("课程代码", f"KC{draw(st.integers(0, 9999)):04d}"), ("课程性质", "专业核心课"),
                         ("学时", str(hours)), ("学分", str(draw(st.integers(0, 12)))),
                         ("适用专业", f"{draw(sentences)}（{draw(st.integers(100000, 999999))}）")):
        if draw(st.integers(0, 4)):
            info.append(f"{field}{draw(st.sampled_from(('：', ':', ' ')))}{value}")
    lines = [f"《{name}》课程标准", "一、课程基本信息", *info, "二、课程性质与任务", draw(noisy_sentences), "三、课程目标"]
    for part in ("（一）知识目标", "（二）能力目标"):
        lines.append(part)
        lines += [f"{'①②③④⑤'[i]}{draw(noisy_sentences)}" for i in range(draw(st.integers(0, 4)))]
    lines += ["四、课程内容与学时安排", "序号\t项目名称\t内容\t学时"]
    rows = draw(st.integers(0, 5))
    for row in range(1, rows + 1):
        lines.append(f"{row}\t{draw(sentences)}\t{draw(noisy_sentences)}\t{draw(st.integers(0, 40))}")
    if rows and draw(st.booleans()):
        lines.append(f"合计\t\t\t{hours}")
    if draw(st.booleans()):
        lines += ["五、课证融通", f"本课程对接{draw(sentences)}职业技能等级证书（{draw(st.sampled_from(('初级', '中级', '高级')))}）。"]
    return draw(_lines(lines))


@st.composite
def profile_texts(draw: st.DrawFn) -> str:
    """专业简介 blocks: 大类 / 专业类 headings, 专业代码 / 专业名称, the profile's sections or （略）."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        code = f"{draw(st.integers(41, 79))}{draw(st.integers(1, 99)):02d}{draw(st.integers(1, 99)):02d}"
        lines += [f"# {code[:2]} {draw(sentences)}大类", f"# {code[:4]} {draw(sentences)}类",
                  f"专业代码 {code}", f"专业名称 {draw(sentences)}", "基本修业年限 三年"]
        if draw(st.integers(0, 3)) == 0:
            lines.append("（略）")
            continue
        lines += ["# 职业面向", draw(noisy_sentences), "# 培养目标定位", draw(noisy_sentences), "# 主要专业能力要求"]
        lines += [f"{i}. 具有{draw(noisy_sentences)}的能力；" for i in range(1, draw(st.integers(1, 4)) + 1)]
        lines += ["# 主要专业课程与实习实训", "专业核心课程：" + "、".join(draw(st.lists(sentences, min_size=1, max_size=4))) + "。",
                  "# 职业类证书举例", "职业技能等级证书：" + "、".join(draw(st.lists(sentences, min_size=1, max_size=3)))]
    return draw(_lines(lines))


DOCUMENT_STRATEGIES: dict[str, st.SearchStrategy[str]] = {
    "policy": policy_texts(), "course-standard": course_standard_texts(), "profile": profile_texts()}


# -- catalogue rows ------------------------------------------------------------------------------
def _major_row(draw: st.DrawFn, good: bool) -> dict[str, str]:
    code = f"{draw(st.integers(41, 79))}{draw(st.integers(1, 99)):02d}{draw(st.integers(1, 99)):02d}"
    row = {"level": draw(st.sampled_from(("voc_associate", "高职专科", "中职", "职教本科"))), "code": code,
           "name": draw(sentences), "dalei_code": code[:2], "dalei_name_derived": draw(sentences),
           "class_code": code[:4], "class_name": draw(sentences),
           "in_2021_catalog": draw(st.sampled_from(("True", "False", "")))}
    return row if good else {key: draw(st.one_of(st.just(value), noise)) for key, value in row.items()}


def _industry_row(draw: st.DrawFn, good: bool) -> dict[str, str]:
    section = draw(st.sampled_from("ABCDEFGHIJKLMNOPQRST"))
    division = f"{draw(st.integers(1, 99)):02d}"
    code, level_name = draw(st.sampled_from(((section, "门类"), (division, "大类"), (division + "1", "中类"),
                                             (division + "12", "小类"))))
    row = {"level_name": level_name, "code": code, "name": draw(sentences), "section": section,
           "division": division if len(code) > 1 else "", "description": draw(st.one_of(st.just(""), sentences))}
    return row if good else {key: draw(st.one_of(st.just(value), noise)) for key, value in row.items()}


def _occupation_row(draw: st.DrawFn, good: bool) -> dict[str, str]:
    a, b, c, d = draw(st.integers(1, 8)), draw(st.integers(1, 99)), draw(st.integers(1, 99)), draw(st.integers(1, 99))
    row = {"occupation_code": f"{a}-{b:02d}-{c:02d}-{d:02d}", "occupation_name": draw(sentences) + "人员",
           "major_category_code": str(a), "major_category_name": draw(sentences),
           "middle_category_code": f"{a}-{b:02d}", "middle_category_name": draw(sentences),
           "minor_category_code": f"{a}-{b:02d}-{c:02d}", "minor_category_name": draw(sentences),
           "markers": draw(st.sampled_from(("", "L", "S", "L/S"))), "definition": draw(noisy_sentences)}
    return row if good else {key: draw(st.one_of(st.just(value), noise)) for key, value in row.items()}


def _certificate_row(draw: st.DrawFn, good: bool) -> dict[str, str]:
    row = {"batch": str(draw(st.integers(1, 5))), "seq": str(draw(st.integers(1, 99))),
           "issuing_org_培训评价组织": draw(sentences) + "有限公司", "certificate_name": draw(sentences) + "职业技能等级证书",
           "level": draw(st.sampled_from(("初级", "中级", "高级", "")))}
    return row if good else {key: draw(st.one_of(st.just(value), noise)) for key, value in row.items()}


def _standard_course_row(draw: st.DrawFn, good: bool) -> dict[str, str]:
    row = {"level": draw(st.sampled_from(("voc_associate", "高职专科"))),
           "major_code": str(draw(st.integers(410101, 799999))),
           "major_name": draw(sentences), "course_seq": str(draw(st.integers(1, 40))), "course_name": draw(sentences)}
    return row if good else {key: draw(st.one_of(st.just(value), noise)) for key, value in row.items()}


def _standard_occupation_row(draw: st.DrawFn, good: bool) -> dict[str, str]:
    code = f"{draw(st.integers(1, 8))}-{draw(st.integers(1, 99)):02d}-{draw(st.integers(1, 99)):02d}"
    row = {"major_level": draw(st.sampled_from(("voc_associate", "中职"))),
           "major_code": str(draw(st.integers(410101, 799999))), "major_name": draw(sentences), "occupation_code": code,
           "occupation_name": draw(sentences)}
    return row if good else {key: draw(st.one_of(st.just(value), noise)) for key, value in row.items()}


ROW_MAKERS: dict[str, Callable[[st.DrawFn, bool], dict[str, str]]] = {
    "majors": _major_row, "industries": _industry_row, "occupations": _occupation_row,
    "certificates": _certificate_row, "standard-courses": _standard_course_row,
    "standard-occupations": _standard_occupation_row}


def _newlines(text: str) -> str:
    """Line ends as the readers count them: CR LF, CR and LF are each one line end."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class Table:
    """A generated catalogue: its header, its rows, and the CSV text with each row's first line."""

    kind: str
    header: list[str]
    rows: list[dict[str, str]]

    def csv_text(self) -> tuple[str, list[int]]:
        """The table as CSV (quoted where needed) and the line each data row starts on (the header is line 1)."""
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; with "\n" a bare CR goes unquoted
        writer.writerow(self.header)
        starts = []
        for row in self.rows:
            starts.append(_newlines(buffer.getvalue()).count("\n") + 1)
            writer.writerow([row.get(h, "") for h in self.header])
        return buffer.getvalue(), starts

    def jsonl_text(self) -> str:
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in self.rows)


@st.composite
def tables(draw: st.DrawFn, kind: str | None = None) -> Table:
    """A catalogue of ``kind`` (any kind when None): mostly well-formed rows, some with noise in their fields."""
    kind = kind or draw(st.sampled_from(CATALOGUE_KINDS))
    make = ROW_MAKERS[kind]
    rows = [make(draw, draw(st.integers(0, 3)) > 0) for _ in range(draw(st.integers(1, 8)))]
    header = list(rows[0])
    return Table(kind, header, rows)


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes inserted, deleted or flipped (a truncated download, a stray quote)."""
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(("insert", "delete", "flip", "truncate")))
        if action == "insert":
            inserted = draw(st.sampled_from((b'"', b",", b"\n", b"\r", b"\x00", b"\xff", b"\xe4\xb8")))
            data = data[:at] + inserted + data[at:]
        elif action == "delete":
            data = data[:at] + data[at + 1:]
        elif action == "flip":
            data = data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1:]
        else:
            data = data[:at]
    return data


# -- running an ingestor -------------------------------------------------------------------------
@dataclass
class Outcome:
    """What one ingestor made of one input: its triples (as N-Triples-like strings) or the error it raised."""

    triples: list[str] | None
    error: VetgraphError | None
    result: ParseResult | None = None
    message: str | None = None  # the error's text, the temporary folder written as <tmp>

    @property
    def refused(self) -> bool:
        return self.error is not None

    @property
    def line(self) -> int | None:
        return self.error.line if isinstance(self.error, SourceError) else None


def parse_bytes(ingestor: Ingestor, data: bytes, suffix: str, folder: Path | None = None) -> Outcome:
    """Write ``data`` to a file and parse it; a VetgraphError is an outcome, anything else escapes."""
    with tempfile.TemporaryDirectory(prefix="fuzz-", dir=folder) as tmp:
        path = Path(tmp) / f"{STEM}{suffix}"
        path.write_bytes(data)
        try:
            result = ingestor.parse(path, SOURCE)
        except VetgraphError as error:
            return Outcome(None, error, message=str(error).replace(tmp, "<tmp>"))
        return Outcome([f"{s} {p} {o}" for s, p, o in result.triples], None, result)


def detect_bytes(data: bytes, suffix: str) -> str | VetgraphError:
    """The kind the registry picks for the file, or the VetgraphError it refuses it with."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        path = Path(tmp) / f"{STEM}{suffix}"
        path.write_bytes(data)
        try:
            return choose_ingestor(path).kind
        except VetgraphError as error:
            return error


def text_lines(data: bytes) -> list[str] | None:
    """The input's lines as the readers number them (None when it is not text any reader decodes)."""
    from ingest.readers.decode import decode_bytes

    try:
        return decode_bytes(data, "input").split("\n")
    except VetgraphError:
        return None


# -- the properties ------------------------------------------------------------------------------
_BAD_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def bad_literals(triples: list, *, controls: bool = True) -> list[str]:
    """Literals holding a lone surrogate or (``controls``) a control character other than tab and newline."""
    pattern = _BAD_CHARACTER if controls else _SURROGATE
    found = []
    for triple in triples:
        obj = triple[2]
        if isinstance(obj, Literal) and pattern.search(obj.value):
            found.append(f"{triple[0]} {triple[1]} {obj.value!r}")
    return found


def line_values(triples: list) -> list[int]:
    return [int(o.value) for _, p, o in triples if p.value in LINE_PREDICATES]


def check_contract(kind: str, data: bytes, suffix: str, *, controls: bool = True) -> Outcome:
    """Detection and parsing either succeed or raise a VetgraphError; a success has valid literals and lines.

    ``controls=False`` lets control characters through in literals: catalogue fields keep them
    today, and a NUL in a table with a BOM (the xfail tests of test_properties_ingest.py say so).
    """
    detected = detect_bytes(data, suffix)
    assert isinstance(detected, (str, VetgraphError))
    outcome = parse_bytes(get_ingestor(kind), data, suffix)
    if outcome.result is not None:
        triples = outcome.result.triples
        assert not bad_literals(triples, controls=controls), bad_literals(triples, controls=controls)[:3]
        lines = text_lines(data) if suffix != ".xlsx" else None
        if lines is not None:
            for number in line_values(triples):
                assert 1 <= number <= len(lines), f"line {number} of {len(lines)}"
                if kind in DOCUMENT_KINDS:
                    assert lines[number - 1].strip(), f"line {number} is blank: {lines[number - 1]!r}"
        for rejection in outcome.result.rejections:
            if lines is not None and rejection.line is not None:
                assert 1 <= rejection.line <= len(lines), f"rejection at line {rejection.line} of {len(lines)}"
    return outcome


def check_deterministic(kind: str, data: bytes, suffix: str) -> None:
    """The same bytes give the same triples (in the same order), or the same refusal."""
    first, second = parse_bytes(get_ingestor(kind), data, suffix), parse_bytes(get_ingestor(kind), data, suffix)
    assert first.triples == second.triples
    assert first.message == second.message


def check_encodings(kind: str, text: str, suffix: str) -> dict[str, Outcome]:
    """UTF-8 with and without a BOM, GB18030 and UTF-16 with a BOM give one graph (or one refusal, on one line)."""
    outcomes = {encoding: parse_bytes(get_ingestor(kind), text.encode(encoding), suffix) for encoding in ENCODINGS}
    plain = outcomes["utf-8"]
    for encoding, outcome in outcomes.items():
        assert outcome.refused == plain.refused, (encoding, outcome.error, plain.error)
        if plain.refused:
            assert outcome.line == plain.line, (encoding, outcome.error, plain.error)
        else:
            assert sorted(outcome.triples or []) == sorted(plain.triples or []), encoding
    return outcomes


def check_csv_round_trip(table: Table) -> None:
    """Every row's fields survive CSV quoting: each row is in the graph with its own line, or rejected on that line."""
    text, starts = table.csv_text()
    outcome = check_contract(table.kind, text.encode("utf-8"), ".csv", controls=False)
    if outcome.refused:
        # Only a table-level problem may refuse the whole file: it is said with a line (or names the header).
        message = str(outcome.error)
        assert outcome.line is not None or "header" in message or "empty" in message, message
        return
    assert outcome.result is not None
    rejected = {r.line for r in outcome.result.rejections}
    found = set(line_values(outcome.result.triples))
    assert rejected | found <= set(starts), (sorted(rejected | found), starts)
    seen_keys: set[tuple[str, ...]] = set()
    for row, start in zip(table.rows, starts):
        key = tuple(row.values())
        if start not in rejected and start not in found:
            # A row may only vanish as the identical repeat of an earlier row's key (kept once, nothing to say).
            assert _repeats_earlier(table, row, start, starts), (start, row)
        seen_keys.add(key)
    if table.kind == "majors":
        labels = {(s.value, o.value) for s, p, o in outcome.result.triples if p.value == terms.SKOS + "prefLabel"}
        for row, start in zip(table.rows, starts):
            if start in found and start not in rejected:
                label = CONTROL.sub(" ", _newlines(row["name"])).strip()  # control characters become spaces
                assert (f"{terms.DATA}major/{row['code'].strip().upper()}", label) in labels, row


def _repeats_earlier(table: Table, row: dict[str, str], start: int, starts: list[int]) -> bool:
    """Whether an earlier row shares this row's key column (the first column of the kind's key)."""
    key_column = {"majors": "code", "industries": "code", "occupations": "occupation_code",
                  "certificates": "certificate_name", "standard-courses": "major_code",
                  "standard-occupations": "major_code"}[table.kind]
    index = starts.index(start)
    return any(other.get(key_column, "").strip() == row.get(key_column, "").strip() for other in table.rows[:index])


#: What ``str.splitlines`` breaks a line at besides CR and LF; inside a JSON string they are plain characters.
LINE_SEPARATORS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def has_line_separators(table: Table) -> bool:
    """Whether a field holds a line separator JSON Lines breaks at, or a CR (CSV makes CR LF in a field LF,
    JSON keeps it escaped: the two formats give other names, and name-keyed IRIs, for such a field)."""
    return any(LINE_SEPARATORS.search(value) or "\r" in value for row in table.rows for value in row.values())


def check_jsonl_matches_csv(table: Table) -> None:
    """A table gives the same graph as CSV and as JSON Lines, but for the line numbers.

    Tables with a CR in a field are left out (``has_line_separators``): a CSV file's line ends are
    normalised before it is split into records, so CR LF inside a quoted field comes out as LF,
    while JSON Lines keeps it escaped.
    """
    text, _ = table.csv_text()
    as_csv = parse_bytes(get_ingestor(table.kind), text.encode("utf-8"), ".csv")
    as_jsonl = parse_bytes(get_ingestor(table.kind), table.jsonl_text().encode("utf-8"), ".jsonl")
    assert as_csv.refused == as_jsonl.refused, (as_csv.error, as_jsonl.error)
    if not as_csv.refused:
        def without_lines(outcome: Outcome) -> list[str]:
            return sorted(t for t in outcome.triples or [] if f"<{terms.VET}line>" not in t)
        assert without_lines(as_csv) == without_lines(as_jsonl)


CONTROLS = st.sampled_from(("\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f"))


@st.composite
def tables_with_controls(draw: st.DrawFn) -> tuple[Table, str]:
    """A well-formed catalogue whose first row has a control character inside its label field."""
    kind = draw(st.sampled_from(CATALOGUE_KINDS))
    rows = [ROW_MAKERS[kind](draw, True) for _ in range(draw(st.integers(1, 4)))]
    field = {"majors": "name", "industries": "name", "occupations": "occupation_name",
             "certificates": "certificate_name", "standard-courses": "course_name",
             "standard-occupations": "occupation_name"}[kind]
    label = rows[0][field]
    rows[0] = dict(rows[0], **{field: label[:1] + draw(CONTROLS) + label[1:]})
    return Table(kind, list(rows[0]), rows), field


def check_catalogue_controls(table: Table) -> None:
    """A control character in a catalogue field never reaches a literal (it is dropped or the row refused)."""
    text, _ = table.csv_text()
    outcome = parse_bytes(get_ingestor(table.kind), text.encode("utf-8"), ".csv")
    if outcome.result is not None:
        assert not bad_literals(outcome.result.triples), bad_literals(outcome.result.triples)[:3]


# -- the normaliser ------------------------------------------------------------------------------
def full_width(text: str) -> str:
    """ASCII printable characters as their full-width forms (U+FF01..FF5E), a space as U+3000."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


names = st.lists(st.one_of(st.sampled_from(NASTY + WORDS), st.characters(codec="utf-8", exclude_categories=("Cs",))),
                 max_size=20).map("".join)


def check_normaliser(name: str) -> None:
    """normalise_name and the keys and labels built on it are idempotent and fold full-width forms."""
    from ingest.catalogues.certificates import canonical, organization_label
    from kg.core.names import certificate_key, normalise_name, occupation_key, slugify

    once = normalise_name(name)
    assert normalise_name(once) == once, (name, once, normalise_name(once))
    assert not any(c.isspace() for c in once), once
    assert unicodedata.is_normalized("NFKC", once), once
    for function in (canonical, organization_label, slugify):
        assert function(function(name)) == function(name), (function.__name__, name)
    ascii_part = "".join(c for c in name if " " <= c <= "~")
    for function in (normalise_name, certificate_key, occupation_key, canonical):
        assert function(full_width(ascii_part)) == function(ascii_part), (function.__name__, ascii_part)


def check_occupation_markers(name: str, marker: str) -> None:
    """An occupation's L/S marker is dropped from its key whether it is printed half- or full-width."""
    from kg.core.names import occupation_key

    base = name + "人员"
    assert occupation_key(base + marker) == occupation_key(base)
    assert occupation_key(base + full_width(marker)) == occupation_key(base), (base, full_width(marker))
