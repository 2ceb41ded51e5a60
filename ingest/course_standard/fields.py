"""Read the basic-information values: hours, credits, course nature, majors and the institution."""

from __future__ import annotations

import re
from decimal import Decimal

from ingest.course_standard.basic_info import BasicInfo
from ingest.course_standard.records import MajorRef
from ingest.course_standard.text import clean, number_value, squeeze, tidy, value_or_none
from kg.core.records import Rejection

NATURE_TERMS = re.compile(
    r"公共基础课|公共必修课|公共选修课|专业基础课|专业核心课|专业拓展课|专业选修课|专业必修课|综合实训课?|"
    r"实训课|实践课|专业课|实训|选修课|必修课"
)
MAJOR_CODE = re.compile(r"(?<![\dA-Za-z])(\d{6}K?)(?!\d)")
MAJOR_SPLIT = re.compile(r"[、，,；;/／\n]+")
INSTITUTION = re.compile(
    r"^(?P<name>[^《》“”\"\s，。：:]{2,30}?(?:职业技术大学|职业技术学院|职业学院|技术学院|技师学院|高等专科学校|"
    r"专科学校|职业学校|技工学校|中等专业学校|学院|大学|学校))"
)
TOTAL_AFTER = re.compile(r"(?:=|＝|共|合计|总计)\s*(\d+(?:\.\d+)?)")
STANDARD_ALONE = re.compile(r"^(?:课程(?:教学)?标准|课程大纲|教学大纲)$")
SPLIT_HOURS = re.compile(r"^\s*(?:理论|讲授)\D{0,4}(\d+(?:\.\d+)?)\D+?(?:实践|实训|实验)\D{0,4}(\d+(?:\.\d+)?)")


def education_level_of(value: str | None) -> str | None:
    """层次 as the catalogue names it ('高职' and '高等职业教育专科（三年制）' -> 高职专科); None when unknown or two levels."""
    from kg.core.levels import EDUCATION_LEVELS

    text = value_or_none(value)
    if text is None:
        return None
    spellings = sorted(((spelling, level.name) for level in EDUCATION_LEVELS for spelling in (level.name, *level.aliases)),
                       key=lambda item: len(item[0]), reverse=True)
    found: set[str] = set()
    rest = squeeze(text)
    for spelling, name in spellings:
        if spelling in rest:
            found.add(name)
            rest = rest.replace(spelling, "|")
    return found.pop() if len(found) == 1 else None


def course_nature(value: str | None) -> str | None:
    """课程性质 as printed; a long sentence is cut down to the term it names (专业核心课 ...)."""
    text = value_or_none(value)
    if text and len(text) > 20:
        match = NATURE_TERMS.search(text)
        return match.group(0) if match else text
    return text


def hours_value(value: str | None) -> Decimal | None:
    """Hours from a value: '64', '64学时', '64（理论32，实践32）', '理论32+实践32' -> 64."""
    text = value_or_none(value)
    if text is None:
        return None
    total = TOTAL_AFTER.search(text)
    if total:
        return tidy(Decimal(total.group(1)))
    split = SPLIT_HOURS.match(text)
    if split:
        return tidy(Decimal(split.group(1)) + Decimal(split.group(2)))
    return number_value(text)


def course_hours(info: BasicInfo) -> Decimal | None:
    """Total 学时, or 理论学时 plus 实践学时 when only those are given."""
    total = hours_value(info.get("学时"))
    if total is not None:
        return total
    theory, practice = hours_value(info.get("理论学时")), hours_value(info.get("实践学时"))
    if theory is not None and practice is not None:
        return tidy(theory + practice)
    return None


def credits_value(value: str | None) -> Decimal | None:
    """学分 as a Decimal: '4' -> 4, '4.0' -> 4, '3.5' -> 3.5, '四' -> 4."""
    text = value_or_none(value)
    return number_value(text) if text else None


def majors_of(info: BasicInfo, warnings: list[Rejection]) -> list[MajorRef]:
    """A MajorRef per code in 适用专业 (name before or after the code) and 专业代码, each code once."""
    refs: list[MajorRef] = []
    names_without_code: list[tuple[str, int]] = []
    for name in ("适用专业", "专业代码"):
        pair = info.pairs.get(name)
        if pair is None:
            continue
        for piece in MAJOR_SPLIT.split(pair.value):
            codes = MAJOR_CODE.findall(piece)
            label = major_name(MAJOR_CODE.sub("", piece))
            if not codes and label and name == "适用专业":
                names_without_code.append((label, pair.line))
            refs.extend(MajorRef(code, label if len(codes) == 1 else None, pair.line) for code in codes)
    bare_codes = [ref for ref in refs if ref.name is None]
    if names_without_code and len(bare_codes) == len(names_without_code):
        named = dict(zip((ref.code for ref in bare_codes), names_without_code))
        refs = [MajorRef(r.code, named[r.code][0], r.line) if r.code in named else r for r in refs]
    elif names_without_code:
        listed = "、".join(name for name, _ in names_without_code)
        warnings.append(Rejection(names_without_code[0][1],
                                  f"适用专业 names no major code: {listed} (kept as a major mention)", kept=True))
    unique: dict[str, MajorRef] = {}
    for ref in refs:
        if ref.code not in unique or (unique[ref.code].name is None and ref.name):
            unique[ref.code] = ref
    return list(unique.values())


def major_name(text: str) -> str | None:
    """A major's name from what is left of a piece once its code is gone."""
    name = re.sub(r"专业代码|代码|[（(）)【】\[\]：:\s]+", "", clean(text))
    if name.endswith("专业") and len(name) > 2:
        name = name[:-2]
    return name or None


def institution_of(info: BasicInfo, title: str, leading: list[str]) -> str | None:
    """The college: a 制定单位/学院/学校 field, a title like 'XX职业技术学院《…》课程标准', or a line of its own."""
    field = value_or_none(info.get("制定单位"))
    if field:
        return field
    match = INSTITUTION.match(clean(title))
    if match and clean(title)[match.end():].strip():
        return match.group("name")
    for text in leading:
        line = squeeze(clean(text))
        alone = INSTITUTION.match(line)
        if alone and (alone.end() == len(line) or STANDARD_ALONE.match(line[alone.end():])):
            return alone.group("name")  # a line of its own, or a running header "XX学院  课程标准"
    return None


def nature_in_text(text: str | None) -> str | None:
    """The course nature a description's opening sentence names ('本课程是…专业的专业核心课程' -> 专业核心课)."""
    if not text:
        return None
    match = NATURE_TERMS.search(text.split("。", 1)[0])
    return match.group(0) if match else None
