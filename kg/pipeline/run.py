"""`vetgraph ingest`: walk the paths, parse each file (here or in workers), commit each atomically in order, resolve."""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from kg.core import iris
from kg.core.faults import fault_point
from kg.errors import SourceError, StoreError, VetgraphError
from kg.pipeline.parse import ParsedFile, ParseTask
from kg.pipeline.pool import parse_in_order, resolve_workers
from kg.pipeline.report import FileOutcome, IngestReport
from kg.store.base import GraphStore, SourceRecord
from kg.store.home import Home
from kg.store.version import store_version

REPORT_FILE = "last-ingest.json"


def discover(paths: Iterable[Path]) -> Iterator[tuple[Path, bool]]:
    """Files to consider, with whether they were named explicitly (True) or found in a folder (False)."""
    for path in paths:
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in found.relative_to(path).parts):
                    yield found, False
        else:
            yield path, True


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def ingest(home: Home, paths: list[Path], *, kind: str | None = None,
           progress: Callable[[Iterable[tuple[Path, bool]]], Iterable[tuple[Path, bool]]] | None = None,
           on_wait: Callable[[str], None] | None = None, command: str = "vetgraph ingest",
           workers: int = 1, executor: Executor | None = None) -> IngestReport:
    """Ingest files and folders into ``home``; every file is all-or-nothing, the run continues past failures.

    ``workers`` > 1 parses in that many processes (0: one per core, capped) while this process alone
    writes, file by file in the order the files were found, so the graph and the report are the same
    for any number of workers. ``executor`` (any concurrent.futures.Executor, e.g. a Dask client's)
    runs the parsing instead, with ``workers`` files in flight.
    """
    run = iris.run(str(uuid.uuid4()))
    report = IngestReport(run=run)
    started = _now()
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        report.files.append(FileOutcome(str(path), "rejected", reason="no such file or folder"))
    candidates = list(discover(p for p in paths if p.exists()))
    workers = min(resolve_workers(workers), max(1, len(candidates)))
    with home.writer(on_wait=on_wait) as store:
        if store.capabilities.read_only:
            raise StoreError(f"{home.root}: the store opened read-only; nothing can be ingested into it")
        if not store.capabilities.transactional:
            report.notes.append("this store backend is not transactional: a file that fails half-way may "
                                "leave part of its statements until it is ingested again")
        known = store.sources()
        owners = {r.document: r.path for r in known.values() if r.document}
        tasks = [_task(path, kind, known) for path, _ in candidates]
        with closing(parse_in_order(tasks, workers=workers, executor=executor)) as parsed_files:
            for (_path, explicit), parsed in zip(progress(candidates) if progress else candidates, parsed_files):
                report.files.append(_write(store, parsed, explicit, run, known, owners))
        changed = any(f.status in ("added", "replaced") for f in report.files)
        if changed or store_version(store).derived_stale:
            from kg.pipeline.derive import rebuild_derived

            if not changed:
                report.notes.append("derived graphs were not marked complete (an earlier run stopped before it "
                                    "rebuilt them, or the home predates the mark): rebuilt now")
            for resolution in rebuild_derived(store):
                report.notes += resolution.notes
        if changed:
            store.record_run(run, started, _now(), command)
    _save(home, report)
    return report


def _task(path: Path, kind: str | None, known: dict[str, SourceRecord]) -> ParseTask:
    resolved = str(path.resolve())
    previous = known.get(resolved)
    return ParseTask(str(path), resolved, kind, previous.sha256 if previous else None,
                     previous.parser_version if previous else None)


def _write(store: GraphStore, parsed: ParsedFile, explicit: bool, run: str,
           known: dict[str, SourceRecord], owners: dict[str, str]) -> FileOutcome:
    """Commit one parsed file (the writer's part); ``known`` and ``owners`` follow what was written."""
    resolved = parsed.task.resolved
    if parsed.status == "unknown":
        return FileOutcome(resolved, "rejected" if explicit else "skipped", reason=parsed.reason.split(": ", 1)[-1])
    begun = time.perf_counter()
    outcome = FileOutcome(resolved, "added", kind=parsed.kind)
    try:
        previous = known.get(resolved)
        if parsed.status == "rejected":
            outcome.status, outcome.reason = "rejected", parsed.reason
        elif (previous and previous.sha256 == parsed.sha256
              and previous.parser_version == parsed.parser_version):
            outcome.status, outcome.triples = "unchanged", previous.triple_count
            outcome.rejections = previous.rejections
        else:
            result = parsed.result
            assert result is not None and parsed.kind is not None
            owner = owners.get(result.document or "")
            if owner and owner != resolved:
                raise SourceError(parsed.task.path, f"document {result.document} already comes from {owner}; "
                                                    "rename one of the files or remove the other first")
            record = SourceRecord(
                iri=iris.source(resolved), path=resolved, sha256=parsed.sha256, kind=parsed.kind,
                parser_version=parsed.parser_version,
                graph=iris.source_graph(resolved, parsed.sha256, parsed.parser_version),
                ingested_at=_now(), run=run, document=result.document, rejections=result.rejections,
            )
            outcome.triples = store.commit_source(record, result.triples)
            fault_point("ingest.switched")
            outcome.status = "replaced" if previous else "added"
            outcome.summary, outcome.rejections = result.summary, result.rejections
            known[resolved] = record
            if result.document:
                owners[result.document] = resolved
    except VetgraphError as error:
        outcome.status, outcome.reason = "rejected", str(error)
    finally:
        outcome.seconds = round(parsed.seconds + time.perf_counter() - begun, 3)
    return outcome


def _save(home: Home, report: IngestReport) -> None:
    """Write the report atomically: a temporary file beside it, flushed to disk, then renamed over it.

    A crash at any point leaves the previous report whole. The temporary name carries the process id
    (this runs after the writer lock is released, so two ingests may finish together), and leftovers of
    processes that died are removed.
    """
    home.reports.mkdir(parents=True, exist_ok=True)
    _remove_dead_leftovers(home.reports)
    data = json.dumps(report.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
    temporary = home.reports / f"{REPORT_FILE}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        with temporary.open("wb") as out:
            out.write(data[:len(data) // 2])
            fault_point("report.half-written")
            out.write(data[len(data) // 2:])
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, home.reports / REPORT_FILE)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(home.reports)


def _remove_dead_leftovers(folder: Path) -> None:
    """Temporary reports of processes that are gone (killed while writing one)."""
    for leftover in folder.glob(f"{REPORT_FILE}.*.tmp"):
        pid = leftover.name[len(REPORT_FILE) + 1:].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform allows opening a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
