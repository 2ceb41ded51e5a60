"""Parse records shared by every ingestor and the store: lines as readers give them, refused rows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLine:
    """One line of text as a reader found it.

    ``line`` is the 1-based line number in a text file, the paragraph number in a .docx,
    or the running line number over all pages in a .pdf / the block number in .html.
    """

    text: str
    line: int


@dataclass(frozen=True)
class Rejection:
    """A row or line a parser refused (or a duplicate it set aside), kept in the manifest and the report.

    ``key``, ``other_line`` and ``values`` make a duplicate machine-readable: the key both rows
    claim, the line that was kept, and the two conflicting values (kept first). ``kept`` is True
    for a note on a row that was loaded all the same (a flagged course name, a second issuer).
    """

    line: int | None
    reason: str
    key: str | None = None
    other_line: int | None = None
    values: tuple[str, ...] = ()
    kept: bool = False
