"""Matching keys for industry names, shared by the catalogue index and the alias table.

GB/T 4754 labels end in 业 or not (铁路运输业, 法律服务) and print lists with 、 (纺织服装、服饰业);
documents add 行业 or 产业 to either (铁路运输行业, 法律服务行业). A label's stem drops list punctuation
and one trailing 业; a term is tried as printed and without each generic ending, so all these forms
meet without any table of names.
"""

from __future__ import annotations

import re

from kg.core.names import normalise_name

#: A GB/T 4754 code as documents and the alias table write it: a 门类 letter or a 大类/中类/小类 number.
INDUSTRY_CODE = r"[A-T]|\d{2,4}"
#: Words a term may end with that only say "industry": 旅游业, 旅游行业 and 旅游产业 name one field.
GENERIC_ENDINGS = ("行业", "产业", "业")
_LIST_PUNCTUATION = re.compile(r"[、，,·]")


def _plain(name: str) -> str:
    return _LIST_PUNCTUATION.sub("", normalise_name(name))


def industry_stem(label: str) -> str:
    """A catalogue label without list punctuation and one trailing 业: 纺织服装、服饰业 -> 纺织服装服饰."""
    key = _plain(label)
    return key[:-1] if key.endswith("业") and len(key) > 1 else key


def industry_term_forms(term: str) -> list[str]:
    """A term without list punctuation, then without each generic ending it has: 旅游行业 -> 旅游行业, 旅游, 旅游行."""
    key = _plain(term)
    forms = [key] + [key[: -len(ending)] for ending in GENERIC_ENDINGS if key.endswith(ending) and len(key) > len(ending)]
    return list(dict.fromkeys(forms))
