"""The store protocol, run once per backend: atomic per-source replacement, queries, formats, capabilities.

Every test takes the ``store`` fixture, parametrized over ``kg.store.factory.BACKENDS`` (embedded on
disk and in memory today), so a new backend only has to pass this file. The home folder's snapshots,
lock and crash recovery are in tests/test_store_home.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from kg.core import iris, terms
from kg.core.rdf import RDF_TYPE, vet, zh
from kg.core.records import Rejection
from kg.errors import QueryError, StoreError
from kg.store.base import GRAPH_FORMATS, RESULTS_FORMATS, GraphStore, SourceRecord
from kg.store.factory import BACKENDS, open_store

BACKEND_NAMES = sorted(BACKENDS)
EX = "https://example.org/"


def open_backend(backend: str, folder: Path, *, read_only: bool = False) -> GraphStore:
    """A store of ``backend``; the on-disk ones live in ``folder``/db."""
    return open_store(backend, path=None if backend == "memory" else folder / "db", read_only=read_only)


@pytest.fixture(params=BACKEND_NAMES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    return open_backend(request.param, tmp_path)


def _record(path: str, sha: str) -> SourceRecord:
    return SourceRecord(iri=iris.source(path), path=path, sha256=sha, kind="policy", parser_version="t/1",
                        graph=iris.source_graph(path, sha, "t/1"), ingested_at="2026-01-01T00:00:00+00:00",
                        run="https://w3id.org/vetgraph/run/test")


def _triples(n: int, prefix: str = "s"):
    return [(NamedNode(f"{EX}{prefix}{i}"), RDF_TYPE, vet("Provision")) for i in range(n)]


def _data_count(store: GraphStore) -> int:
    return sum(1 for _ in store.quads())


def test_the_suite_covers_every_backend_the_factory_knows() -> None:
    assert BACKEND_NAMES == ["memory", "oxigraph"]


def test_an_unknown_backend_is_refused_with_the_known_ones() -> None:
    with pytest.raises(StoreError, match="unknown store backend 'virtuoso'; known: memory, oxigraph"):
        open_store("virtuoso")


# -- sources: atomic replacement ---------------------------------------------------------------------
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


def test_rejections_are_kept_in_the_manifest_and_replaced_with_the_source(store: GraphStore) -> None:
    record = _record("/c.csv", "4" * 64)
    record.rejections = [Rejection(7, "empty name"), Rejection(9, "bad code '12x'")]
    store.commit_source(record, _triples(2))
    assert store.sources()["/c.csv"].rejections == record.rejections
    store.commit_source(_record("/c.csv", "5" * 64), _triples(2))
    assert store.sources()["/c.csv"].rejections == []


def test_one_source_is_read_back_as_the_whole_manifest_has_it(store: GraphStore) -> None:
    from kg.store.manifest import source_record

    record = _record("/d.csv", "6" * 64)
    record.rejections = [Rejection(3, "empty name"), Rejection(12, "duplicate code", kept=True)]
    record.document = f"{EX}doc"
    store.commit_source(record, _triples(4))
    store.commit_source(_record("/e.txt", "7" * 64), _triples(1, "e"))
    for path in ("/d.csv", "/e.txt"):
        assert source_record(store.select, path) == store.sources()[path]
    assert source_record(store.select, "/never.txt") is None


@pytest.mark.parametrize("fail_after", [0, 1, 50, 99])
def test_a_failure_while_writing_leaves_the_store_unchanged(store: GraphStore, fail_after: int) -> None:
    store.commit_source(_record("/a.txt", "1" * 64), _triples(10, "old"))
    before = sorted(str(q) for q in store.quads(include_system=True))

    def failing():
        for i, triple in enumerate(_triples(100, "new")):
            if i == fail_after:
                raise OSError("disk full (injected)")
            yield triple

    with pytest.raises(Exception, match="injected"):
        store.commit_source(_record("/a.txt", "9" * 64), failing())
    assert sorted(str(q) for q in store.quads(include_system=True)) == before


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
    assert store.select("SELECT ?c WHERE { ?r a vet:IngestRun ; vet:command ?c }") == [
        {"c": "vetgraph ingest x"}]
    assert _data_count(store) == 0  # the system graph is not data
    assert sum(1 for _ in store.quads(include_system=True)) == 5


@settings(max_examples=25, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)
       | st.sampled_from(["职业教育法", "“双师型”教师", "岗课赛证\n综合育人", "1+X证书", "\\\"引号\"", "𠀀生僻字"]))
@pytest.mark.parametrize("backend", BACKEND_NAMES)
def test_a_chinese_literal_survives_store_and_query(backend: str, tmp_path_factory: pytest.TempPathFactory,
                                                    text: str) -> None:
    store = open_backend(backend, tmp_path_factory.mktemp(backend))
    subject = NamedNode(f"{EX}p")
    store.commit_source(_record("/x.txt", "1" * 64), [(subject, vet("text"), zh(text))])
    rows = store.select("SELECT ?t WHERE { ?p vet:text ?t }")
    assert rows == [{"t": text}]
    store.close()


# -- queries -------------------------------------------------------------------------------------
@pytest.fixture
def filled(store: GraphStore) -> GraphStore:
    store.commit_source(_record("/a.txt", "1" * 64), [
        (NamedNode(f"{EX}p1"), RDF_TYPE, vet("Provision")), (NamedNode(f"{EX}p1"), vet("text"), zh("校企合作")),
        (NamedNode(f"{EX}p2"), RDF_TYPE, vet("Provision"))])
    return store


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


@pytest.mark.parametrize("fmt", RESULTS_FORMATS)
def test_query_answers_in_every_results_format(filled: GraphStore, fmt: str) -> None:
    result = filled.query("SELECT ?t WHERE { ?p vet:text ?t }", results_format=fmt)
    assert result.kind == "select" and result.format == fmt
    assert "校企合作" in result.body.decode("utf-8")
    answer = filled.query("ASK { ?p a vet:Provision }", results_format=fmt)
    assert answer.kind == "ask" and "true" in answer.body.decode("utf-8")


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_query_answers_graphs_in_every_graph_format(filled: GraphStore, fmt: str) -> None:
    result = filled.query("CONSTRUCT { ?p vet:text ?t } WHERE { ?p vet:text ?t }", graph_format=fmt)
    assert result.kind == "graph" and result.format == fmt
    assert "校企合作" in result.body.decode("utf-8")


def test_an_unknown_result_format_is_refused_with_the_known_ones(filled: GraphStore) -> None:
    with pytest.raises(QueryError, match="unknown result format 'yaml'; known: json, xml, csv, tsv"):
        filled.query("SELECT * WHERE { ?s ?p ?o }", results_format="yaml")


def test_the_union_default_graph_and_the_system_graph(filled: GraphStore) -> None:
    filled.replace_graph(iris.derived_graph("x"), [(NamedNode(f"{EX}p3"), RDF_TYPE, vet("Provision"))])
    rows = filled.select("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a vet:Provision }")
    assert rows == [{"n": "3"}]  # the default graph is the union of the named graphs
    assert filled.select(f"SELECT ?path WHERE {{ GRAPH <{terms.SYSTEM_GRAPH}> {{ ?s vet:path ?path }} }}") == [
        {"path": "/a.txt"}]
    data_graphs = {q.graph_name.value for q in filled.quads()}
    assert terms.SYSTEM_GRAPH not in data_graphs and len(data_graphs) == 2


def test_prefixes_are_predeclared_and_a_query_may_redeclare_them(filled: GraphStore) -> None:
    assert terms.PROLOGUE.count("\n") == 1 and "PREFIX vet:" in terms.PROLOGUE
    assert filled.select("SELECT (vet:x AS ?x) WHERE {}") == [{"x": f"{terms.VET}x"}]
    assert filled.select("PREFIX vet: <https://example.org/other#> SELECT (vet:x AS ?x) WHERE {}") == [
        {"x": "https://example.org/other#x"}]


def test_a_syntax_error_names_the_line_of_the_query_as_written(filled: GraphStore) -> None:
    with pytest.raises(QueryError, match=r"SPARQL syntax error: .*at 3:") as raised:
        filled.select("SELECT ?x\nWHERE {\n  ?x a nope:Provision }")  # an undeclared prefix on line 3
    assert "\n" not in str(raised.value) and "Prefix not found" in str(raised.value)


def test_a_failure_while_evaluating_is_one_query_error(filled: GraphStore) -> None:
    with pytest.raises(QueryError, match="SPARQL query failed: .*custom function") as raised:
        filled.query("SELECT (<urn:x:f>(1) AS ?x) WHERE {}", results_format="csv")
    assert "\n" not in str(raised.value)


def test_update_runs_whole_or_not_at_all(filled: GraphStore) -> None:
    filled.update(f"INSERT DATA {{ GRAPH <{iris.derived_graph('u')}> {{ <{EX}u> a vet:Provision }} }}")
    assert filled.ask(f"ASK {{ <{EX}u> a vet:Provision }}")
    before = len(filled)
    with pytest.raises(StoreError, match="nothing was changed"):
        filled.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}v> a vet:Provision }} }} ; INSERT DATA {{ broken")
    assert len(filled) == before


# -- capabilities --------------------------------------------------------------------------------
def test_capabilities_say_what_the_backend_is(store: GraphStore, request: pytest.FixtureRequest) -> None:
    caps = store.capabilities
    on_disk = request.node.callspec.params["store"] == "oxigraph"
    assert (caps.persistent, caps.snapshots, caps.read_only, caps.transactional) == (on_disk, on_disk, False, True)


def test_a_persistent_store_keeps_what_was_written_after_it_is_closed(tmp_path: Path) -> None:
    for backend in BACKEND_NAMES:
        folder = tmp_path / backend
        store = open_backend(backend, folder)
        store.commit_source(_record("/a.txt", "1" * 64), _triples(3))
        persistent = store.capabilities.persistent
        store.close()
        again = open_backend(backend, folder)
        assert (_data_count(again) == 3) is persistent, backend


def test_a_read_only_store_refuses_every_write(tmp_path: Path) -> None:
    for backend in BACKEND_NAMES:
        folder = tmp_path / backend
        writer = open_backend(backend, folder)
        writer.commit_source(_record("/a.txt", "1" * 64), _triples(1))
        writer.close()
        reader = open_backend(backend, folder, read_only=True)
        assert reader.capabilities.read_only
        for write in (lambda: reader.commit_source(_record("/b.txt", "2" * 64), _triples(1)),
                      lambda: reader.update(f"INSERT DATA {{ <{EX}a> a vet:Provision }}"),
                      lambda: reader.replace_graph(iris.derived_graph("x"), []),
                      lambda: reader.forget_source("/a.txt")):
            with pytest.raises(StoreError, match="read-only"):
                write()


def test_a_snapshot_is_a_copy_readers_open_where_the_backend_can_make_one(store: GraphStore,
                                                                          tmp_path: Path) -> None:
    store.commit_source(_record("/a.txt", "1" * 64), _triples(2))
    target = tmp_path / "snapshot"
    if not store.capabilities.snapshots:
        with pytest.raises(StoreError, match="cannot write snapshots"):
            store.snapshot(target)
        return
    store.snapshot(target)
    store.commit_source(_record("/b.txt", "2" * 64), _triples(5, "b"))
    copy = open_store("oxigraph", path=target, read_only=True)
    assert _data_count(copy) == 2 and list(copy.sources()) == ["/a.txt"]


def test_a_closed_store_says_so_on_any_use(store: GraphStore) -> None:
    store.close()
    assert store.capabilities.read_only
    with pytest.raises(StoreError, match="closed"):
        store.select("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(StoreError, match="closed"):
        len(store)


def test_sparql_results_json_is_w3c_json(filled: GraphStore) -> None:
    body = json.loads(filled.query("SELECT ?p WHERE { ?p vet:text ?t }").body)
    assert body["head"]["vars"] == ["p"]
    assert body["results"]["bindings"] == [{"p": {"type": "uri", "value": f"{EX}p1"}}]
