"""PDF as blocks: ruled tables from pdfplumber, the text around them rejoined into paragraphs."""

from __future__ import annotations

from pathlib import Path
from typing import Union

from ingest.readers.blocks import Block, Paragraph, TableBlock
from ingest.readers.joining import join_wrapped
from ingest.readers.pdf import check_text_layer, drop_page_numbers, open_pages
from ingest.readers.pdf_layout import Layout, continues, measure
from ingest.readers.pdf_lines import PhysicalLine, page_lines
from ingest.readers.pdf_tables import PageContent, first_line_within, grid_rows, inside, page_content

Item = Union[PhysicalLine, TableBlock]


def read_pdf_blocks(path: Path) -> list[Block]:
    """Blocks of a PDF with a text layer, in reading order (page by page, top to bottom).

    Line numbers are those ``read_lines`` gives: physical lines are counted over all pages with the
    table text included, a paragraph takes its first line's number and a table row the number of
    the first line printed in it. A table's cells follow ``pdf_tables.grid_rows``; a table split by a
    page break comes back as two TableBlocks. Text outside the tables is rejoined as ``read_pdf`` does.
    """
    pages = open_pages(path, page_content)
    check_text_layer(path, [page.chars for page in pages])
    sequences: list[list[Item]] = []
    number = 0
    for page_number, page in enumerate(pages, 1):
        every_line = page_lines(page.chars, page_number)
        for line in every_line:
            number += 1
            line.number = number
            line.page_width = page.width
        sequences.append(page_items(page, page_number, every_line))
    return join_paragraphs(sequences)


def page_items(page: PageContent, page_number: int, every_line: list[PhysicalLine]) -> list[Item]:
    """The page's text lines outside tables (numbered like ``every_line``) and its tables, top to bottom."""
    boxes = [grid.bbox for grid in page.tables]
    outside = [char for char in page.chars if not any(inside(char, box) for box in boxes)]
    text_lines = page_lines(outside, page_number)
    for line in text_lines:
        line.number = matching_line(line, every_line)
        line.page_width = page.width
    placed: list[tuple[float, Item]] = [(line.top, line) for line in drop_page_numbers(text_lines)]
    for grid in page.tables:
        rows: list[list[str]] = []
        numbers: list[int] = []
        previous = 0
        for row_box, cells in grid_rows(grid, page.chars, page_number):
            first = first_line_within(every_line, row_box)
            previous = first.number if first is not None else previous
            if any(cells):
                rows.append(cells)
                numbers.append(previous)
        if rows:
            placed.append((grid.bbox[1], TableBlock(rows, numbers)))
    placed.sort(key=lambda pair: pair[0])
    return [item for _, item in placed]


def matching_line(line: PhysicalLine, every_line: list[PhysicalLine]) -> int:
    """The number of the full-page line that overlaps ``line`` most in height."""
    best, overlap = 0, 0.0
    for candidate in every_line:
        shared = min(candidate.bottom, line.bottom) - max(candidate.top, line.top)
        if shared > overlap:
            best, overlap = candidate.number, shared
    return best


def join_paragraphs(sequences: list[list[Item]]) -> list[Block]:
    """Rejoin runs of text lines into paragraphs (a table always ends a run); tables pass through."""
    text_pages = [[item for item in items if isinstance(item, PhysicalLine)] for items in sequences]
    layout = measure([page for page in text_pages if page]) if any(text_pages) else None
    blocks: list[Block] = []
    run: list[PhysicalLine] = []
    for item in (item for items in sequences for item in items):
        if isinstance(item, PhysicalLine):
            run.append(item)
            continue
        blocks.extend(run_paragraphs(layout, run))
        run = []
        blocks.append(item)
    blocks.extend(run_paragraphs(layout, run))
    return blocks


def run_paragraphs(layout: Layout | None, run: list[PhysicalLine]) -> list[Paragraph]:
    """The paragraphs of consecutive text lines, by ``pdf_layout``'s continuation rules."""
    if not run or layout is None:
        return []
    out: list[Paragraph] = []
    first = previous = run[0]
    text = first.text
    for line in run[1:]:
        if continues(layout, first, previous, line):
            text = join_wrapped(text, line.text)
        else:
            out.append(Paragraph(text, first.number))
            first, text = line, line.text
        previous = line
    out.append(Paragraph(text, first.number))
    return out
