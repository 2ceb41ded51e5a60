"""Plain text and Markdown: one physical line per SourceLine, blank lines dropped."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.readers.decode import decode_bytes, read_bytes
from kg.core.records import SourceLine

COMMENT_LINE = re.compile(r"^<!--(?:(?!-->).)*-->$")
COMMENT_OPEN = "<!--"
COMMENT_CLOSE = "-->"


def read_text(path: Path) -> list[SourceLine]:
    """Lines of a .txt file, numbered by physical line, stripped at both ends."""
    text = decode_bytes(read_bytes(path), path)
    return [SourceLine(line.strip(), number) for number, line in enumerate(text.split("\n"), 1) if line.strip()]


def read_markdown(path: Path) -> list[SourceLine]:
    """Lines of a .md file as for .txt, less HTML comments that fill whole lines (``<!-- INFO END -->``)."""
    lines = read_text(path)
    kept: list[SourceLine] = []
    index = 0
    while index < len(lines):
        text = lines[index].text
        if COMMENT_LINE.match(text):
            index += 1
            continue
        if text.startswith(COMMENT_OPEN) and COMMENT_CLOSE not in text:
            end = closing_line(lines, index + 1)
            if end is not None:
                index = end + 1
                continue
        kept.append(lines[index])
        index += 1
    return kept


def closing_line(lines: list[SourceLine], start: int) -> int | None:
    """Index of the line that closes a multi-line comment (ends with ``-->``), or None if unclosed."""
    for index in range(start, len(lines)):
        if COMMENT_CLOSE in lines[index].text:
            return index if lines[index].text.endswith(COMMENT_CLOSE) else None
    return None
