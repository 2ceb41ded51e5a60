"""Module hours from a separate 学时分配表 when the content table has no hours column.

Many standards print the content (项目 | 任务 | 要求) in one table and the hours (序号 | 项目名称 |
理论学时 | 实践学时 | 小计) in another. Each module without hours takes those of the hours-table row
that names it (by its title without the 项目一 label), or of the row at its position when both
tables list the same number of modules; the hours table's 合计 row is the total to check against.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from ingest.course_standard.module_table import find_columns
from ingest.course_standard.modules import ModuleTable, read_table
from ingest.course_standard.records import Module
from ingest.course_standard.refs import title_core
from ingest.course_standard.text import squeeze
from ingest.readers.blocks import Block, TableBlock

HOUR_ROLES = {"hours", "hours-theory", "hours-practice"}


def hours_tables(blocks: list[Block], content_line: int) -> list[ModuleTable]:
    """Every table besides the content table that has a title column and an hours column."""
    found: list[ModuleTable] = []
    for block in blocks:
        if not isinstance(block, TableBlock) or block.line == content_line:
            continue
        columns = find_columns(block)
        if columns is not None and "title" in columns.roles and HOUR_ROLES & set(columns.roles):
            found.append(read_table(block, columns))
    return found


def fill_hours(table: ModuleTable, blocks: list[Block]) -> ModuleTable:
    """The content table with hours taken from a 学时分配表 for its modules that have none."""
    modules = table.index.modules
    if not modules or all(m.hours is not None for m in modules):
        return table
    for candidate in hours_tables(blocks, table.line):
        filled = matched_hours(modules, candidate.index.modules)
        if filled is not None:
            index = dataclasses.replace(table.index, modules=filled)
            total = table.total if table.total is not None else candidate.total
            line = table.total_line if table.total is not None else candidate.total_line
            return dataclasses.replace(table, index=index, total=total, total_line=line)
    return table


def matched_hours(modules: list[Module], rows: list[Module]) -> list[Module] | None:
    """The modules with the hours of the rows naming them, or None when the rows name too few of them."""
    by_title: dict[str, Decimal | None] = {squeeze(title_core(row.title)): row.hours for row in rows}
    named = [by_title.get(squeeze(title_core(m.title))) for m in modules]
    if sum(value is not None for value in named) * 2 > len(modules):
        hours = named
    elif len(rows) == len(modules):
        hours = [row.hours for row in rows]
    else:
        return None
    return [m if m.hours is not None or value is None else dataclasses.replace(m, hours=value)
            for m, value in zip(modules, hours)]
