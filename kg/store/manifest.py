"""The source manifest: one node per ingested file in the system graph, written and read back."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

from pyoxigraph import NamedNode

from kg.core import iris, terms
from kg.core.rdf import RDF_TYPE, Triple, boolean, integer, string, term, typed, vet
from kg.core.records import Rejection
from kg.store.base import SourceRecord


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_triples(record: SourceRecord) -> Iterator[Triple]:
    """The system-graph triples that describe one source file."""
    node = NamedNode(record.iri)
    yield node, RDF_TYPE, vet("SourceFile")
    yield node, RDF_TYPE, term("prov:Entity")
    yield node, vet("path"), string(record.path)
    yield node, vet("sha256"), string(record.sha256)
    yield node, vet("sourceKind"), string(record.kind)
    yield node, vet("parserVersion"), string(record.parser_version)
    yield node, vet("graph"), NamedNode(record.graph)
    yield node, vet("ingestedAt"), typed(record.ingested_at, "dateTime")
    yield node, term("prov:wasGeneratedBy"), NamedNode(record.run)
    yield node, vet("tripleCount"), integer(record.triple_count)
    yield node, vet("rejectedCount"), integer(sum(1 for r in record.rejections if not r.kept))
    if record.document:
        yield node, vet("documentNode"), NamedNode(record.document)
    for n, rejection in enumerate(record.rejections, start=1):
        item = iris.rejection(record.iri, n)
        yield node, vet("rejection"), item
        yield item, RDF_TYPE, vet("Rejection")
        if rejection.line is not None:
            yield item, vet("line"), integer(rejection.line)
        yield item, vet("reason"), string(rejection.reason)
        if rejection.kept:
            yield item, vet("rowKept"), boolean(True)


MANIFEST_QUERY = f"""
SELECT ?s ?path ?sha ?kind ?version ?graph ?at ?run ?count ?doc WHERE {{
  GRAPH <{terms.SYSTEM_GRAPH}> {{
    ?s a vet:SourceFile ; vet:path ?path ; vet:sha256 ?sha ; vet:sourceKind ?kind ;
       vet:parserVersion ?version ; vet:graph ?graph ; vet:ingestedAt ?at ;
       prov:wasGeneratedBy ?run ; vet:tripleCount ?count .
    OPTIONAL {{ ?s vet:documentNode ?doc }}
  }}
}}"""

REJECTIONS_QUERY = f"""
SELECT ?s ?line ?reason ?kept WHERE {{
  GRAPH <{terms.SYSTEM_GRAPH}> {{
    ?s vet:rejection ?r . ?r vet:reason ?reason .
    OPTIONAL {{ ?r vet:line ?line }} OPTIONAL {{ ?r vet:rowKept ?kept }}
  }}
}} ORDER BY ?s ?line"""


def source_queries(path: str) -> tuple[str, str]:
    """MANIFEST_QUERY and REJECTIONS_QUERY for the one source file at ``path``, its IRI written in.

    A writer looks up the record it replaces with these instead of reading the whole manifest, so a
    commit costs the same with ten files in the store as with ten thousand. The IRI is written into
    the patterns (not bound with VALUES, which a server may join after scanning the whole manifest).
    """
    node = f"<{iris.source(path)}>"

    def one(query: str) -> str:
        head, body = query.split("WHERE", 1)
        pattern, brace, order = body.rpartition("}")
        return (head.replace("SELECT ?s ", f"SELECT ({node} AS ?s) ") + "WHERE" + pattern.replace("?s ", node + " ")
                + brace + order.replace("?s ", ""))

    return one(MANIFEST_QUERY), one(REJECTIONS_QUERY)


def records_from_rows(rows: list[dict[str, str]], rejection_rows: list[dict[str, str]]) -> dict[str, SourceRecord]:
    """Build SourceRecords from query rows (plain string values)."""
    rejections: dict[str, list[Rejection]] = {}
    for row in rejection_rows:
        line = row.get("line")
        rejections.setdefault(row["s"], []).append(
            Rejection(int(line) if line else None, row["reason"], kept=row.get("kept") == "true"))
    records: dict[str, SourceRecord] = {}
    for row in rows:
        records[row["path"]] = SourceRecord(
            iri=row["s"], path=row["path"], sha256=row["sha"], kind=row["kind"],
            parser_version=row["version"], graph=row["graph"], ingested_at=row["at"], run=row["run"],
            triple_count=int(row["count"]), document=row.get("doc"), rejections=rejections.get(row["s"], []),
        )
    return records


def source_record(select: Callable[[str], list[dict[str, str]]], path: str) -> SourceRecord | None:
    """The manifest record of the file at ``path`` (None when it was never ingested), read with ``select``."""
    manifest, rejections = source_queries(path)
    return records_from_rows(select(manifest), select(rejections)).get(path)
