"""The basic-information block (课程基本信息): key/value pairs from a table or from '键：值' lines.

Tables: 键|值 or 键|值|键|值 rows (a key may end in '：'; a merged value cell counts once), a row of
keys over a row of values, or cells that hold '键：值' themselves. Lines: one or more '键：值' pairs,
separated by spaces, tabs or '；'. Only blocks before the first content section count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.course_standard.text import clean, squeeze
from ingest.readers.blocks import Block, Paragraph, TableBlock

FIELDS: dict[str, tuple[str, ...]] = {
    "课程名称": ("课程名称", "课程名"),
    "课程代码": ("课程代码", "课程编码", "课程编号", "课程号"),
    "课程性质": ("课程性质", "课程类型", "课程类别", "课程属性"),
    "学时": ("总学时", "学时", "课时", "总课时", "参考学时", "计划学时", "学时数", "教学时数"),
    "理论学时": ("理论学时", "理论课时", "讲授学时"),
    "实践学时": ("实践学时", "实践课时", "实训学时", "实验学时"),
    "学分": ("学分", "总学分", "学分数"),
    "适用专业": ("适用专业", "面向专业", "授课专业", "适用对象", "开设专业", "专业名称", "专业"),
    "专业代码": ("专业代码", "专业编码"),
    "层次": ("层次", "培养层次", "适用层次", "学历层次", "办学层次", "教育层次", "专业层次"),
    "开设学期": ("开设学期", "开课学期", "授课学期", "学期"),
    "制定人": ("制定人", "执笔人", "编写人", "撰写人", "编制人", "起草人", "主要制定人"),
    "审核人": ("审核人", "审定人", "审批人"),
    "制定单位": ("开设学校", "制定单位", "编制单位", "学院", "院校", "学校"),
}
KEYS: dict[str, str] = {synonym: canonical for canonical, synonyms in FIELDS.items() for synonym in synonyms}
REQUIRED_ONE_OF = ("课程代码", "学时", "学分")
NOTE = re.compile(r"[（(][^）)]*[）)]")
KNOWN_KEY = "|".join(sorted(map(re.escape, KEYS), key=len, reverse=True))
PAIR_SPLIT = re.compile(
    rf"(?:[；;\t]|\s+)(?=[^\s；;，,：:（）()]{{1,12}}\s*[：:])|[，,](?=\s*(?:{KNOWN_KEY})\s*[：:])"
)
SPACED_KEY = re.compile(r"(?:^|(?<=[\s；;]))[\u4e00-\u9fff](?:[ \u3000\xa0]+[\u4e00-\u9fff]){1,5}(?=[ \u3000\xa0]*[：:])")
PAIR = re.compile(r"^\s*(?P<key>[^：:]{1,14}?)\s*[：:]\s*(?P<value>.*)$", re.DOTALL)


@dataclass(frozen=True)
class Pair:
    """One key and its value as printed, with the canonical field it stands for and its line."""

    field: str
    key: str
    value: str
    line: int


@dataclass
class BasicInfo:
    """The basic-information pairs (first value per field wins) and the line the block starts on."""

    line: int
    pairs: dict[str, Pair] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        pair = self.pairs.get(name)
        return pair.value if pair else None

    def add(self, pair: Pair) -> None:
        if pair.value.strip() and pair.field not in self.pairs:
            self.pairs[pair.field] = pair


def field_of(key: str) -> str | None:
    """The canonical field a printed key names ('课 程 名 称：' -> '课程名称'), or None."""
    text = NOTE.sub("", squeeze(clean(key))).rstrip("：:")
    return KEYS.get(text)


def line_pairs(text: str, line: int) -> list[Pair]:
    """The '键：值' pairs on one line (unknown keys skipped); a line that opens without 'key：' gives none."""
    pairs: list[Pair] = []
    text = SPACED_KEY.sub(lambda m: squeeze(m.group(0)) if squeeze(m.group(0)) in KEYS else m.group(0), clean(text))
    extending = False  # whether a piece without a key continues the last known pair's value
    for position, piece in enumerate(PAIR_SPLIT.split(text)):
        match = PAIR.match(piece)
        name = field_of(match.group("key")) if match else None
        if match and name:
            pairs.append(Pair(name, match.group("key").strip(), match.group("value").strip(), line))
            extending = True
        elif match:
            extending = False  # an unknown key ('先修课程：…') ends the previous value
        elif position == 0:
            return []
        elif extending:
            last = pairs[-1]
            pairs[-1] = Pair(last.field, last.key, f"{last.value} {piece.strip()}".strip(), last.line)
    return pairs


def table_pairs(table: TableBlock) -> list[Pair]:
    """The pairs in a table: 键|值 runs along a row, a key row over a value row, or '键：值' cells."""
    pairs: list[Pair] = []
    skip_next = False
    for position, (row, line) in enumerate(zip(table.rows, table.lines)):
        if skip_next:
            skip_next = False
            continue
        names = [field_of(cell) for cell in row]
        below = table.rows[position + 1] if position + 1 < len(table.rows) else None
        if below and len(row) >= 2 and all(names) and len(below) == len(row) and not any(map(field_of, below)):
            pairs.extend(Pair(n, k, v.strip(), table.lines[position + 1]) for n, k, v in zip(names, row, below) if n)
            skip_next = True
            continue
        column = 0
        while column < len(row):
            name, cell = names[column], row[column]
            if name and column + 1 < len(row) and names[column + 1] is None:
                pairs.append(Pair(name, clean(cell), row[column + 1].strip(), line))
                column += 2
                continue
            pairs.extend(line_pairs(cell, line) if "：" in cell or ":" in cell else [])
            column += 1
    return pairs


def find_basic_info(blocks: list[Block], stop: int) -> BasicInfo | None:
    """The pairs of the tables and '键：值' paragraphs among ``blocks[:stop]``, or None if there are none."""
    info: BasicInfo | None = None
    for block in blocks[:stop]:
        if isinstance(block, TableBlock):
            found = table_pairs(block)
        elif isinstance(block, Paragraph):
            found = line_pairs(block.text, block.line)
        else:  # pragma: no cover - Block is a closed union
            found = []
        if not found:
            continue
        if info is None:
            info = BasicInfo(block.line if isinstance(block, TableBlock) else found[0].line)
        for pair in found:
            info.add(pair)
    return info


def missing_fields(info: BasicInfo | None) -> list[str]:
    """What the block lacks to count as basic information: 课程名称, and one of 课程代码/学时/学分."""
    have = set(info.pairs) if info else set()
    missing = [] if "课程名称" in have else ["课程名称"]
    if not have & {*REQUIRED_ONE_OF, "理论学时", "实践学时"}:
        missing.append("课程代码, 学时 or 学分")
    return missing
