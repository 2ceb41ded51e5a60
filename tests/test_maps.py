"""Alignment maps and gap reports built from a store: the demo corpus, then all of ../shared/data."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kg.align.reviews import Review, review_triples
from kg.cli.main import cli
from kg.core import iris
from kg.errors import VetgraphError
from kg.maps.certificate_map import certificate_map
from kg.maps.gaps import gap_report
from kg.query.documents import find_document
from kg.maps.major_map import major_map
from kg.maps.model import ZERO_INCOMPLETE, ZERO_UNRESOLVED
from kg.store.home import Home
from kg.store.updates import insert_data
from tests.conftest import ROOT, SEED_FIELDS

CORPUS = ROOT / "corpus"
DEMO_POLICY = CORPUS / "policy" / "demo-city-vocational-opinion-draft.txt"


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    from kg.pipeline.run import ingest

    home = Home(tmp_path_factory.mktemp("demo") / "home")
    ingest(home, [CORPUS])
    return home


# -- a major's map -------------------------------------------------------------------------------
def test_a_course_standard_states_its_certificate_with_the_modules_as_evidence(demo_home: Home) -> None:
    amap = major_map(demo_home.open_reader(), "460702")
    battery = next(c for c in amap.courses if c.node.label == "新能源汽车动力蓄电池及管理技术" and "course-standard" in c.origins)
    cells = [c for c in amap.cells if c.course == battery.node.iri]
    stated = next(c for c in cells if c.link.node.label == "智能新能源汽车职业技能等级证书")
    assert stated.link.method == "stated" and stated.link.node.level  # aligned to a level, reported on the certificate
    modules = [e for e in stated.link.evidence if e.source and e.source.endswith("new-energy-vehicle-battery.docx")]
    assert modules and all(e.line for e in modules)  # each module quoted with its file and line
    assert "无专业简介" in " ".join(amap.notes) and not amap.competencies  # no profile of 460702 in the demo


def test_a_profiled_major_lists_its_stated_certificates_competencies_and_gaps(demo_home: Home) -> None:
    amap = major_map(demo_home.open_reader(), "590302")
    stated = {c.link.node.label: c for c in amap.certificates if c.link.method == "stated"}
    assert {"老年照护职业技能等级证书", "失智老年人照护职业技能等级证书"} <= set(stated)
    assert stated["老年照护职业技能等级证书"].covered
    gaps = [c.link.node.label for c in amap.certificates if c.gap]
    assert gaps == ["社会工作者职业资格（初级）"]  # stated by the profile, covered by no course
    assert [c.order for c in amap.competencies] == sorted(c.order for c in amap.competencies) and amap.competencies
    assert amap.competencies[0].source.endswith("public-services-elderly-care.md") and amap.competencies[0].line
    assert amap.framework is not None and amap.framework.type == "CompetencyFramework"
    assert {"80", "85"} <= {link.node.code for link in amap.industries if link.method == "stated"}
    assert {o.node.label for o in amap.occupations} >= {"养老护理员", "健康照护师"}
    assert all(s.path for s in amap.sources) and amap.generated_at == max(s.ingested_at for s in amap.sources)


def test_a_rejected_cell_is_left_out_of_the_map(demo_home: Home, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    shutil.copytree(demo_home.root, home.root)
    store = home.open_reader()
    before = major_map(store, "590302")
    suggested = next(c for c in before.cells if c.link.method == "peer")
    with home.writer() as writer:
        writer.update(insert_data(iris.REVIEW_GRAPH, review_triples(
            Review(suggested.link.alignment or "", "rejected", "tester", "2026-12-02T10:00:00Z"))))
    after = major_map(home.open_reader(), "590302")
    assert after.cell(suggested.course, suggested.certificate) is None
    assert len(after.cells) == len(before.cells) - 1


def test_an_unknown_major_is_refused(demo_home: Home) -> None:
    with pytest.raises(VetgraphError, match="no major 999999"):
        major_map(demo_home.open_reader(), "999999")


def test_a_certificate_map_lists_the_majors_stating_it_first_and_the_courses(demo_home: Home) -> None:
    amap = certificate_map(demo_home.open_reader(), "老年照护")
    assert amap.subject.label == "老年照护职业技能等级证书"
    assert amap.majors[0].node.code == "590302" and amap.majors[0].method == "stated"
    stated = [c for c in amap.cells if c.link.method == "stated"]
    assert stated and {c.course for c in stated} <= {c.node.iri for c in amap.courses}
    assert all(c.major is not None for c in amap.courses)


# -- a policy's gaps -----------------------------------------------------------------------------
def test_a_policy_is_found_by_relative_path_absolute_path_and_iri(demo_home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    store = demo_home.open_reader()
    monkeypatch.chdir(CORPUS)
    iri = find_document(store, "policy/demo-city-vocational-opinion-draft.txt")
    assert find_document(store, str(DEMO_POLICY)) == iri == find_document(store, iri)
    with pytest.raises(VetgraphError, match="not ingested into this store; policy documents here: .*demo-"):
        find_document(store, "nowhere.txt")
    with pytest.raises(VetgraphError, match="not as a policy document"):
        find_document(store, str(CORPUS / "catalogues" / "majors.csv"))


def test_gap_fields_are_named_as_written_and_zeros_say_why(demo_home: Home) -> None:
    report = gap_report(demo_home.open_reader(), str(DEMO_POLICY))
    assert report.legal_status == "draft" and report.path == str(DEMO_POLICY)
    by_name = {f.name: f for f in report.fields}
    text = DEMO_POLICY.read_text(encoding="utf-8")
    assert all(name in text and by_name[name].quote and name in by_name[name].quote for name in by_name)
    assert all(f.line and f.provision.type == "Provision" for f in report.fields)
    tourism = by_name["旅游"]
    assert "7291" in {link.node.code for link in tourism.industries} and tourism.count("majors") >= 1
    assert tourism.zero_reasons.get("certificates") == ZERO_INCOMPLETE  # 0 certificates: the 1+X list is partial


def test_a_field_no_class_resolves_says_so_for_every_zero(demo_home: Home, tmp_path: Path) -> None:
    from kg.pipeline.run import ingest

    home = Home(tmp_path / "home")
    shutil.copytree(demo_home.root, home.root)
    policy = tmp_path / "county.txt"
    policy.write_text("关于支持XX县发展特色产业职业教育的通知（征求意见稿）\n一、总体要求\n"
                      "（一）围绕我县重点产业（如低空经济产业等），开设相关专业。\n", encoding="utf-8")
    ingest(home, [policy])
    report = gap_report(home.open_reader(), str(policy))
    assert [f.name for f in report.fields] == ["低空经济产业"] and report.fields[0].line == 3
    assert report.fields[0].zero_reasons == {"majors": ZERO_UNRESOLVED, "certificates": ZERO_UNRESOLVED,
                                             "occupations": ZERO_UNRESOLVED}


# -- the commands, on all of ../shared/data ------------------------------------------------------------
def test_the_new_energy_vehicle_workbook_shows_the_stated_certificate_with_evidence(real_home: Home,
                                                                                   tmp_path: Path) -> None:
    output = tmp_path / "m.xlsx"
    result = CliRunner().invoke(cli, ["--store", str(real_home.root), "export", "alignment", "--major", "460702",
                                      "--format", "xlsx", "--output", str(output)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(output)
    matrix = book[book.sheetnames[0]]
    header = [cell.value or "" for cell in matrix[1]]
    assert any("智能新能源汽车职业技能等级证书" in h for h in header)
    detail = book["对应明细"]
    names = [cell.value for cell in detail[1]]
    rows = [dict(zip(names, (c.value for c in row), strict=False)) for row in detail.iter_rows(min_row=2)]
    smart = [r for r in rows if "智能新能源汽车职业技能等级证书" in str(r.values()) and "文件明确" in str(r.values())]
    assert smart and any("4607汽车制造类.md" in str(r.values()) for r in smart)  # the profile's file as evidence
    again = tmp_path / "again.xlsx"
    CliRunner().invoke(cli, ["--store", str(real_home.root), "export", "alignment", "--major", "460702",
                             "--format", "xlsx", "--output", str(again)])
    assert again.read_bytes() == output.read_bytes()  # deterministic: the same store, the same bytes


def test_the_seed_gap_csv_lists_every_field_with_codes_and_explicit_zeros(real_home: Home, seed_path: Path,
                                                                         tmp_path: Path) -> None:
    output = tmp_path / "g.csv"
    result = CliRunner().invoke(cli, ["--store", str(real_home.root), "export", "gaps", "--policy", str(seed_path),
                                      "--format", "csv", "--output", str(output)])
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    assert data.startswith("\ufeff".encode())  # Excel on Chinese Windows reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    by_name = {row["领域（原文）"]: row for row in rows}
    assert set(SEED_FIELDS) <= set(by_name)
    assert {"4415", "4416"} <= set(by_name["清洁能源"]["GB/T 4754 代码"].split("、"))
    assert all(row["GB/T 4754 代码"] for row in rows) and all(int(by_name[f]["专业数"]) > 0 for f in SEED_FIELDS)
    counts = [row[column] for row in rows for column in ("专业数", "证书数", "职业数")]
    assert all(c.isdigit() for c in counts)  # a zero is written as 0, never left blank


def test_the_seed_gap_json_counts_what_the_lists_hold(real_home: Home, seed_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(real_home.root), "export", "gaps", "--policy", str(seed_path),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    fields = json.loads(result.stdout)["fields"]
    assert all(f["counts"]["majors"] == len(f["majors"]) for f in fields)
    craft = next(f for f in fields if f["name"] == "民族手工艺")
    assert {i["node"]["code"] for i in craft["industries"]} and craft["provision"]["type"] == "Provision"


def test_the_real_case_export_validates_and_the_ctdl_export_parses(real_home: Home, tmp_path: Path) -> None:
    import rdflib
    from jsonschema import Draft202012Validator

    schema_path = ROOT.parent / "shared" / "standards" / "case-v1p1-cfpackage-schema.json"
    if not schema_path.exists():
        pytest.skip(f"the CASE schema is not at {schema_path}")
    for fmt in ("case", "ctdl-asn"):
        result = CliRunner().invoke(cli, ["--store", str(real_home.root), "export", "alignment", "--major", "460702",
                                          "--format", fmt, "--output", str(tmp_path / fmt)])
        assert result.exit_code == 0, result.output
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    package = json.loads((tmp_path / "case").read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(package)] == []
    statements = {item["fullStatement"] for item in package["CFItems"]}
    assert "具有新能源汽车整车及关键零部件装调的能力" in statements and "新能源汽车动力蓄电池及管理技术" in statements
    graph = rdflib.Graph().parse(data=(tmp_path / "ctdl-asn").read_text(encoding="utf-8"), format="json-ld")
    ceasn = rdflib.Namespace("https://purl.org/ctdlasn/terms/")
    assert len(set(graph.subjects(rdflib.RDF.type, ceasn.Competency))) >= 9 + 20  # competencies and courses
