"""Recognise the printed number that opens a unit of a Chinese policy text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN = "零〇一二三四五六七八九十百千两"
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_to_int(numeral: str) -> int:
    """'二十七' -> 27, '一百零五' -> 105, '十' -> 10, '〇三' -> 3; Arabic digits pass through."""
    if numeral.isdigit():
        return int(numeral)
    total, current = 0, 0
    for char in numeral:
        if char in _CN_DIGITS:
            current = current * 10 + _CN_DIGITS[char] if char in "零〇" or current else _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[char]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return total + current


@dataclass(frozen=True)
class Numbering:
    """A recognised number: its kind, rank (smaller is higher), printed form, value and the rest of the line."""

    kind: str
    rank: int
    printed: str | None
    value: int | None
    rest: str


# (kind, rank, pattern); the pattern's group "num" is the numeral, the match is the printed number.
_PATTERNS: list[tuple[str, int, re.Pattern[str]]] = [
    ("book", 1, re.compile(rf"第(?P<num>[{_CN}\d]+)编(?=[\s\u3000]|$)")),
    ("part", 2, re.compile(rf"第(?P<num>[{_CN}\d]+)部分(?=[\s\u3000]|$|[^\s的])")),
    ("chapter", 3, re.compile(rf"第(?P<num>[{_CN}\d]+)章(?=[\s\u3000]|$|[^\s的])")),
    ("section", 4, re.compile(rf"第(?P<num>[{_CN}\d]+)节(?=[\s\u3000]|$|[^\s的])")),
    ("article", 5, re.compile(rf"第(?P<num>[{_CN}\d]+)条(?=[\s\u3000]|$|[^的、和及至或规中所第之])")),
    ("clause", 6, re.compile(rf"(?P<num>[{_CN}]+)[、．.](?![{_CN}\d]*[、．.])")),
    ("subclause", 7, re.compile(rf"[（(](?P<num>[{_CN}]+)[）)]")),
    ("point", 8, re.compile(r"(?P<num>\d{1,3})(?:[.．、](?!\d)|[)）])")),
    ("subpoint", 9, re.compile(r"[（(](?P<num>\d{1,3})[）)]")),
    ("item", 10, re.compile(r"[-•·*](?=[\s\u3000])")),
]

RANKS: dict[str, int] = {kind: rank for kind, rank, _ in _PATTERNS}


def match_numbering(line: str) -> Numbering | None:
    """The numbering at the start of ``line`` (already stripped of '#' marks), or None."""
    for kind, rank, pattern in _PATTERNS:
        found = pattern.match(line)
        if not found:
            continue
        printed = found.group(0)
        numeral = found.groupdict().get("num")
        try:
            value = chinese_to_int(numeral) if numeral else None
        except ValueError:
            continue
        rest = line[found.end():].strip(" \t\u3000")
        if kind == "item":
            printed = None
        if kind == "clause" and not rest:
            continue
        return Numbering(kind, rank, printed, value, rest)
    return None
