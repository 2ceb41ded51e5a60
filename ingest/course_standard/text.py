"""Small text helpers shared by the course-standard parser: cleaning, numbers, list markers, sentences."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ingest.policy.numbering import chinese_to_int, match_numbering

CN_DIGITS = "零〇一二三四五六七八九十百千两"
NUMBER = re.compile(rf"\d+(?:\.\d+)?|[{CN_DIGITS}]+(?:点[{CN_DIGITS}]+)?")
EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CIRCLED_MARK = re.compile(rf"^([{CIRCLED}])\s*")
BULLET_MARK = re.compile(r"^[-•·●○■□▪◆◇*]\s*")
TRAILING_PUNCT = "；;。，,.、 \t\u3000"
PLACEHOLDERS = {"", "/", "-", "—", "——", "无", "暂无", "空", "none", "n/a", "——/——"}
SPACES = re.compile(r"[ \t\u3000\xa0]+")
LEAD_WORDS = (
    "1+X", "对接", "融入", "融合", "融通", "考取", "获取", "取得", "获得", "参加", "参与", "结合", "引入", "依据",
    "参照", "按照", "根据", "对应", "衔接", "涵盖", "覆盖", "满足", "达到", "通过", "围绕", "瞄准", "面向", "考核",
    "将", "与", "和", "及", "以", "为", "的", "并", "可", "在", "如",
)


def clean(text: str) -> str:
    """The text stripped of surrounding spaces and of Markdown strong emphasis (``**知识目标**：``)."""
    if "**" in text or "__" in text:
        text = EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    return text.strip(" \t\u3000\xa0")


def squeeze(text: str) -> str:
    """The text without any whitespace: for comparing keys and headings."""
    return "".join(text.split())


def value_or_none(text: str | None) -> str | None:
    """A field value, or None when it is empty or a placeholder such as ``/`` or ``无``."""
    if text is None:
        return None
    text = clean(text).strip(TRAILING_PUNCT)
    return None if text.lower() in PLACEHOLDERS else text


def number_value(text: str) -> Decimal | None:
    """The first number in ``text``, Arabic or Chinese: '64学时' -> 64, '3.5' -> 3.5, '六十四' -> 64."""
    for match in NUMBER.finditer(text):
        value = to_decimal(match.group(0))
        if value is not None:
            return value
    return None


def to_decimal(numeral: str) -> Decimal | None:
    """One numeral as a Decimal without trailing zeros ('4.0' -> 4), or None when it is no number."""
    try:
        if "点" in numeral:
            whole, _, fraction = numeral.partition("点")
            digits = "".join(str(chinese_to_int(char)) for char in fraction)
            value = Decimal(f"{chinese_to_int(whole)}.{digits}")
        elif numeral.isdigit() or "." in numeral:
            value = Decimal(numeral)
        else:
            value = Decimal(chinese_to_int(numeral))
    except (ValueError, InvalidOperation):
        return None
    return tidy(value)


def tidy(value: Decimal) -> Decimal:
    """A Decimal printed without trailing zeros or an exponent: 4.0 -> 4, 3.50 -> 3.5, 60 -> 60."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def list_marker(text: str) -> tuple[str | None, str, bool]:
    """Split a list item: (printed number or None, the rest, whether it was an item at all).

    Numbers are '1.', '1、', '（1）', '①', '（一）' ...; a bullet gives (None, rest, True).
    """
    text = clean(text)
    circled = CIRCLED_MARK.match(text)
    if circled:
        return circled.group(1), text[circled.end():].strip(), True
    numbering = match_numbering(text)
    if numbering is not None and numbering.kind in ("point", "subpoint", "clause", "subclause"):
        return numbering.printed, numbering.rest, True
    bullet = BULLET_MARK.match(text)
    if bullet and len(text) > bullet.end():
        return None, text[bullet.end():].strip(), True
    return None, text, False


def strip_item_end(text: str) -> str:
    """An item's text without the closing punctuation it was listed with."""
    return clean(text).rstrip(TRAILING_PUNCT).strip()


def trim_lead(text: str) -> str:
    """Drop leading verbs and particles ('对接', '获得', '1+X' ...) from a name found in running text."""
    changed = True
    while changed and text:
        changed = False
        for word in LEAD_WORDS:
            if text.startswith(word) and len(text) > len(word):
                text, changed = text[len(word):].lstrip("“\"《 "), True
    return text


def sentences(text: str) -> list[str]:
    """The text split after each '。' or '！'/'？' and at line breaks, empty pieces dropped."""
    pieces = re.split(r"(?<=[。！？!?])|\n", text)
    return [piece.strip() for piece in pieces if piece.strip()]
