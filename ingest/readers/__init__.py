"""Readers: a document file (.txt, .md, .docx, .pdf, .html) as one logical paragraph per line.

Heavy parsers (python-docx, pdfplumber, BeautifulSoup) load only when a file of their kind is read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.policy.records import SourceLine
from ingest.readers.docx import read_docx
from ingest.readers.html import read_html
from ingest.readers.pdf import read_pdf
from ingest.readers.text import read_markdown, read_text
from kg.errors import UnknownKindError

Reader = Callable[[Path], list[SourceLine]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
}

FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
}


def unknown_suffix(path: Path) -> UnknownKindError:
    """The error for a file no reader takes, listing the suffixes that have one."""
    suffix = path.suffix or "(no suffix)"
    return UnknownKindError(f"No reader for {suffix!r} ({path}); known: {', '.join(sorted(READERS))}")


def source_format(path: Path | str) -> str:
    """The format name a file's suffix stands for: txt, md, docx, pdf or html."""
    path = Path(path)
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise unknown_suffix(path) from None


def read_lines(path: Path | str) -> list[SourceLine]:
    """The file's paragraphs as SourceLines, read by the reader its suffix names."""
    path = Path(path)
    try:
        reader = READERS[path.suffix.lower()]
    except KeyError:
        raise unknown_suffix(path) from None
    return reader(path)


__all__ = ["READERS", "Reader", "read_lines", "source_format"]
