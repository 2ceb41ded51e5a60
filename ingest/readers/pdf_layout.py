"""Rejoin a PDF's wrapped lines into paragraphs, within a page and across page breaks.

A line continues the one before when that one reaches the right edge of the text block
(within two character widths; a block under 60% of the page wide never wrapped), the new line
is not indented, has the same font size, follows at the usual line pitch, and does not open a
numbered item right after a sentence ended.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.readers.joining import join_wrapped
from ingest.readers.pdf_lines import PhysicalLine

NUMERALS = "一二三四五六七八九十百千零〇两"
ITEM_START = re.compile(
    rf"^(?:第[{NUMERALS}\d]+[编章节条款]|[{NUMERALS}]+、|[（(][{NUMERALS}\d]+[)）]|\d+(?:\.\d+)*[.．、](?!\d)|[-•·●○■□▪–—](?=\s))\s*"
)
SENTENCE_END = "。；！？：;!?:."
MIN_BLOCK = 0.6  # of the page width: a text block narrower than this never wrapped


@dataclass(frozen=True)
class Block:
    """The left and right edges of a page's text block."""

    left: float
    right: float


@dataclass
class Layout:
    """What the rejoining compares against: text blocks per page, body font size, line pitch per size."""

    blocks: dict[int, Block]
    body_size: float
    pitches: dict[float, float]

    def indented(self, line: PhysicalLine) -> bool:
        """Whether the line starts right of its page's left text edge by half a character or more."""
        return line.x0 > self.blocks[line.page].left + 0.5 * line.size

    def full(self, line: PhysicalLine, following: PhysicalLine | None = None) -> bool:
        """Whether the line runs to the right text edge: within two character widths, or too
        close for the following line's first Latin word to have fitted."""
        room = 2 * line.size
        if following is not None:
            room = max(room, latin_word_width(following) + 0.5 * line.size)
        return line.x1 >= self.blocks[line.page].right - room


def paragraphs(pages: list[list[PhysicalLine]]) -> Iterator[tuple[str, int]]:
    """Each paragraph's text and the running number of its first physical line."""
    lines = [line for page in pages for line in page]
    if not lines:
        return
    layout = measure(pages)
    first = previous = lines[0]
    text = first.text
    for line in lines[1:]:
        if continues(layout, first, previous, line):
            text = join_wrapped(text, line.text)
        else:
            yield text, first.number
            first, text = line, line.text
        previous = line
    yield text, first.number


def continues(layout: Layout, first: PhysicalLine, previous: PhysicalLine, line: PhysicalLine) -> bool:
    """Whether ``line`` carries on the paragraph that began at ``first`` and last printed ``previous``."""
    size = max(previous.size, line.size)
    if abs(previous.size - line.size) > 0.1 * size + 0.5 or not layout.full(previous, line):
        return False
    if previous.text[-1] in SENTENCE_END and ITEM_START.match(line.text):
        return False
    if line.page == previous.page:
        pitch = line.top - previous.top
        usual = layout.pitches.get(size_key(size))
        if pitch <= 0 or (usual is not None and pitch > usual + max(0.25 * size, 1.5)):
            return False
    elif line.page != previous.page + 1:
        return False
    return aligned(layout, first, previous, line)


def aligned(layout: Layout, first: PhysicalLine, previous: PhysicalLine, line: PhysicalLine) -> bool:
    """A continuation starts at the left edge, under a hanging item's text, or where the last one did."""
    if not layout.indented(line) or previous.size > 1.15 * layout.body_size:
        return True
    tolerance = 0.5 * line.size
    if previous is not first and abs(line.x0 - previous.x0) <= tolerance:
        return True
    marker = ITEM_START.match(first.text)
    return marker is not None and abs(line.x0 - first.starts[min(marker.end(), len(first.starts) - 1)]) <= tolerance


def measure(pages: list[list[PhysicalLine]]) -> Layout:
    """Text block edges per page, the commonest font size, and the usual pitch between wrapped lines."""
    edges = {page[0].page: (min(line.x0 for line in page), max(line.x1 for line in page)) for page in pages if page}
    widest = max(right - left for left, right in edges.values())
    doc_left = min(left for left, _ in edges.values())
    doc_right = max(right for _, right in edges.values())
    blocks = {
        number: Block(left, right) if right - left >= 0.9 * widest else Block(doc_left, doc_right)
        for number, (left, right) in edges.items()
    }
    for page in pages:
        if page and page[0].page_width:
            block = blocks[page[0].page]
            blocks[page[0].page] = Block(block.left, max(block.right, block.left + MIN_BLOCK * page[0].page_width))
    sizes = Counter[float]()
    for page in pages:
        for line in page:
            sizes[size_key(line.size)] += len(line.text)
    body_size = sizes.most_common(1)[0][0]
    rough = Layout(blocks, body_size, {})
    pitches: dict[float, Counter[float]] = {}
    for page in pages:
        for previous, line in zip(page, page[1:]):
            if size_key(previous.size) == size_key(line.size) and rough.full(previous, line) and not rough.indented(line):
                pitches.setdefault(size_key(line.size), Counter())[round((line.top - previous.top) * 2) / 2] += 1
    usual = {size: counts.most_common(1)[0][0] for size, counts in pitches.items()}
    return Layout(blocks, body_size, usual)


def latin_word_width(line: PhysicalLine) -> float:
    """How wide the line's leading run of non-space ASCII characters is (0 when it starts in Chinese)."""
    end = 0
    while end < len(line.text) and line.text[end].isascii() and not line.text[end].isspace():
        end += 1
    if end == 0:
        return 0.0
    return (line.starts[end] if end < len(line.starts) else line.x1) - line.x0


def size_key(size: float) -> float:
    """Font sizes rounded to half a point, so 12.0 and 12.000000000000057 agree."""
    return round(size * 2) / 2
