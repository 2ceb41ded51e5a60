"""专业教学标准 (2025) course lists: one vet:TeachingStandard per (level, major code), its courses in order.

Positions: a standard's list is read PDF by PDF (in the order each PDF first appears in the file),
each PDF in ``course_seq`` order; every name not seen before in this standard takes the next
position (1, 2, 3 ...). A name repeated within a list keeps its first position, and a second PDF
for the same standard (the source holds 6 such pairs) only appends the names the first lacked.
Names that look like PDF fragments or are cut short are kept but flagged (see ``name_quality``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from ingest.base import ParseResult
from ingest.catalogues.base import CatalogueKind, Column, KeyRegistry, Row, Table, provenance
from ingest.catalogues.majors import MAJOR_CODE
from kg.core import iris
from kg.core.levels import level_name, level_token
from kg.core.rdf import RDF_TYPE, RDFS_LABEL, Triple, integer, string, term, vet, zh
from kg.core.records import Rejection

COLUMNS = (
    Column("source_pdf", ("source_pdf", "来源文件"), required=False),
    Column("level", ("level", "major_level", "层次", "教育层次", "level_zh")),
    Column("major_code", ("major_code", "专业代码")),
    Column("major_name", ("major_name", "专业名称")),
    Column("course_seq", ("course_seq", "序号")),
    Column("course_name", ("course_name", "课程名称")),
)

FRAGMENT, TRUNCATED = "fragment", "truncated"
SENTENCE_PUNCTUATION = re.compile(r"[。，；：！？,;!?∶]")
CIRCLED_NUMBER = re.compile(r"[\u2460-\u2473\u2776-\u2793]")
BRACKETED = re.compile(r"（[^（）()]*）|\([^（）()]*\)")
#: Verbs that open the task or content description a PDF table prints beside the course name.
DESCRIPTION_VERB = re.compile(r"(运用|利用|依据|按照|采取|采用|针对|借助|能够|协助|开展)(.*)$")
#: Words of the running text around a course list, never of a course name.
RUNNING_TEXT = re.compile(r"以及|等(?:其他)?课程|开设|可结合|各院校")
#: A page number printed inside a word (管理学4原理); a measure word after the digit is genuine (2项).
PAGE_NUMBER = re.compile(r"[\u4e00-\u9fff]\d+(?=[\u4e00-\u9fff])(?![项个岁年级门类次种])")
#: What may follow such a verb inside a genuine name (信息检索与利用, 资源综合利用技术, 土地利用规划).
NOUN_CONTINUATION = ("与", "和", "及", "的", "技术", "规划", "处置", "装备")
CONNECTIVE_END = tuple("与和及或的等")
#: Whole words that end with a connective character, so a name ending with them is not cut short.
WORD_ENDINGS = ("参与", "中和", "目的")
OPENERS, CLOSERS = "（(《“", "）)》”"
HAS_COURSE = vet("hasCourse")


def _description_glued(name: str) -> bool:
    verb = DESCRIPTION_VERB.search(name)
    return bool(verb) and len(verb.group(2)) >= 2 and not verb.group(2).startswith(NOUN_CONTINUATION)


#: (test, reason) in the order they are tried; the first that holds names the defect.
FRAGMENT_RULES: tuple[tuple[Callable[[str], bool], str], ...] = (
    (lambda n: bool(SENTENCE_PUNCTUATION.search(n)), "holds sentence punctuation"),
    (lambda n: "、" in BRACKETED.sub("", n), "holds an enumeration comma 、 outside brackets"),
    (lambda n: unicodedata.category(n[:1] or "a")[0] in "PS" and n[:1] not in OPENERS,
     "starts with a punctuation mark or symbol"),
    (lambda n: bool(CIRCLED_NUMBER.search(n)), "holds a circled item number"),
    (lambda n: _unbalanced(n) < 0, "closes a bracket it never opened"),
    (lambda n: bool(RUNNING_TEXT.search(n)), "holds words of the running text around the list"),
    (lambda n: bool(PAGE_NUMBER.search(n)), "a page number is printed inside a word"),
    (_description_glued, "a task description is glued to the name"),
)


def fragment_reason(name: str, siblings: frozenset[str] = frozenset()) -> str | None:
    """Why ``name`` is a PDF fragment rather than a course name, or None.

    A fragment holds sentence punctuation (。，；：！？); an enumeration comma 、 outside brackets;
    starts with a punctuation mark or symbol that is not an opening bracket or quote (+X考证,
    ～3岁…); holds a circled item number (①…⑳); closes a bracket it never opened (色彩）); holds
    words of the running text (以及, 等课程, 开设, 可结合, 各院校); has a page number inside a word
    (管理学4原理, but not 2项); glues a task description to the name (健康评估运用健康评估基本: a
    description verb followed by more text that is not a noun continuation); or is a sibling name
    of the same list plus a footnote digit (电子产品结构工艺4 beside 电子产品结构工艺).
    """
    for test, reason in FRAGMENT_RULES:
        if test(name):
            return reason
    stem = name.rstrip("0123456789")
    if stem != name and stem in siblings:
        return f"'{stem}' of the same list with a footnote number glued on"
    return None


def truncation_reason(name: str) -> str | None:
    """Why ``name`` looks cut short, or None: an unclosed bracket or quote, a trailing 与/和/及/或/的/等."""
    if _unbalanced(name) > 0:
        return "opens a bracket it never closes"
    if name.endswith(CONNECTIVE_END) and not name.endswith(WORD_ENDINGS):
        return f"ends with '{name[-1]}'"
    return None


def name_quality(name: str, siblings: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """('fragment' | 'truncated', why) for a defective course name, None for a whole one."""
    reason = fragment_reason(name, siblings)
    if reason:
        return FRAGMENT, reason
    reason = truncation_reason(name)
    return (TRUNCATED, reason) if reason else None


def _unbalanced(name: str) -> int:
    """Opening minus closing brackets and quotes, so > 0 is an unclosed one and < 0 a stray closer."""
    depth = 0
    for char in name:
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth -= 1
            if depth < 0:
                return -1
    return depth


@dataclass
class StandardList:
    """One (level, major code): its first row, its PDFs in order and its rows by PDF."""

    level: str
    code: str
    first: Row
    pdfs: list[str] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def ordered_names(self) -> list[tuple[str, Row]]:
        """Distinct names in list order: PDF by PDF, each by course_seq; a name's first row kept."""
        seen: dict[str, Row] = {}
        for pdf in self.pdfs:
            for row in sorted(self.rows[pdf], key=lambda r: (int(r["course_seq"]), r.line)):
                seen.setdefault(row["course_name"], row)
        return list(seen.items())


def check_standard_major(row: Row) -> tuple[str, str] | Rejection:
    """(level token, major code) of a teaching-standard row, or why it is refused; course lists and 职业面向 alike."""
    level = level_token(row["level"])
    code = row["major_code"].upper()
    if level is None:
        return Rejection(row.line, f"unknown education level '{row['level']}'")
    if not MAJOR_CODE.match(code):
        return Rejection(row.line, f"bad major code '{row['major_code']}': expected 6 digits with an optional K")
    if not row["major_name"]:
        return Rejection(row.line, "empty major name")
    return level, code


def _check(row: Row) -> tuple[str, str] | Rejection:
    """(level token, major code) or why the row is refused."""
    checked = check_standard_major(row)
    if isinstance(checked, Rejection):
        return checked
    if not row["course_name"]:
        return Rejection(row.line, "empty course name")
    if not re.fullmatch(r"\d+", row["course_seq"]):
        return Rejection(row.line, f"course_seq must be a whole number, not '{row['course_seq']}'")
    return checked


def _group(table: Table) -> tuple[dict[tuple[str, str], StandardList], list[Rejection]]:
    """Checked rows grouped by standard; a standard's major name is claimed by its first row."""
    lists: dict[tuple[str, str], StandardList] = {}
    rejections: list[Rejection] = []
    names = KeyRegistry("teaching standard")
    for row in table.rows:
        checked = _check(row)
        if isinstance(checked, Rejection):
            rejections.append(checked)
            continue
        claim = names.claim(f"{checked[0]}/{checked[1]}", row.line, row["major_name"])
        if isinstance(claim, Rejection):
            rejections.append(claim)
            continue
        standard = lists.setdefault(checked, StandardList(*checked, first=row))
        pdf = row["source_pdf"]
        if pdf not in standard.rows:
            standard.pdfs.append(pdf)
        standard.rows[pdf].append(row)
    return lists, rejections


def _standard_triples(level: str, code: str, major_name: str, source: NamedNode, line: int) -> list[Triple]:
    """The TeachingStandard node itself: label, major, level, provenance."""
    node = iris.teaching_standard(level, code)
    label = zh(f"{major_name}专业教学标准（{level_name(level)}）")
    return [(node, RDF_TYPE, vet("TeachingStandard")), (node, RDFS_LABEL, label),
            (node, term("skos:prefLabel"), label), (node, vet("forMajor"), iris.major(code)),
            (node, vet("level"), string(level_name(level))), *provenance(node, source, line)]


def _course_triples(standard: StandardList, source: NamedNode, flagged: list[Rejection],
                    quality: dict[str, int]) -> list[Triple]:
    node = iris.teaching_standard(standard.level, standard.code)
    major = iris.major(standard.code)
    ordered = standard.ordered_names()
    siblings = frozenset(name for name, _ in ordered)
    triples: list[Triple] = []
    for position, (name, row) in enumerate(ordered, start=1):
        course = iris.standard_course(standard.code, name)
        triples += [(course, RDF_TYPE, vet("Course")), (course, term("skos:prefLabel"), zh(name)),
                    (course, vet("forMajor"), major), (course, vet("position"), integer(position)),
                    (node, HAS_COURSE, course), *provenance(course, source, row.line)]
        defect = name_quality(name, siblings)
        if defect:
            kind, why = defect
            quality[kind] += 1
            triples.append((course, vet("parseQuality"), string(kind)))
            looks = "a PDF fragment" if kind == FRAGMENT else "cut short"
            flagged.append(Rejection(row.line, f"course name looks like {looks}: '{name}' ({why}); "
                                               f"kept, flagged {kind}", kept=True))
    return triples


def build_standard_courses(table: Table, source: NamedNode) -> ParseResult:
    lists, rejections = _group(table)
    triples: list[Triple] = []
    quality = {FRAGMENT: 0, TRUNCATED: 0}
    courses = 0
    for standard in lists.values():
        first = standard.first
        triples += _standard_triples(standard.level, standard.code, first["major_name"], source, first.line)
        node = iris.teaching_standard(standard.level, standard.code)
        triples += [(node, vet("sourceDocument"), string(pdf)) for pdf in standard.pdfs if pdf]
        added = _course_triples(standard, source, rejections, quality)
        courses += sum(1 for t in added if t[1] == HAS_COURSE)
        triples += added
    counts = {"teaching_standards": len(lists), "courses": courses, **quality}
    summary = (f"{len(lists)} teaching standards, {courses} courses "
               f"({quality[FRAGMENT]} flagged fragment, {quality[TRUNCATED]} flagged truncated)")
    return ParseResult(triples=triples, document=None, rejections=rejections, counts=counts, summary=summary)


COURSES_KIND = CatalogueKind(
    kind="standard-courses",
    description="专业教学标准 course lists: source_pdf, level, major_code, major_name, course_seq, course_name "
                "(CSV, XLSX, JSON Lines)",
    columns=COLUMNS,
    parser_version="standard-courses/1",
    build=build_standard_courses,
)
