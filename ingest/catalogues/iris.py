"""Deterministic IRIs for catalogue entries, built from their official codes (or normalised names)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pyoxigraph import NamedNode

from kg.terms import DATA

LEVELS = {  # source token -> (IRI token, Chinese name as the catalogue prints it)
    "voc_secondary": ("voc_secondary", "中职"),
    "voc_associate": ("voc_associate", "高职专科"),
    "voc_bachelor": ("voc_bachelor", "职教本科"),
}
LEVEL_ALIASES = {
    "中职": "voc_secondary", "中等职业教育": "voc_secondary",
    "高职": "voc_associate", "高职专科": "voc_associate", "高等职业教育专科": "voc_associate",
    "职教本科": "voc_bachelor", "本科": "voc_bachelor", "高等职业教育本科": "voc_bachelor",
}


def level_token(value: str) -> str | None:
    """'voc_secondary', '中职', '中等职业教育' -> 'voc_secondary'; None when unknown."""
    value = value.strip()
    return value if value in LEVELS else LEVEL_ALIASES.get(value)


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def normalise_name(name: str) -> str:
    """NFKC (full-width -> half-width), no whitespace: the key that spelling variants share."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def scheme(name: str) -> NamedNode:
    return NamedNode(f"{DATA}scheme/{name}")


def major(code: str) -> NamedNode:
    return NamedNode(f"{DATA}major/{code}")


def major_category(code: str) -> NamedNode:
    return NamedNode(f"{DATA}major-category/{code}")


def industry(code: str) -> NamedNode:
    return NamedNode(f"{DATA}industry/{code}")


def occupation(code: str) -> NamedNode:
    """细类 and the 大/中/小类 groups share one namespace: a code names exactly one of them."""
    return NamedNode(f"{DATA}occupation/{code}")


def certificate(name: str) -> NamedNode:
    """By the normalised full name (职业技能等级证书 suffix included)."""
    return NamedNode(f"{DATA}certificate/{_short_hash(normalise_name(name))}")


def certificate_level(certificate_iri: NamedNode, level: str) -> NamedNode:
    token = {"初级": "junior", "中级": "intermediate", "高级": "senior"}[level]
    return NamedNode(f"{certificate_iri.value}/{token}")


def organization(name: str) -> NamedNode:
    return NamedNode(f"{DATA}organization/{_short_hash(normalise_name(name))}")


def teaching_standard(level: str, code: str) -> NamedNode:
    return NamedNode(f"{DATA}teaching-standard/{level}/{code}")


def standard_course(major_code: str, name: str) -> NamedNode:
    """A course of a teaching standard: one per (major code, course name); codes are unique across levels."""
    return NamedNode(f"{DATA}course/{major_code}/{_short_hash(name)}")


def course_standard(slug: str) -> NamedNode:
    return NamedNode(f"{DATA}course-standard/{slug}")


def institution(name: str) -> NamedNode:
    return NamedNode(f"{DATA}institution/{_short_hash(normalise_name(name))}")


def competition(name: str) -> NamedNode:
    """A skills-competition event (赛项) by its normalised name."""
    return NamedNode(f"{DATA}competition/{_short_hash(normalise_name(name))}")
