"""The store protocol every backend implements, and the manifest record it keeps per source file.

Callers hold a ``GraphStore`` and never learn which backend it is: they read rows of plain
strings (``select``), booleans (``ask``), serialised bytes (``construct``, ``query``), quads and
the manifest, and they check ``capabilities`` instead of the class. Query and update texts are
sent as they are, with the predeclared prefixes prepended as text (``kg.core.terms.PROLOGUE``),
so a remote SPARQL endpoint receives exactly what the embedded store evaluates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pyoxigraph import Quad

from kg.core.rdf import Triple
from kg.core.records import Rejection

#: Result formats a SELECT or ASK query can be answered in (the W3C SPARQL 1.1 results formats).
RESULTS_FORMATS = ("json", "xml", "csv", "tsv")
#: Formats a CONSTRUCT or DESCRIBE query can be answered in.
GRAPH_FORMATS = ("turtle", "ntriples", "nquads", "rdfxml", "jsonld")


@dataclass(frozen=True)
class StoreCapabilities:
    """What a backend can do, so callers never need to know which one they hold.

    ``read_only``: writes raise StoreError. ``transactional``: a commit is all-or-nothing.
    ``persistent``: what is written survives the process. ``snapshots``: ``snapshot(target)``
    writes a consistent copy that readers can open beside a live writer.
    """

    persistent: bool
    read_only: bool
    transactional: bool
    snapshots: bool


@dataclass(frozen=True)
class QueryResult:
    """A query's answer, serialised: ``kind`` is select, ask or graph; ``body`` is in ``format``."""

    kind: str
    format: str
    body: bytes


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
    """A quad store whose default graph, for queries, is the union of its named graphs.

    Every method raises kg.errors.QueryError for a malformed or refused query and
    kg.errors.StoreError when the store cannot be read or written.
    """

    capabilities: StoreCapabilities

    # -- reading ---------------------------------------------------------------------------------
    def select(self, query: str) -> list[dict[str, str]]:
        """A SELECT query as rows of plain strings (IRIs and lexical forms); unbound variables absent."""
        ...

    def ask(self, query: str) -> bool:
        """An ASK query's answer."""
        ...

    def construct(self, query: str, *, format: str = "ntriples") -> bytes:
        """A CONSTRUCT or DESCRIBE query's graph, serialised in one of GRAPH_FORMATS."""
        ...

    def query(self, query: str, *, results_format: str = "json", graph_format: str = "turtle") -> QueryResult:
        """Any query, serialised: solutions and booleans in ``results_format``, graphs in ``graph_format``."""
        ...

    def quads(self, *, graph: str | None = None, include_system: bool = False) -> Iterator[Quad]:
        """The quads of one named graph, or of every data graph (the system graph only when asked)."""
        ...

    def named_graphs(self) -> list[str]:
        """Every named graph's IRI, the system graph's included."""
        ...

    def sources(self) -> dict[str, SourceRecord]:
        """Manifest entries keyed by resolved path."""
        ...

    def __len__(self) -> int:
        """The number of quads, every graph included."""
        ...

    # -- writing ---------------------------------------------------------------------------------
    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update; all of it or nothing."""
        ...

    def commit_source(self, record: SourceRecord, triples: Iterable[Triple]) -> int:
        """Atomically replace the triples of ``record.path`` with ``triples``; returns the triple count."""
        ...

    def forget_source(self, path: str) -> bool:
        """Remove a source file's triples and manifest entry; False when it was not ingested."""
        ...

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        """Atomically replace a whole named graph (derived graphs)."""
        ...

    def record_run(self, run: str, started: str, ended: str, command: str) -> None:
        """Record an ingest run in the system graph."""
        ...

    def collect_garbage(self) -> list[str]:
        """Drop source graphs the manifest does not reference (left by a crash); returns their IRIs."""
        ...

    # -- lifecycle -------------------------------------------------------------------------------
    def snapshot(self, target: Path) -> None:
        """Write a consistent read-only copy to ``target`` (only when ``capabilities.snapshots``)."""
        ...

    def close(self) -> None:
        """Release the backend; any later use raises StoreError."""
        ...
