"""The remote backend: a SPARQL 1.1 server (Oxigraph's, Virtuoso) through Query, Update and the Graph Store Protocol.

Writes of whole graphs go through the Graph Store Protocol, one PUT of N-Triples per named graph
(never one INSERT per triple); the manifest is the same system graph as in the embedded store, so
per-source replacement works alike: stage the new version in its own graph, then switch the
manifest with one update. Answers are asked of the server in one format (SPARQL JSON results,
N-Triples or Turtle) and re-serialised here, so every server answers every format the same way.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pyoxigraph import (NamedNode, Quad, QueryResultsFormat, QuerySolutions, RdfFormat, parse,
                        parse_query_results, serialize)

from kg.core import iris, terms
from kg.core.rdf import Triple
from kg.errors import QueryError, StoreError
from kg.store.base import GRAPH_FORMATS, RESULTS_FORMATS, QueryResult, SourceRecord, StoreCapabilities
from kg.store.http import Client, ServerError
from kg.store.manifest import (MANIFEST_QUERY, REJECTIONS_QUERY, manifest_triples, records_from_rows,
                               source_record)
from kg.store.settings import RemoteSettings
from kg.store.updates import forget_statements, insert_data, run_triples

JSON_RESULTS = "application/sparql-results+json"
_BOOLEAN = f"{terms.XSD}boolean"
_RESULTS = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML, "csv": QueryResultsFormat.CSV,
            "tsv": QueryResultsFormat.TSV}
_GRAPHS = {"turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES, "nquads": RdfFormat.N_QUADS,
           "rdfxml": RdfFormat.RDF_XML, "jsonld": RdfFormat.JSON_LD}
#: The declarations and comments before a query's form, and the form itself.
_FORM = re.compile(r"^(?:\s+|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
                   re.IGNORECASE)
_DECLARED = re.compile(r"PREFIX\s+([^\s:]*):", re.IGNORECASE)
_POSITION = re.compile(r"\b(at |line )(\d+)")
#: Graph bodies up to this size stay in memory before a PUT; larger ones spill to a temporary file.
SPOOL_BYTES = 64 << 20


class RemoteStore:
    """A GraphStore over a SPARQL 1.1 server; no snapshots: readers rely on the server's isolation."""

    #: Called between staging a new graph and switching the manifest to it (tests inject crashes here).
    after_stage: Callable[[SourceRecord], None] | None = None

    def __init__(self, settings: RemoteSettings, *, read_only: bool = False) -> None:
        self.settings = settings
        self._client: Client | None = Client(settings)
        self._server = settings.server
        self.capabilities = StoreCapabilities(persistent=True, read_only=read_only,
                                              transactional=self._server.transactional, snapshots=False)

    def close(self) -> None:
        self._client = None
        self.capabilities = StoreCapabilities(True, True, self.capabilities.transactional, False)

    def __repr__(self) -> str:
        return f"RemoteStore({self.settings.flavour} at {self.settings.query_url})"

    # -- reading -------------------------------------------------------------------------------
    def select(self, query: str) -> list[dict[str, str]]:
        self._expect(query, "SELECT", "expected a SELECT query")
        body = _normalised_json(self._query(query, JSON_RESULTS))
        return [{name: value["value"] for name, value in row.items()} for row in body["results"]["bindings"]]

    def ask(self, query: str) -> bool:
        self._expect(query, "ASK", "expected an ASK query")
        return bool(_normalised_json(self._query(query, JSON_RESULTS), ask=True)["boolean"])

    def construct(self, query: str, *, format: str = "ntriples") -> bytes:
        if _form(query) not in ("CONSTRUCT", "DESCRIBE"):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        return self._graph(query, format)

    def query(self, query: str, *, results_format: str = "json", graph_format: str = "turtle") -> QueryResult:
        form = _form(query)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult("graph", graph_format, self._graph(query, graph_format))
        if form is None:
            raise QueryError("expected a query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
        target = _known(_RESULTS, results_format, RESULTS_FORMATS)
        body = _normalised_json(self._query(query, JSON_RESULTS), ask=form == "ASK")
        results = parse_query_results(json.dumps(body).encode("utf-8"), format=QueryResultsFormat.JSON)
        return QueryResult("ask" if form == "ASK" else "select", results_format, results.serialize(format=target))

    def sources(self) -> dict[str, SourceRecord]:
        return records_from_rows(self.select(MANIFEST_QUERY), self.select(REJECTIONS_QUERY))

    def quads(self, *, graph: str | None = None, include_system: bool = False) -> Iterator[Quad]:
        if graph is not None:
            try:
                body = self._live().get_graph(graph, self._server.ntriples_type)
            except ServerError as error:
                if error.status == 404:
                    return
                raise
            name = NamedNode(graph)
            for quad in parse(body, format=RdfFormat.from_media_type(self._server.ntriples_type)):
                yield Quad(quad.subject, quad.predicate, quad.object, name)
            return
        system = "" if include_system else f"FILTER(?g != <{terms.SYSTEM_GRAPH}>)"
        text = f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours('?g')} {system} }}"
        for row in self._solutions(text):
            yield Quad(row["s"], row["p"], row["o"], row["g"])

    def named_graphs(self) -> list[str]:
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours('?g')} }}")
        return [row["g"] for row in rows]

    def __len__(self) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours('?g')} }}")
        return int(rows[0]["n"])

    # -- writing -------------------------------------------------------------------------------
    def update(self, update: str) -> None:
        self._require_writable()
        try:
            self._live().update(_with_prologue(update))
        except ServerError as error:
            promise = ", nothing was changed" if self.capabilities.transactional else ""
            raise StoreError(f"store update failed{promise}: {_user_lines(error.server_message)} "
                             f"(HTTP {error.status} from {error.url})") from error

    def commit_source(self, record: SourceRecord, triples: Iterable[Triple]) -> int:
        """Stage the new version in its own graph (one PUT), then switch the manifest (one update).

        The triples are serialised in full before anything is sent, so a failure while producing them
        writes nothing; a crash between the two steps leaves an unreferenced graph for collect_garbage.
        """
        self._require_writable()
        record.triple_count = self._put(record.graph, triples, what=record.path)
        if RemoteStore.after_stage is not None:
            RemoteStore.after_stage(record)
        old = source_record(self.select, record.path)
        statements = []
        if old is not None:
            statements += forget_statements(old, keep_graph=old.graph == record.graph)
        statements.append(insert_data(terms.SYSTEM_GRAPH, manifest_triples(record)))
        self.update(" ;\n".join(statements))
        return record.triple_count

    def forget_source(self, path: str) -> bool:
        self._require_writable()
        old = source_record(self.select, path)
        if old is None:
            return False
        self.update(" ;\n".join(forget_statements(old)))
        return True

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        self._require_writable()
        return self._put(graph, triples, what=graph)

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
        raise StoreError("this store cannot write snapshots (it is a remote server: readers rely on its isolation)")

    # -- helpers -------------------------------------------------------------------------------
    def _live(self) -> Client:
        if self._client is None:
            raise StoreError("the store was closed (the writer finished); open a reader with Home.open_reader()")
        return self._client

    def _require_writable(self) -> None:
        self._live()
        if self.capabilities.read_only:
            raise StoreError("this store was opened read-only; writes go through `vetgraph ingest`")

    def _ours(self, variable: str) -> str:
        """A filter keeping the graphs this store owns, where the server holds graphs of its own."""
        prefix = self._server.graphs
        return f'FILTER(STRSTARTS(STR({variable}), "{prefix}"))' if prefix else ""

    def _expect(self, query: str, form: str, message: str) -> None:
        if _form(query) != form:
            raise QueryError(message)

    def _query(self, query: str, accept: str) -> bytes:
        # Oxigraph's server reads the default graph as the union of the named graphs when asked;
        # Virtuoso's default graph is every graph it holds
        union = {"union-default-graph": "true"} if self.settings.flavour == "oxigraph" else {}
        try:
            return self._live().query(_with_prologue(query), accept, union)
        except ServerError as error:
            message = _user_lines(error.server_message)
            if error.status == 400:  # both servers answer a query they cannot parse with 400
                raise QueryError(f"SPARQL syntax error: {message} (from {error.url})") from error
            if 400 <= error.status < 600 and error.status not in (401, 403, 404, 502, 503):
                raise QueryError(f"SPARQL query failed: {message} (from {error.url})") from error
            raise

    def _solutions(self, query: str) -> Iterator[dict[str, Any]]:
        """The rows of a SELECT as pyoxigraph terms."""
        body = json.dumps(_normalised_json(self._query(query, JSON_RESULTS))).encode("utf-8")
        solutions = parse_query_results(body, format=QueryResultsFormat.JSON)
        assert isinstance(solutions, QuerySolutions)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            yield {n: solution[n] for n in names}

    def _graph(self, query: str, graph_format: str) -> bytes:
        rdf_format = _known(_GRAPHS, graph_format, GRAPH_FORMATS)
        media_type = self._server.ntriples_type
        body = self._query(query, media_type)
        triples = [q.triple for q in parse(body, format=RdfFormat.from_media_type(media_type))]
        prefixes = terms.PREFIXES if graph_format == "turtle" else None
        return serialize(triples, format=rdf_format, prefixes=prefixes)

    def _put(self, graph: str, triples: Iterable[Triple], *, what: str) -> int:
        """Serialise every triple first, then replace ``graph`` with them in one Graph Store PUT."""
        count = 0
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as body:
            try:
                for s, p, o in triples:
                    body.write(f"{s} {p} {o} .\n".encode("utf-8"))
                    count += 1
            except OSError as error:
                raise StoreError(f"{what}: writing failed, nothing was stored: {error}") from error
            if count == 0:
                self.update(f"DROP SILENT GRAPH <{graph}>")
                return 0
            length = body.tell()
            body.seek(0)
            self._live().put_graph(graph, body, self._server.ntriples_type, length)  # type: ignore[arg-type]
        return count


def _form(query: str) -> str | None:
    match = _FORM.match(query)
    return match.group(1).upper() if match else None


def _with_prologue(text: str) -> str:
    """The predeclared prefixes the text does not declare itself, on one line (some servers refuse a redeclared one)."""
    declared = set(_DECLARED.findall(text))
    kept = [f"PREFIX {p}: <{ns}>" for p, ns in terms.PREFIXES.items() if p not in declared]
    return " ".join(kept) + "\n" + text


def _user_lines(message: str) -> str:
    """A server's message with its line numbers counted in the user's text, not in the prologue's."""
    return _POSITION.sub(lambda m: f"{m.group(1)}{max(1, int(m.group(2)) - terms.PROLOGUE_LINES)}", message)


def _known(known: dict[str, Any], name: str, names: tuple[str, ...]) -> Any:
    if name not in known:
        raise QueryError(f"unknown result format '{name}'; known: {', '.join(names)}")
    return known[name]


def _normalised_json(body: bytes, *, ask: bool = False) -> dict[str, Any]:
    """W3C SPARQL JSON results from any server: Virtuoso answers ASK as a one-row result set, types
    literals as ``typed-literal`` and writes booleans as 1 and 0."""
    try:
        data = json.loads(body)
    except ValueError as error:
        raise QueryError(f"the store's answer is not SPARQL JSON results: {body[:120]!r}") from error
    if ask:
        if "boolean" in data:
            return {"head": {}, "boolean": bool(data["boolean"])}
        rows = data.get("results", {}).get("bindings", [])
        value = next(iter(rows[0].values()))["value"] if rows and rows[0] else "0"
        return {"head": {}, "boolean": value in ("1", "true")}
    for row in data.get("results", {}).get("bindings", []):
        for value in row.values():
            if value.get("type") == "typed-literal":
                value["type"] = "literal"
            if value.get("datatype") == _BOOLEAN and value["value"] in ("1", "0"):
                value["value"] = "true" if value["value"] == "1" else "false"
    data["head"] = {"vars": data.get("head", {}).get("vars", [])}
    return data
