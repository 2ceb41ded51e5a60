"""The embedded backend: pyoxigraph on disk (or in memory), with atomic per-source replacement."""

from __future__ import annotations

import re
from contextlib import contextmanager
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pyoxigraph import (DefaultGraph, NamedNode, Quad, QueryBoolean, QueryResultsFormat, QuerySolutions, QueryTriples,
                        RdfFormat, Store, serialize)

from kg.core import iris, terms
from kg.core.faults import fault_point
from kg.core.rdf import Triple
from kg.errors import QueryError, StoreError
from kg.store.base import GRAPH_FORMATS, RESULTS_FORMATS, QueryResult, SourceRecord, StoreCapabilities
from kg.store.manifest import (MANIFEST_QUERY, REJECTIONS_QUERY, manifest_triples, records_from_rows,
                               source_record)
from kg.store.updates import forget_statements, insert_data, run_triples

SYSTEM = NamedNode(terms.SYSTEM_GRAPH)
_RESULTS = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML, "csv": QueryResultsFormat.CSV,
            "tsv": QueryResultsFormat.TSV}
_GRAPHS = {"turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES, "nquads": RdfFormat.N_QUADS,
           "rdfxml": RdfFormat.RDF_XML, "jsonld": RdfFormat.JSON_LD}
_POSITION = re.compile(r"\bat (\d+):(\d+)")


class OxigraphStore:
    """A GraphStore over pyoxigraph: in memory when ``path`` is None, else an on-disk database."""

    #: Called between staging a new graph and switching the manifest to it (tests inject crashes here).
    after_stage: Callable[[SourceRecord], None] | None = None

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        try:
            if path is None:
                self._store = Store()
            elif read_only:
                self._store = Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = Store(str(path))
        except OSError as error:
            raise StoreError(f"cannot open the store at {path}: {error}") from error
        self.path = path
        self.capabilities = StoreCapabilities(persistent=path is not None, read_only=read_only,
                                              transactional=True, snapshots=path is not None)

    def close(self) -> None:
        """Release the database (pyoxigraph closes it when the last reference goes)."""
        self._store = _Closed()  # type: ignore[assignment]
        self.capabilities = StoreCapabilities(self.capabilities.persistent, True, True, False)

    # -- reading -------------------------------------------------------------------------------
    def _evaluate(self, query: str) -> Any:
        return self._store.query(terms.with_prologue(query), use_default_graph_as_union=True)

    def select(self, query: str) -> list[dict[str, str]]:
        with _query_errors():
            solutions = self._evaluate(query)
            if not isinstance(solutions, QuerySolutions):
                raise QueryError("expected a SELECT query")
            names = [v.value for v in solutions.variables]
            return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]

    def ask(self, query: str) -> bool:
        with _query_errors():
            answer = self._evaluate(query)
            if not isinstance(answer, QueryBoolean):
                raise QueryError("expected an ASK query")
            return bool(answer)

    def construct(self, query: str, *, format: str = "ntriples") -> bytes:
        with _query_errors():
            graph = self._evaluate(query)
            if not isinstance(graph, QueryTriples):
                raise QueryError("expected a CONSTRUCT or DESCRIBE query")
            return _serialise_graph(graph, format)

    def query(self, query: str, *, results_format: str = "json", graph_format: str = "turtle") -> QueryResult:
        with _query_errors():  # results are computed lazily: errors may come while serialising
            results = self._evaluate(query)
            if isinstance(results, QueryTriples):
                return QueryResult("graph", graph_format, _serialise_graph(results, graph_format))
            kind = "ask" if isinstance(results, QueryBoolean) else "select"
            return QueryResult(kind, results_format,
                               results.serialize(format=_format(_RESULTS, results_format, RESULTS_FORMATS)))

    def sources(self) -> dict[str, SourceRecord]:
        return records_from_rows(self.select(MANIFEST_QUERY), self.select(REJECTIONS_QUERY))

    def quads(self, *, graph: str | None = None, include_system: bool = False) -> Iterator[Quad]:
        if graph is not None:
            yield from self._store.quads_for_pattern(None, None, None, NamedNode(graph))
            return
        for quad in self._store.quads_for_pattern(None, None, None, None):
            if isinstance(quad.graph_name, DefaultGraph):
                continue
            if include_system or quad.graph_name != SYSTEM:
                yield quad

    def named_graphs(self) -> list[str]:
        return [g.value for g in self._store.named_graphs() if isinstance(g, NamedNode)]

    def __len__(self) -> int:
        return len(self._store)

    # -- writing -------------------------------------------------------------------------------
    def update(self, update: str) -> None:
        self._require_writable()
        try:
            self._store.update(terms.with_prologue(update))
        except (SyntaxError, OSError, ValueError) as error:
            raise StoreError(f"store update failed, nothing was changed: {_one_line(error)}") from error

    def commit_source(self, record: SourceRecord, triples: Iterable[Triple]) -> int:
        """Stage the new version in its own graph (one transaction), then switch the manifest (another).

        A failure while staging writes nothing; a crash between the two leaves an unreferenced graph
        that ``collect_garbage`` drops at the next writer open, so readers never see half a file.
        """
        graph = NamedNode(record.graph)
        counter = _Counter()
        self._require_writable()
        try:
            self._store.extend(Quad(s, p, o, graph) for s, p, o in counter.count(triples))
        except OSError as error:
            raise StoreError(f"{record.path}: writing failed, nothing was stored: {error}") from error
        record.triple_count = counter.value
        fault_point("ingest.staged")
        if OxigraphStore.after_stage is not None:
            OxigraphStore.after_stage(record)
        old = source_record(self.select, record.path)
        statements = []
        if old is not None:
            statements += forget_statements(old, keep_graph=old.graph == record.graph)
        statements.append(insert_data(terms.SYSTEM_GRAPH, manifest_triples(record)))
        self.update(" ;\n".join(statements))
        return counter.value

    def forget_source(self, path: str) -> bool:
        self._require_writable()
        old = source_record(self.select, path)
        if old is None:
            return False
        self.update(" ;\n".join(forget_statements(old)))
        return True

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        counter = _Counter()
        body = insert_data(graph, counter.count(triples))
        self.update(f"DROP SILENT GRAPH <{graph}> ;\n{body}")
        return counter.value

    def record_run(self, run: str, started: str, ended: str, command: str) -> None:
        self.update(insert_data(terms.SYSTEM_GRAPH, run_triples(run, started, ended, command)))

    def collect_garbage(self) -> list[str]:
        live = {record.graph for record in self.sources().values()}
        orphans = [g for g in self.named_graphs() if g.startswith(iris.SOURCE_GRAPHS) and g not in live]
        if orphans:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in orphans))
        return orphans

    # -- lifecycle -------------------------------------------------------------------------------
    def snapshot(self, target: Path) -> None:
        """A consistent copy (hard links where possible) that readers open read-only."""
        if not self.capabilities.snapshots:
            raise StoreError("this store cannot write snapshots (it is in memory or closed)")
        self._store.flush()
        self._store.backup(str(target))

    def _require_writable(self) -> None:
        if self.capabilities.read_only:
            raise StoreError("this store was opened read-only; writes go through `vetgraph ingest`")


class _Closed:
    """Stands in for a closed database: every use says so."""

    def __getattr__(self, name: str) -> Any:
        raise StoreError("the store was closed (the writer finished); open a reader with Home.open_reader()")

    def __len__(self) -> int:
        raise StoreError("the store was closed (the writer finished); open a reader with Home.open_reader()")


class _Counter:
    """Counts triples as they stream past."""

    def __init__(self) -> None:
        self.value = 0

    def count(self, triples: Iterable[Triple]) -> Iterator[Triple]:
        for triple in triples:
            self.value += 1
            yield triple


def _format(known: dict[str, Any], name: str, names: tuple[str, ...]) -> Any:
    if name not in known:
        raise QueryError(f"unknown result format '{name}'; known: {', '.join(names)}")
    return known[name]


def _serialise_graph(triples: QueryTriples, graph_format: str) -> bytes:
    """A CONSTRUCT's triples in ``graph_format``; Turtle with the predeclared prefixes, for people."""
    rdf_format = _format(_GRAPHS, graph_format, GRAPH_FORMATS)
    prefixes = terms.PREFIXES if graph_format == "turtle" else None
    return serialize(triples, format=rdf_format, prefixes=prefixes)


@contextmanager
def _query_errors() -> Iterator[None]:
    """Any failure of a query, while parsing, evaluating or reading its results, as one QueryError line."""
    try:
        yield
    except SyntaxError as error:
        raise QueryError(f"SPARQL syntax error: {_one_line(error)}") from error
    except (OSError, ValueError, TypeError, RuntimeError) as error:
        raise QueryError(f"SPARQL query failed: {_one_line(error)}") from error


#: A parser message lists every character class it expected; past this many characters the rest is cut.
MESSAGE_LIMIT = 200


def _one_line(error: BaseException) -> str:
    """The store's message on one line, positions counted in the user's text, cut at MESSAGE_LIMIT."""
    text = " ".join(_user_position(str(error)).split())
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT].rstrip() + " …"


def _user_position(message: str) -> str:
    """A parser message with its line number counted in the user's text, not in the prologue's."""
    return _POSITION.sub(lambda m: f"at {max(1, int(m.group(1)) - terms.PROLOGUE_LINES)}:{m.group(2)}", message)
