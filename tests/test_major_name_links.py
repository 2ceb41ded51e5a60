"""Majors and 专业类 a course standard names without a code, linked by name and level in the link step."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import NamedNode

from kg.align.catalogue import Catalogue, Major
from kg.align.major_names import college_level
from kg.align.names import resolve_major
from kg.cli.main import cli
from kg.core import iris
from kg.pipeline.derive import rebuild_derived
from kg.pipeline.run import ingest
from kg.store.base import GraphStore
from kg.store.home import Home
from tests.conftest import ROOT

CORPUS = ROOT / "corpus"
TOUR_GUIDE = CORPUS / "course_standards" / "tour-guide-practice.txt"
LINKS = iris.derived_graph("links")
STANDARD = "https://w3id.org/vetgraph/id/course-standard/"


def _variant(folder: Path, stem: str, college: str | None, major: str, course: str = "模拟导游实训") -> None:
    """The tour-guide standard with another college line, 适用专业 and course name."""
    lines = TOUR_GUIDE.read_text(encoding="utf-8").splitlines()
    lines = ([college] if college else []) + lines[1:]
    text = "\n".join(lines).replace("适用专业：旅游管理（540101）", f"适用专业：{major}").replace("模拟导游实训", course)
    (folder / f"{stem}.txt").write_text(text + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("major-names") / "home")
    ingest(home, [CORPUS])
    return home


@pytest.fixture(scope="module")
def variants_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, list[str]]:
    folder = tmp_path_factory.mktemp("variants")
    shutil.copytree(CORPUS / "catalogues", folder / "catalogues")
    _variant(folder, "bachelor-by-college", "XX旅游职业技术大学", "旅游管理专业")
    _variant(folder, "associate-by-college", "XX旅游职业学院", "旅游管理 专业", course="旅游概论")
    _variant(folder, "no-level", None, "旅游管理")
    _variant(folder, "unknown-name", "XX旅游职业学院", "星际旅行管理专业")
    _variant(folder, "category-by-college", "XX旅游职业学院", "旅游类专业")
    home = Home(folder / "home")
    report = ingest(home, [folder])
    assert report.count("rejected") == 0, [f.reason for f in report.files if f.status == "rejected"]
    return home, report.notes


def _links(store: GraphStore, stem: str) -> dict[str, dict[str, str]]:
    """Target code -> the link-graph alignment from the standard's course (method, score, status, evidence …)."""
    rows = store.select(f"""SELECT ?code ?kind ?method ?resolved ?score ?strength ?status ?evidence ?line ?file ?term
    WHERE {{ GRAPH <{LINKS}> {{ ?a vet:alignmentSource <{STANDARD}{stem}/course> ; vet:alignmentTarget ?t ;
      vet:alignmentType ?kind ; vet:method ?method ; vet:resolvedBy ?resolved ; vet:score ?score ;
      vet:strength ?strength ; vet:reviewStatus ?status ; vet:evidence ?evidence }}
      FILTER(STRSTARTS(?kind, "course-major"))
      ?t skos:notation ?code . ?evidence vet:line ?line ; prov:wasDerivedFrom ?file ; vet:matchedTerm ?term }}""")
    return {row["code"]: row for row in rows}


def _for_major(store: GraphStore, stem: str) -> tuple[set[str], set[str]]:
    """The codes the standard and its course are vet:forMajor, read from the union of graphs."""
    def codes(node: str) -> set[str]:
        return {r["code"] for r in store.select(f"SELECT ?code WHERE {{ <{node}> vet:forMajor ?m . ?m skos:notation ?code }}")}
    return codes(f"{STANDARD}{stem}"), codes(f"{STANDARD}{stem}/course")


# -- the demo corpus ------------------------------------------------------------------------------
def test_a_major_named_without_a_code_gets_for_major_through_a_stated_name_alignment(corpus_home: Home) -> None:
    store = corpus_home.open_reader()
    assert _for_major(store, "ev-drive-motor") == ({"460702"}, {"460702"})  # 新能源汽车技术 at 高职专科
    [link] = _links(store, "ev-drive-motor").values()
    assert (link["kind"], link["method"], link["resolved"], link["status"], link["strength"]) == (
        "course-major", "stated", "name", "accepted", "exact")
    assert float(link["score"]) == 1.0 and link["term"] == "新能源汽车技术"
    files = {r.iri: r.path for r in store.sources().values()}
    assert files[link["file"]].endswith("ev-drive-motor.docx") and int(link["line"]) > 0
    # the forMajor statements are the link step's, not the standard's own graph
    own = store.select(f"SELECT ?m WHERE {{ GRAPH ?g {{ <{STANDARD}ev-drive-motor> vet:forMajor ?m }} "
                       f"FILTER(?g != <{LINKS}>) }}")
    assert own == []
    # its course is one of 460702's teaching-standard courses: based on it, as a coded major would give
    based = store.select(f"SELECT ?s WHERE {{ <{STANDARD}ev-drive-motor/course> vet:basedOn ?s }}")
    assert [row["s"] for row in based] == [iris.standard_course("460702", "新能源汽车驱动电机及控制技术").value]


def test_a_major_class_named_by_no_level_is_one_proposed_link_per_level(corpus_home: Home) -> None:
    store = corpus_home.open_reader()
    links = _links(store, "e-commerce-data-analysis")
    assert set(links) == {"7307", "5307", "3307"}  # 电子商务类 at 中职, 高职专科, 职教本科; the standard names no college
    assert {(l["kind"], l["status"], l["method"]) for l in links.values()} == {
        ("course-major-category", "proposed", "stated")}
    assert {float(l["score"]) for l in links.values()} == {round(1 / 3, 4)}  # the name's score shared by three
    assert _for_major(store, "e-commerce-data-analysis") == (set(), set())  # a 专业类 is no vet:forMajor


def test_the_alignment_map_of_the_named_major_shows_the_course(corpus_home: Home) -> None:
    result = CliRunner().invoke(cli, ["--store", str(corpus_home.root), "export", "alignment", "--major", "460702",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    amap = json.loads(result.stdout)
    course = f"{STANDARD}ev-drive-motor/course"
    [row] = [c for c in amap["courses"] if c["node"]["iri"] == course]
    assert row["origins"] == ["course-standard"] and row["standard"] == "新能源汽车驱动电机及控制技术课程标准"
    stated = [c for c in amap["cells"] if c["course"] == course and c["link"]["method"] == "stated"]
    assert stated and all(e["line"] for c in stated for e in c["link"]["evidence"])  # its 1+X certificate, by module


def test_the_links_note_counts_major_mentions(corpus_home: Home) -> None:
    from kg.align.link import link_mentions

    notes = link_mentions(corpus_home.open_reader()).notes
    assert "major 2/2" in notes[0]
    assert any("1 major names name no one catalogue entry" in note for note in notes[1:])


def test_realigning_gives_the_same_graph(corpus_home: Home) -> None:
    def links() -> set[str]:
        return {str(q) for q in corpus_home.open_reader().quads(graph=LINKS)}

    def union() -> set[tuple[str, str, str]]:
        return {(str(q.subject), str(q.predicate), str(q.object)) for q in corpus_home.open_reader().quads()}

    before_links, before_union = links(), union()
    assert any("/alignment/course-major/" in quad for quad in before_links)  # there is something to compare
    with corpus_home.writer() as store:
        rebuild_derived(store)
    once = {str(q) for q in corpus_home.open_reader().quads()}
    with corpus_home.writer() as store:
        rebuild_derived(store)
    assert links() == before_links and union() == before_union
    assert {str(q) for q in corpus_home.open_reader().quads()} == once


# -- the level rule, on variants of one standard -----------------------------------------------
def test_the_college_type_chooses_the_level_of_a_name_held_at_several(variants_home: tuple[Home, list[str]]) -> None:
    store = variants_home[0].open_reader()
    assert _for_major(store, "bachelor-by-college") == ({"340101"}, {"340101"})  # 职业技术大学 -> 职教本科
    assert set(_links(store, "bachelor-by-college")) == {"340101"}
    assert _for_major(store, "associate-by-college") == ({"540101"}, {"540101"})  # 职业学院 -> 高职专科
    [link] = _links(store, "associate-by-college").values()
    assert (link["status"], link["term"], float(link["score"])) == ("accepted", "旅游管理", 1.0)  # printed '旅游管理 专业'
    based = store.select(f"SELECT ?s WHERE {{ <{STANDARD}associate-by-college/course> vet:basedOn ?s }}")
    assert [row["s"] for row in based] == [iris.standard_course("540101", "旅游概论").value]


def test_no_level_stated_gives_every_level_as_a_proposed_link_and_no_for_major(
        variants_home: tuple[Home, list[str]]) -> None:
    store = variants_home[0].open_reader()
    links = _links(store, "no-level")
    assert set(links) == {"540101", "340101"} and {l["status"] for l in links.values()} == {"proposed"}
    assert {float(l["score"]) for l in links.values()} == {0.5}
    assert _for_major(store, "no-level") == (set(), set())


def _no_level_home(tmp_path: Path) -> Home:
    """The catalogues and one standard naming 旅游管理 with no level and no college."""
    folder = tmp_path / "in"
    shutil.copytree(CORPUS / "catalogues", folder / "catalogues")
    _variant(folder, "no-level", None, "旅游管理")
    home = Home(tmp_path / "home")
    ingest(home, [folder])
    return home


def test_a_reviewer_accepting_one_level_gives_it_for_major(tmp_path: Path) -> None:
    from kg.align.review_ops import record_review

    home = _no_level_home(tmp_path)
    links = _links(home.open_reader(), "no-level")
    alignment = iris.alignment(f"{STANDARD}no-level/course", iris.major("340101").value, "course-major").value
    with home.writer() as store:
        record_review(store, alignment, "accepted", reviewer="tester", at="2026-01-01T00:00:00Z")
        other = iris.alignment(f"{STANDARD}no-level/course", iris.major("540101").value, "course-major").value
        record_review(store, other, "rejected", reviewer="tester", at="2026-01-01T00:00:00Z")
        rebuild_derived(store)
    store = home.open_reader()
    assert set(links) == {"540101", "340101"}
    assert _for_major(store, "no-level") == ({"340101"}, {"340101"})
    assert set(_links(store, "no-level")) == {"340101"}  # the rejected level is not proposed again


def test_a_level_the_standard_states_wins_over_no_college(tmp_path: Path) -> None:
    from kg.core.rdf import string, vet
    from kg.store.updates import insert_data

    home = _no_level_home(tmp_path)
    with home.writer() as store:
        store.update(insert_data(f"{iris.GRAPH}test", [(NamedNode(f"{STANDARD}no-level"), vet("level"), string("职业本科"))]))
        rebuild_derived(store)
    store = home.open_reader()
    assert _for_major(store, "no-level") == ({"340101"}, {"340101"})
    assert {c: l["status"] for c, l in _links(store, "no-level").items()} == {"340101": "accepted"}


def test_the_level_a_standard_prints_in_its_basic_information_is_the_level_linked(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(CORPUS / "catalogues", folder / "catalogues")
    _variant(folder, "level-printed", None, "旅游管理\n培养层次：高等职业教育本科")
    home = Home(tmp_path / "home")
    ingest(home, [folder])
    store = home.open_reader()
    assert store.select(f"SELECT ?l WHERE {{ <{STANDARD}level-printed> vet:level ?l }}") == [{"l": "职教本科"}]
    assert _for_major(store, "level-printed") == ({"340101"}, {"340101"})


def test_a_major_class_at_the_colleges_level_resolves_to_its_node(variants_home: tuple[Home, list[str]]) -> None:
    store = variants_home[0].open_reader()
    [link] = _links(store, "category-by-college").values()
    assert link["kind"] == "course-major-category" and link["status"] == "accepted"
    refers = store.select(f"""SELECT ?t WHERE {{ ?m vet:mentionedIn <{STANDARD}category-by-college> ;
        vet:mentionKind "major" ; vet:refersTo ?t }}""")
    assert [row["t"] for row in refers] == [iris.major_category("5401").value]  # 旅游类 at 高职专科


def test_an_unknown_name_stays_a_mention_and_is_reported(variants_home: tuple[Home, list[str]]) -> None:
    home, notes = variants_home
    store = home.open_reader()
    assert _links(store, "unknown-name") == {} and _for_major(store, "unknown-name") == (set(), set())
    refers = store.select(f"SELECT ?t WHERE {{ ?m vet:mentionedIn <{STANDARD}unknown-name> ; vet:refersTo ?t }}")
    assert refers == []
    links_note = next(n for n in notes if n.startswith("links: mentions resolved"))
    assert "major 4/5" in links_note
    [unresolved] = [n for n in notes if "not resolved" in n]
    assert "'星际旅行管理'" in unresolved and "no major of that name" in unresolved


def test_a_major_class_without_class_nodes_is_unresolved_with_its_reason(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _variant(folder, "category-alone", "XX旅游职业学院", "旅游类专业")
    report = ingest(Home(tmp_path / "home"), [folder])
    notes = " ".join(report.notes)
    assert "major 0/1" in notes and "the store holds no 专业类" in notes


# -- the rule itself ------------------------------------------------------------------------------
@pytest.mark.parametrize(("college", "level"), [
    ("XX汽车职业技术学院", "高职专科"), ("XX旅游职业学院", "高职专科"), ("XX医学高等专科学校", "高职专科"),
    ("XX职业技术大学", "职教本科"), ("XX市中等职业学校", "中职"), ("XX县职业中专", "中职"),
    ("XX职业技术师范大学", None), ("XX大学", None), (None, None),
])
def test_college_level(college: str | None, level: str | None) -> None:
    assert college_level(college) == level


def test_a_major_name_resolves_across_widths_spaces_and_a_trailing_major_word() -> None:
    catalogue = Catalogue.from_entries(majors=[Major(iris.major(c).value, c, "电子商务", lv) for c, lv in (
        ("730701", "中职"), ("530701", "高职专科"), ("330701", "职教本科"))])
    for printed in ("电子商务", "电子商务专业", "电子 商务", "电子商务　专业"):
        assert {c.code for c in resolve_major(printed, catalogue)} == {"730701", "530701", "330701"}, printed
    assert [c.code for c in resolve_major("电子商务专业", catalogue, level="高职")] == ["530701"]
    assert resolve_major("电子商务类", catalogue) == []


@pytest.mark.parametrize(("printed", "level"), [
    ("高职", "高职专科"), ("高等职业教育专科（三年制）", "高职专科"), ("职业本科", "职教本科"), ("中 职", "中职"),
    ("中职、高职", None), ("", None), ("全日制", None),
])
def test_a_printed_level_is_read_as_the_catalogue_names_it(printed: str, level: str | None) -> None:
    from ingest.course_standard.fields import education_level_of

    assert education_level_of(printed) == level
