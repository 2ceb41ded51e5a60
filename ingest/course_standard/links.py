"""岗课赛证: the 1+X certificates and skills competitions a course standard names, with covering modules.

Every paragraph sentence and table row of the document is searched. Module references in a sentence
go to the nearest certificate or competition named before them (the first one when they come
first); a content-table row that names a certificate is covered by its own module. In a table whose
header names a 证书/赛项/名称 column, a 等级 column and a 模块/项目/学习情境 column, plain names, the
level and bare numbers ('2、3、6') are read from those cells. One CertificateStatement per
(name, level): a mention without a level joins the statements of the same certificate that have one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.course_standard.mentions import Mention, certificate_mentions, competition_mentions
from ingest.course_standard.records import CertificateStatement, CompetitionStatement
from ingest.course_standard.refs import ModuleIndex, module_refs
from ingest.course_standard.text import clean, sentences, squeeze, value_or_none
from ingest.readers.blocks import Block, Paragraph, TableBlock

LINK_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("level", re.compile(r"等级|级别")),
    ("cert", re.compile(r"证书")),
    ("comp", re.compile(r"赛项|竞赛|大赛|比赛")),
    ("modules", re.compile(r"模块|项目|课程内容|教学内容|融通内容|对应内容|学习情境|单元")),
    ("name", re.compile(r"名称")),
)
LEVEL = re.compile(r"([初中高])级")


@dataclass
class Found:
    """A mention with where it was found and the modules that cover it."""

    mention: Mention
    text: str
    line: int
    modules: set[int]


def find_links(
    blocks: list[Block], index: ModuleIndex
) -> tuple[list[CertificateStatement], list[CompetitionStatement]]:
    """Certificate and competition statements from the whole document."""
    found: list[Found] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            for sentence in sentences(block.text):
                found.extend(unit_links(sentence, block.line, index, set()))
        elif isinstance(block, TableBlock):
            found.extend(table_links(block, index))
    certificates = certificates_of([f for f in found if f.mention.kind == "cert"])
    return certificates, competitions_of([f for f in found if f.mention.kind == "comp"])


def unit_links(text: str, line: int, index: ModuleIndex, own: set[int]) -> list[Found]:
    """The mentions in one sentence or row, each with the module references that follow it."""
    mentions = sorted(certificate_mentions(text) + competition_mentions(text), key=lambda m: m.start)
    found = [Found(m, text, line, set(own)) for m in mentions]
    for position, order in module_refs(text, index) if found else []:
        owner = next((f for f in reversed(found) if f.mention.start <= position), found[0])
        owner.modules.add(order)
    return found


def link_columns(row: list[str]) -> dict[str, int]:
    """Column index per role (level, cert, comp, modules, name) of a header row's short cells."""
    roles: dict[str, int] = {}
    for position, cell in enumerate(row):
        key = squeeze(clean(cell))
        if not key or len(key) > 12:
            continue
        for role, pattern in LINK_COLUMNS:
            if pattern.search(key) and role not in roles:
                roles[role] = position
                break
    return roles


def table_links(table: TableBlock, index: ModuleIndex) -> list[Found]:
    """Mentions in a table's rows, completed from its 等级 and 模块 columns; plain names from a 证书/赛项 column."""
    columns = link_columns(table.rows[0]) if table.rows else {}
    found: list[Found] = []
    for position, (row, line) in enumerate(zip(table.rows, table.lines)):
        text = " | ".join(cell for cell in row if cell)
        own = {index.rows[line]} if line in index.rows else set()
        mentions = unit_links(text, line, index, own)
        if position == 0 or not columns:
            found.extend(mentions)
            continue
        if not mentions:
            mentions = plain_names(row, line, text, columns)
        covered = {order for _, order in module_refs(cell_at(row, columns.get("modules")), index, bare=True)}
        levels = [f"{c}级" for c in LEVEL.findall(cell_at(row, columns.get("level")))]
        for item in mentions:
            item.modules |= covered
            if item.mention.kind == "cert" and not item.mention.levels:
                item.mention.levels = levels
        found.extend(mentions)
    return found


def plain_names(row: list[str], line: int, text: str, columns: dict[str, int]) -> list[Found]:
    """Names read straight from a 证书 or 赛项 cell that no pattern recognised."""
    found: list[Found] = []
    for kind in ("cert", "comp"):
        for name in re.split(r"[\n、；;]", cell_at(row, columns.get(kind))):
            levels = [f"{c}级" for c in LEVEL.findall(name)]
            name = value_or_none(re.sub(r"[（(][初中高]级[）)]|[《》“”\"]", "", name)) or ""
            if kind == "comp":
                name = name.removesuffix("赛项")
            if len(name) >= 2:
                mention = Mention(kind, 0, 0, name, name.removesuffix("职业技能等级证书"), levels)
                found.append(Found(mention, text, line, set()))
    return found


def cell_at(row: list[str], position: int | None) -> str:
    return clean(row[position]) if position is not None and position < len(row) else ""


def certificates_of(found: list[Found]) -> list[CertificateStatement]:
    """One statement per (certificate, level); level-less mentions join their certificate's levels."""
    groups: dict[str, list[Found]] = {}
    for item in found:
        groups.setdefault(item.mention.key, []).append(item)
    statements: list[CertificateStatement] = []
    for items in groups.values():
        name = max((i.mention.name for i in items), key=len)
        levels = list(dict.fromkeys(level for i in items for level in i.mention.levels))
        loose = set().union(*(i.modules for i in items if not i.mention.levels))
        for level in levels or [None]:
            with_level = [i for i in items if level is None or level in i.mention.levels]
            modules = set().union(*(i.modules for i in with_level)) | loose
            first = with_level[0]
            statements.append(CertificateStatement(name, level, tuple(sorted(modules)), first.text, first.line))
    return statements


def competitions_of(found: list[Found]) -> list[CompetitionStatement]:
    """One statement per competition event, the first tier printed for it kept."""
    groups: dict[str, list[Found]] = {}
    for item in found:
        groups.setdefault(item.mention.key, []).append(item)
    statements: list[CompetitionStatement] = []
    for name, items in groups.items():
        tier = next((i.mention.tier for i in items if i.mention.tier), None)
        modules = tuple(sorted(set().union(*(i.modules for i in items))))
        statements.append(CompetitionStatement(name, tier, modules, items[0].text, items[0].line))
    return statements
