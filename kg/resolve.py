"""Resolution steps that run after a write, against everything the store holds; each rebuilds one derived graph."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from kg import terms
from kg.rdf import Triple, term, vet
from kg.resolve_courses import course_links
from kg.resolve_occupations import occupation_links
from kg.store.oxigraph import OxigraphStore

ELI_IN_FORCE = "http://data.europa.eu/eli/ontology#InForce-"


@dataclass
class Resolution:
    """The derived triples of one step and what it could not resolve."""

    name: str
    triples: list[Triple]
    notes: list[str] = field(default_factory=list)


def legal_status(store: OxigraphStore) -> Resolution:
    """Documents sharing a title: the latest dated non-draft is in force and repeals the earlier ones."""
    rows = store.select("""
        SELECT ?doc ?title ?date ?draft WHERE {
          ?doc a vet:PolicyDocument ; eli:title ?title .
          OPTIONAL { ?doc eli:date_document ?date }
          BIND(EXISTS { ?doc vet:legalStatus vet:StatusDraft } AS ?draft)
        }""")
    by_title: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row["draft"] != "true":
            by_title[row["title"]].append(row)
    triples: list[Triple] = []
    notes: list[str] = []
    for title, docs in sorted(by_title.items()):
        dated = sorted((d for d in docs if "date" in d), key=lambda d: d["date"])
        undated = [d for d in docs if "date" not in d]
        if len(docs) > 1 and undated:
            notes.append(f"《{title}》: {len(docs)} versions, {len(undated)} without a date; all kept in force")
            dated, undated = [], docs
        current = [dated[-1]] if dated else []
        for doc in undated + current:
            triples += _status(doc["doc"], "StatusInForce", "inForce")
        for old in dated[:-1]:
            triples += _status(old["doc"], "StatusSuperseded", "notInForce")
            triples.append((NamedNode(dated[-1]["doc"]), term("eli:repeals"), NamedNode(old["doc"])))
    return Resolution("legal-status", triples, notes)


def _status(doc: str, status: str, in_force: str) -> list[Triple]:
    node = NamedNode(doc)
    return [(node, vet("legalStatus"), vet(status)), (node, term("eli:in_force"), NamedNode(ELI_IN_FORCE + in_force))]


RESOLVERS: list[Callable[[OxigraphStore], Resolution]] = [legal_status, occupation_links, course_links]


def derived_graph(name: str) -> str:
    return f"{terms.GRAPH}derived/{name}"


def run_resolvers(store: OxigraphStore) -> list[Resolution]:
    """Run every resolver and atomically replace its derived graph."""
    results = []
    for resolver in RESOLVERS:
        resolution = resolver(store)
        store.replace_graph(derived_graph(resolution.name), resolution.triples)
        results.append(resolution)
    return results
