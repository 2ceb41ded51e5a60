"""Word .docx as blocks: body paragraphs (with heading levels) and tables with their cells, in document order."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.readers.blocks import Block, Paragraph, TableBlock
from ingest.readers.docx import W, body_blocks, heading_prefix, open_docx, paragraph_lines
from ingest.readers.joining import join_wrapped
from kg.errors import SourceError


def read_docx_blocks(path: Path) -> list[Block]:
    """Blocks of a .docx, numbered exactly as ``read_docx`` numbers lines (body paragraphs and table rows).

    A manual line break splits a body paragraph into Paragraphs that share its number. In a table,
    a horizontally merged cell appears once per row; a vertically merged cell repeats its text in
    every row it spans (python-docx hands back the top cell); a cell's paragraphs join with ``\\n``.
    """
    document = open_docx(path)
    try:
        return list(document_blocks(document))
    except (KeyError, ValueError, TypeError, AttributeError, IndexError) as err:
        raise SourceError(path, f"corrupt .docx: {str(err) or type(err).__name__}") from None


def document_blocks(document: Any) -> Iterator[Block]:
    """Walk the body's w:p and w:tbl children in order, counting blocks as ``document_lines`` does."""
    number = 0
    for block in body_blocks(document.element.body):
        if block.tag == W + "p":
            number += 1
            level = len(heading_prefix(document, block).strip())
            pieces = paragraph_lines(block)
            if level and pieces:
                pieces = [functools.reduce(join_wrapped, pieces)]
            for text in pieces:
                yield Paragraph(text, number, level)
            continue
        rows: list[list[str]] = []
        lines: list[int] = []
        for cells in table_cells(document, block):
            number += 1
            if any(cells):
                rows.append(cells)
                lines.append(number)
        if rows:
            yield TableBlock(rows, lines)


def table_cells(document: Any, table: Any) -> Iterator[list[str]]:
    """Each row's cell texts, a cell repeated by a horizontal merge (the same w:tc) given once."""
    from docx.table import Table

    for row in Table(table, document).rows:
        cells: list[str] = []
        previous: Any = None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append("\n".join(line for p in cell._tc.iter(W + "p") for line in paragraph_lines(p)))
        yield cells
