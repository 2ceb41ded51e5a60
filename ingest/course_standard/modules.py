"""Modules from the content table: one per row with a title; totals checked against the stated hours.

Consecutive tables that repeat the header (or have the same column count) continue the content
table, as a table broken by a page does. A row with an empty title, or with the same title as the
row above (a vertically merged cell repeats its text), continues the module above: its new texts
are added on a new line and its hours added, unless that would miss the stated total while counting
repeated hours once (a merged hours cell) meets it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ingest.course_standard.fields import hours_value
from ingest.course_standard.module_table import EXPECTED, Columns, find_columns, headers_found, is_total_row
from ingest.course_standard.records import Module
from ingest.course_standard.refs import ModuleIndex, title_core, title_number
from ingest.course_standard.text import clean, number_value, squeeze, tidy
from ingest.readers.blocks import Block, TableBlock
from kg.core.records import Rejection


@dataclass
class Draft:
    """A module being built from one or more rows."""

    title: str
    line: int
    tasks: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    hours: list[tuple[Decimal, bool]] = field(default_factory=list)  # (value, repeats the row above)
    lines: list[int] = field(default_factory=list)


@dataclass
class ModuleTable:
    """What the content table gave: modules, the line of each row they cover, the 合计 row's hours."""

    index: ModuleIndex
    line: int
    total: Decimal | None = None
    total_line: int | None = None


def find_content_table(
    blocks: list[Block], preferred: list[int], stated: Decimal | None, warnings: list[Rejection]
) -> ModuleTable | None:
    """The first table that reads as a content table, looked for at ``preferred`` block indexes first.

    Among the preferred (or else the other) tables, one with tasks or requirements wins over one of
    titles and hours only (a 学时分配表).
    """
    order = preferred + [i for i in range(len(blocks)) if i not in preferred]
    found = [(index, columns) for index in order
             if isinstance(blocks[index], TableBlock) and (columns := find_columns(blocks[index])) is not None]
    found.sort(key=lambda pair: (pair[0] not in preferred, not {"tasks", "requirements"} & set(pair[1].roles)))
    for index, columns in found[:1]:
        return read_table(continued(blocks, index), columns, stated)
    for index in preferred:
        block = blocks[index]
        if isinstance(block, TableBlock) and len(block.rows[0]) > 1:
            warnings.append(Rejection(
                block.line,
                f"content table not recognised: its headers are {headers_found(block)}; expected some of {EXPECTED}",
            ))
    return None


def continued(blocks: list[Block], index: int) -> TableBlock:
    """The table at ``index`` with the tables right after it that carry on (same header or column count)."""
    table = blocks[index]
    assert isinstance(table, TableBlock)
    rows, lines = list(table.rows), list(table.lines)
    width = len(table.rows[0])
    for block in blocks[index + 1:]:
        if not isinstance(block, TableBlock) or (block.rows[0] != table.rows[0] and len(block.rows[0]) != width):
            break
        start = 1 if block.rows[0] == table.rows[0] else 0
        rows.extend(block.rows[start:])
        lines.extend(block.lines[start:])
    return TableBlock(rows, lines)


def read_table(table: TableBlock, columns: Columns, stated: Decimal | None = None) -> ModuleTable:
    """Rows to modules; 合计 rows give the total instead (``stated``: the basic information's hours)."""
    drafts: list[Draft] = []
    result = ModuleTable(ModuleIndex(), table.line)
    previous: list[str] | None = None
    for row, line in zip(table.rows[columns.header_rows:], table.lines[columns.header_rows:]):
        if is_total_row(row):
            result.total = row_total(row, columns)
            result.total_line = line
            continue
        title = cell(row, columns.index("title"))
        if drafts and (not title or title == drafts[-1].title):
            add_row(drafts[-1], row, columns, line, previous)
        elif title:
            drafts.append(Draft(title, line))
            add_row(drafts[-1], row, columns, line, None)
        previous = row
    modules = finish(drafts, result.total if result.total is not None else stated)
    numbers = {number: order for order, d in enumerate(drafts, 1) if (number := title_number(d.title)) is not None}
    rows = {line: order for order, draft in enumerate(drafts, 1) for line in draft.lines}
    result.index = ModuleIndex(modules, numbers, rows)
    return result


def cell(row: list[str], indexes: list[int]) -> str:
    """The text of the given columns in this row, joined by newlines; '' when absent."""
    texts = [clean(row[i]) for i in indexes if i < len(row) and clean(row[i])]
    return "\n".join(texts)


def row_hours(row: list[str], columns: Columns) -> Decimal | None:
    """A row's hours: its 学时 column, else 理论 plus 实践."""
    total = hours_value(cell(row, columns.index("hours")[:1]))
    if total is not None:
        return total
    parts = [hours_value(cell(row, columns.index(f"hours-{part}")[:1])) for part in ("theory", "practice")]
    values = [value for value in parts if value is not None]
    return tidy(sum(values, Decimal(0))) if values else None


def row_total(row: list[str], columns: Columns) -> Decimal | None:
    """The hours on a 合计 row: its hours column when the row lines up, else its last number."""
    if len(row) == len(columns.roles):
        value = row_hours(row, columns)
        if value is not None:
            return value
    numbers = [number_value(text) for text in row[1:] if number_value(text) is not None]
    return numbers[-1] if numbers else None


def add_row(draft: Draft, row: list[str], columns: Columns, line: int, previous: list[str] | None) -> None:
    """Add a row's tasks, requirements and hours to the module it belongs to."""
    for target, role in ((draft.tasks, "tasks"), (draft.requirements, "requirements")):
        text = cell(row, columns.index(role))
        if text and (not target or text != target[-1]):
            target.append(text)
    value = row_hours(row, columns)
    if value is not None:
        repeats = previous is not None and squeeze(cell(previous, hour_columns(columns))) == squeeze(
            cell(row, hour_columns(columns))
        )
        draft.hours.append((value, repeats))
    draft.lines.append(line)


def hour_columns(columns: Columns) -> list[int]:
    return [i for i, role in enumerate(columns.roles) if role and role.startswith("hours")]


def finish(drafts: list[Draft], total: Decimal | None) -> list[Module]:
    """Modules from drafts; repeated hours count once only when that alone meets the stated total."""
    summed = [tidy(sum((v for v, _ in d.hours), Decimal(0))) if d.hours else None for d in drafts]
    once = [tidy(sum((v for v, r in d.hours if not r), Decimal(0))) if d.hours else None for d in drafts]
    if total is not None and sum_of(summed) != total and sum_of(once) == total:
        summed = once
    return [
        Module(
            order, title_core(d.title) or d.title, "\n".join(d.tasks) or None, "\n".join(d.requirements) or None,
            hours, d.line,
        )
        for order, (d, hours) in enumerate(zip(drafts, summed), 1)
    ]


def sum_of(values: list[Decimal | None]) -> Decimal:
    return tidy(sum((v for v in values if v is not None), Decimal(0)))


def check_hours(table: ModuleTable, stated: Decimal | None, warnings: list[Rejection]) -> None:
    """Warn (kept) when the module hours miss the table's 合计 row or the basic information's total."""
    if not any(m.hours is not None for m in table.index.modules):
        return
    added = sum_of([m.hours for m in table.index.modules])
    if table.total is not None and added != table.total:
        reason = f"module hours add up to {added}, the table's total row says {table.total}"
        warnings.append(Rejection(table.total_line, reason, kept=True))
    if stated is not None and added != stated:
        reason = f"module hours add up to {added}, the basic information says {stated}"
        warnings.append(Rejection(table.line, reason, kept=True))
