"""Node texts built from the graph: one per searchable node, exact labels, verbatim texts, stable digests."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

from kg.core import terms
from kg.pipeline.run import ingest
from kg.search.base import SEARCHABLE
from kg.search.texts import embedded_text, node_texts, target_sentence
from kg.store.home import Home
from kg.store.oxigraph import OxigraphStore
from tests.conftest import ROOT

ID = "https://w3id.org/vetgraph/id/"
PREFIXES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in terms.PREFIXES.items()) + f"@base <{ID}> .\n"

#: A small graph with one node of every searchable class (and what their texts draw on).
SMALL = PREFIXES + """
<major-category/46> a vet:MajorCategory ; skos:prefLabel "装备制造大类"@zh ; skos:notation "46" .
<major-category/4607> a vet:MajorCategory ; skos:prefLabel "汽车制造类"@zh ; skos:notation "4607" ;
    skos:broader <major-category/46> .
<major/460702> a vet:Major ; skos:prefLabel "新能源汽车技术"@zh ; skos:notation "460702" ; vet:level "高职专科" ;
    skos:broader <major-category/4607> ; vet:preparesFor <occupation/6-22-02-06> , <occupation/4-12-01-01> .
<occupation/6-22> a vet:OccupationGroup ; skos:prefLabel "汽车制造人员"@zh ; skos:notation "6-22" .
<occupation/6-22-02> a vet:OccupationGroup ; skos:prefLabel "汽车整车制造人员"@zh ; skos:notation "6-22-02" ;
    skos:broader <occupation/6-22> .
<occupation/6-22-02-06> a vet:Occupation ; skos:prefLabel "新能源汽车装调工"@zh ; skos:notation "6-22-02-06" ;
    skos:definition "使用工具和设备，进行新能源汽车动力电池、驱动电机等装配、调试的人员。"@zh ;
    skos:broader <occupation/6-22-02> ; vet:greenMarker true .
<occupation/4-12-01-01> a vet:Occupation ; skos:prefLabel "汽车维修工"@zh ; skos:notation "4-12-01-01" .
<standard/460702> a vet:TeachingStandard ; skos:prefLabel "新能源汽车技术专业教学标准（高职专科）"@zh ;
    vet:level "高职专科" ; vet:forMajor <major/460702> ; vet:hasCourse <course/460702/a> , <course/460702/bad> .
<course/460702/a> a vet:Course ; skos:prefLabel "新能源汽车构造"@zh ; vet:forMajor <major/460702> .
<course/460702/bad> a vet:Course ; skos:prefLabel "汽车构造、新能"@zh ; vet:forMajor <major/460702> ;
    vet:parseQuality "fragment" .
<cs/battery/course> a vet:Course ; skos:prefLabel "动力电池检测与维修"@zh ; vet:forMajor <major/460702> ;
    vet:courseNature "专业核心课" ; dcterms:description "本课程面向动力电池检测与维修岗位。"@zh ;
    vet:hasModule <cs/battery/m2> , <cs/battery/m1> ; vet:hasOutcome <cs/battery/o1> .
<cs/battery/m1> a vet:CourseModule ; skos:prefLabel "动力电池认知"@zh ; vet:position 1 .
<cs/battery/m2> a vet:CourseModule ; skos:prefLabel "电池管理系统检测"@zh ; vet:position 2 .
<cs/battery/o1> a vet:LearningOutcome ; vet:text "能使用诊断仪读取电池管理系统数据流"@zh ; vet:outcomeKind "skill" .
<org/1> a vet:Organization ; skos:prefLabel "北京新能源汽车股份有限公司"@zh .
<certificate/nev> a vet:Certificate ; skos:prefLabel "智能新能源汽车职业技能等级证书"@zh ;
    skos:altLabel "智能新能源汽车"@zh ; vet:issuedBy <org/1> ;
    vet:hasLevel <certificate/nev/3> , <certificate/nev/1> .
<certificate/nev/1> a vet:CertificateLevel ; vet:levelName "初级" .
<certificate/nev/3> a vet:CertificateLevel ; vet:levelName "高级" .
<industry/C> a vet:Industry ; skos:prefLabel "制造业"@zh ; skos:notation "C" ; vet:industryLevel "门类" .
<industry/36> a vet:Industry ; skos:prefLabel "汽车制造业"@zh ; skos:notation "36" ; vet:industryLevel "大类" ;
    skos:broader <industry/C> ; skos:definition "指汽车整车及零部件的制造。"@zh .
<policy/law> a vet:PolicyDocument ; eli:title "XX市校企合作促进条例"@zh .
<policy/law/art-19> a vet:Provision ; rdfs:label "第十九条" ; eli:number "第十九条" ; vet:inDocument <policy/law> ;
    vet:text "第十九条 市人民政府应当设立校企合作专项资金。市级专项资金每年不少于3000万元。"@zh .
<policy/law/art-19/target-1> a vet:Target ; rdfs:label "市级专项资金每年 不少于3000万元" ;
    vet:metric "市级专项资金每年"@zh ; vet:spanText "不少于3000万元" ; vet:spanStart 29 ; vet:spanEnd 38 ;
    vet:statedIn <policy/law/art-19> .
<competition/nev> a vet:Competition ; skos:prefLabel "新能源汽车维修"@zh ; vet:competitionSeries "全国职业院校技能大赛"@zh .
"""


def turtle_store(*graphs: str) -> OxigraphStore:
    """An in-memory store holding each Turtle text in its own named graph."""
    store = OxigraphStore(None)
    for number, text in enumerate(graphs):
        triples = [(t.subject, t.predicate, t.object) for t in parse(text, format=RdfFormat.TURTLE)]
        store.replace_graph(f"{terms.GRAPH}test/{number}", triples)
    return store


@pytest.fixture(scope="module")
def small() -> dict[str, object]:
    return {node.iri.removeprefix(ID): node for node in node_texts(turtle_store(SMALL))}


@pytest.fixture(scope="module")
def corpus_store() -> OxigraphStore:
    home = Home(Path(__import__("tempfile").mkdtemp()) / "home")
    ingest(home, [ROOT / "corpus"])
    return home.open_reader()


def test_one_text_per_searchable_node(small: dict) -> None:
    assert {n.cls for n in small.values()} == set(SEARCHABLE)
    assert sorted(small) == ["certificate/nev", "competition/nev", "course/460702/a", "cs/battery/course",
                             "cs/battery/o1", "industry/36", "industry/C", "major/460702", "occupation/4-12-01-01",
                             "occupation/6-22-02-06", "policy/law/art-19", "policy/law/art-19/target-1"]


def test_the_union_graph_repeating_triples_changes_nothing(small: dict) -> None:
    twice = node_texts(turtle_store(SMALL, SMALL))
    assert [(n.iri, n.digest) for n in twice] == [(n.iri, n.digest) for n in sorted(small.values(),
                                                                                        key=lambda n: n.iri)]


def test_a_major_has_its_code_level_categories_and_occupations(small: dict) -> None:
    major = small["major/460702"]
    assert (major.label, major.text, major.level) == ("新能源汽车技术", "新能源汽车技术", "高职专科")
    assert major.context == ("专业；高职专科；代码 460702；专业类：汽车制造类；专业大类：装备制造大类；"
                             "职业面向：汽车维修工、新能源汽车装调工")


def test_courses_standard_and_college(small: dict) -> None:
    listed = small["course/460702/a"]
    assert (listed.text, listed.level, listed.context) == ("新能源汽车构造", "高职专科", "课程；专业：新能源汽车技术（高职专科）")
    college = small["cs/battery/course"]
    assert college.text == "本课程面向动力电池检测与维修岗位。"
    assert college.context == "课程；专业核心课；专业：新能源汽车技术（高职专科）；学习项目：动力电池认知、电池管理系统检测"
    assert embedded_text(college).startswith("动力电池检测与维修\n本课程")


def test_flagged_courses_only_when_asked() -> None:
    store = turtle_store(SMALL)
    assert ID + "course/460702/bad" not in {n.iri for n in node_texts(store)}
    assert ID + "course/460702/bad" in {n.iri for n in node_texts(store, include_flagged_courses=True)}


def test_certificate_occupation_industry_competition(small: dict) -> None:
    assert small["certificate/nev"].context == ("职业技能等级证书；又称：智能新能源汽车；"
                                                "培训评价组织：北京新能源汽车股份有限公司；等级：初级、高级")
    occupation = small["occupation/6-22-02-06"]
    assert occupation.text.startswith("使用工具和设备")
    assert occupation.context == "职业；代码 6-22-02-06；绿色职业；分组：汽车整车制造人员、汽车制造人员"
    assert small["industry/36"].context == "行业；代码 36；大类；上级：制造业"
    assert small["industry/C"].text == "制造业"  # no definition: the label is the text
    assert small["competition/nev"].context == "技能大赛赛项；全国职业院校技能大赛"


def test_provision_outcome_and_target(small: dict) -> None:
    provision = small["policy/law/art-19"]
    assert provision.label == "第十九条" and provision.text.startswith("第十九条 市人民政府")
    assert provision.context == "条款；《XX市校企合作促进条例》"
    assert embedded_text(provision) == provision.text + "\n" + provision.context  # the label is not repeated
    outcome = small["cs/battery/o1"]
    assert (outcome.label, outcome.level, outcome.context) == (
        "能使用诊断仪读取电池管理系统数据流", "高职专科", "学习目标；技能目标；课程：动力电池检测与维修")
    target = small["policy/law/art-19/target-1"]
    assert target.label == "市级专项资金每年 不少于3000万元"
    assert target.text == "市级专项资金每年不少于3000万元。"  # the sentence holding the span, verbatim
    assert target.context == "量化目标；市级专项资金每年；第十九条；《XX市校企合作促进条例》"


def test_target_sentence_falls_back_to_finding_the_span() -> None:
    text = "第一条 总则。到2027年，双师型教师比例达到80%以上；兼职教师不少于500名。"
    assert target_sentence(text, "达到80%以上", "999", "1005") == "到2027年，双师型教师比例达到80%以上；"
    assert target_sentence(text, "不在其中", None, None) == ""


def test_corpus_labels_are_exact_and_provision_texts_verbatim(corpus_store: OxigraphStore) -> None:
    nodes = node_texts(corpus_store)
    assert len({n.iri for n in nodes}) == len(nodes)
    labels = {r["s"]: r["l"] for r in corpus_store.select(
        "SELECT DISTINCT ?s ?l WHERE { ?s skos:prefLabel ?l }")}
    plain = {r["s"]: r["l"] for r in corpus_store.select(
        "SELECT DISTINCT ?s ?l WHERE { { ?s a vet:Provision } UNION { ?s a vet:Target } ?s rdfs:label ?l }")}
    texts = {r["s"]: r["t"] for r in corpus_store.select(
        "SELECT DISTINCT ?s ?t WHERE { ?s a vet:Provision ; vet:text ?t }")}
    numbers = {r["s"]: r["n"] for r in corpus_store.select(
        "SELECT DISTINCT ?s ?n WHERE { ?s a vet:Provision ; eli:number ?n }")}
    for node in nodes:
        if node.cls in ("Provision", "Target"):
            assert node.label == plain[node.iri]
        elif node.cls != "LearningOutcome":
            assert node.label == labels[node.iri]
        if node.cls == "Provision":
            assert node.text == texts[node.iri]
            assert node.text.startswith(numbers.get(node.iri, ""))
    counts = {cls: sum(1 for n in nodes if n.cls == cls) for cls in SEARCHABLE}
    assert counts["Provision"] == len(texts) and counts["Competition"] == 6


def test_digests_are_stable_and_follow_the_text(corpus_store: OxigraphStore) -> None:
    first, second = node_texts(corpus_store), node_texts(corpus_store)
    assert [n.digest for n in first] == [n.digest for n in second]
    assert len({n.digest for n in first}) == len(first)


@pytest.mark.realdata
def test_real_graph_counts_match_the_store(real_home: Home) -> None:
    store = real_home.open_reader()
    nodes = node_texts(store)
    for cls in SEARCHABLE:
        flagged = " FILTER NOT EXISTS { ?s vet:parseQuality ?q }" if cls == "Course" else ""
        rows = store.select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a vet:{cls}{flagged} }}")
        assert sum(1 for n in nodes if n.cls == cls) == int(rows[0]["n"]), cls
    assert len({n.iri for n in nodes}) == len(nodes) > 20_000
