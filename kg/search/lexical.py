"""BM25 for Chinese: CJK character unigrams + bigrams (or jieba words), incremental by node, saved as npz + json.

The index is kept as term-major postings (kg.search.postings), which are also what is saved, so loading
sorts nothing; the per-node term counts that adding and removing nodes need are derived back from them
only when a loaded index is changed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from kg.search.fusion import NodeFilter
from kg.search.postings import Postings
from kg.search.settings import TOKENIZERS, SearchError

Tokenizer = Callable[[str], list[str]]

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_RUNS = re.compile(f"[{_CJK}]+|[^\\W_{_CJK}]+")
_IS_CJK = re.compile(f"[{_CJK}]")
_WORDY = re.compile(r"\w")
META_FILE, ARRAYS_FILE = "bm25.json", "bm25.npz"
LAYOUT = "postings"  # bm25.json's "layout": term-major postings saved as they are searched


def tokenize_char(text: str) -> list[str]:
    """CJK character unigrams and bigrams, other letters and digits as lowercased words (NFKC first)."""
    tokens: list[str] = []
    for run in _RUNS.findall(unicodedata.normalize("NFKC", text).lower()):
        if _IS_CJK.match(run):
            tokens += run
            tokens += (run[i:i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def tokenize_jieba(text: str) -> list[str]:
    """jieba's search-engine cut (words and their sub-words), lowercased, punctuation dropped."""
    cut = _jieba()
    normal = unicodedata.normalize("NFKC", text).lower()
    return [t for t in (w.strip() for w in cut(normal)) if t and _WORDY.search(t)]


def tokenizer_named(name: str) -> Tokenizer:
    """The tokenizer registered under ``name``; an unknown name lists the known ones."""
    known = {"char": tokenize_char, "jieba": tokenize_jieba}
    if name not in known:
        raise SearchError(f"no BM25 tokenizer {name!r}; known: {', '.join(TOKENIZERS)}")
    return known[name]


def _jieba() -> Callable[[str], list[str]]:
    try:
        import jieba
    except ImportError as error:
        raise ImportError("the jieba tokenizer needs jieba: pip install jieba (or use tokenizer='char')") from error
    import logging

    jieba.setLogLevel(logging.WARNING)  # jieba prints its dictionary loading otherwise
    return jieba.lcut_for_search


class BM25:
    """Okapi BM25 over documents keyed by node IRI; add and remove one node at a time or in bulk."""

    def __init__(self, tokenizer: str = "char", *, k1: float = 1.5, b: float = 0.75) -> None:
        self.tokenizer = tokenizer
        self.k1, self.b = k1, b
        self._tokenize = tokenizer_named(tokenizer)
        self._vocab: dict[str, int] = {}
        self._iris: list[str | None] = []  # row -> IRI (None once removed)
        self._rows: dict[str, int] = {}  # IRI -> row
        # row -> term ids and term frequencies (int32); None while only the loaded postings are held
        self._terms: list[np.ndarray] | None = []
        self._counts: list[np.ndarray] | None = []
        self._compiled: Postings | None = None
        self.changes = 0  # counts every add and remove: what is cached per row (filter masks) is stale after one

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, iri: object) -> bool:
        return iri in self._rows

    def ids(self) -> list[str]:
        """The indexed IRIs, in the order they were added."""
        return [iri for iri in self._iris if iri is not None]

    def row_ids(self) -> list[str | None]:
        """The IRI of each row (None where one was removed): the order of the masks a NodeFilter gives."""
        return list(self._iris)

    def add(self, iri: str, text: str) -> None:
        """Index (or re-index) one node's text."""
        self.add_many([(iri, text)])

    def add_many(self, documents: Iterable[tuple[str, str]]) -> None:
        """Index (or re-index) many nodes' texts."""
        terms_of, counts_of = self._per_row()
        for iri, text in documents:
            self.remove(iri)
            counts = Counter(self._tokenize(text))
            terms = np.fromiter((self._vocab.setdefault(t, len(self._vocab)) for t in counts), np.int32, len(counts))
            self._rows[iri] = len(self._iris)
            self._iris.append(iri)
            terms_of.append(terms)
            counts_of.append(np.fromiter(counts.values(), np.int32, len(counts)))
        self._compiled = None
        self.changes += 1

    def remove(self, iri: str) -> bool:
        """Forget one node; False when it was not indexed."""
        row = self._rows.pop(iri, None)
        if row is None:
            return False
        terms_of, counts_of = self._per_row()
        self._iris[row] = None
        terms_of[row] = counts_of[row] = np.empty(0, np.int32)
        self._compiled = None
        self.changes += 1
        return True

    def search(self, query: str, top: int | None = 10, *,
               allowed: Callable[[str], bool] | None = None) -> list[tuple[str, float]]:
        """(IRI, score) pairs, best first (ties in the order added), for documents sharing a token with the
        query; ``allowed`` filters before the cut (a NodeFilter as a mask over the rows, in numpy)."""
        postings = self._postings()
        terms = [self._vocab[t] for t in dict.fromkeys(self._tokenize(query)) if t in self._vocab]
        mask = allowed.mask_for(self) if isinstance(allowed, NodeFilter) else None
        if mask is not None and len(mask) != len(self._iris):
            mask = None  # built for another state of this index: fall back on the predicate
        if allowed is None or mask is not None:
            return self._pairs(*postings.top(terms, top, mask))
        # a bare predicate: ever more of the best until enough pass it
        k = None if top is None else max(4 * top, 64)
        while True:
            rows, scores = postings.top(terms, k)
            found = [(iri, score) for iri, score in self._pairs(rows, scores) if allowed(iri)]
            if top is None or k is None or len(found) >= top or len(rows) < k:
                return found if top is None else found[:top]
            k *= 4

    def document_frequency(self, text: str) -> int:
        """How many documents hold each token of ``text``, at most (its rarest token's count); 0 when one of its
        tokens is in no document."""
        tokens = dict.fromkeys(self._tokenize(text))
        if not tokens or any(t not in self._vocab for t in tokens):
            return 0
        starts = self._postings().starts
        return int(min(starts[self._vocab[t] + 1] - starts[self._vocab[t]] for t in tokens))

    def save(self, folder: Path) -> None:
        """Write bm25.json (settings, IRIs, vocabulary) and bm25.npz (the postings as searched, removed rows
        dropped; uncompressed, so that a cold search reads them without inflating or sorting anything)."""
        folder.mkdir(parents=True, exist_ok=True)
        postings = self._postings()
        live = np.array([iri is not None for iri in self._iris], bool)
        row_after = (np.cumsum(live) - 1).astype(np.int32)  # removed rows hold no postings
        used = np.diff(postings.starts) > 0
        starts = np.zeros(int(used.sum()) + 1, np.int64)
        np.cumsum(np.diff(postings.starts)[used], out=starts[1:])
        words = sorted(self._vocab, key=self._vocab.__getitem__)
        np.savez(folder / ARRAYS_FILE, starts=starts, rows=row_after[postings.rows], counts=postings.counts,
                 lengths=postings.lengths[live].astype(np.int64), impacts=postings.impacts,
                 bounds=postings.bounds[used])
        meta = {"tokenizer": self.tokenizer, "k1": self.k1, "b": self.b, "layout": LAYOUT,
                "ids": [iri for iri in self._iris if iri is not None],
                "vocabulary": [words[t] for t in np.flatnonzero(used)]}
        (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> BM25:
        """Read what ``save`` wrote (or the per-node counts an earlier version saved)."""
        try:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
            with np.load(folder / ARRAYS_FILE, allow_pickle=False) as saved:
                arrays = {name: saved[name] for name in saved.files}
            index = cls(meta["tokenizer"], k1=meta["k1"], b=meta["b"])
            index._vocab = {word: i for i, word in enumerate(meta["vocabulary"])}
            index._iris = list(meta["ids"])
            index._rows = {iri: row for row, iri in enumerate(index._iris)}
            if meta.get("layout") == LAYOUT:
                index._terms = index._counts = None
                index._compiled = Postings(arrays["starts"], arrays["rows"], arrays["counts"], arrays["lengths"],
                                           len(index._iris), index.k1, index.b, impacts=arrays.get("impacts"),
                                           bounds=arrays.get("bounds"))
            else:
                sizes = arrays["sizes"]
                cuts = np.cumsum(sizes)[:-1]
                index._terms = list(np.split(arrays["terms"], cuts)) if len(sizes) else []
                index._counts = list(np.split(arrays["counts"], cuts)) if len(sizes) else []
        except (OSError, ValueError, KeyError) as error:
            raise SearchError(f"cannot read the BM25 index in {folder}: {error}") from error
        return index

    def _pairs(self, rows: np.ndarray, scores: np.ndarray) -> list[tuple[str, float]]:
        iris = self._iris
        return [(iris[row], score) for row, score in zip(rows.tolist(), scores.tolist())]  # type: ignore[misc]

    def _per_row(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Each row's term ids and counts, derived from the postings the first time a loaded index changes."""
        if self._terms is None or self._counts is None:
            assert self._compiled is not None
            self._terms, self._counts = self._compiled.per_row()
        return self._terms, self._counts

    def _postings(self) -> Postings:
        if self._compiled is None:
            terms, counts = self._per_row()
            self._compiled = Postings.build(terms, counts, len(self._vocab), len(self._rows), self.k1, self.b)
        return self._compiled
