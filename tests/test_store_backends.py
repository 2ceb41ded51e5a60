"""The store protocol against three backends: embedded Oxigraph, the Oxigraph server and Virtuoso.

The servers start once per test process (tests/store_servers.py) and every test begins with their
graphs dropped. tests/test_store.py holds the embedded-only details (snapshots, error positions);
what a remote backend promises differently is asserted through ``capabilities``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from kg.core import iris, terms
from kg.core.rdf import RDF_TYPE, vet, zh
from kg.core.records import Rejection
from kg.errors import QueryError, SettingsError, StoreError
from kg.store.base import GRAPH_FORMATS, RESULTS_FORMATS, GraphStore
from kg.store.factory import open_store
from kg.store.home import Home
from kg.store.http import Client
from kg.store.remote import RemoteStore
from kg.store.settings import RemoteSettings, load_settings, save_settings, settings_from_mapping
from tests.store_servers import oxigraph_server, virtuoso_server
from tests.test_store import EX, _data_count, _record, _triples

BACKENDS = ["embedded", "oxigraph-server", "virtuoso"]
SERVERS = {"oxigraph-server": oxigraph_server, "virtuoso": virtuoso_server}


@pytest.fixture(scope="session")
def oxigraph_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteSettings]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as settings:
        yield settings


@pytest.fixture(scope="session")
def virtuoso_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteSettings]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as settings:
        yield settings


def server_settings(request: pytest.FixtureRequest, backend: str) -> RemoteSettings:
    return request.getfixturevalue("oxigraph_settings" if backend == "oxigraph-server" else "virtuoso_settings")


def emptied(settings: RemoteSettings) -> RemoteStore:
    """A writable store on the server, its graphs (ours, on Virtuoso) dropped."""
    store = RemoteStore(settings)
    graphs = store.named_graphs()
    if graphs:
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
    return store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    if request.param == "embedded":
        opened: GraphStore = open_store("oxigraph", path=tmp_path / "db")
    else:
        opened = emptied(server_settings(request, request.param))
    yield opened
    opened.close()


@pytest.fixture
def filled(store: GraphStore) -> GraphStore:
    store.commit_source(_record("/a.txt", "1" * 64), [
        (NamedNode(f"{EX}p1"), RDF_TYPE, vet("Provision")), (NamedNode(f"{EX}p1"), vet("text"), zh("校企合作")),
        (NamedNode(f"{EX}p2"), RDF_TYPE, vet("Provision"))])
    return store


def _everything(store: GraphStore) -> list[str]:
    return sorted(str(q) for q in store.quads(include_system=True))


# -- sources: per-source replacement and the manifest ------------------------------------------------
def test_commit_replaces_exactly_the_triples_of_one_source(store: GraphStore) -> None:
    store.commit_source(_record("/a.txt", "1" * 64), _triples(10, "a"))
    store.commit_source(_record("/b.txt", "2" * 64), _triples(5, "b"))
    assert _data_count(store) == 15
    store.commit_source(_record("/a.txt", "3" * 64), _triples(3, "a"))
    assert _data_count(store) == 8
    sources = store.sources()
    assert sources["/a.txt"].sha256 == "3" * 64 and sources["/a.txt"].triple_count == 3
    assert sources["/b.txt"].triple_count == 5
    assert len(store.named_graphs()) == 3  # two sources + the system graph


def test_the_manifest_round_trips_with_its_rejections(store: GraphStore) -> None:
    record = _record("/c.csv", "4" * 64)
    record.document = f"{EX}doc"
    record.rejections = [Rejection(None, "行被保留", kept=True), Rejection(7, "empty name"), Rejection(9, "bad code '12x'")]
    store.commit_source(record, _triples(2))
    back = store.sources()["/c.csv"]
    assert back.rejections == record.rejections
    assert (back.iri, back.graph, back.kind, back.parser_version, back.run, back.document, back.triple_count) == (
        record.iri, record.graph, record.kind, record.parser_version, record.run, record.document, 2)
    store.commit_source(_record("/c.csv", "5" * 64), _triples(2))
    assert store.sources()["/c.csv"].rejections == []


@pytest.mark.parametrize("fail_after", [0, 50])
def test_a_failure_while_writing_leaves_the_store_unchanged(store: GraphStore, fail_after: int) -> None:
    store.commit_source(_record("/a.txt", "1" * 64), _triples(10, "old"))
    before = _everything(store)

    def failing():
        for i, triple in enumerate(_triples(100, "new")):
            if i == fail_after:
                raise OSError("disk full (injected)")
            yield triple

    with pytest.raises(Exception, match="injected"):
        store.commit_source(_record("/a.txt", "9" * 64), failing())
    assert _everything(store) == before


def test_a_crash_between_stage_and_switch_is_dropped_by_garbage_collection(store: GraphStore,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    store.commit_source(_record("/a.txt", "1" * 64), _triples(10, "old"))

    def crash(record):
        raise RuntimeError("crashed after staging (injected)")

    monkeypatch.setattr(type(store), "after_stage", staticmethod(crash))
    with pytest.raises(RuntimeError, match="injected"):
        store.commit_source(_record("/a.txt", "2" * 64), _triples(20, "new"))
    monkeypatch.setattr(type(store), "after_stage", None)
    assert store.sources()["/a.txt"].sha256 == "1" * 64  # the manifest never switched
    assert len(store.collect_garbage()) == 1
    assert _data_count(store) == 10 and len(store.named_graphs()) == 2


def test_forget_source_removes_its_graph_and_manifest_entry(store: GraphStore) -> None:
    record = _record("/a.txt", "1" * 64)
    record.rejections = [Rejection(3, "bad row")]
    store.commit_source(record, _triples(3))
    store.commit_source(_record("/b.txt", "2" * 64), _triples(2, "b"))
    assert store.forget_source("/a.txt") is True
    assert store.forget_source("/a.txt") is False
    assert list(store.sources()) == ["/b.txt"] and _data_count(store) == 2
    assert not store.select(f"SELECT ?p WHERE {{ <{record.iri}> ?p ?o }}")
    assert not store.select("SELECT ?r WHERE { ?r a vet:Rejection }")


def test_replace_graph_swaps_a_derived_graph_whole(store: GraphStore) -> None:
    graph = iris.derived_graph("test")
    assert store.replace_graph(graph, _triples(4, "d")) == 4
    assert store.replace_graph(graph, _triples(2, "e")) == 2
    assert sorted(q.subject.value for q in store.quads(graph=graph)) == [f"{EX}e0", f"{EX}e1"]
    assert store.replace_graph(graph, []) == 0 and list(store.quads(graph=graph)) == []


def test_collect_garbage_drops_only_unreferenced_source_graphs(store: GraphStore) -> None:
    store.commit_source(_record("/a.txt", "1" * 64), _triples(2))
    orphan = iris.source_graph("/a.txt", "f" * 64, "t/1")
    store.update(f"INSERT DATA {{ GRAPH <{orphan}> {{ <{EX}x> a vet:Provision }} }}")
    store.replace_graph(iris.derived_graph("kept"), _triples(1, "k"))
    assert store.collect_garbage() == [orphan]
    assert orphan not in store.named_graphs() and iris.derived_graph("kept") in store.named_graphs()
    assert _data_count(store) == 3 and store.collect_garbage() == []


def test_an_ingest_run_is_recorded_in_the_system_graph(store: GraphStore) -> None:
    store.record_run(iris.run("r1"), "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:05+00:00", "vetgraph ingest x")
    assert store.select("SELECT ?c WHERE { ?r a vet:IngestRun ; vet:command ?c }") == [{"c": "vetgraph ingest x"}]
    assert _data_count(store) == 0  # the system graph is not data
    assert sum(1 for _ in store.quads(include_system=True)) == 5 and len(store) == 5


@pytest.mark.parametrize("text", ["职业教育法", "“双师型”教师", "岗课赛证\n综合育人", "1+X证书", "\\\"引号\"", "𠀀生僻字"])
def test_a_chinese_literal_survives_store_and_query(store: GraphStore, text: str) -> None:
    store.commit_source(_record("/x.txt", "1" * 64), [(NamedNode(f"{EX}p"), vet("text"), zh(text))])
    assert store.select("SELECT ?t WHERE { ?p vet:text ?t }") == [{"t": text}]
    assert [q.object.value for q in store.quads()] == [text]


# -- queries -------------------------------------------------------------------------------------
def test_select_gives_plain_strings_and_leaves_unbound_variables_out(filled: GraphStore) -> None:
    rows = filled.select("SELECT ?p ?t WHERE { ?p a vet:Provision OPTIONAL { ?p vet:text ?t } } ORDER BY ?p")
    assert rows == [{"p": f"{EX}p1", "t": "校企合作"}, {"p": f"{EX}p2"}]
    assert all(type(value) is str for row in rows for value in row.values())


def test_ask_construct_and_the_wrong_query_kind(filled: GraphStore) -> None:
    assert filled.ask("ASK { ?p vet:text '校企合作'@zh }") is True
    assert filled.ask("ASK { ?p vet:text 'nothing' }") is False
    body = filled.construct("CONSTRUCT { ?p a vet:Provision } WHERE { ?p a vet:Provision }")
    assert sorted(body.decode("utf-8").strip().splitlines()) == [
        f"<{EX}p1> <{terms.RDF}type> <{terms.VET}Provision> .", f"<{EX}p2> <{terms.RDF}type> <{terms.VET}Provision> ."]
    with pytest.raises(QueryError, match="expected a SELECT"):
        filled.select("ASK { ?s ?p ?o }")
    with pytest.raises(QueryError, match="expected an ASK"):
        filled.ask("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="expected a CONSTRUCT"):
        filled.construct("ASK { ?s ?p ?o }")


def test_query_answers_in_every_format(filled: GraphStore) -> None:
    for fmt in RESULTS_FORMATS:
        result = filled.query("SELECT ?t WHERE { ?p vet:text ?t }", results_format=fmt)
        assert result.kind == "select" and result.format == fmt and "校企合作" in result.body.decode("utf-8")
        answer = filled.query("ASK { ?p a vet:Provision }", results_format=fmt)
        assert answer.kind == "ask" and "true" in answer.body.decode("utf-8"), fmt
    assert json.loads(filled.query("ASK { ?p a vet:Nothing }").body) == {"head": {}, "boolean": False}
    for fmt in GRAPH_FORMATS:
        result = filled.query("CONSTRUCT { ?p vet:text ?t } WHERE { ?p vet:text ?t }", graph_format=fmt)
        assert result.kind == "graph" and result.format == fmt and "校企合作" in result.body.decode("utf-8")


def test_sparql_results_json_is_w3c_json(filled: GraphStore) -> None:
    body = json.loads(filled.query("SELECT ?p WHERE { ?p vet:text ?t }").body)
    assert body["head"]["vars"] == ["p"]
    assert body["results"]["bindings"] == [{"p": {"type": "uri", "value": f"{EX}p1"}}]


def test_the_union_default_graph_and_the_system_graph(filled: GraphStore) -> None:
    filled.replace_graph(iris.derived_graph("x"), [(NamedNode(f"{EX}p3"), RDF_TYPE, vet("Provision"))])
    assert filled.select("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a vet:Provision }") == [{"n": "3"}]
    assert filled.select(f"SELECT ?path WHERE {{ GRAPH <{terms.SYSTEM_GRAPH}> {{ ?s vet:path ?path }} }}") == [
        {"path": "/a.txt"}]
    data_graphs = {q.graph_name.value for q in filled.quads()}
    assert terms.SYSTEM_GRAPH not in data_graphs and len(data_graphs) == 2


def test_prefixes_are_predeclared_and_a_query_may_redeclare_them(filled: GraphStore) -> None:
    assert filled.select("SELECT (vet:x AS ?x) WHERE {}") == [{"x": f"{terms.VET}x"}]
    assert filled.select("PREFIX vet: <https://example.org/other#> SELECT (vet:x AS ?x) WHERE {}") == [
        {"x": "https://example.org/other#x"}]


def test_a_syntax_error_is_one_query_error_naming_the_users_line(filled: GraphStore) -> None:
    with pytest.raises(QueryError, match=r"SPARQL syntax error: .*(at|line) 3\b") as raised:
        filled.select("SELECT ?x\nWHERE {\n  ?x a nope:Provision }")  # an undeclared prefix on line 3
    assert "\n" not in str(raised.value)


def test_update_runs_whole_or_not_at_all(filled: GraphStore) -> None:
    filled.update(f"INSERT DATA {{ GRAPH <{iris.derived_graph('u')}> {{ <{EX}u> a vet:Provision }} }}")
    assert filled.ask(f"ASK {{ <{EX}u> a vet:Provision }}")
    before = len(filled)
    with pytest.raises(StoreError, match="store update failed") as raised:
        filled.update(f"INSERT DATA {{ GRAPH <{iris.derived_graph('v')}> {{ <{EX}v> a vet:Provision }} }} ;"
                      " INSERT DATA { broken")
    assert len(filled) == before and "\n" not in str(raised.value)
    if isinstance(filled, RemoteStore):  # the server's own message, and where it came from
        assert f"HTTP 400 from {filled.settings.update_url}" in str(raised.value)


# -- capabilities and lifecycle ------------------------------------------------------------------
def test_capabilities_say_what_the_backend_is(store: GraphStore, request: pytest.FixtureRequest) -> None:
    caps = store.capabilities
    backend = request.node.callspec.params["store"]
    assert (caps.persistent, caps.read_only, caps.snapshots) == (True, False, backend == "embedded")
    assert caps.transactional is (backend != "virtuoso")
    if not caps.snapshots:
        with pytest.raises(StoreError, match="cannot write snapshots"):
            store.snapshot(Path("unused"))


def test_a_read_only_store_refuses_every_write(filled: GraphStore, tmp_path: Path) -> None:
    if isinstance(filled, RemoteStore):
        reader: GraphStore = RemoteStore(filled.settings, read_only=True)
    else:
        filled.close()
        reader = open_store("oxigraph", path=tmp_path / "db", read_only=True)
    assert reader.capabilities.read_only and list(reader.sources()) == ["/a.txt"]
    for write in (lambda: reader.commit_source(_record("/b.txt", "2" * 64), _triples(1)),
                  lambda: reader.update(f"INSERT DATA {{ <{EX}a> a vet:Provision }}"),
                  lambda: reader.replace_graph(iris.derived_graph("x"), []),
                  lambda: reader.forget_source("/a.txt")):
        with pytest.raises(StoreError, match="read-only"):
            write()


def test_a_closed_store_says_so_on_any_use(store: GraphStore) -> None:
    store.close()
    assert store.capabilities.read_only
    with pytest.raises(StoreError, match="closed"):
        store.select("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(StoreError, match="closed"):
        len(store)


# -- the remote backend itself -------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["oxigraph-server", "virtuoso"])
def test_graphs_go_in_by_the_graph_store_protocol_never_insert_per_triple(
        backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    store = emptied(server_settings(request, backend))
    updates: list[str] = []
    puts: list[str] = []
    original_update, original_put = Client.update, Client.put_graph
    monkeypatch.setattr(Client, "update", lambda self, text: (updates.append(text), original_update(self, text))[1])
    monkeypatch.setattr(Client, "put_graph", lambda self, graph, *rest: (puts.append(graph), original_put(self, graph, *rest))[1])
    record = _record("/a.txt", "1" * 64)
    store.commit_source(record, _triples(500))
    store.replace_graph(iris.derived_graph("d"), _triples(300, "d"))
    assert puts == [record.graph, iris.derived_graph("d")]
    assert len(updates) == 1 and f"{EX}s1>" not in updates[0]  # the one update is the manifest switch
    assert _data_count(store) == 800


def test_virtuoso_takes_credentials_on_its_authenticated_endpoints(request: pytest.FixtureRequest) -> None:
    plain = server_settings(request, "virtuoso")
    emptied(plain)
    secured = RemoteSettings.for_server("virtuoso", plain.query_url.rsplit("/", 1)[0], user="dba", password="dba")
    assert secured.store_url.endswith("/sparql-graph-crud-auth")
    store = RemoteStore(secured)
    store.commit_source(_record("/a.txt", "1" * 64), _triples(3))
    assert _data_count(store) == 3 and list(store.sources()) == ["/a.txt"]
    wrong = RemoteStore(RemoteSettings(**{**secured.__dict__, "password": "wrong"}))
    with pytest.raises(StoreError, match=r"HTTP 401 from .*/sparql-graph-crud-auth"):
        wrong.replace_graph(iris.derived_graph("x"), _triples(1))


def test_a_server_error_names_the_server_and_its_url() -> None:
    settings = RemoteSettings.for_server("oxigraph", "http://127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(StoreError, match=r"cannot reach the store at http://127\.0\.0\.1:9/query"):
        RemoteStore(settings).select("SELECT * WHERE { ?s ?p ?o }")


def test_settings_name_each_servers_endpoints_and_refuse_unknown_keys(tmp_path: Path) -> None:
    oxigraph = settings_from_mapping({"flavour": "oxigraph", "url": "http://h:7878/"})
    assert (oxigraph.query_url, oxigraph.update_url, oxigraph.store_url) == (
        "http://h:7878/query", "http://h:7878/update", "http://h:7878/store")
    virtuoso = settings_from_mapping({"flavour": "virtuoso", "url": "http://h:8890"})
    assert (virtuoso.query_url, virtuoso.update_url, virtuoso.store_url) == (
        "http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud")
    secured = settings_from_mapping({"flavour": "virtuoso", "url": "http://h:8890", "user": "dba", "password": "x"})
    assert (secured.query_url, secured.store_url) == ("http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth")
    with pytest.raises(SettingsError, match="unknown store setting.*endpoint; valid: backend, url, flavour"):
        settings_from_mapping({"flavour": "oxigraph", "url": "http://h", "endpoint": "x"})
    with pytest.raises(SettingsError, match="unknown store flavour 'blazegraph'; known: oxigraph, virtuoso"):
        settings_from_mapping({"flavour": "blazegraph", "url": "http://h"})
    save_settings(tmp_path, secured)
    assert "password" not in (tmp_path / "store.json").read_text()
    assert load_settings(tmp_path) == RemoteSettings(**{**secured.__dict__, "password": None})
    assert load_settings(tmp_path / "elsewhere") is None


def test_the_readme_store_json_examples_are_valid_settings() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**Remote stores.**"):]
    block = re.search(r"```json\n(.*?)```", section, flags=re.DOTALL)
    assert block is not None
    flavours = [settings_from_mapping(json.loads(line)).flavour for line in block.group(1).splitlines() if line]
    assert flavours == ["oxigraph", "virtuoso"]


@pytest.mark.parametrize("backend", ["oxigraph-server", "virtuoso"])
def test_a_home_with_store_json_writes_and_reads_the_server(backend: str, request: pytest.FixtureRequest,
                                                           tmp_path: Path) -> None:
    settings = server_settings(request, backend)
    emptied(settings)
    home = Home(tmp_path / "home")
    save_settings(home.root, settings)
    assert home.is_empty()
    with home.writer() as store:
        assert isinstance(store, RemoteStore)
        store.commit_source(_record("/a.txt", "1" * 64), _triples(4))
    reader = home.open_reader()
    assert reader.capabilities.read_only and _data_count(reader) == 4 and not home.is_empty()
    assert not home.snapshots.exists() and not home.db.exists()  # the data lives on the server only


# -- the whole real data set on the Oxigraph server --------------------------------------------------
@pytest.mark.slow
@pytest.mark.realdata
def test_the_real_data_ingests_into_the_oxigraph_server_with_the_embedded_stats(
        real_home: Home, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli.main import cli
    from kg.pipeline.run import ingest
    from tests.conftest import SHARED_DATA

    settings = server_settings(request, "oxigraph-server")
    emptied(settings)
    home = Home(tmp_path / "remote-home")
    save_settings(home.root, settings)
    report = ingest(home, [SHARED_DATA])
    assert report.count("rejected") == 0, [f.reason for f in report.files if f.status == "rejected"]
    assert report.count("added") == real_home.report.count("added")  # type: ignore[attr-defined]

    def stats(where: Home, *options: str) -> str:
        result = CliRunner().invoke(cli, ["--store", str(where.root), "stats", *options], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    assert stats(home) == stats(real_home) and stats(home, "--json") == stats(real_home, "--json")
    assert _data_count(home.open_reader()) == _data_count(real_home.open_reader())
    assert (home.reports / "last-ingest.json").exists() and not home.snapshots.exists()
