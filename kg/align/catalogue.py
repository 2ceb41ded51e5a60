"""The catalogues the store holds, read once with five SELECTs and indexed for name resolution.

Industries (GB/T 4754), occupations (职业分类大典 细类 and groups), majors and 1+X certificates, each
indexed by code, by exact label, by normalised label (``normalise_name``; ``occupation_key`` for
occupations, whose L/S markers are spelling noise) and by the key of its kind's rule: the stem for
industries (kg.align.keys: 铁路运输行业 meets 铁路运输业), ``certificate_key`` for certificates.
Where one label names several entries, the most specific comes first (大类 70 before 门类 K 房地产业).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from kg.align.keys import industry_stem
from kg.core.levels import CERTIFICATE_LEVEL_NAMES
from kg.core.names import certificate_key, normalise_name, occupation_key
from kg.store.base import GraphStore

INDUSTRIES = """
SELECT ?node ?code ?label ?level ?parent WHERE {
  ?node a vet:Industry ; skos:notation ?code ; skos:prefLabel ?label .
  OPTIONAL { ?node vet:industryLevel ?level }
  OPTIONAL { ?node skos:broader ?broader . ?broader skos:notation ?parent }
}"""
OCCUPATIONS = """
SELECT ?node ?type ?code ?label ?parent WHERE {
  { ?node a vet:Occupation . BIND("occupation" AS ?type) }
  UNION { ?node a vet:OccupationGroup . BIND("group" AS ?type) }
  ?node skos:notation ?code ; skos:prefLabel ?label .
  OPTIONAL { ?node skos:broader ?broader . ?broader skos:notation ?parent }
}"""
MAJORS = """
SELECT ?node ?code ?label ?level WHERE {
  ?node a vet:Major ; skos:notation ?code ; skos:prefLabel ?label .
  OPTIONAL { ?node vet:level ?level }
}"""
# Certificates the linking step itself made for names outside the catalogue are not catalogue entries.
CERTIFICATES = """
SELECT ?node ?kind ?label WHERE {
  ?node a vet:Certificate .
  FILTER NOT EXISTS { ?node vet:outsideCatalogue true }
  { ?node skos:prefLabel ?label . BIND("pref" AS ?kind) } UNION { ?node skos:altLabel ?label . BIND("alt" AS ?kind) }
}"""
CERTIFICATE_LEVELS = """
SELECT ?node ?level ?name WHERE { ?node a vet:Certificate ; vet:hasLevel ?level . ?level vet:levelName ?name }"""

INDUSTRY_LEVELS = ("门类", "大类", "中类", "小类")
def industry_depth(code: str) -> int:
    """1 for a 门类 letter, else the number of digits (大类 2, 中类 3, 小类 4)."""
    return 1 if code.isalpha() else len(code)


@dataclass(frozen=True)
class Industry:
    iri: str
    code: str
    label: str
    level: str  # 门类 | 大类 | 中类 | 小类
    parent: str | None  # the broader industry's code; None for a 门类


@dataclass(frozen=True)
class Occupation:
    iri: str
    code: str
    label: str
    is_group: bool  # a 大类/中类/小类 group rather than a 细类
    parent: str | None


@dataclass(frozen=True)
class Major:
    iri: str
    code: str
    label: str
    level: str | None  # 中职 | 高职专科 | 职教本科, as vet:level says


@dataclass(frozen=True)
class Certificate:
    iri: str
    label: str  # the full name (skos:prefLabel)
    alt_labels: tuple[str, ...]
    levels: tuple[tuple[str, str], ...] = ()  # (初级|中级|高级, the level's IRI), lowest first

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.alt_labels)

    def level(self, name: str) -> str | None:
        """The IRI of level ``name`` (初级, 中级, 高级), None when the catalogue has none."""
        return dict(self.levels).get(name)


T = TypeVar("T")


@dataclass
class NameIndex(Generic[T]):
    """Entries by code, exact label, normalised label and rule key; several entries may share a label."""

    by_code: dict[str, T] = field(default_factory=dict)
    by_label: dict[str, list[T]] = field(default_factory=dict)
    by_normalised: dict[str, list[T]] = field(default_factory=dict)
    by_key: dict[str, list[T]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[T], code: Callable[[T], str | None], labels: Callable[[T], Iterable[str]],
              normalised: Callable[[str], str], key: Callable[[str], str]) -> NameIndex[T]:
        """The index of ``entries`` in their order (the first entry of a code wins)."""
        index: NameIndex[T] = cls()
        for entry in entries:
            entry_code = code(entry)
            if entry_code:
                index.by_code.setdefault(entry_code, entry)
            for label in labels(entry):
                _add(index.by_label, label.strip(), entry)
                _add(index.by_normalised, normalised(label), entry)
                _add(index.by_key, key(label), entry)
        return index


def _add(index: dict[str, list[T]], key: str, entry: T) -> None:
    found = index.setdefault(key, [])
    if entry not in found:
        found.append(entry)


KINDS = ("industries", "occupations", "majors", "certificates")


@dataclass
class Catalogue:
    """Every catalogue the store holds, indexed; an index stays empty for a catalogue not yet ingested."""

    industries: NameIndex[Industry] = field(default_factory=NameIndex)
    occupations: NameIndex[Occupation] = field(default_factory=NameIndex)
    majors: NameIndex[Major] = field(default_factory=NameIndex)
    certificates: NameIndex[Certificate] = field(default_factory=NameIndex)

    @classmethod
    def load(cls, store: GraphStore, kinds: Iterable[str] = KINDS) -> Catalogue:
        """Read the catalogues ``kinds`` names (all four by default: five SELECT queries); the others stay empty."""
        readers = {"industries": _industries, "occupations": _occupations, "majors": _majors,
                   "certificates": _certificates}
        return cls.from_entries(**{kind: readers[kind](store) for kind in kinds})

    @classmethod
    def from_entries(cls, industries: Iterable[Industry] = (), occupations: Iterable[Occupation] = (),
                     majors: Iterable[Major] = (), certificates: Iterable[Certificate] = ()) -> Catalogue:
        """Index entries, most specific first: 小类 before 门类, 细类 before its groups."""
        return cls(
            industries=NameIndex.build(sorted(industries, key=lambda i: (-industry_depth(i.code), i.code)),
                                       lambda i: i.code, lambda i: (i.label,), normalise_name, industry_stem),
            occupations=NameIndex.build(sorted(occupations, key=lambda o: (o.is_group, -len(o.code), o.code)),
                                        lambda o: o.code, lambda o: (o.label,), occupation_key, occupation_key),
            majors=NameIndex.build(sorted(majors, key=lambda m: m.code), lambda m: m.code, lambda m: (m.label,),
                                   normalise_name, normalise_name),
            certificates=NameIndex.build(sorted(certificates, key=lambda c: c.label), lambda c: None,
                                         lambda c: c.labels, normalise_name, certificate_key),
        )


# -- reading the store: rows sorted first, so the first label of a node is always the same one --------

def _rows(store: GraphStore, query: str) -> list[dict[str, str]]:
    return sorted(store.select(query), key=lambda row: tuple(sorted(row.items())))


def _industries(store: GraphStore) -> list[Industry]:
    found: dict[str, Industry] = {}
    for row in _rows(store, INDUSTRIES):
        code = row["code"]
        level = row.get("level") or INDUSTRY_LEVELS[min(industry_depth(code), 4) - 1]
        found.setdefault(row["node"], Industry(row["node"], code, row["label"], level, row.get("parent")))
    return list(found.values())


def _occupations(store: GraphStore) -> list[Occupation]:
    found: dict[str, Occupation] = {}
    for row in _rows(store, OCCUPATIONS):
        entry = Occupation(row["node"], row["code"], row["label"], row["type"] == "group", row.get("parent"))
        found.setdefault(row["node"], entry)
    return list(found.values())


def _majors(store: GraphStore) -> list[Major]:
    found: dict[str, Major] = {}
    for row in _rows(store, MAJORS):
        found.setdefault(row["node"], Major(row["node"], row["code"], row["label"], row.get("level")))
    return list(found.values())


def _certificates(store: GraphStore) -> list[Certificate]:
    pref: dict[str, str] = {}
    alt: dict[str, list[str]] = {}
    for row in _rows(store, CERTIFICATES):
        if row["kind"] == "pref":
            pref.setdefault(row["node"], row["label"])
        else:
            alt.setdefault(row["node"], []).append(row["label"])
    levels: dict[str, dict[str, str]] = {}
    for row in _rows(store, CERTIFICATE_LEVELS):
        levels.setdefault(row["node"], {}).setdefault(row["name"], row["level"])
    certificates = []
    for node, label in pref.items():
        stated = levels.get(node, {})
        ordered = tuple((name, stated[name]) for name in CERTIFICATE_LEVEL_NAMES if name in stated)
        alternatives = tuple(dict.fromkeys(a for a in alt.get(node, ()) if a != label))
        certificates.append(Certificate(node, label, alternatives, ordered))
    return certificates
