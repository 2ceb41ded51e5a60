"""Markdown, plain text and HTML as blocks, built on their line readers so line numbers agree."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.readers.blocks import Block, Paragraph, TableBlock
from ingest.readers.html import read_html
from ingest.readers.text import read_markdown, read_text
from kg.core.records import SourceLine

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?$")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
TEXT_SEPARATORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("\t", re.compile(r"\t+")),
    ("｜", re.compile(r"\s*｜\s*")),
    (" | ", re.compile(r"\s+\|\s+")),
)


def read_markdown_blocks(path: Path) -> list[Block]:
    """Blocks of a .md file: ``#`` headings, pipe tables (with a ``|---|`` row), other lines as paragraphs.

    ``line`` is the physical line, as ``read_lines`` gives it; a table's separator row is not a row.
    """
    lines = read_markdown(path)
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        end = pipe_table_end(lines, index)
        if end > index:
            rows = [pipe_cells(line.text) for line in lines[index:end] if not PIPE_SEPARATOR.match(line.text)]
            numbers = [line.line for line in lines[index:end] if not PIPE_SEPARATOR.match(line.text)]
            blocks.append(TableBlock(rows, numbers))
            index = end
            continue
        blocks.append(heading_or_paragraph(lines[index]))
        index += 1
    return blocks


def pipe_table_end(lines: list[SourceLine], start: int) -> int:
    """The index after a pipe table starting at ``start`` (header, separator, rows), or ``start``."""
    if start + 1 >= len(lines) or "|" not in lines[start].text:
        return start
    separator = lines[start + 1].text
    if "|" not in separator or not PIPE_SEPARATOR.match(separator):
        return start
    end = start + 2
    while end < len(lines) and "|" in lines[end].text and lines[end].line == lines[end - 1].line + 1:
        end += 1
    return end


def pipe_cells(text: str) -> list[str]:
    """The cells of one pipe-table row, outer pipes dropped, ``\\|`` unescaped, ``<br>`` as a newline."""
    inner = text.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    cells = UNESCAPED_PIPE.split(inner)
    return [LINE_BREAK_TAG.sub("\n", cell.replace("\\|", "|")).strip() for cell in cells]


def heading_or_paragraph(line: SourceLine) -> Paragraph:
    """A ``#`` line as a heading of its level, anything else as a body paragraph."""
    match = HEADING.match(line.text)
    if match and match.group(2):
        return Paragraph(match.group(2), line.line, len(match.group(1)))
    return Paragraph(line.text, line.line)


def read_text_blocks(path: Path) -> list[Block]:
    """Blocks of a .txt file: runs of 2+ adjacent lines split by tabs, ``｜`` or `` | `` become a table."""
    return lines_to_blocks(read_text(path), headings=False)


def read_html_blocks(path: Path) -> list[Block]:
    """Blocks of an HTML page: h1..h6 as headings, runs of table rows (cells joined by `` | ``) as tables."""
    return lines_to_blocks(read_html(path), headings=True, adjacent=False)


def lines_to_blocks(lines: list[SourceLine], *, headings: bool, adjacent: bool = True) -> list[Block]:
    """Group runs of separated lines into tables; with ``adjacent`` a run needs consecutive line numbers."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and split_row(lines[end].text) is not None:
            if end > index and adjacent and lines[end].line != lines[end - 1].line + 1:
                break
            end += 1
        if end - index >= 2:
            rows = [split_row(line.text) or [] for line in lines[index:end]]
            kept = [(row, line.line) for row, line in zip(rows, lines[index:end]) if row]
            blocks.append(TableBlock([row for row, _ in kept], [number for _, number in kept]))
            index = end
            continue
        line = lines[index]
        blocks.append(heading_or_paragraph(line) if headings else Paragraph(line.text, line.line))
        index += 1
    return blocks


def split_row(text: str) -> list[str] | None:
    """A line's cells when it holds a tab, ``｜`` or `` | `` separator ([] for a ``---|---`` rule), else None."""
    if PIPE_SEPARATOR.match(text) and "|" in text:
        return []
    for separator, pattern in TEXT_SEPARATORS:
        if separator in text:
            inner = text.strip().strip("|｜").strip()
            return [cell.strip() for cell in pattern.split(inner)]
    return None
