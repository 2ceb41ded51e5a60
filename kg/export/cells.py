"""Cells safe to hand to a spreadsheet, and CSV that Excel on Chinese Windows opens without garbling.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read
by Excel, WPS or LibreOffice as a formula (CSV/formula injection); it is written with a leading
apostrophe so it stays text. Numbers stay numbers. CSV is UTF-8 with a BOM, CRLF line ends.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Value = str | int | float | bool | None


def safe_cell(value: Value) -> Value:
    """``value`` unchanged unless it is text a spreadsheet would run as a formula: then quoted with ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[Value]]) -> bytes:
    """A CSV file's bytes: UTF-8 with BOM, a header row, every cell made safe, None as empty."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in columns])
    for row in rows:
        writer.writerow(["" if cell is None else safe_cell(cell) for cell in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
