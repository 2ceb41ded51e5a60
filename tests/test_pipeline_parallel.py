"""Parallel ingest: parsing in worker processes gives the same graph, manifest and report as in one."""

from __future__ import annotations

import pickle
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, serialize

from kg.errors import VetgraphError
from kg.pipeline.parse import ParseTask, parse_file
from kg.pipeline.pool import MAX_AUTO_WORKERS, resolve_workers
from kg.pipeline.report import IngestReport
from kg.pipeline.run import ingest
from kg.store.home import Home
from tests.conftest import ROOT

CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """corpus/ copied (so the paths are the same for every home), plus an empty file named explicitly
    (rejected by its parser) and a path that does not exist."""
    folder = tmp_path_factory.mktemp("sources")
    shutil.copytree(CORPUS, folder / "corpus")
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    return [folder / "corpus", empty, folder / "missing.md"]


def _ingest(root: Path, sources: list[Path], workers: int, **options: object) -> tuple[Home, IngestReport]:
    home = Home(root)
    return home, ingest(home, sources, workers=workers, **options)


@pytest.fixture(scope="session")
def by_workers(sources: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Home, IngestReport]]:
    return {workers: _ingest(tmp_path_factory.mktemp(f"workers-{workers}") / "home", sources, workers)
            for workers in (1, 2)}


def _data_quads(home: Home) -> list[str]:
    """Every data quad as sorted N-Quads (the parsers make no blank nodes, so strings compare exactly)."""
    text = serialize(home.open_reader().quads(), format=RdfFormat.N_QUADS).decode("utf-8")
    return sorted(text.splitlines())


def _manifest(home: Home) -> dict[str, dict[str, object]]:
    """The manifest without what differs between any two runs (the time and the run's IRI)."""
    with home.writer() as store:
        records = store.sources()
    return {path: {k: v for k, v in asdict(r).items() if k not in ("ingested_at", "run")}
            for path, r in records.items()}


def _outcomes(report: IngestReport) -> list[dict[str, object]]:
    return [{k: v for k, v in asdict(f).items() if k != "seconds"} for f in report.files]


def test_two_workers_write_the_same_graph_as_one(by_workers: dict[int, tuple[Home, IngestReport]]) -> None:
    (one, _), (two, _) = by_workers[1], by_workers[2]
    quads = _data_quads(one)
    assert len(quads) > 5000
    assert _data_quads(two) == quads
    assert _manifest(two) == _manifest(one)


def test_two_workers_report_every_file_the_same_way(by_workers: dict[int, tuple[Home, IngestReport]]) -> None:
    one, two = by_workers[1][1], by_workers[2][1]
    assert _outcomes(two) == _outcomes(one)
    assert two.notes == one.notes
    statuses = {Path(f.path).name: (f.status, f.reason) for f in two.files}
    assert statuses["empty.txt"][0] == "rejected" and "empty" in statuses["empty.txt"][1]
    assert statuses["missing.md"] == ("rejected", "no such file or folder")
    assert statuses["README.md"][0] == "skipped"
    assert {f.kind for f in two.files if f.status == "added"} >= {"policy", "course-standard", "majors"}
    assert two.exit_code(strict=False) == 1


def test_a_second_ingest_with_workers_changes_nothing(sources: list[Path], tmp_path: Path,
                                                      by_workers: dict[int, tuple[Home, IngestReport]]) -> None:
    home, first = _ingest(tmp_path / "home", sources, 2)
    again = ingest(home, sources, workers=2)
    assert [f.status for f in again.files] == [
        "unchanged" if f.status == "added" else f.status for f in first.files]
    assert _data_quads(home) == _data_quads(by_workers[1][0])


def test_any_executor_runs_the_parse_function(sources: list[Path], tmp_path: Path,
                                              by_workers: dict[int, tuple[Home, IngestReport]]) -> None:
    with ThreadPoolExecutor(max_workers=2) as executor:
        home, report = _ingest(tmp_path / "home", sources, 3, executor=executor)
    assert _outcomes(report) == _outcomes(by_workers[1][1])
    assert _data_quads(home) == _data_quads(by_workers[1][0])


def test_progress_sees_every_file_in_order_with_workers(sources: list[Path], tmp_path: Path) -> None:
    seen: list[Path] = []

    def progress(items):
        for item in items:
            seen.append(item[0])
            yield item

    _, report = _ingest(tmp_path / "home", sources[:2], 2, progress=progress)
    assert [str(p.resolve()) for p in seen] == [f.path for f in report.files]


def test_the_parse_task_and_its_result_cross_a_process_boundary() -> None:
    path = CORPUS / "course_standards" / "tour-guide-practice.txt"
    task = ParseTask(str(path), str(path.resolve()))
    parsed = pickle.loads(pickle.dumps(parse_file(pickle.loads(pickle.dumps(task)))))
    assert parsed.status == "parsed" and parsed.kind == "course-standard"
    assert parsed.result is not None and len(parsed.result.triples) > 100
    unchanged = parse_file(replace(task, known_sha256=parsed.sha256, known_parser_version=parsed.parser_version))
    assert unchanged.status == "unchanged" and unchanged.result is None


def test_workers_zero_means_one_per_core_capped() -> None:
    assert 1 <= resolve_workers(0) <= MAX_AUTO_WORKERS
    assert resolve_workers(3) == 3
    with pytest.raises(VetgraphError, match="workers must be"):
        resolve_workers(-1)


def test_the_cli_takes_workers(tmp_path: Path) -> None:
    from kg.cli.main import cli

    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "home"), "ingest", "--workers", "2",
                                      str(CORPUS / "policy")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "--workers" in CliRunner().invoke(cli, ["ingest", "--help"]).output
