"""The graph projection on a small store built here (tests/graph_small.ttl): exact nodes and edges, paths with
their costs and evidence, similar majors with what they share, reach and cut-off sets, bridges, the cache."""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, parse

from kg.align.reviews import Review, review_triples
from kg.cli.main import cli
from kg.core import iris, terms
from kg.core.names import normalise_name
from kg.errors import SettingsError, VetgraphError
from kg.graph.cache import cache_file, cached_projection
from kg.graph.model import GraphSettings
from kg.graph.paths import best_paths
from kg.graph.projection import project
from kg.graph.reach import major_certificate_bridges, policy_reach
from kg.graph.resolve import resolve_nodes
from kg.graph.similar import similar_majors
from kg.store.base import GraphStore
from kg.store.factory import open_store
from kg.store.home import Home

ID = "https://w3id.org/vetgraph/id/"
SMALL = Path(__file__).with_name("graph_small.ttl")
REJECTED = Review(f"{ID}alignment/a11", "rejected", "tester", "2026-01-01T00:00:00Z")


def fill(store: GraphStore) -> GraphStore:
    triples = [(t.subject, t.predicate, t.object) for t in parse(SMALL.read_bytes(), format=RdfFormat.TURTLE)]
    store.replace_graph(f"{terms.GRAPH}test/small", triples)
    store.replace_graph(iris.REVIEW_GRAPH, review_triples(REJECTED))
    return store


@pytest.fixture(scope="module")
def store() -> GraphStore:
    return fill(open_store("memory"))


@pytest.fixture(scope="module")
def graph(store: GraphStore) -> nx.Graph:
    return project(store)


def short(iri: str) -> str:
    return iri.removeprefix(ID)


def route(path) -> list[str]:
    return [short(n.iri) for n in path.nodes]


def test_the_projection_holds_the_core_kinds_and_firm_links(graph: nx.Graph) -> None:
    kinds = {short(n): kind for n, kind in graph.nodes(data="kind")}
    assert kinds["certificate/pv"] == "Certificate" and "certificate/pv/senior" not in kinds  # a level folds
    assert kinds["occupation/car"] == "Occupation" and kinds["policy/doc/p1"] == "Provision"
    assert kinds["policy/doc/p1/m1"] == "Mention" and "policy/doc/p1/m3" not in kinds  # m3 resolved to nothing
    assert sorted(k for k in set(kinds.values())) == ["Certificate", "Course", "Industry", "Major", "Mention",
                                                     "Occupation", "Provision"]
    edges = {(short(d["info"].source), short(d["info"].target)): d["info"] for _, _, d in graph.edges(data=True)}
    assert edges[("major/430301", "certificate/pv")].alignment == f"{ID}alignment/a6"
    assert ("major/460702", "certificate/pv") not in edges  # its alignment was rejected by review
    assert ("major/540101", "industry/61") not in edges  # proposed: only on request
    assert ("industry/44", "industry/D") not in edges  # no step through a 门类
    assert edges[("industry/4415", "industry/441")].relation == "broader"
    assert edges[("course/430302/b", "major/430302")].relation == "forMajor"
    assert edges[("policy/doc/p1/m1", "industry/4416")].alignment == f"{ID}alignment/a2"
    assert edges[("major/430301", "industry/4416")].evidence == "面向光伏发电行业"
    assert graph.nodes[f"{ID}course/430301/a"]["standard"] and not graph.nodes[f"{ID}course/430301/b"]["standard"]
    assert graph.number_of_edges() == len(edges) == 26


def test_proposed_links_come_in_from_their_score_up(store: GraphStore) -> None:
    assert project(store, GraphSettings(include_proposed=True, min_score=0.3)).has_edge(f"{ID}major/540101",
                                                                                     f"{ID}industry/61")
    assert not project(store, GraphSettings(include_proposed=True, min_score=0.5)).has_edge(f"{ID}major/540101",
                                                                                         f"{ID}industry/61")
    with pytest.raises(SettingsError, match="known: include_proposed, min_score"):
        GraphSettings.of(proposed=True)


def test_the_best_paths_from_a_policy_term_to_any_major(graph: nx.Graph) -> None:
    paths = best_paths(graph, resolve_nodes(graph, "清洁能源"), resolve_nodes(graph, "Major"), max_hops=4, top=3)
    assert [route(p) for p in paths] == [
        ["policy/doc/p1/m1", "industry/4416", "major/430301"],
        ["policy/doc/p1/m1", "industry/4415", "industry/441", "major/430302"],
        ["policy/doc/p1/m1", "industry/4416", "industry/441", "major/430302"]]
    assert [round(p.cost, 4) for p in paths] == [2.45, 3.8, 3.8]
    first = paths[0].edges
    assert [(e.relation, e.method, e.score, e.alignment) for e in first] == [
        ("refersTo", "stated", 0.7, f"{ID}alignment/a2"), ("major-industry", "stated", 0.85, f"{ID}alignment/a4")]
    assert first[0].evidence == "第一条 发展清洁能源和旅游业，培育新兴产业。"


def test_paths_never_pass_through_a_provision_and_respect_max_hops(graph: nx.Graph) -> None:
    paths = best_paths(graph, [f"{ID}major/430301"], [f"{ID}certificate/wind"], max_hops=4, top=5)
    assert [route(p) for p in paths] == [
        ["major/430301", "certificate/pv", "major/430302", "certificate/wind"],
        ["major/430301", "industry/4416", "industry/441", "major/430302", "certificate/wind"]]
    assert [round(p.cost, 4) for p in paths] == [3.0, 4.65]
    assert best_paths(graph, [f"{ID}major/430301"], [f"{ID}certificate/wind"], max_hops=2) == []
    assert best_paths(graph, resolve_nodes(graph, "清洁能源"), resolve_nodes(graph, "旅游业")) == []
    assert best_paths(graph, [f"{ID}major/460702"], [f"{ID}certificate/pv"]) == []


def test_names_resolve_by_kind_iri_code_label_and_normalised_label(graph: nx.Graph) -> None:
    assert resolve_nodes(graph, "430302") == [f"{ID}major/430302"]
    assert resolve_nodes(graph, "4415") == [f"{ID}industry/4415"]
    assert resolve_nodes(graph, "风力发电 工程技术") == [f"{ID}major/430302"]
    assert resolve_nodes(graph, f"{ID}certificate/wind") == [f"{ID}certificate/wind"]
    assert len(resolve_nodes(graph, "certificate")) == 3
    with pytest.raises(VetgraphError, match="nothing in the graph is named '无此节点'"):
        resolve_nodes(graph, "无此节点")


def test_similar_majors_rank_by_rare_shared_items(graph: nx.Graph) -> None:
    found = similar_majors(graph, f"{ID}major/430301")
    assert [short(s.iri) for s in found] == ["major/430302", "major/540101"]
    first = found[0]
    assert first.shared["certificate"] == ["光伏电站运维职业技能等级证书"]
    assert [normalise_name(c) for c in first.shared["course"]] == ["光伏电站运维", "体育"]
    assert found[1].shared == {"course": ["体育"]}
    # cosine of idf-weighted items: 430301 has pv, 4416, its occupation and two courses
    rare, common, certificate = math.log(1 + 4 / 2), math.log(1 + 4 / 3), 3 * math.log(1 + 4 / 2)
    own = certificate ** 2 + (2 * math.log(5)) ** 2 + (2 * math.log(5)) ** 2 + rare ** 2 + common ** 2
    other = certificate ** 2 + (3 * math.log(5)) ** 2 + (2 * math.log(5)) ** 2 + (2 * math.log(5)) ** 2 \
        + rare ** 2 + math.log(5) ** 2 + common ** 2
    assert first.score == round((certificate ** 2 + rare ** 2 + common ** 2) / math.sqrt(own * other), 4)
    assert similar_majors(graph, f"{ID}major/460702") == []


def test_reach_names_what_each_field_reaches_and_what_is_cut_off(store: GraphStore, graph: nx.Graph) -> None:
    report = policy_reach(graph, store, f"{ID}policy/doc", hops=2)
    fields = {f.term: f for f in report.fields}
    assert sorted(fields) == ["新兴产业", "旅游业", "清洁能源"]
    clean = fields["清洁能源"]
    assert clean.cut_off == ()
    by_code = {i.industry.code: i for i in clean.industries}
    assert by_code["4416"].cut_off == ()
    assert {n.kind: (short(n.node.iri), n.hops) for n in by_code["4416"].nearest} == {
        "Major": ("major/430301", 1), "Certificate": ("certificate/pv", 2), "Course": ("course/430301/a", 2),
        "CourseStandard": ("course/430301/a", 2)}
    assert by_code["4415"].cut_off == ("Certificate", "Course", "CourseStandard")
    assert [short(n.iri) for n in by_code["4415"].nearest[0].path] == ["industry/4415", "industry/441",
                                                                        "major/430302"]
    assert fields["旅游业"].cut_off == ("Major", "Certificate", "Course", "CourseStandard")
    assert fields["新兴产业"].reason and fields["新兴产业"].industries == ()
    assert report.reached_single_major == ()
    wider = policy_reach(graph, store, f"{ID}policy/doc", hops=3)
    assert [(short(c.iri), short(m.iri)) for c, m in wider.reached_single_major] == [("certificate/wind",
                                                                                      "major/430302")]


def test_the_major_certificate_graph_has_its_components_and_bridges(graph: nx.Graph) -> None:
    bridges = major_certificate_bridges(graph)
    assert (bridges.components, bridges.largest, bridges.bridges) == (2, (4, 2), 4)
    assert [(short(c.iri), short(m.iri)) for c, m in bridges.single_major] == [
        ("certificate/hotel", "major/540101"), ("certificate/wind", "major/430302")]


@pytest.fixture(scope="module")
def small_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("graph") / "home")
    with home.writer() as store:
        fill(store)
    return home


def test_the_projection_is_cached_per_snapshot(small_home: Home) -> None:
    graph = cached_projection(small_home)
    snapshot = small_home.current_snapshot()
    assert snapshot is not None and cache_file(small_home, snapshot.name, GraphSettings()).is_file()
    assert cached_projection(small_home) is graph
    assert nx.utils.graphs_equal(graph, project(small_home.open_reader()))


def invoke(home: Home, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--store", str(home.root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_explain_prints_each_edge_with_its_evidence(small_home: Home) -> None:
    text = invoke(small_home, "explain", "清洁能源", "Major", "--top", "1")
    assert "[Mention] 清洁能源 → [Industry] 4416 太阳能发电 → [Major] 430301 光伏工程技术" in text
    assert "evidence: 第一条 发展清洁能源和旅游业，培育新兴产业。" in text and "evidence: 面向光伏发电行业" in text
    found = json.loads(invoke(small_home, "explain", "430301", "风电机组运维职业技能等级证书", "--json"))
    assert [len(p["edges"]) for p in found["paths"]] == [3, 4]
    assert found["paths"][0]["edges"][0]["alignment"] == f"{ID}alignment/a6"


def test_similar_and_reach_on_the_command_line(small_home: Home) -> None:
    similar = json.loads(invoke(small_home, "similar", "430301", "--json"))
    assert [s["code"] for s in similar] == ["430302", "540101"]
    assert "certificate: 光伏电站运维职业技能等级证书" in invoke(small_home, "similar", "光伏工程技术")
    reach = json.loads(invoke(small_home, "reach", "--policy", f"{ID}policy/doc", "--hops", "2", "--json"))
    assert {f["term"]: f["cut_off"] for f in reach["fields"]}["旅游业"] == ["Major", "Certificate", "Course",
                                                                        "CourseStandard"]
    assert reach["bridges"]["components"] == 2
    assert "cut off: Major, Certificate, Course, CourseStandard" in invoke(small_home, "reach", "--policy",
                                                                          f"{ID}policy/doc")


@pytest.mark.parametrize("command", ["explain", "similar", "reach"])
def test_every_graph_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_an_unknown_name_is_one_line(small_home: Home) -> None:
    result = CliRunner().invoke(cli, ["--store", str(small_home.root), "explain", "无此节点", "Major"])
    assert result.exit_code == 1 and result.output.startswith("error: nothing in the graph is named")


def test_the_entity_page_explains_a_neighbour_and_lists_similar_majors(monkeypatch: pytest.MonkeyPatch,
                                                                      small_home: Home) -> None:
    from streamlit.testing.v1 import AppTest

    from kg.store.home import ENV_HOME
    from tests.conftest import ROOT

    monkeypatch.setenv(ENV_HOME, str(small_home.root))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.switch_page("pages/1_实体_Entity.py")
    app.query_params["iri"] = f"{ID}major/430301"
    app.run()
    assert not app.exception
    assert "相似专业（2）" in [e.label for e in app.expander]
    why = app.selectbox(key=f"why-{ID}major/430301")
    assert "光伏电站运维职业技能等级证书" in why.options
    why.set_value(f"{ID}certificate/pv").run()
    paths = [m.value for m in app.markdown if m.value.startswith("**1.**")]
    assert paths == ["**1.** 光伏工程技术 → 光伏电站运维职业技能等级证书"]
    assert any("major-certificate" in c.value and "stated/name" in c.value for c in app.caption)


def test_the_similar_majors_linked_to_a_certificate_are_the_peer_evidence(graph: nx.Graph) -> None:
    from kg.graph.similar import similar_majors_stating

    found = similar_majors_stating(graph, f"{ID}major/430301", [f"{ID}certificate/pv", f"{ID}certificate/none"])
    assert {cert: [short(m.iri) for m in majors] for cert, majors in found.items()} == {
        f"{ID}certificate/pv": ["major/430302"]}
