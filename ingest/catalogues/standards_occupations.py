"""专业教学标准 (2025) 职业面向: the occupations each major prepares for, as the standards state them.

Pure: the occupation catalogue is another file, so each row gives the stated link
``major vet:preparesFor occupation(code)`` (a 细类 or, as stated, a 小类: one IRI namespace) and a
vet:Mention of the occupation name, mentioned in the teaching standard of (level, major code);
kg.resolve.occupations links the mentions to the catalogue once both are in the store. The source
fans a 小类 out to one row per 细类 name. The standard node itself comes from the course lists: it
is not restated here, since a triple stated by two files comes back twice from a union query.
"""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

from ingest.base import ParseResult
from ingest.catalogues.base import CatalogueKind, Column, KeyRegistry, Row, Table, provenance
from ingest.catalogues.standards_courses import check_standard_major
from kg.core import iris
from kg.core.names import strip_occupation_markers
from kg.core.rdf import RDF_TYPE, Triple, integer, string, vet, zh
from kg.core.records import Rejection

COLUMNS = (
    Column("level", ("major_level", "level", "层次", "教育层次")),
    Column("major_code", ("major_code", "专业代码")),
    Column("major_name", ("major_name", "专业名称")),
    Column("occupation_code", ("occupation_code", "职业代码", "职业类别代码")),
    Column("occupation_name", ("occupation_name", "职业名称")),
)
#: A 细类 (2-02-38-01) or a 小类 (2-02-38) of the 职业分类大典.
OCCUPATION_CODE = re.compile(r"^\d-\d{2}-\d{2}(?:-\d{2})?$")
def _check(row: Row) -> tuple[str, str, str] | Rejection:
    """(level token, major code, occupation code) or why the row is refused."""
    checked = check_standard_major(row)
    if isinstance(checked, Rejection):
        return checked
    if not OCCUPATION_CODE.match(row["occupation_code"]):
        return Rejection(row.line, f"bad occupation code '{row['occupation_code']}': expected a 细类 like "
                                   "2-02-38-01 or a 小类 like 2-02-38")
    if not row["occupation_name"]:
        return Rejection(row.line, "empty occupation name")
    return (*checked, row["occupation_code"])


def mention_triples(node: NamedNode, standard: NamedNode, code: str, name: str,
                    source: NamedNode, line: int) -> list[Triple]:
    """The vet:Mention of one printed occupation name in a standard."""
    return [(node, RDF_TYPE, vet("Mention")), (node, vet("mentionKind"), string("occupation")),
            (node, vet("mentionedIn"), standard), (node, vet("spanText"), zh(name)),
            (node, vet("matchedTerm"), zh(strip_occupation_markers(name))), (node, vet("statedCode"), string(code)),
            (node, vet("spanStart"), integer(0)), (node, vet("spanEnd"), integer(len(name))),
            *provenance(node, source, line)]


def build_standard_occupations(table: Table, source: NamedNode) -> ParseResult:
    triples: list[Triple] = []
    rejections: list[Rejection] = []
    standards = KeyRegistry("teaching standard")
    mentions: set[NamedNode] = set()
    links: set[tuple[str, str]] = set()
    for row in table.rows:
        checked = _check(row)
        if isinstance(checked, Rejection):
            rejections.append(checked)
            continue
        level, code, occupation = checked
        claim = standards.claim(f"{level}/{code}", row.line, row["major_name"])
        if isinstance(claim, Rejection):
            rejections.append(claim)
            continue
        standard = iris.teaching_standard(level, code)
        node = iris.standard_occupation_mention(level, code, occupation, row["occupation_name"])
        if node in mentions:
            continue  # the same major, code and name again: nothing new
        mentions.add(node)
        triples += mention_triples(node, standard, occupation, row["occupation_name"], source, row.line)
        if (code, occupation) not in links:
            links.add((code, occupation))
            triples.append((iris.major(code), vet("preparesFor"), iris.occupation(occupation)))
    groups = sum(1 for _, occupation in links if occupation.count("-") == 2)
    counts = {"teaching_standards": len(standards.first), "occupation_mentions": len(mentions),
              "stated_links": len(links), "stated_group_links": groups}
    summary = (f"{len(mentions)} occupation mentions in {len(standards.first)} teaching standards; "
               f"{len(links)} stated major-occupation links ({groups} to a 小类)")
    return ParseResult(triples=triples, document=None, rejections=rejections, counts=counts, summary=summary)


OCCUPATIONS_KIND = CatalogueKind(
    kind="standard-occupations",
    description="专业教学标准 职业面向: major_level, major_code, major_name, occupation_code, occupation_name "
                "(CSV, XLSX, JSON Lines)",
    columns=COLUMNS,
    parser_version="standard-occupations/1",
    build=build_standard_occupations,
)
