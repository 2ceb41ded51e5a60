"""The document title, and the course name it (or the cover page) gives when no 课程名称 field does.

Titles name the course in many ways: "《电工基础》课程标准", "电工基础课程标准", "XX职业技术学院《电工基础》
课程教学标准", "《电工基础》课程标准（2024版）", "《电工基础》课程标准审批表"; a cover page may print the
name on one line and "课 程 标 准" on the next. A title that names only a college ("XX学院 课程标准")
gives no name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.course_standard.fields import INSTITUTION
from ingest.course_standard.text import clean, squeeze
from ingest.readers.blocks import Block, Paragraph

STANDARD = re.compile(r"课程(?:教学)?标准|课程大纲|教学大纲")
ALONE = re.compile(r"^(?:课程(?:教学)?标准|课程大纲|教学大纲)$")
TAIL = re.compile(r"^(?:[（(][^（）()]{1,12}[）)])?(?:审批表|审核表|审定表|封面)?(?:[（(][^（）()]{1,12}[）)])?$")
APPROVAL = re.compile(r"审批表|审核表|审定表")
BOOK = re.compile(r"[《〈]([^《》〈〉]{2,40})[》〉]")
MAX_TITLE = 60
MAX_NAME = 30
OPENING = 12  # how many leading paragraphs may hold the title or the cover


@dataclass(frozen=True)
class TitleName:
    """A title line, the course it names (None when it names none) and its line."""

    title: str
    name: str | None
    line: int


def name_in_title(text: str) -> str | None:
    """The course a title names, or None: '《电工基础》课程标准' -> '电工基础'; 'XX学院 课程标准' -> None."""
    text = clean(text)
    found = STANDARD.search(text)
    if found is None or len(text) > MAX_TITLE or not TAIL.match(squeeze(text[found.end():])):
        return None
    before = text[: found.start()].strip()
    books = BOOK.findall(before)
    if books:
        return valid_name(books[-1])
    college = INSTITUTION.match(squeeze(before))
    rest = squeeze(before)[college.end():] if college else squeeze(before)
    return valid_name(rest.strip("《》〈〉“”\"'：:-—"))


def valid_name(name: str) -> str | None:
    """A course name, or None when it is empty, too long, a sentence or a college."""
    name = clean(name).strip("《》〈〉“”\"")
    if not 2 <= len(name) <= MAX_NAME or re.search(r"[。；;：:，,]", name):
        return None
    college = INSTITUTION.match(name)
    if college and college.end() == len(name):
        return None
    return name


def title_names(blocks: list[Block], stop: int) -> list[TitleName]:
    """Each opening line that calls itself a 课程标准 (ends so), with the course it names; a cover's split title joined."""
    opening = [block for block in blocks[:stop] if isinstance(block, Paragraph)][:OPENING]
    found: list[TitleName] = []
    for position, block in enumerate(opening):
        text = clean(block.text)
        if ALONE.match(squeeze(text)) and position > 0:
            above = clean(opening[position - 1].text)
            name = valid_name(above) if not STANDARD.search(above) else None
            found.append(TitleName(f"{above}{squeeze(text)}" if name else squeeze(text), name, block.line))
        elif (match := STANDARD.search(text)) and len(text) <= MAX_TITLE and TAIL.match(squeeze(text[match.end():])):
            found.append(TitleName(text, name_in_title(text), block.line))
    return found


def document_title(blocks: list[Block], stop: int) -> str:
    """The first title that names a course (an approval page's 审批表 title only when no other does), else the first that calls itself a 标准 or 大纲, else the first paragraph."""
    titles = title_names(blocks, stop)
    named = sorted((t for t in titles if t.name), key=lambda t: bool(APPROVAL.search(t.title)))
    if named:
        return named[0].title
    opening = [clean(b.text) for b in blocks[:stop] if isinstance(b, Paragraph)][:4]
    called = next((text for text in opening if "标准" in text or "大纲" in text), None)
    if called:
        return called
    return next((clean(b.text) for b in blocks if isinstance(b, Paragraph)), "")


def title_course_name(blocks: list[Block], stop: int) -> TitleName | None:
    """The first opening title (or cover) that names a course."""
    return next((t for t in title_names(blocks, stop) if t.name), None)
