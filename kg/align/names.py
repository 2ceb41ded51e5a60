"""Resolve a printed name to catalogue candidates: pure functions over a Catalogue and the alias tables.

Each resolver tries, in order, and answers with the first step that finds anything:
a code stated in the term ("4415", "4415 风力发电", "风力发电（4415）") -> resolved_by "code", score 1.0;
the exact label -> "name", 1.0; the normalised label -> "name", 0.95; the curated alias table ->
"alias", scored by the row's strength (exact 0.9, major 0.85, narrow 0.8, broad 0.7, minor 0.6);
then the rule of the kind -> "name", 0.9: for industries the term without 行业/产业/业 meets a label
without 业 (汽车制造 -> 汽车制造业, 法律服务行业 -> 法律服务); for certificates the certificate_key of
the term meets that of a label (老年照护职业技能等级证书（中级） -> 老年照护); for majors and 专业类 the
normalised label without a trailing 专业 (新能源汽车技术专业 -> 新能源汽车技术). Nothing found -> [].
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.align.aliases import (
    STRENGTH_SCORES,
    CertificateAliases,
    IndustryAlias,
    IndustryAliases,
)
from kg.align.catalogue import Catalogue, Certificate, Industry, Major, NameIndex, Occupation
from kg.align.keys import INDUSTRY_CODE, industry_term_forms
from kg.core.levels import EDUCATION_LEVEL_NAMES, education_level
from kg.core.names import certificate_key, normalise_name, occupation_key
from kg.errors import SettingsError

#: Scores of the steps that need no table: a stated code, the exact label, the normalised label, the kind's rule.
BY_CODE = 1.0
BY_LABEL = 1.0
BY_NORMALISED = 0.95
BY_RULE = 0.9

#: Codes as a term may state them: GB/T 4754 (a 门类 letter or 2-4 digits), 职业分类大典 (1-01-00-01),
#: and majors (6 digits, K kept).
OCCUPATION_CODE = r"\d(?:-\d{2}){0,3}"
MAJOR_CODE = r"\d{6}K?"


@dataclass(frozen=True)
class Candidate:
    """A catalogue node a term may name: how it was found, how sure (0..1), and how wide the match is
    (always "exact" except for an alias row, whose curator judged it; see kg.align.aliases)."""

    iri: str
    label: str
    code: str | None
    resolved_by: str  # code | name | alias
    score: float
    strength: str  # exact | major | minor | broad | narrow


def stated_code(term: str, pattern: str) -> tuple[str | None, str]:
    """(code, the rest of the term) when the term is a code, starts with one and a space or a colon, or
    ends with one in brackets; else (None, term). A code run into other text ("2035年") is not stated."""
    text = unicodedata.normalize("NFKC", term).strip()
    if re.fullmatch(rf"(?:{pattern})", text):
        return text, ""
    leading = re.fullmatch(rf"({pattern})(?:\s+|\s*:\s*)(.+)", text)
    if leading:
        return leading[1], leading[2].strip()
    trailing = re.fullmatch(rf"(.+?)\s*\(\s*({pattern})\s*\)", text)
    if trailing:
        return trailing[2], trailing[1].strip()
    return None, term


Entry = Industry | Occupation | Major | Certificate


def _candidates(entries: Iterable[Entry], resolved_by: str, score: float, strength: str = "exact") -> list[Candidate]:
    return [Candidate(e.iri, e.label, getattr(e, "code", None), resolved_by, score, strength) for e in entries]


def _by_names(term: str, labels: Mapping[str, Sequence[Entry]], normalised: Mapping[str, Sequence[Entry]],
              normalise: Callable[[str], str]) -> list[Candidate]:
    """The exact-label step, else the normalised-label step."""
    exact = labels.get(term.strip())
    if exact:
        return _candidates(exact, "name", BY_LABEL)
    return _candidates(normalised.get(normalise(term), ()), "name", BY_NORMALISED)


def _unique(candidates: Sequence[Candidate]) -> list[Candidate]:
    """One candidate per node, the best score first (ties keep their order)."""
    best: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: -c.score):
        best.setdefault(candidate.iri, candidate)
    return list(best.values())


# -- industries --------------------------------------------------------------------------------------

def _industry_aliases(rows: Iterable[IndustryAlias], catalogue: Catalogue) -> list[Candidate]:
    """A candidate per code of the rows that the catalogue holds, in row and code order, best strength first."""
    found = []
    for row in rows:
        for code in row.codes:
            industry = catalogue.industries.by_code.get(code)
            if industry is not None:
                found.append(Candidate(industry.iri, industry.label, code, "alias", row.score, row.strength))
    return _unique(found)


#: How a compound field joins its parts (工业机器人与智能制造, 种植和养殖, 文化、旅游).
COMPOUND = re.compile(r"[与和及、]")


def resolve_industry(term: str, catalogue: Catalogue, aliases: IndustryAliases, *, split: bool = True
                     ) -> list[Candidate]:
    """GB/T 4754 industries ``term`` names: by code, label, normalised label, alias, then 行业/产业/业 forms;
    a compound nothing resolves whole (X与Y) by its parts, each found part lying within it (broad)."""
    found = _resolve_industry_whole(term, catalogue, aliases)
    if found or not split:
        return found
    parts = [part for part in COMPOUND.split(term) if len(part.strip()) >= 2]
    if len(parts) < 2:
        return []
    seen: dict[str, Candidate] = {}
    for part in parts:
        for candidate in resolve_industry(part, catalogue, aliases, split=False):
            strength = "broad" if candidate.strength == "exact" else candidate.strength  # the part lies within
            seen.setdefault(candidate.iri, dataclasses.replace(candidate, strength=strength))
    return list(seen.values())


def _resolve_industry_whole(term: str, catalogue: Catalogue, aliases: IndustryAliases) -> list[Candidate]:
    code, term = stated_code(term, INDUSTRY_CODE)
    index = catalogue.industries
    if code is not None and code in index.by_code:
        return _candidates([index.by_code[code]], "code", BY_CODE)
    if not term.strip():
        return []
    found = _by_names(term, index.by_label, index.by_normalised, normalise_name)
    if found:
        return found
    found = _industry_aliases(aliases.lookup(term), catalogue)
    if found:
        return found
    for form in industry_term_forms(term):
        if form in index.by_key:
            return _candidates(index.by_key[form], "name", BY_RULE)
    return []


# -- certificates ------------------------------------------------------------------------------------

def resolve_certificate(term: str, catalogue: Catalogue, aliases: CertificateAliases) -> list[Candidate]:
    """1+X certificates ``term`` names: by label (full or short), normalised label, alias, then certificate_key."""
    index = catalogue.certificates
    if not term.strip():
        return []
    found = _by_names(term, index.by_label, index.by_normalised, normalise_name)
    if found:
        return found
    alias = aliases.lookup(term)
    if alias is not None:
        target = index.by_normalised.get(normalise_name(alias.full_name), ())
        if target:
            return _candidates(target, "alias", STRENGTH_SCORES["exact"])
    key = certificate_key(term)
    return _candidates(index.by_key.get(key, ()), "name", BY_RULE) if key else []


# -- occupations and majors --------------------------------------------------------------------------

def resolve_occupation(term: str, catalogue: Catalogue) -> list[Candidate]:
    """职业分类大典 细类 and groups ``term`` names: by code, exact label, then occupation_key (L/S markers off)."""
    code, term = stated_code(term, OCCUPATION_CODE)
    index = catalogue.occupations
    if code is not None and code in index.by_code:
        return _candidates([index.by_code[code]], "code", BY_CODE)
    if not term.strip():
        return []
    return _by_names(term, index.by_label, index.by_normalised, occupation_key)


def resolve_major(name: str, catalogue: Catalogue, level: str | None = None) -> list[Candidate]:
    """Majors ``name`` names (by code, exact label, normalised label, then without a trailing 专业), of one
    education level when given.

    ``level`` may be spelled any way kg.core.levels knows (中职, 高职, voc_bachelor …); an unknown one
    raises SettingsError.
    """
    return _resolve_in(name, catalogue.majors, level, MAJOR_CODE)


def resolve_major_category(name: str, categories: NameIndex[Major], level: str | None = None) -> list[Candidate]:
    """专业类 and 专业大类 ``name`` names ('电子商务类'), as resolve_major does for majors: by code, exact
    label, normalised label; one node per level holds each name (5307 高职专科, 7307 中职, 3307 职教本科)."""
    return _resolve_in(name, categories, level, r"\d{2}(?:\d{2})?")


def major_name_key(name: str) -> str:
    """A printed major name as its catalogue label would be: normalised, a trailing 专业 off ('电子商务 专业')."""
    key = normalise_name(name)
    return key.removesuffix("专业") or key


def _resolve_in(name: str, index: NameIndex[Major], level: str | None, code_pattern: str) -> list[Candidate]:
    wanted = None
    if level is not None:
        known = education_level(level)
        if known is None:
            raise SettingsError(f"unknown education level '{level}': expected one of {', '.join(EDUCATION_LEVEL_NAMES)} "
                                "or another spelling of them")
        wanted = known.name

    def keep(entries: Iterable[Major]) -> list[Major]:
        return [m for m in entries if wanted is None or m.level == wanted]

    code, name = stated_code(name, code_pattern)
    if code is not None and code in index.by_code:
        return _candidates(keep([index.by_code[code]]), "code", BY_CODE)
    if not name.strip():
        return []
    exact = keep(index.by_label.get(name.strip(), ()))
    if exact:
        return _candidates(exact, "name", BY_LABEL)
    normalised = keep(index.by_normalised.get(normalise_name(name), ()))
    if normalised:
        return _candidates(normalised, "name", BY_NORMALISED)
    return _candidates(keep(index.by_normalised.get(major_name_key(name), ())), "name", BY_RULE)


def industry_alias_problems(aliases: IndustryAliases, catalogue: Catalogue) -> list[str]:
    """'file:line: …' for each alias row that names a code the catalogue lacks, or that a label already answers."""
    problems = []
    for row in aliases.rows:
        where = f"{aliases.source}:{row.line}"
        missing = [code for code in row.codes if code not in catalogue.industries.by_code]
        if missing:
            problems.append(f"{where}: '{row.term}' names {', '.join(missing)}, not in the store's GB/T 4754")
        if _by_names(row.term, catalogue.industries.by_label, catalogue.industries.by_normalised, normalise_name):
            problems.append(f"{where}: '{row.term}' is a catalogue label already; the row is never used")
    return problems
