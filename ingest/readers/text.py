"""Plain text and Markdown: one physical line per SourceLine, blank lines dropped."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.readers.decode import decode_bytes, read_bytes
from kg.core.records import SourceLine
from kg.errors import SourceError

#: Control characters a line may not carry into the graph (a tab stays; line ends already split the lines).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
COMMENT_LINE = re.compile(r"^<!--(?:(?!-->).)*-->$")
COMMENT_OPEN = "<!--"
COMMENT_CLOSE = "-->"


def read_text(path: Path) -> list[SourceLine]:
    """Lines of a .txt file, numbered by physical line, stripped at both ends, control characters as spaces.

    A NUL is refused as binary however the text was encoded (a UTF-8 file without a BOM is refused
    so by ``decode_bytes``; one with a BOM, or UTF-16, only shows it once decoded).
    """
    text = decode_bytes(read_bytes(path), path)
    nul = text.find("\x00")
    if nul >= 0:
        raise SourceError(path, "binary file (a NUL character); expected text", line=text.count("\n", 0, nul) + 1)
    lines = (CONTROL.sub(" ", line).strip() for line in text.split("\n"))
    return [SourceLine(line, number) for number, line in enumerate(lines, 1) if line]


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
