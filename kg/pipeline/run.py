"""`vetgraph ingest`: walk the paths, parse each file with its ingestor, commit it atomically, resolve."""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from pyoxigraph import NamedNode

from kg.core import iris
from kg.errors import SourceError, StoreError, UnknownKindError, VetgraphError
from kg.pipeline.report import FileOutcome, IngestReport
from kg.store.base import SourceRecord
from kg.store.home import Home
from kg.store.manifest import file_sha256


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
           on_wait: Callable[[str], None] | None = None, command: str = "vetgraph ingest") -> IngestReport:
    """Ingest files and folders into ``home``; every file is all-or-nothing, the run continues past failures."""
    from ingest.registry import choose_ingestor

    run = iris.run(str(uuid.uuid4()))
    report = IngestReport(run=run)
    started = _now()
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        report.files.append(FileOutcome(str(path), "rejected", reason="no such file or folder"))
    candidates = list(discover(p for p in paths if p.exists()))
    with home.writer(on_wait=on_wait) as store:
        if store.capabilities.read_only:
            raise StoreError(f"{home.root}: the store opened read-only; nothing can be ingested into it")
        if not store.capabilities.transactional:
            report.notes.append("this store backend is not transactional: a file that fails half-way may "
                                "leave part of its statements until it is ingested again")
        known = store.sources()
        owners = {r.document: r.path for r in known.values() if r.document}
        for path, explicit in (progress(candidates) if progress else candidates):
            begun = time.perf_counter()
            resolved = str(path.resolve())
            try:
                ingestor = choose_ingestor(path, kind)
            except UnknownKindError as error:
                status = "rejected" if explicit else "skipped"
                report.files.append(FileOutcome(resolved, status, reason=str(error).split(": ", 1)[-1]))
                continue
            outcome = FileOutcome(resolved, "added", kind=ingestor.kind)
            report.files.append(outcome)
            try:
                sha = file_sha256(path)
                previous = known.get(resolved)
                if previous and previous.sha256 == sha and previous.parser_version == ingestor.parser_version:
                    outcome.status, outcome.triples = "unchanged", previous.triple_count
                    outcome.rejections = previous.rejections
                    continue
                parsed = ingestor.parse(path, NamedNode(iris.source(resolved)))
                owner = owners.get(parsed.document or "")
                if owner and owner != resolved:
                    raise SourceError(path, f"document {parsed.document} already comes from {owner}; "
                                            "rename one of the files or remove the other first")
                record = SourceRecord(
                    iri=iris.source(resolved), path=resolved, sha256=sha, kind=ingestor.kind,
                    parser_version=ingestor.parser_version, graph=iris.source_graph(resolved, sha, ingestor.parser_version),
                    ingested_at=_now(), run=run, document=parsed.document, rejections=parsed.rejections,
                )
                outcome.triples = store.commit_source(record, parsed.triples)
                outcome.status = "replaced" if previous else "added"
                outcome.summary, outcome.rejections = parsed.summary, parsed.rejections
                known[resolved] = record
                if parsed.document:
                    owners[parsed.document] = resolved
            except VetgraphError as error:
                outcome.status, outcome.reason = "rejected", str(error)
            finally:
                outcome.seconds = round(time.perf_counter() - begun, 3)
        if any(f.status in ("added", "replaced") for f in report.files):
            from kg.pipeline.steps import AFTER_INGEST
            from kg.resolve.runner import run_resolvers

            for resolution in run_resolvers(store, AFTER_INGEST):
                report.notes += resolution.notes
            store.record_run(run, started, _now(), command)
    _save(home, report)
    return report


def _save(home: Home, report: IngestReport) -> None:
    home.reports.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report.to_json(), ensure_ascii=False, indent=2)
    # Written beside its final name, then renamed: a reader never sees half a report. The name is
    # unique because this runs after the writer lock is released, so two ingests may finish together.
    temporary = home.reports / f"last-ingest.json.{uuid.uuid4().hex}.tmp"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, home.reports / "last-ingest.json")
