"""The words a 专业简介 is built from: block fields, section headings and the "键：值" keys inside sections.

Headings are matched loosely (with or without #, 主要, 定位, 要求, the misspelt 职类证书举例) and may be
glued to the end of the previous line's text by PDF conversion, as may a key ("…工程技术接续普通本科专业举例：…").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ingest.profile.text import plain_math
from ingest.readers.blocks import Block, Paragraph, TableBlock
from kg.core.names import normalise_name
from kg.core.records import SourceLine

OMITTED = re.compile(r"^[（(]\s*略\s*[）)]$")
CODE = re.compile(r"^专业代码\s*[:：]?\s*(?P<value>.*)$")
VALID_CODE = re.compile(r"^\d{6}K?$")
#: The code token at the start of a 专业代码 value, in half- or full-width digits and K.
CODE_TOKEN = re.compile(r"^[0-9０-９]+[KkＫｋ]?")
#: Block fields: 专业名称 and the study length, "键 值" or "键：值"; several may share one line (a table row).
FIELDS = {"name": r"专业名称", "years": r"(?:基本)?(?:专业)?修业年限|学制"}
FIELD = re.compile(rf"(?P<key>{'|'.join(f'(?P<{k}>{p})' for k, p in FIELDS.items())})\s*[:：]?\s*")

HEADINGS = {
    "orientation": r"职业面向",
    "goal": r"培养目标(?:定位)?",
    "competencies": r"(?:主要)?专业能力(?:要求)?",
    "courses": r"(?:主要)?专业课程(?:(?:与|和|及)(?:实习实训|实训实习))?",
    "certificates": r"职业?(?:类|资格)?证书(?:举例|列举|类型)",
    "next": r"接续专业(?:举例)?",
}
#: Only the full heading names are split off when glued after text ("…的专业能力" is no heading).
GLUED_NAMES = r"职业面向|培养目标定位|主要专业能力要求|主要专业课程(?:与|和|及)(?:实习实训|实训实习)|职业?类证书举例|接续专业举例"
#: Keys of the "键：值" entries, each naming the section it belongs to.
KEYS = {
    "basic": (r"专业基础课(?:程)?", "courses"),
    "core": (r"专业核心课(?:程)?", "courses"),
    "practice": (r"实习实训|实训实习", "courses"),
    "qualification": (r"职业资格证书?", "certificates"),
    "skill": (r"职业(?:技能|技术)等级证书?", "certificates"),
    "successor": (r"[接持]续[^：:，。、；\s]{2,16}?(?:专业)*(?:举例)?", "next"),
}
_ANY_KEY = "|".join(f"(?:{pattern})\\s*[:：]" for pattern, _ in KEYS.values())
KEY = re.compile("|".join(f"(?P<{name}>{pattern})\\s*[:：]" for name, (pattern, _) in KEYS.items()))
#: The level a 接续 key states, as printed: 高职本科, 普通本科, 高职专科, 专业硕士学位授予领域 ...
SUCCESSOR_LEVEL = re.compile(r"^[接持]续(?P<level>.{2,16}?)(?:专业)*(?:举例)?\s*[:：]$")
_HEADING_NAMES = "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in HEADINGS.items())
#: A heading at the start of a line: alone, or followed by a colon, a space or a key.
HEADING_START = re.compile(rf"^(?:{_HEADING_NAMES})(?=$|\s|[:：]|{_ANY_KEY})\s*[:：]?\s*")
#: A full heading glued after other text: at the end of the line, or before a colon or a key.
HEADING_GLUED = re.compile(rf"(?<=\S)(?:{GLUED_NAMES})(?=$|[:：]|{_ANY_KEY})")
#: A 专业大类 / 专业类 heading ("46 装备制造大类", "4607 汽车制造类") or the title of the whole book.
CATEGORY = re.compile(r"^(?:\d{2}|\d{4})\s*[\u4e00-\u9fff]{1,12}类$|专业简介$")
_HEADER_KEY = re.compile(rf"^(?:专业代码|{FIELDS['name']}|{FIELDS['years']})$")
NOTE = re.compile(r"^[（(][^（()）]*[）)]$")
_MARKS = re.compile(r"^(?:[#>*|]+\s*|[-•·●]\s+)+")


def code_and_rest(value: str) -> tuple[str, str]:
    """The code token of a 专业代码 value (half-width, K upper-case), and what follows it (a 专业名称 in a table row)."""
    value = value.strip()
    token = CODE_TOKEN.match(value)
    if token is None:
        return value.split()[0] if value.split() else "", ""
    return normalise_name(token.group(0)).upper(), value[token.end():].strip()


def heading_kind(text: str) -> tuple[str, str] | None:
    """(section kind, text after the heading) when the line opens with a section heading."""
    match = HEADING_START.match(text)
    if not match:
        return None
    kind = next(k for k in HEADINGS if match.group(k))
    return kind, text[match.end():]


def key_section(name: str) -> str:
    """The section a key such as "core" belongs to."""
    return KEYS[name][1]


def clean_text(text: str) -> str:
    """A line without heading marks, bullets, Markdown emphasis and surrounding spaces."""
    text = plain_math(_MARKS.sub("", text.strip()).replace("**", ""))
    return text.strip(" \t\u3000\xa0")


def block_lines(blocks: Iterable[Block]) -> Iterator[SourceLine]:
    """Each paragraph, and each table row as its cells joined by a space, cleaned; glued headings split off."""
    for block in blocks:
        texts = [(block.text, block.line)] if isinstance(block, Paragraph) else table_texts(block)
        for text, line in texts:
            cleaned = clean_text(text)
            if cleaned:
                yield from split_glued(cleaned, line)


def table_texts(table: TableBlock) -> list[tuple[str, int]]:
    """Each row as its cells joined by a space; a header row of field names (专业代码 | 专业名称 | …) gives "键 值" lines."""
    rows = [[cell.replace("\n", "").strip() for cell in row] for row in table.rows]
    header = rows[0] if rows else []
    if len(rows) > 1 and header and all(_HEADER_KEY.match(cell) for cell in header):
        return [(f"{key} {value}", line) for row, line in zip(rows[1:], table.lines[1:])
                for key, value in zip(header, row) if value]
    return [(" ".join(cell for cell in row if cell), line) for row, line in zip(rows, table.lines)]


def split_glued(text: str, line: int) -> Iterator[SourceLine]:
    """A line with a section heading glued after its text, as two lines with the same number."""
    match = HEADING_GLUED.search(text)
    if match is None or CODE.match(text):
        yield SourceLine(text, line)
        return
    before = text[:match.start()].strip()
    if before:
        yield SourceLine(before, line)
    yield from split_glued(text[match.start():], line)
