"""PDF with a text layer: physical lines rejoined into paragraphs, page-number lines dropped."""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ingest.readers.decode import read_bytes
from ingest.readers.pdf_layout import paragraphs
from ingest.readers.pdf_lines import PhysicalLine, page_lines
from kg.core.records import SourceLine
from kg.errors import SourceError

DASH = "-–—‒－·•"
PAGE_NUMBER = re.compile(
    rf"^(?:[{DASH}]\s*\d+\s*[{DASH}]|第\s*[\d一二三四五六七八九十百]+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|(?:page\s*)?\d+(?:\s*(?:/|of)\s*\d+)?)$",
    re.IGNORECASE,
)
CID_GLYPH = re.compile(r"^\(cid:\d+\)$")
T = TypeVar("T")


def read_pdf(path: Path) -> list[SourceLine]:
    """Paragraphs of a PDF; ``line`` is the running number (over all pages) of a paragraph's first line."""
    pages = [drop_page_numbers(lines) for lines in extract_lines(path)]
    return [SourceLine(text, number) for text, number in paragraphs(pages)]


def extract_lines(path: Path) -> list[list[PhysicalLine]]:
    """Every page's physical lines, numbered 1, 2, 3 over the whole document."""
    loaded = open_pages(path, lambda page: (page.dedupe_chars().chars, float(page.width)))
    chars = [page_chars for page_chars, _ in loaded]
    check_text_layer(path, chars)
    pages: list[list[PhysicalLine]] = []
    number = 0
    for page_number, (page_chars, width) in enumerate(loaded, 1):
        lines = page_lines(page_chars, page_number)
        for line in lines:
            number += 1
            line.number = number
            line.page_width = width
        pages.append(lines)
    return pages


def open_pages(path: Path, visit: Callable[[Any], T]) -> list[T]:
    """``visit`` applied to every pdfplumber page, pdfminer's failures turned into SourceErrors."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    data = read_bytes(path)
    if not data.strip():
        raise SourceError(path, "empty file")
    if b"%PDF-" not in data[:1024]:
        raise SourceError(path, "not a PDF (no %PDF- header)")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise SourceError(path, "PDF has no pages")
            return [visit(page) for page in pdf.pages]
    except PdfminerException as err:
        cause = err.args[0] if err.args else err
        if isinstance(cause, PDFPasswordIncorrect):
            raise SourceError(path, "password-protected PDF; remove the password first") from None
        raise SourceError(path, f"corrupt PDF: {str(cause) or type(cause).__name__}") from None
    except (PSException, PDFSyntaxError, ValueError, KeyError, TypeError, IndexError, AttributeError, AssertionError,
            EOFError, OverflowError, RecursionError, struct.error, zlib.error) as err:
        raise SourceError(path, f"corrupt PDF: {str(err) or type(err).__name__}") from None


def check_text_layer(path: Path, pages: list[list[dict[str, Any]]]) -> None:
    """Refuse a PDF whose pages carry no text, or only glyph codes without Unicode."""
    visible = [char["text"] for page in pages for char in page if char["text"].strip()]
    if not visible:
        raise SourceError(path, "no text layer (scanned PDF?); OCR it first")
    unmapped = sum(1 for text in visible if CID_GLYPH.match(text))
    if unmapped * 2 > len(visible):
        raise SourceError(path, "text layer has no Unicode mapping (cid glyph codes); OCR it or export it again")


def drop_page_numbers(lines: list[PhysicalLine]) -> list[PhysicalLine]:
    """The page's lines less a first or last line that is only a page number ("3", "- 3 -", "第 3 页", "3/10")."""
    kept = list(lines)
    if kept and PAGE_NUMBER.match(kept[-1].text.strip()):
        kept.pop()
    if kept and PAGE_NUMBER.match(kept[0].text.strip()):
        kept.pop(0)
    return kept
