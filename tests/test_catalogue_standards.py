"""专业教学标准 2025: course lists in order with flagged PDF fragments, 职业面向 mentions, their resolution."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from ingest.catalogues.standards import COURSES_KIND, OCCUPATIONS_KIND
from ingest.catalogues.standards_courses import name_quality
from ingest.registry import choose_ingestor
from kg.core import iris
from kg.core.names import strip_occupation_markers
from kg.core.rdf import RDF_TYPE, Triple, string, term, vet, zh
from kg.pipeline.report import IngestReport
from kg.pipeline.run import ingest
from kg.resolve.occupations import occupation_links
from kg.store.home import Home
from kg.store.oxigraph import OxigraphStore
from kg.validate.shacl import validate_store
from tests.catalogue_helpers import build, class_counts, load_error, store_of, triple_strings, with_changes, write_csv
from tests.conftest import ROOT, require_shared
from tests.test_store import _record

CORPUS = ROOT / "corpus" / "catalogues"
COURSE_HEADER = ["source_pdf", "level", "level_zh", "major_code", "major_name", "course_seq", "course_name"]
OCCUPATION_HEADER = ["major_level", "major_code", "major_name", "occupation_code", "occupation_name",
                     "evidence", "confidence"]
PDF = "202502_P020250207528684826334.pdf"
EV = ["voc_associate", "高职专科", "460702", "新能源汽车技术"]
COURSES = [[PDF, *EV, "1", "汽车文化"], [PDF, *EV, "2", "新能源汽车构造"], [PDF, *EV, "3", "新能源汽车充电技术"]]
NEV = ["voc_associate", "460702", "新能源汽车技术"]
OCCUPATIONS = [[*NEV, "2-02-07-11", "汽车工程技术人员", "课标职业面向", "official"],
               [*NEV, "4-12-01", "汽车维修工", "课标职业面向", "official"],
               [*NEV, "4-12-01", "电池及电池系统维修保养师L", "课标职业面向", "official"]]
COURSE_ORDER = """SELECT ?name ?p WHERE {
    ?std vet:forMajor <https://w3id.org/vetgraph/id/major/%s> ; vet:hasCourse ?c .
    ?c vet:position ?p ; skos:prefLabel ?name } ORDER BY ?p"""


# -- course lists ---------------------------------------------------------------------------------

def test_the_real_course_lists_give_717_standards_and_15960_courses_with_flags_reported() -> None:
    result = build(COURSES_KIND, require_shared("standards", "teaching_standards_2025_major_courses.csv"))
    assert result.counts == {"teaching_standards": 717, "courses": 15960, "fragment": 565, "truncated": 89}
    assert len(result.rejections) == 565 + 89  # one note per flagged course, nothing refused
    assert all("kept, flagged" in r.reason for r in result.rejections)
    store = store_of(result)
    classes = class_counts(store)
    assert (classes["TeachingStandard"], classes["Course"]) == (717, 15960)
    flagged = {r["q"]: int(r["n"]) for r in store.select(
        "SELECT ?q (COUNT(?c) AS ?n) WHERE { ?c vet:parseQuality ?q } GROUP BY ?q")}
    assert flagged == {"fragment": 565, "truncated": 89}
    ordered = store.select(COURSE_ORDER % "460702")
    assert [int(r["p"]) for r in ordered] == list(range(1, len(ordered) + 1))
    assert [r["name"] for r in ordered[:3]] == ["汽车文化", "汽车智能制造概论", "汽车机械基础"]
    line = next(r for r in result.rejections if "'实训基地。'" in r.reason).line
    assert store.select(f"""SELECT ?q WHERE {{ ?c vet:line {line} ; skos:prefLabel "实训基地。"@zh ;
                                               vet:parseQuality ?q }}""") == [{"q": "fragment"}]


def test_a_standard_names_its_major_level_and_every_source_pdf() -> None:
    store = store_of(build(COURSES_KIND, require_shared("standards", "teaching_standards_2025_major_courses.csv")))
    rows = store.select("""SELECT ?label ?level ?pdf WHERE {
        <https://w3id.org/vetgraph/id/teaching-standard/voc_associate/510205> rdfs:label ?label ;
            vet:level ?level ; vet:sourceDocument ?pdf ; vet:forMajor <https://w3id.org/vetgraph/id/major/510205> }""")
    assert {r["pdf"] for r in rows} == {"202502_P020250207532993683513.pdf", "高职专科_510205_大数据技术_专业教学标准_2025.pdf"}
    assert {(r["label"], r["level"]) for r in rows} == {("大数据技术专业教学标准（高职专科）", "高职专科")}


@pytest.mark.parametrize(("name", "quality"), [
    ("实训基地。", "fragment"),
    ("内科护理运用护理程序，采取", "fragment"),
    ("中医康复技术运用灸法、拔罐、刮", "fragment"),
    ("+X证书课程", "fragment"),
    ("～3岁婴幼儿保育与教育", "fragment"),
    ("国际贸易实务⑤贸易善后处理", "fragment"),
    ("色彩）", "fragment"),
    ("管理学4原理", "fragment"),
    ("健康评估运用健康评估基本", "fragment"),
    ("以及艺术专项课程", "fragment"),
    ("艺术造型（素描", "truncated"),
    ("新能源汽车充电系统原理与", "truncated"),
    ("新能源汽车驱动电机及", "truncated"),
    ("舞蹈教学法等", "truncated"),
    ("碳计量与碳中和", None),
    ("信息检索与利用", None),
    ("土地利用规划", None),
    ("农业生物质利用装备使用与维护", None),
    ("“一带一路”国家和地区概况", None),
    ("（境外）售后服务管理", None),
    ("计算机程序设计（C/C++/Python）", None),
    ("艺术造型（素描、色彩）", None),
    ("工业4.0与数字孪生技术", None),
    ("瑜伽及2项不同类别运动项目", None),
    ("𬌗学基础", None),
    ("C#程序开发技术", None),
])
def test_the_name_quality_rule(name: str, quality: str | None) -> None:
    found = name_quality(name)
    assert (found[0] if found else None) == quality


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=30))
def test_the_name_quality_rule_takes_any_text(name: str) -> None:
    found = name_quality(name)
    assert found is None or found[0] in ("fragment", "truncated")


def test_a_footnote_digit_is_a_fragment_only_beside_the_clean_name() -> None:
    assert name_quality("电子产品结构工艺4", frozenset({"电子产品结构工艺"}))[0] == "fragment"
    assert name_quality("大学英语2", frozenset({"大学英语1"})) is None


def test_positions_keep_the_first_of_a_repeat_and_a_second_pdf_only_appends(tmp_path: Path) -> None:
    second = "高职专科_460702_新能源汽车技术_专业教学标准_2025.pdf"
    rows = [[PDF, *EV, "2", "新能源汽车构造"], [PDF, *EV, "1", "汽车文化"], [PDF, *EV, "3", "汽车文化"],
            [PDF, *EV, "4", "新能源汽车充电技术"],
            [second, *EV, "1", "汽车文化"], [second, *EV, "2", "燃料电池汽车技术"], [second, *EV, "3", "新能源汽车构造"]]
    result = build(COURSES_KIND, write_csv(tmp_path / "c.csv", COURSE_HEADER, rows))
    ordered = store_of(result).select(COURSE_ORDER % "460702")
    assert [(r["name"], int(r["p"])) for r in ordered] == [
        ("汽车文化", 1), ("新能源汽车构造", 2), ("新能源汽车充电技术", 3), ("燃料电池汽车技术", 4)]
    assert result.counts["courses"] == 4 and result.rejections == []
    first = store_of(result).select(
        'SELECT ?line WHERE { ?c a vet:Course ; skos:prefLabel "汽车文化"@zh ; vet:line ?line }')
    assert first == [{"line": "3"}]  # its first row, not the repeat on line 4 nor the second PDF's


@pytest.mark.parametrize(("change", "reason"), [
    ({1: "university"}, "unknown education level 'university'"),
    ({3: "46070"}, "bad major code '46070'"),
    ({6: ""}, "empty course name"),
    ({5: "2a"}, "course_seq must be a whole number, not '2a'"),
    ({4: ""}, "empty major name"),
])
def test_a_malformed_course_row_is_rejected_with_its_line(change: dict[int, str], reason: str, tmp_path: Path) -> None:
    bad = with_changes(COURSES[1], change)
    result = build(COURSES_KIND, write_csv(tmp_path / "c.csv", COURSE_HEADER, [COURSES[0], bad, COURSES[2]]))
    assert [(r.line, reason in r.reason) for r in result.rejections] == [(3, True)]
    assert result.counts["courses"] == 2


def test_the_standards_own_level_spelling_is_accepted(tmp_path: Path) -> None:
    row = [PDF, "", "职业本科", "260302", "电气工程及自动化", "1", "电路分析"]
    path = write_csv(tmp_path / "c.csv", [h for h in COURSE_HEADER if h != "level"], [row[:1] + row[2:]])
    result = build(COURSES_KIND, path)
    assert result.rejections == [] and result.counts["teaching_standards"] == 1
    assert ("职教本科" in {t[2].value for t in result.triples if t[1] == vet("level")})


def test_a_standard_with_two_major_names_keeps_the_first(tmp_path: Path) -> None:
    renamed = [PDF, "voc_associate", "高职专科", "460702", "新能源汽车工程技术", "4", "汽车轻量化技术"]
    result = build(COURSES_KIND, write_csv(tmp_path / "c.csv", COURSE_HEADER, [*COURSES, renamed]))
    (duplicate,) = result.rejections
    assert (duplicate.line, duplicate.other_line, duplicate.key) == (5, 2, "voc_associate/460702")
    assert duplicate.values == ("新能源汽车技术", "新能源汽车工程技术")
    assert result.counts["courses"] == 3


def test_a_missing_course_column_is_an_error_listing_the_expected_ones(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", COURSE_HEADER[:5], [row[:5] for row in COURSES])
    message = load_error(COURSES_KIND, path)
    assert "missing column(s) course_seq, course_name" in message
    assert "expected: source_pdf (optional), level, major_code, major_name, course_seq, course_name" in message


def test_the_real_files_are_recognised_by_their_header() -> None:
    assert choose_ingestor(require_shared("standards", "teaching_standards_2025_major_courses.csv")).kind \
        == "standard-courses"
    assert choose_ingestor(require_shared("standards", "teaching_standards_2025_major_occupations.csv")).kind \
        == "standard-occupations"


# -- 职业面向 -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("printed", "stripped"), [
    ("大数据工程技术人员 S", "大数据工程技术人员"), ("节水工程技术人员L", "节水工程技术人员"),
    ("电子数据取证分析师（S）", "电子数据取证分析师"), ("摄影测量与遥感工程技术人员L/S", "摄影测量与遥感工程技术人员"),
    ("导航工程技术人员LS/", "导航工程技术人员"), ("军官（警官）", "军官（警官）"), ("导游", "导游"),
])
def test_trailing_green_and_digital_markers_are_stripped(printed: str, stripped: str) -> None:
    assert strip_occupation_markers(printed) == stripped


def test_the_real_occupation_file_gives_one_mention_a_row_and_the_stated_links() -> None:
    result = build(OCCUPATIONS_KIND, require_shared("standards", "teaching_standards_2025_major_occupations.csv"))
    assert result.rejections == []
    assert result.counts == {"teaching_standards": 698, "occupation_mentions": 4628, "stated_links": 2039,
                             "stated_group_links": 734}
    store = store_of(result)
    rows = store.select("""SELECT ?term ?code WHERE { ?m vet:spanText "电子数据取证分析师S"@zh ;
                           vet:matchedTerm ?term ; vet:statedCode ?code } LIMIT 1""")
    assert rows == [{"term": "电子数据取证分析师", "code": rows[0]["code"]}]
    stated = store.select("""SELECT ?o WHERE { <https://w3id.org/vetgraph/id/major/460702> vet:preparesFor ?o }""")
    assert "https://w3id.org/vetgraph/id/occupation/4-12-01" in {r["o"] for r in stated}


@pytest.mark.parametrize(("change", "reason"), [
    ({3: "4-12"}, "bad occupation code '4-12'"),
    ({3: "4-12-01-1"}, "bad occupation code"),
    ({4: ""}, "empty occupation name"),
    ({0: "中专"}, "unknown education level '中专'"),
    ({1: "46070X"}, "bad major code"),
    ({2: ""}, "empty major name"),
])
def test_a_malformed_occupation_row_is_rejected_with_its_line(change: dict[int, str], reason: str,
                                                               tmp_path: Path) -> None:
    bad = with_changes(OCCUPATIONS[1], change)
    rows = [OCCUPATIONS[0], bad, OCCUPATIONS[2]]
    result = build(OCCUPATIONS_KIND, write_csv(tmp_path / "o.csv", OCCUPATION_HEADER, rows))
    assert [(r.line, reason in r.reason) for r in result.rejections] == [(3, True)]
    assert result.counts["occupation_mentions"] == 2


def test_an_identical_repeat_is_silent_and_adds_nothing(tmp_path: Path) -> None:
    once = build(OCCUPATIONS_KIND, write_csv(tmp_path / "a.csv", OCCUPATION_HEADER, OCCUPATIONS))
    repeated = [*OCCUPATIONS, OCCUPATIONS[1]]
    twice = build(OCCUPATIONS_KIND, write_csv(tmp_path / "b.csv", OCCUPATION_HEADER, repeated))
    assert twice.rejections == [] and twice.counts == once.counts
    assert triple_strings(twice.triples) == triple_strings(once.triples)


def test_a_mention_records_the_name_as_printed_and_conforms(tmp_path: Path) -> None:
    store = store_of(build(OCCUPATIONS_KIND, write_csv(tmp_path / "o.csv", OCCUPATION_HEADER, OCCUPATIONS)))
    rows = store.select("""SELECT ?text ?term ?code ?start ?end ?line ?std WHERE {
        ?m vet:mentionKind "occupation" ; vet:spanText ?text ; vet:matchedTerm ?term ; vet:statedCode ?code ;
           vet:spanStart ?start ; vet:spanEnd ?end ; vet:line ?line ; vet:mentionedIn ?std .
        FILTER(STRSTARTS(STR(?text), "电池")) }""")
    assert rows == [{"text": "电池及电池系统维修保养师L", "term": "电池及电池系统维修保养师", "code": "4-12-01",
                     "start": "0", "end": "13", "line": "4",
                     "std": "https://w3id.org/vetgraph/id/teaching-standard/voc_associate/460702"}]
    assert validate_store(store) == []


# -- resolution -------------------------------------------------------------------------------------

def _catalogue() -> list[Triple]:
    """A tiny hand-made 职业分类大典: 小类 4-12-01 with two 细类, 细类 2-02-07-11 under 2-02-07."""
    base = "https://w3id.org/vetgraph/id/occupation/"
    triples: list[Triple] = []
    for code, label in (("2-02-07", "机械工程技术人员"), ("4-12-01", "汽车摩托车修理技术服务人员")):
        node = NamedNode(base + code)
        triples += [(node, RDF_TYPE, vet("OccupationGroup")), (node, term("skos:notation"), string(code)),
                    (node, term("skos:prefLabel"), zh(label))]
    for code, label in (("2-02-07-11", "汽车工程技术人员"), ("4-12-01-01", "汽车维修工"),
                        ("4-12-01-03", "电池及电池系统维修保养师L")):
        node = NamedNode(base + code)
        triples += [(node, RDF_TYPE, vet("Occupation")), (node, term("skos:notation"), string(code)),
                    (node, term("skos:prefLabel"), zh(label)), (node, term("skos:broader"), NamedNode(base + code[:7]))]
    return triples


def _resolved_store(tmp_path: Path, rows: list[list[str]], with_catalogue: bool = True) -> OxigraphStore:
    """The rows' mentions (from o.csv, as the pipeline would record it) beside the hand-made catalogue."""
    path = write_csv(tmp_path / "o.csv", OCCUPATION_HEADER, rows)
    store = OxigraphStore()
    built = build(OCCUPATIONS_KIND, path, NamedNode(iris.source(str(path))))
    store.commit_source(_record(str(path), "a" * 64), built.triples)
    if with_catalogue:
        store.commit_source(_record("/occupations.csv", "c" * 64), _catalogue())
    return store


def test_a_stated_xilei_refers_to_it_and_a_xiaolei_name_is_found_under_its_group(tmp_path: Path) -> None:
    store = _resolved_store(tmp_path, OCCUPATIONS)
    resolution = occupation_links(store)
    assert resolution.notes == ["occupation links: 3 of 3 occupation mentions resolved (1 by code, "
                                "2 under their 小类), 0 unresolved"]
    store.replace_graph(iris.derived_graph(resolution.name), resolution.triples)
    refers = store.select("SELECT ?text ?o WHERE { ?m vet:spanText ?text ; vet:refersTo ?o }")
    base = "https://w3id.org/vetgraph/id/occupation/"
    assert {(r["text"], r["o"].removeprefix(base)) for r in refers} == {
        ("汽车工程技术人员", "2-02-07-11"), ("汽车维修工", "4-12-01-01"), ("电池及电池系统维修保养师L", "4-12-01-03")}
    prepares = store.select("SELECT ?o WHERE { <https://w3id.org/vetgraph/id/major/460702> vet:preparesFor ?o }")
    assert {r["o"].removeprefix(base) for r in prepares} == {"2-02-07-11", "4-12-01", "4-12-01-01", "4-12-01-03"}
    alignments = store.select("""SELECT ?a ?target ?evidence WHERE { ?a a vet:Alignment ; vet:method "derived" ;
        vet:reviewStatus "proposed" ; vet:alignmentSource <https://w3id.org/vetgraph/id/major/460702> ;
        vet:alignmentTarget ?target ; vet:evidence ?evidence }""")
    assert {r["target"].removeprefix(base) for r in alignments} == {"4-12-01-01", "4-12-01-03"}
    assert all(r["a"] == r["evidence"] + "/derived" for r in alignments)
    assert validate_store(store) == []


def test_what_does_not_resolve_is_noted_with_its_line_and_kept(tmp_path: Path) -> None:
    rows = [[*NEV, "2-02-07-11", "汽车设计工程师", "", ""],  # code exists, name differs: linked, noted
            [*NEV, "4-12-01", "新能源汽车检测工", "", ""],  # no such 细类 under the 小类
            [*NEV, "9-99-99-99", "不存在的职业", "", ""]]  # unknown code
    store = _resolved_store(tmp_path, rows)
    resolution = occupation_links(store)
    summary, *notes = resolution.notes
    assert summary.endswith("1 of 3 occupation mentions resolved (1 by code, 0 under their 小类), 2 unresolved")
    assert notes[0].startswith("o.csv:2: major 460702: 2-02-07-11 is '汽车工程技术人员'")
    assert notes[1].startswith("o.csv:3: major 460702: no 细类 named '新能源汽车检测工' under 4-12-01")
    assert notes[2].startswith("o.csv:4: major 460702: occupation code 9-99-99-99 is not in the store's 职业分类大典")
    assert [t[2].value for t in resolution.triples] == ["https://w3id.org/vetgraph/id/occupation/2-02-07-11"]
    store.replace_graph(iris.derived_graph(resolution.name), resolution.triples)
    assert len(store.select("SELECT ?m WHERE { ?m a vet:Mention }")) == 3  # none dropped


def test_without_the_catalogue_one_note_says_the_mentions_wait(tmp_path: Path) -> None:
    resolution = occupation_links(_resolved_store(tmp_path, OCCUPATIONS, with_catalogue=False))
    assert resolution.triples == []
    assert resolution.notes == ["3 occupation mentions of teaching standards wait for the occupation catalogue "
                                "(职业分类大典); none resolved"]
    assert occupation_links(OxigraphStore()).notes == []


# -- corpus samples and the real data end to end -------------------------------------------------------

def test_the_corpus_samples_ingest_without_rejections_and_conform() -> None:
    courses = build(COURSES_KIND, CORPUS / "standard_courses.csv")
    occupations = build(OCCUPATIONS_KIND, CORPUS / "standard_occupations.csv")
    assert courses.rejections == [] and occupations.rejections == []
    assert courses.counts == {"teaching_standards": 6, "courses": 35, "fragment": 0, "truncated": 0}
    assert occupations.counts["occupation_mentions"] == 24
    store = store_of(courses, occupations)
    assert [r["name"] for r in store.select(COURSE_ORDER % "540101")] == [
        "旅游概论", "旅游政策与法规", "研学旅行策划与服务", "旅行社经营与管理", "景区服务与管理"]
    assert validate_store(store) == []


@pytest.fixture(scope="module")
def real_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, IngestReport]:
    files = [require_shared("catalogs", "occupations_dadian_2022.csv"),
             require_shared("standards", "teaching_standards_2025_major_occupations.csv"),
             require_shared("standards", "teaching_standards_2025_major_courses.csv")]
    home = Home(tmp_path_factory.mktemp("standards") / "home")
    return home, ingest(home, files)


def test_the_real_occupation_links_resolve_and_the_rest_is_reported_with_lines(
        real_home: tuple[Home, IngestReport]) -> None:
    home, report = real_home
    assert [f.status for f in report.files] == ["added"] * 3
    summary = next(n for n in report.notes if n.startswith("occupation links:"))
    assert summary == ("occupation links: 4613 of 4628 occupation mentions resolved (1305 by code, "
                       "3308 under their 小类), 15 unresolved")
    unresolved = [n for n in report.notes if "left unresolved" in n]
    assert len(unresolved) == 15
    assert unresolved[0].startswith("teaching_standards_2025_major_occupations.csv:1019: major 440202: no 细类 "
                                    "named '村务和社区工作者' under 3-01-04")
    assert sum("linked by code" in n for n in report.notes) == 13  # codes whose 大典 name differs
    store = home.open_reader()
    classes = class_counts(store)
    assert (classes["TeachingStandard"], classes["Course"], classes["Mention"]) == (717, 15960, 4628)
    assert classes["Alignment"] == 3308
    unlinked = store.select("""SELECT (COUNT(?m) AS ?n) WHERE { ?m a vet:Mention .
                               FILTER NOT EXISTS { ?m vet:refersTo ?o } }""")
    assert unlinked == [{"n": "15"}]


def test_the_corpus_sample_resolves_fully_against_the_real_catalogue(tmp_path: Path) -> None:
    report = ingest(Home(tmp_path / "home"), [require_shared("catalogs", "occupations_dadian_2022.csv"),
                                              CORPUS / "standard_occupations.csv"])
    assert "occupation links: 24 of 24 occupation mentions resolved (20 by code, 4 under their 小类), " \
           "0 unresolved" in report.notes


def test_a_major_leads_to_its_courses_in_order_and_to_its_occupations(real_home: tuple[Home, IngestReport]) -> None:
    store = real_home[0].open_reader()
    courses = store.select(COURSE_ORDER % "460702")
    assert len(courses) == 29
    assert [r["name"] for r in courses[:5]] == ["汽车文化", "汽车智能制造概论", "汽车机械基础", "汽车机械制图",
                                                "新能源汽车构造"]
    assert [int(r["p"]) for r in courses] == list(range(1, 30))
    occupations = store.select("""SELECT DISTINCT ?name WHERE {
        <https://w3id.org/vetgraph/id/major/460702> vet:preparesFor ?o .
        ?o a vet:Occupation ; skos:prefLabel ?name }""")
    names = {r["name"] for r in occupations}
    assert {"汽车工程技术人员", "汽车维修工", "电池及电池系统维修保养师", "汽车装调工", "质检员"} <= names
    assert len(names) == 15
