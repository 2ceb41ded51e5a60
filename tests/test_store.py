"""The store: atomic per-source replacement, crash recovery, one writer, readers beside a writer."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from kg.core import iris
from kg.core.rdf import RDF_TYPE, vet, zh
from kg.core.records import Rejection
from kg.errors import StoreLockedError
from kg.store.base import SourceRecord
from kg.store.home import Home
from kg.store.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent


def _record(path: str, sha: str) -> SourceRecord:
    return SourceRecord(iri=iris.source(path), path=path, sha256=sha, kind="policy", parser_version="t/1",
                        graph=iris.source_graph(path, sha, "t/1"), ingested_at="2026-01-01T00:00:00+00:00",
                        run="https://w3id.org/vetgraph/run/test")


def _triples(n: int, prefix: str = "s"):
    return [(NamedNode(f"https://example.org/{prefix}{i}"), RDF_TYPE, vet("Provision")) for i in range(n)]


def _data_count(store: OxigraphStore) -> int:
    return sum(1 for _ in store.quads())


def test_commit_replaces_exactly_the_triples_of_one_source() -> None:
    store = OxigraphStore()
    store.commit_source(_record("/a.txt", "1" * 64), _triples(10, "a"))
    store.commit_source(_record("/b.txt", "2" * 64), _triples(5, "b"))
    assert _data_count(store) == 15
    store.commit_source(_record("/a.txt", "3" * 64), _triples(3, "a"))
    assert _data_count(store) == 8
    sources = store.sources()
    assert sources["/a.txt"].sha256 == "3" * 64 and sources["/a.txt"].triple_count == 3
    assert sources["/b.txt"].triple_count == 5
    assert len(store.named_graphs()) == 3  # two sources + the system graph


def test_rejections_are_kept_in_the_manifest_and_replaced_with_the_source() -> None:
    store = OxigraphStore()
    record = _record("/c.csv", "4" * 64)
    record.rejections = [Rejection(7, "empty name"), Rejection(9, "bad code '12x'")]
    store.commit_source(record, _triples(2))
    assert store.sources()["/c.csv"].rejections == record.rejections
    store.commit_source(_record("/c.csv", "5" * 64), _triples(2))
    assert store.sources()["/c.csv"].rejections == []


@pytest.mark.parametrize("fail_after", [0, 1, 50, 99])
def test_a_failure_while_writing_leaves_the_store_unchanged(fail_after: int) -> None:
    store = OxigraphStore()
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


def test_a_crash_between_stage_and_switch_is_invisible_after_restart(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    with home.writer() as store:
        store.commit_source(_record("/a.txt", "1" * 64), _triples(10, "old"))
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from tests.test_store import _record, _triples
        from kg.store.home import Home
        from kg.store.oxigraph import OxigraphStore
        OxigraphStore.after_stage = lambda record: os._exit(17)
        with Home({str(home.root)!r}).writer() as store:
            store.commit_source(_record("/a.txt", "2" * 64), _triples(20, "new"))
    """)
    crashed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert crashed.returncode == 17, crashed.stderr
    with home.writer() as store:  # the next writer drops the orphaned staging graph
        assert store.sources()["/a.txt"].sha256 == "1" * 64
        assert _data_count(store) == 10
        assert len(store.named_graphs()) == 2
    assert _data_count(home.open_reader()) == 10


def test_readers_see_the_last_committed_snapshot(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    assert home.is_empty() and _data_count(home.open_reader()) == 0
    with home.writer() as store:
        store.commit_source(_record("/a.txt", "1" * 64), _triples(4))
    reader = home.open_reader()
    with home.writer() as store:
        store.commit_source(_record("/b.txt", "2" * 64), _triples(6, "b"))
        # while the writer holds the store, a reader opens and reads the last snapshot
        assert _data_count(home.open_reader()) == 4
    assert _data_count(reader) == 4  # an open reader keeps its snapshot
    assert _data_count(home.open_reader()) == 10


def test_a_second_writer_waits_then_gets_one_clear_line(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(ROOT)!r})
            from kg.store.home import Home
            with Home({str(tmp_path / 'home')!r}).writer():
                print("holding", flush=True)
                time.sleep(30)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        waits: list[str] = []
        with pytest.raises(StoreLockedError) as raised:
            with home.writer(timeout=0.6, on_wait=waits.append):
                pass
        message = str(raised.value)
        assert "another writer" in message and f"pid {holder.pid}" in message and "\n" not in message
        assert waits and "waiting" in waits[0]
        # readers are not blocked by the writer
        assert _data_count(home.open_reader()) == 0
    finally:
        holder.kill()
        holder.wait()
    with home.writer(timeout=5):  # the lock is released when its holder dies
        pass


@settings(max_examples=25, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)
       | st.sampled_from(["职业教育法", "“双师型”教师", "岗课赛证\n综合育人", "1+X证书", "\\\"引号\"", "𠀀生僻字"]))
def test_a_chinese_literal_survives_store_and_query(text: str) -> None:
    store = OxigraphStore()
    subject = NamedNode("https://example.org/p")
    store.commit_source(_record("/x.txt", "1" * 64), [(subject, vet("text"), zh(text))])
    rows = store.select("SELECT ?t WHERE { ?p vet:text ?t }")
    assert rows == [{"t": text}]


def test_default_home_is_overridden_by_env_and_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.store.home import resolve_home

    monkeypatch.setenv("VETGRAPH_STORE", str(tmp_path / "env"))
    assert resolve_home() == tmp_path / "env"
    assert resolve_home(tmp_path / "opt") == tmp_path / "opt"
    monkeypatch.delenv("VETGRAPH_STORE")
    monkeypatch.chdir(tmp_path)
    assert resolve_home() == tmp_path / ".vetgraph"


def test_forget_source_removes_its_graph_and_manifest_entry() -> None:
    store = OxigraphStore()
    record = _record("/a.txt", "1" * 64)
    record.rejections = [Rejection(3, "bad row")]
    store.commit_source(record, _triples(3))
    store.commit_source(_record("/b.txt", "2" * 64), _triples(2, "b"))
    assert store.forget_source("/a.txt") is True
    assert store.forget_source("/a.txt") is False
    assert list(store.sources()) == ["/b.txt"] and _data_count(store) == 2
    assert not store.select(f"SELECT ?p WHERE {{ <{record.iri}> ?p ?o }}")
    assert not store.select("SELECT ?r WHERE { ?r a vet:Rejection }")
