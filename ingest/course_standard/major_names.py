"""Majors a course standard names without a code: '适用专业：新能源汽车技术专业', '电子商务类专业'.

The codes are what link a course to the catalogue (``fields.majors_of``); a name alone is kept as
printed, less its '专业' suffix, for the resolution step to look up, and a 专业类 is marked as one.
"""

from __future__ import annotations

import re

from ingest.course_standard.basic_info import BasicInfo
from ingest.course_standard.fields import MAJOR_CODE, MAJOR_SPLIT, major_name
from ingest.course_standard.records import MajorName

#: Words that name no particular major ('各专业', '相关专业').
GENERIC = re.compile(r"^(?:各|相关|全部|所有|全校|本|其他|等)+(?:专业)?$|^(?:专业|专业群)$")


def named_majors(info: BasicInfo | None) -> list[MajorName]:
    """The majors and 专业类 in 适用专业 printed without a code, each once, in order."""
    pair = info.pairs.get("适用专业") if info else None
    if pair is None:
        return []
    found: dict[str, MajorName] = {}
    for piece in MAJOR_SPLIT.split(pair.value):
        if MAJOR_CODE.search(piece):
            continue
        name = major_name(re.sub(r"[等及和]$", "", piece.strip()))
        if name and not GENERIC.match(name) and name not in found:
            found[name] = MajorName(name, name.endswith("类"), pair.line)
    return list(found.values())
