"""The dense index: chunk vectors by inner product, exact (flat) for small graphs, HNSW above a threshold.

Below the threshold a numpy product over the vectors answers (exact, and no faiss import: a cold
search of the real graph is not kept waiting for it); above it FAISS's HNSW graph does, where faiss is
installed, and numpy again (exact, slower) where it is not. The vectors themselves are kept (vectors.npy) so that removals, a switch
to HNSW and the numpy fallback never need the encoder again. A search can be limited to a subset (the
chunks of the nodes a filter keeps): a small one is searched exactly, a large one by the index with a
selector, so a filter never makes a search read deeper than its own answer. One query is searched on
one thread (faiss's OpenMP and BLAS threads only add waiting for a single vector, much more on a busy
machine), with numpy's own loops rather than BLAS for the exact scores.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from kg.search.settings import SearchError

HNSW_M, HNSW_EF_SEARCH, HNSW_EF_CONSTRUCTION = 32, 128, 200
META_FILE, VECTORS_FILE, IDS_FILE, FAISS_FILE = "dense.json", "vectors.npy", "ids.npy", "faiss.index"
BACKENDS = ("auto", "faiss", "numpy")
#: A subset of at most this many vectors of an HNSW index is searched exactly, from its own copy.
EXACT_SUBSET = 20_000


def faiss_available() -> bool:
    """Whether faiss can be imported."""
    try:
        import faiss  # noqa: F401
    except ImportError:
        return False
    return True


def _faiss() -> Any:
    try:
        import faiss
    except ImportError as error:
        raise ImportError("the faiss dense index needs faiss: pip install faiss-cpu "
                          "(or use backend='numpy', an exact and slower fallback)") from error
    return faiss


class DenseIndex:
    """Normalised float32 vectors keyed by int64 chunk ids; search by inner product (cosine)."""

    def __init__(self, dim: int, *, hnsw_threshold: int = 50_000, backend: str = "auto") -> None:
        if backend not in BACKENDS:
            raise SearchError(f"no dense backend {backend!r}; known: {', '.join(BACKENDS)}")
        if backend == "faiss":
            _faiss()
        self.dim = dim
        self.hnsw_threshold = hnsw_threshold
        self._backend = None if backend == "auto" else backend  # "auto" looks for faiss when first needed
        self._ids = np.empty(0, np.int64)
        self._vectors = np.empty((0, dim), np.float32)
        self._index: Any = None  # the faiss index, built lazily from the vectors
        self._built_kind = ""
        self.changes = 0  # counts every add and remove: a subset made before one is stale

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def backend(self) -> str:
        """"faiss" (asked for, or installed) or "numpy"."""
        if self._backend is None:
            self._backend = "faiss" if faiss_available() else "numpy"
        return self._backend

    @property
    def kind(self) -> str:
        """"hnsw" (approximate, faiss) at or above the threshold, else "flat" (exact, numpy)."""
        return "hnsw" if len(self) >= self.hnsw_threshold and self.backend == "faiss" else "flat"

    def ids(self) -> np.ndarray:
        return self._ids.copy()

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors under new ids (an id already present is refused)."""
        ids = np.asarray(ids, np.int64).reshape(-1)
        vectors = np.asarray(vectors, np.float32)
        if vectors.ndim != 2 or vectors.shape != (len(ids), self.dim):
            raise SearchError(f"expected {len(ids)} vectors of dimension {self.dim}, got shape {vectors.shape}")
        if len(np.unique(ids)) != len(ids) or np.isin(ids, self._ids).any():
            raise SearchError("dense index ids must be new and distinct")
        vectors = _normalised(vectors)
        before = self.kind
        self.changes += 1
        self._ids = np.concatenate([self._ids, ids])
        self._vectors = np.concatenate([self._vectors, vectors])
        if self._index is not None and self.kind == before == "hnsw":
            self._index.add_with_ids(vectors, ids)
        else:
            self._index = None

    def remove(self, ids: np.ndarray) -> int:
        """Remove vectors by id; how many were there. HNSW cannot remove: it is rebuilt on next use."""
        ids = np.asarray(ids, np.int64).reshape(-1)
        keep = ~np.isin(self._ids, ids)
        removed = int(len(keep) - keep.sum())
        if not removed:
            return 0
        self.changes += 1
        self._ids, self._vectors = self._ids[keep], self._vectors[keep]
        self._index = None  # HNSW cannot remove; flat keeps no faiss index
        return removed

    def search(self, query: np.ndarray, k: int, *, among: DenseSubset | None = None) -> list[tuple[int, float]]:
        """The ``k`` nearest ids to one query vector, with their inner products, best first; ``among`` limits
        the search to a subset made by ``subset``."""
        query = _normalised(np.asarray(query, np.float32).reshape(1, -1))
        if query.shape[1] != self.dim:
            raise SearchError(f"the query vector has dimension {query.shape[1]}, the index {self.dim}")
        if among is not None:
            return self._search_among(query, k, among)
        k = min(k, len(self))
        if k <= 0:
            return []
        if self.kind == "flat":
            return _nearest(_inner(self._vectors, query[0]), self._ids, k)
        with _one_thread():
            distances, found = self._faiss_index().search(query, k)
        return [(int(i), float(d)) for i, d in zip(found[0], distances[0]) if i >= 0]

    def subset(self, positions: np.ndarray) -> DenseSubset:
        """The vectors at some positions (the order of ``ids()``), to search among; stale after a change."""
        return DenseSubset(self, np.unique(np.asarray(positions, np.int64)))

    def _search_among(self, query: np.ndarray, k: int, among: DenseSubset) -> list[tuple[int, float]]:
        if among.index is not self or among.changes != self.changes:
            raise SearchError("the dense subset was made before the index changed: make it again")
        k = min(k, len(among))
        if k <= 0:
            return []
        if len(among) <= EXACT_SUBSET:
            return _nearest(_inner(among.vectors(), query[0]), among.ids, k)
        if self.kind == "flat":  # a large subset of a flat index: every score, then the subset's
            return _nearest(_inner(self._vectors, query[0])[among.positions], among.ids, k)
        faiss = _faiss()
        params = faiss.SearchParametersHNSW()
        params.efSearch = max(HNSW_EF_SEARCH, k)
        params.sel = among.selector()
        with _one_thread():
            distances, found = self._faiss_index().search(query, k, params=params)
        return [(int(i), float(d)) for i, d in zip(found[0], distances[0]) if i >= 0]

    def save(self, folder: Path) -> None:
        """Write the vectors, their ids and dense.json; an HNSW graph also as faiss.index (slow to rebuild)."""
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / VECTORS_FILE, self._vectors, allow_pickle=False)
        np.save(folder / IDS_FILE, self._ids, allow_pickle=False)
        if self.kind == "hnsw":
            _faiss().write_index(self._faiss_index(), str(folder / FAISS_FILE))
        (folder / META_FILE).write_text(json.dumps(self.describe(), indent=2) + "\n", encoding="utf-8")

    def describe(self) -> dict[str, Any]:
        """What a report or settings file records about this index."""
        info: dict[str, Any] = {"dim": self.dim, "count": len(self), "kind": self.kind, "backend": self.backend,
                                "hnsw_threshold": self.hnsw_threshold}
        if self.kind == "hnsw":
            info.update(m=HNSW_M, ef_search=HNSW_EF_SEARCH, ef_construction=HNSW_EF_CONSTRUCTION)
        return info

    @classmethod
    def load(cls, folder: Path, *, backend: str = "auto", hnsw_threshold: int | None = None) -> DenseIndex:
        """Read what ``save`` wrote; a saved HNSW graph is reused when faiss is the backend."""
        try:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
            vectors = np.load(folder / VECTORS_FILE, allow_pickle=False, mmap_mode="r")  # read as searched
            ids = np.load(folder / IDS_FILE, allow_pickle=False)
        except (OSError, ValueError, KeyError) as error:
            raise SearchError(f"cannot read the dense index in {folder}: {error}") from error
        index = cls(int(meta["dim"]), backend=backend,
                    hnsw_threshold=int(meta["hnsw_threshold"]) if hnsw_threshold is None else hnsw_threshold)
        index._ids, index._vectors = ids.astype(np.int64, copy=False), vectors.astype(np.float32, copy=False)
        saved = folder / FAISS_FILE
        if meta.get("kind") == "hnsw" and index.kind == "hnsw" and saved.exists():
            faiss = _faiss()
            index._index = faiss.read_index(str(saved))
            faiss.downcast_index(index._index.index).hnsw.efSearch = HNSW_EF_SEARCH
            index._built_kind = "hnsw"
            if index._index.ntotal != len(ids):
                index._index = None
        return index

    def _faiss_index(self) -> Any:
        """The faiss HNSW index, built from the stored vectors when missing or stale."""
        if self._index is None or self._built_kind != self.kind:
            faiss = _faiss()
            graph = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            graph.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            graph.hnsw.efSearch = HNSW_EF_SEARCH
            index = faiss.IndexIDMap2(graph)
            if len(self):
                index.add_with_ids(self._vectors, self._ids)
            self._index, self._built_kind = index, self.kind
        return self._index


class DenseSubset:
    """Some vectors of a dense index, by position, with what searching among them needs, made once."""

    def __init__(self, index: DenseIndex, positions: np.ndarray) -> None:
        self.index, self.changes = index, index.changes
        self.positions = positions
        self.ids = index._ids[positions]
        self._vectors: np.ndarray | None = None
        self._selector: Any = None

    def __len__(self) -> int:
        return len(self.positions)

    def vectors(self) -> np.ndarray:
        """The subset's vectors (a copy kept for a small subset, gathered each time for a large one)."""
        if self._vectors is not None:
            return self._vectors
        vectors = self.index._vectors[self.positions]
        if len(self.positions) <= EXACT_SUBSET:
            self._vectors = vectors
        return vectors

    def selector(self) -> Any:
        """A faiss selector of the subset's ids (a bitmap), for searching the index itself."""
        if self._selector is None:
            faiss = _faiss()
            members = np.zeros(int(self.index._ids.max()) + 1 if len(self.index) else 0, bool)
            members[self.ids] = True
            bitmap = np.packbits(members, bitorder="little")
            self._selector = (faiss.IDSelectorBitmap(len(members), faiss.swig_ptr(bitmap)), bitmap)
        return self._selector[0]  # the bitmap stays referenced beside it: faiss only points at it


@contextmanager
def _one_thread() -> Iterator[None]:
    """faiss on one OpenMP thread for the duration (a single query gains nothing from more)."""
    faiss = _faiss()
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _inner(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Each row's inner product with the query, in numpy's own loop (BLAS would start its threads)."""
    return np.einsum("ij,j->i", vectors, query)


def _nearest(scores: np.ndarray, ids: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The ``k`` best of some scored ids, best first, ties to the lower id."""
    top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    top = top[np.lexsort((ids[top], -scores[top]))]
    return [(int(ids[i]), float(scores[i])) for i in top]


def _normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows left as they are), so inner product is cosine."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.where(norms == 0, 1, norms), dtype=np.float32)
