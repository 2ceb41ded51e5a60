"""The graph commands on all of ../shared/data: the seed policy's 清洁能源 reaches a major, each edge with its
evidence; the majors most like 460702 share its stated certificates; the entity page's graph comes from the
projection."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.graph.cache import cached_projection
from kg.store.home import Home
from tests.conftest import SEED

pytestmark = pytest.mark.realdata
SEED_DOCUMENT = "https://w3id.org/vetgraph/id/policy/000_63c5338d7d9bffda"
MAJOR = "https://w3id.org/vetgraph/id/major/460702"
STATED = f"""SELECT DISTINCT ?label WHERE {{ ?a vet:alignmentType "major-certificate" ; vet:method "stated" ;
  vet:alignmentSource <{MAJOR}> ; vet:alignmentTarget ?c . ?c skos:prefLabel ?label }}"""


def invoke(home: Home, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--store", str(home.root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_clean_energy_has_a_path_to_a_major_with_every_edge_s_evidence(real_home: Home) -> None:
    found = json.loads(invoke(real_home, "explain", "清洁能源", "Major", "--json"))
    seed = [p for p in found["paths"] if p["nodes"][0]["iri"].startswith(SEED_DOCUMENT + "/")]
    assert seed, found["paths"]
    for path in seed:
        assert path["nodes"][0]["label"] == "清洁能源" and path["nodes"][-1]["kind"] == "Major"
        assert all(edge["evidence"] and edge["method"] for edge in path["edges"]), path["edges"]
    assert "清洁能源" in seed[0]["edges"][0]["evidence"]  # the sentence of the seed that names it
    text = invoke(real_home, "explain", "清洁能源", "Major", "--top", "1")
    assert text.count("evidence: ") == len(found["paths"][0]["edges"])


def test_the_majors_like_460702_share_its_stated_certificates(real_home: Home) -> None:
    stated = {row["label"] for row in real_home.open_reader().select(STATED)}
    assert len(stated) >= 3
    similar = json.loads(invoke(real_home, "similar", "460702", "--json"))
    sharing = [s for s in similar if s["shared"].get("certificate")]
    assert len(sharing) >= 2, similar
    assert all(set(s["shared"]["certificate"]) <= stated for s in sharing)
    assert "新能源汽车检测与维修技术" in [s["label"] for s in sharing[:3]]
    assert "certificate: " in invoke(real_home, "similar", "460702", "--top", "3")


def test_the_seed_s_fields_reach_majors_and_the_course_standards_are_cut_off(real_home: Home) -> None:
    report = json.loads(invoke(real_home, "reach", "--policy", str(SEED), "--json"))
    fields = {f["term"]: f for f in report["fields"]}
    assert {"清洁能源", "旅游业", "大数据"} <= set(fields)
    assert "Major" not in fields["清洁能源"]["cut_off"]
    assert any(near["kind"] == "Major" for industry in fields["清洁能源"]["industries"] for near in industry["nearest"])
    assert report["bridges"]["components"] >= 1 and report["bridges"]["single_major"]


def test_the_entity_page_neighbourhood_comes_from_the_projection(real_home: Home) -> None:
    from webapp.graph_model import best_neighbourhood

    projection = cached_projection(real_home)
    graph = best_neighbourhood(real_home.open_reader(), MAJOR, 2, projection)
    assert graph.positions and set(graph.positions) == set(graph.nodes)
    assert {"Course", "Certificate", "Occupation"} <= {n.cls for n in graph.neighbours()}
    assert all(projection.has_edge(e.source, e.target) for e in graph.edges)


def test_align_suggest_names_the_similar_majors_linked_to_a_suggested_certificate(real_home: Home) -> None:
    found = json.loads(invoke(real_home, "align", "suggest", "--major", "460702", "--type", "Certificate", "--json"))
    projection = cached_projection(real_home)
    backed = [s for s in found if s.get("similar_majors")]
    assert backed and all(s["method"] != "stated" for s in backed)
    for suggestion in backed:
        for major in suggestion["similar_majors"]:
            assert suggestion["iri"] in projection.adj[major["iri"]]  # each named major is linked to it
            assert major["shared"] and major["iri"] != MAJOR
    assert "相似专业亦对应" in invoke(real_home, "align", "suggest", "--major", "460702", "--type", "Certificate")
