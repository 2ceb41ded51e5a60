"""Readers: a document file (.txt, .md, .docx, .pdf, .html) as one logical paragraph per line,
or (``read_blocks``) as paragraphs and tables for parsers that need table structure.

Heavy parsers (python-docx, pdfplumber, BeautifulSoup) load only when a file of their kind is read.
May import kg.core and kg.errors only: readers know no ingestor.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from ingest.readers.blocks import Block, Paragraph, TableBlock
from ingest.readers.blocks_docx import read_docx_blocks
from ingest.readers.blocks_pdf import read_pdf_blocks
from ingest.readers.blocks_text import read_html_blocks, read_markdown_blocks, read_text_blocks
from ingest.readers.docx import read_docx
from ingest.readers.html import read_html
from ingest.readers.pdf import read_pdf
from ingest.readers.text import read_markdown, read_text
from kg.core.records import SourceLine
from kg.errors import UnknownKindError

Reader = Callable[[Path], list[SourceLine]]
BlockReader = Callable[[Path], list[Block]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
}

BLOCK_READERS: dict[str, BlockReader] = {
    "txt": read_text_blocks,
    "md": read_markdown_blocks,
    "docx": read_docx_blocks,
    "pdf": read_pdf_blocks,
    "html": read_html_blocks,
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


def read_blocks(path: Path | str) -> list[Block]:
    """The file's paragraphs and tables in reading order, numbered as ``read_lines`` numbers its lines.

    Kind detection and parsing both read a file; the last few results are kept, keyed by the
    file's path, size and modification time, so a PDF is not laid out three times per ingest.
    """
    path = Path(path)
    fmt = source_format(path)
    try:
        stat = path.stat()
    except OSError:
        return BLOCK_READERS[fmt](path)  # the reader names the problem
    cached = _cached_blocks(str(path.resolve()), stat.st_size, stat.st_mtime_ns, fmt)
    return [copy.deepcopy(b) if isinstance(b, TableBlock) else b for b in cached]  # tables hold lists


@lru_cache(maxsize=8)
def _cached_blocks(path: str, size: int, mtime_ns: int, fmt: str) -> tuple[Block, ...]:
    return tuple(BLOCK_READERS[fmt](Path(path)))


__all__ = [
    "BLOCK_READERS", "READERS", "Block", "BlockReader", "Paragraph", "Reader", "TableBlock",
    "read_blocks", "read_lines", "source_format",
]
