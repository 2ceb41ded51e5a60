"""职业教育专业目录: a scheme per level, 专业大类 -> 专业类 -> 专业 via skos:broader."""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

from ingest.base import ParseResult
from ingest.catalogues.base import CatalogueKind, Column, KeyRegistry, Row, Table, provenance
from ingest.catalogues.skos import concept_triples, scheme_triples
from kg.core import iris
from kg.core.levels import level_name, level_token
from kg.core.rdf import Triple, boolean, string, vet
from kg.core.records import Rejection

COLUMNS = (
    Column("level", ("level", "level_zh", "层次", "教育层次")),
    Column("code", ("code", "专业代码")),
    Column("name", ("name", "专业名称")),
    Column("category_code", ("dalei_code", "专业大类代码")),
    Column("category_name", ("dalei_name_derived", "dalei_name", "专业大类")),
    Column("class_code", ("class_code", "专业类代码")),
    Column("class_name", ("class_name", "专业类")),
    Column("in_2021", ("in_2021_catalog_docx_parse", "in_2021_catalog"), required=False),
    Column("addition", ("in_2025_additions_list", "later_addition"), required=False),
    Column("chsi", ("in_chsi_2025_12",), required=False),
)
MAJOR_CODE = re.compile(r"^\d{6}K?$")
TRUE, FALSE = {"true", "1", "yes", "是"}, {"false", "0", "no", "否", ""}
SCHEME_LABELS = {
    "voc_secondary": ("职业教育专业目录（中等职业教育）", "Vocational education major catalogue: secondary"),
    "voc_associate": ("职业教育专业目录（高等职业教育专科）", "Vocational education major catalogue: associate"),
    "voc_bachelor": ("职业教育专业目录（高等职业教育本科）", "Vocational education major catalogue: bachelor"),
}


def _check(row: Row) -> tuple[str, str] | Rejection:
    """(level token, code) or why the row is refused."""
    level = level_token(row["level"])
    code = row["code"].upper()
    if level is None:
        return Rejection(row.line, f"unknown education level '{row['level']}'")
    if not MAJOR_CODE.match(code):
        return Rejection(row.line, f"bad major code '{row['code']}': expected 6 digits with an optional K")
    for field in ("name", "category_name", "class_name"):
        if not row[field]:
            return Rejection(row.line, f"empty {field.replace('_', ' ')}")
    if row["category_code"] != code[:2] or row["class_code"] != code[:4]:
        return Rejection(row.line, f"major code {code} does not sit under category {row['category_code']} "
                                   f"and class {row['class_code']}")
    for field in ("in_2021", "addition", "chsi"):
        if row[field].lower() not in TRUE | FALSE:
            return Rejection(row.line, f"{field} must be True or False, not '{row[field]}'")
    return level, code


def build_majors(table: Table, source: NamedNode) -> ParseResult:
    triples: list[Triple] = []
    rejections: list[Rejection] = []
    majors, categories = KeyRegistry("major code"), KeyRegistry("category code")
    schemes: set[str] = set()
    for row in table.rows:
        checked = _check(row)
        if isinstance(checked, Rejection):
            rejections.append(checked)
            continue
        level, code = checked
        claim = majors.claim(code, row.line, row["name"])
        if isinstance(claim, Rejection):
            rejections.append(claim)
        if claim is not True:
            continue
        scheme = iris.scheme(f"majors-{level}")
        if level not in schemes:
            schemes.add(level)
            triples += scheme_triples(scheme, *SCHEME_LABELS[level], source)
        parents: list[NamedNode | None] = [None]
        for cat_code, cat_name in ((code[:2], row["category_name"]), (code[:4], row["class_name"])):
            node = iris.major_category(cat_code)
            found = categories.claim(cat_code, row.line, cat_name)
            if isinstance(found, Rejection):
                rejections.append(found)
            elif found is True:
                triples += concept_triples(node, "MajorCategory", cat_name, cat_code, scheme, parents[-1])
                triples.append((node, vet("level"), string(level_name(level))))
                triples += provenance(node, source, row.line)
            parents.append(node)
        node = iris.major(code)
        triples += concept_triples(node, "Major", row["name"], code, scheme, parents[-1])
        triples.append((node, vet("level"), string(level_name(level))))
        for field, prop in (("in_2021", "inCatalogue2021"), ("addition", "laterAddition"), ("chsi", "listedByChsi2025")):
            if row[field]:
                triples.append((node, vet(prop), boolean(row[field].lower() in TRUE)))
        triples += provenance(node, source, row.line)
    count = len(majors.first)
    return ParseResult(triples=triples, document=None, rejections=rejections, counts={"majors": count},
                       summary=f"{count} majors in {len(categories.first)} categories, {len(schemes)} levels")


KIND = CatalogueKind(
    kind="majors",
    description="职业教育专业目录: level, code, name, 专业大类, 专业类 (CSV, XLSX, JSON Lines)",
    columns=COLUMNS,
    parser_version="majors/1",
    build=build_majors,
)
