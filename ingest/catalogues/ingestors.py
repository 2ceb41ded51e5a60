"""Catalogue kinds as registry ingestors: detected by their header, parsed through their column map."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from pyoxigraph import NamedNode

from ingest.base import Ingestor, ParseResult
from ingest.catalogues.base import CatalogueKind, load_table
from ingest.catalogues.table import TABLE_SUFFIXES, read_header
from kg.errors import SourceError


def _detect(kind: CatalogueKind, path: Path) -> str | None:
    try:
        header = read_header(path)
    except SourceError as error:
        return error.reason if error.line is None else f"line {error.line}: {error.reason}"
    return None if kind.matches(header) else f"header lacks {kind.kind} columns ({kind.expected()})"


def _parse(kind: CatalogueKind, path: Path, source: NamedNode) -> ParseResult:
    table = load_table(path, kind)
    result = kind.build(table, source)
    result.rejections = sorted(table.rejections + result.rejections, key=lambda r: (r.line or 0, r.reason))
    return result


def as_ingestor(kind: CatalogueKind) -> Ingestor:
    return Ingestor(kind=kind.kind, description=kind.description, suffixes=TABLE_SUFFIXES,
                    parser_version=kind.parser_version, detect=partial(_detect, kind), parse=partial(_parse, kind))


def _kinds() -> list[CatalogueKind]:
    from ingest.catalogues import certificates, industries, majors, occupations, standards

    return [majors.KIND, industries.KIND, occupations.KIND, certificates.KIND,
            standards.COURSES_KIND, standards.OCCUPATIONS_KIND]


CATALOGUE_INGESTORS: list[Ingestor] = [as_ingestor(kind) for kind in _kinds()]
