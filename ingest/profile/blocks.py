"""A 专业简介's lines grouped into major blocks: the 专业代码 line that opens each, its fields and its sections.

A malformed code refuses its block; a section heading that comes round again inside a block (职业面向
after 接续专业举例) is the next major printed without its 专业代码 and 专业名称, refused rather than merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.profile.sections import (CATEGORY, CODE, FIELD, KEY, OMITTED, VALID_CODE, code_and_rest, heading_kind,
                                     key_section)
from kg.core.records import Rejection, SourceLine

SECTION_KINDS = ("orientation", "goal", "competencies", "courses", "certificates", "next")
_SPACES = re.compile(r"\s+")


@dataclass
class RawBlock:
    """The lines of one major block, sorted into its fields and sections."""

    code_line: SourceLine
    code: str
    fields: dict[str, SourceLine] = field(default_factory=dict)
    sections: dict[str, list[SourceLine]] = field(default_factory=dict)
    heading_lines: dict[str, int] = field(default_factory=dict)
    omitted: bool = False
    stray: list[SourceLine] = field(default_factory=list)


def document_title(lines: list[SourceLine], stem: str) -> str:
    """The first 专业类 heading ("4607 汽车制造类") without spaces, else the file's stem."""
    for line in lines:
        if CODE.match(line.text):
            break
        if re.match(r"^\d{4}\s*\S+类$", line.text):
            return _SPACES.sub("", line.text)
    return stem


def split_blocks(lines: list[SourceLine], rejections: list[Rejection]) -> list[RawBlock]:
    """Lines grouped by the 专业代码 line that opens each block; a malformed code refuses its block."""
    found: list[RawBlock] = []
    current: RawBlock | None = None
    section = "header"
    for line in lines:
        code = CODE.match(line.text)
        if code:
            value, rest = code_and_rest(code.group("value"))
            current, section = None, "header"
            if not VALID_CODE.match(value):
                rejections.append(Rejection(line.line, f"malformed 专业代码 '{value}': expected six digits with an "
                                                       "optional K; block skipped", key=value or None))
                continue
            current = RawBlock(code_line=line, code=value)
            found.append(current)
            if rest:
                _header_line(current, SourceLine(rest, line.line))
            continue
        if current is None:
            continue
        if CATEGORY.search(line.text):
            section = "ignored"
            continue
        heading = heading_kind(line.text)
        if heading and _starts_over(current, section, heading[0]):
            rejections.append(Rejection(
                line.line, f"{heading[0]} section again after {section}, in block {current.code} (line "
                           f"{current.code_line.line}): a major printed without its 专业代码 and 专业名称; skipped",
                key=current.code))
            current = RawBlock(code_line=current.code_line, code=current.code)  # collects the orphan, never kept
        if heading:
            section, inline = heading
            current.sections.setdefault(section, [])
            current.heading_lines.setdefault(section, line.line)
            if inline:
                current.sections[section].append(SourceLine(inline, line.line))
            continue
        key = KEY.match(line.text)
        if key:
            section = key_section(next(name for name, value in key.groupdict().items() if value))
        if section == "header":
            _header_line(current, line)
        elif section != "ignored":
            current.sections.setdefault(section, []).append(line)
    return found


def _starts_over(block: RawBlock, section: str, kind: str) -> bool:
    """A heading of a section the block already has, after a later one or a 专业类 heading: the next major's text."""
    if kind not in block.sections:
        return False
    return section not in SECTION_KINDS or SECTION_KINDS.index(kind) < SECTION_KINDS.index(section)


def _header_line(block: RawBlock, line: SourceLine) -> None:
    """A line before the first section: 专业名称 / 修业年限 fields (several may share it), （略）, or stray text."""
    if OMITTED.match(line.text):
        block.omitted = True
        return
    matches = list(FIELD.finditer(line.text))
    if not matches or matches[0].start() != 0:
        block.stray.append(line)
        return
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line.text)
        name = "name" if match.group("name") else "years"
        value = line.text[match.end():end].strip(" ：:")
        if value and name not in block.fields:
            block.fields[name] = SourceLine(value, line.line)
