"""Names in 职业面向: industries ("面向X等行业的…"), occupations ("…等职业") and positions ("…等岗位（群）").

"面向汽车制造等行业的整车制造人员、工程技术人员等职业，整车装调、质量检验等岗位（群）。" names one
industry, two occupations and two positions. Items before "等技术领域" are left out: no catalogue has them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.profile.records import ListedName
from ingest.profile.text import NAME_SEPARATORS, Run, split_names, trim_name

#: What closes a list: 等职业, 等岗位（群）, 等技术领域 …, before a comma, a full stop, 和/及 or the end.
MARKER = re.compile(r"(?:等\s*)?(?P<kind>职业|岗位\s*[（(]\s*群\s*[)）]|岗位群|岗位|技术领域|领域)"
                    r"(?=[，,。；;]|以及|和|及|$)")
KINDS = {"职业": "occupation", "岗位": "position"}
#: Where an industry named before the list may end: "…行业的", "…业的", "…产业，", or "…行业" glued to the list.
INDUSTRY_END = re.compile(r"(?:行业|产业|业)(?:领域)?(?:的|中|[，,])|(?P<bare>行业)")
NOT_INDUSTRY = ("职业", "专业", "企业", "就业", "作业", "创业", "毕业", "事业", "学业")
INDUSTRY_SUFFIX = re.compile(r"等(?:行业|产业)$|行业$")
LEAD = re.compile(r"^[，,；;、\s]*(?:本专业)?(?:主要)?(?P<facing>面向)?(?:以及|和|及|并|或)?\s*")
SENTENCE = re.compile(r"[^。]+。?")


def orientation_names(run: Run) -> Iterator[ListedName]:
    """The industries, occupations and positions of a 职业面向 text, sentence by sentence."""
    for sentence in SENTENCE.finditer(run.text):
        part = run.part(sentence.start(), sentence.end()).stripped()
        if part.text:
            yield from _sentence_names(part)


def _sentence_names(sentence: Run) -> Iterator[ListedName]:
    text = sentence.text
    position = 0
    for index, marker in enumerate(MARKER.finditer(text)):
        kind = KINDS.get(marker.group("kind")[:2])
        segment = sentence.part(position, marker.start())
        position = marker.end()
        lead = LEAD.match(segment.text)
        segment = segment.part(lead.end() if lead else 0)
        listed = index == 0 or bool(lead and lead.group("facing"))
        industry_end = _industry_end(segment.text, listed)
        if industry_end:
            for name, line in split_names(segment.part(0, industry_end[0])):
                term = trim_name(INDUSTRY_SUFFIX.sub("", name))
                if len(term) > 1:
                    yield ListedName("industry", term, text, line)
            segment = segment.part(industry_end[1])
        if kind is None:
            continue
        for name, line in split_names(segment):
            yield ListedName(kind, name, text, line)


def _industry_end(text: str, listed: bool) -> tuple[int, int] | None:
    """Where an industry named at the start of a list segment ends, and where the list after it starts.

    Only a segment that opens with 面向 (or the sentence's first) may name several industries
    ("面向A、B等行业的"); later in a sentence "…，装备制造业的检验试验" names one, without separators.
    """
    for match in INDUSTRY_END.finditer(text):
        head = text[:match.start() + (1 if match.group(0).startswith("业") else 2)]
        if "职业" in head or "岗位" in head or "领域" in head:
            return None
        several = bool(NAME_SEPARATORS.search(head))
        if head.endswith(NOT_INDUSTRY) or len(head) < 2 or several and (match.group("bare") or not listed):
            continue
        return len(head), match.end()
    return None
