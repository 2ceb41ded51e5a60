"""Initiative terms ("产教融合", "1+X") and listed industries named in a provision's own text.

Initiatives come from the curated ``ingest/data/initiatives.tsv``. Quotes are never part of a
span: a variant's quotes are dropped before matching, so "“双师型”教师" and "“1+X”证书" name the
bare "双师型" and "1+X". "+" and "X" match half- or full-width. Overlaps keep the longest match.

Industries are the elements of two list shapes: "（如旅游业、清洁能源等）" and a "、" list
ending in 等 right after 开展/面向/围绕/聚焦/培育/对接 or 大力发展-like verbs
("开展种养殖技术、电子商务等实用技术培训"); the first element starts after the last such verb or 的. Lists
closed by "等部门/单位/措施…", elements of over 12 characters and people or bodies are left out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.policy.records import MentionRecord
from kg.errors import SourceError

INITIATIVES_PATH = Path(__file__).resolve().parent.parent / "data" / "initiatives.tsv"
HEADER = ("term", "variants", "note")
QUOTES = "“”\"「」『』‘’'"
CHAR_CLASSES = {"+": "[+＋]", "X": "[XxＸｘ]"}

_LIST_END = r"(?<![高中初同平对均相优上])等"  # 等 that closes a list, not the one in 高等/平等
_NOT_INDUSTRY_HEAD = (  # "…等部门", "…等措施": lists of bodies or means, not of industries
    r"(?!(?:有关|相关)?(?:部门|单位|机构|组织|措施|手段|途径|方式|素质|部署|人员|群体))"
)
_BODY = r"[^，,；;。：:（）()]{1,120}?"
EXAMPLE_LIST = re.compile(
    rf"(?:(?<=[（(，,：:])如|例如|比如|诸如)(?![果何实期下此同今意])(?P<body>{_BODY}){_LIST_END}{_NOT_INDUSTRY_HEAD}"
)
LIST_VERBS = r"开展|面向|围绕|聚焦|培育|对接|(?:大力|重点|加快|积极|优先|着力)发展"
VERB_LIST = re.compile(rf"(?:{LIST_VERBS})(?P<body>{_BODY}、{_BODY}){_LIST_END}{_NOT_INDUSTRY_HEAD}")
FIRST_ELEMENT_CUT = re.compile(rf".*(?:{LIST_VERBS}|发展|的)")  # "农牧区开展种养殖技术" -> 种养殖技术
NOT_AN_ELEMENT = re.compile(r"^[所和与及或的]|(?:人员|人才|部门|单位|机构)$")
MAX_ELEMENT = 12
STRIP_CHARS = QUOTES + "()（）[]【】《》 \t"


@dataclass(frozen=True)
class Initiative:
    """One canonical initiative term, the spellings that name it, and a short note."""

    term: str
    variants: tuple[str, ...]
    note: str


@functools.lru_cache(maxsize=8)
def load_initiatives(path: Path | str | None = None) -> tuple[Initiative, ...]:
    """The curated initiative terms (the packaged TSV unless ``path`` is given)."""
    source = Path(path) if path is not None else INITIATIVES_PATH
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(source, f"cannot read the initiatives table: {error}") from error
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        raise SourceError(source, f"the header must be {'<TAB>'.join(HEADER)}", line=1)
    return tuple(_parse_rows(source, lines))


def _parse_rows(source: Path, lines: list[str]) -> Iterator[Initiative]:
    """Rows after the header; a row without exactly three fields or a term is refused."""
    seen: set[str] = set()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(HEADER):
            message = f"expected {len(HEADER)} tab-separated fields, found {len(fields)}"
            raise SourceError(source, message, line=number)
        term, variants, note = (field.strip() for field in fields)
        if not term.strip(QUOTES):
            raise SourceError(source, "empty term", line=number)
        if term in seen:
            raise SourceError(source, f"duplicate term {term!r}", line=number)
        seen.add(term)
        yield Initiative(term, tuple(v.strip() for v in variants.split("|") if v.strip()), note)


def variant_pattern(spelling: str) -> str:
    """A regex for one spelling, its quotes dropped, "+" and "X" matched in either width."""
    return "".join(CHAR_CLASSES.get(char, re.escape(char)) for char in spelling.strip() if char not in QUOTES)


@functools.lru_cache(maxsize=8)
def _matchers(initiatives: tuple[Initiative, ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """One compiled pattern per distinct spelling, with the canonical term it names."""
    patterns: dict[str, str] = {}
    for initiative in initiatives:
        for spelling in (initiative.term, *initiative.variants):
            patterns.setdefault(variant_pattern(spelling), initiative.term)
    return tuple((re.compile(pattern), term) for pattern, term in patterns.items() if pattern)


def initiative_mentions(text: str, initiatives: Sequence[Initiative]) -> list[MentionRecord]:
    """Every initiative named in the text; the longest match wins where spellings overlap."""
    candidates = [
        (match.start(), match.end(), term)
        for pattern, term in _matchers(tuple(initiatives))
        for match in pattern.finditer(text)
    ]
    taken: list[tuple[int, int, str]] = []
    for start, end, term in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if all(end <= s or start >= e for s, e, _ in taken):
            taken.append((start, end, term))
    return [MentionRecord("initiative", text[s:e], term, s, e) for s, e, term in sorted(taken)]


def _elements(text: str, start: int, end: int, cut_verbs: bool) -> Iterator[MentionRecord]:
    """The "、"-separated elements of ``text[start:end]`` as industry mentions."""
    if cut_verbs:
        first_end = text.find("、", start, end)
        cut = FIRST_ELEMENT_CUT.match(text, start, first_end if first_end >= 0 else end)
        start = cut.end() if cut else start
    position = start
    for piece in text[start:end].split("、"):
        left = len(piece) - len(piece.lstrip(STRIP_CHARS))
        element = piece.strip(STRIP_CHARS)
        if element and len(element) <= MAX_ELEMENT and not NOT_AN_ELEMENT.search(element):
            begin = position + left
            yield MentionRecord("industry", element, element, begin, begin + len(element))
        position += len(piece) + 1


def industry_mentions(text: str) -> list[MentionRecord]:
    """Elements of "如…等" lists and of "、" lists ending in 等 after a list verb."""
    found: dict[tuple[int, int], MentionRecord] = {}
    for pattern, cut_verbs in ((EXAMPLE_LIST, False), (VERB_LIST, True)):
        for match in pattern.finditer(text):
            for mention in _elements(text, match.start("body"), match.end("body"), cut_verbs):
                found.setdefault((mention.start, mention.end), mention)
    return list(found.values())


def extract_mentions(text: str, initiatives: Sequence[Initiative] | None = None) -> list[MentionRecord]:
    """Initiative and industry mentions in one provision's own text, sorted by start."""
    known = load_initiatives() if initiatives is None else initiatives
    mentions = initiative_mentions(text, known) + industry_mentions(text)
    return sorted(mentions, key=lambda m: (m.start, m.end, m.kind))
