"""What the entity page shows of one node: its classes and name, its properties, and where it was read from.

Pure functions over a GraphStore (no Streamlit), each a query or two; the page caches them per snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.core import terms
from kg.store.base import GraphStore

VET = terms.VET
RDF_TYPE = terms.RDF + "type"
DERIVED_FROM = terms.PROV + "wasDerivedFrom"
#: Shown first, in this order; the other properties follow by name.
FIRST = [terms.SKOS + "prefLabel", terms.ELI + "title", terms.CEASN + "name", terms.SKOS + "notation",
         terms.ELI + "number", VET + "heading", VET + "level", VET + "legalStatus", terms.RDFS + "label"]
#: Shown elsewhere on the page (class badges, provenance).
HIDDEN = {RDF_TYPE, DERIVED_FROM, VET + "line", VET + "lineStart", VET + "lineEnd"}
#: Classes that say less than the node's vet: class, for picking the one class a node is shown as.
GENERIC = ("skos:Concept", "prov:Entity", "eli:LegalResourceSubdivision", "eli:LegalResource", "Organization",
           "ceasn:Competency", "ceasn:CompetencyFramework")
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".csv", ".jsonl", ".json", ".html", ".htm", ".tsv")
MAX_SOURCE_LINES = 40
LABEL_BIND = ("OPTIONAL { ?n vet:levelName ?level } OPTIONAL { ?n skos:prefLabel ?pref } "
              "OPTIONAL { ?n eli:title ?title } OPTIONAL { ?n ceasn:name ?named } OPTIONAL { ?n rdfs:label ?plain } "
              "BIND(COALESCE(?pref, ?title, ?named, ?level, ?plain) AS ?label)")


@dataclass(frozen=True)
class Node:
    """A node as a link shows it: its name and the one class it is shown as."""

    iri: str
    label: str
    cls: str  # vet: local name, or a prefixed name (skos:Concept); "" when the node has no class


@dataclass
class Summary:
    """The page's head: name, classes (the most specific first), code."""

    iri: str
    label: str
    classes: list[str]
    code: str | None = None

    @property
    def cls(self) -> str:
        return self.classes[0] if self.classes else ""


@dataclass(frozen=True)
class Value:
    """One value of a property: a literal's text (and language), or a node."""

    text: str
    iri: str | None = None
    cls: str = ""
    language: str = ""


@dataclass
class Property:
    predicate: str
    values: list[Value] = field(default_factory=list)


@dataclass(frozen=True)
class SourcePlace:
    """Where a node was read from: file, line span, the manifest's kind and ingest time."""

    path: str
    line_start: int | None
    line_end: int | None
    kind: str = ""
    ingested_at: str = ""

    @property
    def lines(self) -> str:
        if self.line_start is None:
            return ""
        end = self.line_end or self.line_start
        return f"{self.line_start}" if end == self.line_start else f"{self.line_start}-{end}"


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in dict.fromkeys(iris))


def pick_class(classes: Iterable[str]) -> str:
    """The most telling class of a node: a vet: class before a generic one (skos:Concept, prov:Entity …)."""
    ordered = sorted(set(classes), key=lambda c: (c in GENERIC, ":" in c, c))
    return ordered[0] if ordered else ""


def nodes(store: GraphStore, iris: Iterable[str]) -> dict[str, Node]:
    """Names and classes of many nodes in one query; a node without a name is named by its IRI."""
    wanted = [iri for iri in dict.fromkeys(iris) if iri]
    if not wanted:
        return {}
    rows = store.select(f"SELECT ?n ?label ?class WHERE {{ VALUES ?n {{ {_values(wanted)} }} "
                        f"OPTIONAL {{ ?n a ?class }} {LABEL_BIND} }}")
    labels: dict[str, str] = {}
    classes: dict[str, set[str]] = {}
    for row in rows:
        if "label" in row and (row["n"] not in labels or len(row["label"]) < len(labels[row["n"]])):
            labels[row["n"]] = row["label"]
        if "class" in row:
            classes.setdefault(row["n"], set()).add(terms.prefixed(row["class"]))
    return {iri: Node(iri, labels.get(iri, iri), pick_class(classes.get(iri, ()))) for iri in wanted}


def summary(store: GraphStore, iri: str) -> Summary | None:
    """The node's name, classes and code; None when the store says nothing about it."""
    if not store.ask(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}"):
        return None
    rows = store.select(f"SELECT ?class ?code WHERE {{ OPTIONAL {{ <{iri}> a ?class }} "
                        f"OPTIONAL {{ <{iri}> skos:notation ?code }} }}")
    classes = {terms.prefixed(row["class"]) for row in rows if "class" in row}
    codes = sorted(row["code"] for row in rows if "code" in row)
    ordered = sorted(classes, key=lambda c: (c in GENERIC, ":" in c, c))
    return Summary(iri, nodes(store, [iri])[iri].label, ordered, codes[0] if codes else None)


def properties(store: GraphStore, iri: str, limit: int = 200) -> list[Property]:
    """The node's own statements (rdf:type and provenance aside), grouped by property, node values named."""
    rows = store.select(f"SELECT DISTINCT ?p ?o ?isIri ?lang WHERE {{ <{iri}> ?p ?o . "
                        f"BIND(isIRI(?o) AS ?isIri) BIND(LANG(?o) AS ?lang) }} LIMIT {int(limit) * 4}")
    rows = [row for row in rows if row["p"] not in HIDDEN]
    named = nodes(store, [row["o"] for row in rows if row.get("isIri") == "true"])
    grouped: dict[str, Property] = {}
    for row in rows:
        is_node = row.get("isIri") == "true"
        node = named.get(row["o"]) if is_node else None
        value = (Value(node.label, node.iri, node.cls) if node is not None else
                 Value(row["o"], row["o"] if is_node else None, language=row.get("lang", "")))
        grouped.setdefault(row["p"], Property(row["p"])).values.append(value)
    for prop in grouped.values():
        prop.values.sort(key=lambda v: (v.language not in ("", "zh"), v.text))
    order = {p: i for i, p in enumerate(FIRST)}
    return sorted(grouped.values(), key=lambda p: (order.get(p.predicate, len(order)), p.predicate))


PROVENANCE = f"""
SELECT DISTINCT ?path ?line ?start ?end WHERE {{
  {{ GRAPH ?g {{ <{{iri}}> prov:wasDerivedFrom ?source }} }}
  UNION {{ <{{iri}}> vet:statedIn|vet:mentionedIn ?via . GRAPH ?g {{ ?via prov:wasDerivedFrom ?source }} }}
  GRAPH <{terms.SYSTEM_GRAPH}> {{ ?source vet:path ?path }}
  OPTIONAL {{ GRAPH ?g {{ <{{iri}}> vet:line ?line }} }}
  OPTIONAL {{ GRAPH ?g {{ <{{iri}}> vet:lineStart ?ownStart ; vet:lineEnd ?ownEnd }} }}
  OPTIONAL {{ GRAPH ?g {{ <{{iri}}> vet:statedIn|vet:mentionedIn ?place . ?place vet:lineStart ?viaStart ;
                                    vet:lineEnd ?viaEnd }} }}
  BIND(COALESCE(?line, ?ownStart, ?viaStart) AS ?start)
  BIND(COALESCE(?line, ?ownEnd, ?viaEnd) AS ?end)
}} ORDER BY ?path ?start"""


def provenance(store: GraphStore, iri: str) -> list[SourcePlace]:
    """Every file the node was read from, with its line (a catalogue row) or line span (a provision)."""
    rows = store.select(PROVENANCE.replace("{iri}", iri))
    manifest = store.sources()
    places: list[SourcePlace] = []
    for row in rows:
        record = manifest.get(row["path"])
        start, end = row.get("start"), row.get("end")
        place = SourcePlace(row["path"], int(start) if start else None, int(end) if end else None,
                            record.kind if record else "", record.ingested_at if record else "")
        if place not in places:
            places.append(place)
    return places


def source_lines(place: SourcePlace) -> tuple[list[tuple[int, str]], str]:
    """The node's lines of its source file, numbered, or no lines and why they cannot be shown."""
    path = Path(place.path)
    if place.line_start is None:
        return [], "no line recorded"
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return [], f"{path.suffix} is not a text file"
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            end = min(place.line_end or place.line_start, place.line_start + MAX_SOURCE_LINES - 1)
            lines = [(n, line.rstrip("\n")) for n, line in enumerate(handle, start=1) if place.line_start <= n <= end]
    except OSError as error:
        return [], f"cannot read {path.name}: {error.strerror or error}"
    return (lines, "") if lines else ([], f"{path.name} has no line {place.line_start}")
