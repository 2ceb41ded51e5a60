"""Parse a course standard (课程标准) into a CourseStandardDoc: basic information, outcomes, modules, links.

Parsing is pure: blocks in, records out. What cannot be read is reported in ``warnings``; a file
without a basic-information block (课程名称 plus 课程代码, 学时 or 学分 before the content) is refused.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ingest.course_standard.basic_info import BasicInfo, find_basic_info, missing_fields
from ingest.course_standard.fields import course_hours, course_nature, credits_value, institution_of, majors_of
from ingest.course_standard.links import find_links
from ingest.course_standard.modules import ModuleTable, check_hours, find_content_table
from ingest.course_standard.objectives import find_outcomes
from ingest.course_standard.records import CourseStandardDoc, Outcome
from ingest.course_standard.refs import ModuleIndex
from ingest.course_standard.sections import Section, find_headings, find_sections, first_content_index, sections_of
from ingest.course_standard.text import clean, value_or_none
from ingest.readers import read_blocks, source_format
from ingest.readers.blocks import Block, Paragraph, TableBlock
from kg.core.names import slugify
from kg.core.records import Rejection
from kg.errors import SourceError

# 2: certificate and competition IRIs keyed by content; 3: occurrences counted on the normalised key
PARSER_VERSION = "course-standard/3"
NO_BASIC_INFO = "no basic information found: expected 课程名称 with 课程代码, 学时 or 学分 before the content"


def parse_course_standard(path: Path | str) -> CourseStandardDoc:
    """Read the file (txt, md, docx, pdf or html) and parse it as a course standard."""
    path = Path(path)
    return parse_blocks(read_blocks(path), path, source_format(path))


def looks_like_course_standard(blocks: list[Block]) -> bool:
    """Whether a basic-information block (课程名称 plus 课程代码, 学时 or 学分) comes before the first content section."""
    stop = first_content_index(find_sections(blocks), len(blocks))
    return not missing_fields(find_basic_info(blocks, stop))


def parse_blocks(blocks: list[Block], path: Path | str, fmt: str) -> CourseStandardDoc:
    """A CourseStandardDoc from a document's blocks; raises SourceError without basic information."""
    sections = find_sections(blocks)
    stop = first_content_index(sections, len(blocks))
    info = find_basic_info(blocks, stop)
    missing = missing_fields(info)
    if info is None or "课程代码, 学时 or 学分" in missing and "课程名称" in missing:
        raise SourceError(path, NO_BASIC_INFO)
    if missing:
        found = ", ".join(info.pairs)
        raise SourceError(path, f"basic information lacks {' and '.join(missing)} (found {found})", line=info.line)
    warnings: list[Rejection] = []
    title = document_title(blocks, stop)
    hours = course_hours(info)
    table = content_table(blocks, sections, info, hours, warnings)
    index = table.index if table else ModuleIndex()
    certificates, competitions = find_links(blocks, index)
    return CourseStandardDoc(
        slug=slugify(Path(path).stem),
        title=title,
        course_name=course_name(info),
        course_code=value_or_none(info.get("课程代码")),
        nature=course_nature(info.get("课程性质")),
        hours=hours,
        credits=credits_value(info.get("学分")),
        majors=majors_of(info, warnings),
        institution=institution_of(info, title, leading_texts(blocks, stop)),
        description=section_text(blocks, sections_of(sections, "nature")),
        outcomes=outcomes_of(blocks, sections, stop, warnings),
        modules=index.modules,
        certificates=certificates,
        competitions=competitions,
        basic_info_line=info.line,
        source_format=fmt,
        warnings=warnings,
    )


def course_name(info: BasicInfo) -> str:
    """课程名称 without the book-title marks some documents print around it."""
    return clean(info.get("课程名称") or "").strip("《》“”\"")


def leading_texts(blocks: list[Block], stop: int) -> list[str]:
    """The paragraphs before the first content section."""
    return [block.text for block in blocks[:stop] if isinstance(block, Paragraph)]


def document_title(blocks: list[Block], stop: int) -> str:
    """The first paragraph that calls itself a 课程标准 (or 大纲) among the opening ones, else the first paragraph."""
    opening = [clean(text) for text in leading_texts(blocks, stop)[:4]]
    named = next((text for text in opening if "标准" in text or "大纲" in text), None)
    if named:
        return named
    first = next((clean(b.text) for b in blocks if isinstance(b, Paragraph)), "")
    return first


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
        check_hours(table, hours, warnings)
    return table
