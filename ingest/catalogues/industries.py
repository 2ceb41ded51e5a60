"""国民经济行业分类 (GB/T 4754-2017): 门类 -> 大类 -> 中类 -> 小类 via skos:broader, from the codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyoxigraph import NamedNode

from ingest.base import ParseResult
from ingest.catalogues.base import CatalogueKind, Column, KeyRegistry, Row, Table, provenance
from ingest.catalogues.skos import concept_triples, scheme_triples
from kg.core import iris
from kg.core.rdf import Triple, string, vet
from kg.core.records import Rejection

COLUMNS = (
    Column("level_name", ("level_name", "层级", "级别")),
    Column("code", ("code", "代码", "行业代码")),
    Column("name", ("name", "名称", "类别名称", "行业名称")),
    Column("section", ("section", "门类", "门类代码")),
    Column("level", ("level", "层级序号"), required=False),
    Column("division", ("division", "大类", "大类代码"), required=False),
    Column("group", ("group", "中类", "中类代码"), required=False),
    Column("class", ("class", "小类", "小类代码"), required=False),
    Column("description", ("description", "说明"), required=False),
)
#: level name -> (depth, code pattern, what the pattern means)
LEVELS = {
    "门类": (1, re.compile(r"^[A-T]$"), "a letter A-T"),
    "大类": (2, re.compile(r"^\d{2}$"), "2 digits"),
    "中类": (3, re.compile(r"^\d{3}$"), "3 digits"),
    "小类": (4, re.compile(r"^\d{4}$"), "4 digits"),
}
SECTION = LEVELS["门类"][1]
SCHEME = ("industries-gbt4754-2017", "国民经济行业分类（GB/T 4754-2017）",
          "Industrial classification for national economic activities (GB/T 4754-2017)")


@dataclass(frozen=True)
class Entry:
    """A row that passed its own checks: its level, normalised code and the row itself."""

    level: str
    code: str
    row: Row


def _expected_columns(level: str, code: str, section: str) -> dict[str, str]:
    """What the section/division/group/class columns must say for a code at a level."""
    depth = LEVELS[level][0]
    if depth == 1:
        return {"section": code, "division": "", "group": "", "class": ""}
    return {"section": section, "division": code[:2], "group": code[:3] if depth >= 3 else "",
            "class": code if depth == 4 else ""}


def _check(row: Row) -> Entry | Rejection:
    """The row's level and code, or why the row is refused."""
    level = row["level_name"]
    if level not in LEVELS:
        return Rejection(row.line, f"unknown industry level '{level}': expected 门类, 大类, 中类 or 小类")
    depth, pattern, meaning = LEVELS[level]
    if row["level"] and row["level"] != str(depth):
        return Rejection(row.line, f"level {row['level']} does not match level name {level} (level {depth})")
    code = row["code"].upper()
    if not pattern.match(code):
        return Rejection(row.line, f"bad {level} code '{row['code']}': expected {meaning}")
    if not row["name"]:
        return Rejection(row.line, "empty name")
    section = row["section"].upper()
    if not SECTION.match(section):
        return Rejection(row.line, f"bad section '{row['section']}': expected a letter A-T")
    for column, expected in _expected_columns(level, code, section).items():
        if column in row.fields and row[column].upper() != expected:
            return Rejection(row.line, f"{level} code {code} disagrees with its {column} column: "
                                       f"'{row[column]}', expected '{expected}'")
    return Entry(level, code, row)


def _parent(entry: Entry, accepted: dict[str, Entry], refused: dict[str, int]) -> str | Rejection | None:
    """The code of the broader industry (None for a 门类), or why the entry cannot be placed."""
    level, code, line = entry.level, entry.code, entry.row.line
    if level == "门类":
        return None
    if level == "大类":
        candidates = [("门类", entry.row["section"].upper())]
    elif level == "中类":
        candidates = [("大类", code[:2])]
    else:  # a 中类 with a single 小类 has no row of its own: the 小类 then hangs from its 大类
        candidates = [("中类", code[:3]), ("大类", code[:2])]
    for parent_level, parent_code in candidates:
        if parent_code in accepted:
            division = accepted.get(code[:2])
            if level != "大类" and division and division.row["section"].upper() != entry.row["section"].upper():
                return Rejection(line, f"{level} {code} says section {entry.row['section']}, "
                                       f"its 大类 {code[:2]} is in section {division.row['section']}")
            return parent_code
        if parent_code in refused:
            return Rejection(line, f"its {parent_level} {parent_code} was rejected (line {refused[parent_code]})")
    wanted = " or ".join(f"{lvl} {c}" for lvl, c in candidates)
    return Rejection(line, f"{level} {code} has no parent in the file: {wanted} not found")


def _entries(table: Table) -> tuple[list[Entry], dict[str, int], list[Rejection]]:
    """Rows that pass their checks, first row per code; the codes of refused rows; the rejections."""
    entries: list[Entry] = []
    refused: dict[str, int] = {}
    rejections: list[Rejection] = []
    codes = KeyRegistry("industry code")
    for row in table.rows:
        checked = _check(row)
        if isinstance(checked, Rejection):
            rejections.append(checked)
            refused.setdefault(row["code"].upper(), row.line)
            continue
        claim = codes.claim(checked.code, row.line, row["name"])
        if isinstance(claim, Rejection):
            rejections.append(claim)
        if claim is True:
            entries.append(checked)
    return entries, refused, rejections


def build_industries(table: Table, source: NamedNode) -> ParseResult:
    entries, refused, rejections = _entries(table)
    scheme = iris.scheme(SCHEME[0])
    triples: list[Triple] = list(scheme_triples(scheme, SCHEME[1], SCHEME[2], source))
    accepted: dict[str, Entry] = {}
    counts = dict.fromkeys(LEVELS, 0)
    for level in LEVELS:  # parents before children, so a refused parent refuses its children
        for entry in (e for e in entries if e.level == level):
            parent = _parent(entry, accepted, refused)
            if isinstance(parent, Rejection):
                rejections.append(parent)
                refused.setdefault(entry.code, entry.row.line)
                continue
            accepted[entry.code] = entry
            counts[level] += 1
            triples += _industry_triples(entry, scheme, parent, source)
    under_division = sum(1 for e in accepted.values() if e.level == "小类" and e.code[:3] not in accepted)
    total = len(accepted)
    summary = (f"{total} industries: " + ", ".join(f"{n} {lvl}" for lvl, n in counts.items())
               + f" ({under_division} 小类 directly under their 大类)")
    return ParseResult(triples=triples, document=None, rejections=sorted(rejections, key=lambda r: r.line or 0),
                       counts={"industries": total, "sections": counts["门类"], "divisions": counts["大类"],
                               "groups": counts["中类"], "classes": counts["小类"]},
                       summary=summary)


def _industry_triples(entry: Entry, scheme: NamedNode, parent: str | None, source: NamedNode) -> list[Triple]:
    node = iris.industry(entry.code)
    broader = iris.industry(parent) if parent is not None else None
    triples = list(concept_triples(node, "Industry", entry.row["name"], entry.code, scheme, broader,
                                   entry.row["description"] or None))
    triples.append((node, vet("industryLevel"), string(entry.level)))
    triples += provenance(node, source, entry.row.line)
    return triples


KIND = CatalogueKind(
    kind="industries",
    description="国民经济行业分类 GB/T 4754-2017: level_name, code, name, section (CSV, XLSX, JSON Lines)",
    columns=COLUMNS,
    parser_version="industries/1",
    build=build_industries,
)
