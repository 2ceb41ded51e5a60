"""BM25 for Chinese: real tokens for text without spaces, incremental by node, saved without pickle."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.search.lexical import BM25, tokenize_char, tokenize_jieba, tokenizer_named
from kg.search.settings import SearchError

DOCS = {
    "major/500211": "新能源汽车检测与维修技术\n专业；高职专科；代码 500211",
    "major/460702": "新能源汽车技术\n专业；高职专科；代码 460702",
    "occupation/4-10-01-05": "养老护理员\n从事老年人生活照料、护理服务工作的人员。\n职业",
    "certificate/old-care": "老年照护职业技能等级证书\n职业技能等级证书；等级：初级、中级、高级",
    "provision/19": "第十九条 市和县（区）人民政府应当设立职业教育校企合作专项资金，用于产业学院、实训基地建设。",
    "provision/23": "第二十三条 对深度参与校企合作的企业实施守信联合激励。",
    "target/1": "专业课教师中“双师型”教师比例达到80%以上。",
    "course/web": "Web前端开发 (HTML5, CSS3)\n课程",
}


def _index(tokenizer: str = "char") -> BM25:
    index = BM25(tokenizer)
    index.add_many(DOCS.items())
    return index


def _space_bm25_scores(query: str, docs: dict[str, str]) -> dict[str, float]:
    """BM25 as txtai #506 and llama_index #13866 had it: tokens split on whitespace."""
    tokenized = {iri: text.lower().split() for iri, text in docs.items()}
    average = sum(len(t) for t in tokenized.values()) / len(tokenized)
    scores = {}
    for iri, tokens in tokenized.items():
        counts, score = Counter(tokens), 0.0
        for term in query.lower().split():
            df = sum(1 for t in tokenized.values() if term in t)
            tf = counts[term]
            idf = math.log1p((len(docs) - df + 0.5) / (df + 0.5))
            score += idf * tf * 2.5 / (tf + 1.5 * (0.25 + 0.75 * len(tokens) / average)) if tf else 0.0
        scores[iri] = score
    return scores


def test_char_tokens_are_cjk_unigrams_and_bigrams_and_lowercased_words() -> None:
    assert tokenize_char("养老护理") == ["养", "老", "护", "理", "养老", "老护", "护理"]
    assert tokenize_char("Web前端 1+X证书") == ["web", "前", "端", "前端", "1", "x", "证", "书", "证书"]
    assert tokenize_char("ＨＴＭＬ５") == ["html5"]  # full-width folded by NFKC


def test_jieba_tokens_are_words_and_sub_words() -> None:
    tokens = tokenize_jieba("新能源汽车维修，1+X证书")
    assert {"新能源", "能源", "汽车", "维修", "证书", "x"} <= set(tokens)
    assert "，" not in tokens and "+" not in tokens


def test_unknown_tokenizer_lists_the_known_ones() -> None:
    with pytest.raises(SearchError, match="no BM25 tokenizer 'space'; known: char, jieba"):
        tokenizer_named("space")


@pytest.mark.parametrize("tokenizer", ["char", "jieba"])
@pytest.mark.parametrize(("query", "expected"), [
    ("新能源汽车维修", "major/500211"),
    ("养老护理", "occupation/4-10-01-05"),
    ("双师型教师比例", "target/1"),
    ("校企合作专项资金", "provision/19"),
    ("对校企合作企业有哪些激励", "provision/23"),
    ("web 前端", "course/web"),
])
def test_a_chinese_query_finds_the_right_node(tokenizer: str, query: str, expected: str) -> None:
    found = _index(tokenizer).search(query, top=3)
    assert found and found[0][0] == expected
    assert found[0][1] > 0


def test_whitespace_bm25_scores_chinese_zero_and_ours_does_not() -> None:
    query = "养老护理"
    assert max(_space_bm25_scores(query, DOCS).values()) == 0.0  # the anti-pattern: no spaces, no tokens
    ours = dict(_index().search(query, top=None))
    assert ours["occupation/4-10-01-05"] > 0


def test_scores_follow_the_bm25_formula() -> None:
    index = BM25("char", k1=1.5, b=0.75)
    index.add_many([("a", "养老"), ("b", "护理护理"), ("c", "养老护理")])
    lengths = {"a": 3, "b": 7, "c": 7}  # unigrams + bigrams
    average = sum(lengths.values()) / 3

    def part(tf: int, df: int, length: int) -> float:
        idf = math.log1p((3 - df + 0.5) / (df + 0.5))
        return idf * tf * 2.5 / (tf + 1.5 * (0.25 + 0.75 * length / average))

    expected = part(1, 2, 7) + part(1, 2, 7) + part(1, 2, 7)  # 养, 老, 养老 in c
    scores = dict(index.search("养老", top=None))
    assert scores["c"] == pytest.approx(expected)
    assert set(scores) == {"a", "c"}


def test_nothing_in_common_finds_nothing() -> None:
    assert _index().search("量子计算机") == []


def test_remove_and_re_add() -> None:
    index = _index()
    assert index.remove("provision/19") and not index.remove("provision/19")
    assert "provision/19" not in [iri for iri, _ in index.search("专项资金", top=None)]
    index.add("provision/19", "第十九条 专项资金")
    index.add("provision/19", "第十九条 专项资金，再次修改")  # re-adding replaces
    assert len(index) == len(DOCS)
    assert index.search("专项资金")[0][0] == "provision/19"


def test_allowed_filters_before_the_cut() -> None:
    index = _index()
    unfiltered = [iri for iri, _ in index.search("新能源汽车", top=None)]
    assert unfiltered[0] == "major/460702" and "major/500211" in unfiltered[1:]  # the wanted node is not first
    found = index.search("新能源汽车", top=1, allowed=lambda iri: iri == "major/500211")
    assert [iri for iri, _ in found] == ["major/500211"]  # filtered first, then cut: not an empty page
    assert found[0][1] == pytest.approx(dict(index.search("新能源汽车", top=None))["major/500211"])


def test_allowed_keeps_exactly_the_allowed_nodes_in_their_order() -> None:
    index = _index()
    unfiltered = [iri for iri, _ in index.search("职业", top=None)]
    assert not unfiltered[0].startswith("provision/") and len(unfiltered) > 2
    found = [iri for iri, _ in index.search("职业", top=None, allowed=lambda iri: iri.startswith("provision/"))]
    assert found == [iri for iri in unfiltered if iri.startswith("provision/")] == ["provision/19", "provision/23"]


@pytest.mark.parametrize("tokenizer", ["char", "jieba"])
def test_saved_as_json_and_npz_and_loaded(tmp_path: Path, tokenizer: str) -> None:
    index = _index(tokenizer)
    index.remove("target/1")
    index.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bm25.json", "bm25.npz"]
    meta = json.loads((tmp_path / "bm25.json").read_text(encoding="utf-8"))
    assert meta["tokenizer"] == tokenizer and "target/1" not in meta["ids"]
    loaded = BM25.load(tmp_path)
    for query in ("新能源汽车维修", "养老护理", "校企合作"):
        before, after = index.search(query, top=None), loaded.search(query, top=None)
        assert [iri for iri, _ in after] == [iri for iri, _ in before]
        assert [score for _, score in after] == pytest.approx([score for _, score in before])
    loaded.add("target/1", DOCS["target/1"])
    assert loaded.search("双师型")[0][0] == "target/1"


def test_an_empty_index_saves_loads_and_finds_nothing(tmp_path: Path) -> None:
    BM25().save(tmp_path)
    loaded = BM25.load(tmp_path)
    assert len(loaded) == 0 and loaded.search("养老") == []


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "remove"]), st.integers(0, 9),
                          st.sampled_from(["养老护理", "新能源汽车", "校企合作", "web前端", ""])), max_size=40))
def test_the_count_stays_right_across_adds_and_deletes(operations: list[tuple[str, int, str]]) -> None:
    index, expected = BM25(), set()
    for operation, key, text in operations:
        iri = f"node/{key}"
        if operation == "add":
            index.add(iri, text)
            expected.add(iri)
        else:
            assert index.remove(iri) == (iri in expected)
            expected.discard(iri)
        assert len(index) == len(expected) and set(index.ids()) == expected
    for iri, _ in index.search("养老护理新能源汽车校企合作web", top=None):
        assert iri in expected
