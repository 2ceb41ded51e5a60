"""The SPARQL Update texts of the store's writes, shared by every backend (an endpoint receives the same)."""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode

from kg.core import terms
from kg.core.rdf import RDF_TYPE, Triple, string, term, typed, vet
from kg.store.base import SourceRecord


def run_triples(run: str, started: str, ended: str, command: str) -> list[Triple]:
    """An ingest run as a prov:Activity in the system graph."""
    node = NamedNode(run)
    return [
        (node, RDF_TYPE, vet("IngestRun")),
        (node, RDF_TYPE, term("prov:Activity")),
        (node, term("prov:startedAtTime"), typed(started, "dateTime")),
        (node, term("prov:endedAtTime"), typed(ended, "dateTime")),
        (node, vet("command"), string(command)),
    ]


def forget_statements(record: SourceRecord, *, keep_graph: bool = False) -> list[str]:
    """Update statements that remove a source's graph and its manifest entry."""
    system = terms.SYSTEM_GRAPH
    statements = [] if keep_graph else [f"DROP SILENT GRAPH <{record.graph}>"]
    statements.append(f"DELETE WHERE {{ GRAPH <{system}> {{ <{record.iri}> vet:rejection ?r . ?r ?rp ?ro }} }}")
    statements.append(f"DELETE WHERE {{ GRAPH <{system}> {{ <{record.iri}> ?p ?o }} }}")
    return statements


def insert_data(graph: str, triples: Iterable[Triple]) -> str:
    body = "\n".join(f"{s} {p} {o} ." for s, p, o in triples)
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"
