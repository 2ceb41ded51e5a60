"""Crash safety: `vetgraph` killed at each fault point (VETGRAPH_FAULT) or by SIGKILL, then the next command.

The scenarios are in tests/crash_scenarios.py (bench/reliability.py runs them too); each compares the
home after the next ordinary command with one that never crashed. The tests after them pin what the
scenarios rely on: the fault points themselves, the derived graphs' stamp, the index's store version.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.core.faults import ENV_FAULT, ENV_TRACE, FAULT_EXIT_STATUS, FAULT_POINTS, fault_point
from kg.pipeline.derive import rebuild_derived
from kg.pipeline.run import ingest
from kg.search.encoder import FakeEncoder
from kg.search.freshness import check_index, ensure_fresh
from kg.search.index import BUILDER_FILE, SearchIndex
from kg.search.settings import SearchSettings
from kg.store.version import mark_derived_pending, store_version
from tests.conftest import ROOT
from tests.crash_scenarios import SCENARIOS, Bench, run_crash_scenarios


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Bench:
    return Bench(tmp_path_factory.mktemp("crash"))


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_after_a_crash_the_next_command_leaves_a_consistent_home(bench: Bench, name: str) -> None:
    [outcome] = run_crash_scenarios(bench.workdir, [name], bench=bench)
    assert outcome.crashed, f"{name}: the command did not die where it should have"
    assert outcome.consistent, outcome.problems


# -- the fault points ---------------------------------------------------------------------------------------
def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in (ENV_FAULT, ENV_TRACE)}
    return subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True,
                          timeout=30, cwd=ROOT)


def test_a_fault_point_ends_the_process_at_once_at_its_passage() -> None:
    code = ("import atexit; from kg.core.faults import fault_point; atexit.register(print, 'cleaned up')\n"
            "for n in range(3):\n    print('passed', n, flush=True); fault_point('ingest.staged')")
    done = _python(code, **{ENV_FAULT: "ingest.staged:2"})
    assert done.returncode == FAULT_EXIT_STATUS
    assert done.stdout.split("\n")[:2] == ["passed 0", "passed 1"] and "cleaned up" not in done.stdout
    assert "fault injected at ingest.staged (passage 2)" in done.stderr
    assert _python(code, **{ENV_FAULT: "index.before-metadata"}).returncode == 0  # another point: no effect


def test_without_the_variable_a_fault_point_does_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_FAULT, raising=False)
    monkeypatch.delenv(ENV_TRACE, raising=False)
    fault_point("ingest.staged")
    trace = tmp_path / "trace"
    monkeypatch.setenv(ENV_TRACE, str(trace))
    fault_point("ingest.staged")
    fault_point("ingest.staged")
    (first, n), (second, m) = (line.split() for line in trace.read_text(encoding="utf-8").splitlines())
    assert first == second == "ingest.staged" and int(m) == int(n) + 1  # passages count only while it is set


def test_every_fault_point_stands_in_the_code_and_the_readme_names_the_variable() -> None:
    called = {m for path in (ROOT / "kg").rglob("*.py")
              for m in re.findall(r'fault_point\("([\w.-]+)"\)', path.read_text(encoding="utf-8"))}
    assert called == set(FAULT_POINTS)
    assert ENV_FAULT in (ROOT / "README.md").read_text(encoding="utf-8")


# -- the derived graphs' stamp ------------------------------------------------------------------------------
def test_the_derived_stamp_follows_the_sources_and_an_unfinished_rebuild(bench: Bench) -> None:
    home = bench.copy(bench.base, "stamp")
    assert not store_version(home.open_reader()).derived_stale
    with home.writer() as store:
        mark_derived_pending(store)
        assert store_version(store).derived_stale
        before = store_version(store).fingerprint
        rebuild_derived(store)
        assert not store_version(store).derived_stale and store_version(store).fingerprint != before
    report = ingest(home, [bench.corpus])  # nothing changed, nothing stale: no rebuild
    assert report.count("unchanged") and not any("derived graphs" in note for note in report.notes)


# -- the index and its store version ------------------------------------------------------------------------
def test_the_index_records_its_store_version_and_a_refresh_that_embeds_nothing_restamps_it(bench: Bench) -> None:
    home = bench.copy(bench.indexed, "restamp")
    reader = home.open_reader()
    with home.index_lock():  # another process builds it: nothing refreshed, still stale
        health, report = ensure_fresh(SearchIndex(home.index), reader, FakeEncoder(), lock=home.index_lock(timeout=0))
    assert health.state == "stale" and report is None
    health, report = ensure_fresh(SearchIndex(home.index), reader, FakeEncoder(), lock=home.index_lock(timeout=0))
    assert report is not None and report.added  # the nodes of the file ingested after the index was built
    with home.writer() as store:
        mark_derived_pending(store)  # another store version, the same texts
    reader = home.open_reader()
    health, report = ensure_fresh(SearchIndex(home.index), reader, FakeEncoder())
    assert health.state == "stale" and report is not None and not report.chunks_embedded and not report.written
    health, report = ensure_fresh(SearchIndex(home.index), reader, FakeEncoder())
    assert health.state == "fresh" and report is None
    assert SearchIndex(home.index).built_from()["fingerprint"] == store_version(reader).fingerprint


def test_a_leftover_of_a_dead_build_is_removed_when_search_starts(bench: Bench) -> None:
    home = bench.copy(bench.indexed, "leftover")
    SearchIndex(home.index).refresh(home.open_reader(), FakeEncoder())
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    leftover = home.index / ".20260101T000000-000000000-dead.tmp"
    (leftover / "dense").mkdir(parents=True)
    (leftover / BUILDER_FILE).write_text(dead, encoding="utf-8")
    running = home.index / ".20260101T000000-000000000-live.tmp"
    running.mkdir()
    (running / BUILDER_FILE).write_text(str(os.getpid()), encoding="utf-8")  # a build still going: kept
    result = CliRunner().invoke(cli, ["--store", str(home.root), "search", "养老", "--json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert not leftover.exists() and running.exists()
    assert "removed 1 half-written index version" in result.output


def test_a_damaged_live_index_is_refreshed_from_the_previous_version(bench: Bench) -> None:
    home = bench.copy(bench.base, "damaged")
    index = SearchIndex(home.index, SearchSettings(model="fake"))
    index.refresh(home.open_reader(), FakeEncoder())
    ingest(home, [bench.extra])
    index.refresh(home.open_reader(), FakeEncoder())  # a second version; the first is kept beside it
    live = home.index / (home.index / "CURRENT").read_text(encoding="utf-8").strip()
    (live / "nodes" / "columns.json").write_text("{", encoding="utf-8")  # cut short
    assert check_index(SearchIndex(home.index), home.open_reader()).state == "damaged"
    result = CliRunner().invoke(cli, ["--store", str(home.root), "search", "校企合作", "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "the search index cannot be read" in result.output
    assert "refreshed from the previous version" in result.output and "(rebuilt" not in result.output
    assert check_index(SearchIndex(home.index), home.open_reader()).state == "fresh"



def test_while_another_process_builds_the_index_search_warns_and_searches_the_stale_one(bench: Bench) -> None:
    home = bench.copy(bench.indexed, "busy")

    def search() -> str:
        result = CliRunner().invoke(cli, ["--store", str(home.root), "search", "养老", "--json"],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    with home.index_lock():
        assert "another process is building it now: results may be stale" in search()
    assert check_index(SearchIndex(home.index), home.open_reader()).state == "stale"
    assert "search index refreshed" in search()
    assert check_index(SearchIndex(home.index), home.open_reader()).state == "fresh"
