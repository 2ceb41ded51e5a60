"""Major -> industry suggestions from the majors' own words, on a small graph built here."""

from __future__ import annotations

import pytest

from kg.align.suggest import suggest
from kg.align.text_links import text_industry_links
from kg.align.tfidf import Idf, bigrams, cosine, weighted_bigrams
from kg.core import iris
from kg.resolve.runner import run_resolvers
from kg.store.base import GraphStore
from kg.store.factory import memory_store

D = "https://w3id.org/vetgraph/id/"
GRAPH = "https://w3id.org/vetgraph/graph/source/test/1"
WIND = iris.major_profile("430301").value

INDUSTRIES = f"""
<{D}industry/44> a vet:Industry ; skos:notation "44" ; skos:prefLabel "电力、热力生产和供应业"@zh ;
    skos:definition "指利用热能、水能、风能、太阳能等发电及电力的输送和分配"@zh .
<{D}industry/4415> a vet:Industry ; skos:notation "4415" ; skos:prefLabel "风力发电"@zh ; skos:broader <{D}industry/44> .
<{D}industry/36> a vet:Industry ; skos:notation "36" ; skos:prefLabel "汽车制造业"@zh ;
    skos:definition "指汽车整车、汽车用发动机、改装汽车、汽车车身和汽车零部件的制造"@zh .
<{D}industry/3612> a vet:Industry ; skos:notation "3612" ; skos:prefLabel "新能源车整车制造"@zh ; skos:broader <{D}industry/36> .
<{D}industry/61> a vet:Industry ; skos:notation "61" ; skos:prefLabel "住宿业"@zh ;
    skos:definition "指为旅行者提供短期留宿场所的活动"@zh .
"""
MAJORS = f"""
<{D}major/430301> a vet:Major ; skos:notation "430301" ; skos:prefLabel "风力发电工程技术"@zh .
<{WIND}> a vet:MajorProfile ; vet:profileOf <{D}major/430301> ;
    vet:occupationalOrientation "面向风电场运行值班员、风力发电机组检修工等职业，风力发电设备运行维护等技术领域。"@zh ;
    vet:trainingGoal "能够从事风电机组安装调试、运行维护工作的高技能人才"@zh .
<{D}major/460702> a vet:Major ; skos:notation "460702" ; skos:prefLabel "新能源汽车技术"@zh .
<{D}course/460702/1> a vet:Course ; vet:forMajor <{D}major/460702> ; skos:prefLabel "新能源汽车整车装调"@zh .
<{D}course/460702/2> a vet:Course ; vet:forMajor <{D}major/460702> ; skos:prefLabel "汽车电气系统检修"@zh .
<{D}major/540106> a vet:Major ; skos:notation "540106" ; skos:prefLabel "酒店管理与数字化运营"@zh .
<{D}course/540106/1> a vet:Course ; vet:forMajor <{D}major/540106> ; skos:prefLabel "前厅与住宿服务"@zh .
"""


@pytest.fixture
def store() -> GraphStore:
    store = memory_store()
    store.update(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {INDUSTRIES} {MAJORS} }} }}")
    run_resolvers(store, (text_industry_links,))
    return store


def _industries(store: GraphStore, major: str) -> list[tuple[str | None, str, str]]:
    return [(s.code, s.method, s.resolved_by) for s in suggest(store, iris.major(major).value, node_type="Major",
                                                               types=["Industry"])]


def test_a_class_named_in_the_orientation_comes_first_within_its_division(store: GraphStore) -> None:
    found = _industries(store, "430301")
    assert found[0] == ("4415", "text", "name")
    assert "44" not in {code for code, _, _ in found}  # its division is not suggested apart


def test_a_major_without_a_profile_is_placed_by_its_name_and_courses(store: GraphStore) -> None:
    assert _industries(store, "460702")[0] == ("36", "text", "text")
    assert _industries(store, "540106")[0] == ("61", "text", "text")


def test_a_division_suggestion_shows_the_word_pieces_it_rests_on(store: GraphStore) -> None:
    rows = store.select(f"""SELECT ?label ?score WHERE {{ ?a vet:alignmentSource <{D}major/460702> ;
        vet:alignmentTarget <{D}industry/36> ; vet:method "text" ; rdfs:label ?label ; vet:score ?score }}""")
    assert len(rows) == 1
    assert rows[0]["label"].startswith("文本相近（") and "汽车" in rows[0]["label"]
    assert rows[0]["label"].endswith("→ 36 汽车制造业")
    assert 0 < float(rows[0]["score"]) <= 1


def test_suggesting_again_changes_nothing(store: GraphStore) -> None:
    before = sorted(map(str, store.quads()))
    run_resolvers(store, (text_industry_links,))
    assert sorted(map(str, store.quads())) == before


def test_no_majors_no_suggestions() -> None:
    store = memory_store()
    store.update(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {INDUSTRIES} }} }}")
    assert text_industry_links(store).triples == []


def test_bigrams_never_span_punctuation_or_digits() -> None:
    assert bigrams("风电、光伏 2024运维") == ["风电", "光伏", "运维"]
    assert bigrams("") == [] and bigrams("风") == []


def test_common_pieces_weigh_less_and_vectors_are_unit_length() -> None:
    documents = [bigrams(text) for text in ("风力发电技术", "汽车制造技术", "住宿服务技术")]
    idf = Idf(documents)
    assert idf.weights["技术"] < idf.weights["风力"]
    vector = idf.vector(weighted_bigrams([("风力发电技术", 1.0)]))
    assert abs(sum(x * x for x in vector.values()) - 1) < 1e-9
    assert cosine(vector, idf.vector(weighted_bigrams([("风力发电", 1.0)]))) > cosine(
        vector, idf.vector(weighted_bigrams([("汽车制造技术", 1.0)])))


def test_a_background_collection_damps_pieces_common_there() -> None:
    documents = [bigrams(text) for text in ("信息系统集成", "风力发电")]
    background = [bigrams(text) for text in ("信息管理", "信息安全", "信息服务", "风电场")]
    damped = Idf(documents, background, damping=1.0)
    plain = Idf(documents)
    assert damped.weights["信息"] / plain.weights["信息"] < damped.weights["风力"] / plain.weights["风力"]
