"""Occupation mentions of the teaching standards (职业面向) linked to the 职业分类大典 in the store.

A mention whose stated code is a 细类 refers to it (a note when the names differ). A mention whose
stated code is a 小类 refers to the 细类 under it with the same name, and the major is derived to
prepare for that 细类, with a proposed vet:Alignment as the trace. Anything else stays a mention,
unresolved, with one note naming its file, line, major, code and name: never dropped, never guessed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from pyoxigraph import NamedNode

from kg.core import iris
from kg.core.names import occupation_key
from kg.core.rdf import RDF_TYPE, Triple, string, vet
from kg.resolve.base import Resolution
from kg.store.base import GraphStore

NAME = "occupation-links"
MENTIONS = """
SELECT DISTINCT ?mention ?code ?term ?text ?standard ?line ?path WHERE {
  ?mention a vet:Mention ; vet:mentionKind "occupation" ; vet:statedCode ?code ; vet:matchedTerm ?term ;
           vet:spanText ?text ; vet:mentionedIn ?standard .
  FILTER(STRSTARTS(STR(?standard), "%s"))
  OPTIONAL { ?mention vet:line ?line }
  OPTIONAL { ?mention prov:wasDerivedFrom ?source . ?source vet:path ?path }
}""" % iris.TEACHING_STANDARDS
OCCUPATIONS = """
SELECT DISTINCT ?occupation ?code ?label ?group WHERE {
  ?occupation a vet:Occupation ; skos:notation ?code ; skos:prefLabel ?label .
  OPTIONAL { ?occupation skos:broader ?broader . ?broader a vet:OccupationGroup ; skos:notation ?group }
}"""
GROUPS = """
SELECT DISTINCT ?code ?label WHERE { ?group a vet:OccupationGroup ; skos:notation ?code ; skos:prefLabel ?label }"""


@dataclass
class Catalogue:
    """The occupation catalogue as the store holds it, as dicts keyed by code."""

    occupations: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (IRI, label)
    groups: dict[str, str] = field(default_factory=dict)  # 小类 (or any group) code -> label
    children: dict[str, dict[str, str]] = field(default_factory=dict)  # group code -> name key -> IRI

    @classmethod
    def load(cls, store: GraphStore) -> Catalogue:
        catalogue = cls(groups={row["code"]: row["label"] for row in store.select(GROUPS)})
        for row in store.select(OCCUPATIONS):
            catalogue.occupations.setdefault(row["code"], (row["occupation"], row["label"]))
            if "group" in row:
                catalogue.children.setdefault(row["group"], {}).setdefault(occupation_key(row["label"]), row["occupation"])
        return catalogue


def _major_code(row: dict[str, str]) -> str:
    """The major code of the mention's teaching standard."""
    return iris.teaching_standard_major_code(row["standard"])


def _where(row: dict[str, str]) -> str:
    place = PurePath(row["path"]).name if "path" in row else "?"
    return f"{place}:{row.get('line', '?')}: major {_major_code(row)}"


def _derived(mention: NamedNode, major: NamedNode, occupation: NamedNode) -> list[Triple]:
    """major preparesFor occupation, traced by a proposed Alignment whose evidence is the mention."""
    alignment = iris.derived_alignment(mention.value)
    return [(major, vet("preparesFor"), occupation),
            (alignment, RDF_TYPE, vet("Alignment")), (alignment, vet("alignmentSource"), major),
            (alignment, vet("alignmentTarget"), occupation), (alignment, vet("method"), string("derived")),
            (alignment, vet("evidence"), mention), (alignment, vet("reviewStatus"), string("proposed"))]


def _resolve(row: dict[str, str], catalogue: Catalogue, outcomes: Counter[str],
             notes: list[str]) -> list[Triple]:
    """The derived triples of one mention; what it could not resolve goes to ``notes``."""
    mention, major, code = NamedNode(row["mention"]), iris.major(_major_code(row)), row["code"]
    if code in catalogue.occupations:
        iri, label = catalogue.occupations[code]
        outcomes["by code"] += 1
        if occupation_key(label) != occupation_key(row["term"]):
            notes.append(f"{_where(row)}: {code} is '{label}' in the 职业分类大典 but the standard prints "
                         f"'{row['text']}'; linked by code")
        return [(mention, vet("refersTo"), NamedNode(iri))]
    if code in catalogue.groups:
        found = catalogue.children.get(code, {}).get(occupation_key(row["term"]))
        if found:
            outcomes["under their 小类"] += 1
            occupation = NamedNode(found)
            return [(mention, vet("refersTo"), occupation), *_derived(mention, major, occupation)]
        outcomes["unresolved"] += 1
        notes.append(f"{_where(row)}: no 细类 named '{row['term']}' under {code} {catalogue.groups[code]}; "
                     f"'{row['text']}' left unresolved")
        return []
    outcomes["unresolved"] += 1
    notes.append(f"{_where(row)}: occupation code {code} is not in the store's 职业分类大典; "
                 f"'{row['text']}' left unresolved")
    return []


def _first_per_mention(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """One row per mention (two files may state the same one), in file and line order."""
    rows = sorted(rows, key=lambda r: (r.get("path", ""), int(r.get("line", "0")), r["mention"]))
    first: dict[str, dict[str, str]] = {}
    for row in rows:
        first.setdefault(row["mention"], row)
    return list(first.values())


def occupation_links(store: GraphStore) -> Resolution:
    """Resolve every occupation mention of the teaching standards against the occupation catalogue."""
    mentions = store.select(MENTIONS)
    if not mentions:
        return Resolution(NAME, [])
    catalogue = Catalogue.load(store)
    if not catalogue.occupations:
        count = len({row["mention"] for row in mentions})
        return Resolution(NAME, [], [f"{count} occupation mentions of teaching standards wait for the "
                                     "occupation catalogue (职业分类大典); none resolved"])
    outcomes: Counter[str] = Counter()
    notes: list[str] = []
    triples: dict[Triple, None] = {}
    for row in _first_per_mention(mentions):
        triples.update(dict.fromkeys(_resolve(row, catalogue, outcomes, notes)))
    resolved = outcomes["by code"] + outcomes["under their 小类"]
    total = resolved + outcomes["unresolved"]
    summary = (f"occupation links: {resolved} of {total} occupation mentions resolved "
               f"({outcomes['by code']} by code, {outcomes['under their 小类']} under their 小类), "
               f"{outcomes['unresolved']} unresolved")
    return Resolution(NAME, list(triples), [summary, *notes])
