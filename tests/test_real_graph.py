"""The whole of ../shared/data in one store: the counts, paths and reports the catalogues must give."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from kg.cli.main import cli
from kg.pipeline.run import ingest
from kg.query.stats import class_counts
from kg.store.home import Home
from tests.conftest import require_shared

#: Course: 15,960 of the teaching standards and 9,371 more that only the profiles list (6,673 profile courses
#: are the same nodes as the standards' courses of their major, PDF spaces inside names squeezed). Certificates the profiles name that the 1+X
#: lists lack are counted apart.
EXPECTED = {"Major": 1438, "Industry": 1771, "Occupation": 1671, "Certificate": 73, "TeachingStandard": 717,
            "Course": 25331, "PolicyDocument": 11, "MajorProfile": 1154, "ceasn:Competency": 9808,
            "Certificate (outside 1+X)": 353}


def test_stats_report_exactly_the_catalogue_counts(real_home: Home) -> None:
    result = CliRunner().invoke(cli, ["--store", str(real_home.root), "stats", "--json"])
    counts = json.loads(result.output)
    assert {name: counts[name] for name in EXPECTED} == EXPECTED


def test_a_major_has_its_hierarchy_courses_in_order_and_occupations(real_home: Home) -> None:
    store = real_home.open_reader()
    broader = store.select("""SELECT DISTINCT ?class ?category WHERE {
        ?m a vet:Major ; skos:notation '460702' ; skos:prefLabel '新能源汽车技术'@zh ; skos:broader ?c .
        ?c skos:notation '4607' ; skos:prefLabel ?class ; skos:broader ?d .
        ?d skos:notation '46' ; skos:prefLabel ?category }""")
    assert broader == [{"class": "汽车制造类", "category": "装备制造大类"}]
    courses = store.select("""SELECT DISTINCT ?position ?name WHERE {
        ?m skos:notation '460702' . ?std vet:forMajor ?m ; vet:hasCourse ?c .
        ?c vet:position ?position ; skos:prefLabel ?name } ORDER BY ?position""")
    positions = [int(row["position"]) for row in courses]
    assert len(courses) > 20 and positions == list(range(1, len(courses) + 1))
    occupations = store.select("""SELECT DISTINCT ?code ?name WHERE {
        ?m skos:notation '460702' ; vet:preparesFor ?o . ?o a vet:Occupation ; skos:notation ?code ;
        skos:prefLabel ?name }""")
    assert len(occupations) >= 5
    assert all(row["code"].count("-") == 3 for row in occupations)


def test_the_report_names_the_duplicates_and_unresolved_references_with_lines(real_home: Home) -> None:
    saved = json.loads((real_home.reports / "last-ingest.json").read_text(encoding="utf-8"))
    by_file = {Path(f["path"]).name: f for f in saved["files"]}
    industry = [r for r in by_file["industries_gbt4754_2017.csv"]["rejections"] if r["key"] == "374"]
    assert [(r["line"], r["other_line"], r["values"]) for r in industry] == [
        (769, 768, ["航空、航天器及设备制造", "飞机制造"])]
    group = [r for r in by_file["occupations_dadian_2022.csv"]["rejections"] if r["key"] == "6-02-06"]
    assert len(group) == 1 and set(group[0]["values"]) == {"焙烤食品制造人员", "酒、饮料及精制茶制造人员"}
    assert group[0]["kept"] is True  # the occupations under it still load
    unresolved = [n for n in saved["notes"] if "left unresolved" in n]
    assert unresolved and all(n.startswith("teaching_standards_2025_major_occupations.csv:") for n in unresolved)
    assert by_file["README.md"]["status"] == "skipped"


def test_reingesting_changes_nothing(real_home: Home, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    shutil.copytree(real_home.root, home.root)
    before = class_counts(home.open_reader()), sorted(str(q) for q in home.open_reader().quads(include_system=True))
    report = ingest(home, [require_shared()])
    assert {f.status for f in report.files} == {"unchanged", "skipped"}
    after = class_counts(home.open_reader()), sorted(str(q) for q in home.open_reader().quads(include_system=True))
    assert after == before


def test_the_whole_real_graph_validates(real_home: Home) -> None:
    result = CliRunner().invoke(cli, ["--store", str(real_home.root), "validate"])
    assert result.exit_code == 0, result.output[:2000]
