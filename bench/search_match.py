"""Calibrate the strong / weak signal of search hits, and the class-intent boost, on the judged queries.

Runs every query of bench/search_queries.jsonl (with its class filter, as a user would) on a home with
../shared/data ingested and indexed, and records each top-10 hit's evidence: exact match, dense cosine,
its margin over the query's background cosine, query coverage. Truth: a hit should be strong when it is
judged relevant (grade 1 or 2); every hit of an absent topic ("absent": true, or no judged node) should
be weak; hits nobody judged count as should-be-weak (so precision is a lower bound).

It then picks the cut-offs (kg.search.strength.Thresholds) with the best F1 of "strong" on the tuning
split (bench/splits.py) among those that leave every absent topic of that split without a strong hit,
and prints precision and recall of "strong" and of "weak" on tuning and held-out, for the chosen
cut-offs and for those stored in kg/search/strength.py, with per split the absent topics left without
a strong hit and the judged queries whose first hit is strong and relevant. Last, untyped nDCG@10 of
the judged queries that name a class in their words, for several class-intent boosts.

    .venv/bin/python bench/search_match.py --model e5 --home /tmp/vetgraph-eval-e5-match
    .venv/bin/python bench/search_match.py --model fake --home /tmp/vetgraph-match-fake   # lexical rule
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.splits import SPLITS, split_of  # noqa: E402
from kg.search import intent  # noqa: E402
from kg.search.base import Evidence  # noqa: E402
from kg.search.encoder import load_encoder  # noqa: E402
from kg.search.index import SearchIndex  # noqa: E402
from kg.search.strength import LEXICAL_THRESHOLDS, Thresholds, is_strong, thresholds_for  # noqa: E402
from kg.store.home import Home  # noqa: E402

QUERIES = ROOT / "bench" / "search_queries.jsonl"
K = 10
COSINES = [None] + [round(0.85 + 0.005 * i, 3) for i in range(21)]  # 0.85 .. 0.95
MARGINS = [None] + [round(0.01 + 0.0025 * i, 4) for i in range(21)]  # 0.01 .. 0.06
COVERAGES = [None] + [round(0.3 + 0.1 * i, 1) for i in range(8)]  # 0.3 .. 1.0
BOOSTS = (1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0)


@dataclass(frozen=True)
class Query:
    q: str
    type: str | None
    relevant: dict[str, int]
    absent: bool
    split: str


@dataclass(frozen=True)
class Seen:
    """One top-10 hit of one query: its evidence and whether it should be strong."""

    query: str
    rank: int
    evidence: Evidence
    relevant: bool
    absent: bool


def load_queries(path: Path) -> list[Query]:
    """Every query in the file, whatever else it holds; the split is always split_of(text)."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            relevant = {k: int(v) for k, v in (data.get("relevant") or {}).items()}
            queries.append(Query(data["q"], data.get("type"), relevant, bool(data.get("absent")) or not relevant,
                                 split_of(data["q"])))
    return queries


def prepare(home_dir: Path, data: Path, model: str, models: Path | None) -> tuple[SearchIndex, object]:
    """The home's index, refreshed with the model (ingesting the data first into an empty home)."""
    home = Home(home_dir)
    if home.is_empty():
        from kg.pipeline.run import ingest

        print(f"home: ingesting {data} into {home_dir} ...", file=sys.stderr)
        ingest(home, [data])
    index = SearchIndex(home.index)
    encoder = load_encoder(model, models or home.models)
    report = index.refresh(home.open_reader(), encoder)
    print(f"index: {report.summary()}", file=sys.stderr)
    return SearchIndex(home.index), encoder


def collect(index: SearchIndex, encoder: object, queries: list[Query]) -> list[Seen]:
    seen = []
    for query in queries:
        hits = index.search(query.q, encoder, top=K, types=[query.type] if query.type else None)  # type: ignore[arg-type]
        for rank, hit in enumerate(hits, start=1):
            assert hit.evidence is not None
            seen.append(Seen(query.q, rank, hit.evidence, not query.absent and query.relevant.get(hit.iri, 0) >= 1,
                             query.absent))
    return seen


def confusion(seen: Iterable[Seen], thresholds: Thresholds) -> tuple[int, int, int, int]:
    """(strong & relevant, strong & not, weak & relevant, weak & not)."""
    tp = fp = fn = tn = 0
    for item in seen:
        strong = is_strong(item.evidence, thresholds)
        tp += strong and item.relevant
        fp += strong and not item.relevant
        fn += not strong and item.relevant
        tn += not strong and not item.relevant
    return tp, fp, fn, tn


def ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def candidates(lexical_only: bool) -> Iterable[Thresholds]:
    cosines, margins = ([None], [None]) if lexical_only else (COSINES, MARGINS)
    for alone, margin, cover, with_cover in itertools.product(cosines, margins, COVERAGES, cosines):
        if cover is None and with_cover is not None:
            continue
        yield Thresholds(cosine_alone=alone, coverage=cover, cosine_with_coverage=with_cover, margin=margin)


def choose(seen: list[Seen], lexical_only: bool) -> Thresholds:
    """The cut-offs with the best F1 of "strong" among those that give no hit of an absent topic "strong"
    (is_strong, vectorised); ties go to the stricter cut-offs."""
    exact = np.array([s.evidence.exact for s in seen], bool)
    cosine = np.array([np.nan if s.evidence.cosine is None else s.evidence.cosine for s in seen], float)
    margin = np.array([np.nan if s.evidence.margin is None else s.evidence.margin for s in seen], float)
    cover = np.array([s.evidence.coverage for s in seen], float)
    relevant = np.array([s.relevant for s in seen], bool)
    absent = np.array([s.absent for s in seen], bool)
    with np.errstate(invalid="ignore"):
        def strong(t: Thresholds) -> np.ndarray:
            mask = exact.copy()
            if t.cosine_alone is not None:
                mask |= cosine >= t.cosine_alone
            if t.margin is not None:
                mask |= margin >= t.margin
            if t.coverage is not None:
                mask |= (cover >= t.coverage) & (True if t.cosine_with_coverage is None
                                                 else cosine >= t.cosine_with_coverage)
            return mask

        def score(t: Thresholds) -> tuple[float, ...]:
            mask = strong(t)
            tp, fp, fn = int((mask & relevant).sum()), int((mask & ~relevant).sum()), int((~mask & relevant).sum())
            strict = tuple(-1.0 if v is None else v for v in (t.cosine_alone, t.margin, t.coverage,
                                                                t.cosine_with_coverage))
            return (not (mask & absent).any(), round(ratio(2 * tp, 2 * tp + fp + fn), 6), *strict)

        return max(candidates(lexical_only), key=score)


def report(name: str, thresholds: Thresholds, by_split: dict[str, list[Seen]], queries: list[Query]) -> None:
    print(f"\n{name}: {thresholds}")
    print(f"{'split':<8} {'hits':>5} {'P strong':>9} {'R strong':>9} {'F1':>6} {'P weak':>7} {'R weak':>7} "
          f"{'absent: none strong':>20} {'judged: #1 strong+rel':>22}")
    for split, seen in by_split.items():
        tp, fp, fn, tn = confusion(seen, thresholds)
        absent = [q for q in queries if q.split == split and q.absent]
        judged = [q for q in queries if q.split == split and not q.absent]
        quiet = sum(1 for q in absent if not any(is_strong(s.evidence, thresholds) for s in seen if s.query == q.q))
        first = sum(1 for q in judged if any(s.rank == 1 and s.relevant and is_strong(s.evidence, thresholds)
                                             for s in seen if s.query == q.q))
        print(f"{split:<8} {len(seen):>5} {ratio(tp, tp + fp):>9.3f} {ratio(tp, tp + fn):>9.3f} "
              f"{ratio(2 * tp, 2 * tp + fp + fn):>6.3f} {ratio(tn, tn + fn):>7.3f} {ratio(tn, tn + fp):>7.3f} "
              f"{f'{quiet}/{len(absent)}':>20} {f'{first}/{len(judged)}':>22}")


def ndcg(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum((2 ** relevant.get(iri, 0) - 1) / math.log2(rank + 2) for rank, iri in enumerate(ranked[:K]))
    ideal = sum((2 ** g - 1) / math.log2(r + 2) for r, g in enumerate(sorted(relevant.values(), reverse=True)[:K]))
    return dcg / ideal if ideal else 0.0


def intent_table(index: SearchIndex, encoder: object, queries: list[Query]) -> None:
    """Untyped nDCG@10 of the judged queries whose words name a class, for each boost (1.0: no boost)."""
    named = [q for q in queries if not q.absent and intent.class_intent(q.q)]
    print(f"\nclass intent: untyped nDCG@{K} of the {len(named)} judged queries naming a class in their words")
    print(f"{'boost':>6} " + " ".join(f"{f'{s} ({sum(q.split == s for q in named)})':>14}" for s in SPLITS))
    kept, tuned = intent.INTENT_BOOST, {}
    try:
        for boost in BOOSTS:
            intent.INTENT_BOOST = boost  # the search reads the module's constant at each call
            scores = {s: [ndcg([h.iri for h in index.search(q.q, encoder, top=K)], q.relevant)  # type: ignore[arg-type]
                          for q in named if q.split == s] for s in SPLITS}
            means = {s: sum(v) / len(v) if v else float("nan") for s, v in scores.items()}
            tuned[boost] = means["tuning"]
            print(f"{boost:>6.2f} " + " ".join(f"{means[s]:>14.3f}" for s in SPLITS))
    finally:
        intent.INTENT_BOOST = kept
    best = max(tuned, key=lambda b: (round(tuned[b], 6), -b))  # ties to the smaller boost
    print(f"best on tuning: {best}; stored in kg/search/intent.py: INTENT_BOOST = {kept}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="e5", help="encoder: e5, static, fake or a folder")
    parser.add_argument("--home", type=Path, default=None, help="a home with the data (ingested when empty)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--models", type=Path, default=None, help="models folder (default: the home's)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    args = parser.parse_args()
    home = args.home or Path(tempfile.gettempdir()) / f"vetgraph-search-match-{args.model}"
    if not args.data.exists() and Home(home).is_empty():
        sys.exit(f"no data at {args.data}: give --data or a --home that holds it")
    queries = load_queries(args.queries)
    index, encoder = prepare(home, args.data, args.model, args.models)
    seen = collect(index, encoder, queries)
    by_split = {split: [s for s, q in ((s, split_of(s.query)) for s in seen) if q == split] for split in SPLITS}
    counts = {split: sum(q.split == split for q in queries) for split in SPLITS}
    absent = {split: sum(q.split == split and q.absent for q in queries) for split in SPLITS}
    print(f"{len(queries)} queries: " + ", ".join(f"{s} {counts[s]} ({absent[s]} absent)" for s in SPLITS))
    model = index.info()["model"]
    lexical_only = thresholds_for(model) is LEXICAL_THRESHOLDS
    chosen = choose(by_split["tuning"], lexical_only)
    print(f"model {model}: " + ("no calibrated cosine cut-offs, lexical rule" if lexical_only else "cosine cut-offs"))
    report("chosen on tuning (best F1 of strong)", chosen, by_split, queries)
    report("stored in kg/search/strength.py", thresholds_for(model), by_split, queries)
    intent_table(index, encoder, queries)


if __name__ == "__main__":
    main()
