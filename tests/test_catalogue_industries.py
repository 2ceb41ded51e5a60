"""GB/T 4754-2017 industries: four levels, broader from the codes, rejected rows, the 374 duplicate."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.base import ParseResult
from ingest.catalogues import majors, occupations
from ingest.catalogues.industries import KIND
from ingest.registry import choose_ingestor
from kg.pipeline.run import ingest
from kg.query import stats
from kg.store.home import Home
from kg.store.oxigraph import OxigraphStore
from kg.validate.shacl import validate_store
from tests.catalogue_helpers import build, load_error, store_of, triple_strings, write_csv
from tests.conftest import ROOT, require_shared

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


def _broader(store: OxigraphStore, code: str) -> list[str]:
    rows = store.select(f"SELECT ?code WHERE {{ ?i skos:notation '{code}' ; a vet:Industry ; skos:broader ?b . "
                        f"?b skos:notation ?code }}")
    return [row["code"] for row in rows]


@pytest.fixture(scope="module")
def real() -> tuple[ParseResult, OxigraphStore]:
    result = build(KIND, require_shared("catalogs", "industries_gbt4754_2017.csv"))
    return result, store_of(result)


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
    result = build(KIND, write_csv(tmp_path / "i.csv", HEADER, [GOOD[0], row]))
    assert [r.line for r in result.rejections] == [3]
    assert reason in result.rejections[0].reason
    assert result.counts["industries"] == 1


def test_children_of_a_rejected_row_are_rejected_saying_so(tmp_path: Path) -> None:
    nameless = ["2", "大类", "36", "", "C", "36", "", "", ""]
    result = build(KIND, write_csv(tmp_path / "i.csv", HEADER, [GOOD[0], nameless, *GOOD[2:]]))
    assert [(r.line, r.reason) for r in result.rejections] == [
        (3, "empty name"), (4, "its 大类 36 was rejected (line 3)"), (5, "its 中类 361 was rejected (line 4)"),
        (6, "its 大类 36 was rejected (line 3)")]
    assert result.counts["industries"] == 1


def test_a_section_mismatch_with_the_division_is_rejected(tmp_path: Path) -> None:
    other_section = ["3", "中类", "361", "汽车整车制造", "D", "36", "361", "", ""]
    rows = [*GOOD[:2], ["1", "门类", "D", "电力", "D", "", "", "", ""], other_section]
    result = build(KIND, write_csv(tmp_path / "i.csv", HEADER, rows))
    assert [r.line for r in result.rejections] == [5]
    assert "says section D, its 大类 36 is in section C" in result.rejections[0].reason


def test_a_conflicting_duplicate_is_reported_and_an_identical_one_is_not(tmp_path: Path) -> None:
    renamed = ["3", "中类", "361", "整车制造", "C", "36", "361", "", ""]
    result = build(KIND, write_csv(tmp_path / "i.csv", HEADER, [*GOOD[:3], renamed, GOOD[2]]))
    assert [(r.line, r.other_line, r.key, r.values) for r in result.rejections] == [
        (5, 4, "361", ("汽车整车制造", "整车制造"))]
    assert result.counts["industries"] == 3


def test_missing_columns_are_an_error_listing_the_expected_ones(tmp_path: Path) -> None:
    message = load_error(KIND, write_csv(tmp_path / "i.csv", HEADER[1:4], [row[1:4] for row in GOOD]))
    assert "i.csv:1" in message and "missing column(s) section" in message
    assert "expected: level_name, code, name, section" in message


def test_chinese_headers_are_accepted(tmp_path: Path) -> None:
    chinese = ["层级序号", "层级", "代码", "名称", "门类", "大类", "中类", "小类", "说明"]
    english = triple_strings(build(KIND, write_csv(tmp_path / "en.csv", HEADER, GOOD)).triples)
    assert triple_strings(build(KIND, write_csv(tmp_path / "zh.csv", chinese, GOOD)).triples) == english


def test_the_header_tells_industries_from_the_other_catalogues(tmp_path: Path) -> None:
    assert choose_ingestor(write_csv(tmp_path / "anything.csv", HEADER, GOOD)).kind == "industries"
    assert KIND.matches(HEADER)
    assert not majors.KIND.matches(HEADER) and not occupations.KIND.matches(HEADER)


def test_the_corpus_sample_ingests_without_rejections_and_conforms() -> None:
    result = build(KIND, CORPUS)
    assert result.rejections == []
    assert result.counts["industries"] == len(CORPUS.read_text(encoding="utf-8").splitlines()) - 1  # every row
    store = store_of(result)
    orphans = store.select("""SELECT ?i WHERE { ?i a vet:Industry ; vet:industryLevel ?level
        FILTER(?level != '门类') FILTER NOT EXISTS { ?i skos:broader ?b . ?b a vet:Industry } }""")
    assert orphans == []
    for code, parent in (("3612", "361"), ("3491", "349"), ("5292", "529"), ("6550", "65"), ("8514", "851")):
        assert _broader(store, code) == [parent]
    assert validate_store(store) == []


def test_ingesting_twice_gives_the_same_triples() -> None:
    assert triple_strings(build(KIND, CORPUS).triples) == triple_strings(build(KIND, CORPUS).triples)


def _store_state(home: Home) -> tuple[list[str], dict[str, int]]:
    """The home's data quads as sorted strings, and its class counts."""
    reader = home.open_reader()
    return sorted(str(quad) for quad in reader.quads(include_system=False)), stats.class_counts(reader)


def test_ingesting_the_file_twice_into_a_store_changes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "data" / "industries.csv"
    source.parent.mkdir()
    shutil.copyfile(CORPUS, source)
    home = Home(tmp_path / "home")
    first = ingest(home, [source])
    assert [(f.status, f.kind) for f in first.files] == [("added", "industries")] and first.files[0].triples > 0
    before = _store_state(home)
    assert before[0] and before[1]["Industry"] == build(KIND, CORPUS).counts["industries"]
    second = ingest(home, [source])
    assert [(f.status, f.triples) for f in second.files] == [("unchanged", first.files[0].triples)]
    assert _store_state(home) == before


def test_a_changed_file_replaces_its_old_version_without_leftovers(tmp_path: Path) -> None:
    source = tmp_path / "data" / "industries.csv"
    source.parent.mkdir()
    shutil.copyfile(CORPUS, source)
    home = Home(tmp_path / "home")
    ingest(home, [source])
    old_quads, old_counts = _store_state(home)
    text = CORPUS.read_text(encoding="utf-8")
    assert "3611,汽柴油车整车制造" in text and ",新能源车整车制造," in text
    changed = "".join(line for line in text.splitlines(keepends=True) if ",3611,汽柴油车整车制造," not in line)
    source.write_text(changed.replace(",新能源车整车制造,", ",新能源汽车整车制造,"), encoding="utf-8")
    report = ingest(home, [source])
    assert [f.status for f in report.files] == ["replaced"]
    quads, counts = _store_state(home)
    assert counts["Industry"] == old_counts["Industry"] - 1
    assert not any("industry/3611>" in quad or "新能源车整车制造" in quad for quad in quads)
    assert any('"新能源汽车整车制造"@zh' in quad for quad in quads)
    fresh = Home(tmp_path / "fresh")
    ingest(fresh, [source])
    assert (quads, counts) == _store_state(fresh)  # exactly what the new version alone gives
    assert quads != old_quads


@settings(max_examples=25, deadline=None)
@given(keep=st.lists(st.booleans(), min_size=40, max_size=40))
def test_any_subset_of_rows_gives_a_closed_hierarchy(
        keep: list[bool], tmp_path_factory: pytest.TempPathFactory) -> None:
    """Whatever rows are dropped, every row is either loaded under a loaded parent or rejected."""
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    chosen = [row for row, kept in zip(rows, keep) if kept]
    result = build(KIND, write_csv(tmp_path_factory.mktemp("subset") / "i.csv", HEADER, chosen))
    assert result.counts["industries"] + len(result.rejections) == len(chosen)
    nodes = {t[0].value for t in result.triples if t[1].value.endswith("#industryLevel")}
    parents = {t[2].value for t in result.triples if t[1].value.endswith("core#broader")}
    assert parents <= nodes
