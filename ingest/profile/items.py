"""The contents of one section: numbered competencies, and "键：值" entries split into named items."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.profile.records import Competency, CourseEntry, ListedName
from ingest.profile.sections import KEY, SUCCESSOR_LEVEL
from ingest.profile.text import Run, split_names, squeeze_cjk
from kg.core.records import SourceLine

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
#: "1. ", "1．", "1、", "1)", "（1）", "(1)", "①", and "7 具有…" (a PDF that lost the dot).
NUMBER = re.compile(rf"^(?:(?P<n>\d{{1,2}})\s*[.．、)）]|[（(]\s*(?P<p>\d{{1,2}})\s*[)）]|(?P<c>[{CIRCLED}])"
                    rf"|(?P<s>\d{{1,2}})(?=\s+[^\d\s.．、]))\s*")
LIST_PUNCTUATION = "；;，,、。. \u3000"
NONE_STATED = re.compile(r"^[（(]?(?:暂无|无|暂缺|略)[）)]?[。.；;]?$")
CERTIFICATE_KINDS = {"qualification": "qualification", "skill": "skill-certificate"}


@dataclass(frozen=True)
class Entry:
    """One "键：值" entry of a section: the key's name, the key as printed, its value with lines."""

    name: str  # basic | core | practice | qualification | skill | successor
    key: str
    value: Run
    text: str  # the whole entry, key included, as printed


def competencies(lines: list[SourceLine]) -> list[Competency]:
    """Numbered items in order; a line without a number continues the item above it."""
    items: list[tuple[str | None, list[tuple[str, int]]]] = []
    for line in lines:
        match = NUMBER.match(line.text)
        if match or not items:
            number = match.group(0).strip() if match else None
            items.append((number, [(line.text[match.end():] if match else line.text, line.line)]))
        else:
            items[-1][1].append((line.text, line.line))
    found = []
    for number, pieces in items:
        text = Run.join(pieces).text.strip().rstrip(LIST_PUNCTUATION)
        if text:
            found.append(Competency(order=len(found) + 1, number=number, text=text, line=pieces[0][1]))
    return found


def entries(run: Run) -> tuple[list[Entry], Run]:
    """The "键：值" entries of a section's joined text (several per line, glued or not), and the text before the first."""
    matches = list(KEY.finditer(run.text))
    found = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(run.text)
        name = next(name for name, value in match.groupdict().items() if value)
        value = run.part(match.end(), end).stripped(" \t\u3000")
        found.append(Entry(name, match.group(0), value, run.text[match.start():end].strip()))
    lead = run.part(0, matches[0].start() if matches else len(run.text)).stripped(" \t\u3000")
    return found, lead


def join_lines(lines: list[SourceLine]) -> Run:
    """A section's lines as one text; a wrapped line closes up with the line above it."""
    return Run.join((line.text, line.line) for line in lines)


def courses(entry: Entry) -> Iterator[CourseEntry]:
    """The courses of a 课程 entry, PDF spaces next to Chinese removed so they name the standard's course."""
    for name, line in split_names(entry.value):
        yield CourseEntry(kind=entry.name, name=squeeze_cjk(name), line=line)


def certificates(entry: Entry) -> Iterator[ListedName]:
    """The certificates of a 职业资格证书 / 职业技能等级证书 entry; 暂无 or 无 names none."""
    if NONE_STATED.match(entry.value.text):
        return
    for name, line in split_names(entry.value):
        if not NONE_STATED.match(name):
            yield ListedName(CERTIFICATE_KINDS[entry.name], name, entry.text, line)


def successors(entry: Entry) -> Iterator[ListedName]:
    """The majors of a 接续…专业举例 entry, with the level the key states."""
    match = SUCCESSOR_LEVEL.match(entry.key)
    levels = (match.group("level"),) if match else ()
    if NONE_STATED.match(entry.value.text):
        return
    for name, line in split_names(entry.value):
        yield ListedName("next-major", name, entry.text, line, levels)
