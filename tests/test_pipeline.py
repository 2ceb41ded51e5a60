"""The ingest pipeline: all-or-nothing per file, readers beside a writer, the saved report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.pipeline.run import ingest
from kg.query.stats import class_counts
from kg.store.home import Home
from kg.store.oxigraph import OxigraphStore
from tests.conftest import ROOT, require_shared


def _state(home: Home) -> tuple[dict[str, int], int]:
    reader = home.open_reader()
    return class_counts(reader), sum(1 for _ in reader.quads(include_system=True))


@pytest.mark.parametrize("fail_after", [1, 500])
def test_a_failure_half_way_through_a_file_leaves_the_store_as_it_was(
        fail_after: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = Home(tmp_path / "home")
    law = require_shared("policy", "vocational-education-law-2022.md")
    seed = require_shared("policy", "000_63c5338d7d9bffda.txt")
    ingest(home, [law])
    before = _state(home)
    original = OxigraphStore.commit_source

    def failing_commit(self, record, triples):
        def stream():
            for n, triple in enumerate(triples):
                if n == fail_after:
                    raise OSError("injected failure")
                yield triple
        return original(self, record, stream())

    monkeypatch.setattr(OxigraphStore, "commit_source", failing_commit)
    report = ingest(home, [seed])
    assert [f.status for f in report.files] == ["rejected"]
    assert "injected failure" in report.files[0].reason and "nothing was stored" in report.files[0].reason
    assert report.exit_code(strict=False) == 1
    assert _state(home) == before
    monkeypatch.setattr(OxigraphStore, "commit_source", original)
    with home.writer() as store:  # nothing left behind for the next writer either
        assert len(store.sources()) == 1
        assert store.collect_garbage() == []


def test_a_reader_opened_before_an_ingest_keeps_working_during_and_after_it(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    ingest(home, [require_shared("policy", "beijing-vocational-education-law-implementation.md")])
    reader = home.open_reader()
    seen_during: list[int] = []
    report = ingest(home, [require_shared("policy", "000_63c5338d7d9bffda.txt")],
                    progress=lambda items: (seen_during.append(class_counts(reader)["PolicyDocument"]) or item
                                            for item in items))
    assert report.count("added") == 1
    assert seen_during == [1]
    assert class_counts(reader)["PolicyDocument"] == 1  # the open reader keeps its snapshot
    assert class_counts(home.open_reader())["PolicyDocument"] == 2


def test_the_report_is_saved_as_json(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    broken = tmp_path / "empty.txt"
    broken.write_bytes(b"")
    report = ingest(home, [broken, require_shared("policy", "000_63c5338d7d9bffda.txt")])
    saved = json.loads((home.reports / "last-ingest.json").read_text(encoding="utf-8"))
    assert saved["run"] == report.run
    statuses = {Path(f["path"]).name: (f["status"], f["reason"]) for f in saved["files"]}
    assert statuses["empty.txt"][0] == "rejected" and "empty" in statuses["empty.txt"][1]
    assert statuses["000_63c5338d7d9bffda.txt"][0] == "added"


def test_the_report_is_replaced_atomically_leaving_no_temporary(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import kg.pipeline.run

    home = Home(tmp_path / "home")
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(source: str | Path, target: str | Path) -> None:
        replaced.append((Path(source).name, Path(target).name))
        return real_replace(source, target)

    monkeypatch.setattr(kg.pipeline.run.os, "replace", spy)
    ingest(home, [ROOT / "corpus" / "policy" / "demo-county-training-plan.html"])
    assert any(target == "last-ingest.json" and source.endswith(".tmp") for source, target in replaced)
    assert [p.name for p in home.reports.iterdir()] == ["last-ingest.json"]
    assert json.loads((home.reports / "last-ingest.json").read_text(encoding="utf-8"))["files"]


def test_the_same_document_from_two_files_is_refused(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    first, second = tmp_path / "a" / "opinion.txt", tmp_path / "b" / "opinion.md"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text("关于测试的意见\n一、总体要求\n", encoding="utf-8")
    report = ingest(home, [first, second])
    assert [f.status for f in report.files] == ["added", "rejected"]
    assert "already comes from" in report.files[1].reason and str(first.resolve()) in report.files[1].reason


def test_flagged_rows_load_and_are_not_counted_as_rejected(tmp_path: Path) -> None:
    courses = tmp_path / "courses.csv"
    courses.write_text(
        "source_pdf,level,level_zh,major_code,major_name,course_seq,course_name\n"
        "a.pdf,voc_associate,高职,460702,新能源汽车技术,1,汽车电工电子技术\n"
        "a.pdf,voc_associate,高职,460702,新能源汽车技术,2,实训基地。\n"
        "a.pdf,voc_associate,高职,4607x2,新能源汽车技术,3,汽车构造\n", encoding="utf-8")
    report = ingest(Home(tmp_path / "home"), [courses])
    assert (report.rejected_rows, report.flagged_rows) == (1, 1)
    assert report.exit_code(strict=False) == 0 and report.exit_code(strict=True) == 1
    with Home(tmp_path / "home").writer() as store:  # the manifest keeps which notes were kept
        kept = [(r.line, r.kept) for r in store.sources()[str(courses.resolve())].rejections]
    assert sorted(kept) == [(3, True), (4, False)]
    again = ingest(Home(tmp_path / "home"), [courses])
    assert [f.status for f in again.files] == ["unchanged"] and (again.rejected_rows, again.flagged_rows) == (1, 1)


class _WithCapabilities:
    """A real store seen through other capabilities: what the pipeline does depends on them alone."""

    def __init__(self, store, **changes: bool) -> None:  # noqa: ANN001 - any GraphStore
        from dataclasses import replace

        self._store = store
        self.capabilities = replace(store.capabilities, **changes)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._store, name)


def _writer_with(monkeypatch: pytest.MonkeyPatch, **changes: bool) -> None:
    from contextlib import contextmanager

    original = Home.writer

    @contextmanager
    def writer(self: Home, **kwargs):  # noqa: ANN003, ANN202
        with original(self, **kwargs) as store:
            yield _WithCapabilities(store, **changes)

    monkeypatch.setattr(Home, "writer", writer)


def test_a_read_only_store_is_refused_before_anything_is_parsed(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.errors import StoreError

    _writer_with(monkeypatch, read_only=True)
    home = Home(tmp_path / "home")
    with pytest.raises(StoreError, match="read-only; nothing can be ingested"):
        ingest(home, [ROOT / "corpus" / "policy"])
    assert class_counts(home.open_reader()) == {}


def test_a_store_that_is_not_transactional_is_noted_in_the_report(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _writer_with(monkeypatch, transactional=False)
    report = ingest(Home(tmp_path / "home"), [ROOT / "corpus" / "policy"])
    assert report.count("added") == 3
    assert any("not transactional" in note for note in report.notes)
    monkeypatch.undo()
    again = ingest(Home(tmp_path / "other"), [ROOT / "corpus" / "policy"])
    assert not any("not transactional" in note for note in again.notes)
