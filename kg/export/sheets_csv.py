"""An alignment map or a gap report as one CSV table (UTF-8 with BOM, Chinese header, safe cells).

CSV holds a single table, so it carries the detail view: every alignment of a map with its
evidence, or one row per field of a gap report with its counts (zeros written as 0).
"""

from __future__ import annotations

from kg.export.cells import csv_bytes
from kg.export.views import Sheet, detail_sheet, gaps_sheet
from kg.maps.model import AlignmentMap, GapReport


def sheet_csv(sheet: Sheet) -> bytes:
    """One view's table as CSV bytes (the notes under it are not part of the table and are left out)."""
    return csv_bytes(sheet.columns, sheet.rows)


def map_csv(amap: AlignmentMap) -> bytes:
    """The map's 对应明细: one row per matrix cell and per certificate link."""
    return sheet_csv(detail_sheet(amap))


def gap_csv(report: GapReport) -> bytes:
    """The report's 缺口分析: one row per field, counts and the reason for each zero."""
    return sheet_csv(gaps_sheet(report))
