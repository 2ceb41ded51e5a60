"""Page furniture that is no part of a course standard's text: the table of contents, running headers,
page numbers and "续表" lines.

Word, WPS and LibreOffice exports print a 目录 page ("一、课程性质……………1"), a header line on every
page ("XX职业技术学院  《…》课程标准") and a footer ("第 3 页 共 12 页", "- 3 -"); in a PDF these land
between the paragraphs and between the two halves of a table broken by a page. Dropped here, a TOC
entry is no heading, a header no title, and a table's halves become adjacent again.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.course_standard.objectives import marker_kind
from ingest.course_standard.sections import section_kind
from ingest.course_standard.text import clean, squeeze
from ingest.policy.numbering import match_numbering
from ingest.readers.blocks import Block, Paragraph

TOC_TITLE = re.compile(r"^(?:目\s*录|目\s*次|contents)$", re.IGNORECASE)
LEADER = re.compile(r"(?:[.．。·…‥⋯_\-—]\s*){3,}\s*\d{1,3}$")
PAGE_AFTER_TITLE = re.compile(r"^(?P<entry>\S.{0,40}?)(?:\t|\s{1,8})\d{1,3}$")
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d+\s*[-—–－]|第\s*[\d一二三四五六七八九十百]+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|(?:page\s*)?\d+\s*(?:/|of)\s*\d+|共\s*\d+\s*页\s*第\s*\d+\s*页)$",
    re.IGNORECASE,
)
CONTINUED = re.compile(r"^[（(]?\s*续(?:表|上表)\s*[\dA-Za-z\-－.．]*\s*[）)]?$|^表\s*[\d\-－.．]+\s*[（(]续[）)]$")
#: A line printed this many times is a running header or footer wherever it stands.
REPEATS_ALWAYS = 3
MAX_FURNITURE = 40
SENTENCE = re.compile(r"[。；;！？：:，,]")


def strip_page_furniture(blocks: list[Block]) -> list[Block]:
    """The blocks without TOC entries, page numbers, 续表 lines and running headers (tables untouched)."""
    kept = [block for block in drop_toc(blocks) if not is_page_line(block)]
    return drop_running_lines(kept)


def is_page_line(block: Block) -> bool:
    """A paragraph that is only a page number or a "续表" label."""
    if not isinstance(block, Paragraph):
        return False
    text = clean(block.text)
    return bool(PAGE_NUMBER.match(text) or CONTINUED.match(squeeze(text)))


def is_toc_entry(text: str) -> bool:
    """A TOC line: an entry, dot leaders, a page number ("二、课程目标…………2")."""
    return bool(LEADER.search(clean(text)))


def drop_toc(blocks: list[Block]) -> list[Block]:
    """Drop every dot-leader entry, and a 目录 heading with the "entry  page" lines right after it."""
    out: list[Block] = []
    in_toc = False
    for block in blocks:
        if not isinstance(block, Paragraph):
            in_toc = False
            out.append(block)
            continue
        text = clean(block.text)
        if TOC_TITLE.match(squeeze(text)):
            in_toc = True
            continue
        if is_toc_entry(text) or (in_toc and PAGE_AFTER_TITLE.match(text)):
            continue
        in_toc = False
        out.append(block)
    return out


def furniture_candidate(block: Block) -> str | None:
    """The squeezed text of a paragraph that could be a running header: short, unnumbered, no sentence,
    naming no known section (a "学习目标" repeated under every module is a heading, not furniture)."""
    if not isinstance(block, Paragraph) or block.heading:
        return None
    text = clean(block.text)
    if not text or len(text) > MAX_FURNITURE or SENTENCE.search(text) or match_numbering(text):
        return None
    if section_kind(text) or marker_kind(text)[0]:
        return None
    return squeeze(text)


def drop_running_lines(blocks: list[Block]) -> list[Block]:
    """Drop a line printed on several pages: every copy when it repeats three times or more, else the later copy.

    A running header on a two-page document repeats only once; its first copy is kept, and the title
    logic passes over it (it names no course).
    """
    counts = Counter(key for block in blocks if (key := furniture_candidate(block)) is not None)
    seen: set[str] = set()
    out: list[Block] = []
    for block in blocks:
        key = furniture_candidate(block)
        if key is not None and counts[key] >= 2:
            if counts[key] >= REPEATS_ALWAYS or key in seen:
                continue
            seen.add(key)
        out.append(block)
    return out
