"""Suggested major -> industry links from a profile's own wording: industry names inside its 职业面向.

A 职业面向 names occupations and fields of work more often than industries ("风力发电系统运行、维护"):
an industry whose GB/T 4754 name (or stem, 风力发电 for 风力发电业) or alias term appears in that
text is suggested for the major, method ``text``, status ``proposed``. Names shorter than three
characters and 其他… residual classes are left out (they match nearly everything); deeper classes
score higher, being more specific. Links a profile states outright are not repeated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from kg.align.aliases import IndustryAliases, default_industry_aliases
from kg.align.alignments import Link, link_triples
from kg.align.catalogue import Catalogue, Industry, industry_depth
from kg.align.keys import industry_stem
from kg.align.reviews import latest_decisions
from kg.core.names import normalise_name
from kg.resolve.base import Resolution
from kg.store.base import GraphStore

NAME = "text-links"
MIN_NAME = 3
RESIDUAL = "其他"
#: Score by depth of the matched class: a 小类 name in the text says more than a 大类 name.
DEPTH_SCORES = {2: 0.5, 3: 0.6, 4: 0.7}
ALIAS_FACTOR = 0.8

PROFILES = """
SELECT ?profile ?major ?text WHERE { ?profile a vet:MajorProfile ; vet:profileOf ?major ; vet:occupationalOrientation ?text }"""
STATED = """
SELECT ?major ?industry WHERE { ?a vet:alignmentType "major-industry" ; vet:method "stated" ;
  vet:alignmentSource ?major ; vet:alignmentTarget ?industry }"""


@dataclass(frozen=True)
class _Name:
    text: str
    industries: tuple[Industry, ...]
    resolved_by: str
    score: float


def industry_names(catalogue: Catalogue, aliases: IndustryAliases) -> list[_Name]:
    """Every name worth looking for, longest first (so 风力发电 is found before 发电 would be)."""
    by_text: dict[str, _Name] = {}
    for industry in catalogue.industries.by_code.values():
        depth = industry_depth(industry.code)
        if depth < 2 or RESIDUAL in industry.label:
            continue
        for text in {normalise_name(industry.label), industry_stem(industry.label)}:
            if len(text) >= MIN_NAME and "、" not in text:
                known = by_text.get(text)
                industries = (known.industries if known else ()) + (industry,)
                by_text[text] = _Name(text, industries, "name", DEPTH_SCORES[min(depth, 4)])
    for row in aliases.rows:
        term = normalise_name(row.term)
        found = tuple(i for code in row.codes if (i := catalogue.industries.by_code.get(code)) is not None)
        if len(term) >= MIN_NAME and found and term not in by_text:
            by_text[term] = _Name(term, found, "alias", round(row.score * ALIAS_FACTOR, 4))
    return sorted(by_text.values(), key=lambda name: (-len(name.text), name.text))


def find_names(text: str, names: list[_Name]) -> Iterator[_Name]:
    """The names that occur in ``text``, a longer match hiding the shorter ones inside it."""
    plain = normalise_name(text)
    taken = [False] * len(plain)
    for name in names:
        for match in re.finditer(re.escape(name.text), plain):
            if not any(taken[match.start():match.end()]):
                taken[match.start():match.end()] = [True] * (match.end() - match.start())
                yield name
                break


def text_industry_links(store: GraphStore) -> Resolution:
    """The derived graph of major -> industry suggestions found in the profiles' 职业面向."""
    profiles = store.select(PROFILES)
    if not profiles:
        return Resolution(NAME, [])
    catalogue = Catalogue.load(store)
    names = industry_names(catalogue, default_industry_aliases())
    stated = {(row["major"], row["industry"]) for row in store.select(STATED)}
    decisions = latest_decisions(store)
    links: dict[str, Link] = {}
    for row in profiles:
        for name in find_names(row["text"], names):
            for industry in name.industries:
                link = Link(kind="major-industry-text", source=row["major"], target=industry.iri, method="text",
                            resolved_by=name.resolved_by, score=name.score, strength="minor", status="proposed",
                            label=f"职业面向「{name.text}」→ {industry.code} {industry.label}", evidence=(row["profile"],))
                if (row["major"], industry.iri) in stated or decisions.get(link.iri) == "rejected":
                    continue
                if decisions.get(link.iri) == "accepted":
                    link = replace(link, status="accepted")
                links.setdefault(link.iri, link)
    triples = [t for link in sorted(links.values(), key=lambda item: item.iri) for t in link_triples(link)]
    majors = len({link.source for link in links.values()})
    return Resolution(NAME, triples, [f"text links: {len(links)} major -> industry suggestions for {majors} majors "
                                      f"from industry names in 职业面向"])
