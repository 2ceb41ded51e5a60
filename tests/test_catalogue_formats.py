"""Every catalogue kind: CSV, XLSX (text or number cells) and JSON Lines give the same triples."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyoxigraph import Literal

from ingest.catalogues import certificates, industries, majors, occupations
from ingest.catalogues.base import CatalogueKind
from ingest.catalogues.standards import COURSES_KIND, OCCUPATIONS_KIND
from ingest.registry import choose_ingestor
from kg.core.rdf import Triple
from tests import test_catalogue_certificates as certificate_tests
from tests import test_catalogue_industries as industry_tests
from tests import test_catalogue_majors as major_tests
from tests import test_catalogue_occupations as occupation_tests
from tests import test_catalogue_standards as standard_tests
from tests.catalogue_helpers import VET_LINE, build, triple_strings, without_lines, write_csv, write_jsonl, write_xlsx


@dataclass(frozen=True)
class Sample:
    """A kind and a small good table of it (the one its own tests use)."""

    kind: CatalogueKind
    header: list[str]
    rows: list[list[str]]


SAMPLES = [
    Sample(majors.KIND, major_tests.HEADER, major_tests.GOOD),
    Sample(industries.KIND, industry_tests.HEADER, industry_tests.GOOD),
    Sample(occupations.KIND, occupation_tests.HEADER, occupation_tests.GOOD),
    Sample(certificates.KIND, certificate_tests.HEADER, certificate_tests.GOOD),
    Sample(COURSES_KIND, standard_tests.COURSE_HEADER, standard_tests.COURSES),
    Sample(OCCUPATIONS_KIND, standard_tests.OCCUPATION_HEADER, standard_tests.OCCUPATIONS),
]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda sample: sample.kind.kind)
def test_csv_xlsx_and_json_lines_give_the_same_triples(sample: Sample, tmp_path: Path) -> None:
    kind, header, rows = sample.kind, sample.header, sample.rows
    paths = (write_csv(tmp_path / "t.csv", header, rows), write_xlsx(tmp_path / "text.xlsx", header, rows),
             write_xlsx(tmp_path / "numbers.xlsx", header, rows, numbers=True),
             write_jsonl(tmp_path / "t.jsonl", header, rows))
    assert [choose_ingestor(path).kind for path in paths] == [kind.kind] * 4
    from_csv, from_text, from_numbers, from_jsonl = (build(kind, path) for path in paths)
    assert from_csv.rejections == [] and from_csv.triples
    assert triple_strings(from_text.triples) == triple_strings(from_csv.triples)
    assert triple_strings(from_numbers.triples) == triple_strings(from_csv.triples)
    # JSON Lines has no header line: each object's line is its own physical line.
    assert without_lines(from_jsonl.triples) == without_lines(from_csv.triples)
    assert {int(t[2].value) for t in from_jsonl.triples if t[1].value == VET_LINE} == set(range(1, len(rows) + 1))


def _write_gbk_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """The table as a GBK CSV, as spreadsheet software on Chinese Windows saves it."""
    import csv

    with path.open("w", encoding="gbk", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _chinese_literals(triples: Iterable[Triple]) -> set[str]:
    """The literal values that are not plain ASCII."""
    return {t[2].value for t in triples if isinstance(t[2], Literal) and not t[2].value.isascii()}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda sample: sample.kind.kind)
def test_a_gbk_csv_gives_the_same_triples_as_utf8(sample: Sample, tmp_path: Path) -> None:
    kind, header, rows = sample.kind, sample.header, sample.rows
    utf8 = write_csv(tmp_path / "utf8.csv", header, rows)
    gbk = _write_gbk_csv(tmp_path / "gbk.csv", header, rows)
    with pytest.raises(UnicodeDecodeError):
        gbk.read_bytes().decode("utf-8")  # really GBK, not UTF-8 by accident
    assert choose_ingestor(gbk).kind == kind.kind
    from_utf8, from_gbk = build(kind, utf8), build(kind, gbk)
    assert from_gbk.rejections == from_utf8.rejections == [] and from_gbk.triples
    assert triple_strings(from_gbk.triples) == triple_strings(from_utf8.triples)
    names = _chinese_literals(from_gbk.triples)
    cells = {cell for row in rows for cell in row if not cell.isascii()}
    assert names and names & cells  # the Chinese names came through intact


def test_a_gbk_csv_with_chinese_headers_is_detected_and_read(tmp_path: Path) -> None:
    header = ["层次", "专业代码", "专业名称", "专业大类代码", "专业大类", "专业类代码", "专业类"]
    rows = [row[1:8] for row in major_tests.GOOD]
    gbk = _write_gbk_csv(tmp_path / "专业目录.csv", header, rows)
    assert choose_ingestor(gbk).kind == "majors"
    from_gbk = build(majors.KIND, gbk)
    assert from_gbk.rejections == []
    assert triple_strings(from_gbk.triples) == triple_strings(build(majors.KIND, write_csv(
        tmp_path / "utf8.csv", header, rows)).triples)
    assert {"新能源汽车技术", "工业机器人技术", "护理", "装备制造大类", "汽车制造类"} <= _chinese_literals(from_gbk.triples)
