"""Score hybrid search on the real graph against the judged queries in bench/search_queries.jsonl.

Builds (or reuses) a home with ../shared/data ingested and its search index, then runs every query
through BM25 alone, dense alone and the fusion, each with and without the query's class filter, and
prints nDCG@10 (graded, gain 2^rel - 1), Recall@10 and MRR@10 side by side for zh, en and all queries.

    .venv/bin/python bench/search_eval.py --model fake              # a minute: the harness end to end
    .venv/bin/python bench/search_eval.py --model e5 --home /tmp/vetgraph-eval-e5  # 20 min once, then 1 min
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
    """One judged query: its text, language, optional class filter and graded judgments (IRI -> 1 or 2)."""

    q: str
    lang: str
    type: str | None
    relevant: dict[str, int]


def load_queries(path: Path) -> list[Query]:
    """The judged queries, checked: a language, a known class, 1-2 grades."""
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        data = json.loads(line)
        query = Query(data["q"], data["lang"], data.get("type"), {k: int(v) for k, v in data["relevant"].items()})
        if query.lang not in ("zh", "en") or (query.type and query.type not in SEARCHABLE) or \
                not query.relevant or not set(query.relevant.values()) <= {1, 2}:
            sys.exit(f"{path}:{number}: bad judged query {data}")
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
def evaluate(searchers: Searchers, queries: list[Query]) -> dict[tuple[str, bool], list[dict[str, float]]]:
    """Per (retriever, filter) the metric values of every query, in query order."""
    scores: dict[tuple[str, bool], list[dict[str, float]]] = {}
    for retriever in RETRIEVERS:
        for use_filter in (False, True):
            rows = []
            for query in queries:
                ranked = run_query(searchers, query, retriever, use_filter)
                rows.append({name: metric(ranked, query.relevant) for name, metric in METRICS.items()})
            scores[(retriever, use_filter)] = rows
    return scores


def table(scores: dict[tuple[str, bool], list[dict[str, float]]], queries: list[Query],
          keep: Callable[[Query], bool], title: str) -> str:
    """One table: a row per retriever and filter, nDCG / R / MRR for zh, en and all side by side."""
    groups = {"zh": lambda q: q.lang == "zh", "en": lambda q: q.lang == "en", "all": lambda q: True}
    counts = {name: sum(1 for q in queries if keep(q) and test(q)) for name, test in groups.items()}
    head = f"{'retriever':<9} {'filter':<6}" + "".join(
        f" | {name + ' (' + str(counts[name]) + ')':<23}" for name in groups)
    sub = " " * 16 + "".join(" | " + " ".join(f"{m.split('@')[0]:>7}" for m in METRICS) for _ in groups)
    lines = [title, head, sub, "-" * len(sub)]
    for (retriever, use_filter), rows in scores.items():
        cells = []
        for test in groups.values():
            chosen = [row for row, q in zip(rows, queries) if keep(q) and test(q)]
            cells.append(" ".join(f"{mean(r[m] for r in chosen):>7.3f}" for m in METRICS))
        lines.append(f"{retriever:<9} {'class' if use_filter else 'none':<6}" + "".join(f" | {c}" for c in cells))
    return "\n".join(lines)


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
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"real data not found: {args.data}")
    home_dir = args.home or Path(tempfile.gettempdir()) / f"vetgraph-search-eval-{Path(args.model).name}"
    queries = load_queries(args.queries)
    prepare_home(home_dir, args.data)
    warn_unjudgeable(home_dir, queries)
    searchers = open_index(home_dir, args.model, parse_overrides(args.overrides), args.models)
    started = time.perf_counter()
    scores = evaluate(searchers, queries)
    seconds = time.perf_counter() - started
    typed = sum(1 for q in queries if q.type)
    searched = searchers.fused.settings
    print(f"model {args.model}; fusion weights {searched.weights}, rrf_k {searched.rrf_k}; "
          f"{len(queries)} queries ({typed} with a class filter); "
          f"{len(scores) * len(queries)} searches in {seconds:.1f} s; home {home_dir}\n")
    print(table(scores, queries, lambda q: True, "All queries (filter 'class' applies only to queries that name one)"))
    print()
    print(table(scores, queries, lambda q: q.type is not None, "Queries with a class filter only"))
    if args.json:
        per_query = [{"q": q.q, "lang": q.lang, "type": q.type,
                      **{f"{r}/{'class' if f else 'none'}": rows[i] for (r, f), rows in scores.items()}}
                     for i, q in enumerate(queries)]
        args.json.write_text(json.dumps(per_query, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
