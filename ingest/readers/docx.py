"""Word .docx: body paragraphs and table rows in document order, headings as ``#`` lines."""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.readers.decode import read_bytes
from ingest.readers.joining import join_wrapped
from ingest.readers.limits import check_zip
from kg.core.records import SourceLine
from kg.errors import SourceError

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
TITLE_STYLES = {"title", "标题"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RUNS = "./descendant::w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent)]"


def read_docx(path: Path) -> list[SourceLine]:
    """Lines of a .docx; ``line`` counts body blocks (paragraphs and table rows, blank ones too).

    A manual line break splits a body paragraph into lines that share its number.
    """
    document = open_docx(path)
    try:
        return list(document_lines(document))
    except (KeyError, ValueError, TypeError, AttributeError, IndexError) as err:
        raise SourceError(path, f"corrupt .docx: {str(err) or type(err).__name__}") from None


def open_docx(path: Path) -> Any:
    """The python-docx Document, or a SourceError saying why the file is no readable .docx."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    data = read_bytes(path)
    if not data.strip():
        raise SourceError(path, "empty file")
    if data.startswith(OLE_MAGIC):
        raise SourceError(path, "password-protected or not a .docx (OLE container); save it as an unprotected .docx")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SourceError(path, "corrupt .docx: not a zip archive (truncated or another format?)")
    check_zip(path, data)
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, EOFError, XMLSyntaxError) as err:
        raise SourceError(path, f"corrupt .docx: {str(err) or type(err).__name__}") from None


def document_lines(document: Any) -> Iterator[SourceLine]:
    """Walk the body's w:p and w:tbl children (content controls opened) in order."""
    number = 0
    for block in body_blocks(document.element.body):
        if block.tag == W + "p":
            number += 1
            prefix = heading_prefix(document, block)
            pieces = paragraph_lines(block)
            if prefix and pieces:  # a heading broken by hand for looks is still one heading
                pieces = [functools.reduce(join_wrapped, pieces)]
            for text in pieces:
                yield SourceLine(prefix + text, number)
        else:
            for row in table_rows(document, block):
                number += 1
                if row:
                    yield SourceLine(row, number)


def body_blocks(element: Any) -> Iterator[Any]:
    """Paragraphs and tables directly in ``element``, descending into w:sdt and w:customXml."""
    for child in element.iterchildren():
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag == W + "sdt":
            for content in child.iterchildren(W + "sdtContent"):
                yield from body_blocks(content)
        elif child.tag == W + "customXml":
            yield from body_blocks(child)


def paragraph_lines(paragraph: Any) -> list[str]:
    """The paragraph's text, split at explicit line breaks; tabs become spaces."""
    text = "".join(run.text for run in paragraph.xpath(RUNS))
    pieces = (piece.replace("\t", " ").strip() for piece in text.split("\n"))
    return [piece for piece in pieces if piece]


def heading_prefix(document: Any, paragraph: Any) -> str:
    """``'# '`` for a Title, ``'#' * N + ' '`` for Heading N, else nothing."""
    from docx.text.paragraph import Paragraph

    style = Paragraph(paragraph, document).style
    name = (style.name or "").strip() if style is not None else ""
    if name.lower() in TITLE_STYLES:
        return "# "
    match = HEADING_STYLE.match(name)
    if match and int(match.group(1)) >= 1:
        return "#" * min(int(match.group(1)), 6) + " "
    return ""


def table_rows(document: Any, table: Any) -> Iterator[str]:
    """Each row's cell texts joined by ``' | '``; a merged cell counts once, an empty row is ''."""
    from docx.table import Table

    for row in Table(table, document).rows:
        cells: list[str] = []
        seen: list[Any] = []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):
                continue
            seen.append(cell._tc)
            cells.append(" ".join(line for p in cell._tc.iter(W + "p") for line in paragraph_lines(p)))
        yield " | ".join(cells) if any(cells) else ""
