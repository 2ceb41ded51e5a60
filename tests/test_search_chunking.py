"""Chunking: every chunk within the limit, split at 。； first, offsets that point back into the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.search.chunking import chunk_node, fallback_count_tokens, plan_chunks, split_text
from kg.search.texts import make_node

ARTICLE = ("第十九条 市和县（区）人民政府应当设立职业教育校企合作专项资金，用于产业学院、实训基地建设和校企合作项目补助。"
           "市级专项资金每年不少于3000万元；县（区）专项资金不少于500万元。专项资金的使用情况应当向社会公开。")


def test_the_fallback_counts_cjk_characters_and_latin_words() -> None:
    assert fallback_count_tokens("新能源汽车") == 5
    assert fallback_count_tokens("Web front-end 开发") == 6  # Web, front, -, end, 开, 发
    assert fallback_count_tokens("") == 0


def test_a_short_text_is_one_piece() -> None:
    assert [(p.start, p.text) for p in split_text(ARTICLE, 500)] == [(0, ARTICLE)]


def test_a_long_text_splits_at_sentence_ends() -> None:
    pieces = split_text(ARTICLE, 60)
    assert len(pieces) > 1
    assert all(fallback_count_tokens(p.text) <= 60 for p in pieces)
    assert all(p.text.endswith(("。", "；")) for p in pieces[:-1])
    assert "".join(p.text for p in pieces) == ARTICLE
    assert all(ARTICLE[p.start:p.start + len(p.text)] == p.text for p in pieces)


def test_a_sentence_longer_than_the_limit_is_cut_by_length() -> None:
    sentence = "校企合作" * 50 + "。"
    pieces = split_text(sentence, 30)
    assert all(fallback_count_tokens(p.text) <= 30 for p in pieces)
    assert "".join(p.text for p in pieces) == sentence


@pytest.mark.parametrize("limit", [24, 40, 64, 128])
def test_every_chunk_respects_the_limit_with_its_label_and_context(limit: int) -> None:
    node = make_node("https://x/p", "Provision", "第十九条", ARTICLE * 3, None, ["《XX市校企合作促进条例》"])
    chunks = chunk_node(node, limit)
    assert all(fallback_count_tokens(c.text) <= limit for c in chunks)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    if limit >= 40:  # every chunk names its document (below that the context is cut to leave the text room)
        assert all(c.text.endswith("《XX市校企合作促进条例》") for c in chunks)
    assert {c.iri for c in chunks} == {"https://x/p"}


def test_a_model_counter_that_includes_its_prompt_is_respected() -> None:
    def count(text: str) -> int:  # "passage: " plus [CLS] and [SEP], one token a character
        return len("passage: ") + 2 + len(text)

    node = make_node("https://x/p", "Provision", "第十九条", ARTICLE * 2, None, ["《XX市校企合作促进条例》"])
    planned = plan_chunks(node, 64, count)
    assert len(planned) > 1 and all(count(c.text) <= 64 for c, _ in planned)
    for chunk, start in planned:  # the offset points at the piece inside the node's text
        piece = chunk.text.split("\n")[0]
        assert node.text[start:start + len(piece)] == piece


def test_the_label_is_not_repeated_when_the_text_starts_with_it() -> None:
    node = make_node("https://x/p", "Provision", "第一章 总则", "第一章　总则\n第一条 为了……", None, [])
    assert chunk_node(node, 512)[0].text == "第一章　总则\n第一条 为了……\n条款"
    course = make_node("https://x/c", "Course", "直播电商", "本课程是电子商务专业的专业核心课程。", "高职专科", ["专业核心课"])
    assert chunk_node(course, 512)[0].text == "直播电商\n本课程是电子商务专业的专业核心课程。\n课程；专业核心课"


@settings(max_examples=25, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("校企合作专项资金ab 1。；\n")), min_size=1, max_size=400),
       limit=st.integers(min_value=2, max_value=80))
def test_pieces_cover_the_text_within_the_limit(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(fallback_count_tokens(p.text) <= limit for p in pieces)
    assert all(text[p.start:p.start + len(p.text)] == p.text for p in pieces)
    assert "".join(p.text for p in pieces).replace(" ", "").replace("\n", "") == \
        text.replace(" ", "").replace("\n", "")
