"""The query worker: a child process that holds the home's reader snapshot open and answers queries.

It runs in its own process so that the runner can kill it when a query passes its time limit
(pyoxigraph cannot cancel a query and a thread cannot be stopped). Before each query it looks at
the home's current snapshot and reopens the store when an ingest has published a newer one.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from kg.errors import StoreError, VetgraphError
from kg.query.cut import cut_solutions
from kg.query.guard import query_form, with_row_cap
from kg.store.base import GraphStore, QueryResult
from kg.store.home import Home


@dataclass(frozen=True)
class QueryRequest:
    """One query for a worker, with the formats to answer in and the row limit to cut at."""

    query: str
    results_format: str
    graph_format: str
    row_limit: int


@dataclass(frozen=True)
class QueryAnswer:
    """A query's serialised answer; ``rows`` counts a SELECT's solutions kept, ``truncated`` says some were dropped.

    A CONSTRUCT or DESCRIBE is built from at most ``row_limit`` solutions; its ``rows`` is None.
    ``snapshot`` names the snapshot that answered (None for a home never written).
    """

    result: QueryResult
    rows: int | None
    truncated: bool
    snapshot: str | None


def answer(store: GraphStore, request: QueryRequest, snapshot: str | None = None) -> QueryAnswer:
    """Run ``request`` on ``store``: sent with a LIMIT one above the row limit, then cut at the limit."""
    form = query_form(request.query)
    cap = request.row_limit if form in ("CONSTRUCT", "DESCRIBE") else request.row_limit + 1
    result = store.query(with_row_cap(request.query, cap), results_format=request.results_format,
                         graph_format=request.graph_format)
    if result.kind != "select":
        return QueryAnswer(result, None, False, snapshot)
    body, rows, truncated = cut_solutions(result.body, result.format, request.row_limit)
    return QueryAnswer(QueryResult(result.kind, result.format, body), rows, truncated, snapshot)


def serve_queries(connection: Connection, root: str) -> None:
    """The worker's loop: say "ready" once the store is open, then answer each request until the pipe closes."""
    home = Home(Path(root))
    try:
        snapshot = home.current_snapshot()
        store = home.open_reader()
    except VetgraphError as error:
        connection.send(("failed", error))
        return
    connection.send(("ready", str(snapshot) if snapshot else None))
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        try:
            current = home.current_snapshot()
            if current != snapshot:
                store.close()
                snapshot, store = current, home.open_reader()
            reply = ("ok", answer(store, request, str(snapshot) if snapshot else None))
        except VetgraphError as error:
            reply = ("error", error)
        except Exception as error:  # noqa: BLE001 (anything else still answers: the runner is not left waiting)
            reply = ("error", StoreError(f"the query worker failed: {type(error).__name__}: {error}"))
        try:
            connection.send(reply)
        except OSError:  # the runner is gone
            return


def main(argv: list[str]) -> None:
    """``[FD, HOME]``: answer queries over the socket FD until it closes (the runner starts it with ``python -c``)."""
    descriptor, root = argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the runner stops us
    serve_queries(Connection(int(descriptor)), root)

