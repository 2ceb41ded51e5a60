"""Typed records of a parsed policy document; every record keeps where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class TargetRecord:
    """A quantified goal found in a provision's own text (span offsets index that text)."""

    kind: str  # "quantity" | "deadline"
    value: Decimal
    value_max: Decimal | None  # upper bound of a range such as 3-5所, else None
    unit: str  # "%", "所", "人次", "万元", "年" (deadline) ...
    comparator: str | None  # canonical: at_least | at_most | reach | more_than | less_than | about | None
    comparator_text: str | None  # as printed: "不低于", "达到…以上"
    year: int | None  # the deadline year that governs the target, own or inherited
    metric: str | None  # what is measured, e.g. "“双师型”比例"
    text: str  # the exact span, e.g. "达到70%以上"
    start: int
    end: int


@dataclass(frozen=True)
class MentionRecord:
    """An initiative term or an industry phrase named in a provision's own text."""

    kind: str  # "initiative" | "industry"
    text: str  # the exact span as printed
    term: str  # canonical term (initiatives) or the phrase itself (industries)
    start: int
    end: int


@dataclass
class Provision:
    """A numbered (or ordered unnumbered) unit of a policy document."""

    kind: str  # book | part | chapter | section | article | clause | subclause | point | subpoint | item | heading | preamble
    number: str | None  # as printed: "第二十七条", "（二）", "(一)", "1."; None when unnumbered
    heading: str | None
    text: str  # full text, starting with the number; children's text included
    own_segments: list[tuple[int, str]]  # (offset in ``text``, line) for each line the unit owns itself
    line_start: int
    line_end: int
    order: int  # 1-based position among its siblings
    path: str  # IRI path segment chain from the document root, e.g. "chapter-1/article-3"
    parent_path: str | None  # None when the parent is the document
    targets: list[TargetRecord] = field(default_factory=list)
    mentions: list[MentionRecord] = field(default_factory=list)


@dataclass
class PolicyDoc:
    """A parsed policy document: title, status hints and the provision tree in document order."""

    slug: str
    title: str
    status: str  # "draft" | "in_force"  (superseded is decided against the store afterwards)
    date: str | None  # ISO date of the latest adoption/revision line, when stated
    history: list[str]  # adoption and revision lines printed under the title
    provisions: list[Provision]
    source_format: str  # txt | md | docx | pdf | html
    line_count: int
