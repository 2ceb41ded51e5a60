"""Reciprocal-rank fusion, one hit per node, and the filters."""

from __future__ import annotations

import pytest

from kg.search.fusion import RRF_K, best_per_node, node_filter, reciprocal_rank_fusion
from kg.search.settings import SearchError


def test_rrf_adds_weight_over_k_plus_rank() -> None:
    fused = reciprocal_rank_fusion({"dense": ["a", "b", "c"], "bm25": ["c", "a"]}, {"dense": 1.0, "bm25": 1.0})
    scores = {f.iri: f.score for f in fused}
    assert scores["a"] == pytest.approx(1 / (RRF_K + 1) + 1 / (RRF_K + 2))
    assert scores["b"] == pytest.approx(1 / (RRF_K + 2))
    assert scores["c"] == pytest.approx(1 / (RRF_K + 3) + 1 / (RRF_K + 1))
    assert [f.iri for f in fused] == ["a", "c", "b"]
    assert fused[1].found_by == {"dense": 3, "bm25": 1}


def test_weights_scale_each_retriever() -> None:
    fused = reciprocal_rank_fusion({"dense": ["a", "b"], "bm25": ["b", "a"]}, {"dense": 3.0, "bm25": 1.0})
    assert [f.iri for f in fused] == ["a", "b"]
    assert fused[0].score == pytest.approx(3 / 61 + 1 / 62)
    fused = reciprocal_rank_fusion({"dense": ["a", "b"], "bm25": ["b", "a"]}, {"dense": 1.0, "bm25": 3.0})
    assert [f.iri for f in fused] == ["b", "a"]


def test_ties_go_to_the_better_best_rank_then_the_iri() -> None:
    fused = reciprocal_rank_fusion({"dense": ["x", "y"], "bm25": ["y", "x"]}, {"dense": 1.0, "bm25": 1.0})
    assert [f.iri for f in fused] == ["x", "y"]  # equal scores, equal best ranks: by IRI


def test_a_repeated_node_counts_once_at_its_best_rank() -> None:
    fused = reciprocal_rank_fusion({"dense": ["a", "a", "b"]}, {"dense": 1.0})
    assert {f.iri: f.found_by["dense"] for f in fused} == {"a": 1, "b": 2}


def test_chunks_fold_to_one_hit_per_node_at_its_best_chunk() -> None:
    node_of = {1: "a", 2: "a", 3: "b", 4: "a"}
    folded = best_per_node([(2, 0.9), (3, 0.8), (1, 0.7), (4, 0.1), (99, 0.95)], node_of)
    assert folded == [("a", 0.9, 2), ("b", 0.8, 3)]


def test_filters_keep_classes_and_levels() -> None:
    classes = {"m1": "Major", "c1": "Course", "c2": "Course", "p": "Provision"}
    levels = {"m1": "中职", "c1": "高职专科", "c2": "中职", "p": None}
    assert node_filter(None, None, classes, levels) is None
    keep = node_filter(["Course"], None, classes, levels)
    assert [i for i in classes if keep(i)] == ["c1", "c2"]
    keep = node_filter(["course", "vet:Major"], "中职", classes, levels)
    assert [i for i in classes if keep(i)] == ["m1", "c2"]
    keep = node_filter(None, "中职", classes, levels)
    assert [i for i in classes if keep(i)] == ["m1", "c2"]  # nodes without a level drop out


def test_unknown_filters_name_what_exists() -> None:
    with pytest.raises(SearchError, match="unknown node type 'Lesson'; searchable: Major, Course"):
        node_filter(["Lesson"], None, {}, {})
    with pytest.raises(SearchError, match="unknown education level '本科'; known: 中职, 高职专科, 职教本科"):
        node_filter(None, "本科", {}, {})
