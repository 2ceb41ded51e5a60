"""Recognise the content table by its header names, in any column order and with their synonyms."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.course_standard.text import clean, squeeze
from ingest.readers.blocks import TableBlock

# Checked in this order: the first pattern a header matches decides its role.
ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ignored", re.compile(r"方法|手段|考核|评价|资源|场所|环境|方式|载体|思政|备注|融入点")),
    ("hours", re.compile(r"学时|课时|时数")),
    ("order", re.compile(r"^(?:序号|编号|序|NO\.?|No\.?)$")),
    ("requirements", re.compile(r"要求|目标|标准")),
    ("tasks", re.compile(r"任务|内容|知识点|技能点")),
    ("title", re.compile(r"项目|模块|情境|单元|章节|课题|名称|主题")),
)
HOUR_PARTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("theory", re.compile(r"理论|讲授|讲课")),
    ("practice", re.compile(r"实践|实训|实验|实操|实习")),
)
SUB_LABELS = re.compile(r"^(?:理论|实践|讲授|讲课|实训|实验|实操|小计|合计|总计|总学时|学时|课时)(?:学时|课时)?$")
TOTAL_ROW = re.compile(r"^(?:合计|总计|小计|总学时|学时合计|共计|总课时)")
EXPECTED = "序号, 学习项目/模块, 学习任务/教学内容, 知识与技能要求/教学要求, 学时/参考学时"


@dataclass(frozen=True)
class Columns:
    """Which column holds what: role per column index (None for a column nobody needs)."""

    roles: list[str | None]
    header_rows: int  # how many rows the header takes (1, or 2 with a 理论|实践 row under 学时)

    def index(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]


def header_role(text: str) -> str | None:
    """The role a header cell names: title, tasks, requirements, hours[-theory|-practice], order, or None."""
    key = squeeze(clean(text)).replace("*", "")
    if not key:
        return None
    for role, pattern in ROLES:
        if pattern.search(key):
            if role != "hours":
                return None if role == "ignored" else role
            for part, hours_pattern in HOUR_PARTS:
                if hours_pattern.search(key):
                    return f"hours-{part}"
            return "hours"
    return None


def sub_role(text: str, above: str | None) -> str | None:
    """The role of a cell in a second header row under 学时: theory, practice or the subtotal."""
    key = squeeze(clean(text))
    for part, pattern in HOUR_PARTS:
        if pattern.search(key):
            return f"hours-{part}"
    if key and SUB_LABELS.match(key):
        return "hours"
    return header_role(text) or above


def find_columns(table: TableBlock) -> Columns | None:
    """The column roles from the first header row (among the first three) that names a title or tasks column."""
    for position, row in enumerate(table.rows[:3]):
        roles = [header_role(cell) for cell in row]
        named = {role for role in roles if role}
        if len(named) < 2 or not named & {"title", "tasks"}:
            continue
        if "title" not in named:
            roles = ["title" if role == "tasks" else role for role in roles]
            first_title = roles.index("title")
            roles = [r if r != "title" or i == first_title else "tasks" for i, r in enumerate(roles)]
        below = table.rows[position + 1] if position + 1 < len(table.rows) else None
        if below and any(SUB_LABELS.match(squeeze(cell)) for cell in below if cell) and is_sub_header(below):
            return Columns(sub_header_roles(row, roles, below), position + 2)
        return Columns(roles, position + 1)
    return None


def is_sub_header(row: list[str]) -> bool:
    """A row of 理论|实践|小计 labels, the other cells repeating the header above (merged) or empty."""
    return all(not cell or SUB_LABELS.match(squeeze(cell)) or header_role(cell) for cell in row)


def sub_header_roles(header: list[str], roles: list[str | None], below: list[str]) -> list[str | None]:
    """Roles from a two-row header: the lower row decides, a repeated upper cell keeps its role."""
    if len(below) == len(header):
        return [sub_role(cell, role) if role and role.startswith("hours") else role for cell, role in zip(below, roles)]
    return [sub_role(cell, None) for cell in below]


def is_total_row(row: list[str]) -> bool:
    """Whether a cell of the row (the title cell need not come first) says 合计/总计/小计."""
    return any(TOTAL_ROW.match(squeeze(clean(cell))) and len(squeeze(cell)) <= 8 for cell in row)


def headers_found(table: TableBlock) -> str:
    """The first row's cells, for a message about a table nobody could read."""
    return " | ".join(squeeze(cell) for cell in table.rows[0]) if table.rows else ""
