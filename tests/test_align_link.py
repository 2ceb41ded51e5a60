"""Linking on a small graph built here: stated links with method, resolution and evidence; reviews; suggestions."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from kg.align.link import link_mentions
from kg.align.reviews import Review, review_triples
from kg.align.suggest import find_certificate, suggest
from kg.core import iris
from kg.resolve.runner import run_resolvers
from kg.store.base import GraphStore
from kg.store.factory import memory_store
from kg.store.updates import insert_data

D = "https://w3id.org/vetgraph/id/"
GRAPH = "https://w3id.org/vetgraph/graph/source/test/1"
PROFILE = iris.major_profile("460702").value
PEER_PROFILE = iris.major_profile("660702").value
PROVISION = f"{D}policy/p/article-1"


def _mention(iri: str, kind: str, term: str, owner: str, level: str | None = None) -> str:
    level_triple = f'; vet:statedLevel "{level}"' if level else ""
    return (f'<{iri}> a vet:Mention ; vet:mentionKind "{kind}" ; vet:matchedTerm "{term}"@zh ; '
            f'vet:spanText "{term}"@zh ; vet:mentionedIn <{owner}> {level_triple} .\n')


GRAPH_TEXT = f"""
<{D}industry/D> a vet:Industry ; skos:notation "D" ; skos:prefLabel "电力、热力、燃气及水生产和供应业"@zh .
<{D}industry/44> a vet:Industry ; skos:notation "44" ; skos:prefLabel "电力、热力生产和供应业"@zh ; skos:broader <{D}industry/D> .
<{D}industry/441> a vet:Industry ; skos:notation "441" ; skos:prefLabel "电力生产"@zh ; skos:broader <{D}industry/44> .
<{D}industry/4415> a vet:Industry ; skos:notation "4415" ; skos:prefLabel "风力发电"@zh ; skos:broader <{D}industry/441> .
<{D}industry/4416> a vet:Industry ; skos:notation "4416" ; skos:prefLabel "太阳能发电"@zh ; skos:broader <{D}industry/441> .
<{D}industry/36> a vet:Industry ; skos:notation "36" ; skos:prefLabel "汽车制造业"@zh .
<{D}certificate/nev> a vet:Certificate ; skos:prefLabel "智能新能源汽车职业技能等级证书"@zh ; skos:altLabel "智能新能源汽车"@zh ;
    vet:hasLevel <{D}certificate/nev/junior> .
<{D}certificate/nev/junior> a vet:CertificateLevel ; vet:levelName "初级" ; skos:prefLabel "智能新能源汽车职业技能等级证书（初级）"@zh .
<{D}certificate/bim> a vet:Certificate ; skos:prefLabel "建筑信息模型（BIM）职业技能等级证书"@zh .
<{D}major/460702> a vet:Major ; skos:notation "460702" ; skos:prefLabel "新能源汽车技术"@zh ; vet:level "高职专科" .
<{D}major/660702> a vet:Major ; skos:notation "660702" ; skos:prefLabel "新能源汽车技术"@zh ; vet:level "中职" .
<{D}major/260702> a vet:Major ; skos:notation "260702" ; skos:prefLabel "新能源汽车工程技术"@zh ; vet:level "职教本科" .
<{PROFILE}> a vet:MajorProfile ; vet:profileOf <{D}major/460702> .
<{PEER_PROFILE}> a vet:MajorProfile ; vet:profileOf <{D}major/660702> .
<{PROVISION}> a vet:Provision .
""" + "".join([
    _mention(f"{PROFILE}/industry/1", "industry", "汽车制造业", PROFILE),
    _mention(f"{PROFILE}/skill/1", "skill-certificate", "智能新能源汽车", PROFILE),
    _mention(f"{PROFILE}/skill/2", "skill-certificate", "新能源汽车 装调与测试", PROFILE),
    _mention(f"{PROFILE}/qualification/1", "qualification", "特种作业人员", PROFILE),
    _mention(f"{PROFILE}/next/1", "next-major", "新能源汽车工程技术", PROFILE, "高职本科"),
    _mention(f"{PROFILE}/next/2", "next-major", "车辆工程", PROFILE, "普通本科"),
    _mention(f"{PEER_PROFILE}/skill/1", "skill-certificate", "BIM", PEER_PROFILE),
    _mention(f"{PROVISION}/mention/1", "industry", "清洁能源", PROVISION),
    _mention(f"{PROVISION}/mention/2", "industry", "量子纠缠业", PROVISION),
])


@pytest.fixture
def store() -> GraphStore:
    store = memory_store()
    store.update(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {GRAPH_TEXT} }} }}")
    run_resolvers(store, (link_mentions,))
    return store


def _links(store: GraphStore) -> dict[tuple[str, str], dict[str, str]]:
    rows = store.select("""SELECT ?a ?kind ?s ?t ?method ?by ?score ?strength ?status WHERE {
        ?a a vet:Alignment ; vet:alignmentType ?kind ; vet:alignmentSource ?s ; vet:alignmentTarget ?t ;
           vet:method ?method ; vet:resolvedBy ?by ; vet:score ?score ; vet:strength ?strength ;
           vet:reviewStatus ?status }""")
    return {(row["s"].removeprefix(D), row["t"].removeprefix(D)): row for row in rows}


def test_stated_links_carry_method_resolution_score_and_evidence(store: GraphStore) -> None:
    links = _links(store)
    assert links["major/460702", "industry/36"]["by"] == "name"
    assert links["major/460702", "certificate/nev"]["kind"] == "major-certificate"
    assert {links[key]["method"] for key in links} == {"stated"}
    clean = links["policy/p/article-1", "industry/4415"]
    assert (clean["kind"], clean["by"], clean["strength"], clean["status"]) == (
        "provision-industry", "alias", "broad", "accepted")
    assert ("policy/p/article-1", "industry/4416") in links
    assert links["major/460702", "major/260702"]["kind"] == "major-next-major"
    evidence = store.select(f"SELECT ?e WHERE {{ <{links['major/460702', 'certificate/nev']['a']}> vet:evidence ?e }}")
    assert evidence == [{"e": f"{PROFILE}/skill/1"}]
    assert store.ask(f"ASK {{ <{PROFILE}/skill/1> vet:refersTo <{D}certificate/nev> }}")


def test_an_unknown_certificate_becomes_its_own_node_outside_the_catalogue(store: GraphStore) -> None:
    rows = store.select("SELECT ?c ?label ?kind WHERE { ?c vet:outsideCatalogue true ; skos:prefLabel ?label ; "
                        "vet:certificateKind ?kind } ORDER BY ?label")
    assert [(r["label"], r["kind"]) for r in rows] == [("新能源汽车装调与测试职业技能等级证书", "skill"),
                                                       ("特种作业人员", "qualification")]
    assert rows[0]["c"] == iris.certificate("新能源汽车装调与测试职业技能等级证书").value


def test_what_does_not_resolve_stays_a_mention_and_is_counted(store: GraphStore) -> None:
    assert not store.ask(f"ASK {{ <{PROVISION}/mention/2> vet:refersTo ?x }}")
    assert not store.ask(f"ASK {{ <{PROFILE}/next/2> vet:refersTo ?x }}")  # 普通本科 is outside the catalogue
    note = link_mentions(store).notes[0]
    assert "industry 2/3" in note and "next-major 1/2" in note and "2 certificates outside" in note


def test_linking_twice_changes_nothing(store: GraphStore) -> None:
    before = sorted(str(q) for q in store.quads())
    run_resolvers(store, (link_mentions,))
    assert sorted(str(q) for q in store.quads()) == before


def _review(store: GraphStore, alignment: str, decision: str) -> None:
    review = Review(alignment, decision, "tester", "2026-12-01T10:00:00+00:00", "checked by hand")
    store.update(insert_data(iris.REVIEW_GRAPH, review_triples(review)))


def test_a_rejected_link_is_never_proposed_again_and_reviews_survive_relinking(store: GraphStore) -> None:
    rejected = _links(store)["policy/p/article-1", "industry/4416"]["a"]
    _review(store, rejected, "rejected")
    run_resolvers(store, (link_mentions,))
    links = _links(store)
    assert ("policy/p/article-1", "industry/4416") not in links and ("policy/p/article-1", "industry/4415") in links
    assert not store.ask(f"ASK {{ <{PROVISION}/mention/1> vet:refersTo <{D}industry/4416> }}")
    assert store.ask(f"ASK {{ GRAPH <{iris.REVIEW_GRAPH}> {{ ?r vet:reviewOf <{rejected}> }} }}")
    provision = [s.iri for s in suggest(store, PROVISION, node_type="Provision")]
    assert f"{D}industry/4415" in provision and f"{D}industry/4416" not in provision


def test_a_major_lists_its_stated_certificates_first_then_its_peers(store: GraphStore) -> None:
    found = suggest(store, f"{D}major/460702", node_type="Major", types=["Certificate"])
    # stated first, the closest names to 新能源汽车技术 first among them
    assert [(s.label, s.method) for s in found[:3]] == [
        ("智能新能源汽车职业技能等级证书", "stated"), ("新能源汽车装调与测试职业技能等级证书", "stated"),
        ("特种作业人员", "stated")]
    peer = found[3]
    assert (peer.label, peer.method, peer.status, peer.evidence) == (
        "建筑信息模型（BIM）职业技能等级证书", "peer", "proposed", f"{D}major/660702")
    assert all(s.type == "Certificate" for s in found)


def test_a_certificate_lists_its_majors_by_any_spelling(store: GraphStore) -> None:
    certificate = find_certificate(store, "智能新能源汽车")
    assert certificate == f"{D}certificate/nev"
    majors = suggest(store, certificate, node_type="Certificate")
    # the stated major first; then majors by name alone (method text), closest first
    assert [(s.code, s.method, s.status) for s in majors] == [
        ("460702", "stated", "accepted"), ("660702", "text", "proposed"), ("260702", "text", "proposed")]
    assert majors[1].score > majors[2].score > 0


def test_a_certificate_no_source_states_is_suggested_the_majors_whose_texts_are_closest() -> None:
    store = memory_store()
    drone = f"{D}certificate/drone"
    store.update(f"""INSERT DATA {{ GRAPH <{GRAPH}> {{
        <{drone}> a vet:Certificate ; skos:prefLabel "无人机驾驶职业技能等级证书"@zh .
        <{D}certificate/bim> a vet:Certificate ; skos:prefLabel "建筑信息模型（BIM）职业技能等级证书"@zh .
        <{D}major/620304> a vet:Major ; skos:notation "620304" ; skos:prefLabel "航空摄影测量"@zh .
        <{D}major/700205> a vet:Major ; skos:notation "700205" ; skos:prefLabel "汽车驾驶"@zh .
        <{D}major/540301> a vet:Major ; skos:notation "540301" ; skos:prefLabel "工程测量技术"@zh .
        <{D}course/620304/1> a vet:Course ; vet:forMajor <{D}major/620304> ; skos:prefLabel "无人机驾驶与航测"@zh .
        <{D}course/620304/2> a vet:Course ; vet:forMajor <{D}major/620304> ; skos:prefLabel "无人机操控技术"@zh . }} }}""")
    found = suggest(store, drone, node_type="Certificate")
    # the major whose courses are about drones first, though only 汽车驾驶's name shares a word with it
    assert [(s.code, s.method) for s in found[:2]] == [("620304", "text"), ("700205", "text")]
    assert found[0].evidence.startswith("文本相近") and found[1].evidence.startswith("名称相近")
    assert "540301" not in {s.code for s in found}  # nothing in common


def test_a_major_is_suggested_what_the_majors_with_its_courses_state() -> None:
    store = memory_store()
    app = f"{D}certificate/app"
    courses = "".join(f'<{D}course/{major}/{n}> a vet:Course ; vet:forMajor <{D}major/{major}> ; skos:prefLabel "{name}"@zh .\n'
                      for major in ("510214", "710214") for n, name in enumerate(("工业APP开发", "工业互联网平台应用")))
    store.update(f"""INSERT DATA {{ GRAPH <{GRAPH}> {{
        <{app}> a vet:Certificate ; skos:prefLabel "工业互联网APP应用开发职业技能等级证书"@zh .
        <{D}major/510214> a vet:Major ; skos:notation "510214" ; skos:prefLabel "工业软件开发技术"@zh .
        <{D}major/710214> a vet:Major ; skos:notation "710214" ; skos:prefLabel "工业互联网技术应用"@zh .
        <{D}major/520801> a vet:Major ; skos:notation "520801" ; skos:prefLabel "健康管理"@zh .
        <{D}a/1> a vet:Alignment ; vet:alignmentType "major-certificate" ; vet:method "stated" ;
            vet:alignmentSource <{D}major/710214> ; vet:alignmentTarget <{app}> .
        {courses} }} }}""")
    # no shared name, 接续专业 or 专业类: the shared courses make 710214 a peer of 510214
    found = [s for s in suggest(store, f"{D}major/510214", node_type="Major") if s.method == "peer"]
    assert [(s.iri, s.evidence) for s in found] == [(app, f"{D}major/710214")]
    assert 0 < found[0].score <= 1
    assert not [s for s in suggest(store, f"{D}major/520801", node_type="Major") if s.method == "peer"]
    # a writable store is read afresh: a major added since counts at once
    store.update(f"""INSERT DATA {{ GRAPH <{GRAPH}> {{
        <{D}certificate/bim> a vet:Certificate ; skos:prefLabel "建筑信息模型（BIM）职业技能等级证书"@zh .
        <{D}major/440301> a vet:Major ; skos:notation "440301" ; skos:prefLabel "健康管理服务"@zh .
        <{D}a/2> a vet:Alignment ; vet:alignmentType "major-certificate" ; vet:method "stated" ;
            vet:alignmentSource <{D}major/440301> ; vet:alignmentTarget <{D}certificate/bim> . }} }}""")
    assert [s.iri for s in suggest(store, f"{D}major/520801", node_type="Major") if s.method == "peer"] == [
        f"{D}certificate/bim"]


def test_a_link_to_a_certificate_level_is_reported_on_its_certificate() -> None:
    store = memory_store()
    alignment = f"{D}alignment/x"
    store.update(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {GRAPH_TEXT} <{D}course/c> a vet:Course ; skos:prefLabel '电池'@zh . "
                 f"<{alignment}> a vet:Alignment ; vet:alignmentSource <{D}course/c> ; "
                 f"vet:alignmentTarget <{D}certificate/nev/junior> ; vet:method 'stated' ; vet:reviewStatus 'accepted' . }} }}")
    found = suggest(store, f"{D}course/c", node_type="Course")
    assert [(s.iri, s.type, s.level) for s in found] == [(f"{D}certificate/nev", "Certificate", "初级")]
    assert [s.iri for s in suggest(store, f"{D}certificate/nev", node_type="Certificate", types=["Course"])] == [
        f"{D}course/c"]


def test_review_decisions_are_checked() -> None:
    from kg.errors import VetgraphError

    with pytest.raises(VetgraphError, match="unknown review decision 'maybe'; known: accepted, rejected"):
        review_triples(Review(f"{D}alignment/x", "maybe", "t", "2026-12-01T00:00:00+00:00"))


def test_stats_count_certificates_outside_the_catalogue_apart(store: GraphStore) -> None:
    from kg.query.stats import OUTSIDE_CATALOGUE, class_counts

    counts = class_counts(store)
    assert counts["Certificate"] == 2 and counts[OUTSIDE_CATALOGUE] == 2


def test_name_similarity_ignores_generic_endings() -> None:
    from kg.align.similarity import name_similarity

    assert name_similarity("老年照护职业技能等级证书", "老年照护") == 1.0
    assert name_similarity("汽车制造业", "汽车制造") == 1.0
    assert 0 < name_similarity("新能源汽车技术", "智能新能源汽车") < 1
    assert name_similarity("护理", "汽车") == 0.0


def test_an_industry_without_stated_majors_gets_majors_by_name(store: GraphStore) -> None:
    found = suggest(store, f"{D}industry/36", node_type="Industry", types=["Major"])
    assert found[0].code == "460702" and found[0].method == "stated"
    assert all(s.type == "Major" for s in found)


def test_a_provision_reaches_the_majors_and_certificates_of_its_industries(store: GraphStore) -> None:
    store.update(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ "
                 f"{_mention(f'{PROVISION}/mention/3', 'industry', '汽车制造业', PROVISION)} }} }}")
    run_resolvers(store, (link_mentions,))
    majors = suggest(store, PROVISION, node_type="Provision", types=["Major"])
    assert [(s.code, s.method, s.evidence) for s in majors] == [("460702", "derived", f"{D}industry/36")]
    certificates = {s.label: s for s in suggest(store, PROVISION, node_type="Provision", types=["Certificate"])}
    assert set(certificates) == {"智能新能源汽车职业技能等级证书", "新能源汽车装调与测试职业技能等级证书", "特种作业人员"}
    assert all(s.method == "derived" and s.evidence == f"{D}industry/36" for s in certificates.values())
    industries = [s.code for s in suggest(store, PROVISION, node_type="Provision")]
    assert "36" in industries and "4415" in industries
    rejected = _links(store)["major/460702", "industry/36"]["a"]
    _review(store, rejected, "rejected")
    assert suggest(store, PROVISION, node_type="Provision", types=["Major"]) == []


def test_a_course_is_suggested_the_certificates_its_major_states_then_close_names(store: GraphStore) -> None:
    course = f"{D}course/460702/1"
    store.update(f"""INSERT DATA {{ GRAPH <{GRAPH}> {{ <{course}> a vet:Course ; vet:forMajor <{D}major/460702> ;
        skos:prefLabel "新能源汽车构造"@zh . }} }}""")
    found = suggest(store, course, node_type="Course")
    by_label = {s.label: s for s in found}
    stated = by_label["智能新能源汽车职业技能等级证书"]
    assert (stated.method, stated.status, stated.evidence) == ("peer", "proposed", f"{D}major/460702")
    assert by_label["新能源汽车装调与测试职业技能等级证书"].method == "peer"
    assert "建筑信息模型（BIM）职业技能等级证书" not in by_label  # neither stated for its major nor close by name
    assert [s.method for s in found] == sorted((s.method for s in found), key=["peer", "text"].index)
    rejected = stated.alignment
    _review(store, rejected, "rejected")
    assert "智能新能源汽车职业技能等级证书" not in {s.label for s in suggest(store, course, node_type="Course")}
