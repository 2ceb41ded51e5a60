"""Run a user's read-only query under the query limits, in worker processes that can be killed.

pyoxigraph cannot cancel a query and a thread cannot be stopped, so each query runs in a warm
worker process (``kg.query.worker``) that holds the home's reader snapshot open. A query that
passes ``QueryLimits.timeout_s`` has its worker killed (QueryTimeout) and a fresh one started in
its place; a worker reopens the store by itself when an ingest publishes a new snapshot.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import weakref
from collections.abc import Iterable
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from kg.errors import QueryBusy, QueryError, QueryTimeout, StoreError
from kg.query.guard import check_read_only
from kg.query.limits import QueryLimits
from kg.query.worker import QueryAnswer, QueryRequest
from kg.store.base import GRAPH_FORMATS, RESULTS_FORMATS
from kg.store.home import Home

#: The worker's program: its module imported by name, so what it pickles loads here.
_WORKER = "import sys; from kg.query.worker import main; main(sys.argv[1:])"
#: How long a new worker may take to start and open the store before the runner gives up on it.
STARTUP_SECONDS = 60.0


class _Worker:
    """One worker process (``kg.query.worker.main`` in a fresh interpreter) and the parent's end of its socket.

    A fresh interpreter rather than multiprocessing's spawn, which would import the parent's main
    script again (a script without a main guard, a Streamlit app), or fork, unsafe in a threaded parent.
    """

    def __init__(self, root: str) -> None:
        parent, child = socket.socketpair()
        with child:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _WORKER, str(child.fileno()), root],
                pass_fds=[child.fileno()], stdin=subprocess.DEVNULL, env=_worker_env())
        self.connection = Connection(parent.detach())
        self.ready = False

    def wait_ready(self) -> None:
        """Block until the worker has opened the store (not counted in any query's time)."""
        if self.ready:
            return
        if not self.connection.poll(STARTUP_SECONDS):
            raise StoreError(f"a query worker did not start within {STARTUP_SECONDS:g} s")
        status, payload = _receive(self.connection)
        if status == "failed":
            raise payload
        self.ready = True

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.connection.close()


class QueryRunner:
    """A small pool of warm query workers over one home; ``run`` is safe to call from many threads."""

    def __init__(self, home: Home, *, workers: int = 1) -> None:
        if workers < 1:
            raise ValueError("a query runner needs at least one worker")
        self.home = home
        #: Workers killed and replaced so far (a query past its time, or a worker that died).
        self.replaced = 0
        self._lock = threading.Lock()
        self._closed = False
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._finalizer = weakref.finalize(self, _stop_all, self._workers)  # at exit too: no worker outlives us
        for _ in range(workers):
            self._idle.put(self._start())

    def run(self, query: str, limits: QueryLimits | None = None, *, results_format: str = "json",
            graph_format: str = "turtle") -> QueryAnswer:
        """``query``'s answer, cut at the row limit; QueryTimeout when it passes the time limit.

        Raises QueryRefused for an update or a SERVICE call, QueryError for a malformed query,
        QueryBusy when no worker became free within the time limit, StoreError when a worker fails.
        """
        if self._closed:
            raise StoreError("the query runner was closed")
        limits = limits or QueryLimits.from_env()
        check_read_only(query)
        _known(results_format, RESULTS_FORMATS, "results")
        _known(graph_format, GRAPH_FORMATS, "graph")
        try:
            worker = self._idle.get(timeout=limits.timeout_s)
        except queue.Empty:
            raise QueryBusy(f"every query worker stayed busy for {limits.timeout_s:g} s; try again") from None
        if worker.process.poll() is not None:  # died while idle (killed from outside): not this query's fault
            worker = self._replace(worker)
        try:
            worker.wait_ready()
            worker.connection.send(QueryRequest(query, results_format, graph_format, limits.row_limit))
            if not worker.connection.poll(limits.timeout_s):
                worker = self._replace(worker)
                raise QueryTimeout(f"the query ran past the {limits.timeout_s:g} s time limit and was stopped")
            status, payload = _receive(worker.connection)
        except (EOFError, OSError, StoreError) as error:
            worker = self._replace(worker)
            raise StoreError(f"the query worker stopped: {str(error) or type(error).__name__}") from error
        finally:
            self._give_back(worker)
        if status == "error":
            raise payload
        return payload

    def close(self) -> None:
        """Stop every worker; the runner cannot be used afterwards."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        _stop_all(workers)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    # -- the pool --------------------------------------------------------------------------------
    def _start(self) -> _Worker:
        worker = _Worker(str(self.home.root))
        with self._lock:
            self._workers.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        """Kill ``worker`` and start a fresh one in its place (it opens the store while nobody waits)."""
        with self._lock:
            self._workers.discard(worker)
            self.replaced += 1
            closed = self._closed
        worker.stop()
        return worker if closed else self._start()

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            closed = self._closed
        if closed:
            worker.stop()
        else:
            self._idle.put(worker)


def _stop_all(workers: Iterable[_Worker]) -> None:
    for worker in list(workers):
        worker.stop()


def _receive(connection: Connection) -> tuple[str, Any]:
    message = connection.recv()
    if not (isinstance(message, tuple) and len(message) == 2):
        raise StoreError(f"a query worker sent something unexpected: {message!r}")
    return message


def _worker_env() -> dict[str, str]:
    """This environment, with the folder holding ``kg`` first on the path (a checkout that is not installed)."""
    env = dict(os.environ)
    source = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p)
    return env


def _known(name: str, names: tuple[str, ...], what: str) -> None:
    if name not in names:
        raise QueryError(f"unknown {what} format '{name}'; known: {', '.join(names)}")
