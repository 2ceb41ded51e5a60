"""Suggested major -> industry links from the major's own words, method ``text``, status ``proposed``.

Two kinds of evidence, combined per GB/T 4754 大类 (division):

- **names in its 职业面向**: a 职业面向 names occupations and fields of work more often than
  industries ("风力发电系统运行、维护"); an industry whose name (or stem, 风力发电 for 风力发电业) or
  alias term appears there is evidence for that class. Names shorter than three characters and
  其他… residual classes are left out (they match nearly everything).
- **the whole of its texts** (name, profile, courses, occupations and their definitions, see
  kg.align.major_texts) against each division's name, description and the names and descriptions
  of the classes under it, by character-bigram TF-IDF (kg.align.tfidf); pairs common in every
  major's text (技术, 管理) are weighed down.

A division's fit is its TF-IDF cosine plus a bonus for a class named in the 职业面向 and for an
industry the profile states. The classes named in the text are suggested with their division's
fit (a deeper class a little higher, being more specific); the best divisions themselves are
suggested when nothing under them was named (``resolved_by`` ``text``), with the shared word
pieces as their evidence. Links a profile states outright are not repeated.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from kg.align.aliases import IndustryAliases, default_industry_aliases
from kg.align.alignments import Link, link_triples, merge_link
from kg.align.catalogue import Catalogue, Industry, industry_depth
from kg.align.keys import industry_stem
from kg.align.major_texts import major_texts, weighted
from kg.align.reviews import latest_decisions
from kg.align.tfidf import Idf, Vector, bigrams, shared, weighted_bigrams
from kg.core.names import normalise_name
from kg.resolve.base import Resolution
from kg.store.base import GraphStore

NAME = "text-links"
MIN_NAME = 3
RESIDUAL = "其他"
#: Score by depth of the matched class: a 小类 name in the text says more than a 大类 name.
DEPTH_SCORES = {2: 0.5, 3: 0.6, 4: 0.7}
ALIAS_FACTOR = 0.8

#: The fit of a division: TF-IDF cosine + NAMED_BONUS x the best score of a class named in the 职业面向
#: + STATED_BONUS for a stated industry under it (tuned on the bench's dev labels only).
NAMED_BONUS = 0.1
STATED_BONUS = 0.3
#: How much a pair common in the majors' own texts is weighed down (0: not at all).
BACKGROUND_DAMPING = 0.5
#: How many divisions are suggested per major, and the least fit worth suggesting.
TOP_DIVISIONS = 3
MIN_FIT = 0.05
DEPTH_STEP = 0.01
DIVISION_NAME_WEIGHT = 3

INDUSTRY_TEXTS = """
SELECT ?code ?label ?definition WHERE { ?i a vet:Industry ; skos:notation ?code ; skos:prefLabel ?label .
  OPTIONAL { ?i skos:definition ?definition } }"""
PROFILES = """
SELECT ?profile ?major ?text WHERE { ?profile a vet:MajorProfile ; vet:profileOf ?major ; vet:occupationalOrientation ?text }"""
STATED_CODES = """
SELECT ?major ?code WHERE { ?a vet:alignmentType "major-industry" ; vet:method "stated" ;
  vet:alignmentSource ?major ; vet:alignmentTarget ?industry . ?industry skos:notation ?code }"""


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
        start = plain.find(name.text)
        while start >= 0:
            end = start + len(name.text)
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                yield name
                break
            start = plain.find(name.text, start + 1)


class DivisionFit:
    """Each GB/T 4754 大类 as one TF-IDF document; a major's texts scored against all of them."""

    def __init__(self, rows: list[dict[str, str]], backgrounds: list[list[str]]) -> None:
        documents: dict[str, list[str]] = defaultdict(list)
        for row in sorted(rows, key=lambda r: r["code"]):
            code = row["code"]
            if not code.isdigit() or len(code) < 2:
                continue
            weight = DIVISION_NAME_WEIGHT if len(code) == 2 else 1
            documents[code[:2]] += bigrams(row["label"]) * weight + bigrams(row.get("definition", ""))
        self.idf = Idf(documents.values(), backgrounds, damping=BACKGROUND_DAMPING)
        self.vectors = {code: self.idf.vector(Counter(grams)) for code, grams in sorted(documents.items())}
        self.codes = list(self.vectors)
        self.columns = {gram: i for i, gram in enumerate(sorted(self.idf.weights))}
        self.matrix = np.zeros((len(self.codes), len(self.columns)), dtype=np.float32)
        for row, code in enumerate(self.codes):
            for gram, weight in self.vectors[code].items():
                self.matrix[row, self.columns[gram]] = weight

    def scores(self, parts: list[tuple[str, float]]) -> tuple[Vector, dict[str, float]]:
        """The major's vector and its cosine with every division (one small matrix product)."""
        vector = self.idf.vector(weighted_bigrams(parts))
        if not vector:
            return vector, {code: 0.0 for code in self.codes}
        columns = np.fromiter((self.columns[g] for g in vector), dtype=np.int64, count=len(vector))
        values = np.fromiter(vector.values(), dtype=np.float32, count=len(vector))
        products = self.matrix[:, columns] @ values
        return vector, {code: float(products[i]) for i, code in enumerate(self.codes)}


def text_industry_links(store: GraphStore) -> Resolution:
    """The derived graph of major -> industry suggestions from the majors' texts."""
    texts = major_texts(store)
    industries = store.select(INDUSTRY_TEXTS)
    if not texts or not industries:
        return Resolution(NAME, [])
    catalogue = Catalogue.load(store, ["industries"])
    names = industry_names(catalogue, default_industry_aliases())
    orientations: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in store.select(PROFILES):
        orientations[row["major"]].append((row["profile"], row["text"]))
    stated: dict[str, set[str]] = defaultdict(set)
    for row in store.select(STATED_CODES):
        stated[row["major"]].add(row["code"])
    fit = DivisionFit(industries, [[g for _, text in parts for g in bigrams(text)] for parts in texts.values()])
    decisions = latest_decisions(store)
    links: dict[str, Link] = {}
    for major, parts in texts.items():
        for link in _major_links(major, parts, orientations.get(major, []), stated.get(major, set()), fit,
                                 names, catalogue):
            merge_link(links, link, decisions)
    triples = [t for link in sorted(links.values(), key=lambda item: item.iri) for t in link_triples(link)]
    majors = len({link.source for link in links.values()})
    return Resolution(NAME, triples, [f"text links: {len(links)} major -> industry suggestions for {majors} majors "
                                      f"from industry names in 职业面向 and the majors' texts"])


def _major_links(major: str, parts: list[tuple[str, str]], orientations: list[tuple[str, str]], stated: set[str],
                 fit: DivisionFit, names: list[_Name], catalogue: Catalogue) -> list[Link]:
    vector, scores = fit.scores(weighted(parts))
    named: list[tuple[_Name, Industry, str]] = []
    for profile, text in orientations:
        named += [(name, industry, profile) for name in find_names(text, names) for industry in name.industries]
    bonus: dict[str, float] = defaultdict(float)
    for name, industry, _ in named:
        if industry.code[:2].isdigit():
            bonus[industry.code[:2]] = max(bonus[industry.code[:2]], NAMED_BONUS * name.score)
    for code in stated:
        if code[:2].isdigit():
            bonus[code[:2]] += STATED_BONUS
    totals = {code: score + bonus.get(code, 0.0) for code, score in scores.items()}
    links: list[Link] = []
    for name, industry, profile in named:
        if industry.code in stated:
            continue
        division = industry.code[:2]
        score = min(1.0, totals.get(division, 0.0) + DEPTH_STEP * industry_depth(industry.code))
        links.append(Link(kind="major-industry-text", source=major, target=industry.iri, method="text",
                          resolved_by=name.resolved_by, score=score, strength="minor", status="proposed",
                          label=f"职业面向「{name.text}」→ {industry.code} {industry.label}", evidence=(profile,)))
    covered = {industry.code[:2] for _, industry, _ in named} | {code[:2] for code in stated}
    evidence = tuple(sorted({profile for profile, _ in orientations}))
    best = sorted(totals, key=lambda code: (-totals[code], code))[:TOP_DIVISIONS]
    for code in best:
        division = catalogue.industries.by_code.get(code)
        if division is None or code in covered or totals[code] < MIN_FIT:
            continue
        words = "、".join(shared(vector, fit.vectors[code], top=5))
        links.append(Link(kind="major-industry-text", source=major, target=division.iri, method="text",
                          resolved_by="text", score=min(1.0, totals[code]), strength="broad", status="proposed",
                          label=f"文本相近（{words}）→ {code} {division.label}", evidence=evidence))
    return links
