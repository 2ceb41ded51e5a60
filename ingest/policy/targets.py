"""Quantified goals in one provision's own text: "建设3-5所", "达到70%以上", "到2027年".

Rules, in brief (the tests spell each one out):

* A quantity is a number (Arabic, full-width or Chinese; a range "3-5", "三至五"; "百分之三十")
  with a known unit. Counts, money and shares ("所", "人次", "万元", "%") count on their own;
  durations and ages ("年", "个月", "周岁") count only with a comparator or as a range, so
  "九年义务教育" is not a target but "不少于两个月" and "未满十六周岁" are.
* A bare Chinese "一" ("一批", "一个") is an article, not a goal, unless a comparator governs it.
* Never quantities: years and dates, ordinals ("第二十条", "第十三届"), list markers, vague
  amounts ("数万名", "数十"), names ("1+X", "十四五", "三个代表"), fractions other than
  百分之/千分之, and rates per something ("每两年").
* "万"/"亿" fold into the value (10万人次 -> 100000 人次) except in money units "万元"/"亿元".
* "X以上Y以下" is one range with comparator None and comparator_text "以上…以下".
* A deadline ("到2027年", "2027年底前") is its own record; each quantity takes the nearest
  deadline before it in the text, else the first one after it, else ``inherited_year``.
* ``metric`` is the clause text before the target (after any deadline or earlier target),
  without list markers, leading goal verbs (建设, 打造 ...) and trailing modal words; when
  nothing is left it is the noun phrase after the unit ("建设3-5所高水平职业院校" ->
  "高水平职业院校"), and None when neither gives two characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from ingest.policy.records import TargetRecord

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
MAX_VALUE = Decimal(10) ** 15  # longer digit runs are identifiers, not amounts

_NUM = (
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"  # 70, 3.5, 1,000
    r"|[〇零一二两三四五六七八九十][〇零一二两三四五六七八九十百千万亿]*"  # 三, 二十, 五千, 十万
    r"(?:点[〇零一二三四五六七八九]+)?)"  # 一点五
)
QUANTITY = re.compile(
    rf"(?P<frac>[百千]分之)?(?P<a>{_NUM})"
    rf"(?:[%％]?\s*[-－~～—–至到]\s*(?:[百千]分之)?(?P<b>{_NUM}))?"
)
COUNT_UNITS = ("个百分点", "百分点", "%", "％", "人次", "学时", "课时", "学分", "万元", "亿元",
               "平方米", "公里", "元", "人", "名", "位", "所", "家", "个", "项", "门", "本",
               "种", "批", "类", "套", "支", "座", "间", "台", "件", "册", "场", "次", "倍", "户", "亩")
TIME_UNITS = ("个工作日", "工作日", "个月", "小时", "分钟", "周岁", "学年", "学期",
              "岁", "年", "天", "日", "周")
_UNITS = "|".join(sorted(COUNT_UNITS + TIME_UNITS, key=len, reverse=True))
TAIL = re.compile(rf"(?P<mult>[万亿](?!元))?(?P<approx>余|多)?(?P<unit>{_UNITS})?"
                  rf"(?P<suffix>及以上|及以下|以上|以下|以内|左右|上下|(?<=[年月日天周时])内)?")

SUFFIX_COMPARATORS = {"以上": "at_least", "及以上": "at_least", "以下": "at_most",
                      "及以下": "at_most", "以内": "at_most", "内": "at_most",
                      "左右": "about", "上下": "about"}
PREFIX_COMPARATORS = {
    **dict.fromkeys(("不低于", "不少于", "不得低于", "不得少于", "不应低于", "不应少于",
                     "不宜低于", "不能低于", "不能少于", "至少", "最少", "年满", "满"), "at_least"),
    **dict.fromkeys(("不超过", "不高于", "不多于", "不得超过", "不得高于", "不应超过",
                     "不宜超过", "至多", "最多"), "at_most"),
    **dict.fromkeys(("超过", "高于", "多于"), "more_than"),
    **dict.fromkeys(("低于", "少于", "不足", "未满", "达不到"), "less_than"),
    **dict.fromkeys(("达到", "达", "提高到", "提高至", "提升到", "提升至", "增加到", "增加至",
                     "增长到", "增长至", "扩大到", "扩大至", "增至"), "reach"),
}
PREFIX = re.compile("|".join(sorted(PREFIX_COMPARATORS, key=len, reverse=True)))
ADJACENT_ONLY = {"满", "达"}  # single characters too common to govern a number at a distance
MAX_GAP = 16
GAP_BREAK = re.compile(r"[，,；;。：:、！？!?\s\d（）()]")

YEAR = r"(?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3}"
DEADLINE = re.compile(
    rf"(?:(?P<pre>截止到|截止|截至|到|至)\s*)?(?P<year>{YEAR})\s*年"
    r"(?P<post>(?:底|末)?(?:之前|以前|前)|底|末)?"
)
NOT_QUANTITY = re.compile(
    "|".join((
        rf"(?:{YEAR})(?:\s*[-－—–~～至到]\s*(?:{YEAR}))?\s*年度?",  # years and periods
        r"(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}",  # ISO-like dates
        r"\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?",  # month and day
        r"[一二三四五六七八九十]{1,3}月(?:[一二三四五六七八九十]{1,3}日)?",
        r"第\s*[\d〇零一二两三四五六七八九十百千]+",  # ordinals: 第二十条, 第十三届
        r"[(（][\d一二三四五六七八九十]+[)）]",  # list markers
        r"[\dA-Za-z一二三四五六七八九十]+\s*[+＋]\s*[\dA-Za-zＸ]+",  # 1+X, 2+N
        r"十[一二三四五六七八九]五",  # five-year plans: 十四五
        r"三个代表|四项基本原则|四个意识|四个自信|两个维护|两个确立",  # slogans
        r"四个全面|五位一体|两个一百年|两个大局|三个面向|四个服务",
        r"[\d一二两三四五六七八九十]+分之[\d〇零一二两三四五六七八九十]+",  # fractions
    ))
)
BLOCKING_PREVIOUS = set("第每数几若.．+＋ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

CLAUSE_BOUNDARY = re.compile(r"[，,；;。：:！？!?\s]")
LIST_MARKER = re.compile(  # "- ", "(一)", "1.", "一、" before the clause text
    r"^[\s\-—·•*、]*(?:[(（][\d一二三四五六七八九十]+[)）]|\d+[.、．]|[一二三四五六七八九十]+、)?\s*"
)
LEADING_VERBS = re.compile(
    r"^(?:力争|确保|累计|新增|新建|建设|建成|打造|培育|培训|培养|遴选|支持|拿出"
    r"|安排|输送|认定|组建|创建|开发|建立|推出|实现|完成|扩建)+"
)
TRAILING_WORDS = re.compile(r"(?:应当|必须|按照|应|须|要|需|按|为|是|的|约)+$")
AFTER_STOP = re.compile(r"和|及|与|以及|、|等")


@dataclass(frozen=True)
class _Quantity:
    """A number with its unit and any comparators, before years and metrics are attached."""

    start: int
    end: int
    value: Decimal
    value_max: Decimal | None
    unit: str
    comparator: str | None
    comparator_text: str | None
    time_unit: bool
    bare_one: bool


def parse_number(token: str) -> Decimal | None:
    """The value of an Arabic ("1,000", "3.5", "１０") or Chinese ("二十", "一点五") numeral."""
    token = token.replace(",", "")
    if token and token[0].isdigit():
        try:
            value: Decimal | None = Decimal(token)
        except InvalidOperation:
            return None
    else:
        value = parse_chinese_number(token)
    return value if value is not None and value < MAX_VALUE else None


def parse_chinese_number(token: str) -> Decimal | None:
    """The value of a Chinese numeral; None for digit runs that are names ("十四五", "三五")."""
    whole, _, fraction = token.partition("点")
    value = _chinese_integer(whole)
    if value is None or any(ch not in CN_DIGITS for ch in fraction):
        return None
    if fraction:
        return Decimal(f"{value}.{''.join(str(CN_DIGITS[ch]) for ch in fraction)}")
    return Decimal(value)


def _chinese_integer(token: str) -> int | None:
    """Positional reading of 一百二十, 五千, 十万; a digit straight after a digit is refused."""
    total = section = digit = 0
    previous_digit = False
    for ch in token:
        if ch in CN_DIGITS:
            if previous_digit:
                return None
            digit, previous_digit = CN_DIGITS[ch], CN_DIGITS[ch] != 0  # 零 only holds a place
            continue
        previous_digit = False
        if ch in CN_SMALL_UNITS:
            section += (digit or (1 if ch == "十" else 0)) * CN_SMALL_UNITS[ch]
        elif ch in CN_BIG_UNITS:
            if ch == "亿":
                total = (total + section + digit) * CN_BIG_UNITS[ch]
            else:
                total += (section + digit) * CN_BIG_UNITS[ch]
            section = 0
        else:
            return None
        digit = 0
    return total + section + digit if token else None


def parse_year(token: str) -> int:
    """A four-digit year written in Arabic or Chinese digits ("二〇二七")."""
    if token.isdigit():
        return int(token)
    return int("".join(str(CN_DIGITS[ch]) for ch in token))


def find_deadlines(text: str) -> list[TargetRecord]:
    """Each "到2027年" / "至2025年" / "2027年底前" in the text, as a deadline record."""
    found = []
    for match in DEADLINE.finditer(text):
        post = match.group("post") or ""
        if not match.group("pre") and "前" not in post:
            continue
        year = parse_year(match.group("year"))
        found.append(TargetRecord(
            kind="deadline", value=Decimal(year), value_max=None, unit="年", comparator=None,
            comparator_text=None, year=year, metric=None, text=match.group(0),
            start=match.start(), end=match.end(),
        ))
    return found


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    """Spans whose digits are never quantities: dates, ordinals, names, fractions."""
    return [m.span() for m in NOT_QUANTITY.finditer(text) if not m.group(0).startswith(("百分之", "千分之"))]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _read_quantity(text: str, match: re.Match[str]) -> _Quantity | None:
    """Number, range, multiplier, unit and suffix comparator read from one numeral match."""
    first, second = match.group("a"), match.group("b")
    tail = TAIL.match(text, match.end())
    unit, suffix, approx = tail.group("unit") or "", tail.group("suffix"), tail.group("approx")
    if match.group("frac"):
        unit = "%" if match.group("frac") == "百分之" else "‰"
    if not (unit or tail.group("mult") or suffix) or (approx and not tail.group("unit")):
        return None
    unit, scale = _unit_and_scale(second or first, unit, tail.group("mult"))
    low, high = parse_number(first), parse_number(second) if second else None
    if low is None or (second and high is None):
        return None
    return _Quantity(
        start=match.start(), end=tail.end() if tail.group("unit") or suffix or tail.group("mult") else match.end(),
        value=_normal(low * scale), value_max=_normal(high * scale) if high is not None else None,
        unit=unit, comparator=SUFFIX_COMPARATORS[suffix] if suffix else ("more_than" if approx else None),
        comparator_text=suffix or approx, time_unit=unit in TIME_UNITS, bare_one=first == "一" and not second,
    )


def _unit_and_scale(numeral: str, unit: str, multiplier: str | None) -> tuple[str, Decimal]:
    """Fold 万/亿 into the value (10万人次 -> x10000) except in money units (五千万元 -> 5000 万元)."""
    if unit == "％":
        return "%", Decimal(1)
    if unit == "元" and numeral[-1] in CN_BIG_UNITS and not numeral[0].isdigit():
        return numeral[-1] + "元", 1 / Decimal(CN_BIG_UNITS[numeral[-1]])
    if multiplier:
        return unit, Decimal(CN_BIG_UNITS[multiplier])
    return unit, Decimal(1)


def _normal(value: Decimal) -> Decimal:
    """Drop trailing zeros from folded values (1E+5 -> 100000) but keep integers integral."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _with_prefix(text: str, quantity: _Quantity, floor: int) -> _Quantity:
    """Attach the nearest comparator before the number, within its clause and a short gap."""
    window = text[floor:quantity.start]
    matches = list(PREFIX.finditer(window))
    if not matches:
        return quantity
    match = matches[-1]
    gap = window[match.end():]
    if GAP_BREAK.search(gap) or len(gap) > MAX_GAP or (gap and match.group(0) in ADJACENT_ONLY):
        return quantity
    word = match.group(0)
    comparator, comparator_text = PREFIX_COMPARATORS[word], word
    if quantity.comparator_text and quantity.comparator in SUFFIX_COMPARATORS.values():
        comparator_text = f"{word}…{quantity.comparator_text}"
        if comparator == "reach":
            comparator = quantity.comparator
    return replace(quantity, start=floor + match.start(), comparator=comparator, comparator_text=comparator_text)


def _merge_bounds(quantities: list[_Quantity]) -> list[_Quantity]:
    """Fold "一年以上三年以下" (two adjacent bounds) into one range."""
    merged: list[_Quantity] = []
    for quantity in quantities:
        previous = merged[-1] if merged else None
        if (previous and previous.end == quantity.start and previous.comparator_text in ("以上", "及以上")
                and quantity.comparator_text in ("以下", "及以下", "以内") and previous.value_max is None
                and previous.unit in ("", quantity.unit)):
            merged[-1] = replace(quantity, start=previous.start, value=previous.value, value_max=quantity.value,
                                 comparator=None,
                                 comparator_text=f"{previous.comparator_text}…{quantity.comparator_text}")
        else:
            merged.append(quantity)
    return merged


def _is_target(quantity: _Quantity) -> bool:
    """Counts stand alone; durations, ages, unit-less numbers and a bare "一" need a bound."""
    bounded = quantity.comparator_text is not None or quantity.value_max is not None
    if bounded:
        return True
    return bool(quantity.unit) and not quantity.time_unit and not quantity.bare_one


def _quantities(text: str, deadlines: list[TargetRecord]) -> list[_Quantity]:
    """Every target quantity in the text, comparators attached, in order."""
    blocked = _blocked_spans(text) + [(d.start, d.end) for d in deadlines]
    found: list[_Quantity] = []
    for match in QUANTITY.finditer(text):
        previous_char = text[match.start() - 1] if match.start() else ""
        if _inside(match.start("a"), blocked) or previous_char in BLOCKING_PREVIOUS:
            continue
        quantity = _read_quantity(text, match)
        if quantity is None:
            continue
        floor = max(_clause_start(text, quantity.start), found[-1].end if found else 0)
        found.append(_with_prefix(text, quantity, floor))
    return [q for q in _merge_bounds(found) if _is_target(q)]


def _clause_start(text: str, position: int) -> int:
    """Index just after the last clause boundary before ``position``."""
    for index in range(position - 1, -1, -1):
        if CLAUSE_BOUNDARY.match(text[index]):
            return index + 1
    return 0


def _clause_end(text: str, position: int) -> int:
    match = CLAUSE_BOUNDARY.search(text, position)
    return match.start() if match else len(text)


def metric_for(text: str, start: int, end: int, floor: int = 0) -> str | None:
    """What the target at ``text[start:end]`` measures (see the module docstring)."""
    before = text[max(_clause_start(text, start), floor):start]
    before = LIST_MARKER.sub("", before, count=1)
    trimmed = TRAILING_WORDS.sub("", LEADING_VERBS.sub("", before)).strip()
    if len(trimmed) >= 2:
        return trimmed
    after = text[end:_clause_end(text, end)].lstrip("的")
    after = after[:AFTER_STOP.search(after).start()] if AFTER_STOP.search(after) else after
    if len(after.strip()) >= 2:
        return after.strip()
    fallback = TRAILING_WORDS.sub("", before).strip()
    return fallback if len(fallback) >= 2 else None


def _year_for(position: int, deadlines: list[TargetRecord], inherited_year: int | None) -> int | None:
    """The nearest deadline before the position, else the first after it, else the inherited one."""
    before = [d for d in deadlines if d.end <= position]
    if before:
        return before[-1].year
    return deadlines[0].year if deadlines else inherited_year


def extract_targets(text: str, inherited_year: int | None = None) -> list[TargetRecord]:
    """Deadlines and quantified goals in one provision's own text, in text order."""
    deadlines = find_deadlines(text)
    records = list(deadlines)
    floors = sorted([d.end for d in deadlines])
    for quantity in _quantities(text, deadlines):
        floor = max([f for f in floors if f <= quantity.start], default=0)
        records.append(TargetRecord(
            kind="quantity", value=quantity.value, value_max=quantity.value_max, unit=quantity.unit,
            comparator=quantity.comparator, comparator_text=quantity.comparator_text,
            year=_year_for(quantity.start, deadlines, inherited_year),
            metric=metric_for(text, quantity.start, quantity.end, floor),
            text=text[quantity.start:quantity.end], start=quantity.start, end=quantity.end,
        ))
        floors = sorted(floors + [quantity.end])
    return sorted(records, key=lambda r: (r.start, r.end))
