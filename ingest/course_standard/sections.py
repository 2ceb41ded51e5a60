"""Find a course standard's sections by their headings, whatever the numbering style and wording.

A heading is a paragraph marked as one (docx Heading/Title style, Markdown ``#``), a short numbered
line (第一部分 / 一、 / （一） / 1. / （1）) without sentence punctuation, a bracketed line
(【课程目标】), or a short bare line naming a known section. Its rank: 1 for 第X部分/章, 2 for 一、
and for bare or bracketed lines, 3 for （一）, 4 for 1., 5 for （1）, else the marked level.
A section runs to the next heading of the same or a higher rank, or to the next heading that names
a different known section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.course_standard.text import clean, squeeze
from ingest.policy.numbering import match_numbering
from ingest.readers.blocks import Block, Paragraph

SECTION_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("basic", re.compile(r"基本信息|课程信息|课程概况")),
    ("links", re.compile(r"岗课赛证|课证融通|课证赛|赛证|证书|1\+X|技能大赛|技能竞赛|竞赛")),
    ("objectives", re.compile(r"课程目标|教学目标|培养目标|学习目标|目标与要求")),
    ("content", re.compile(r"课程内容|教学内容|学习内容|内容与学时|学时分配|学时安排|课程结构|内容设计|内容安排|内容组织|项目设计|模块设计|内容与要求")),
    ("nature", re.compile(r"课程性质|课程定位|课程任务|性质与任务|课程描述|课程简介|课程概述")),
    ("design", re.compile(r"设计思路|设计理念|课程设计")),
    ("implementation", re.compile(r"实施建议|教学建议|教学方法|教学实施|实施条件|教学条件|教学资源|师资|教材|教学团队")),
    ("assessment", re.compile(r"考核|评价")),
)
CONTENT_KINDS = {"objectives", "content", "links", "implementation", "assessment"}
RANKS = {"book": 1, "part": 1, "chapter": 1, "section": 2, "clause": 2, "subclause": 3, "point": 4, "subpoint": 5}
INLINE_KINDS = {"book", "part", "chapter", "section", "clause", "subclause"}
BRACKETED = re.compile(r"^[【\[](.{2,20})[】\]]$")
MAX_HEADING = 30
MAX_BARE = 15


@dataclass(frozen=True)
class Heading:
    """A heading paragraph: its block index, rank, known section kind (or None), title and any inline text."""

    index: int
    rank: int
    kind: str | None
    title: str
    inline: str | None = None


@dataclass(frozen=True)
class Section:
    """A known section: its heading and the block range of its body (``start`` to ``end``, exclusive)."""

    kind: str
    heading: Heading
    start: int
    end: int


def section_kind(title: str) -> str | None:
    """The known section a heading's title names, or None."""
    text = squeeze(title)
    for kind, pattern in SECTION_WORDS:
        if pattern.search(text):
            return kind
    return None


def heading_of(block: Block, index: int) -> Heading | None:
    """The block as a heading, or None when it is body text (or a table)."""
    if not isinstance(block, Paragraph):
        return None
    text = clean(block.text)
    numbering = match_numbering(text)
    if numbering is not None and numbering.kind in RANKS and numbering.rest:
        rank, rest = RANKS[numbering.kind], clean(numbering.rest)
        if title_like(rest):
            return Heading(index, rank, section_kind(rest), rest.rstrip("：:"))
        head, colon, body = split_colon(rest)
        if colon and numbering.kind in INLINE_KINDS and len(head) <= MAX_BARE and section_kind(head):
            return Heading(index, rank, section_kind(head), head, body)
        return Heading(index, block.heading, section_kind(rest), rest) if block.heading else None
    if block.heading:
        return Heading(index, block.heading, section_kind(text), text)
    bracketed = BRACKETED.match(text)
    if bracketed:
        return Heading(index, 2, section_kind(bracketed.group(1)), bracketed.group(1))
    bare = text.rstrip("：:")
    if len(bare) <= MAX_BARE and title_like(text) and section_kind(bare):
        return Heading(index, 2, section_kind(bare), bare)
    return None


def split_colon(text: str) -> tuple[str, str, str]:
    """(before, colon, after) at the first full- or half-width colon."""
    match = re.search(r"[：:]", text)
    if match is None:
        return text, "", ""
    return text[: match.start()].strip(), match.group(0), text[match.end():].strip()


def title_like(text: str) -> bool:
    """Short, no sentence punctuation, and no value after a colon."""
    if not text or len(text) > MAX_HEADING or re.search(r"[。；;！？]", text):
        return False
    _, colon, after = split_colon(text)
    return not (colon and after)


def find_headings(blocks: list[Block]) -> list[Heading]:
    """Every heading in the document, in order."""
    return [heading for index, block in enumerate(blocks) if (heading := heading_of(block, index)) is not None]


def find_sections(blocks: list[Block]) -> list[Section]:
    """Every heading that names a known section, with the extent of its body."""
    headings = find_headings(blocks)
    sections: list[Section] = []
    for position, heading in enumerate(headings):
        if heading.kind is None:
            continue
        end = len(blocks)
        for later in headings[position + 1:]:
            if later.rank <= heading.rank or (later.kind is not None and later.kind != heading.kind):
                end = later.index
                break
        sections.append(Section(heading.kind, heading, heading.index + 1, end))
    return sections


def first_content_index(sections: list[Section], default: int) -> int:
    """The block index of the first content section's heading (课程目标, 课程内容, ...), else ``default``."""
    return min((s.heading.index for s in sections if s.kind in CONTENT_KINDS), default=default)


def sections_of(sections: list[Section], kind: str) -> list[Section]:
    """The sections of one kind, outermost first and without ones nested in an earlier one of that kind."""
    kept: list[Section] = []
    for section in sections:
        if section.kind == kind and not any(k.start <= section.heading.index < k.end for k in kept):
            kept.append(section)
    return kept
