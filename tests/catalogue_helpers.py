"""Helpers of the catalogue tests: small tables as CSV, XLSX or JSON Lines, their triples, a store of them.

Heavy imports stay inside the functions.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from ingest.base import ParseResult
from ingest.catalogues.base import CatalogueKind, load_table
from kg.core.rdf import Triple
from kg.errors import SourceError
from kg.store.oxigraph import OxigraphStore
from tests.test_store import _record

VET = "https://w3id.org/vetgraph/ontology#"
VET_LINE = VET + "line"
SOURCE = NamedNode("https://w3id.org/vetgraph/source/test")


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A UTF-8 CSV file: the header, then the rows."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[str]], *, numbers: bool = False) -> Path:
    """A one-sheet workbook: the header, then the rows; with ``numbers``, digit-only cells are stored as integers."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([int(cell) if numbers and cell.isdigit() else cell for cell in row])
    book.save(path)
    return path


def write_jsonl(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """JSON Lines: one object a row, keyed by the header (no header line)."""
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(dict(zip(header, row)), ensure_ascii=False) + "\n")
    return path


def with_changes(row: list[str], changes: dict[int, str]) -> list[str]:
    """A copy of ``row`` with the cells at the given positions replaced."""
    changed = list(row)
    for index, value in changes.items():
        changed[index] = value
    return changed


def build(kind: CatalogueKind, path: Path, source: NamedNode = SOURCE) -> ParseResult:
    """The kind's triples, rejections and counts for the table at ``path``."""
    return kind.build(load_table(path, kind), source)


def load_error(kind: CatalogueKind, path: Path) -> str:
    """The message of the SourceError that loading ``path`` as ``kind`` raises (the test fails if none is)."""
    with pytest.raises(SourceError) as raised:
        load_table(path, kind)
    return str(raised.value)


def store_of(*results: ParseResult) -> OxigraphStore:
    """An in-memory store holding each result's triples as a source of its own."""
    store = OxigraphStore()
    for number, result in enumerate(results, start=1):
        store.commit_source(_record(f"/catalogue-{number}.csv", str(number) * 64), result.triples)
    return store


def class_counts(store: OxigraphStore) -> dict[str, int]:
    """Distinct instances by class, vet: classes by their local name."""
    rows = store.select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    return {row["c"].removeprefix(VET): int(row["n"]) for row in rows}


def class_count(store: OxigraphStore, local_name: str) -> int:
    """Distinct instances of the class vet:``local_name``."""
    return int(store.select(f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ ?n a vet:{local_name} }}")[0]["c"])


def triple_strings(triples: Iterable[Triple]) -> set[str]:
    """The triples as comparable strings."""
    return {str(t) for t in triples}


def without_lines(triples: Iterable[Triple]) -> set[str]:
    """The triples as strings, leaving out vet:line (a JSON Lines file has no header line to count)."""
    return {str(t) for t in triples if t[1].value != VET_LINE}
