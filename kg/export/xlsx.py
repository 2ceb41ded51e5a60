"""An alignment map or a gap report as an Excel workbook: one sheet per view, the same figures as the CSV.

Header bold and frozen, auto-filter on each table, widths that fit Chinese text (a CJK character
counts two), the matrix and the zero counts filled by a fixed palette, every text cell made safe.
The bytes depend only on the records: document properties and zip entry times are taken from the
map's ``generated_at`` (openpyxl's own save would stamp the current time in both).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from kg.export.cells import safe_cell
from kg.export.views import GAP, GAP_COLOUR, STRENGTH_COLOURS, Sheet, Value, gap_sheets, map_sheets
from kg.maps.model import AlignmentMap, GapReport

CREATOR = "VETgraph"
#: Used when a record has no parsable ``generated_at``: the earliest time a zip entry can hold.
FALLBACK_TIME = datetime(1980, 1, 1)
WIDTH_CAPS = {"text": 60, "iri": 48, "matrix": 28, "number": 12, "label": 40}
MIN_WIDTH = 6
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", fgColor="FFD9E1F2")
NOTE_FONT = Font(italic=True, color="FF595959")
LIGHT_TEXT = Font(color="FFFFFFFF")  # on the darkest fill
BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def fill(colour: str) -> PatternFill:
    """A solid fill of an RGB hex colour (opaque)."""
    return PatternFill(fill_type="solid", fgColor="FF" + colour, bgColor="FF" + colour)


FILLS = {**{strength: fill(colour) for strength, colour in STRENGTH_COLOURS.items()}, GAP: fill(GAP_COLOUR)}


def map_xlsx(amap: AlignmentMap) -> bytes:
    """The map's workbook: matrix, detail, industries and occupations, competencies, legend, sources."""
    return workbook_bytes(map_sheets(amap), title=amap.title, generated_at=amap.generated_at)


def gap_xlsx(report: GapReport) -> bytes:
    """The gap report's workbook: the fields with their counts, the detail, legend, sources."""
    title = f"{report.document.label}：重点领域缺口分析"
    return workbook_bytes(gap_sheets(report), title=title, generated_at=report.generated_at)


def workbook_bytes(sheets: Sequence[Sheet], *, title: str, generated_at: str) -> bytes:
    """The views laid out one sheet each, with fixed properties, as the bytes of an .xlsx file."""
    when = parse_time(generated_at)
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        write_sheet(book.create_sheet(sheet_title(sheet.name)), sheet)
    properties = book.properties
    properties.title, properties.creator, properties.lastModifiedBy = clean(title), CREATOR, CREATOR
    properties.created = properties.modified = when
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()  # not book.save(): that sets ``modified`` to now
    return fixed_zip(buffer.getvalue(), when)


def parse_time(value: str) -> datetime:
    """``generated_at`` (xsd:dateTime) as naive UTC, the form openpyxl writes; the fallback if unparsable."""
    try:
        when = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return FALLBACK_TIME
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return max(when.replace(microsecond=0), FALLBACK_TIME)


def fixed_zip(data: bytes, when: datetime) -> bytes:
    """The same zip with every entry stamped ``when`` (zipfile stamps entries written by name with the clock)."""
    stamp = when.timetuple()[:6]
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system, entry.external_attr = 3, 0o600 << 16  # the same on every platform
            target.writestr(entry, source.read(info))
    return output.getvalue()


def sheet_title(name: str) -> str:
    """A sheet name Excel accepts: none of []:*?/\\ and at most 31 characters."""
    return BAD_TITLE.sub("_", name)[:31] or "Sheet"


def clean(value: Value) -> Value:
    """A value safe to store: text made formula-safe and rid of control characters XML cannot hold."""
    if isinstance(value, str):
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def display_width(value: Value) -> int:
    """How wide a value shows: a wide (CJK) character counts 2, others 1; the longest line of text."""
    if value is None:
        return 0
    text = f"{value:.2f}" if isinstance(value, float) else str(value)
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in text.split("\n"))


def write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    """Header, rows, fills, widths, frozen header (and columns), auto-filter, and the notes under the table."""
    ws.append([clean(name) for name in sheet.columns])
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in sheet.rows:
        ws.append([clean(value) for value in row])
    for (row, column), mark in sorted(sheet.marks.items()):
        cell = ws.cell(row=row + 2, column=column + 1)
        cell.fill = FILLS[mark]
        if mark == "exact":
            cell.font = LIGHT_TEXT
    last_row = len(sheet.rows) + 1
    for index, name in enumerate(sheet.columns):
        kind = sheet.kind(index)
        letter = get_column_letter(index + 1)
        widest = max([display_width(name), *(display_width(row[index]) for row in sheet.rows if index < len(row))])
        cap = WIDTH_CAPS.get(kind, WIDTH_CAPS["label"])
        ws.column_dimensions[letter].width = max(MIN_WIDTH, min(widest, cap)) + 2
        if kind == "number":
            for (cell,) in ws.iter_rows(min_row=2, max_row=last_row, min_col=index + 1, max_col=index + 1):
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
        elif widest > cap or kind == "text":
            for (cell,) in ws.iter_rows(min_row=2, max_row=last_row, min_col=index + 1, max_col=index + 1):
                cell.alignment = Alignment(wrap_text=kind != "iri", vertical="top")
    ws.freeze_panes = ws.cell(row=2, column=sheet.freeze_columns + 1).coordinate
    if sheet.columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{last_row}"
    for offset, note in enumerate(sheet.notes):
        ws.cell(row=last_row + 2 + offset, column=1, value=clean(note)).font = NOTE_FONT
    _print_setup(ws)


def _print_setup(ws: Worksheet) -> None:
    """Printed (or saved as PDF) landscape on A4, all columns on one page wide, the header on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
