"""A file's first bytes against its suffix: refuse, in one line, what no reader could make sense of.

Run once per file before any kind is tried (``ingest.registry.choose_ingestor``), so an empty file, a
file over the size limit, a PDF named .docx or a Word file named .txt is told as such once, instead
of every kind repeating its own reading error. Readers make the same checks again on their own.
"""

from __future__ import annotations

from pathlib import Path

from ingest.readers.decode import BOMS
from ingest.readers.limits import check_size
from kg.errors import SourceError

HEAD_BYTES = 8192
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a zip archive (.docx, .xlsx …)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE container (a legacy .doc / .xls, or a password-protected file)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
#: What each suffix's files really start with (None: text, which starts with no signature).
EXPECTED: dict[str, str | None] = {
    ".txt": None, ".md": None, ".markdown": None, ".html": None, ".htm": None, ".csv": None, ".jsonl": None,
    ".docx": "a zip archive (.docx, .xlsx …)", ".xlsx": "a zip archive (.docx, .xlsx …)", ".pdf": "a PDF",
}
ADVICE = {".docx": "save it as .docx", ".xlsx": "save it as .xlsx", ".pdf": "export it as PDF"}


def signature(head: bytes) -> str | None:
    """What the bytes say the file is, or None for anything else (text, junk)."""
    for magic, name in SIGNATURES:
        if head.startswith(magic) or (magic == b"%PDF-" and magic in head[:1024]):
            return name
    return None


def preflight(path: Path) -> None:
    """Raise a SourceError when ``path`` is empty, too big, or its bytes are not what its suffix says."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except FileNotFoundError:
        raise SourceError(path, "file not found") from None
    except IsADirectoryError:
        raise SourceError(path, "is a directory, expected a file") from None
    except OSError as err:
        raise SourceError(path, f"cannot read: {err.strerror or err}") from None
    check_size(path, size)
    if not head.strip() and size <= HEAD_BYTES:
        raise SourceError(path, "empty file")
    suffix = path.suffix.lower()
    if suffix not in EXPECTED:
        return
    expected, found = EXPECTED[suffix], signature(head)
    if found is not None and found != expected:
        advice = ADVICE.get(suffix, "rename it or convert it to text")
        raise SourceError(path, f"is {found}, not a {suffix} file as its name says; {advice}")
    if expected is None and not any(head.startswith(bom) for bom, _ in BOMS):
        nul = head.find(b"\x00")
        if nul >= 0:
            raise SourceError(path, f"binary file (NUL byte at offset {nul}), not a {suffix} text file")
