"""Block-level reading: paragraphs and tables in reading order, for parsers that need table structure."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """One paragraph; ``heading`` is its heading level (1-6) when the format marks one, else 0."""

    text: str
    line: int
    heading: int = 0


@dataclass(frozen=True)
class TableBlock:
    """A table as rows of cell texts; ``lines`` numbers each row as ``read_lines`` does.

    A horizontally merged cell is given once per row; a vertically merged one repeats its text in
    every row it spans; a cell's paragraphs are joined by ``\n``.
    """

    rows: list[list[str]]
    lines: list[int] = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.lines[0] if self.lines else 0


Block = Paragraph | TableBlock
