"""The home folder: crash recovery, one writer at a time, readers on snapshots beside a writer, pruning."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kg.errors import StoreLockedError
from kg.store.home import ENV_LOCK_TIMEOUT, KEEP_SNAPSHOTS, SNAPSHOT_GRACE_SECONDS, Home
from tests.test_store import _data_count, _record, _triples

ROOT = Path(__file__).resolve().parent.parent


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
    assert home.open_reader().capabilities.read_only
    with home.writer() as store:
        store.commit_source(_record("/a.txt", "1" * 64), _triples(4))
    reader = home.open_reader()
    with home.writer() as store:
        store.commit_source(_record("/b.txt", "2" * 64), _triples(6, "b"))
        # while the writer holds the store, a reader opens and reads the last snapshot
        assert _data_count(home.open_reader()) == 4
    assert _data_count(reader) == 4  # an open reader keeps its snapshot
    assert _data_count(home.open_reader()) == 10


def _hold_the_writer(home: Path, seconds: int = 30) -> subprocess.Popen[str]:
    """Another process that holds the write lock (with the store open) until killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(ROOT)!r})
            from kg.store.home import Home
            from tests.test_store import _record, _triples
            with Home({str(home)!r}).writer() as store:
                store.commit_source(_record("/late.txt", "9" * 64), _triples(7, "late"))
                print("holding", flush=True)
                time.sleep({seconds})
        """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


def test_a_second_writer_waits_then_gets_one_clear_line(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    with home.writer() as store:
        store.commit_source(_record("/a.txt", "1" * 64), _triples(3))
    holder = _hold_the_writer(home.root)
    try:
        waits: list[str] = []
        with pytest.raises(StoreLockedError) as raised:
            with home.writer(timeout=0.6, on_wait=waits.append):
                pass
        message = str(raised.value)
        assert "another writer" in message and f"pid {holder.pid}" in message and "\n" not in message
        assert waits and "waiting" in waits[0]
        # readers are not blocked by the writer: they read the committed state, not the holder's write
        reader = home.open_reader()
        assert _data_count(reader) == 3 and list(reader.sources()) == ["/a.txt"]
    finally:
        holder.kill()
        holder.wait()
    with home.writer(timeout=5):  # the lock is released when its holder dies
        pass


def test_the_lock_wait_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = Home(tmp_path / "home")
    holder = _hold_the_writer(home.root)
    try:
        monkeypatch.setenv(ENV_LOCK_TIMEOUT, "0.4")
        with pytest.raises(StoreLockedError, match=f"after 0s; try again when it finishes \\(or raise {ENV_LOCK_TIMEOUT}\\)"):
            with home.writer():
                pass
        monkeypatch.setenv(ENV_LOCK_TIMEOUT, "1.6")
        with pytest.raises(StoreLockedError, match="after 2s"):
            with home.writer():
                pass
    finally:
        holder.kill()
        holder.wait()


def _age(path: Path, seconds: float) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_pruning_keeps_the_newest_and_current_and_spares_recent_ones(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    with home.writer() as store:
        store.commit_source(_record("/a.txt", "1" * 64), _triples(2))
    first = home.current_snapshot()
    assert first is not None
    # snapshots whose names sort after every real one, all older than the grace period
    fakes = [home.snapshots / f"29991231T000000-00000000{i}" for i in range(5)]
    for fake in fakes:
        fake.mkdir()
        _age(fake, SNAPSHOT_GRACE_SECONDS + 60)
    with home.writer() as store:
        store.commit_source(_record("/b.txt", "2" * 64), _triples(3, "b"))
    current = home.current_snapshot()
    assert current is not None and current != first
    left = {p.name for p in home.snapshots.iterdir() if p.is_dir()}
    # the newest three by name stay; CURRENT stays though it sorts before them; the first is within grace
    assert left == {first.name, current.name, *(f.name for f in fakes[-KEEP_SNAPSHOTS:])}
    assert _data_count(home.open_reader()) == 5
    _age(first, SNAPSHOT_GRACE_SECONDS + 60)
    with home.writer() as store:
        store.commit_source(_record("/c.txt", "3" * 64), _triples(1, "c"))
    newest = home.current_snapshot()
    assert newest is not None and newest.is_dir()
    left = {p.name for p in home.snapshots.iterdir() if p.is_dir()}
    assert first.name not in left and newest.name in left and current.name in left  # current: within grace
    assert _data_count(home.open_reader()) == 6


def test_default_home_is_overridden_by_env_and_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.store.home import resolve_home

    monkeypatch.setenv("VETGRAPH_STORE", str(tmp_path / "env"))
    assert resolve_home() == tmp_path / "env"
    assert resolve_home(tmp_path / "opt") == tmp_path / "opt"
    monkeypatch.delenv("VETGRAPH_STORE")
    monkeypatch.chdir(tmp_path)
    assert resolve_home() == tmp_path / ".vetgraph"
