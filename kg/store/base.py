"""The store protocol every backend implements, and the manifest records it keeps per source file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from kg.rdf import Triple


@dataclass(frozen=True)
class StoreCapabilities:
    """What a backend can do, so callers never need to know which one they hold."""

    persistent: bool
    writable: bool
    transactional: bool


@dataclass(frozen=True)
class Rejection:
    """A row or line a parser refused (or a duplicate it set aside), kept in the manifest and the report.

    ``key``, ``other_line`` and ``values`` make a duplicate machine-readable: the key both rows
    claim, the line that was kept, and the two conflicting values (kept first). ``kept`` is True
    for a note on a row that was loaded all the same (a flagged course name, a second issuer).
    """

    line: int | None
    reason: str
    key: str | None = None
    other_line: int | None = None
    values: tuple[str, ...] = ()
    kept: bool = False


@dataclass
class SourceRecord:
    """The manifest entry of one ingested source file."""

    iri: str
    path: str
    sha256: str
    kind: str
    parser_version: str
    graph: str
    ingested_at: str
    run: str
    triple_count: int = 0
    document: str | None = None
    rejections: list[Rejection] = field(default_factory=list)


class GraphStore(Protocol):
    """A quad store whose default graph, for queries, is the union of its named graphs."""

    capabilities: StoreCapabilities

    def query(self, sparql: str) -> Any:
        """Run a SPARQL 1.1 query; raises kg.errors.QueryError on a malformed query."""
        ...

    def sources(self) -> dict[str, SourceRecord]:
        """Manifest entries keyed by resolved path."""
        ...

    def commit_source(self, record: SourceRecord, triples: Iterable[Triple]) -> int:
        """Atomically replace the triples of ``record.path`` with ``triples``; returns the triple count."""
        ...

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        """Atomically replace a whole named graph (derived graphs)."""
        ...

    def record_run(self, run: str, started: str, ended: str, command: str) -> None:
        """Record an ingest run in the system graph."""
        ...

    def data_quads(self) -> Iterator[Any]:
        """Every quad outside the system graph."""
        ...
