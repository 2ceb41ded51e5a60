"""Profiles in the graph: one block's triples as the design names them, merging, re-ingest, validation, real data."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from pyoxigraph import NamedNode
from rdflib.compare import graph_diff, isomorphic

from ingest.profile.ingestor import INGESTOR
from kg.core import iris
from kg.core.names import certificate_key
from kg.core.rdf import Triple
from kg.pipeline.run import ingest
from kg.store.home import Home
from tests.conftest import ROOT, require_shared

SOURCE = NamedNode("https://w3id.org/vetgraph/source/test")
CORPUS = ROOT / "corpus"
SAMPLE = CORPUS / "profiles" / "public-services-elderly-care.md"

BLOCK = """# 5401 旅游类

专业代码 540101

专业名称 旅游管理

基本修业年限 三年

# 职业面向

面向旅游业的导游等职业，旅游咨询等岗位（群）。

# 培养目标定位

本专业培养高素质技术技能人才。

# 主要专业能力要求

1. 具有导游讲解的能力；

# 主要专业课程与实习实训

专业基础课程：旅游概论。

专业核心课程：旅行社经营与管理。

实习实训：在旅行社进行岗位实习。

# 职业类证书举例

职业资格证书：导游资格

职业技能等级证书：研学旅行策划与管理

# 接续专业举例

接续高职本科专业举例：旅游规划与设计

专业代码 540102

专业名称 导游

（略）
"""


def as_graph(triples: list[Triple]) -> rdflib.Graph:
    return rdflib.Graph().parse(data="\n".join(f"{s} {p} {o} ." for s, p, o in triples), format="nt")


def expected_graph() -> rdflib.Graph:
    profile = iris.major_profile("540101")

    def mention(kind: str, term: str) -> str:
        return f"<{iris.profile_mention(profile, kind, term).value}>"

    ttl = f"""
@prefix vet: <https://w3id.org/vetgraph/ontology#> . @prefix ceasn: <https://purl.org/ctdlasn/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix src: <{SOURCE.value}> .
@prefix id: <https://w3id.org/vetgraph/id/> .
<{profile.value}> a vet:MajorProfile ; vet:profileOf <{iris.major("540101").value}> ; rdfs:label "旅游管理专业简介"@zh ;
    vet:majorCode "540101" ; vet:majorName "旅游管理"@zh ; vet:studyYears "三年"@zh ;
    vet:occupationalOrientation "面向旅游业的导游等职业，旅游咨询等岗位（群）。"@zh ;
    vet:trainingGoal "本专业培养高素质技术技能人才。"@zh ; vet:practice "在旅行社进行岗位实习。"@zh ;
    vet:basicCourse <{iris.standard_course("540101", "旅游概论").value}> ;
    vet:coreCourse <{iris.standard_course("540101", "旅行社经营与管理").value}> ;
    vet:line 3 ; prov:wasDerivedFrom src: .
<{iris.competency_framework("540101").value}> a ceasn:CompetencyFramework ; ceasn:name "旅游管理主要专业能力要求"@zh ;
    vet:frameworkOf <{iris.major("540101").value}> ; vet:line 17 ; prov:wasDerivedFrom src: .
<{iris.competency("540101", 1).value}> a ceasn:Competency ; ceasn:competencyText "具有导游讲解的能力"@zh ;
    ceasn:isPartOf <{iris.competency_framework("540101").value}> ; ceasn:listID "1" ; vet:order 1 ; vet:line 19 ;
    prov:wasDerivedFrom src: .
<{iris.standard_course("540101", "旅游概论").value}> a vet:Course ; skos:prefLabel "旅游概论"@zh ;
    vet:forMajor <{iris.major("540101").value}> ; vet:line 23 ; prov:wasDerivedFrom src: .
<{iris.standard_course("540101", "旅行社经营与管理").value}> a vet:Course ; skos:prefLabel "旅行社经营与管理"@zh ;
    vet:forMajor <{iris.major("540101").value}> ; vet:line 25 ; prov:wasDerivedFrom src: .
"""
    orientation = "面向旅游业的导游等职业，旅游咨询等岗位（群）"
    listed = [("industry", "旅游业", orientation, 11, None), ("occupation", "导游", orientation, 11, None),
              ("position", "旅游咨询", orientation, 11, None),
              ("qualification", "导游资格", "职业资格证书：导游资格", 31, None),
              ("skill-certificate", "研学旅行策划与管理", "职业技能等级证书：研学旅行策划与管理", 33, None),
              ("next-major", "旅游规划与设计", "接续高职本科专业举例：旅游规划与设计", 37, "高职本科")]
    for kind, term, text, line, level in listed:
        stated = f' ; vet:statedLevel "{level}"' if level else ""
        ttl += (f'{mention(kind, term)} a vet:Mention ; vet:mentionKind "{kind}" ; vet:matchedTerm "{term}"@zh ; '
                f'vet:spanText "{text}"@zh ; vet:mentionedIn <{profile.value}> ; vet:line {line} ; '
                f"prov:wasDerivedFrom src:{stated} .\n")
    omitted = iris.major_profile("540102").value
    ttl += (f'<{omitted}> a vet:MajorProfile ; vet:profileOf <{iris.major("540102").value}> ; rdfs:label "导游专业简介"@zh ; '
            f'vet:majorCode "540102" ; vet:majorName "导游"@zh ; vet:profileOmitted true ; vet:line 39 ; '
            f"prov:wasDerivedFrom src: .\n")
    return rdflib.Graph().parse(data=ttl, format="turtle")


def write(tmp_path: Path, text: str = BLOCK, name: str = "5401旅游类.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_block_gives_exactly_the_triples_of_the_design(tmp_path: Path) -> None:
    result = INGESTOR.parse(write(tmp_path), SOURCE)
    found, expected = as_graph(result.triples), expected_graph()
    if not isomorphic(found, expected):
        _, only_found, only_expected = graph_diff(found, expected)
        pytest.fail(f"only found:\n{only_found.serialize(format='nt')}\n"
                    f"only expected:\n{only_expected.serialize(format='nt')}")
    assert result.document is None and result.rejections == []
    assert result.summary == ("《5401旅游类》 profiles: 2 majors (1 （略）), 1 competencies, 2 courses, 2 certificates named, "
                              "1 occupations, 1 positions, 1 industries, 1 next majors")
    assert result.counts["omitted"] == 1 and result.counts["skill-certificate"] == 1


def test_the_major_node_itself_is_left_to_the_catalogue(tmp_path: Path) -> None:
    triples = INGESTOR.parse(write(tmp_path), SOURCE).triples
    assert not [t for t in triples if t[0] == iris.major("540101")]


def test_profile_courses_are_the_teaching_standard_courses_of_the_same_major(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    report = ingest(home, [CORPUS / "catalogues" / "standard_courses.csv", SAMPLE])
    assert [f.status for f in report.files] == ["added", "added"]
    rows = home.open_reader().select("""SELECT ?course ?position WHERE {
        ?p vet:majorCode '590302' ; vet:coreCourse ?course . ?course skos:prefLabel '老年人能力评估实务'@zh .
        OPTIONAL { ?course vet:position ?position } }""")
    assert {row["course"] for row in rows} == {iris.standard_course("590302", "老年人能力评估实务").value}
    assert all(row.get("position") for row in rows)  # the teaching standard's own course node
    own = home.open_reader().select("""SELECT ?c WHERE { ?p vet:majorCode '590302' ; vet:basicCourse ?c .
        ?c skos:prefLabel '老年服务礼仪与沟通'@zh . FILTER NOT EXISTS { ?c vet:position ?x } }""")
    assert own == [{"c": iris.standard_course("590302", "老年服务礼仪与沟通").value}]  # a course only the profile names


def _mentions(home: Home) -> dict[str, tuple[str, str]]:
    rows = home.open_reader().select(
        "SELECT ?m ?term ?line WHERE { ?m a vet:Mention ; vet:matchedTerm ?term ; vet:line ?line }")
    return {row["m"]: (row["term"], row["line"]) for row in rows}


def test_mention_iris_survive_a_line_inserted_above_and_an_unchanged_file_is_unchanged(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    path = write(tmp_path)
    assert [f.status for f in ingest(home, [path]).files] == ["added"]
    before = _mentions(home)
    assert [f.status for f in ingest(home, [path]).files] == ["unchanged"]
    path.write_text("# 54 旅游大类\n\n" + BLOCK, encoding="utf-8")
    assert [f.status for f in ingest(home, [path]).files] == ["replaced"]
    after = _mentions(home)
    assert set(after) == set(before) and len(before) == 6
    assert all(int(after[m][1]) == int(before[m][1]) + 2 and after[m][0] == before[m][0] for m in before)


def test_the_corpus_with_its_profile_validates(tmp_path: Path) -> None:
    from kg.validate.shacl import validate_store

    home = Home(tmp_path / "home")
    report = ingest(home, [CORPUS])
    profiles = [f for f in report.files if f.kind == "profile"]
    assert [(Path(f.path).name, f.status) for f in profiles] == [("public-services-elderly-care.md", "added")]
    assert report.count("rejected") == 0
    assert validate_store(home.open_reader()) == []
    store = home.open_reader()
    named = {row["t"] for row in
             store.select("SELECT ?t WHERE { ?m vet:mentionKind 'skill-certificate' ; vet:matchedTerm ?t }")}
    catalogue = {row["l"] for row in store.select("SELECT ?l WHERE { ?c a vet:Certificate ; skos:prefLabel ?l }")}
    # the short name the profile prints is the key of a catalogue certificate, for the linking step to resolve
    assert "老年照护" in {certificate_key(t) for t in named} & {certificate_key(label) for label in catalogue}


@pytest.mark.realdata
def test_the_real_profiles_ingest_whole(tmp_path: Path) -> None:
    folder = require_shared("profiles")
    home = Home(tmp_path / "home")
    report = ingest(home, [folder])
    assert report.count("added") == 247 and report.count("rejected") == 0
    assert {f.kind for f in report.files} == {"profile"}
    store = home.open_reader()
    counts = store.select("""SELECT (COUNT(DISTINCT ?p) AS ?profiles) (COUNT(DISTINCT ?o) AS ?omitted) WHERE {
        ?p a vet:MajorProfile . OPTIONAL { ?p vet:profileOmitted true . BIND(?p AS ?o) } }""")
    assert counts == [{"profiles": "1154", "omitted": "14"}]
    certificates = store.select(f"""SELECT ?term WHERE {{ ?m vet:mentionedIn <{iris.major_profile("460702").value}> ;
        vet:mentionKind 'skill-certificate' ; vet:matchedTerm ?term }}""")
    assert sorted(row["term"] for row in certificates) == sorted(["新能源汽车装调与测试", "电动汽车高电压系统评测与维修", "智能新能源汽车"])
