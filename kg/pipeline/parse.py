"""The parse step of an ingest as one top-level function of picklable arguments, so any executor runs it.

``parse_file(ParseTask) -> ParsedFile`` chooses the ingestor, hashes the file and parses it; it never
touches the store. The pipeline runs it in this process, in a process pool (``ingest(workers=N)``) or
in any ``concurrent.futures.Executor`` (a Dask or Ray cluster's: docs/scaling.md), and one writer
commits the results file by file in the order the files were found.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode

from ingest.base import ParseResult
from kg.core import iris
from kg.errors import UnknownKindError, VetgraphError
from kg.store.manifest import file_sha256


@dataclass(frozen=True)
class ParseTask:
    """One file to parse: its path as found, its resolved path, a forced kind, and what the manifest holds.

    ``known_sha256`` and ``known_parser_version`` come from the store's manifest: when both still
    match, the file is not parsed again (the writer checks once more before it commits).
    """

    path: str
    resolved: str
    kind: str | None = None
    known_sha256: str | None = None
    known_parser_version: str | None = None


@dataclass
class ParsedFile:
    """What ``parse_file`` made of one file: triples to commit, or why there are none.

    ``status`` is ``parsed`` (``result`` holds the triples), ``unchanged`` (same content and parser
    as in the manifest), ``unknown`` (no ingestor recognised it; ``reason`` says why) or
    ``rejected`` (the parser refused the whole file; ``reason`` is the error's one line).
    """

    task: ParseTask
    status: str
    kind: str | None = None
    parser_version: str = ""
    sha256: str = ""
    result: ParseResult | None = None
    reason: str = ""
    seconds: float = 0.0


def parse_file(task: ParseTask) -> ParsedFile:
    """Choose the ingestor for ``task.path``, hash the file and parse it, in whatever process runs this."""
    from ingest.registry import choose_ingestor

    begun = time.perf_counter()
    path = Path(task.path)
    try:
        ingestor = choose_ingestor(path, task.kind)
    except UnknownKindError as error:
        return ParsedFile(task, "unknown", reason=str(error), seconds=time.perf_counter() - begun)
    parsed = ParsedFile(task, "parsed", kind=ingestor.kind, parser_version=ingestor.parser_version)
    try:
        parsed.sha256 = file_sha256(path)
        if (task.known_sha256, task.known_parser_version) == (parsed.sha256, parsed.parser_version):
            parsed.status = "unchanged"
        else:
            parsed.result = ingestor.parse(path, NamedNode(iris.source(task.resolved)))
    except VetgraphError as error:
        parsed.status, parsed.reason = "rejected", str(error)
    parsed.seconds = time.perf_counter() - begun
    return parsed
