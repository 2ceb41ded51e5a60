"""The curated alias tables in kg/align/data/: loaded once, checked row by row, returned as typed records.

``industry_aliases.csv`` (term,codes,strength,note) maps a name the catalogue does not print to GB/T
4754 codes at any level, with how wide the match is. ``certificate_aliases.csv`` (term,full_name,note)
maps a short name whose certificate_key does not meet the catalogue to the certificate's full name.
A malformed table raises AliasTableError naming the file and line; nothing is guessed or skipped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.align.keys import INDUSTRY_CODE, industry_term_forms
from kg.core.names import certificate_key, normalise_name
from kg.errors import SourceError

INDUSTRY_FILE = "industry_aliases.csv"
CERTIFICATE_FILE = "certificate_aliases.csv"
INDUSTRY_HEADER = ("term", "codes", "strength", "note")
CERTIFICATE_HEADER = ("term", "full_name", "note")

#: How wide an alias is, as the curator judged the whole term against each code, and the score a
#: candidate found through it gets. exact: the same activities. narrow: the term is narrower, it lies
#: (almost) wholly within the code. broad: the term is wider, the code lies (almost) wholly within it.
#: major / minor: neither contains the other, and they share a large / a small part of the term.
STRENGTH_SCORES: dict[str, float] = {"exact": 0.9, "major": 0.85, "narrow": 0.8, "broad": 0.7, "minor": 0.6}
STRENGTHS = tuple(STRENGTH_SCORES)
#: A GB/T 4754 code at any level: 门类 letter, 大类 2 digits, 中类 3, 小类 4.
_WHOLE_INDUSTRY_CODE = re.compile(rf"^(?:{INDUSTRY_CODE})$")


class AliasTableError(SourceError):
    """A curated alias table is malformed: names the file and the line."""


@dataclass(frozen=True)
class IndustryAlias:
    """One row of the industry table: a term, the GB/T 4754 codes it means, how wide, and why."""

    term: str
    codes: tuple[str, ...]
    strength: str
    note: str
    line: int

    @property
    def score(self) -> float:
        return STRENGTH_SCORES[self.strength]


@dataclass(frozen=True)
class CertificateAlias:
    """One row of the certificate table: a short name and the catalogue's full name it stands for."""

    term: str
    full_name: str
    note: str
    line: int


@dataclass(frozen=True)
class IndustryAliases:
    """The industry rows in file order, looked up by normalised term, then by its forms without 行业/产业/业."""

    rows: tuple[IndustryAlias, ...] = ()
    source: str = INDUSTRY_FILE
    _by_key: dict[str, list[IndustryAlias]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _by_form: dict[str, list[IndustryAlias]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for row in self.rows:
            self._by_key.setdefault(normalise_name(row.term), []).append(row)
            for form in industry_term_forms(row.term):
                self._by_form.setdefault(form, []).append(row)

    def lookup(self, term: str) -> tuple[IndustryAlias, ...]:
        """The rows of ``term``: by its normalised form, else where the two agree once 行业/产业/业 is dropped."""
        found = self._by_key.get(normalise_name(term))
        if found:
            return tuple(found)
        matched = {id(row) for form in industry_term_forms(term) for row in self._by_form.get(form, ())}
        return tuple(row for row in self.rows if id(row) in matched)


@dataclass(frozen=True)
class CertificateAliases:
    """The certificate rows in file order, looked up by certificate_key of the term."""

    rows: tuple[CertificateAlias, ...] = ()
    source: str = CERTIFICATE_FILE
    _by_key: dict[str, CertificateAlias] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for row in self.rows:
            self._by_key.setdefault(certificate_key(row.term), row)

    def lookup(self, term: str) -> CertificateAlias | None:
        return self._by_key.get(certificate_key(term))


# -- reading -----------------------------------------------------------------------------------------

def _rows(text: str, source: str, header: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for every data row; the header must be exactly ``header``."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    first = next(reader, None)
    if first is None or tuple(cell.strip() for cell in first) != header:
        raise AliasTableError(source, f"header must be {','.join(header)}; found {','.join(first or [])!r}", line=1)
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise AliasTableError(source, f"expected {len(header)} columns ({','.join(header)}), found {len(cells)}",
                                  line=line)
        yield line, {name: cell.strip() for name, cell in zip(header, cells)}


def parse_industry_aliases(text: str, source: str = INDUSTRY_FILE) -> IndustryAliases:
    """The industry table's rows, checked: a term, codes that look like GB/T 4754 codes, a known strength."""
    rows: list[IndustryAlias] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in _rows(text, source, INDUSTRY_HEADER):
        if not row["term"]:
            raise AliasTableError(source, "empty term", line=line)
        codes = tuple(code.strip().upper() for code in row["codes"].split(";") if code.strip())
        if not codes:
            raise AliasTableError(source, f"empty codes for '{row['term']}'", line=line)
        for code in codes:
            if not _WHOLE_INDUSTRY_CODE.match(code):
                raise AliasTableError(source, f"bad GB/T 4754 code '{code}' for '{row['term']}': expected a letter "
                                              "A-T or 2 to 4 digits", line=line)
            pair = (normalise_name(row["term"]), code)
            if pair in seen:
                raise AliasTableError(source, f"'{row['term']}' -> {code} repeats line {seen[pair]}", line=line)
            seen[pair] = line
        if row["strength"] not in STRENGTH_SCORES:
            raise AliasTableError(source, f"unknown strength '{row['strength']}' for '{row['term']}': expected one "
                                          f"of {', '.join(STRENGTHS)}", line=line)
        rows.append(IndustryAlias(row["term"], codes, row["strength"], row["note"], line))
    return IndustryAliases(tuple(rows), source)


def parse_certificate_aliases(text: str, source: str = CERTIFICATE_FILE) -> CertificateAliases:
    """The certificate table's rows, checked: a term, a full name, no term twice."""
    rows: list[CertificateAlias] = []
    seen: dict[str, int] = {}
    for line, row in _rows(text, source, CERTIFICATE_HEADER):
        if not row["term"] or not row["full_name"]:
            raise AliasTableError(source, "empty term or full_name", line=line)
        key = certificate_key(row["term"])
        if key in seen:
            raise AliasTableError(source, f"'{row['term']}' repeats line {seen[key]}", line=line)
        seen[key] = line
        rows.append(CertificateAlias(row["term"], row["full_name"], row["note"], line))
    return CertificateAliases(tuple(rows), source)


def _read(path: Path | None, name: str) -> tuple[str, str]:
    """(text, where) of a table: ``path`` when given, else the packaged file in kg/align/data/."""
    if path is not None:
        try:
            return Path(path).read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as error:
            raise AliasTableError(path, f"cannot read the alias table: {error}") from error
    packaged = resources.files(__package__).joinpath("data", name)
    return packaged.read_text(encoding="utf-8"), str(packaged)


def load_industry_aliases(path: Path | None = None) -> IndustryAliases:
    """The industry alias table at ``path``, or the packaged one."""
    return parse_industry_aliases(*_read(path, INDUSTRY_FILE))


def load_certificate_aliases(path: Path | None = None) -> CertificateAliases:
    """The certificate alias table at ``path``, or the packaged one."""
    return parse_certificate_aliases(*_read(path, CERTIFICATE_FILE))


@lru_cache(maxsize=1)
def default_industry_aliases() -> IndustryAliases:
    """The packaged industry table, read on first use."""
    return load_industry_aliases()


@lru_cache(maxsize=1)
def default_certificate_aliases() -> CertificateAliases:
    """The packaged certificate table, read on first use."""
    return load_certificate_aliases()


def alias_codes(aliases: Iterable[IndustryAlias]) -> set[str]:
    """Every code the rows name."""
    return {code for row in aliases for code in row.codes}
