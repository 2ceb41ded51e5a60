"""Parse a course standard (课程标准) into a CourseStandardDoc: basic information, outcomes, modules, links.

Parsing is pure: blocks in, records out. Page furniture (TOC, running headers, page numbers) is
dropped first. The course name comes from the basic information, else from the title or cover;
hours and credits from the basic information, else from running text. What cannot be read is
reported in ``warnings``; a file without a course name anywhere, or with neither content nor
objectives, is refused naming what is missing.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ingest.course_standard.basic_info import BasicInfo, find_basic_info
from ingest.course_standard.detection import course_standard_evidence
from ingest.course_standard.fields import (
    course_hours, course_nature, credits_value, education_level_of, institution_of, majors_of, nature_in_text,
)
from ingest.course_standard.hours_table import fill_hours
from ingest.course_standard.layout import strip_page_furniture
from ingest.course_standard.links import find_links
from ingest.course_standard.major_names import named_majors
from ingest.course_standard.modules import ModuleTable, check_hours, find_content_table
from ingest.course_standard.objectives import find_outcomes
from ingest.course_standard.records import CourseStandardDoc, Outcome
from ingest.course_standard.refs import ModuleIndex
from ingest.course_standard.running_text import stated_credits, stated_hours
from ingest.course_standard.sections import Section, find_headings, find_sections, first_content_index, sections_of
from ingest.course_standard.text import clean, value_or_none
from ingest.course_standard.title import document_title, title_course_name
from ingest.readers import read_blocks, source_format
from ingest.readers.blocks import Block, Paragraph, TableBlock
from kg.core.names import slugify
from kg.core.records import Rejection
from kg.errors import SourceError

# 2: certificate and competition IRIs keyed by content; 3: occurrences counted on the normalised key;
# 4: page furniture dropped, names from titles, hours from running text, major-name mentions
PARSER_VERSION = "course-standard/4"
NO_BASIC_INFO = "no basic information found: expected 课程名称 with 课程代码, 学时 or 学分 before the content"
NO_TITLE_NAME = "and no title or cover names the course (《…》课程标准)"


def parse_course_standard(path: Path | str) -> CourseStandardDoc:
    """Read the file (txt, md, docx, pdf or html) and parse it as a course standard."""
    path = Path(path)
    return parse_blocks(read_blocks(path), path, source_format(path))


def looks_like_course_standard(blocks: list[Block]) -> bool:
    """Whether the positive evidence (``detection``) reaches the score that claims a course standard."""
    return course_standard_evidence(blocks).claims


def parse_blocks(blocks: list[Block], path: Path | str, fmt: str) -> CourseStandardDoc:
    """A CourseStandardDoc from a document's blocks; raises SourceError when a required part is missing."""
    blocks = strip_page_furniture(blocks)
    sections = find_sections(blocks)
    stop = first_content_index(sections, len(blocks))
    found = find_basic_info(blocks, stop)
    titled = title_course_name(blocks, stop)
    name = course_name(found) if found else ""
    if not name and titled is None:
        if found is None:
            raise SourceError(path, f"a course standard needs the course's name: {NO_BASIC_INFO}, {NO_TITLE_NAME}")
        listed = ", ".join(found.pairs) or "only blank fields"
        raise SourceError(path, f"a course standard needs the course's name: basic information lacks 课程名称 "
                                f"(found {listed}) {NO_TITLE_NAME}", line=found.line)
    info = found or BasicInfo(titled.line if titled else 1)
    name = name or (titled.name if titled else "") or ""
    warnings: list[Rejection] = []
    title = document_title(blocks, stop)
    hours = course_hours(info)
    if hours is None and (stated := stated_hours(blocks[:stop]) or stated_hours(blocks)) is not None:
        hours = stated.value
    credits = credits_value(info.get("学分"))
    if credits is None and (given := stated_credits(blocks[:stop]) or stated_credits(blocks)) is not None:
        credits = given.value
    table = content_table(blocks, sections, info, hours, warnings)
    index = table.index if table else ModuleIndex()
    outcomes = outcomes_of(blocks, sections, stop, warnings)
    if not index.modules and not outcomes and not sections_of(sections, "content"):
        raise SourceError(path, f"《{name}》 looks like a course standard but has no 课程内容 (no content section or "
                                "content table) and no 知识/能力/素质目标 items")
    certificates, competitions = find_links(blocks, index)
    description = section_text(blocks, sections_of(sections, "nature"))
    return CourseStandardDoc(
        slug=slugify(Path(path).stem),
        title=title,
        course_name=name,
        course_code=value_or_none(info.get("课程代码")),
        nature=course_nature(info.get("课程性质")) or nature_in_text(description),
        hours=hours,
        credits=credits,
        majors=majors_of(info, warnings),
        institution=institution_of(info, title, leading_texts(blocks, stop)),
        description=description,
        outcomes=outcomes,
        modules=index.modules,
        certificates=certificates,
        competitions=competitions,
        basic_info_line=info.line,
        source_format=fmt,
        warnings=warnings,
        major_names=named_majors(info),
        level=education_level_of(info.get("层次")),
    )


def course_name(info: BasicInfo) -> str:
    """课程名称 without the book-title marks some documents print around it."""
    return clean(info.get("课程名称") or "").strip("《》“”\"")


def leading_texts(blocks: list[Block], stop: int) -> list[str]:
    """The paragraphs before the first content section."""
    return [block.text for block in blocks[:stop] if isinstance(block, Paragraph)]


def section_text(blocks: list[Block], sections: list[Section]) -> str | None:
    """The body paragraphs of the given sections (headings left out), one per line."""
    heading_indexes = {heading.index for heading in find_headings(blocks)}
    texts: list[str] = []
    for section in sections:
        if section.heading.inline:
            texts.append(section.heading.inline)
        for index in range(section.start, section.end):
            block = blocks[index]
            if isinstance(block, Paragraph) and index not in heading_indexes:
                texts.append(clean(block.text))
    return "\n".join(texts) or None


def outcomes_of(blocks: list[Block], sections: list[Section], stop: int, warnings: list[Rejection]) -> list[Outcome]:
    """Outcomes from the objectives sections, else from anything before the content table's section."""
    found = sections_of(sections, "objectives")
    if found:
        body: list[Block] = []
        for section in found:
            if section.heading.inline:
                body.append(Paragraph(section.heading.inline, blocks[section.heading.index].line))
            body.extend(blocks[section.start: section.end])
        outcomes = find_outcomes(body)
        if not outcomes:
            line = blocks[found[0].heading.index].line
            warnings.append(Rejection(line, "课程目标 names no 知识目标, 能力目标 or 素质目标 items; no outcomes recorded", kept=True))
        return outcomes
    content = [s.heading.index for s in sections if s.kind == "content"]
    end = min(content, default=len(blocks))
    return find_outcomes([block for block in blocks[:end] if isinstance(block, Paragraph)])


def content_table(
    blocks: list[Block], sections: list[Section], info: BasicInfo, hours: Decimal | None, warnings: list[Rejection]
) -> ModuleTable | None:
    """The content table, looked for in the 课程内容 sections first; hours checked against the total."""
    preferred = [
        index for section in sections if section.kind == "content" for index in range(section.start, section.end)
        if isinstance(blocks[index], TableBlock)
    ]
    basic_lines = {pair.line for pair in info.pairs.values()}
    candidates: list[Block] = [
        Paragraph("", block.line) if isinstance(block, TableBlock) and set(block.lines) & basic_lines else block
        for block in blocks
    ]
    table = find_content_table(candidates, list(dict.fromkeys(preferred)), hours, warnings)
    if table is not None:
        table = fill_hours(table, blocks)
        check_hours(table, hours, warnings)
    return table
