"""The dense index: exact (flat) or HNSW by size, add and remove by chunk id, numpy when faiss is absent."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.search.dense import DenseIndex
from kg.search.settings import SearchError

DIM = 16


def _vectors(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)


def _filled(n: int, backend: str, threshold: int = 50_000) -> DenseIndex:
    index = DenseIndex(DIM, backend=backend, hnsw_threshold=threshold)
    index.add(np.arange(100, 100 + n), _vectors(n))
    return index


@pytest.fixture
def no_faiss(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "faiss", None)  # import faiss now raises ImportError


def test_flat_below_the_threshold_and_hnsw_at_it() -> None:
    assert _filled(50, "faiss", threshold=100).kind == "flat"
    index = _filled(100, "faiss", threshold=100)
    assert index.kind == "hnsw"
    assert index.describe() == {"dim": DIM, "count": 100, "kind": "hnsw", "backend": "faiss", "hnsw_threshold": 100,
                                "m": 32, "ef_search": 128, "ef_construction": 200}


def test_crossing_the_threshold_switches_to_hnsw_and_back() -> None:
    index = _filled(90, "faiss", threshold=100)
    query = _vectors(1, seed=9)[0]
    exact = index.search(query, 5)
    index.add(np.arange(1000, 1020), _vectors(20, seed=3))
    assert index.kind == "hnsw"
    index.remove(np.arange(1000, 1020))
    assert index.kind == "flat" and index.search(query, 5) == exact


def test_hnsw_removes_by_rebuilding() -> None:
    index = _filled(200, "faiss", threshold=100)
    query = _vectors(1, seed=9)[0]
    first = index.search(query, 1)[0][0]
    assert index.remove(np.array([first, 123456])) == 1
    assert len(index) == 199 and index.kind == "hnsw"
    assert first not in [i for i, _ in index.search(query, 10)]


def test_the_best_match_of_a_stored_vector_is_itself() -> None:
    vectors = _vectors(30)
    for backend in ("faiss", "numpy"):
        index = _filled(30, backend)
        found = index.search(vectors[7] * 3.0, 3)  # scale does not matter: vectors are normalised
        assert found[0][0] == 107 and found[0][1] == pytest.approx(1.0, abs=1e-5)


def test_numpy_gives_the_same_answers_as_faiss() -> None:
    queries = _vectors(10, seed=42)
    faiss_index, numpy_index = _filled(500, "faiss"), _filled(500, "numpy")
    assert (faiss_index.backend, numpy_index.backend) == ("faiss", "numpy")
    faiss_index.remove(np.arange(150, 250))
    numpy_index.remove(np.arange(150, 250))
    for query in queries:
        a, b = faiss_index.search(query, 20), numpy_index.search(query, 20)
        assert [i for i, _ in a] == [i for i, _ in b]
        assert [s for _, s in a] == pytest.approx([s for _, s in b], abs=1e-5)


def test_without_faiss_auto_falls_back_to_numpy(no_faiss: None) -> None:
    index = _filled(100, "auto", threshold=10)
    assert (index.backend, index.kind) == ("numpy", "flat")  # numpy is always exact
    assert index.search(_vectors(100)[3], 1)[0][0] == 103


def test_asking_for_faiss_without_it_says_what_to_install(no_faiss: None) -> None:
    with pytest.raises(ImportError, match="pip install faiss-cpu"):
        DenseIndex(DIM, backend="faiss")


def test_wrong_shapes_and_reused_ids_are_refused() -> None:
    index = _filled(5, "numpy")
    with pytest.raises(SearchError, match="dimension 16"):
        index.add(np.array([1]), np.zeros((1, 8), np.float32))
    with pytest.raises(SearchError, match="new and distinct"):
        index.add(np.array([100]), _vectors(1))
    with pytest.raises(SearchError, match="query vector has dimension 8"):
        index.search(np.zeros(8, np.float32), 3)
    with pytest.raises(SearchError, match="no dense backend 'annoy'"):
        DenseIndex(DIM, backend="annoy")


def test_an_empty_index_finds_nothing() -> None:
    assert DenseIndex(DIM).search(_vectors(1)[0], 5) == []


@pytest.mark.parametrize(("backend", "threshold"), [("faiss", 50_000), ("faiss", 10), ("numpy", 10)])
def test_saved_and_loaded(tmp_path: Path, backend: str, threshold: int) -> None:
    index = _filled(60, backend, threshold)
    index.remove(np.array([101, 102]))
    index.save(tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == (["dense.json", "faiss.index", "ids.npy", "vectors.npy"] if index.kind == "hnsw"
                     else ["dense.json", "ids.npy", "vectors.npy"])
    loaded = DenseIndex.load(tmp_path, backend=backend)
    assert (len(loaded), loaded.kind, loaded.backend) == (58, index.kind, index.backend)
    for query in _vectors(5, seed=5):
        assert loaded.search(query, 8) == index.search(query, 8)
    assert np.array_equal(np.sort(loaded.ids()), np.sort(index.ids()))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "remove"]), st.lists(st.integers(0, 30), max_size=6, unique=True)),
                max_size=20),
       st.sampled_from(["faiss", "numpy"]))
def test_the_count_stays_right_across_adds_and_deletes(operations: list[tuple[str, list[int]]], backend: str) -> None:
    index, expected = DenseIndex(DIM, backend=backend, hnsw_threshold=12), set()
    for operation, ids in operations:
        if operation == "add":
            fresh = [i for i in ids if i not in expected]
            index.add(np.array(fresh, np.int64), _vectors(len(fresh), seed=len(expected)))
            expected |= set(fresh)
        else:
            assert index.remove(np.array(ids, np.int64)) == len(expected & set(ids))
            expected -= set(ids)
        assert len(index) == len(expected) and set(index.ids().tolist()) == expected
        found = index.search(_vectors(1, seed=1)[0], 50)
        assert {i for i, _ in found} == expected  # k above the count: every vector comes back
