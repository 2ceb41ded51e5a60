"""职业分类大典 (2022): 细类 occupations under their 大类 -> 中类 -> 小类 groups, with L/S markers."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from pyoxigraph import NamedNode

from ingest.base import ParseResult
from ingest.catalogues.base import CatalogueKind, Column, KeyRegistry, Row, Table, provenance
from ingest.catalogues.skos import concept_triples, scheme_triples
from kg.core import iris
from kg.core.rdf import Triple, boolean, string, vet, zh
from kg.core.records import Rejection

COLUMNS = (
    Column("code", ("occupation_code", "职业编码", "职业代码")),
    Column("name", ("occupation_name", "职业名称")),
    Column("major_code", ("major_category_code", "大类代码")),
    Column("major_name", ("major_category_name", "大类名称")),
    Column("middle_code", ("middle_category_code", "中类代码")),
    Column("middle_name", ("middle_category_name", "中类名称")),
    Column("minor_code", ("minor_category_code", "小类代码")),
    Column("minor_name", ("minor_category_name", "小类名称")),
    # The source's major_category_name is wrong for code 1; the fixed column wins when filled.
    Column("major_name_fixed", ("major_category_name_fixed",), required=False),
    Column("definition", ("definition", "定义", "职业定义"), required=False),
    Column("work_types", ("included_work_types", "包含工种", "工种"), required=False),
    Column("markers", ("markers", "标识", "职业标识"), required=False),
    Column("version", ("catalog_version", "catalogue_version", "版本"), required=False),
)
OCCUPATION_CODE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")
#: L marks a green occupation, S a digital one; the source also prints separators ("LS/", "S/", "L|S").
MARKER_TEXT = re.compile(r"^[LS/|、,，\s]*$")
SCHEME = ("occupations-dadian-2022", "中华人民共和国职业分类大典（2022年版）",
          "Occupational Classification Dictionary of the PRC (2022 edition)")
GROUP_LEVELS = ("大类", "中类", "小类")


@dataclass(frozen=True)
class Group:
    """One of an occupation's three groups as its row states it."""

    level: str
    code: str
    name: str


def _groups(row: Row) -> list[Group]:
    major_name = row["major_name_fixed"] or row["major_name"]
    return [Group("大类", row["major_code"], major_name), Group("中类", row["middle_code"], row["middle_name"]),
            Group("小类", row["minor_code"], row["minor_name"])]


def _check(row: Row) -> Rejection | None:
    """None for a good 细类 row, else why it is refused."""
    code = row["code"]
    if not OCCUPATION_CODE.match(code):
        return Rejection(row.line, f"bad occupation code '{code}': expected d-dd-dd-dd (like 2-02-38-01)")
    if not row["name"]:
        return Rejection(row.line, "empty name")
    groups = _groups(row)
    expected = (code[:1], code[:4], code[:7])
    if tuple(g.code for g in groups) != expected:
        stated = ", ".join(f"{g.level} '{g.code}'" for g in groups)
        return Rejection(row.line, f"occupation code {code} does not sit under its groups ({stated}); "
                                   f"expected {', '.join(expected)}")
    for group in groups:
        if not group.name:
            return Rejection(row.line, f"empty {group.level} name for {group.code}")
    if not MARKER_TEXT.match(row["markers"]):
        return Rejection(row.line, f"unknown marker '{row['markers']}': expected L (green) and/or S (digital)")
    return None


def _occupation_triples(row: Row, scheme: NamedNode, broader: NamedNode, source: NamedNode) -> list[Triple]:
    node = iris.occupation(row["code"])
    triples = list(concept_triples(node, "Occupation", row["name"], row["code"], scheme, broader,
                                   row["definition"] or None))
    for work_type in (w.strip() for w in row["work_types"].split("|")):
        if work_type:
            triples.append((node, vet("includedWorkTypes"), zh(work_type)))
    if row["version"]:
        triples.append((node, vet("catalogueVersion"), string(row["version"])))
    markers = row["markers"]
    if markers:
        triples.append((node, vet("markerText"), string(markers)))
    if "L" in markers:
        triples.append((node, vet("greenMarker"), boolean(True)))
    if "S" in markers:
        triples.append((node, vet("digitalMarker"), boolean(True)))
    triples += provenance(node, source, row.line)
    return triples


def _group_triples(row: Row, groups: KeyRegistry, scheme: NamedNode, source: NamedNode,
                   rejections: list[Rejection]) -> tuple[list[Triple], NamedNode]:
    """New groups of the row (first name wins, a conflicting name is reported) and its 小类 node."""
    triples: list[Triple] = []
    parent: NamedNode | None = None
    for group in _groups(row):
        node = iris.occupation(group.code)
        claim = groups.claim(group.code, row.line, group.name)
        if isinstance(claim, Rejection):  # the group keeps its first name; the row's occupation still loads
            rejections.append(dataclasses.replace(claim, kept=True))
        elif claim is True:
            triples += concept_triples(node, "OccupationGroup", group.name, group.code, scheme, parent)
            triples += provenance(node, source, row.line)
        parent = node
    return triples, iris.occupation(row["minor_code"])


def build_occupations(table: Table, source: NamedNode) -> ParseResult:
    scheme = iris.scheme(SCHEME[0])
    triples: list[Triple] = list(scheme_triples(scheme, SCHEME[1], SCHEME[2], source))
    rejections: list[Rejection] = []
    occupations = KeyRegistry("occupation code")
    groups = KeyRegistry("occupation group code")
    green = digital = 0
    for row in table.rows:
        refused = _check(row)
        if refused is not None:
            rejections.append(refused)
            continue
        claim = occupations.claim(row["code"], row.line, row["name"])
        if isinstance(claim, Rejection):
            rejections.append(claim)
        if claim is not True:
            continue
        group_triples, minor = _group_triples(row, groups, scheme, source, rejections)
        triples += group_triples
        triples += _occupation_triples(row, scheme, minor, source)
        green += "L" in row["markers"]
        digital += "S" in row["markers"]
    by_level = {level: sum(1 for code in groups.first if _group_level(code) == level) for level in GROUP_LEVELS}
    total = len(occupations.first)
    summary = (f"{total} occupations in " + ", ".join(f"{n} {lvl}" for lvl, n in by_level.items())
               + f"; {green} green (L), {digital} digital (S)")
    counts = {"occupations": total, "major_groups": by_level["大类"], "middle_groups": by_level["中类"],
              "minor_groups": by_level["小类"], "green": green, "digital": digital}
    return ParseResult(triples=triples, document=None, rejections=rejections, counts=counts, summary=summary)


def _group_level(code: str) -> str:
    """'6' -> 大类, '6-02' -> 中类, '6-02-06' -> 小类."""
    return GROUP_LEVELS[code.count("-")]


KIND = CatalogueKind(
    kind="occupations",
    description="职业分类大典 2022: occupation_code, occupation_name, its 大类/中类/小类 (CSV, XLSX, JSON Lines)",
    columns=COLUMNS,
    parser_version="occupations/1",
    build=build_occupations,
)
