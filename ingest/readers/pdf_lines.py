"""Physical text lines of a PDF page, built from pdfplumber's positioned characters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.readers.joining import is_wide


@dataclass
class PhysicalLine:
    """One printed line: its text, where each character starts, its box, font size and page.

    ``page_width`` (0 when unknown) lets the rejoining tell a page of short lines from a wrapped one.
    """

    text: str
    starts: list[float]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    number: int = 0
    page_width: float = 0.0


def page_lines(chars: list[dict[str, Any]], page: int) -> list[PhysicalLine]:
    """Group upright characters into lines top to bottom, each line read left to right."""
    rows: list[list[dict[str, Any]]] = []
    for char in sorted((c for c in chars if c.get("upright", True)), key=lambda c: (c["top"], c["x0"])):
        if rows and same_row(rows[-1], char):
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = [line_of(sorted(row, key=lambda c: c["x0"]), page) for row in rows]
    return [line for line in lines if line.text]


def same_row(row: list[dict[str, Any]], char: dict[str, Any]) -> bool:
    """Whether ``char`` overlaps the row vertically by more than half the smaller height."""
    top = min(c["top"] for c in row)
    bottom = max(c["bottom"] for c in row)
    overlap = min(bottom, char["bottom"]) - max(top, char["top"])
    return overlap > 0.5 * min(bottom - top, char["bottom"] - char["top"])


def line_of(chars: list[dict[str, Any]], page: int) -> PhysicalLine:
    """The line's text, a space put in where a visible gap separates two characters."""
    text: list[str] = []
    starts: list[float] = []
    previous: dict[str, Any] | None = None
    for char in chars:
        if previous is not None and char["text"].strip() and previous["text"].strip():
            if char["x0"] - previous["x1"] > gap_for_space(previous, char):
                text.append(" ")
                starts.append(previous["x1"])
        text.extend(char["text"])
        starts.extend(char["x0"] for _ in char["text"])
        previous = char
    first = next((i for i, ch in enumerate(text) if ch.strip()), len(text))
    last = max((i for i, ch in enumerate(text) if ch.strip()), default=-1)
    text, starts = text[first : last + 1], starts[first : last + 1]
    sizes = sorted(c["size"] for c in chars)
    visible = [c for c in chars if c["text"].strip()] or chars
    return PhysicalLine(
        text="".join(text),
        starts=starts,
        x0=min(c["x0"] for c in visible),
        x1=max(c["x1"] for c in visible),
        top=min(c["top"] for c in chars),
        bottom=max(c["bottom"] for c in chars),
        size=sizes[len(sizes) // 2],
        page=page,
    )


def gap_for_space(left: dict[str, Any], right: dict[str, Any]) -> float:
    """How wide a gap must be to read as a space: wider between Chinese characters."""
    size = max(left["size"], right["size"])
    if is_wide(left["text"][-1]) and is_wide(right["text"][0]):
        return 1.0 * size
    return 0.25 * size
