"""Learning outcomes: the items under 知识目标, 能力目标 (技能目标) and 素质目标 (素养目标, 思政目标).

A matrix table gives them too, with the kinds as its columns or at the start of its rows.
A kind starts at a sub-heading ('（一）知识目标', '1.知识目标：', '【知识目标】') or an inline prefix
('知识目标：掌握…；理解…'), and ends at the next kind or a '…目标' heading of another sort (总体目标).
Each numbered or bulleted item is one outcome; an unnumbered paragraph gives one per '；' clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.course_standard.records import Outcome
from ingest.course_standard.text import CIRCLED, clean, list_marker, strip_item_end
from ingest.readers.blocks import Block, Paragraph, TableBlock

KIND_WORDS: dict[str, str] = {
    "知识": "knowledge",
    "能力": "skill",
    "技能": "skill",
    "素质": "attitude",
    "素养": "attitude",
    "思政": "attitude",
    "情感态度与价值观": "attitude",
    "情感态度": "attitude",
}
KIND_MARKER = re.compile(
    r"^[【\[]?(?:[\u4e00-\u9fff]{0,4}?)(?P<word>情感态度与价值观|情感态度|知识|能力|技能|素质|素养|思政)目标"
    r"[】\]]?(?:[（(][^）)]{0,12}[）)])?\s*[：:]?\s*"
)
OTHER_GOAL = re.compile(r"^[^。；;，,]{0,10}目标[：:]?$")
INLINE_ITEM = re.compile(rf"(?:^|(?<=[；;。，,\s]))(?P<num>[（(]\d{{1,2}}[)）]|\d{{1,2}}[.．、](?!\d)|[{CIRCLED}])")


def find_outcomes(blocks: list[Block]) -> list[Outcome]:
    """Outcomes from the objectives section's paragraphs and from 目标|items table rows."""
    outcomes: list[Outcome] = []
    counts: dict[str, int] = {}
    kind: str | None = None
    for block in blocks:
        if isinstance(block, TableBlock):
            outcomes.extend(table_outcomes(block, counts))
            continue
        if not isinstance(block, Paragraph):  # pragma: no cover - Block is a closed union
            continue
        number, rest, is_item = list_marker(block.text)
        found, remainder = marker_kind(rest)
        if found:
            kind = found
            if remainder:
                outcomes.extend(numbered(kind, remainder, block.line, counts))
        elif OTHER_GOAL.match(rest) or (block.heading and not is_item):
            kind = None
        elif kind:
            outcomes.extend(numbered(kind, block.text, block.line, counts))
    return outcomes


def table_outcomes(table: TableBlock, counts: dict[str, int]) -> list[Outcome]:
    """A matrix of objectives: 知识/能力/素质目标 heading the columns (items down each), or opening each row."""
    header = [marker_kind(cell) for cell in table.rows[0]] if table.rows else []
    columns = {position: kind for position, (kind, rest) in enumerate(header) if kind and not rest}
    found: list[Outcome] = []
    if len(columns) >= 2:
        for position, kind in sorted(columns.items()):
            for row, line in zip(table.rows[1:], table.lines[1:]):
                for piece in (row[position] if position < len(row) else "").split("\n"):
                    found.extend(numbered(kind, piece, line, counts))
        return found
    for row, line in zip(table.rows, table.lines):
        row_kind = marker_kind(row[0])[0] if row else None
        if row_kind:
            for cell in row[1:]:
                for piece in cell.split("\n"):
                    found.extend(numbered(row_kind, piece, line, counts))
    return found


def marker_kind(text: str) -> tuple[str | None, str]:
    """The outcome kind a sub-heading or prefix names, and the text after it."""
    match = KIND_MARKER.match(clean(text))
    if not match:
        return None, text
    return KIND_WORDS[match.group("word")], clean(text)[match.end():].strip()


def numbered(kind: str, text: str, line: int, counts: dict[str, int]) -> Iterator[Outcome]:
    """One outcome per item in ``text``: its inline numbered items, or itself, or its '；' clauses."""
    for number, item in items(text):
        item = strip_item_end(item)
        if item:
            counts[kind] = counts.get(kind, 0) + 1
            yield Outcome(kind, item, number, counts[kind], line)


def items(text: str) -> list[tuple[str | None, str]]:
    """(printed number, text) for each item in a paragraph."""
    text = clean(text)
    marks = list(INLINE_ITEM.finditer(text))
    if len(marks) >= 2 and marks[0].start() == 0 and same_style(m.group("num") for m in marks):
        ends = [m.start() for m in marks[1:]] + [len(text)]
        return [(m.group("num"), text[m.end():end].strip()) for m, end in zip(marks, ends)]
    number, rest, is_item = list_marker(text)
    if is_item:
        return [(number, rest)]
    return [(None, clause) for clause in re.split(r"[；;]", text) if clause.strip()]


def same_style(numbers: Iterator[str]) -> bool:
    """Whether all inline numbers print alike ('1.' '2.' or '（1）' '（2）' or '①' '②')."""
    styles = {("paren" if n[0] in "（(" else "circled" if n in CIRCLED else n[-1]) for n in numbers}
    return len(styles) == 1
