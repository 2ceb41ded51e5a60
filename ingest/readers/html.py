"""HTML pages: block elements become lines, h1..h6 get ``#`` marks, table rows join with `` | ``."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from ingest.readers.decode import BOMS, decode_bytes, line_of_offset, read_bytes
from ingest.readers.joining import is_wide
from kg.core.records import SourceLine
from kg.errors import SourceError

DROPPED = {"script", "style", "nav", "header", "footer", "noscript", "template", "head", "iframe", "svg", "button", "select"}
BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "form", "hr", "html", "li", "main", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "thead", "tfoot", "caption", "ul", "h1", "h2", "h3", "h4", "h5", "h6",
}
HEADINGS = {f"h{level}": level for level in range(1, 7)}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn"}
SPACES = re.compile(r"[ \t\n\r\f]+")


def read_html(path: Path) -> list[SourceLine]:
    """Lines of an HTML page; ``line`` numbers the kept blocks 1, 2, 3 in reading order."""
    from bs4 import BeautifulSoup

    text = decode_html(read_bytes(path), path)
    soup = BeautifulSoup(text, "lxml")
    walker = BlockWalker()
    walker.walk(soup)
    walker.flush()
    return [SourceLine(text, number) for number, text in enumerate(walker.lines, 1)]


def decode_html(data: bytes, path: Path | str) -> str:
    """A BOM wins, then a ``<meta charset>`` in the first 4 KiB, else decode_bytes."""
    match = META_CHARSET.search(data[:4096])
    if match is None or any(data.startswith(bom) for bom, _ in BOMS):
        return decode_bytes(data, path)
    declared = match.group(1).decode("ascii").lower()
    encoding = "gb18030" if declared in GB_FAMILY else "utf-8" if declared.startswith("utf-16") else declared
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise SourceError(path, f"declares unknown charset {declared!r} in <meta>") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise SourceError(
            path, f"declares charset {declared!r} but byte offset {err.start} is not valid {declared}",
            line=line_of_offset(data, err.start),
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def collapse(text: str) -> str:
    """HTML whitespace collapsing; a source line break between two Chinese characters vanishes."""

    def space(match: re.Match[str]) -> str:
        before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
        if "\n" in match.group(0) and before and after and is_wide(before) and is_wide(after):
            return ""
        return " "

    return SPACES.sub(space, text)


class BlockWalker:
    """Collects inline text into lines, ending a line at every block boundary and ``<br>``."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buffer: list[str] = []

    def flush(self, prefix: str = "") -> None:
        """End the current line, keeping it when it holds any text."""
        text = collapse("".join(self.buffer)).strip(" \t\n\r\f\u3000\xa0")
        self.buffer = []
        if text:
            self.lines.append(prefix + text)

    def walk(self, node: Any) -> None:
        """Visit ``node``'s children in document order."""
        from bs4 import NavigableString, Tag

        for child in node.children:
            if isinstance(child, Tag):
                self.visit(child)
            elif type(child) is NavigableString:
                self.buffer.append(str(child))

    def visit(self, tag: Any) -> None:
        """Dispatch one element: dropped, line break, heading, table row, pre, block or inline."""
        name = tag.name.lower()
        if name in DROPPED:
            return
        if name == "br":
            self.flush()
        elif name in HEADINGS:
            self.flush()
            self.walk(tag)
            self.flush("#" * HEADINGS[name] + " ")
        elif name == "tr":
            self.flush()
            row = table_row(tag)
            if row:
                self.lines.append(row)
        elif name == "pre":
            self.flush()
            self.lines.extend(line.strip() for line in tag.get_text().split("\n") if line.strip())
        elif name in BLOCKS:
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)


def table_row(row: Any) -> str:
    """The row's own cells (not those of nested tables) joined by `` | ``; '' when all are empty."""
    cells = []
    for cell in row.find_all(["td", "th"], recursive=False):
        walker = BlockWalker()
        walker.walk(cell)
        walker.flush()
        cells.append(" ".join(walker.lines))
    return " | ".join(cells) if any(cells) else ""
