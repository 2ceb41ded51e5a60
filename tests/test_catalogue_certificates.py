"""1+X certificates: both real files as one graph, spelling variants, organisations, rejected rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from ingest.catalogues.certificates import KIND, certificate_names, organization_label
from ingest.registry import choose_ingestor
from kg.core import iris
from kg.store.oxigraph import OxigraphStore
from kg.validate.shacl import validate_store
from tests.catalogue_helpers import build, class_count, class_counts, load_error, store_of, with_changes, write_csv
from tests.conftest import ROOT, require_shared

HEADER = ["cert_id", "certificate_name", "issuing_org_培训评价组织", "level", "effective_from", "batch"]
GOOD = [
    ["onex-1", "Web前端开发职业技能等级证书", "工业和信息化部教育与考试中心", "初级", "2022-05-16", "1"],
    ["onex-2", "Web前端开发职业技能等级证书", "工业和信息化部教育与考试中心", "中级", "2022-05-16", "1"],
    ["onex-3", "物流管理职业技能等级证书", "北京中物联物流采购培训中心", "初级", "2022-05-16", "1"],
]
BIM_ORG = "廊坊市中科建筑产业化创新研究中心"
BIM_ORG_LONG = "廊坊市中科建筑产业化创新研究中心（中国建设教育协会人才评价中心）"


def _labels(store: OxigraphStore, name: str, prop: str = "skos:altLabel") -> set[str]:
    rows = store.select(f"SELECT DISTINCT ?l WHERE {{ ?n skos:prefLabel '{name}'@zh ; {prop} ?l }}")
    return {row["l"] for row in rows}


@pytest.fixture(scope="module")
def real_results():
    batches = require_shared("certificates", "onex_batches_1_2.csv")
    platform = require_shared("certificates", "onex_platform_subset.csv")
    return (build(KIND, batches, NamedNode("https://w3id.org/vetgraph/source/batches")),
            build(KIND, platform, NamedNode("https://w3id.org/vetgraph/source/platform")))


def test_each_real_file_loads_without_rejections(real_results) -> None:
    batches, platform = real_results
    assert batches.rejections == [] and platform.rejections == []
    assert batches.counts == {"certificates": 16, "certificate_levels": 0, "organizations": 15}
    assert platform.counts == {"certificates": 61, "certificate_levels": 112, "organizations": 52}
    for result in real_results:
        assert validate_store(store_of(result)) == []


def test_both_real_files_name_73_certificates_each_with_one_preflabel(real_results) -> None:
    store = store_of(*real_results)
    counts = class_counts(store)
    assert (counts["Certificate"], counts["CertificateLevel"], counts["Organization"]) == (73, 112, 63)
    labels = store.select("""SELECT ?c (COUNT(DISTINCT ?l) AS ?n) WHERE {
        ?c a vet:Certificate . OPTIONAL { ?c skos:prefLabel ?l } } GROUP BY ?c HAVING (COUNT(DISTINCT ?l) != 1)""")
    assert labels == []
    # The four certificates of both files: batch from one file, levels from the other, on one node.
    both = store.select("""SELECT DISTINCT ?l ?b WHERE {
        ?c a vet:Certificate ; skos:prefLabel ?l ; vet:batch ?b ; vet:hasLevel ?x }""")
    assert {(row["l"], row["b"]) for row in both} == {
        ("建筑信息模型（BIM）职业技能等级证书", "1"), ("工业机器人操作与运维职业技能等级证书", "2"),
        ("工业机器人应用编程职业技能等级证书", "2"), ("云计算平台运维与开发职业技能等级证书", "2")}
    assert validate_store(store) == []


def test_the_bim_organisation_is_one_node_under_both_spellings(real_results) -> None:
    store = store_of(*real_results)
    assert _labels(store, BIM_ORG) == {BIM_ORG_LONG}
    issuers = store.select("""SELECT DISTINCT ?o WHERE {
        ?c skos:prefLabel '建筑信息模型（BIM）职业技能等级证书'@zh ; vet:issuedBy ?o }""")
    assert issuers == [{"o": iris.organization(BIM_ORG).value}]


@pytest.mark.parametrize(("one", "other"), [
    (BIM_ORG_LONG, BIM_ORG),
    ("廊坊市中科建筑产业化创新研究中心(中国建设教育协会人才评价中心)", BIM_ORG),
    ("阿里巴巴(中国)有限公司", "阿里巴巴（中国）有限公司"),
    ("北京新奥时代科技 有限责任公司", "北京新奥时代科技有限责任公司"),
])
def test_spelling_variants_of_an_organisation_share_one_label(one: str, other: str) -> None:
    assert organization_label(one) == organization_label(other)


@pytest.mark.parametrize(("one", "other"), [
    ("中国社会福利与养老服务协会北京中福长者文化科技有限公司", "北京中福长者文化科技有限公司"),
    ("中保教育咨询（北京）有限公司", "中保教育咨询有限公司"),  # a place in brackets is part of the name
    ("北京中民福祉教育科技有限责任公司", "北京中福长者文化科技有限公司"),
])
def test_different_organisations_are_not_merged(one: str, other: str) -> None:
    assert organization_label(one) != organization_label(other)


def test_a_short_or_half_width_name_is_the_same_certificate(tmp_path: Path) -> None:
    rows = [["", "建筑信息模型(BIM)", BIM_ORG_LONG, "初级", "", "1"],
            ["", "建筑信息模型（BIM）职业技能等级证书", BIM_ORG, "中级", "", "1"],
            ["", "建筑信息模型 （BIM） 职业技能等级证书", BIM_ORG, "高级", "", "1"]]
    result = build(KIND, write_csv(tmp_path / "c.csv", HEADER, rows))
    assert result.rejections == [] and result.counts["certificates"] == 1 and result.counts["organizations"] == 1
    store = store_of(result)
    full = "建筑信息模型（BIM）职业技能等级证书"
    assert {r["l"] for r in store.select("SELECT ?l WHERE { ?c a vet:Certificate ; skos:prefLabel ?l }")} == {full}
    assert _labels(store, full) == {"建筑信息模型（BIM）", "建筑信息模型(BIM)", "建筑信息模型 （BIM） 职业技能等级证书"}
    assert validate_store(store) == []


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from([" ", "\u3000", "half"]), min_size=1, max_size=4), st.booleans())
def test_any_spelling_gives_the_same_iri_and_preflabel(variations: list[str], suffix: bool) -> None:
    name = "大数据应用开发（Python）"
    for change in variations:
        name = name.replace("（", "(").replace("）", ")") if change == "half" else name[:3] + change + name[3:]
    full, short = certificate_names(name + ("职业技能等级证书" if suffix else ""))
    assert (full, short) == ("大数据应用开发（Python）职业技能等级证书", "大数据应用开发（Python）")
    assert iris.certificate(full) == iris.certificate("大数据应用开发(Python)职业技能等级证书")


def test_levels_carry_name_label_date_and_platform_id(tmp_path: Path) -> None:
    store = store_of(build(KIND, write_csv(tmp_path / "c.csv", HEADER, GOOD)))
    rows = store.select("""SELECT ?name ?label ?date ?id WHERE {
        ?c skos:prefLabel 'Web前端开发职业技能等级证书'@zh ; vet:hasLevel ?l ; vet:batch 1 ; skos:inScheme ?s .
        ?s skos:prefLabel '1+X职业技能等级证书'@zh .
        ?l a vet:CertificateLevel ; vet:levelName ?name ; skos:prefLabel ?label ; vet:effectiveFrom ?date ;
           vet:platformId ?id } ORDER BY ?id""")
    assert rows == [
        {"name": "初级", "label": "Web前端开发职业技能等级证书（初级）", "date": "2022-05-16", "id": "onex-1"},
        {"name": "中级", "label": "Web前端开发职业技能等级证书（中级）", "date": "2022-05-16", "id": "onex-2"}]
    typed = store.select("SELECT ?d WHERE { ?l vet:effectiveFrom ?d FILTER(datatype(?d) = xsd:date) }")
    assert len(typed) == 3  # the two Web前端开发 levels and 物流管理（初级）


def test_every_node_has_its_source_and_line(tmp_path: Path) -> None:
    store = store_of(build(KIND, write_csv(tmp_path / "c.csv", HEADER, GOOD)))
    missing = store.select("""SELECT ?n WHERE {
        VALUES ?cls { vet:Certificate vet:CertificateLevel vet:Organization } ?n a ?cls .
        FILTER NOT EXISTS { ?n prov:wasDerivedFrom ?s ; vet:line ?line } }""")
    assert missing == [] and class_count(store, "Organization") == 2
    lines = store.select("SELECT ?line WHERE { ?n skos:prefLabel '物流管理职业技能等级证书'@zh ; vet:line ?line }")
    assert lines == [{"line": "4"}]


@pytest.mark.parametrize(("change", "reason"), [
    ({1: ""}, "empty certificate name"),
    ({1: "职业技能等级证书"}, "empty certificate name"),
    ({2: " "}, "empty issuing organisation"),
    ({3: "特级"}, "unknown certificate level '特级'"),
    ({5: "一批次"}, "bad batch '一批次'"),
    ({5: "0"}, "bad batch '0'"),
    ({4: "2022-02-30"}, "bad effective_from date '2022-02-30'"),
    ({4: "last May"}, "bad effective_from date"),
    ({3: ""}, "the row has no level"),
])
def test_a_malformed_row_is_rejected_with_its_line_while_good_rows_load(
        change: dict[int, str], reason: str, tmp_path: Path) -> None:
    other = ["onex-9", "智能财税职业技能等级证书", "中联集团教育科技有限公司", "初级", "2022-05-16", "2"]
    bad = with_changes(other, change)
    result = build(KIND, write_csv(tmp_path / "c.csv", HEADER, [GOOD[0], bad, GOOD[2]]))
    assert [(r.line, reason in r.reason) for r in result.rejections] == [(3, True)]
    assert result.counts["certificates"] == 2 and result.counts["certificate_levels"] == 2


def test_accepted_spellings_of_batch_and_date(tmp_path: Path) -> None:
    rows = [["onex-9", "智能财税职业技能等级证书", "中联集团教育科技有限公司", "初级", "2022年5月6日", "第二批"]]
    store = store_of(build(KIND, write_csv(tmp_path / "c.csv", HEADER, rows)))
    assert store.select("SELECT ?b ?d WHERE { ?c vet:batch ?b ; vet:hasLevel ?l . ?l vet:effectiveFrom ?d }") \
        == [{"b": "2", "d": "2022-05-06"}]


def test_a_conflicting_duplicate_is_reported_and_an_identical_one_is_silent(tmp_path: Path) -> None:
    later = list(GOOD[0])
    later[4] = "2023-01-04"
    result = build(KIND, write_csv(tmp_path / "c.csv", HEADER, [GOOD[0], GOOD[1], later, GOOD[0]]))
    assert len(result.rejections) == 1
    duplicate = result.rejections[0]
    assert (duplicate.line, duplicate.other_line) == (4, 2)
    assert duplicate.key == "Web前端开发职业技能等级证书（初级）"
    assert "2022-05-16" in duplicate.values[0] and "2023-01-04" in duplicate.values[1]
    dates = store_of(result).select("SELECT ?d WHERE { ?l vet:platformId 'onex-1' ; vet:effectiveFrom ?d }")
    assert dates == [{"d": "2022-05-16"}]


def test_a_second_batch_for_one_certificate_is_a_conflict(tmp_path: Path) -> None:
    other = list(GOOD[1])
    other[5] = "2"
    result = build(KIND, write_csv(tmp_path / "c.csv", HEADER, [GOOD[0], other]))
    assert [(r.line, r.other_line, r.values) for r in result.rejections] == [(3, 2, ("1", "2"))]
    assert validate_store(store_of(result)) == []


def test_two_issuers_of_one_certificate_are_both_kept_and_reported(tmp_path: Path) -> None:
    other = list(GOOD[1])
    other[2] = "北京博导前程信息技术股份有限公司"
    result = build(KIND, write_csv(tmp_path / "c.csv", HEADER, [GOOD[0], other, GOOD[2]]))
    assert [(r.line, r.other_line, r.key) for r in result.rejections] == [(3, 2, "Web前端开发职业技能等级证书")]
    assert result.rejections[0].values == ("工业和信息化部教育与考试中心", "北京博导前程信息技术股份有限公司")
    store = store_of(result)
    issuers = store.select("""SELECT ?o WHERE { ?c skos:prefLabel 'Web前端开发职业技能等级证书'@zh ;
        vet:issuedBy/skos:prefLabel ?o }""")
    assert len(issuers) == 2 and class_count(store, "CertificateLevel") == 3
    assert validate_store(store) == []


def test_chinese_headers_are_accepted(tmp_path: Path) -> None:
    header = ["批次", "序号", "培训评价组织", "证书名称", "等级"]
    rows = [["1", "3", "北京中物联物流采购培训中心", "物流管理职业技能等级证书", "初级"]]
    result = build(KIND, write_csv(tmp_path / "c.csv", header, rows))
    assert result.rejections == [] and result.counts == {
        "certificates": 1, "certificate_levels": 1, "organizations": 1}
    assert choose_ingestor(tmp_path / "c.csv").kind == "certificates"


def test_missing_columns_are_an_error_listing_the_expected_ones(tmp_path: Path) -> None:
    message = load_error(KIND, write_csv(tmp_path / "c.csv", HEADER[:2], [row[:2] for row in GOOD]))
    assert "c.csv:1" in message and "missing column(s) issuing_org_培训评价组织" in message
    assert "expected: certificate_name, issuing_org_培训评价组织, level (optional)" in message


def test_both_real_files_are_detected_as_certificates() -> None:
    for name in ("onex_batches_1_2.csv", "onex_platform_subset.csv"):
        assert choose_ingestor(require_shared("certificates", name)).kind == "certificates"


def test_the_corpus_sample_loads_without_rejections_and_validates() -> None:
    result = build(KIND, ROOT / "corpus" / "catalogues" / "certificates.csv")
    assert result.rejections == []
    assert result.counts == {"certificates": 20, "certificate_levels": 27, "organizations": 19}
    store = store_of(result)
    assert _labels(store, "网店运营推广职业技能等级证书") == {"网店运营推广"}
    assert validate_store(store) == []


def test_a_bad_seq_in_the_batches_layout_is_rejected(tmp_path: Path) -> None:
    header = ["batch", "seq", "issuing_org_培训评价组织", "certificate_name"]
    rows = [["2", "7", "济南阳光大姐服务有限责任公司", "母婴护理职业技能等级证书"],
            ["2", "八", "北京新大陆时代教育科技有限公司", "传感网应用开发职业技能等级证书"]]
    result = build(KIND, write_csv(tmp_path / "c.csv", header, rows))
    assert [(r.line, "bad seq '八'" in r.reason) for r in result.rejections] == [(3, True)]
    assert result.counts == {"certificates": 1, "certificate_levels": 0, "organizations": 1}
