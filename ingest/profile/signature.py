"""How a 专业简介 profile is recognised: major blocks (专业代码 then 专业名称) and the profile's own sections.

The 2022 《职业教育专业简介》 gives each major as "专业代码 540101", "专业名称 旅游管理", then the
sections 职业面向, 培养目标定位, 主要专业能力要求, 主要专业课程与实习实训, 职业类证书举例 and
接续专业举例 (or only "（略）"). Fields may be written "键 值", "键：值" or as a table row. The rules
are the parser's own (``sections``), so whatever ``parse_profile`` reads as a block is detected.
"""

from __future__ import annotations

import re

from ingest.profile.sections import CODE, FIELDS, OMITTED, VALID_CODE, block_lines, code_and_rest, heading_kind
from ingest.readers.blocks import Block

_NAME = re.compile(rf"^{FIELDS['name']}\s*[:：]?\s*\S")
#: The sections as the profiles print them, for messages.
SECTION_NAMES = {"orientation": "职业面向", "goal": "培养目标定位", "competencies": "主要专业能力要求",
                 "courses": "主要专业课程与实习实训", "certificates": "职业类证书举例", "next": "接续专业举例"}
#: How many lines after 专业代码 the 专业名称 may come (a 基本修业年限 line may sit between in other layouts).
NAME_WITHIN = 3


def major_blocks(lines: list[str]) -> int:
    """How many majors the lines give: a 专业代码 with a valid code, then 专业名称 on its line or within a few."""
    count = 0
    for i, line in enumerate(lines):
        code = CODE.match(line)
        if code is None:
            continue
        value, rest = code_and_rest(code.group("value"))
        if VALID_CODE.match(value) and any(_NAME.match(later) for later in [rest, *lines[i + 1:i + 1 + NAME_WITHIN]]):
            count += 1
    return count


def looks_like_profile(blocks: list[Block]) -> bool:
    """At least one major block, and a profile section heading or a block written only as （略）."""
    lines = [line.text for line in block_lines(blocks)]
    if not major_blocks(lines):
        return False
    return any(OMITTED.match(line) or heading_kind(line) for line in lines)


def profile_sections(blocks: list[Block]) -> list[str]:
    """The 专业简介 section headings a document has (职业面向, 培养目标定位 …), each once, in order.

    Two or more of them mark a profile even where no major block could be read (a code missing or
    malformed): a policy detector declines such a file, saying so, rather than claiming it.
    """
    found: list[str] = []
    for line in block_lines(blocks):
        kind = heading_kind(line.text)
        if kind and SECTION_NAMES[kind[0]] not in found:
            found.append(SECTION_NAMES[kind[0]])
    return found
