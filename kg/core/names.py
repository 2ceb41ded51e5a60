"""One name normaliser, and the matching keys built on it for occupations and certificates.

Every comparison of two printed names in VETgraph goes through ``normalise_name``: NFKC (full-width
letters and digits become half-width) and no whitespace. The keys below strip what spellings of
one occupation or one certificate legitimately differ by, so both the parsers and the resolvers
agree on when two names are the same.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from kg.core.levels import CERTIFICATE_LEVEL_NAMES

_SPACE = re.compile(r"\s+")
#: Green (L) / digital (S) markers printed after an occupation name: "…S", "… L", "…（S）", "…L/S", "…LS/".
OCCUPATION_MARKERS = re.compile(r"(?<=[\u3400-\u9fff）)])\s*[（(]?\s*[LS](?:\s*[/|]?\s*[LS])?\s*/?\s*[）)]?\s*$")
_QUOTES = re.compile(r"[“”\"'‘’《》〈〉「」『』]")
_CERTIFICATE_LEVEL_SUFFIX = re.compile(rf"[（(](?:{'|'.join(map(re.escape, CERTIFICATE_LEVEL_NAMES))})[）)]$")
_ONE_PLUS_X = re.compile(r"^(?:1\+X|“?1\+X”?)")
_CERTIFICATE_SUFFIX = re.compile(r"(?:职业技能等级证书|职业技能等级|等级证书|证书)$")


def normalise_name(name: str) -> str:
    """NFKC (full-width -> half-width), no whitespace: the key that spelling variants share.

    NFKC runs again once the whitespace is gone: a combining mark after a space ("e \u0301") only
    composes then, and a key normalised twice must be the key.
    """
    key = _SPACE.sub("", unicodedata.normalize("NFKC", name))
    return key if unicodedata.is_normalized("NFKC", key) else unicodedata.normalize("NFKC", key)


def strip_occupation_markers(name: str) -> str:
    """The occupation name without its trailing L/S markers (the name itself when nothing is left)."""
    return OCCUPATION_MARKERS.sub("", name).strip() or name.strip()


def occupation_key(name: str) -> str:
    """What two spellings of one occupation name share: normalised, no L/S markers (half- or full-width)."""
    return normalise_name(strip_occupation_markers(normalise_name(name)))


def certificate_key(name: str) -> str:
    """What every spelling of one certificate shares: no quotes, 1+X, level or 职业技能等级证书."""
    key = _QUOTES.sub("", normalise_name(name))
    key = _ONE_PLUS_X.sub("", key)
    key = _CERTIFICATE_LEVEL_SUFFIX.sub("", key)
    return _CERTIFICATE_SUFFIX.sub("", key)


_UNSAFE = re.compile(r"[^\w\-.~]+", re.UNICODE)


def slugify(name: str) -> str:
    """An IRI-safe slug that keeps Chinese characters: 'A b/c' -> 'a-b-c'; 'unnamed' when nothing is left ('《》')."""
    slug = _UNSAFE.sub("-", name.strip().lower()).strip("-.")
    return (quote(slug, safe="-._~") if slug.isascii() else slug) or "unnamed"
