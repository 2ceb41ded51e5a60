"""Honest search: exact codes and labels first, strong / weak hits, class intent, --document, provenance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.pipeline.run import ingest
from kg.search import intent
from kg.search.base import Evidence
from kg.search.encoder import FakeEncoder
from kg.search.exact import ExactIndex, normal_label
from kg.search.fusion import Fused
from kg.search.index import SearchIndex
from kg.search.intent import boost_classes, class_intent, retrieval_text, without_class_word
from kg.search.settings import SearchSettings
from kg.search.strength import E5_THRESHOLDS, LEXICAL_THRESHOLDS, coverage, is_strong, query_pieces
from kg.store.home import Home
from tests.conftest import ROOT

ID = "https://w3id.org/vetgraph/id/"
MEASURES = ROOT / "corpus" / "policy" / "demo-school-enterprise-cooperation-measures.md"
OLD_KEYS = {"iri", "type", "label", "text", "snippet", "score", "found_by", "neighbours"}


def run(home: Path, *args: str):
    return CliRunner().invoke(cli, ["--store", str(home), *args], catch_exceptions=False)


def search_json(home: Path, *args: str) -> list[dict]:
    result = run(home, "search", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus ingested and indexed with the fake encoder, once for the module (read-only)."""
    home = Home(tmp_path_factory.mktemp("honest") / "home")
    ingest(home, [ROOT / "corpus"])
    assert run(home.root, "index", "--model", "fake").exit_code == 0
    return home.root


# -- exact codes and labels ---------------------------------------------------------------------
@pytest.mark.parametrize(("query", "iri"), [
    ("460702", ID + "major/460702"),  # a major code
    ("0164", ID + "industry/0164"),  # a GB/T 4754 class
    ("A", ID + "industry/A"),  # a GB/T 4754 section
    ("2-02-38-03", ID + "occupation/2-02-38-03"),  # an occupation code
    ("专业代码 460702", ID + "major/460702"), ("code 0164", ID + "industry/0164"),  # saying it is a code
])
def test_a_query_that_is_a_code_returns_that_node_first_as_a_strong_match(demo: Path, query: str, iri: str) -> None:
    hits = search_json(demo, query, "--top", "3")
    assert hits[0]["iri"] == iri and hits[0]["match"] == "strong"


def test_a_code_inside_a_longer_query_is_no_code_match(demo: Path) -> None:
    hits = search_json(demo, "0164 茶叶", "--top", "3", "--type", "Major")
    assert all(hit["type"] == "Major" for hit in hits)  # the industry 0164 is not forced in past the filter


@pytest.mark.parametrize("query", ["新能源汽车技术", "新能源汽车 技术", "新能源汽车技术　"])
def test_a_query_equal_to_a_label_puts_that_node_first(demo: Path, query: str) -> None:
    hits = search_json(demo, query, "--top", "3")
    assert hits[0]["iri"] == ID + "major/460702" and hits[0]["match"] == "strong"


def test_a_certificates_short_name_is_an_exact_label() -> None:
    from dataclasses import dataclass

    @dataclass
    class Node:
        cls: str
        label: str
        context: str

    exact = ExactIndex.build({
        "a": Node("Certificate", "老年照护职业技能等级证书", "职业技能等级证书；又称：老年照护、失智照护"),
        "b": Node("Major", "会计", "专业；高职专科；代码 530302"),
        "c": Node("Major", "会计", "专业；中职；代码 730301"),
        "d": Node("Major", "电子商务", "专业；高职专科；代码 520101K")})
    assert exact.by_label("老年照护") == exact.by_label("失智照护") == ["a"]
    assert exact.by_label("老年照护职业技能等级证书") == ["a"]
    assert exact.by_label("会计") == ["b", "c"] and exact.by_code("530302") == ["b"]
    assert exact.by_code("520101k") == ["d"] and exact.by_code("５３０３０２") == ["b"]
    assert normal_label("Ｗｅｂ 前端开发") == normal_label("web前端开发")


def test_a_label_followed_by_its_class_word_finds_the_node_of_that_name(demo: Path) -> None:
    hits = search_json(demo, "新能源汽车技术专业", "--top", "5")  # the class word aside: majors named so
    assert hits[0]["iri"] == ID + "major/460702"


# -- strong and weak ----------------------------------------------------------------------------
def test_json_hits_keep_the_old_keys_and_add_match_provenance_level(demo: Path) -> None:
    hits = search_json(demo, "新能源汽车", "--top", "5")
    for hit in hits:
        assert set(hit) == OLD_KEYS | {"match", "provenance", "level"}
        assert hit["match"] in ("strong", "weak")
    major = search_json(demo, "460702", "--top", "1")[0]
    assert major["level"] == "高职专科"


def test_nonsense_among_certificates_is_weak_and_text_output_says_so(demo: Path) -> None:
    query = ("xyzzy 占星术", "--type", "Certificate", "--top", "3")
    hits = search_json(demo, *query)
    assert hits and all(hit["match"] == "weak" for hit in hits)  # weak hits are still returned
    text = run(demo, "search", *query).stdout
    assert text.splitlines()[0] == "no strong match for this type (Certificate)"
    assert text.count("~ weak match") == len(hits)
    assert "no strong match" not in run(demo, "search", *query, "--json").stdout


def test_a_certificate_named_by_its_short_name_is_strong(demo: Path) -> None:
    hits = search_json(demo, "老年照护", "--type", "Certificate", "--top", "3")
    assert hits[0]["label"] == "老年照护职业技能等级证书" and hits[0]["match"] == "strong"
    assert "no strong match" not in run(demo, "search", "老年照护", "--type", "Certificate").stdout


def test_the_rule_exact_or_cosine_or_words_and_cosine() -> None:
    assert is_strong(Evidence(exact=True, cosine=None, coverage=0.0), E5_THRESHOLDS)
    assert not is_strong(Evidence(exact=False, cosine=None, coverage=0.0), E5_THRESHOLDS)
    assert not is_strong(Evidence(exact=False, cosine=0.5, coverage=1.0), E5_THRESHOLDS)  # words, far meaning
    low_but_standing_out = Evidence(exact=False, cosine=0.82, coverage=0.0, margin=0.05)  # English, say
    assert is_strong(low_but_standing_out, E5_THRESHOLDS) and not is_strong(low_but_standing_out, LEXICAL_THRESHOLDS)
    assert is_strong(Evidence(exact=False, cosine=None, coverage=1.0), LEXICAL_THRESHOLDS)
    assert query_pieces("网络安全证书") == ["网络", "络安", "安全"]  # the class word aside
    assert coverage(query_pieces("Web 前端"), "WEB前端开发职业技能等级证书") == 1.0


# -- class intent -------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "classes"), [
    ("会计专业", ["Major"]), ("网络安全证书", ["Certificate"]), ("电工证", ["Certificate"]),
    ("老年护理课程", ["Course"]), ("汽车维修 工种", ["Occupation"]), ("修电梯的师傅", ["Occupation"]),
    ("软件开发行业", ["Industry"]), ("校企合作 第十九条", ["Provision"]), ("实习的规定", ["Provision"]),
    ("cross-border e-commerce major", ["Major"]), ("elderly care certificate", ["Certificate"]),
    ("drone pilot job", ["Occupation"]), ("article 19", ["Provision"]),
    ("职业教育数字化转型", []), ("职业学校学生实习", []), ("职业技能竞赛", []), ("保证金", []),
])
def test_class_intent_from_the_querys_words(query: str, classes: list[str]) -> None:
    assert class_intent(query) == classes


def test_the_class_word_at_the_end_is_dropped_for_exact_labels() -> None:
    assert without_class_word("会计专业") == "会计" and without_class_word("BIM certificate") == "BIM"
    assert without_class_word("专业") == "专业" and without_class_word("汽车维修职业技能等级证书") == "汽车维修"
    assert without_class_word("叉车司机证") == "叉车司机" and without_class_word("保证") == "保证"


def test_retrievers_drop_a_class_word_only_when_that_class_is_applied() -> None:
    assert retrieval_text("学前教育专业", ["Major"]) == "学前教育"
    assert retrieval_text("preschool education major", ["Major"]) == "preschool education"
    assert retrieval_text("网络安全证书", ["Certificate", "Major"]) == "网络安全"
    assert retrieval_text("会计专业", ["Course"]) == "会计专业"  # among courses, 专业 is part of what is asked
    assert retrieval_text("会计专业 课程", ["Major"]) == "会计专业 课程"  # the trailing word names courses
    assert retrieval_text("会计专业", None) == "会计专业" and retrieval_text("会计专业", []) == "会计专业"
    assert retrieval_text("专业", ["Major"]) == "专业"  # nothing but the class word: kept whole
    assert retrieval_text("以后想修飞机学什么专业", ["Major"]) == "以后想修飞机学什么"


def test_a_filtered_search_scores_the_query_without_the_filters_class_word(demo: Path) -> None:
    index = SearchIndex(Home(demo).index)
    encoder = FakeEncoder()
    worded = index.search("养老服务 专业", encoder, top=10, types=["Major"])
    bare = index.search("养老服务", encoder, top=10, types=["Major"])
    assert worded and [h.iri for h in worded] == [h.iri for h in bare]
    among_courses = index.search("养老服务 专业", encoder, top=10, types=["Course"])
    assert [h.iri for h in among_courses] != [h.iri for h in index.search("养老服务", encoder, top=10,
                                                                          types=["Course"])]


def test_boosting_moves_a_class_up_and_drops_nothing() -> None:
    fused = [Fused("c1", 0.05, {"bm25": 1}), Fused("m1", 0.04, {"bm25": 2}), Fused("c2", 0.03, {"bm25": 3})]
    boosted = boost_classes(fused, {"c1": "Course", "m1": "Major", "c2": "Course"}, ["Major"], boost=1.5)
    assert [f.iri for f in boosted] == ["m1", "c1", "c2"]


def test_class_intent_reranks_the_search_but_keeps_other_classes(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = SearchIndex(Home(demo).index)
    encoder = FakeEncoder()
    monkeypatch.setattr(intent, "INTENT_BOOST", 1.0)
    plain = index.search("新能源汽车专业", encoder, top=10)
    monkeypatch.setattr(intent, "INTENT_BOOST", 3.0)
    boosted = index.search("新能源汽车专业", encoder, top=10)
    majors = [i for i, hit in enumerate(boosted) if hit.type == "Major"]
    assert majors[0] == 0 and plain[0].type != "Major"
    assert {hit.type for hit in boosted} - {"Major"}  # the other classes are still there
    typed = index.search("新能源汽车专业", encoder, top=10, types=["Course"])
    assert {hit.type for hit in typed} == {"Course"}  # an explicit filter wins over the words


# -- documents and provenance -------------------------------------------------------------------
def test_document_keeps_only_that_documents_provisions(demo: Path) -> None:
    hits = search_json(demo, "校企合作", "--document", str(MEASURES), "--top", "20")
    assert hits and {hit["type"] for hit in hits} <= {"Provision", "Target"}
    assert all(hit["iri"].startswith(ID + "policy/demo-school-enterprise-cooperation-measures/") for hit in hits)
    assert all(hit["provenance"]["file"] == str(MEASURES) for hit in hits)
    everywhere = search_json(demo, "校企合作", "--type", "Provision", "--top", "20")
    assert {h["iri"] for h in everywhere} - {h["iri"] for h in hits}  # other documents' provisions were cut


def test_a_batch_line_may_name_a_document(demo: Path, tmp_path: Path) -> None:
    batch = tmp_path / "queries.txt"
    batch.write_text(json.dumps({"q": "校企合作", "document": str(MEASURES), "top": 5}, ensure_ascii=False) + "\n"
                     + "460702\n", encoding="utf-8")
    lines = run(demo, "search", "--batch", str(batch), "--json").stdout.strip().splitlines()
    within, code = (json.loads(line) for line in lines)
    assert within and all(h["provenance"]["file"] == str(MEASURES) for h in within)
    assert code[0]["iri"] == ID + "major/460702" and {"match", "provenance", "level"} <= set(code[0])


def test_an_unknown_document_is_one_clear_line(demo: Path) -> None:
    result = run(demo, "search", "校企合作", "--document", "nowhere.md")
    assert result.exit_code == 1
    assert result.output.startswith("error: nowhere.md: not ingested") and result.output.count("\n") == 1


def test_provisions_carry_their_file_and_first_line(demo: Path) -> None:
    hits = search_json(demo, "校企合作 税收", "--type", "Provision", "--top", "5")
    lines = MEASURES.read_text(encoding="utf-8").splitlines()
    for hit in hits:
        source = hit["provenance"]
        assert Path(source["file"]).is_file() and isinstance(source["line"], int)
        if source["file"] == str(MEASURES):
            assert hit["label"].split()[0] in lines[source["line"] - 1]


def test_catalogue_nodes_carry_their_file_and_row(demo: Path) -> None:
    major = search_json(demo, "460702", "--top", "1")[0]
    source = major["provenance"]
    assert Path(source["file"]).name == "majors.csv"
    assert "460702" in Path(source["file"]).read_text(encoding="utf-8").splitlines()[source["line"] - 1]


def test_text_output_shows_the_level_and_file_line(demo: Path) -> None:
    text = run(demo, "search", "460702", "--top", "1").stdout
    assert "[Major] 新能源汽车技术 · 高职专科" in text and "majors.csv:" in text


# -- real data ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_index(real_home: Home, tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """All of ../shared/data indexed with the fake encoder (in a folder of its own: real_home stays as it is)."""
    index = SearchIndex(tmp_path_factory.mktemp("real-index") / "index", SearchSettings(model="fake"))
    index.refresh(real_home.open_reader(), FakeEncoder())
    return index


def test_on_real_data_the_code_460702_is_new_energy_vehicle_technology(real_index: SearchIndex,
                                                                        real_home: Home) -> None:
    hits = real_index.search("460702", FakeEncoder(), top=5, store=real_home.open_reader())
    assert (hits[0].iri, hits[0].label, hits[0].match) == (ID + "major/460702", "新能源汽车技术", "strong")
    assert Path(str(hits[0].provenance["file"])).name == "majors_vocational.csv"


@pytest.mark.parametrize("query", ["地球物理勘探技术", "地球物理勘探技术专业"])
def test_on_real_data_a_major_at_three_levels_comes_first_at_every_level(real_index: SearchIndex, query: str) -> None:
    hits = real_index.search(query, FakeEncoder(), top=5)
    assert [(hit.type, hit.label, hit.level, hit.match) for hit in hits[:3]] == [
        ("Major", "地球物理勘探技术", level, "strong") for level in ("中职", "高职专科", "职教本科")]
