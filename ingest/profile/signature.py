"""How a 专业简介 profile is recognised: major blocks (专业代码 then 专业名称) and the profile's own sections.

The 2022 《职业教育专业简介》 gives each major as "专业代码 540101", "专业名称 旅游管理", then the
sections 职业面向, 培养目标定位, 主要专业能力要求, 主要专业课程与实习实训, 职业类证书举例 and
接续专业举例 (or only "（略）"). Fields may be written "键 值", "键：值" or as a table row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ingest.readers.blocks import Block, Paragraph

SECTIONS = ("职业面向", "培养目标定位", "主要专业能力要求", "主要专业课程", "实习实训", "职业类证书举例", "职类证书举例",
            "接续专业举例")
OMITTED = "（略）"
_CODE = re.compile(r"^专业代码\s*[:：]?\s*\d{6}K?(?!\d)")
_NAME = re.compile(r"^专业名称\s*[:：]?\s*\S")
_MARKS = re.compile(r"^[#\s\u3000*|]+")
#: How many lines after 专业代码 the 专业名称 may come (a 基本修业年限 line may sit between in other layouts).
NAME_WITHIN = 3


def _texts(blocks: Iterable[Block]) -> Iterator[str]:
    """Each paragraph, and each table row as its cells joined by a space, without heading marks."""
    for block in blocks:
        texts = [block.text] if isinstance(block, Paragraph) else [" ".join(c.strip() for c in row) for row in block.rows]
        for text in texts:
            stripped = _MARKS.sub("", text).strip()
            if stripped:
                yield stripped


def major_blocks(lines: list[str]) -> int:
    """How many majors the lines give: a 专业代码 with a six-digit code, then 专业名称 within a few lines."""
    count = 0
    for i, line in enumerate(lines):
        if _CODE.match(line) and any(_NAME.match(later) for later in lines[i + 1:i + 1 + NAME_WITHIN]):
            count += 1
    return count


def looks_like_profile(blocks: list[Block]) -> bool:
    """At least one major block, and a profile section heading or a block written only as （略）."""
    lines = list(_texts(blocks))
    if not major_blocks(lines):
        return False
    return any(line == OMITTED or line.startswith(SECTIONS) for line in lines)
