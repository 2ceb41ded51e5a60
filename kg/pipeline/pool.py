"""Run ``parse_file`` over many files, here or in worker processes, and hand the results back in order.

The writer needs the files in the order they were found (so the graph is the same for any number
of workers) and should never hold more than a few parsed files at once, so at most ``ahead`` tasks
are in flight: a slow writer holds back the parsers instead of filling the memory.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from kg.errors import VetgraphError
from kg.pipeline.parse import ParsedFile, ParseTask, parse_file

#: ``workers=0`` means one per core, at most this many (the single writer cannot take more).
MAX_AUTO_WORKERS = 8
#: Parsed files held ready for the writer, per worker.
AHEAD_PER_WORKER = 2


def resolve_workers(workers: int) -> int:
    """The number of parse processes for ``workers`` (0: one per core, capped at MAX_AUTO_WORKERS)."""
    if workers < 0:
        raise VetgraphError(f"workers must be 0 (one per core) or more, not {workers}")
    if workers == 0:
        return max(1, min(os.cpu_count() or 1, MAX_AUTO_WORKERS))
    return workers


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool whose workers start from a clean interpreter (forkserver, else spawn), never a fork of the
    writer: the writer holds an open database with its own threads by the time parsing starts."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))


def parse_in_order(tasks: Iterable[ParseTask], *, workers: int = 1,
                   executor: Executor | None = None) -> Iterator[ParsedFile]:
    """``parse_file`` of each task, in the tasks' order: in this process for one worker and no executor,
    else in ``executor`` (or a process pool of ``workers`` started and stopped here)."""
    if executor is None and workers <= 1:
        yield from map(parse_file, tasks)
        return
    pool = executor if executor is not None else process_pool(workers)
    ahead = max(1, workers) * AHEAD_PER_WORKER
    pending: deque[Future[ParsedFile]] = deque()
    remaining = iter(tasks)
    try:
        for task in remaining:
            pending.append(pool.submit(parse_file, task))
            if len(pending) >= ahead:
                break
        while pending:
            parsed = pending.popleft().result()
            for task in remaining:
                pending.append(pool.submit(parse_file, task))
                break
            yield parsed
    except BrokenProcessPool as error:  # from a result, or from submitting to a pool that lost a worker
        raise VetgraphError("a parse worker died (killed, out of memory, or started from a script without "
                            f"an `if __name__ == '__main__':` guard); nothing more was ingested: {error}") from error
    finally:
        for future in pending:
            future.cancel()
        if executor is None:
            pool.shutdown(wait=True, cancel_futures=True)
