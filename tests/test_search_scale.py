"""Per-query cost flat in the index size: BM25's top k over postings is exactly what scoring every match gives,
filters are made once per index state (masks, dense subsets), and a filtered dense search reads its subset only."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.pipeline.run import ingest
from kg.search import dense as dense_module
from kg.search import postings
from kg.search.dense import DenseIndex
from kg.search.encoder import FakeEncoder
from kg.search.fusion import NodeFilter, RowLabels, node_filter
from kg.search.index import SearchIndex, _State
from kg.search.lexical import BM25, tokenize_char
from kg.search.settings import SearchError, SearchSettings
from kg.store.home import Home
from tests.conftest import ROOT

ALPHABET = "养老护理服务管理专业职教育校企合作新能源汽车"
CLASSES = ("Major", "Course", "Provision")


def reference_bm25(docs: list[tuple[str, str]], query: str, top: int | None,
                   keep: Callable[[str], bool] | None = None, k1: float = 1.5, b: float = 0.75
                   ) -> list[tuple[str, float]]:
    """BM25 the plain way: every document scored term by term (in query order), sorted, then cut."""
    counts = [Counter(tokenize_char(text)) for _, text in docs]
    lengths = [sum(c.values()) for c in counts]
    average = sum(lengths) / len(docs) if docs else 0.0
    terms = [t for t in dict.fromkeys(tokenize_char(query)) if any(t in c for c in counts)]
    found = []
    for position, ((iri, _), tf_of, length) in enumerate(zip(docs, counts, lengths)):
        score = 0.0
        for term in terms:
            tf = tf_of[term]
            if tf:
                df = sum(1 for c in counts if term in c)
                idf = np.log1p((len(docs) - df + 0.5) / (df + 0.5))
                score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average))
        if score > 0 and (keep is None or keep(iri)):
            found.append((-score, position, iri))
    ranked = [(iri, -negative) for negative, _, iri in sorted(found)]
    return ranked if top is None else ranked[:top]


@contextmanager
def pruning_from(postings_count: int) -> Iterator[None]:
    """Prune (MaxScore) every query above this many postings; 0 sends every query down the pruned path."""
    before = postings.PRUNE_ABOVE
    postings.PRUNE_ABOVE = postings_count
    try:
        yield
    finally:
        postings.PRUNE_ABOVE = before


def class_filter(index: BM25, classes: dict[str, str], wanted: str) -> NodeFilter:
    """A NodeFilter over the index's rows, as the search index makes one."""
    labels = RowLabels((classes.get(iri or ""), None) for iri in index.row_ids())
    return NodeFilter((frozenset([wanted]), None), lambda iri: classes.get(iri) == wanted,
                      lambda retriever: labels if retriever is index else None)


texts = st.text(alphabet=ALPHABET, min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, min_size=1, max_size=40), st.lists(texts, min_size=1, max_size=5),
       st.sampled_from([1, 2, 5, None]), st.sampled_from([None, *CLASSES]), st.sampled_from([0, 10**9]),
       st.booleans())
def test_top_k_is_exactly_scoring_every_match(corpus: list[str], queries: list[str], top: int | None,
                                              wanted: str | None, prune_above: int, as_predicate: bool) -> None:
    corpus = corpus + corpus[: len(corpus) // 2]  # repeated texts: ties, broken by the order added
    docs = [(f"node/{i}", text) for i, text in enumerate(corpus)]
    classes = {iri: CLASSES[i % 3] for i, (iri, _) in enumerate(docs)}
    index = BM25()
    index.add_many(docs)
    allowed: Callable[[str], bool] | None = None
    if wanted is not None:
        allowed = class_filter(index, classes, wanted)
        if as_predicate:
            allowed = (lambda iri, w=wanted: classes[iri] == w)  # a bare predicate: no mask
    with pruning_from(prune_above):
        for query in queries:
            expected = reference_bm25(docs, query, top, allowed)
            assert index.search(query, top, allowed=allowed) == expected  # same scores, same order, same ties


def _tiered_corpus(copies: int) -> list[tuple[str, str]]:
    """Many documents sharing common characters, a few holding the rare pairs a query asks for."""
    rare = ["新能源汽车检测与维修", "新能源汽车技术", "汽车维修", "养老护理"]
    common = ["职业教育专业", "学校专业教学", "教育管理服务", "企业职业培训"]
    docs = [(f"rare/{i}", text) for i, text in enumerate(rare)]
    docs += [(f"common/{i}", common[i % len(common)] + common[(i * 7) % len(common)][: 1 + i % 4])
             for i in range(copies)]
    return docs


def test_pruning_reads_a_fraction_of_the_postings_and_gives_the_same_answer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _tiered_corpus(3000)
    index = BM25()
    index.add_many(docs)
    read: list[int] = []
    add = postings.Postings._add

    def counting(self: postings.Postings, partial: np.ndarray, term: postings.Term) -> int:
        read.append(term[1] - term[0])
        return add(self, partial, term)

    monkeypatch.setattr(postings.Postings, "_add", counting)
    query = "新能源汽车维修专业教育"
    compiled = index._postings()
    ids = [index._vocab[t] for t in dict.fromkeys(tokenize_char(query)) if t in index._vocab]
    total = sum(int(compiled.starts[t + 1] - compiled.starts[t]) for t in ids)
    with pruning_from(0):
        found = index.search(query, top=3)
    assert found == reference_bm25(docs, query, 3)
    assert found[0][0] == "rare/0"
    assert 0 < sum(read) < total / 4  # the common characters' long lists are looked up, not read


def test_saved_postings_are_searched_as_they_are_loaded(tmp_path: Path) -> None:
    docs = _tiered_corpus(200)
    index = BM25()
    index.add_many(docs)
    index.remove("common/3")
    index.save(tmp_path)
    meta = json.loads((tmp_path / "bm25.json").read_text(encoding="utf-8"))
    with np.load(tmp_path / "bm25.npz") as arrays:
        assert meta["layout"] == "postings" and set(arrays.files) == {"starts", "rows", "counts", "lengths", "impacts", "bounds"}
    loaded = BM25.load(tmp_path)
    assert loaded._terms is None  # nothing re-derived (or sorted) until the index changes
    kept = [(iri, text) for iri, text in docs if iri != "common/3"]
    for query in ("新能源汽车维修", "职业教育", "养老服务管理"):
        for top in (1, 10, None):
            assert loaded.search(query, top) == index.search(query, top) == reference_bm25(kept, query, top)
    loaded.remove("rare/1")
    loaded.add("rare/9", "新能源汽车维修技术")
    changed = [(iri, text) for iri, text in kept if iri != "rare/1"] + [("rare/9", "新能源汽车维修技术")]
    assert loaded.search("新能源汽车维修", None) == reference_bm25(changed, "新能源汽车维修", None)


def test_the_per_node_layout_of_earlier_versions_still_loads(tmp_path: Path) -> None:
    docs = _tiered_corpus(50)
    index = BM25()
    index.add_many(docs)
    words = sorted(index._vocab, key=index._vocab.__getitem__)
    np.savez_compressed(tmp_path / "bm25.npz", sizes=np.array([len(t) for t in index._terms], np.int64),
                        terms=np.concatenate(index._terms), counts=np.concatenate(index._counts))
    (tmp_path / "bm25.json").write_text(json.dumps({"tokenizer": "char", "k1": 1.5, "b": 0.75, "ids": index.ids(),
                                                    "vocabulary": words}, ensure_ascii=False), encoding="utf-8")
    loaded = BM25.load(tmp_path)
    assert loaded.search("新能源汽车", None) == index.search("新能源汽车", None) == reference_bm25(docs, "新能源汽车", None)


# -- filters made once per index state ------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    folder = tmp_path_factory.mktemp("scale")
    shutil.copytree(ROOT / "corpus", folder / "corpus")
    home = Home(folder / "home")
    ingest(home, [folder / "corpus"])
    index = SearchIndex(home.index, SearchSettings(model="fake"))
    index.refresh(home.open_reader(), FakeEncoder())
    return index


def test_a_filter_is_made_once_per_state_and_keeps_what_the_predicate_kept(
        built: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    state = built._load()
    made: list[str] = []
    node_of_chunk = _State.node_of_chunk
    monkeypatch.setattr(_State, "node_of_chunk", lambda self: made.append("node_of_chunk") or node_of_chunk(self))
    encoder = FakeEncoder()
    first = [built.search(q, encoder, types=["Course"], level="中职") for q in ("新能源汽车", "养老护理")]
    keep = state.filter(["Course"], "中职")
    assert keep is state.filter(["course"], "中职")  # the same object: nothing rebuilt per search
    assert keep.mask_for(state.bm25) is keep.mask_for(state.bm25)
    again = [built.search(q, encoder, types=["Course"], level="中职") for q in ("新能源汽车", "养老护理")]
    assert again == first and all(h.type == "Course" for hits in first for h in hits)
    assert made.count("node_of_chunk") <= 1
    classes = {iri: node.cls for iri, node in state.nodes.items()}
    levels = {iri: node.level for iri, node in state.nodes.items()}
    by_hand = node_filter(["Course"], "中职", classes, levels)
    assert by_hand is not None and [iri for iri in state.nodes if keep(iri)] == [iri for iri in state.nodes
                                                                                  if by_hand(iri)]
    mask = keep.mask_for(state.bm25)
    assert [iri for iri, kept in zip(state.bm25.row_ids(), mask) if kept] == [
        iri for iri in state.bm25.row_ids() if iri is not None and by_hand(iri)]


def test_a_change_to_the_state_makes_the_lookups_again(built: SearchIndex) -> None:
    state = built._load()
    before = state.lookups()
    assert state.lookups() is before
    scratch = _State(state.settings, state.model, state.dim, state.chunk_limit, DenseIndex(state.dim), BM25())
    scratch.bm25.add("a", "养老护理")
    first = scratch.lookups()
    scratch.bm25.add("b", "新能源汽车")
    assert scratch.lookups() is not first


def test_bm25_with_a_filter_ranks_as_a_predicate_does(built: SearchIndex) -> None:
    state = built._load()
    for types in (["Course"], ["Provision", "Target"], ["Major"]):
        keep = state.filter(types, None)
        assert keep is not None
        for query in ("校企合作", "新能源汽车维修", "养老"):
            with pruning_from(0):
                masked = state.bm25.search(query, top=20, allowed=keep)
            assert masked == state.bm25.search(query, top=20, allowed=lambda iri, k=keep: k(iri))


# -- dense filters as subsets -------------------------------------------------------------------------------
def _vectors(count: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize(("backend", "threshold", "exact_subset"), [
    ("numpy", 50_000, 20_000), ("faiss", 50_000, 20_000), ("faiss", 100, 20_000), ("faiss", 100, 50)])
def test_a_dense_subset_search_is_the_best_of_the_subset(backend: str, threshold: int, exact_subset: int,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dense_module, "EXACT_SUBSET", exact_subset)
    vectors = _vectors(600)
    index = DenseIndex(16, hnsw_threshold=threshold, backend=backend)
    index.add(np.arange(600) * 3 + 1, vectors)
    positions = np.flatnonzero(np.arange(600) % 7 == 2)
    among = index.subset(positions)
    for query in _vectors(5, seed=1):
        found = index.search(query, 10, among=among)
        scores = vectors[positions] @ query
        best = (positions[np.argsort(-scores, kind="stable")[:10]] * 3 + 1).tolist()
        assert {i for i, _ in found} <= set((positions * 3 + 1).tolist())
        if index.kind == "flat" or len(positions) <= exact_subset:
            assert [i for i, _ in found] == best
        else:  # HNSW with a selector: approximate, but nearly all of the best
            assert len({i for i, _ in found} & set(best)) >= 8
    index.add(np.array([5000]), _vectors(1, seed=2))
    with pytest.raises(SearchError, match="made before the index changed"):
        index.search(_vectors(1)[0], 5, among=among)


def test_a_filtered_dense_ranking_does_not_deepen_over_the_whole_index(built: SearchIndex,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    state = built._load()
    asked: list[int] = []
    search = DenseIndex.search

    def recording(self: DenseIndex, query: np.ndarray, k: int, **options: object) -> list[tuple[int, float]]:
        asked.append(k)
        return search(self, query, k, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(DenseIndex, "search", recording)
    vector = FakeEncoder().encode_queries(["国家职业标准"])[0]
    keep = state.filter(["Target"], None)
    folded = built._dense_ranking(state, vector, 50, keep)
    targets = [iri for iri, node in state.nodes.items() if node.cls == "Target"]
    assert targets and len(folded) == min(50, len(targets))
    assert all(state.nodes[iri].cls == "Target" for iri, _, _ in folded)
    assert asked and max(asked) <= sum(len(state.nodes[iri].chunks) for iri in targets)
