"""Search settings: keyword-only, unknown keys refused naming the valid ones, saved beside the index."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import SettingsError
from kg.search.settings import SearchSettings


def test_defaults() -> None:
    settings = SearchSettings()
    assert (settings.model, settings.tokenizer, settings.hnsw_threshold) == ("e5", "char", 50_000)
    assert settings.weights == {"dense": 1.0, "bm25": 0.5}
    assert settings.rrf_k == 10
    assert settings.include_flagged_courses is False


def test_the_fusion_constant_reaches_the_ranking(tmp_path) -> None:
    from kg.search.fusion import reciprocal_rank_fusion

    rankings = {"dense": ["a", "b"], "bm25": ["b", "a"]}
    close = reciprocal_rank_fusion(rankings, {"dense": 1.0, "bm25": 0.5}, k=2)
    assert [f.iri for f in close] == ["a", "b"]  # a: 1/3 + .5/4 > b: 1/4 + .5/3
    with pytest.raises(SettingsError):
        SearchSettings(rrf_k=-1)


@pytest.mark.parametrize(("k", "order"), [
    (0, ["a", "b", "c"]),  # a: 1/1 = 1 > b: 1/2 + .5/2 = .75: one retriever's first place wins
    (1, ["a", "b", "c"]),  # a: 1/2 = b: 1/3 + .5/3 = .5, the tie goes to a's better best rank
    (2, ["b", "a", "c"]),  # b: 1.5/4 = .375 > a: 1/3: agreeing second places win
    (60, ["b", "a", "c"]),
])
def test_the_fused_order_depends_on_the_constant(k: int, order: list[str]) -> None:
    from kg.search.fusion import reciprocal_rank_fusion

    weights = {"dense": 1.0, "bm25": 0.5}
    fused = reciprocal_rank_fusion({"dense": ["a", "b"], "bm25": ["c", "b"]}, weights, k=k)
    assert [f.iri for f in fused] == order
    for f in fused:
        assert f.score == pytest.approx(sum(weights[r] / (k + rank) for r, rank in f.found_by.items()))


def test_the_index_fuses_with_the_settings_constant(tmp_path: Path) -> None:
    from kg.search.encoder import FakeEncoder
    from kg.search.index import SearchIndex
    from tests.test_search_texts import ID, SMALL, turtle_store

    SearchIndex(tmp_path, SearchSettings(model="fake")).refresh(turtle_store(SMALL), FakeEncoder())
    weights, orders = SearchSettings().weights, {}
    for k in (0, 1000):  # two settings that differ only in rrf_k, searching the same saved index
        hits = SearchIndex(tmp_path, SearchSettings(model="fake", rrf_k=k)).search("汽车维修", FakeEncoder(), top=5)
        for hit in hits:
            assert hit.score == pytest.approx(sum(weights[r] / (k + rank) for r, rank in hit.found_by.items()))
        orders[k] = [hit.iri.removeprefix(ID) for hit in hits]
    # the course is first by dense but sixth by BM25; the major is second and third: k decides
    assert orders[0][0] == "course/460702/a" and orders[1000][0] == "major/460702"


def test_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        SearchSettings("static")  # type: ignore[misc]


def test_unknown_keys_are_refused_naming_the_valid_ones() -> None:
    with pytest.raises(SettingsError, match=r"unknown search setting 'modle'; valid: model, tokenizer, weights"):
        SearchSettings.from_dict({"modle": "e5"})


@pytest.mark.parametrize(("changes", "message"), [
    ({"tokenizer": "space"}, "unknown tokenizer 'space'; known: char, jieba"),
    ({"weights": {"sparse": 1.0}}, "unknown retriever 'sparse' in weights; known: dense, bm25"),
    ({"weights": {"dense": -1.0}}, "weights must be numbers >= 0"),
    ({"weights": {"dense": 0, "bm25": 0}}, "at least one retriever"),
    ({"hnsw_threshold": 0}, "hnsw_threshold must be at least 1"),
    ({"chunk_tokens": 4}, "chunk_tokens must be at least 16"),
])
def test_invalid_values_say_what_is_wrong(changes: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        SearchSettings.from_dict(changes)


def test_a_missing_weight_means_that_retriever_is_off() -> None:
    assert SearchSettings(weights={"bm25": 2}).weights == {"dense": 0.0, "bm25": 2.0}


def test_saved_and_loaded(tmp_path: Path) -> None:
    settings = SearchSettings(model="fake", tokenizer="jieba", weights={"dense": 0.5, "bm25": 1.0},
                              hnsw_threshold=10, chunk_tokens=64, include_flagged_courses=True)
    path = settings.save(tmp_path)
    assert path.name == "settings.json"
    assert SearchSettings.load(tmp_path) == settings
    assert settings.replace(model="static").model == "static"


def test_loading_a_folder_without_settings_says_so(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="no settings.json"):
        SearchSettings.load(tmp_path)
