"""The spreadsheet views of an alignment map and a gap report: CSV and XLSX from the hand-built samples."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from datetime import datetime

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from kg.export.sheets_csv import gap_csv, map_csv, sheet_csv
from kg.export.views import (
    COMPETENCIES, DETAIL, GAP, GAP_COLOUR, GAP_DETAIL, GAP_TEXT, GAPS, LEGEND, MATRIX, SERVES, SOURCES,
    STRENGTH_COLOURS, gap_sheets, map_sheets,
)
from kg.export.xlsx import display_width, gap_xlsx, map_xlsx, sheet_title
from kg.maps.model import ZERO_INCOMPLETE, ZERO_LABELS, ZERO_NONE, Cell
from tests.map_samples import BATTERY, FORMULA, HIGH_VOLTAGE, SMART, bare_major_map, gap_report, major_map

MAP_SHEETS = [MATRIX, DETAIL, SERVES, COMPETENCIES, LEGEND, SOURCES]


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _find(ws: Worksheet, value: str) -> tuple[int, int]:
    """The (row, column) of the first cell holding ``value``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell.row, cell.column
    raise AssertionError(f"{value!r} not in sheet {ws.title}")


def _column(ws: Worksheet, prefix: str) -> int:
    return next(cell.column for cell in ws[1] if str(cell.value).startswith(prefix))


@pytest.fixture(scope="module")
def map_book() -> openpyxl.Workbook:
    return _book(map_xlsx(major_map()))


@pytest.fixture(scope="module")
def gap_book() -> openpyxl.Workbook:
    return _book(gap_xlsx(gap_report()))


# -- CSV -------------------------------------------------------------------------------------------
def test_map_csv_is_the_detail_view_with_bom_and_chinese_header() -> None:
    data = map_csv(major_map())
    assert data.startswith("\ufeff".encode())
    rows = _rows(data)
    assert rows[0][:4] == ["关系", "课程或专业", "证书", "等级"] and "证据" in rows[0] and "对应IRI" in rows[0]
    battery = next(row for row in rows if row[1] == BATTERY.label)
    assert battery[2] == SMART.label and "完全对应" in battery and "模块三 动力电池检测与维护" in battery
    assert "48" in battery  # the evidence's line
    assert any(row[0] == "专业—证书" and row[2] == HIGH_VOLTAGE.label for row in rows)


def test_gap_csv_writes_zeros_and_their_reasons() -> None:
    data = gap_csv(gap_report())
    assert data.startswith("\ufeff".encode())
    header, *rows = _rows(data)
    assert header[:6] == ["领域（原文）", "条款", "行号", "原句", "GB/T 4754 代码", "行业名称"]
    craft = dict(zip(header, next(row for row in rows if row[0] == "民族手工艺")))
    assert (craft["专业数"], craft["证书数"], craft["职业数"]) == ("0", "0", "0")
    assert craft["证书数为 0 的原因"] == ZERO_LABELS[ZERO_INCOMPLETE]
    clean = dict(zip(header, next(row for row in rows if row[0] == "清洁能源")))
    assert clean["GB/T 4754 代码"] == "4416" and clean["专业数"] == "1" and clean["专业"] == "光伏工程技术（430107）"
    assert clean["专业数为 0 的原因"] == ""  # not zero: no reason


def test_formula_like_label_is_neutralised_in_csv() -> None:
    amap = major_map()
    amap = replace(amap, cells=(*amap.cells, Cell(FORMULA.iri, SMART.iri, amap.cells[0].link)))
    rows = _rows(map_csv(amap))
    assert any(row[1] == "'" + FORMULA.label for row in rows)
    matrix = next(sheet for sheet in map_sheets(major_map()) if sheet.name == MATRIX)
    assert any(row[0] == "'" + FORMULA.label for row in _rows(sheet_csv(matrix)))
    for data in (map_csv(amap), sheet_csv(matrix), gap_csv(gap_report())):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in _rows(data) for cell in row)


# -- XLSX ------------------------------------------------------------------------------------------
def test_map_workbook_has_one_sheet_per_view(map_book: openpyxl.Workbook) -> None:
    assert map_book.sheetnames == MAP_SHEETS
    assert [sheet.name for sheet in map_sheets(major_map())] == MAP_SHEETS


def test_matrix_cell_shows_strength_with_its_fill(map_book: openpyxl.Workbook) -> None:
    ws = map_book[MATRIX]
    row, _ = _find(ws, BATTERY.label)
    column = _column(ws, SMART.label)
    cell = ws.cell(row=row, column=column)
    assert cell.value.startswith("完全对应 1.00 文件明确 已采纳")
    assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == "FF" + STRENGTH_COLOURS["exact"]
    header = ws.cell(row=1, column=column).value
    assert "中级" in header and "明确" in header


def test_uncovered_stated_certificate_is_a_gap(map_book: openpyxl.Workbook) -> None:
    ws = map_book[MATRIX]
    gap_row, _ = _find(ws, GAP_TEXT)
    column = _column(ws, HIGH_VOLTAGE.label)
    cell = ws.cell(row=gap_row, column=column)
    assert cell.value == GAP_TEXT and cell.fill.fgColor.rgb == "FF" + GAP_COLOUR
    assert ws.cell(row=gap_row, column=_column(ws, SMART.label)).value is None  # covered: no gap


def test_formula_like_label_is_text_in_xlsx(map_book: openpyxl.Workbook) -> None:
    row, column = _find(map_book[MATRIX], "'" + FORMULA.label)
    cell = map_book[MATRIX].cell(row=row, column=column)
    assert cell.data_type == "s"
    assert not any(cell.data_type == "f" for ws in map_book for row in ws.iter_rows() for cell in row)


def test_headers_frozen_bold_and_filtered(map_book: openpyxl.Workbook, gap_book: openpyxl.Workbook) -> None:
    assert map_book[MATRIX].freeze_panes == "B2"  # below the header, after the course column
    for ws in [*map_book, *gap_book]:
        assert ws.freeze_panes in ("A2", "B2"), ws.title
        assert ws["A1"].font.bold, ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title


def test_widths_fit_chinese_text(map_book: openpyxl.Workbook) -> None:
    assert display_width("新能源") == 6 and display_width("abc") == 3 and display_width(0.5) == 4
    ws = map_book[MATRIX]
    assert ws.column_dimensions["A"].width >= display_width(BATTERY.label)
    detail = map_book[DETAIL]
    evidence = _column(detail, "证据")
    assert all(dim.width <= 62 for dim in detail.column_dimensions.values())
    assert detail.cell(row=2, column=evidence).alignment.wrap_text


def test_legend_and_sources(map_book: openpyxl.Workbook) -> None:
    legend = map_book[LEGEND]
    row, _ = _find(legend, "完全对应")
    assert legend.cell(row=row, column=4).fill.fgColor.rgb == "FF" + STRENGTH_COLOURS["exact"]
    _find(legend, "已采纳")
    _find(legend, "文件明确")
    sources = map_book[SOURCES]
    _find(sources, "corpus/profiles/transport-equipment.md")
    _find(sources, "a" * 64)


def test_document_properties_are_fixed(map_book: openpyxl.Workbook) -> None:
    amap = major_map()
    assert map_book.properties.title == amap.title and map_book.properties.creator == "VETgraph"
    assert map_book.properties.created == map_book.properties.modified == datetime(2026, 11, 30, 9, 30)
    with zipfile.ZipFile(io.BytesIO(map_xlsx(amap))) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 30, 9, 30, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2026-11-30T09:30:00Z") == 2


def test_gap_workbook_counts_are_zero_numbers(gap_book: openpyxl.Workbook) -> None:
    assert gap_book.sheetnames == [GAPS, GAP_DETAIL, LEGEND, SOURCES]
    ws = gap_book[GAPS]
    header = [cell.value for cell in ws[1]]
    row, _ = _find(ws, "民族手工艺")
    values = dict(zip(header, (cell.value for cell in ws[row])))
    assert [values[name] for name in ("专业数", "证书数", "职业数")] == [0, 0, 0]
    assert all(type(values[name]) is int for name in ("专业数", "证书数", "职业数"))
    assert values["专业数为 0 的原因"] == ZERO_LABELS[ZERO_NONE]
    assert values["证书数为 0 的原因"] == ZERO_LABELS[ZERO_INCOMPLETE]
    assert values["职业数为 0 的原因"] == ZERO_LABELS[ZERO_NONE]
    assert ws.cell(row=row, column=header.index("证书数") + 1).fill.fgColor.rgb == "FF" + GAP_COLOUR
    detail = gap_book[GAP_DETAIL]
    _find(detail, "太阳能发电")
    _find(detail, "光伏工程技术")


def test_views_mark_every_zero_count() -> None:
    gaps = gap_sheets(gap_report())[0]
    zero_marks = [position for position, mark in gaps.marks.items() if mark == GAP]
    assert len(zero_marks) == 2 + 3  # 清洁能源: certificates, occupations; 民族手工艺: all three


@pytest.mark.parametrize("write, record", [(map_csv, major_map), (gap_csv, gap_report), (map_xlsx, major_map),
                                           (gap_xlsx, gap_report), (map_xlsx, bare_major_map)])
def test_two_calls_give_identical_bytes(write, record) -> None:
    assert write(record()) == write(record())


def test_bare_map_writes_a_valid_workbook() -> None:
    book = _book(map_xlsx(bare_major_map()))
    assert book.sheetnames == MAP_SHEETS
    matrix = book[MATRIX]
    assert [cell.value for cell in matrix[1]] == ["课程", "课程来源", "课程标准（院校）"]
    assert matrix["A2"].value == "数据采集技术" and matrix.max_row >= 2
    _find(book[SOURCES], "无专业简介：课程取自教学标准")
    assert book[COMPETENCIES].cell(row=2, column=1).value is None  # no competency rows
    assert _rows(map_csv(bare_major_map())) == [_rows(map_csv(major_map()))[0]]  # header only


def test_sheet_titles_are_excel_safe() -> None:
    assert sheet_title("a/b[c]:d*e?f\\g") == "a_b_c__d_e_f_g"
    assert len(sheet_title("长" * 40)) == 31
    for sheet in [*map_sheets(major_map()), *gap_sheets(gap_report())]:
        assert sheet_title(sheet.name) == sheet.name
