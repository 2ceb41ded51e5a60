"""Score hybrid search on the real graph against the judged queries in bench/search_queries.jsonl.

Builds (or reuses) a home with ../shared/data ingested and its search index, then runs every judged
query through BM25 alone, dense alone and the fusion, each with and without the query's class filter,
and prints nDCG@10 (graded, gain 2^rel - 1), Recall@10 and MRR@10 for the tuning split, the held-out
split (bench/splits.py, fixed by each query's text) and all queries; then nDCG@10 by language and
split, and the issue's goals checked on the held-out split. Absent topics (no node answers them) are
left out of these figures; bench/search_match.py uses them.

    .venv/bin/python bench/search_eval.py --model fake              # a minute: the harness end to end
    .venv/bin/python bench/search_eval.py --model e5 --home /tmp/vetgraph-eval-e5  # 20 min once, then 1 min
    .venv/bin/python bench/search_eval.py --splits                  # which query is in which split
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.splits import SPLITS, split_of  # noqa: E402
from kg.search.base import SEARCHABLE, Encoder  # noqa: E402
from kg.search.encoder import load_encoder  # noqa: E402
from kg.search.index import SearchIndex  # noqa: E402
from kg.search.settings import SearchSettings  # noqa: E402
from kg.store.home import Home  # noqa: E402

QUERIES = ROOT / "bench" / "search_queries.jsonl"
RETRIEVERS = ("bm25", "dense", "fusion")
K = 10


@dataclass(frozen=True)
class Query:
    """One judged query: its text, language, optional class filter, split and graded judgments (IRI -> 1 or 2).

    An absent topic (``absent``) has no judged node: nothing in the graph answers it.
    """

    q: str
    lang: str
    type: str | None
    split: str
    relevant: dict[str, int]
    absent: bool = False


def load_queries(path: Path) -> list[Query]:
    """The judged queries, checked: a language, a known class, the split of its text, 1-2 grades or absent."""
    queries: list[Query] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        data = json.loads(line)
        query = Query(data["q"], data["lang"], data.get("type"), data.get("split", ""),
                      {k: int(v) for k, v in data["relevant"].items()}, bool(data.get("absent", False)))
        judged_ok = (not query.relevant) if query.absent else \
            bool(query.relevant) and set(query.relevant.values()) <= {1, 2}
        if query.lang not in ("zh", "en") or (query.type and query.type not in SEARCHABLE) or not judged_ok:
            sys.exit(f"{path}:{number}: bad judged query {data}")
        if query.split != split_of(query.q):
            sys.exit(f"{path}:{number}: split {query.split!r} of {query.q!r} should be {split_of(query.q)!r} "
                     "(bench/splits.py decides it from the text)")
        if query.q in seen:
            sys.exit(f"{path}:{number}: {query.q!r} is judged twice")
        seen.add(query.q)
        queries.append(query)
    return queries


# -- metrics ---------------------------------------------------------------------------------------
def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    """Graded nDCG@k: gain 2^rel - 1, discount log2(rank + 1), ideal from the judged set."""
    dcg = sum((2 ** relevant.get(iri, 0) - 1) / math.log2(rank + 2) for rank, iri in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    best = sum((2 ** grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return dcg / best if best else 0.0


def recall_at(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    """The share of judged nodes (grade 1 or 2) found in the top k."""
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def reciprocal_rank(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    """1 / rank of the first judged node in the top k, 0 when none is there."""
    return next((1.0 / (rank + 1) for rank, iri in enumerate(ranked[:k]) if iri in relevant), 0.0)


METRICS: dict[str, Callable[[list[str], dict[str, int]], float]] = {
    f"nDCG@{K}": ndcg_at, f"R@{K}": recall_at, f"MRR@{K}": reciprocal_rank}


def mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else float("nan")


# -- the home and the index ------------------------------------------------------------------------
def prepare_home(home_dir: Path, data: Path) -> None:
    """Ingest the real data into home_dir unless it already holds it (re-ingesting changes nothing)."""
    from kg.pipeline.run import ingest

    home = Home(home_dir)
    if not home.is_empty():
        print(f"home: reusing {home_dir}", file=sys.stderr)
        return
    started = time.perf_counter()
    print(f"home: ingesting {data} into {home_dir} ...", file=sys.stderr)
    ingest(home, [data])
    print(f"home: ingested in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def warn_unjudgeable(home_dir: Path, queries: list[Query]) -> None:
    """Say which judged IRIs are not searchable nodes of the graph (data changed: re-judge those queries)."""
    classes = " ".join(f"vet:{name}" for name in SEARCHABLE)
    rows = Home(home_dir).open_reader().select(
        f"SELECT DISTINCT ?s WHERE {{ ?s a ?c . VALUES ?c {{ {classes} }} }}")
    present = {row["s"] for row in rows}
    for query in queries:
        gone = [iri for iri in query.relevant if iri not in present]
        if gone:
            print(f"warning: {query.q!r}: {len(gone)} judged nodes not in the graph, e.g. {gone[0]}",
                  file=sys.stderr)


def progress_printer(label: str) -> Callable[[int, int], None]:
    """progress(done, total) that prints a line at most every 5 seconds, and at the end."""
    started = time.perf_counter()
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.perf_counter()
        if total == 0 or (now - last[0] < 5 and done < total):
            return
        last[0] = now
        rate = done / max(now - started, 1e-9)
        left = (total - done) / rate if rate else float("inf")
        print(f"{label}: {done}/{total} ({rate:,.0f}/s, ~{left:,.0f} s left)", file=sys.stderr, flush=True)

    return report


@dataclass
class Searchers:
    """One index folder searched three ways: BM25 alone, dense alone (BM25 weight 0) and the fusion."""

    fused: SearchIndex
    dense_only: SearchIndex
    encoder: Encoder

    def ranked(self, text: str, retriever: str, types: list[str] | None, k: int = K) -> list[str]:
        """The top-k node IRIs by one retriever or the fusion."""
        if retriever == "bm25":
            hits = self.fused.search(text, None, top=k, types=types)  # no encoder: BM25 alone
        elif retriever == "dense":
            hits = self.dense_only.search(text, self.encoder, top=k, types=types)
        else:
            hits = self.fused.search(text, self.encoder, top=k, types=types)
        return [hit.iri for hit in hits]


def open_index(home_dir: Path, model: str, overrides: dict[str, Any], models_dir: Path | None = None) -> Searchers:
    """The home's search index for ``model``: reused when current, refreshed (with progress) otherwise.

    ``overrides`` (fusion weights, rrf_k...) change how it is searched, not how it is built.
    """
    home = Home(home_dir)
    started = time.perf_counter()
    encoder = load_encoder(model, models_dir or home.models)
    print(f"model: {encoder.name} ({encoder.dim}d) loaded in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    settings = SearchSettings(model=model)
    index = SearchIndex(home.index, settings)
    report = index.refresh(home.open_reader(), encoder, progress=progress_printer("index: chunks embedded"))
    print(f"index: {report.summary()}", file=sys.stderr)
    searched = settings.replace(**overrides)
    print(f"fusion: {json.dumps({k: v for k, v in searched.to_dict().items() if k in ('weights', 'rrf_k')})}",
          file=sys.stderr)
    fused = SearchIndex(home.index, searched)
    dense_only = SearchIndex(home.index, searched.replace(weights={"dense": 1.0, "bm25": 0.0}))
    return Searchers(fused, dense_only, encoder)


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """KEY=VALUE pairs, each VALUE read as JSON where it parses (numbers, objects), else as a string."""
    overrides: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            sys.exit(f"--set expects KEY=VALUE, got {pair!r}")
        try:
            overrides[key] = json.loads(value)
        except ValueError:
            overrides[key] = value
    return overrides


def run_query(searchers: Searchers, query: Query, retriever: str, use_filter: bool, k: int = K) -> list[str]:
    """The top-k node IRIs for one query, by one retriever (bm25, dense) or the fusion."""
    types = [query.type] if use_filter and query.type else None
    return searchers.ranked(query.q, retriever, types, k)


# -- the report ------------------------------------------------------------------------------------
#: The issue's goals, checked on the held-out split: (label, retriever, filtered, which queries, floor).
GOALS = (("typed nDCG@10 (queries naming a class, filtered)", "fusion", True, "typed", 0.85),
         ("untyped nDCG@10 (all queries, no filter)", "fusion", False, "all", 0.60))
Scores = dict[tuple[str, bool], list[dict[str, float]]]


def evaluate(searchers: Searchers, queries: list[Query]) -> Scores:
    """Per (retriever, filter) the metric values of every query, in query order."""
    scores: Scores = {}
    for retriever in RETRIEVERS:
        for use_filter in (False, True):
            rows = []
            for query in queries:
                ranked = run_query(searchers, query, retriever, use_filter)
                rows.append({name: metric(ranked, query.relevant) for name, metric in METRICS.items()})
            scores[(retriever, use_filter)] = rows
    return scores


def averaged(scores: Scores, queries: list[Query], key: tuple[str, bool], keep: Callable[[Query], bool],
             metric: str = f"nDCG@{K}") -> float:
    """The mean of one metric over the queries ``keep`` accepts."""
    return mean(row[metric] for row, q in zip(scores[key], queries) if keep(q))


def table(scores: Scores, queries: list[Query], keep: Callable[[Query], bool], title: str,
          groups: dict[str, Callable[[Query], bool]], metrics: tuple[str, ...] = tuple(METRICS)) -> str:
    """One table: a row per retriever and filter, the metrics for each group of queries side by side."""
    names = {name: f"{name} ({sum(1 for q in queries if keep(q) and test(q))})" for name, test in groups.items()}
    widths = {name: max(8 * len(metrics) - 1, len(names[name])) for name in groups}
    head = f"{'retriever':<9} {'filter':<6}" + "".join(f" | {names[name]:<{widths[name]}}" for name in groups)
    short = " ".join(f"{m.split('@')[0]:>7}" for m in metrics)
    sub = " " * 16 + "".join(f" | {short:>{widths[name]}}" for name in groups)
    lines = [title, head, sub, "-" * len(sub)]
    for key in scores:
        retriever, use_filter = key
        cells = [" ".join(f"{averaged(scores, queries, key, lambda q, t=test: keep(q) and t(q), m):>7.3f}"
                          for m in metrics) for test in groups.values()]
        lines.append(f"{retriever:<9} {'class' if use_filter else 'none':<6}" +
                     "".join(f" | {cell:>{widths[name]}}" for name, cell in zip(groups, cells)))
    return "\n".join(lines)


def split_groups() -> dict[str, Callable[[Query], bool]]:
    return {**{split: (lambda q, s=split: q.split == s) for split in SPLITS}, "all": lambda q: True}


def language_groups() -> dict[str, Callable[[Query], bool]]:
    return {f"{split} {lang}": (lambda q, s=split, la=lang: q.split == s and q.lang == la)
            for split in SPLITS for lang in ("zh", "en")}


def goal_lines(scores: Scores, queries: list[Query]) -> list[str]:
    """The goals on the held-out split, PASS or FAIL, and held-out fusion against held-out dense."""
    which = {"typed": lambda q: q.type is not None, "all": lambda q: True}
    lines = []
    for label, retriever, use_filter, chosen, floor in GOALS:
        def keep(q: Query, test: Callable[[Query], bool] = which[chosen]) -> bool:
            return q.split == "heldout" and test(q)
        value = averaged(scores, queries, (retriever, use_filter), keep)
        dense = averaged(scores, queries, ("dense", use_filter), keep)
        lines.append(f"held-out {label}: fusion {value:.3f} (goal >= {floor:.2f}: "
                     f"{'PASS' if value >= floor else 'FAIL'}); dense {dense:.3f} "
                     f"(fusion >= dense: {'PASS' if value >= dense else 'FAIL'})")
    return lines


def split_listing(queries: list[Query]) -> str:
    """Which query is in which split, one line a query: split, class filter, language, text."""
    return "\n".join(f"{q.split:<8} {q.type or '-':<12} {q.lang} {q.q}{'  (absent)' if q.absent else ''}"
                     for q in sorted(queries, key=lambda q: (SPLITS.index(q.split), q.type or "", q.q)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="e5", help="encoder spec: e5 (default), static, fake or a folder")
    parser.add_argument("--home", type=Path, default=None,
                        help="home folder to build or reuse (default: a folder per model under the temp dir)")
    parser.add_argument("--models", type=Path, default=None,
                        help="models folder (default: the home's models/; static must be distilled there first)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help='search setting for this run, e.g. --set rrf_k=60 --set \'weights={"dense":1,"bm25":1}\'')
    parser.add_argument("--json", type=Path, default=None, help="also write per-query scores to this file")
    parser.add_argument("--splits", action="store_true", help="print which query is in which split and stop")
    args = parser.parse_args()
    all_queries = load_queries(args.queries)
    if args.splits:
        print(split_listing(all_queries))
        return
    if not args.data.is_dir():
        sys.exit(f"real data not found: {args.data}")
    home_dir = args.home or Path(tempfile.gettempdir()) / f"vetgraph-search-eval-{Path(args.model).name}"
    queries = [q for q in all_queries if not q.absent]
    prepare_home(home_dir, args.data)
    warn_unjudgeable(home_dir, queries)
    searchers = open_index(home_dir, args.model, parse_overrides(args.overrides), args.models)
    started = time.perf_counter()
    scores = evaluate(searchers, queries)
    seconds = time.perf_counter() - started
    typed = sum(1 for q in queries if q.type)
    searched = searchers.fused.settings
    print(f"model {args.model}; fusion weights {searched.weights}, rrf_k {searched.rrf_k}; "
          f"{len(queries)} judged queries ({typed} with a class filter; "
          f"{len(all_queries) - len(queries)} absent topics left out); "
          f"{len(scores) * len(queries)} searches in {seconds:.1f} s; home {home_dir}\n")
    print(table(scores, queries, lambda q: True,
                "All queries (filter 'class' applies only to queries that name one)", split_groups()))
    print()
    print(table(scores, queries, lambda q: q.type is not None, "Queries with a class filter only", split_groups()))
    print()
    print(table(scores, queries, lambda q: True, "nDCG@10 by split and language, all queries",
                language_groups(), (f"nDCG@{K}",)))
    print()
    print("\n".join(goal_lines(scores, queries)))
    if args.json:
        per_query = [{"q": q.q, "lang": q.lang, "type": q.type, "split": q.split,
                      **{f"{r}/{'class' if f else 'none'}": rows[i] for (r, f), rows in scores.items()}}
                     for i, q in enumerate(queries)]
        per_query += [{"q": q.q, "lang": q.lang, "type": q.type, "split": q.split, "absent": True}
                      for q in all_queries if q.absent]
        args.json.write_text(json.dumps(per_query, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
