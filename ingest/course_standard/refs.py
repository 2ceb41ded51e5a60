"""Module references in running text: '项目一、项目三', '模块1、2', '项目二至项目四', or a module's title."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.course_standard.records import Module
from ingest.course_standard.text import CN_DIGITS, clean, to_decimal

PREFIX = r"(?:学习项目|教学项目|项目|学习模块|教学模块|模块|学习情境|情境|学习单元|单元)"
NUM = rf"(?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}})(?!体)"
SEPARATOR = r"(?:[、，,和及与]|以及|至|到|[-~－—～])"
REF = re.compile(rf"{PREFIX}\s*{NUM}(?:\s*{SEPARATOR}\s*(?:{PREFIX})?\s*{NUM})*")
BARE_REF = re.compile(rf"(?:{PREFIX})?\s*{NUM}(?:\s*{SEPARATOR}\s*(?:{PREFIX})?\s*{NUM})*")
REF_PART = re.compile(rf"(?P<sep>至|到|[-~－—～])?\s*(?:{PREFIX})?\s*(?P<num>{NUM})")
TITLE_NUMBER = re.compile(rf"^\s*(?:第\s*)?{PREFIX}?\s*(?P<num>{NUM})\s*(?:{PREFIX})?[\s:：、.．\-—]*")
MIN_TITLE = 4


def title_number(title: str) -> int | None:
    """The number a title opens with ('项目三 …', '模块2', '学习情境一'), or None."""
    text = clean(title)
    match = TITLE_NUMBER.match(text)
    if match and re.match(PREFIX, text.lstrip("第 ")):
        value = to_decimal(match.group("num"))
        return int(value) if value is not None else None
    return None


@dataclass(frozen=True)
class ModuleIndex:
    """The modules, the numbers their titles were printed with, and the content-table row line of each."""

    modules: list[Module] = field(default_factory=list)
    numbers: dict[int, int] = field(default_factory=dict)  # number printed in a title -> Module.order
    rows: dict[int, int] = field(default_factory=dict)  # content-table row line -> Module.order


def module_refs(text: str, index: ModuleIndex, bare: bool = False) -> list[tuple[int, int]]:
    """(position in ``text``, Module.order) for each module the text names, by number or by title.

    Numbers are those printed in the titles ('项目三 …'), else positions in the table; with ``bare``
    plain number lists ('2、3、6', as in a 对应模块 cell) count too.
    """
    modules, by_number = index.modules, index.numbers
    if not modules:
        return []
    refs: list[tuple[int, int]] = []
    pattern = BARE_REF if bare else REF
    for match in pattern.finditer(text):
        for value in numbers_in(match.group(0)):
            order = by_number.get(value) if by_number else (value if 1 <= value <= len(modules) else None)
            if order is not None:
                refs.append((match.start(), order))
    for module in modules:
        core = title_core(module.title)
        if len(core) >= MIN_TITLE and core in text:
            refs.append((text.index(core), module.order))
    return sorted(set(refs))


def numbers_in(reference: str) -> list[int]:
    """The numbers a reference names, ranges expanded: '项目二至项目四' -> [2, 3, 4]."""
    values: list[int] = []
    for part in REF_PART.finditer(reference):
        value = to_decimal(part.group("num"))
        if value is None:
            continue
        number = int(value)
        if part.group("sep") and values and values[-1] < number <= values[-1] + 50:
            values.extend(range(values[-1] + 1, number + 1))
        else:
            values.append(number)
    return values


def title_core(title: str) -> str:
    """A module title without its opening number ('项目一 动力电池认知' -> '动力电池认知')."""
    text = clean(title)
    match = TITLE_NUMBER.match(text)
    if match and re.match(PREFIX, text.lstrip("第 ")):
        text = text[match.end():]
    return text.strip(" ：:、.．-—")
