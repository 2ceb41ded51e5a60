"""What the search page reads from the store besides the hits: codes, documents' legal status, browsing by class."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.core.rdf import string
from kg.store.base import GraphStore

IN_FORCE = "https://w3id.org/vetgraph/ontology#StatusInForce"
#: Classes a person browses, in the order the page offers them.
BROWSABLE = ("Major", "Certificate", "Course", "Occupation", "Industry", "PolicyDocument", "Provision",
             "Competition", "MajorCategory", "OccupationGroup", "Institution", "CourseStandard", "TeachingStandard")


@dataclass(frozen=True)
class NodeRow:
    """One node as a list shows it."""

    iri: str
    label: str
    code: str | None = None


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in dict.fromkeys(iris))


def codes(store: GraphStore, iris: list[str]) -> dict[str, str]:
    """Node IRI -> its official code (skos:notation), for the nodes that have one."""
    if not iris:
        return {}
    rows = store.select(f"SELECT ?s (MIN(STR(?code)) AS ?c) WHERE {{ VALUES ?s {{ {_values(iris)} }} "
                        "?s skos:notation ?code } GROUP BY ?s")
    return {row["s"]: row["c"] for row in rows if "c" in row}


def document_status(store: GraphStore, iris: list[str]) -> dict[str, str]:
    """Provision or target IRI -> the legal status IRI of its document (absent when it has none)."""
    if not iris:
        return {}
    rows = store.select(f"SELECT DISTINCT ?s ?status WHERE {{ VALUES ?s {{ {_values(iris)} }} "
                        "{ ?s vet:inDocument ?d } UNION { ?s vet:statedIn/vet:inDocument ?d } "
                        "?d vet:legalStatus ?status }")
    found: dict[str, str] = {}
    for row in rows:  # a node in a document in force counts as in force
        if found.get(row["s"]) != IN_FORCE:
            found[row["s"]] = row["status"]
    return found


LABEL = ("OPTIONAL { ?s skos:prefLabel ?pref } OPTIONAL { ?s eli:title ?title } OPTIONAL { ?s ceasn:name ?named } "
         "OPTIONAL { ?s rdfs:label ?plain } BIND(COALESCE(?pref, ?title, ?named, ?plain, STR(?s)) AS ?label)")


def browse(store: GraphStore, cls: str, needle: str = "", limit: int = 50) -> tuple[list[NodeRow], int]:
    """The nodes of a vet: class whose name contains ``needle``, by code then name, and how many there are."""
    where = f"?s a vet:{cls} . {LABEL} OPTIONAL {{ ?s skos:notation ?code }}"
    if needle.strip():
        where += f" FILTER(CONTAINS(LCASE(STR(?label)), LCASE({string(needle.strip())})))"
    total = int(store.select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {where} }}")[0]["n"])
    rows = store.select(f"SELECT ?s (MIN(STR(?label)) AS ?l) (MIN(STR(?code)) AS ?c) WHERE {{ {where} }} "
                        f"GROUP BY ?s ORDER BY ?c ?l LIMIT {int(limit)}")
    return [NodeRow(row["s"], row.get("l", row["s"]), row.get("c")) for row in rows], total
