"""Is this a course standard? A score of positive evidence, not one fixed basic-information block.

Clues and weights: a basic-information block (课程名称 with 课程代码, 学时 or 学分 before the content) 5,
which alone claims the file; a title or cover calling itself a 课程标准 3 when it names the course, 2 when
not; basic-information keys (three or more, values blank or not) 2; each kind of course-standard
heading (课程性质/定位, 课程目标, 课程内容/学时分配, 考核评价, 实施建议, 设计思路) 1; 知识/能力/素质目标
of two kinds or more 1; total hours or credits stated 1; a content table 1. ``NEEDED`` claims the file.
A policy that mentions 课程标准 or has a 考核评价 clause scores far below it.
"""

from __future__ import annotations

import re

from ingest.base import Evidence
from ingest.course_standard.basic_info import find_basic_info, line_pairs, missing_fields, table_pairs
from ingest.course_standard.layout import strip_page_furniture
from ingest.course_standard.module_table import find_columns
from ingest.course_standard.objectives import marker_kind
from ingest.course_standard.running_text import stated_credits, stated_hours
from ingest.course_standard.sections import find_headings, find_sections, first_content_index
from ingest.course_standard.text import clean, list_marker, squeeze
from ingest.course_standard.title import title_names
from ingest.readers.blocks import Block, Paragraph, TableBlock

NEEDED = 5
#: Course-standard headings, matched at the start of a heading's title (after its number).
HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("课程性质", re.compile(r"^(?:本?课程)?(?:性质|定位)|^课程(?:描述|概述|简介|说明)")),
    ("课程目标", re.compile(r"^(?:课程|教学|学习)目标")),
    ("课程内容", re.compile(r"^(?:课程|教学|学习)内容|^内容与学时|^学时(?:分配|安排)|^(?:课程)?内容(?:设计|安排|组织)")),
    ("考核评价", re.compile(r"^(?:课程|学习|教学)?(?:考核|评价)")),
    ("实施建议", re.compile(r"^(?:课程|教学)?实施|^教学(?:建议|方法|条件|资源)")),
    ("设计思路", re.compile(r"^(?:课程)?设计(?:思路|理念)")),
)
MAX_HEADING = 16
KIND_NAMES = {"attitude": "素质目标", "knowledge": "知识目标", "skill": "能力目标"}
LOOKED_FOR = "a 课程标准 title or cover, 课程名称/学时/学分 fields, 课程性质/课程目标/课程内容/考核评价/实施建议 headings"


def course_standard_evidence(blocks: list[Block]) -> Evidence:
    """The clues a document's blocks give for being a course standard."""
    blocks = strip_page_furniture(blocks)
    stop = first_content_index(find_sections(blocks), len(blocks))
    clues: list[tuple[str, int]] = []
    if not missing_fields(find_basic_info(blocks, stop)):
        clues.append(("a basic-information block", NEEDED))
    elif len(basic_keys(blocks, stop)) >= 3:
        clues.append((f"basic-information keys ({'、'.join(sorted(basic_keys(blocks, stop)))})", 2))
    titles = title_names(blocks, stop)
    named = next((t for t in titles if t.name), None)
    if named:
        clues.append((f"the title 「{named.title}」", 3))
    elif titles:
        clues.append((f"a title calling itself 「{titles[0].title}」", 2))
    clues.extend((f"a {name} heading", 1) for name in heading_kinds(blocks))
    kinds = outcome_kinds(blocks)
    if len(kinds) >= 2:
        clues.append((f"{'/'.join(KIND_NAMES[k] for k in sorted(kinds))} objectives", 1))
    if stated_hours(blocks) or stated_credits(blocks):
        clues.append(("hours or credits stated", 1))
    if any(isinstance(b, TableBlock) and find_columns(b) is not None for b in blocks):
        clues.append(("a content table", 1))
    return Evidence("course-standard", tuple(clues), NEEDED, LOOKED_FOR)


def basic_keys(blocks: list[Block], stop: int) -> set[str]:
    """The basic-information fields printed before the content, blank values included."""
    keys: set[str] = set()
    for block in blocks[:stop]:
        pairs = table_pairs(block) if isinstance(block, TableBlock) else line_pairs(block.text, block.line)
        keys |= {pair.field for pair in pairs}
    return keys


def heading_kinds(blocks: list[Block]) -> list[str]:
    """The course-standard heading kinds found, each once, in the order of HEADINGS."""
    titles = [squeeze(h.title) for h in find_headings(blocks) if len(squeeze(h.title)) <= MAX_HEADING]
    return [name for name, pattern in HEADINGS if any(pattern.search(title) for title in titles)]


def outcome_kinds(blocks: list[Block]) -> set[str]:
    """The 知识/能力/素质目标 kinds that open a paragraph or a table cell."""
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
        else:
            texts.extend(cell for row in block.rows for cell in row)
    kinds: set[str] = set()
    for text in texts:
        kind = marker_kind(list_marker(clean(text))[1])[0]
        if kind:
            kinds.add(kind)
    return kinds
