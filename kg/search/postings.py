"""BM25 postings, term-major, and an exact top-k over them whose cost follows the query's rare terms.

Scoring every document that shares a character with a Chinese query costs the length of the common
characters' posting lists, which grow with the index. ``Postings.top`` gives the same scores, order and
tie-breaks as scoring them all, but reads long lists only where it must (MaxScore): the documents of the
rarest terms give a k-th score to beat; the terms whose upper bounds together stay below it cannot lift
a document into the top k on their own, so only the documents of the other terms are candidates, and the
common terms are looked up for those candidates alone (binary search in their row-sorted lists). The
pruning sums float32 impacts kept beside the postings (with a margin far above their rounding); the
scores returned are always computed afresh, in float64, by the one formula and in query order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Queries whose posting lists hold fewer entries than this are scored in full (nothing to save).
PRUNE_ABOVE = 40_000
#: Upper bounds are widened by this share, far above float64 rounding, so no tying document is pruned.
BOUND_MARGIN = 1e-9
#: Partial scores (float32 sums) are trusted to this share only.
PARTIAL_MARGIN = 1e-4
#: Postings per slice when impacts and bounds are computed (keeps the temporary arrays small).
IMPACT_SLICE = 4_000_000

Term = tuple[int, int, float, int]  # (first posting, end, idf, term id)


class Postings:
    """Term-major postings (rows ascending within a term), each row's length norm, each posting's impact
    ``tf (k1 + 1) / (tf + norm)`` (float32) and each term's largest impact."""

    def __init__(self, starts: np.ndarray, rows: np.ndarray, counts: np.ndarray, lengths: np.ndarray,
                 documents: int, k1: float, b: float, *, impacts: np.ndarray | None = None,
                 bounds: np.ndarray | None = None) -> None:
        self.starts, self.rows, self.counts = starts, rows, counts
        self.lengths = np.asarray(lengths, np.float64)  # per row, removed rows 0
        self.documents, self.k1, self.b = documents, k1, b
        self.average = float(self.lengths.sum()) / documents if documents else 0.0
        self.norms = (k1 * (1 - b + b * self.lengths / self.average) if self.average
                      else np.zeros(len(self.lengths)))
        self._impacts, self._bounds = impacts, bounds  # as saved, else computed when first needed

    @property
    def impacts(self) -> np.ndarray:
        """Each posting's ``tf (k1 + 1) / (tf + norm)``, float32: what pruning sums."""
        if self._impacts is None:
            self._impacts, self._bounds = self._compute_impacts()
        return self._impacts

    @property
    def bounds(self) -> np.ndarray:
        """Each term's largest impact (float64, 0 for an empty term)."""
        if self._bounds is None:
            self._impacts, self._bounds = self._compute_impacts()
        return self._bounds

    @classmethod
    def build(cls, terms: Sequence[np.ndarray], counts: Sequence[np.ndarray], vocabulary: int, documents: int,
              k1: float, b: float) -> Postings:
        """Postings from per-row term ids and term counts (rows in order, removed rows empty)."""
        sizes = np.fromiter((len(t) for t in terms), np.int64, len(terms))
        flat_terms = np.concatenate(terms).astype(np.int32) if len(terms) else np.empty(0, np.int32)
        flat_counts = np.concatenate(counts).astype(np.int32) if len(counts) else np.empty(0, np.int32)
        flat_rows = np.repeat(np.arange(len(terms), dtype=np.int32), sizes)
        order = np.argsort(flat_terms, kind="stable")  # stable: rows stay ascending within a term
        starts = np.zeros(vocabulary + 1, np.int64)
        np.cumsum(np.bincount(flat_terms, minlength=vocabulary), out=starts[1:])
        lengths = np.bincount(flat_rows, weights=flat_counts, minlength=len(terms))
        return cls(starts, flat_rows[order], flat_counts[order], lengths, documents, k1, b)

    def per_row(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The per-row term ids and counts these postings were built from (the inverse of ``build``)."""
        term_of = np.repeat(np.arange(len(self.starts) - 1, dtype=np.int32), np.diff(self.starts))
        order = np.argsort(self.rows, kind="stable")
        cuts = np.cumsum(np.bincount(self.rows, minlength=len(self.lengths)))[:-1]
        return list(np.split(term_of[order], cuts)), list(np.split(self.counts[order], cuts))

    def top(self, term_ids: Sequence[int], k: int | None, mask: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
        """Rows and scores of the ``k`` best rows (all when None) sharing a term with the query, best first,
        ties to the lower row; ``mask`` (a boolean per row) keeps rows before the cut."""
        terms = self._terms(term_ids)
        if not terms or (k is not None and k <= 0):
            return np.empty(0, np.int64), np.empty(0, np.float64)
        total = sum(end - begin for begin, end, _, _ in terms)
        if k is not None and total > PRUNE_ABOVE:
            found = self._few_allowed(terms, total, mask)
            if found is None:
                found = self._pruned(terms, total, k, mask)
            if found is not None:
                return _best(*found, k)
        scores = np.zeros(len(self.lengths))
        for begin, end, idf, _ in terms:
            rows = self.rows[begin:end]
            scores[rows] += self._part(idf, slice(begin, end), rows)
        hit = scores > 0
        if mask is not None:
            hit &= mask
        rows = np.flatnonzero(hit)
        return _best(rows, scores[rows], k)

    # -- pieces of top() ---------------------------------------------------------------------------
    def _terms(self, term_ids: Sequence[int]) -> list[Term]:
        terms = []
        for term in term_ids:
            begin, end = self.starts[term], self.starts[term + 1]
            if begin == end or not self.documents:
                continue
            idf = np.log1p((self.documents - (end - begin) + 0.5) / ((end - begin) + 0.5))
            terms.append((int(begin), int(end), idf, term))
        return terms

    def _part(self, idf: float, at: slice | np.ndarray, rows: np.ndarray) -> np.ndarray:
        """One term's BM25 contribution for the postings ``at`` of ``rows`` (the formula of every path)."""
        tf = self.counts[at].astype(np.float64)
        return idf * tf * (self.k1 + 1) / (tf + self.norms[rows])

    def _exact(self, rows: np.ndarray, terms: list[Term]) -> np.ndarray:
        """The full scores of some rows (sorted, same dtype as the postings), summed in query order."""
        scores = np.zeros(len(rows))
        for begin, end, idf, _ in terms:
            at, found = _intersect(rows, self.rows[begin:end])
            if len(at):
                scores[at] += self._part(idf, begin + found, rows[at])
        return scores

    def _few_allowed(self, terms: list[Term], total: int, mask: np.ndarray | None
                     ) -> tuple[np.ndarray, np.ndarray] | None:
        """With a mask that keeps few rows, every kept row scored by lookup; None when that saves nothing."""
        if mask is None or int(np.count_nonzero(mask)) * len(terms) > total // 4:
            return None
        rows = np.flatnonzero(mask).astype(self.rows.dtype)
        scores = self._exact(rows, terms)
        hit = scores > 0
        return rows[hit], scores[hit]

    def _pruned(self, terms: list[Term], total: int, k: int, mask: np.ndarray | None
                ) -> tuple[np.ndarray, np.ndarray] | None:
        """MaxScore's candidates with their full scores; None when scoring every match costs less."""
        partial = np.zeros(len(self.lengths), np.float32)  # scores over the terms added so far (lower bounds)
        pending = sorted(range(len(terms)), key=lambda i: terms[i][1] - terms[i][0])  # the rarest first
        bounds = [float(idf * self.bounds[term]) * (1 + BOUND_MARGIN) for _, _, idf, term in terms]  # per term
        read, floor = 0, 0.0
        while pending and floor <= 0:  # a k-th score to beat, from the rarest eighth of the postings
            while pending and (not read or read + terms[pending[0]][1] - terms[pending[0]][0] <= total // 8):
                read += self._add(partial, terms[pending.pop(0)])
            floor = _kth(partial, np.flatnonzero(partial > 0), k, mask)
            if floor <= 0:
                if read > total // 2:
                    return None  # the rare terms do not reach k kept rows: nothing to prune
                if pending:
                    read += self._add(partial, terms[pending.pop(0)])
        if floor <= 0:
            return None  # every term read, still fewer than k kept rows: nothing to prune
        weak, rest = set(), 0.0  # terms whose bounds together stay under the floor are only looked up
        for i in sorted(pending, key=lambda i: bounds[i]):
            if rest + bounds[i] >= floor:
                break
            rest += bounds[i]
            weak.add(i)
        for i in pending:
            if i not in weak:
                self._add(partial, terms[i])
        # out: a row whose partial score, with every weak term at its bound, stays under a k-th score
        candidates = _kept(np.flatnonzero(partial >= _least(floor, rest)), mask).astype(self.rows.dtype)
        scores = partial[candidates].astype(np.float64)
        heaviest = sorted(weak, key=lambda i: -bounds[i])
        for n, i in enumerate(heaviest):  # the weak terms looked up, the heaviest first, dropping rows as it goes
            floor = max(floor, _kth(scores, np.arange(len(scores)), k, None))
            keep = scores >= _least(floor, sum(bounds[j] for j in heaviest[n:]))
            candidates, scores = candidates[keep], scores[keep]
            if len(candidates) <= k:
                break
            begin, end, idf, _ = terms[i]
            at, found = _intersect(candidates, self.rows[begin:end])
            scores[at] += np.float32(idf) * self.impacts[begin + found]
        if len(candidates) * len(terms) > total:
            return None
        return candidates, self._exact(candidates, terms)

    def _add(self, partial: np.ndarray, term: Term) -> int:
        """Add one term's (float32) contributions to the partial scores; how many postings that read."""
        begin, end, idf, _ = term
        partial[self.rows[begin:end]] += np.float32(idf) * self.impacts[begin:end]
        return end - begin

    def _compute_impacts(self) -> tuple[np.ndarray, np.ndarray]:
        """Each posting's impact (float32) and each term's largest (float64; 0 for an empty term)."""
        impacts = np.empty(len(self.rows), np.float32)
        bounds = np.zeros(len(self.starts) - 1)
        terms = np.flatnonzero(np.diff(self.starts))
        firsts = self.starts[terms]
        i = 0
        while i < len(terms):
            j = max(i + 1, int(np.searchsorted(firsts, firsts[i] + IMPACT_SLICE, side="right")))
            low, high = firsts[i], self.starts[terms[j - 1] + 1]
            tf = self.counts[low:high].astype(np.float64)
            raw = tf * (self.k1 + 1) / (tf + self.norms[self.rows[low:high]])
            impacts[low:high] = raw
            bounds[terms[i:j]] = np.maximum.reduceat(raw, firsts[i:j] - low)
            i = j
        return impacts, bounds


def _kth(partial: np.ndarray, rows: np.ndarray, k: int, mask: np.ndarray | None) -> float:
    """A score that ``k`` kept rows among ``rows`` reach, given lower bounds of their scores (0: fewer rows)."""
    rows = _kept(rows, mask)
    if len(rows) < k:
        return 0.0
    values = partial[rows]
    return float(np.partition(values, len(values) - k)[len(values) - k]) * (1 - PARTIAL_MARGIN)


def _least(floor: float, rest: float) -> float:
    """The least partial score a row needs to reach ``floor`` with ``rest`` more (rounded down, to be safe)."""
    return (floor - rest) * (1 - PARTIAL_MARGIN)


def _kept(rows: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    return rows if mask is None else rows[mask[rows]]


def _intersect(rows: np.ndarray, sorted_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``rows`` and in ``sorted_rows`` (both ascending, no repeats) of the rows both hold."""
    if not len(rows) or not len(sorted_rows):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if len(rows) > len(sorted_rows):  # binary-search the shorter in the longer
        found, at = _intersect(sorted_rows, rows)
        return at, found
    at = np.minimum(np.searchsorted(sorted_rows, rows), len(sorted_rows) - 1)
    hit = sorted_rows[at] == rows
    return np.flatnonzero(hit), at[hit]


def _best(rows: np.ndarray, scores: np.ndarray, k: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best of some rows (ascending) by score, best first, ties to the lower row."""
    if k is not None and len(rows) > k:
        kth = -np.partition(-scores, k - 1)[k - 1]
        above = scores > kth
        tied = np.flatnonzero(scores == kth)[:k - int(np.count_nonzero(above))]
        keep = np.union1d(np.flatnonzero(above), tied)
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((rows, -scores))
    return rows[order].astype(np.int64), scores[order]
