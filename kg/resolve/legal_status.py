"""Legal status of policy versions: of documents sharing a title, the latest dated non-draft is in force."""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import NamedNode

from kg.core.rdf import Triple, in_force, term, vet
from kg.resolve.base import Resolution
from kg.store.base import GraphStore

NAME = "legal-status"


def legal_status(store: GraphStore) -> Resolution:
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
            triples += _status(doc["doc"], "StatusInForce", True)
        for old in dated[:-1]:
            triples += _status(old["doc"], "StatusSuperseded", False)
            triples.append((NamedNode(dated[-1]["doc"]), term("eli:repeals"), NamedNode(old["doc"])))
    return Resolution(NAME, triples, notes)


def _status(doc: str, status: str, is_in_force: bool) -> list[Triple]:
    node = NamedNode(doc)
    return [(node, vet("legalStatus"), vet(status)), (node, term("eli:in_force"), in_force(is_in_force))]
