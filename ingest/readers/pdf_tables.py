"""Ruled tables of a PDF page (pdfplumber's ``find_tables``): cell boxes, and cell texts rebuilt from characters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.readers.joining import join_wrapped
from ingest.readers.pdf_layout import ITEM_START, SENTENCE_END
from ingest.readers.pdf_lines import PhysicalLine, page_lines

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
CELL_PADDING = 2.5  # font sizes: a line this close to a cell's right edge wrapped


@dataclass(frozen=True)
class TableGrid:
    """A table found on a page: its box and, per row, the row box and each grid cell's box (None where merged)."""

    bbox: Box
    rows: list[tuple[Box, list[Box | None]]]


@dataclass
class PageContent:
    """What the block reader needs of one page: its characters, width and ruled tables."""

    chars: list[dict[str, Any]]
    width: float
    tables: list[TableGrid]


def page_content(page: Any) -> PageContent:
    """The page's deduplicated characters and its ruled tables (pdfplumber's default line strategy)."""
    page = page.dedupe_chars()
    grids = [
        TableGrid(
            tuple(table.bbox),
            [(tuple(row.bbox), [tuple(c) if c else None for c in row.cells]) for row in table.rows],
        )
        for table in page.find_tables()
    ]
    return PageContent(list(page.chars), float(page.width), grids)


def inside(char: dict[str, Any], box: Box) -> bool:
    """Whether the character's centre lies in ``box``."""
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def cell_text(chars: list[dict[str, Any]], box: Box, page: int) -> str:
    """The text in a cell: wrapped lines joined, a line that ends short or opens a numbered item kept apart."""
    lines = page_lines([char for char in chars if inside(char, box)], page)
    if not lines:
        return ""
    numbered = ITEM_START.match(lines[0].text) is not None
    text = lines[0].text
    for previous, line in zip(lines, lines[1:]):
        if wraps(previous, line, box, numbered):
            text = join_wrapped(text, line.text)
        else:
            text += "\n" + line.text
    return text


def wraps(previous: PhysicalLine, line: PhysicalLine, box: Box, numbered: bool) -> bool:
    """Whether ``line`` continues ``previous`` inside a cell of the given box."""
    if previous.x1 < box[2] - CELL_PADDING * previous.size:
        return False
    if ITEM_START.match(line.text) and (numbered or previous.text[-1] in SENTENCE_END):
        return False
    return True


def grid_rows(grid: TableGrid, chars: list[dict[str, Any]], page: int) -> list[tuple[Box, list[str]]]:
    """Each row's box and cell texts; a horizontally merged cell once, a vertically merged one repeated."""
    texts: dict[Box, str] = {}
    for _, cells in grid.rows:
        for box in cells:
            if box is not None and box not in texts:
                texts[box] = cell_text(chars, box, page)
    centres = column_centres(grid)
    rows: list[tuple[Box, list[str]]] = []
    for row_box, cells in grid.rows:
        out: list[str] = []
        for column, box in enumerate(cells):
            if box is not None:
                out.append(texts[box])
                continue
            covering = covering_cell(texts, centres.get(column), (row_box[1] + row_box[3]) / 2)
            if covering is not None and covering[1] < row_box[1] - 0.5:
                out.append(texts[covering])  # the cell above spans this row: repeat it, as .docx does
        rows.append((row_box, out))
    return rows


def column_centres(grid: TableGrid) -> dict[int, float]:
    """The x centre of each grid column, from the narrowest cell seen in it."""
    widths: dict[int, Box] = {}
    for _, cells in grid.rows:
        for column, box in enumerate(cells):
            if box is not None and (column not in widths or box[2] - box[0] < widths[column][2] - widths[column][0]):
                widths[column] = box
    return {column: (box[0] + box[2]) / 2 for column, box in widths.items()}


def covering_cell(texts: dict[Box, str], x: float | None, y: float) -> Box | None:
    """The cell box that contains the point, if any."""
    if x is None:
        return None
    for box in texts:
        if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
            return box
    return None


def first_line_within(lines: list[PhysicalLine], box: Box) -> PhysicalLine | None:
    """The first of the page's lines whose vertical middle falls within the box's rows."""
    for line in lines:
        if box[1] - 1 <= (line.top + line.bottom) / 2 <= box[3] + 1:
            return line
    return None
