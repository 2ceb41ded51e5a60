"""The level vocabularies, once: education levels of majors and standards, and certificate levels.

Education levels have a token used in IRIs and files (``voc_associate``), the Chinese name the
catalogues print and the graph stores as ``vet:level`` (高职专科), and the other spellings sources
use (高职, 高等职业教育专科, 职业本科 …). Certificate levels (初级/中级/高级) have an IRI token each.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EducationLevel:
    """One level of the 职业教育专业目录: its token, its Chinese name, the spellings that mean it."""

    token: str
    name: str
    aliases: tuple[str, ...]


EDUCATION_LEVELS: tuple[EducationLevel, ...] = (
    EducationLevel("voc_secondary", "中职", ("中等职业教育",)),
    EducationLevel("voc_associate", "高职专科", ("高职", "高等职业教育专科")),
    EducationLevel("voc_bachelor", "职教本科", ("本科", "高等职业教育本科", "职业本科", "职业教育本科", "高职本科")),
)
#: The Chinese names in catalogue order, lowest level first: 中职, 高职专科, 职教本科.
EDUCATION_LEVEL_NAMES: tuple[str, ...] = tuple(level.name for level in EDUCATION_LEVELS)
_BY_TOKEN = {level.token: level for level in EDUCATION_LEVELS}
_BY_SPELLING = {spelling: level for level in EDUCATION_LEVELS for spelling in (level.name, *level.aliases)}

#: 1+X certificate levels, lowest first, with the token each level's IRI ends with.
CERTIFICATE_LEVELS: dict[str, str] = {"初级": "junior", "中级": "intermediate", "高级": "senior"}
CERTIFICATE_LEVEL_NAMES: tuple[str, ...] = tuple(CERTIFICATE_LEVELS)


def education_level(value: str) -> EducationLevel | None:
    """'voc_secondary', '中职', '中等职业教育', '职业本科' -> the level; None when unknown."""
    value = value.strip()
    return _BY_TOKEN.get(value) or _BY_SPELLING.get(value)


def level_token(value: str) -> str | None:
    """The IRI token of a level however it is spelled ('高职' -> 'voc_associate'); None when unknown."""
    level = education_level(value)
    return level.token if level else None


def level_name(token: str) -> str:
    """The Chinese name of a level token: 'voc_bachelor' -> '职教本科'."""
    return _BY_TOKEN[token].name


def level_rank(name: str) -> int:
    """Sort key of a level's Chinese name, lowest first; unknown names sort last."""
    return EDUCATION_LEVEL_NAMES.index(name) if name in EDUCATION_LEVEL_NAMES else len(EDUCATION_LEVEL_NAMES)
