"""Writers, index builds, `vetgraph serve` and the app on one home at once.

A writer that waits is told who holds the store (pid and command); a second `vetgraph index` waits
for the first and never builds beside it; a lock names no one once it is let go. Then the hammer of
``tests/concurrency_runs.py``: two ingest loops, two index loops, serve and the app's data layer for
15 s, after which the home is checked (no corruption, no lost write, stats as a sequential run's,
the index complete and reusable).
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.store.home import ENV_LOCK_TIMEOUT, Home
from tests.concurrency_runs import ROOT, SEED, environment, policy_text, run_concurrency, vetgraph

HAMMER_SECONDS = 15


class Lines:
    """A child process's stderr, read line by line in a thread, so a test can wait for one line with a deadline."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:  # type: ignore[union-attr]
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {timeout}s; got {self.seen}")

    def rest(self) -> str:
        self.process.wait(timeout=60)
        time.sleep(0.3)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "".join(self.seen)


def start(home: Path, *args: str, env: dict[str, str] | None = None) -> Lines:
    process = subprocess.Popen([sys.executable, "-m", "kg", "--store", str(home), *args], cwd=ROOT,
                               env={**environment(home), **(env or {})}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    return Lines(process)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("concurrency") / "home"
    status, _, err, _ = vetgraph(home, "ingest", str(SEED), timeout=120)
    assert status == 0, err
    return home


def test_a_waiting_ingest_is_told_which_process_holds_the_store(seeded: Path, tmp_path: Path) -> None:
    path = tmp_path / "told.txt"
    path.write_text(policy_text("等待", 1), encoding="utf-8")
    home = Home(seeded)
    with home.writer():
        assert f"pid {os.getpid()}: " in home.lock_file.read_text(encoding="utf-8")
        waiting = start(seeded, "ingest", str(path))
        line = waiting.wait_for("waiting for another writer")
        assert f"(pid {os.getpid()}: " in line and str(seeded) in line, line
        assert " ".join(sys.argv[1:])[:60] in line, line  # the holder's command line
        assert str(path.resolve()) not in home.open_reader().sources()
    rest = waiting.rest()
    assert waiting.process.returncode == 0, rest
    assert str(path.resolve()) in home.open_reader().sources()


def test_a_writer_that_gives_up_says_who_held_the_store(seeded: Path, tmp_path: Path) -> None:
    path = tmp_path / "gave-up.txt"
    path.write_text(policy_text("放弃", 1), encoding="utf-8")
    home = Home(seeded)
    with home.writer():
        status, err = _ingest_with_timeout(seeded, path, "1")
    assert status != 0 and "Traceback" not in err, err
    assert f"another writer (pid {os.getpid()}: " in err and "still holds it after 1s" in err, err
    assert str(path.resolve()) not in home.open_reader().sources()


def _ingest_with_timeout(home: Path, path: Path, seconds: str) -> tuple[int, str]:
    """`vetgraph ingest PATH` with the lock wait set to ``seconds``: its exit status and stderr."""
    process = subprocess.run([sys.executable, "-m", "kg", "--store", str(home), "ingest", str(path)], cwd=ROOT,
                             env={**environment(home), ENV_LOCK_TIMEOUT: seconds}, capture_output=True, text=True,
                             timeout=60)
    return process.returncode, process.stderr


def test_a_lock_names_no_one_once_it_is_let_go(seeded: Path) -> None:
    """A waiter reads the holder's line: one left by a writer that finished would name the wrong process."""
    home = Home(seeded)
    with home.writer():
        assert home.lock_file.read_text(encoding="utf-8").strip()
    assert home.lock_file.read_text(encoding="utf-8") == ""
    with home.index_lock():
        assert f"pid {os.getpid()}: " in home.index_lock_file.read_text(encoding="utf-8")
    assert home.index_lock_file.read_text(encoding="utf-8") == ""


def test_a_second_index_build_waits_for_the_first_and_never_builds_beside_it(seeded: Path) -> None:
    home = Home(seeded)
    current = home.index / "CURRENT"
    before = current.read_text(encoding="utf-8") if current.exists() else None
    with home.index_lock():
        second = start(seeded, "index", "--model", "fake")
        line = second.wait_for("waiting for another index build")
        assert f"(pid {os.getpid()}: " in line and str(home.index) in line, line
        time.sleep(1.0)
        assert (current.read_text(encoding="utf-8") if current.exists() else None) == before  # nothing written yet
        assert second.process.poll() is None
    rest = second.rest()
    assert second.process.returncode == 0, rest
    assert current.exists() and current.read_text(encoding="utf-8") != before


def test_an_index_build_that_gives_up_says_who_held_the_index(seeded: Path) -> None:
    home = Home(seeded)
    with home.index_lock():
        process = subprocess.run([sys.executable, "-m", "kg", "--store", str(seeded), "index", "--model", "fake"],
                                 cwd=ROOT, env={**environment(seeded), ENV_LOCK_TIMEOUT: "1"}, capture_output=True,
                                 text=True, timeout=60)
    assert process.returncode != 0 and "Traceback" not in process.stderr, process.stderr
    assert f"another index build (pid {os.getpid()}: " in process.stderr, process.stderr


def test_the_app_serve_index_and_ingests_at_once_leave_a_consistent_home(tmp_path: Path) -> None:
    result = run_concurrency(tmp_path, HAMMER_SECONDS)
    counts = result["counts"]
    assert result["problems"] == [], "\n".join(result["problems"])
    # Every loop really ran, and ran into the others.
    for name in ("ingests added", "index runs", "serve queries", "app runs", "app searches"):
        assert counts.get(name, 0) >= 2, (name, counts)
    assert counts["stats equal to sequential"] == 1
    assert counts["sources checked"] == counts["ingests added"] + len(list(SEED.glob("*.csv")))
    assert counts.get("lost writes", 0) == 0 and counts.get("manifest mismatches", 0) == 0
