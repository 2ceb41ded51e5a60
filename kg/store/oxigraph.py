"""The embedded store: pyoxigraph on disk (or in memory for tests), with atomic per-source replacement."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pyoxigraph import DefaultGraph, NamedNode, Quad, QuerySolutions, Store

from kg import terms
from kg.errors import QueryError, StoreError
from kg.rdf import Triple
from kg.store.base import SourceRecord, StoreCapabilities
from kg.store.manifest import MANIFEST_QUERY, REJECTIONS_QUERY, manifest_triples, records_from_rows

SOURCE_GRAPHS = terms.GRAPH + "source/"
SYSTEM = NamedNode(terms.SYSTEM_GRAPH)


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
        self.capabilities = StoreCapabilities(persistent=path is not None, writable=not read_only,
                                              transactional=True)

    def close(self) -> None:
        """Release the database (pyoxigraph closes it when the last reference goes)."""
        self._store = _Closed()  # type: ignore[assignment]
        self.capabilities = StoreCapabilities(self.capabilities.persistent, False, True)

    # -- reading -------------------------------------------------------------------------------
    def query(self, sparql: str) -> Any:
        try:
            return self._store.query(sparql, use_default_graph_as_union=True, prefixes=terms.PREFIXES)
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {error}") from error
        except (OSError, ValueError, TypeError) as error:
            raise QueryError(f"SPARQL query failed: {error}") from error

    def select(self, sparql: str) -> list[dict[str, str]]:
        """A SELECT query as rows of plain strings (unbound variables absent)."""
        solutions = self.query(sparql)
        if not isinstance(solutions, QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in solutions.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]

    def sources(self) -> dict[str, SourceRecord]:
        return records_from_rows(self.select(MANIFEST_QUERY), self.select(REJECTIONS_QUERY))

    def data_quads(self) -> Iterator[Quad]:
        for quad in self._store.quads_for_pattern(None, None, None, None):
            if quad.graph_name != SYSTEM and not isinstance(quad.graph_name, DefaultGraph):
                yield quad

    def all_quads(self) -> Iterator[Quad]:
        """Every quad, the system graph's included (for a full N-Quads export)."""
        return self._store.quads_for_pattern(None, None, None, None)

    def named_graphs(self) -> list[str]:
        return [g.value for g in self._store.named_graphs() if isinstance(g, NamedNode)]

    def __len__(self) -> int:
        return len(self._store)

    # -- writing -------------------------------------------------------------------------------
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
        if OxigraphStore.after_stage is not None:
            OxigraphStore.after_stage(record)
        old = self.sources().get(record.path)
        update = []
        if old is not None:
            update += _forget(old, keep_graph=old.graph == record.graph)
        update.append(_insert_data(terms.SYSTEM_GRAPH, manifest_triples(record)))
        self._update(" ;\n".join(update))
        return counter.value

    def forget_source(self, path: str) -> bool:
        """Remove a source file's triples and manifest entry; False when it was not ingested."""
        old = self.sources().get(path)
        if old is None:
            return False
        self._update(" ;\n".join(_forget(old)))
        return True

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        counter = _Counter()
        body = _insert_data(graph, counter.count(triples))
        self._update(f"DROP SILENT GRAPH <{graph}> ;\n{body}")
        return counter.value

    def record_run(self, run: str, started: str, ended: str, command: str) -> None:
        from kg.rdf import RDF_TYPE, string, term, typed, vet

        node = NamedNode(run)
        triples = [
            (node, RDF_TYPE, vet("IngestRun")),
            (node, RDF_TYPE, term("prov:Activity")),
            (node, term("prov:startedAtTime"), typed(started, "dateTime")),
            (node, term("prov:endedAtTime"), typed(ended, "dateTime")),
            (node, vet("command"), string(command)),
        ]
        self._update(_insert_data(terms.SYSTEM_GRAPH, triples))

    def collect_garbage(self) -> list[str]:
        """Drop source graphs the manifest does not reference (left by a crash between stage and switch)."""
        live = {record.graph for record in self.sources().values()}
        orphans = [g for g in self.named_graphs() if g.startswith(SOURCE_GRAPHS) and g not in live]
        if orphans:
            self._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in orphans))
        return orphans

    def backup(self, target: Path) -> None:
        """A consistent copy (hard links where possible) that readers open read-only."""
        self._store.flush()
        self._store.backup(str(target))

    def _update(self, update: str) -> None:
        self._require_writable()
        try:
            self._store.update(update)
        except (SyntaxError, OSError, ValueError) as error:
            raise StoreError(f"store update failed, nothing was changed: {error}") from error

    def _require_writable(self) -> None:
        if not self.capabilities.writable:
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


def _forget(record: SourceRecord, *, keep_graph: bool = False) -> list[str]:
    """Update statements that remove a source's graph and its manifest entry."""
    system = terms.SYSTEM_GRAPH
    statements = [] if keep_graph else [f"DROP SILENT GRAPH <{record.graph}>"]
    statements.append(f"DELETE WHERE {{ GRAPH <{system}> {{ <{record.iri}> <{terms.VET}rejection> ?r . ?r ?rp ?ro }} }}")
    statements.append(f"DELETE WHERE {{ GRAPH <{system}> {{ <{record.iri}> ?p ?o }} }}")
    return statements


def _insert_data(graph: str, triples: Iterable[Triple]) -> str:
    body = "\n".join(f"{s} {p} {o} ." for s, p, o in triples)
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"
