"""One structure recogniser for every format: source lines -> title, history and the provision tree."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ingest.policy.numbering import Numbering, match_numbering
from ingest.policy.records import Provision
from kg.core.records import SourceLine

_HEADING_MARK = re.compile(r"^#{1,6}[ \t\u3000]+")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_HISTORY_WORDS = re.compile(r"通过|修订|修正|批准|公布|施行|发布|印发")
_DRAFT_WORDS = re.compile(r"草案|征求意见稿|送审稿|讨论稿")
_SENTENCE_PUNCT = re.compile(r"[。，,；;：:！!？?、]")
_SPACE = re.compile(r"[ \t\u3000]+")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")

# Kinds whose heading is the whole rest of the line.
_TITLED_KINDS = {"book", "part", "chapter", "section"}
# Enumerated items inside an article own one paragraph; later paragraphs return to the article.
_ENUMERATED_KINDS = {"clause", "subclause", "point", "subpoint", "item"}
_SEGMENT = {
    "book": "book", "part": "part", "chapter": "chapter", "section": "section", "article": "article",
    "clause": "clause", "subclause": "sub", "point": "point", "subpoint": "subpoint", "item": "item",
    "heading": "part", "preamble": "preamble",
}
MAX_HEADING_CHARS = 30
MAX_ITEM_HEADING_CHARS = 40


@dataclass
class Structure:
    """What the recogniser found, before targets and mentions are attached."""

    title: str
    history: list[str]
    date: str | None
    is_draft: bool
    provisions: list[Provision]


@dataclass
class _Unit:
    kind: str
    rank: float
    number: str | None
    value: int | None
    heading: str | None
    first: int  # index into the line list
    last: int
    own: list[int] = field(default_factory=list)
    children: list["_Unit"] = field(default_factory=list)
    parent: "_Unit | None" = None


def _strip_marks(text: str) -> tuple[str, bool]:
    """Remove Markdown heading marks; say whether there were any."""
    stripped = _HEADING_MARK.sub("", text)
    return stripped.strip(" \t\u3000"), stripped != text


def _is_heading_line(text: str) -> bool:
    """A short line without sentence punctuation: an unnumbered part heading such as 总体要求."""
    return 0 < len(text) <= 20 and not _SENTENCE_PUNCT.search(text) and not text[-1:].isdigit()


def _heading(kind: str, rest: str) -> str | None:
    """The heading printed after the number, or None when the unit has only running text."""
    if not rest:
        return None
    if kind in _TITLED_KINDS:
        return _CJK_GAP.sub("", rest)
    if kind in ("article", "preamble"):
        return None
    if len(rest) <= MAX_HEADING_CHARS and not _SENTENCE_PUNCT.search(rest.rstrip("。；;")) and rest[-1] not in "。；;，,：:":
        return rest
    space = _SPACE.search(rest)
    colon = re.search(r"[：:]", rest)
    for cut in (space, colon):
        if cut and 0 < cut.start() <= MAX_HEADING_CHARS and rest[cut.end():].strip():
            return rest[: cut.start()].rstrip("。：:")
    if kind == "item":
        stop = rest.find("。")
        if 0 < stop < MAX_ITEM_HEADING_CHARS and rest[stop + 1:].strip():
            return rest[:stop]
    return None


def recognise(lines: list[SourceLine], fallback_title: str) -> Structure:
    """Split lines into title, adoption history, preamble and numbered units with their parents."""
    texts = [_strip_marks(line.text) for line in lines]
    start = 0
    title = fallback_title
    if texts and match_numbering(texts[0][0]) is None:
        title, start = texts[0][0], 1
    history: list[str] = []
    numbered = [match_numbering(text) for text, _ in texts]
    first_unit = next((i for i in range(start, len(texts)) if numbered[i] is not None), len(texts))
    while start < first_unit and _DATE.search(texts[start][0]) and _HISTORY_WORDS.search(texts[start][0]):
        history.append(texts[start][0])
        start += 1
    root = _Unit("document", 0, None, None, None, -1, len(texts) - 1)
    stack: list[_Unit] = [root]
    preamble: _Unit | None = None
    for index in range(start, len(texts)):
        text, marked = texts[index]
        numbering = numbered[index]
        if numbering is None and (marked or _is_heading_line(text)):
            numbering = _unnumbered_heading(text, numbered, index)
        if numbering is None:
            owner = stack[-1]
            if owner is root:
                if preamble is None:
                    preamble = _Unit("preamble", 0.5, None, None, None, index, index)
                    _attach(root, preamble)
                owner = preamble
            elif owner.kind in _ENUMERATED_KINDS and owner.own:
                article = next((u for u in reversed(stack) if u.kind == "article"), None)
                owner = article or owner
            owner.own.append(index)
            _extend(owner, index)
            continue
        while stack[-1] is not root and stack[-1].rank >= numbering.rank:
            stack.pop()
        unit = _Unit(numbering.kind, numbering.rank, numbering.printed, numbering.value,
                     _heading(numbering.kind, numbering.rest), index, index, own=[index])
        _attach(stack[-1], unit)
        _extend(stack[-1], index)
        stack.append(unit)
    dates = [_DATE.search(h) for h in history]
    iso = [f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" for m in dates if m]
    provisions: list[Provision] = []
    _flatten(root, texts, lines, None, provisions)
    return Structure(title=title, history=history, date=max(iso) if iso else None,
                     is_draft=bool(_DRAFT_WORDS.search(title)), provisions=provisions)


def _unnumbered_heading(text: str, numbered: list[Numbering | None], index: int) -> Numbering | None:
    """An unnumbered heading ranks just above the first numbered unit after it; none follows, no heading."""
    following = next((n for n in numbered[index + 1:] if n is not None), None)
    if following is None:
        return None
    return Numbering("heading", following.rank - 0.5, None, None, text)  # type: ignore[arg-type]


def _attach(parent: _Unit, child: _Unit) -> None:
    child.parent = parent
    parent.children.append(child)


def _extend(unit: _Unit | None, index: int) -> None:
    while unit is not None:
        unit.last = max(unit.last, index)
        unit = unit.parent


def _flatten(parent: _Unit, texts: list[tuple[str, bool]], lines: list[SourceLine],
             parent_path: str | None, out: list[Provision]) -> None:
    """Depth-first, document order: turn units into Provision records with unique paths."""
    used: set[str] = set()
    ordinals: dict[str, int] = {}
    for order, unit in enumerate(parent.children, start=1):
        segment = _SEGMENT[unit.kind]
        ordinals[segment] = ordinals.get(segment, 0) + 1
        if unit.kind == "preamble":
            name = "preamble"
        else:
            name = f"{segment}-{unit.value if unit.value is not None else ordinals[segment]}"
        base, twin = name, 2
        while name in used:
            name, twin = f"{base}~{twin}", twin + 1
        used.add(name)
        path = f"{parent_path}/{name}" if parent_path else name
        span = range(unit.first, unit.last + 1)
        offsets = dict(zip(span, _offsets(texts[i][0] for i in span)))
        out.append(Provision(
            kind=unit.kind,
            number=unit.number,
            heading=unit.heading,
            text="\n".join(texts[i][0] for i in span),
            own_segments=[(offsets[i], texts[i][0]) for i in unit.own],
            line_start=lines[unit.first].line,
            line_end=lines[unit.last].line,
            order=order,
            path=path,
            parent_path=parent_path,
        ))
        _flatten(unit, texts, lines, path, out)


def _offsets(parts: Iterable[str]) -> Iterator[int]:
    """Character offset of each part in the newline-joined text."""
    offset = 0
    for part in parts:
        yield offset
        offset += len(part) + 1
