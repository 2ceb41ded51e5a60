"""Read a table from CSV, XLSX or JSON Lines as a header and numbered rows (the header is line 1)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from ingest.readers.decode import decode_bytes, decode_first_line, read_bytes
from ingest.readers.text import CONTROL
from kg.errors import SourceError

TABLE_SUFFIXES = (".csv", ".xlsx", ".jsonl")


@dataclass(frozen=True)
class RawTable:
    """A header and its rows; each row is (line, cells) with the header counted as line 1."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def read_table(path: Path) -> RawTable:
    """Dispatch on the suffix; every format gives strings, '' for an empty cell, control characters as spaces."""
    readers = {".csv": _read_csv, ".xlsx": _read_xlsx, ".jsonl": _read_jsonl}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise SourceError(path, f"not a table: expected one of {', '.join(TABLE_SUFFIXES)}")
    return _without_controls(reader(path))


def _without_controls(table: RawTable) -> RawTable:
    """Every cell with its control characters (as ``readers.text`` cleans document lines) made spaces."""
    def clean(cell: str) -> str:
        return CONTROL.sub(" ", cell) if CONTROL.search(cell) else cell

    return RawTable([clean(cell) for cell in table.header],
                    [(line, [clean(cell) for cell in cells]) for line, cells in table.rows])


def read_header(path: Path) -> list[str]:
    """Just the header, cheaply, for kind detection."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            with path.open("rb") as handle:
                head = handle.read(1 << 16)
        except OSError as error:
            raise SourceError(path, f"cannot read: {error.strerror or error}") from None
        text = decode_first_line(head, path)
        return [cell.strip() for cell in next(csv.reader([text.lstrip("\ufeff")]), [])]
    return read_table(path).header


def _read_csv(path: Path) -> RawTable:
    text = decode_bytes(read_bytes(path), path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [cell.strip() for cell in next(reader)]
        rows: list[tuple[int, list[str]]] = []
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        raise SourceError(path, f"malformed CSV: {error}", line=reader.line_num) from error
    except StopIteration:
        raise SourceError(path, "empty file: no header row") from None
    return RawTable(header, rows)


def _read_xlsx(path: Path) -> RawTable:
    """The first sheet's cached values (formulas are never evaluated), after the zip passed the unpacked-size check."""
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    import openpyxl
    from lxml.etree import XMLSyntaxError

    from ingest.readers.limits import check_zip

    data = read_bytes(path)
    if not data.strip():
        raise SourceError(path, "empty file")
    if not data.startswith(b"PK"):
        raise SourceError(path, "not a readable .xlsx workbook: not a zip archive (truncated or another format?)")
    check_zip(path, data)
    broken = (BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError, EOFError, ParseError, XMLSyntaxError)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except broken as error:
        raise SourceError(path, f"not a readable .xlsx workbook: {str(error) or type(error).__name__}") from None
    try:
        if not book.worksheets:
            raise SourceError(path, "empty workbook: no sheet")
        cells = book.worksheets[0].iter_rows(values_only=True)
        header_row = next(cells, None)
        if header_row is None:
            raise SourceError(path, "empty workbook: no header row")
        header = [_cell(value).strip() for value in header_row]
        rows = [(number, [_cell(value) for value in row])
                for number, row in enumerate(cells, start=2) if any(_cell(v).strip() for v in row)]
    except broken as error:
        raise SourceError(path, f"corrupt .xlsx workbook: {str(error) or type(error).__name__}") from None
    finally:
        book.close()
    return RawTable(header, rows)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_jsonl(path: Path) -> RawTable:
    text = decode_bytes(read_bytes(path), path)
    objects: list[tuple[int, dict[str, object]]] = []
    for number, line in enumerate(text.split("\n"), start=1):  # not splitlines(): U+2028, U+0085 may sit in a string
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise SourceError(path, f"malformed JSON: {error.msg} at column {error.colno}", line=number) from error
        if not isinstance(value, dict):
            raise SourceError(path, "each line must be a JSON object", line=number)
        objects.append((number, value))
    header: list[str] = []
    for _, value in objects:
        header += [key for key in value if key not in header]
    # JSON Lines has no header line: line numbers are the objects' own lines.
    rows = [(number, ["" if value.get(key) is None else str(value.get(key)) for key in header])
            for number, value in objects]
    return RawTable(header, rows)

