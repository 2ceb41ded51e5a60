"""The VETgraph home folder: the primary database, reader snapshots, the writer lock, reports.

Readers never open the primary database: pyoxigraph allows one read-write open per directory and
a read-only open beside a live writer is undefined. After every write the writer publishes a
snapshot (a RocksDB checkpoint, hard-linked, so cheap) and points ``snapshots/CURRENT`` at it;
readers open the newest snapshot read-only and see the last committed state while a writer works.

A home with a ``store.json`` (kg.store.settings) keeps its data on a remote SPARQL server instead:
the writer lock, index, models and reports stay here, there are no snapshots, and readers rely on
the server's isolation.
"""

from __future__ import annotations

import fcntl
import gc
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.core.faults import fault_point
from kg.errors import StoreError, StoreLockedError
from kg.store.base import GraphStore
from kg.store.factory import REMOTE_BACKEND, open_store
from kg.store.settings import RemoteSettings, load_settings

DEFAULT_HOME = ".vetgraph"
ENV_HOME = "VETGRAPH_STORE"
ENV_LOCK_TIMEOUT = "VETGRAPH_LOCK_TIMEOUT"
KEEP_SNAPSHOTS = 3
SNAPSHOT_GRACE_SECONDS = 300


def resolve_home(store: str | Path | None = None) -> Path:
    """--store wins, then $VETGRAPH_STORE, then .vetgraph/ in the working directory."""
    chosen = store or os.environ.get(ENV_HOME) or DEFAULT_HOME
    return Path(chosen).expanduser().resolve()


class Home:
    """One VETgraph home: ``oxigraph/`` (writer only), ``snapshots/`` (readers), ``index/``, ``models/``."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.db = self.root / "oxigraph"
        self.snapshots = self.root / "snapshots"
        self.lock_file = self.root / "write.lock"
        self.index_lock_file = self.root / "index.lock"
        self.reports = self.root / "reports"
        self.index = self.root / "index"
        self.models = self.root / "models"

    @classmethod
    def at(cls, store: str | Path | None = None) -> "Home":
        return cls(resolve_home(store))

    def remote_settings(self) -> RemoteSettings | None:
        """The remote store this home's store.json names, or None for the embedded store."""
        return load_settings(self.root)

    def is_empty(self) -> bool:
        settings = self.remote_settings()
        if settings is not None:
            return not open_store(REMOTE_BACKEND, settings=settings, read_only=True).sources()
        return self.current_snapshot() is None

    # -- readers -------------------------------------------------------------------------------
    def current_snapshot(self) -> Path | None:
        pointer = self.snapshots / "CURRENT"
        try:
            name = pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        path = self.snapshots / name
        return path if path.is_dir() else None

    def open_reader(self) -> GraphStore:
        """The last committed state, read-only; an empty in-memory store for a home never written."""
        settings = self.remote_settings()
        if settings is not None:
            return open_store(REMOTE_BACKEND, settings=settings, read_only=True)
        snapshot = self.current_snapshot()
        if snapshot is None:
            return open_store("memory", read_only=True)
        return open_store("oxigraph", path=snapshot, read_only=True)

    # -- the writer ----------------------------------------------------------------------------
    @contextmanager
    def writer(self, *, timeout: float | None = None,
               on_wait: Callable[[str], None] | None = None) -> Iterator[GraphStore]:
        """Hold the write lock, open the primary database, and publish a snapshot when done."""
        self.root.mkdir(parents=True, exist_ok=True)
        wait = float(os.environ.get(ENV_LOCK_TIMEOUT, "60")) if timeout is None else timeout
        with self._lock(wait, on_wait):
            settings = self.remote_settings()
            store = (open_store(REMOTE_BACKEND, settings=settings) if settings is not None
                     else open_store("oxigraph", path=self.db))
            try:
                store.collect_garbage()
                yield store
            finally:
                try:
                    if store.capabilities.snapshots:
                        self._publish(store)
                finally:
                    store.close()
                    gc.collect()

    @contextmanager
    def index_lock(self, *, timeout: float | None = None,
                   on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the search index's lock while building it: two `vetgraph index` runs never interleave.

        The second waits (told who holds it) and then refreshes from what the first wrote.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        wait = float(os.environ.get(ENV_LOCK_TIMEOUT, "60")) if timeout is None else timeout
        with hold_lock(self.index_lock_file, wait, on_wait, what="index build", target=self.index):
            yield

    @contextmanager
    def _lock(self, wait: float, on_wait: Callable[[str], None] | None) -> Iterator[None]:
        with hold_lock(self.lock_file, wait, on_wait, what="writer", target=self.root):
            yield

    def _publish(self, store: GraphStore) -> None:
        """Checkpoint the primary into a new snapshot, point CURRENT at it, prune old ones."""
        self.snapshots.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.monotonic_ns() % 10**9:09d}"
        target = self.snapshots / name
        try:
            store.snapshot(target)
        except OSError as error:
            raise StoreError(f"cannot publish a snapshot in {self.snapshots}: {error}") from error
        fault_point("store.before-publish")
        pointer = self.snapshots / "CURRENT.tmp"
        pointer.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer, self.snapshots / "CURRENT")
        self._prune(keep=name)

    def _prune(self, keep: str) -> None:
        snapshots = sorted((p for p in self.snapshots.iterdir() if p.is_dir()), key=lambda p: p.name)
        now = time.time()
        for old in snapshots[:-KEEP_SNAPSHOTS]:
            if old.name != keep and now - old.stat().st_mtime > SNAPSHOT_GRACE_SECONDS:
                shutil.rmtree(old, ignore_errors=True)


#: How long a waiter waits for the holder to write its name into the lock file before saying "unknown process".
HOLDER_GRACE_SECONDS = 1.0


@contextmanager
def hold_lock(lock_file: Path, wait: float, on_wait: Callable[[str], None] | None, *,
              what: str, target: Path) -> Iterator[None]:
    """An exclusive flock on ``lock_file``, waiting up to ``wait`` seconds; ``on_wait`` is told once who holds it.

    The holder writes its pid and command into the file and clears them before letting go, so a
    waiter names the process that holds the lock now, not one that held it before.
    """
    handle = lock_file.open("a+")
    began = time.monotonic()
    told = False
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _read_holder(lock_file)
                waited = time.monotonic() - began
                if waited >= wait:
                    raise StoreLockedError(
                        f"{target}: another {what} ({holder or 'unknown process'}) still holds it after "
                        f"{wait:.0f}s; try again when it finishes (or raise {ENV_LOCK_TIMEOUT})") from None
                # The holder writes its name just after it takes the lock: give it a moment to.
                if on_wait and not told and (holder or waited >= HOLDER_GRACE_SECONDS):
                    on_wait(f"waiting for another {what} ({holder or 'unknown process'}) to finish with {target} …")
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}: {_command()}, since {time.strftime('%H:%M:%S')}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _command() -> str:
    """What this process is, for a waiter's message: 'vetgraph ingest corpus/', 'streamlit run app.py' …"""
    argv = sys.argv or ["python"]
    program = Path(argv[0]).name
    if program == "__main__.py":  # python -m PACKAGE
        package = Path(argv[0]).parent.name
        program = "vetgraph" if package == "kg" else f"python -m {package}"
    return " ".join([program, *argv[1:]])[:160]


def _read_holder(lock_file: Path) -> str:
    """The holder's line of a lock file; '' while nobody has written one."""
    try:
        return lock_file.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
