"""GB/T 4754-2017 industries: four levels, broader from the codes, rejected rows, the 374 duplicate, formats."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from ingest.catalogues import majors, occupations
from ingest.catalogues.base import load_table
from ingest.catalogues.industries import KIND
from ingest.registry import ParseResult, choose_ingestor
from kg.errors import SourceError
from kg.store.oxigraph import OxigraphStore
from kg.validate import validate_store
from tests.conftest import ROOT, require_shared
from tests.test_store import _record

VET_LINE = "https://w3id.org/vetgraph/ontology#line"
SOURCE = NamedNode("https://w3id.org/vetgraph/source/test")
CORPUS = ROOT / "corpus" / "catalogues" / "industries.csv"
HEADER = ["level", "level_name", "code", "name", "section", "division", "group", "class", "description"]
GOOD = [
    ["1", "门类", "C", "制造业", "C", "", "", "", ""],
    ["2", "大类", "36", "汽车制造业", "C", "36", "", "", ""],
    ["3", "中类", "361", "汽车整车制造", "C", "36", "361", "", ""],
    ["4", "小类", "3612", "新能源车整车制造", "C", "36", "361", "3612", "新能源汽车整车的制造"],
    ["4", "小类", "3670", "汽车零部件及配件制造", "C", "36", "367", "3670", ""],
]
LEVEL_COUNTS = """SELECT ?level (COUNT(?i) AS ?n) WHERE { ?i a vet:Industry ; vet:industryLevel ?level }
                  GROUP BY ?level"""


def _write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _build(path: Path) -> ParseResult:
    return KIND.build(load_table(path, KIND), SOURCE)


def _store(result: ParseResult) -> OxigraphStore:
    store = OxigraphStore()
    store.commit_source(_record("/industries.csv", "1" * 64), result.triples)
    return store


def _broader(store: OxigraphStore, code: str) -> list[str]:
    rows = store.select(f"SELECT ?code WHERE {{ ?i skos:notation '{code}' ; a vet:Industry ; skos:broader ?b . "
                        f"?b skos:notation ?code }}")
    return [row["code"] for row in rows]


@pytest.fixture(scope="module")
def real() -> tuple[ParseResult, OxigraphStore]:
    result = _build(require_shared("catalogs", "industries_gbt4754_2017.csv"))
    return result, _store(result)


def test_the_real_standard_gives_1771_industries_at_four_levels(real: tuple[ParseResult, OxigraphStore]) -> None:
    result, store = real
    assert store.select("SELECT (COUNT(?i) AS ?n) WHERE { ?i a vet:Industry }") == [{"n": "1771"}]
    levels = {row["level"]: int(row["n"]) for row in store.select(LEVEL_COUNTS)}
    assert levels == {"门类": 20, "大类": 97, "中类": 274, "小类": 1380}
    assert result.counts == {"industries": 1771, "sections": 20, "divisions": 97, "groups": 274, "classes": 1380}
    assert "199 小类 directly under their 大类" in result.summary


def test_every_industry_but_a_section_has_exactly_one_broader(real: tuple[ParseResult, OxigraphStore]) -> None:
    _, store = real
    wrong = store.select("""SELECT ?i ?level (COUNT(?b) AS ?n) WHERE {
        ?i a vet:Industry ; vet:industryLevel ?level OPTIONAL { ?i skos:broader ?b } }
        GROUP BY ?i ?level HAVING ((?level = '门类' && COUNT(?b) != 0) || (?level != '门类' && COUNT(?b) != 1))""")
    assert wrong == []
    tops = store.select("SELECT (COUNT(?i) AS ?n) WHERE { ?i skos:topConceptOf ?s ; vet:industryLevel '门类' }")
    assert tops == [{"n": "20"}]


def test_a_class_hangs_from_its_group_or_else_its_division(real: tuple[ParseResult, OxigraphStore]) -> None:
    _, store = real
    assert _broader(store, "3612") == ["361"]
    assert _broader(store, "361") == ["36"]
    assert _broader(store, "36") == ["C"]
    assert _broader(store, "3670") == ["36"]  # 367 has a single 小类 and no row of its own
    assert store.select("SELECT ?i WHERE { ?i skos:notation '367' }") == []
    direct = store.select("""SELECT (COUNT(?i) AS ?n) WHERE {
        ?i vet:industryLevel '小类' ; skos:broader ?b . ?b vet:industryLevel '大类' }""")
    assert direct == [{"n": "199"}]


def test_the_second_374_is_reported_and_no_3741_is_invented(real: tuple[ParseResult, OxigraphStore]) -> None:
    result, store = real
    assert len(result.rejections) == 1
    duplicate = result.rejections[0]
    assert (duplicate.line, duplicate.other_line, duplicate.key) == (769, 768, "374")
    assert duplicate.values == ("航空、航天器及设备制造", "飞机制造")
    assert store.select("SELECT ?l WHERE { ?i skos:notation '374' ; skos:prefLabel ?l }") == [
        {"l": "航空、航天器及设备制造"}]
    assert store.select("SELECT ?i WHERE { ?i skos:notation '3741' }") == []
    assert _broader(store, "3742") == ["374"]


def test_the_real_standard_conforms_to_the_shapes_with_definitions_and_provenance(
        real: tuple[ParseResult, OxigraphStore]) -> None:
    _, store = real
    row = store.select("""SELECT ?label ?definition ?line ?scheme WHERE {
        ?i skos:notation '011' ; skos:prefLabel ?label ; skos:definition ?definition ; vet:line ?line ;
           skos:inScheme ?scheme ; prov:wasDerivedFrom ?source }""")
    assert len(row) == 1 and row[0]["label"] == "谷物种植" and row[0]["line"] == "4"
    assert row[0]["scheme"] == "https://w3id.org/vetgraph/id/scheme/industries-gbt4754-2017"
    assert row[0]["definition"].startswith("指以收获籽实为主")
    assert store.select("SELECT ?d WHERE { ?i skos:notation '0111' ; skos:definition ?d }") == []
    without_source = store.select("SELECT ?i WHERE { ?i a vet:Industry FILTER NOT EXISTS { ?i vet:line ?l } }")
    assert without_source == []
    assert validate_store(store) == []


@pytest.mark.parametrize(("row", "reason"), [
    (["2", "大类", "3X", "汽车制造业", "C", "3X", "", "", ""], "bad 大类 code '3X': expected 2 digits"),
    (["3", "中类", "3612", "汽车整车制造", "C", "36", "361", "", ""], "bad 中类 code '3612': expected 3 digits"),
    (["1", "门类", "Z", "不存在", "Z", "", "", "", ""], "bad 门类 code 'Z': expected a letter A-T"),
    (["2", "大类", "36", "", "C", "36", "", "", ""], "empty name"),
    (["2", "亚类", "36", "汽车制造业", "C", "36", "", "", ""], "unknown industry level '亚类'"),
    (["3", "大类", "36", "汽车制造业", "C", "36", "", "", ""], "level 3 does not match level name 大类"),
    (["3", "中类", "361", "汽车整车制造", "C", "37", "361", "", ""], "disagrees with its division column"),
    (["4", "小类", "3612", "新能源车整车制造", "C", "36", "361", "3611", ""],
     "disagrees with its class column"),
    (["2", "大类", "36", "汽车制造业", "D", "36", "", "", ""], "no parent in the file: 门类 D not found"),
    (["2", "大类", "36", "汽车制造业", "", "36", "", "", ""], "bad section ''"),
])
def test_a_malformed_row_is_rejected_with_its_line_while_good_rows_load(
        row: list[str], reason: str, tmp_path: Path) -> None:
    result = _build(_write_csv(tmp_path / "i.csv", [GOOD[0], row]))
    assert [r.line for r in result.rejections] == [3]
    assert reason in result.rejections[0].reason
    assert result.counts["industries"] == 1


def test_children_of_a_rejected_row_are_rejected_saying_so(tmp_path: Path) -> None:
    nameless = ["2", "大类", "36", "", "C", "36", "", "", ""]
    result = _build(_write_csv(tmp_path / "i.csv", [GOOD[0], nameless, *GOOD[2:]]))
    assert [(r.line, r.reason) for r in result.rejections] == [
        (3, "empty name"), (4, "its 大类 36 was rejected (line 3)"), (5, "its 中类 361 was rejected (line 4)"),
        (6, "its 大类 36 was rejected (line 3)")]
    assert result.counts["industries"] == 1


def test_a_section_mismatch_with_the_division_is_rejected(tmp_path: Path) -> None:
    other_section = ["3", "中类", "361", "汽车整车制造", "D", "36", "361", "", ""]
    result = _build(_write_csv(tmp_path / "i.csv", [*GOOD[:2], ["1", "门类", "D", "电力", "D", "", "", "", ""],
                                                    other_section]))
    assert [r.line for r in result.rejections] == [5]
    assert "says section D, its 大类 36 is in section C" in result.rejections[0].reason


def test_a_conflicting_duplicate_is_reported_and_an_identical_one_is_not(tmp_path: Path) -> None:
    renamed = ["3", "中类", "361", "整车制造", "C", "36", "361", "", ""]
    result = _build(_write_csv(tmp_path / "i.csv", [*GOOD[:3], renamed, GOOD[2]]))
    assert [(r.line, r.other_line, r.key, r.values) for r in result.rejections] == [
        (5, 4, "361", ("汽车整车制造", "整车制造"))]
    assert result.counts["industries"] == 3


def test_missing_columns_are_an_error_listing_the_expected_ones(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "i.csv", [row[1:4] for row in GOOD], header=HEADER[1:4])
    with pytest.raises(SourceError) as raised:
        load_table(path, KIND)
    message = str(raised.value)
    assert "i.csv:1" in message and "missing column(s) section" in message
    assert "expected: level_name, code, name, section" in message


def test_chinese_headers_are_accepted(tmp_path: Path) -> None:
    chinese = ["层级序号", "层级", "代码", "名称", "门类", "大类", "中类", "小类", "说明"]
    english = {str(t) for t in _build(_write_csv(tmp_path / "en.csv", GOOD)).triples}
    assert {str(t) for t in _build(_write_csv(tmp_path / "zh.csv", GOOD, header=chinese)).triples} == english


def test_csv_xlsx_and_json_lines_give_the_same_triples(tmp_path: Path) -> None:
    import openpyxl

    expected = {str(t) for t in _build(_write_csv(tmp_path / "i.csv", GOOD)).triples}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in GOOD:
        sheet.append(row)
    book.save(tmp_path / "i.xlsx")
    with (tmp_path / "i.jsonl").open("w", encoding="utf-8") as handle:
        for row in GOOD:
            handle.write(json.dumps(dict(zip(HEADER, row)), ensure_ascii=False) + "\n")
    assert choose_ingestor(tmp_path / "i.xlsx").kind == "industries"
    assert {str(t) for t in _build(tmp_path / "i.xlsx").triples} == expected
    assert choose_ingestor(tmp_path / "i.jsonl").kind == "industries"
    jsonl = _build(tmp_path / "i.jsonl").triples
    not_line = lambda triples: {str(t) for t in triples if t[1].value != VET_LINE}  # noqa: E731
    assert not_line(jsonl) == not_line(_build(tmp_path / "i.csv").triples)
    assert {int(t[2].value) for t in jsonl if t[1].value == VET_LINE} == {1, 2, 3, 4, 5}


def test_the_header_tells_industries_from_the_other_catalogues(tmp_path: Path) -> None:
    assert choose_ingestor(_write_csv(tmp_path / "anything.csv", GOOD)).kind == "industries"
    assert KIND.matches(HEADER)
    assert not majors.KIND.matches(HEADER) and not occupations.KIND.matches(HEADER)


def test_the_corpus_sample_ingests_without_rejections_and_conforms() -> None:
    result = _build(CORPUS)
    assert result.rejections == []
    assert 0 < result.counts["industries"] <= 40
    store = _store(result)
    orphans = store.select("""SELECT ?i WHERE { ?i a vet:Industry ; vet:industryLevel ?level
        FILTER(?level != '门类') FILTER NOT EXISTS { ?i skos:broader ?b . ?b a vet:Industry } }""")
    assert orphans == []
    for code, parent in (("3612", "361"), ("3491", "349"), ("5292", "529"), ("6550", "65"), ("8514", "851")):
        assert _broader(store, code) == [parent]
    assert validate_store(store) == []


def test_ingesting_twice_gives_the_same_triples() -> None:
    assert {str(t) for t in _build(CORPUS).triples} == {str(t) for t in _build(CORPUS).triples}


@settings(max_examples=40, deadline=None)
@given(keep=st.lists(st.booleans(), min_size=40, max_size=40))
def test_any_subset_of_rows_gives_a_closed_hierarchy(
        keep: list[bool], tmp_path_factory: pytest.TempPathFactory) -> None:
    """Whatever rows are dropped, every row is either loaded under a loaded parent or rejected."""
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    chosen = [row for row, kept in zip(rows, keep) if kept]
    result = _build(_write_csv(tmp_path_factory.mktemp("subset") / "i.csv", chosen))
    assert result.counts["industries"] + len(result.rejections) == len(chosen)
    nodes = {t[0].value for t in result.triples if t[1].value.endswith("#industryLevel")}
    parents = {t[2].value for t in result.triples if t[1].value.endswith("core#broader")}
    assert parents <= nodes
