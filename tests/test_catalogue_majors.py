"""The major catalogue: levels, hierarchy, flags, rejected rows, duplicates (formats: test_catalogue_formats)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.catalogues.majors import KIND
from ingest.registry import choose_ingestor
from kg.validate.shacl import validate_store
from tests.catalogue_helpers import build, class_count, load_error, store_of, with_changes, write_csv
from tests.conftest import require_shared

HEADER = ["level", "level_zh", "code", "name", "dalei_code", "dalei_name_derived", "class_code", "class_name",
          "in_2021_catalog_docx_parse", "in_2025_additions_list", "in_chsi_2025_12", "src_voced"]
GOOD = [
    ["voc_associate", "高等职业教育专科", "460702", "新能源汽车技术", "46", "装备制造大类", "4607", "汽车制造类",
     "True", "False", "True", "True"],
    ["voc_associate", "高等职业教育专科", "460305", "工业机器人技术", "46", "装备制造大类", "4603", "自动化类",
     "True", "False", "True", "True"],
    ["voc_bachelor", "高等职业教育本科", "520101K", "护理", "52", "医药卫生大类", "5201", "护理类",
     "True", "False", "True", "True"],
]


def test_the_real_catalogue_gives_1438_majors_with_their_hierarchy() -> None:
    result = build(KIND, require_shared("catalogs", "majors_vocational.csv"))
    assert result.rejections == []
    store = store_of(result)
    assert class_count(store, "Major") == 1438
    levels = {r["l"]: int(r["n"]) for r in store.select(
        "SELECT ?l (COUNT(?m) AS ?n) WHERE { ?m a vet:Major ; vet:level ?l } GROUP BY ?l")}
    assert levels == {"中职": 344, "高职专科": 798, "职教本科": 296}
    path = store.select("""SELECT ?class ?category WHERE {
        ?m skos:notation '460702' ; skos:broader ?c . ?c skos:prefLabel ?class ; skos:notation '4607' ;
        skos:broader ?d . ?d skos:prefLabel ?category ; skos:notation '46' }""")
    assert path == [{"class": "汽车制造类", "category": "装备制造大类"}]
    assert store.select("SELECT ?m WHERE { ?m skos:notation '520101K' ; a vet:Major }")
    assert validate_store(store) == []


def test_flags_and_schemes_are_kept(tmp_path: Path) -> None:
    store = store_of(build(KIND, write_csv(tmp_path / "m.csv", HEADER, GOOD)))
    rows = store.select("""SELECT ?in2021 ?added ?chsi ?scheme WHERE {
        ?m skos:notation '460702' ; vet:inCatalogue2021 ?in2021 ; vet:laterAddition ?added ;
           vet:listedByChsi2025 ?chsi ; skos:inScheme ?scheme }""")
    assert rows == [{"in2021": "true", "added": "false", "chsi": "true",
                     "scheme": "https://w3id.org/vetgraph/id/scheme/majors-voc_associate"}]


@pytest.mark.parametrize(("change", "reason"), [
    ({2: "46070"}, "bad major code '46070'"),
    ({2: "4607x2"}, "bad major code"),
    ({3: ""}, "empty name"),
    ({0: "university"}, "unknown education level 'university'"),
    ({6: "4608"}, "does not sit under"),
    ({8: "maybe"}, "must be True or False"),
])
def test_a_malformed_row_is_rejected_with_its_line_while_good_rows_load(
        change: dict[int, str], reason: str, tmp_path: Path) -> None:
    bad = with_changes(GOOD[0], change)
    result = build(KIND, write_csv(tmp_path / "m.csv", HEADER, [GOOD[1], bad, GOOD[2]]))
    assert [(r.line, reason in r.reason) for r in result.rejections] == [(3, True)]
    assert result.counts["majors"] == 2


def test_a_conflicting_duplicate_is_reported_with_both_lines_and_values(tmp_path: Path) -> None:
    renamed = list(GOOD[0])
    renamed[3] = "新能源汽车工程技术"
    result = build(KIND, write_csv(tmp_path / "m.csv", HEADER, [GOOD[0], GOOD[1], renamed, GOOD[0]]))
    assert len(result.rejections) == 1  # the identical repeat on line 5 is not a conflict
    duplicate = result.rejections[0]
    assert (duplicate.line, duplicate.other_line, duplicate.key) == (4, 2, "460702")
    assert duplicate.values == ("新能源汽车技术", "新能源汽车工程技术")
    labels = store_of(result).select("SELECT ?l WHERE { ?m skos:notation '460702' ; skos:prefLabel ?l }")
    assert labels == [{"l": "新能源汽车技术"}]


def test_missing_columns_are_an_error_listing_the_expected_ones(tmp_path: Path) -> None:
    message = load_error(KIND, write_csv(tmp_path / "m.csv", HEADER[:3], [row[:3] for row in GOOD]))
    assert "m.csv:1" in message and "missing column(s) name" in message and "expected: level, code, name" in message


def test_the_kind_is_chosen_from_the_header(tmp_path: Path) -> None:
    assert choose_ingestor(write_csv(tmp_path / "anything.csv", HEADER, GOOD)).kind == "majors"
