"""职业分类大典 2022: occupations under 大/中/小类 groups, L/S markers, group-name conflicts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ingest.base import ParseResult
from ingest.catalogues import industries, majors
from ingest.catalogues.occupations import KIND
from ingest.registry import choose_ingestor
from kg.store.oxigraph import OxigraphStore
from kg.validate.shacl import validate_store
from tests.catalogue_helpers import build, load_error, store_of, triple_strings, write_csv
from tests.conftest import ROOT, require_shared

CORPUS = ROOT / "corpus" / "catalogues" / "occupations.csv"
HEADER = ["occupation_code", "occupation_name", "major_category_code", "major_category_name",
          "middle_category_code", "middle_category_name", "minor_category_code", "minor_category_name",
          "definition", "included_work_types", "markers", "catalog_version", "source_type", "source",
          "source_page", "major_category_name_fixed"]
PRODUCTION = ["6", "生产制造及有关人员", "6-31", "生产辅助人员", "6-31-07", "工业机器人操作运维人员"]
SERVICES = ["4", "社会生产服务和生活服务人员", "4-10", "居民服务人员", "4-10-01", "生活照料服务人员"]
GOOD = [
    ["6-31-07-01", "工业机器人系统运维员", *PRODUCTION, "安装、调试和维护工业机器人系统的人员。", "", "S",
     "2022", "sample", "大典", "562", PRODUCTION[1]],
    ["6-31-07-05", "智能网联汽车装调运维员", *PRODUCTION, "", "", "S", "2022+2024", "sample", "新职业", "",
     PRODUCTION[1]],
    ["4-10-01-05", "养老护理员", *SERVICES, "为老年人提供照料的人员。", "社区助老员|老年助浴员", "", "2022",
     "sample", "大典", "265", SERVICES[1]],
]
CODE, NAME, MIDDLE, MINOR, MINOR_NAME, MARKERS, FIXED = 0, 1, 4, 6, 7, 10, 15


def _changed(row: list[str], **changes: str) -> list[str]:
    positions = {"code": CODE, "name": NAME, "middle": MIDDLE, "minor": MINOR, "minor_name": MINOR_NAME,
                 "markers": MARKERS, "fixed": FIXED}
    out = list(row)
    for field, value in changes.items():
        out[positions[field]] = value
    return out


@pytest.fixture(scope="module")
def real() -> tuple[Path, ParseResult, OxigraphStore]:
    path = require_shared("catalogs", "occupations_dadian_2022.csv")
    result = build(KIND, path)
    return path, result, store_of(result)


def test_the_real_dictionary_gives_1671_occupations_in_464_groups(
        real: tuple[Path, ParseResult, OxigraphStore]) -> None:
    _, result, store = real
    assert store.select("SELECT (COUNT(?o) AS ?n) WHERE { ?o a vet:Occupation }") == [{"n": "1671"}]
    assert store.select("SELECT (COUNT(?g) AS ?n) WHERE { ?g a vet:OccupationGroup }") == [{"n": "464"}]
    assert {k: result.counts[k] for k in ("occupations", "major_groups", "middle_groups", "minor_groups")} == {
        "occupations": 1671, "major_groups": 8, "middle_groups": 74, "minor_groups": 382}
    assert "1671 occupations in 8 大类, 74 中类, 382 小类" in result.summary


def test_every_occupation_has_exactly_one_broader_minor_group(real: tuple[Path, ParseResult, OxigraphStore]) -> None:
    _, _, store = real
    wrong = store.select("""SELECT ?o (COUNT(?g) AS ?n) WHERE { ?o a vet:Occupation OPTIONAL { ?o skos:broader ?g } }
        GROUP BY ?o HAVING (COUNT(?g) != 1)""")
    assert wrong == []
    not_minor = store.select("""SELECT ?o WHERE { ?o a vet:Occupation ; skos:broader ?g
        FILTER NOT EXISTS { ?g a vet:OccupationGroup ; skos:broader/skos:broader/skos:topConceptOf ?s } }""")
    assert not_minor == []
    tops = store.select("SELECT ?code WHERE { ?g a vet:OccupationGroup ; skos:topConceptOf ?s ; skos:notation ?code }")
    assert sorted(row["code"] for row in tops) == [str(n) for n in range(1, 9)]


def test_major_group_1_takes_the_fixed_name(real: tuple[Path, ParseResult, OxigraphStore]) -> None:
    _, _, store = real
    assert store.select("SELECT ?l WHERE { ?g skos:notation '1' ; skos:prefLabel ?l }") == [
        {"l": "党的机关、国家机关、群众团体和社会组织、企事业单位负责人"}]


def test_markers_are_counted_as_the_file_says(real: tuple[Path, ParseResult, OxigraphStore]) -> None:
    path, result, store = real
    with path.open(encoding="utf-8", newline="") as handle:
        markers = [row["markers"] for row in csv.DictReader(handle)]
    green, digital = sum("L" in m for m in markers), sum("S" in m for m in markers)
    assert (green, digital) == (132, 104)  # L 113 + LS/ 18 + L|S 1; S 84 + LS/ 18 + S/ 1 + L|S 1
    assert (result.counts["green"], result.counts["digital"]) == (green, digital)
    assert store.select("SELECT (COUNT(?o) AS ?n) WHERE { ?o vet:greenMarker true }") == [{"n": str(green)}]
    assert store.select("SELECT (COUNT(?o) AS ?n) WHERE { ?o vet:digitalMarker true }") == [{"n": str(digital)}]
    texts = store.select("SELECT (COUNT(?o) AS ?n) WHERE { ?o vet:markerText ?t }")
    assert texts == [{"n": str(sum(1 for m in markers if m))}]


def test_the_two_names_of_6_02_06_are_reported_and_its_occupations_kept(
        real: tuple[Path, ParseResult, OxigraphStore]) -> None:
    _, result, store = real
    assert len(result.rejections) == 1
    conflict = result.rejections[0]
    assert (conflict.line, conflict.other_line, conflict.key) == (1034, 1022, "6-02-06")
    assert conflict.values == ("酒、饮料及精制茶制造人员", "焙烤食品制造人员")
    assert store.select("SELECT ?l WHERE { ?g skos:notation '6-02-06' ; skos:prefLabel ?l }") == [
        {"l": "酒、饮料及精制茶制造人员"}]
    kept = store.select("""SELECT ?name WHERE { ?o skos:notation '6-02-06-13' ; a vet:Occupation ;
        skos:prefLabel ?name ; skos:broader/skos:notation '6-02-06' }""")
    assert kept == [{"name": "咖啡加工工"}]


def test_the_real_dictionary_conforms_with_details_and_provenance(
        real: tuple[Path, ParseResult, OxigraphStore]) -> None:
    _, _, store = real
    rows = store.select("""SELECT ?work ?version ?line WHERE {
        ?o skos:notation '4-10-01-05' ; vet:includedWorkTypes ?work ; vet:catalogueVersion ?version ;
           vet:line ?line ; skos:definition ?d ; prov:wasDerivedFrom ?source }""")
    assert sorted(row["work"] for row in rows) == ["社区助老员", "老年助浴员"]
    assert {(row["version"], row["line"]) for row in rows} == {("2022", "825")}
    assert store.select("SELECT ?v WHERE { ?o skos:notation '6-31-07-05' ; vet:catalogueVersion ?v }") == [
        {"v": "2022+2024"}]
    assert validate_store(store) == []


@pytest.mark.parametrize(("markers", "green", "digital"), [
    ("L", True, False), ("S", False, True), ("LS/", True, True), ("S/", False, True), ("L|S", True, True),
    ("", False, False),
])
def test_markers_become_flags_and_keep_their_text(markers: str, green: bool, digital: bool, tmp_path: Path) -> None:
    store = store_of(build(KIND, write_csv(tmp_path / "o.csv", HEADER, [_changed(GOOD[0], markers=markers)])))
    flags = store.select("""SELECT ?green ?digital ?text WHERE { ?o skos:notation '6-31-07-01'
        OPTIONAL { ?o vet:greenMarker ?green } OPTIONAL { ?o vet:digitalMarker ?digital }
        OPTIONAL { ?o vet:markerText ?text } }""")
    expected = {k: v for k, v in (("green", "true" if green else None), ("digital", "true" if digital else None),
                                  ("text", markers or None)) if v}
    assert flags == [expected]


@pytest.mark.parametrize(("changes", "reason"), [
    ({"code": "6-31-7-01"}, "bad occupation code '6-31-7-01': expected d-dd-dd-dd"),
    ({"code": "6310701"}, "bad occupation code"),
    ({"name": ""}, "empty name"),
    ({"minor": "6-31-08"}, "does not sit under its groups"),
    ({"middle": "6-30"}, "does not sit under its groups"),
    ({"minor_name": ""}, "empty 小类 name for 6-31-07"),
    ({"markers": "X"}, "unknown marker 'X'"),
])
def test_a_malformed_row_is_rejected_with_its_line_while_good_rows_load(
        changes: dict[str, str], reason: str, tmp_path: Path) -> None:
    result = build(KIND, write_csv(tmp_path / "o.csv", HEADER, [GOOD[2], _changed(GOOD[0], **changes), GOOD[1]]))
    assert [r.line for r in result.rejections] == [3]
    assert reason in result.rejections[0].reason
    assert result.counts["occupations"] == 2


def test_a_conflicting_duplicate_occupation_is_reported_and_an_identical_one_is_not(tmp_path: Path) -> None:
    renamed = _changed(GOOD[0], name="机器人运维员")
    result = build(KIND, write_csv(tmp_path / "o.csv", HEADER, [GOOD[0], GOOD[1], renamed, GOOD[0]]))
    assert [(r.line, r.other_line, r.key, r.values) for r in result.rejections] == [
        (4, 2, "6-31-07-01", ("工业机器人系统运维员", "机器人运维员"))]
    assert result.counts["occupations"] == 2


def test_a_group_name_conflict_is_reported_but_the_occupation_is_kept(tmp_path: Path) -> None:
    renamed_group = _changed(GOOD[1], minor_name="机器人操作人员")
    result = build(KIND, write_csv(tmp_path / "o.csv", HEADER, [GOOD[0], renamed_group]))
    assert [(r.line, r.other_line, r.key, r.values) for r in result.rejections] == [
        (3, 2, "6-31-07", ("工业机器人操作运维人员", "机器人操作人员"))]
    store = store_of(result)
    under = store.select(
        "SELECT ?code WHERE { ?o skos:broader ?g ; skos:notation ?code . ?g skos:notation '6-31-07' }")
    assert sorted(row["code"] for row in under) == ["6-31-07-01", "6-31-07-05"]
    assert store.select("SELECT ?l WHERE { ?g skos:notation '6-31-07' ; skos:prefLabel ?l }") == [
        {"l": "工业机器人操作运维人员"}]
    assert validate_store(store) == []


def test_the_raw_major_name_is_used_when_there_is_no_fixed_one(tmp_path: Path) -> None:
    rows = [row[:FIXED] for row in GOOD]
    store = store_of(build(KIND, write_csv(tmp_path / "o.csv", HEADER[:FIXED], rows)))
    assert store.select("SELECT ?l WHERE { ?g skos:notation '4' ; skos:prefLabel ?l }") == [
        {"l": "社会生产服务和生活服务人员"}]


def test_missing_columns_are_an_error_listing_the_expected_ones(tmp_path: Path) -> None:
    message = load_error(KIND, write_csv(tmp_path / "o.csv", HEADER[:2], [row[:2] for row in GOOD]))
    assert "o.csv:1" in message and "missing column(s) major_category_code" in message
    assert "expected: occupation_code, occupation_name, major_category_code" in message


def test_chinese_headers_are_accepted(tmp_path: Path) -> None:
    chinese = ["职业编码", "职业名称", "大类代码", "大类名称", "中类代码", "中类名称", "小类代码", "小类名称",
               "定义", "包含工种", "标识", "版本"]
    rows = [row[:12] for row in GOOD]
    english = triple_strings(build(KIND, write_csv(tmp_path / "en.csv", HEADER[:12], rows)).triples)
    assert triple_strings(build(KIND, write_csv(tmp_path / "zh.csv", chinese, rows)).triples) == english


def test_the_header_tells_occupations_from_the_other_catalogues(tmp_path: Path) -> None:
    assert choose_ingestor(write_csv(tmp_path / "anything.csv", HEADER, GOOD)).kind == "occupations"
    assert KIND.matches(HEADER)
    assert not majors.KIND.matches(HEADER) and not industries.KIND.matches(HEADER)


def test_the_corpus_sample_ingests_without_rejections_and_conforms() -> None:
    result = build(KIND, CORPUS)
    assert result.rejections == []
    assert 0 < result.counts["occupations"] <= 40
    store = store_of(result)
    for code, name in (("4-12-01-01", "汽车维修工"), ("6-31-07-03", "工业机器人系统操作员"),
                       ("2-02-38-03", "大数据工程技术人员"), ("4-01-06-01", "电子商务师"), ("4-07-04-01", "导游"),
                       ("4-10-01-05", "养老护理员")):
        query = f"SELECT ?l WHERE {{ ?o a vet:Occupation ; skos:notation '{code}' ; skos:prefLabel ?l }}"
        assert store.select(query) == [{"l": name}]
    assert validate_store(store) == []
