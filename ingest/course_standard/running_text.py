"""Total hours and credits stated in running text, for standards whose basic information leaves them blank.

"本课程共64学时，4学分", "总学时为72", "3学分，48学时", "计64课时": the total is the number after 共/总计/
总学时, or the one printed beside the credits; "其中理论24学时" is a part, never the total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ingest.course_standard.text import clean, tidy
from ingest.readers.blocks import Block, Paragraph

NUMBER = r"(\d+(?:\.\d+)?)"
HOURS = r"(?:学时|课时)"
TOTAL_HOURS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"(?:共|共计|总计|合计|计)\s*{NUMBER}\s*个?{HOURS}"),
    re.compile(rf"总{HOURS}\s*(?:数)?\s*(?:为|是|共|：|:)?\s*{NUMBER}"),
    re.compile(rf"(?<![理论实践训验讲授\d.]){NUMBER}\s*{HOURS}\s*[，,、/／]\s*{NUMBER}\s*个?学分"),
    re.compile(rf"{NUMBER}\s*个?学分\s*[，,、/／]\s*(?:共\s*)?{NUMBER}\s*{HOURS}"),
)
CREDITS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"(?<![\d.]){NUMBER}\s*个?学分"),
    re.compile(rf"学分\s*(?:为|是|：|:)\s*{NUMBER}"),
)
#: Which group holds the hours in each TOTAL_HOURS pattern.
HOURS_GROUP = (1, 1, 1, 2)


@dataclass(frozen=True)
class Stated:
    """A number stated in running text, with the line it was found on."""

    value: Decimal
    line: int


def stated_hours(blocks: list[Block]) -> Stated | None:
    """The total hours the first paragraph that states one gives."""
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        text = clean(block.text)
        for pattern, group in zip(TOTAL_HOURS, HOURS_GROUP):
            match = pattern.search(text)
            if match:
                return Stated(tidy(Decimal(match.group(group))), block.line)
    return None


def stated_credits(blocks: list[Block]) -> Stated | None:
    """The credits the first paragraph that states them gives."""
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        text = clean(block.text)
        for pattern in CREDITS:
            match = pattern.search(text)
            if match:
                return Stated(tidy(Decimal(match.group(1))), block.line)
    return None
