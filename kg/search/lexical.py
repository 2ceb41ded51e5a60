"""BM25 for Chinese: CJK character unigrams + bigrams (or jieba words), incremental by node, saved as npz + json."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from kg.search.settings import TOKENIZERS, SearchError

Tokenizer = Callable[[str], list[str]]

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_RUNS = re.compile(f"[{_CJK}]+|[^\\W_{_CJK}]+")
_IS_CJK = re.compile(f"[{_CJK}]")
_WORDY = re.compile(r"\w")
META_FILE, ARRAYS_FILE = "bm25.json", "bm25.npz"


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
        self._terms: list[np.ndarray] = []  # row -> term ids (int32)
        self._counts: list[np.ndarray] = []  # row -> term frequencies (int32)
        self._compiled: _Postings | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, iri: object) -> bool:
        return iri in self._rows

    def ids(self) -> list[str]:
        """The indexed IRIs, in the order they were added."""
        return [iri for iri in self._iris if iri is not None]

    def add(self, iri: str, text: str) -> None:
        """Index (or re-index) one node's text."""
        self.add_many([(iri, text)])

    def add_many(self, documents: Iterable[tuple[str, str]]) -> None:
        """Index (or re-index) many nodes' texts."""
        for iri, text in documents:
            self.remove(iri)
            counts = Counter(self._tokenize(text))
            terms = np.fromiter((self._vocab.setdefault(t, len(self._vocab)) for t in counts), np.int32, len(counts))
            self._rows[iri] = len(self._iris)
            self._iris.append(iri)
            self._terms.append(terms)
            self._counts.append(np.fromiter(counts.values(), np.int32, len(counts)))
        self._compiled = None

    def remove(self, iri: str) -> bool:
        """Forget one node; False when it was not indexed."""
        row = self._rows.pop(iri, None)
        if row is None:
            return False
        self._iris[row] = None
        self._terms[row] = self._counts[row] = np.empty(0, np.int32)
        self._compiled = None
        return True

    def search(self, query: str, top: int | None = 10, *,
               allowed: Callable[[str], bool] | None = None) -> list[tuple[str, float]]:
        """(IRI, score) pairs, best first, for documents sharing a token with the query; ``allowed`` filters."""
        postings = self._postings()
        scores = postings.score([self._vocab[t] for t in dict.fromkeys(self._tokenize(query)) if t in self._vocab],
                                self.k1, self.b)
        rows = np.flatnonzero(scores > 0)
        order = rows[np.lexsort((rows, -scores[rows]))]
        found = [(iri, float(scores[r])) for r in order if (iri := self._iris[r]) is not None
                 and (allowed is None or allowed(iri))]
        return found if top is None else found[:top]

    def save(self, folder: Path) -> None:
        """Write bm25.json (settings, IRIs, vocabulary) and bm25.npz (the per-document term counts)."""
        folder.mkdir(parents=True, exist_ok=True)
        live = [row for row, iri in enumerate(self._iris) if iri is not None]
        used = sorted({int(t) for row in live for t in self._terms[row]})
        remap = np.full(len(self._vocab) + 1, -1, np.int64)
        remap[used] = np.arange(len(used))
        words = sorted(self._vocab, key=self._vocab.__getitem__)
        sizes = np.array([len(self._terms[row]) for row in live], np.int64)
        terms = np.concatenate([self._terms[row] for row in live]) if live else np.empty(0, np.int32)
        counts = np.concatenate([self._counts[row] for row in live]) if live else np.empty(0, np.int32)
        np.savez_compressed(folder / ARRAYS_FILE, sizes=sizes, terms=remap[terms].astype(np.int32), counts=counts)
        meta = {"tokenizer": self.tokenizer, "k1": self.k1, "b": self.b,
                "ids": [self._iris[row] for row in live], "vocabulary": [words[t] for t in used]}
        (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> BM25:
        """Read what ``save`` wrote."""
        try:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
            with np.load(folder / ARRAYS_FILE, allow_pickle=False) as arrays:
                sizes, terms, counts = arrays["sizes"], arrays["terms"], arrays["counts"]
        except (OSError, ValueError, KeyError) as error:
            raise SearchError(f"cannot read the BM25 index in {folder}: {error}") from error
        index = cls(meta["tokenizer"], k1=meta["k1"], b=meta["b"])
        index._vocab = {word: i for i, word in enumerate(meta["vocabulary"])}
        bounds = np.cumsum(sizes)[:-1]
        index._iris = list(meta["ids"])
        index._rows = {iri: row for row, iri in enumerate(index._iris)}
        index._terms = list(np.split(terms, bounds)) if len(sizes) else []
        index._counts = list(np.split(counts, bounds)) if len(sizes) else []
        return index

    def _postings(self) -> _Postings:
        if self._compiled is None:
            self._compiled = _Postings.build(self._terms, self._counts, len(self._vocab), len(self._rows))
        return self._compiled


class _Postings:
    """Term-major arrays compiled from the per-document counts, rebuilt after any change."""

    def __init__(self, starts: np.ndarray, rows: np.ndarray, counts: np.ndarray, lengths: np.ndarray,
                 documents: int) -> None:
        self.starts, self.rows, self.counts, self.lengths = starts, rows, counts, lengths
        self.documents = documents
        self.average = float(lengths.sum()) / documents if documents else 0.0

    @classmethod
    def build(cls, terms: list[np.ndarray], counts: list[np.ndarray], vocabulary: int, documents: int) -> _Postings:
        sizes = np.array([len(t) for t in terms], np.int64)
        flat_terms = np.concatenate(terms) if terms else np.empty(0, np.int32)
        flat_counts = np.concatenate(counts) if counts else np.empty(0, np.int32)
        flat_rows = np.repeat(np.arange(len(terms), dtype=np.int64), sizes)
        order = np.argsort(flat_terms, kind="stable")
        starts = np.zeros(vocabulary + 1, np.int64)
        np.cumsum(np.bincount(flat_terms, minlength=vocabulary), out=starts[1:])
        lengths = np.array([int(c.sum()) for c in counts], np.float64)
        return cls(starts, flat_rows[order], flat_counts[order].astype(np.float64), lengths, documents)

    def score(self, term_ids: list[int], k1: float, b: float) -> np.ndarray:
        scores = np.zeros(len(self.lengths), np.float64)
        if not self.documents:
            return scores
        for term in term_ids:
            begin, end = self.starts[term], self.starts[term + 1]
            if begin == end:
                continue
            rows, tf = self.rows[begin:end], self.counts[begin:end]
            idf = np.log1p((self.documents - (end - begin) + 0.5) / ((end - begin) + 0.5))
            norm = k1 * (1 - b + b * self.lengths[rows] / self.average)
            scores[rows] += idf * tf * (k1 + 1) / (tf + norm)
        return scores
