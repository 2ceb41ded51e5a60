"""Which BM25 tokenizer ranks the real graph better: CJK character unigrams + bigrams, or jieba words?

Builds the node texts of ../shared/data (ingested into a temporary home, or --home), indexes them with
each tokenizer, and prints nDCG@10 (graded, gain 2^rel - 1), Recall@10 and MRR@10 side by side, with
and without the query's class filter, plus build and query times. The judged queries are
bench/search_queries.jsonl where present, else a small built-in set.

    .venv/bin/python bench/bm25_tokenizers.py                 # about a minute
    .venv/bin/python bench/bm25_tokenizers.py --home /tmp/search-home
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.search.base import NodeText  # noqa: E402
from kg.search.lexical import BM25  # noqa: E402
from kg.search.texts import lexical_text, node_texts  # noqa: E402
from kg.store.home import Home  # noqa: E402

QUERIES = ROOT / "bench" / "search_queries.jsonl"
ID = "https://w3id.org/vetgraph/id/"
TOKENIZERS = ("char", "jieba")
K = 10

#: Used when bench/search_queries.jsonl is absent: (query, class or None, {IRI: grade 1-2}).
BUILT_IN: list[tuple[str, str | None, dict[str, int]]] = [
    ("新能源汽车维修", "Major", {ID + "major/500212": 2, ID + "major/700209": 2, ID + "major/460702": 1}),
    ("养老护理员", "Occupation", {ID + "occupation/4-10-01-05": 2}),
    ("大数据技术专业", None, {ID + "major/510205": 2, ID + "major/710205": 2, ID + "major/310205": 2}),
    ("工业机器人", "Major", {ID + "major/460305": 2, ID + "major/660303": 2}),
    ("学前教育", "Major", {ID + "major/570102K": 2, ID + "major/770101": 1}),
]


@dataclass(frozen=True)
class Judged:
    """One judged query."""

    q: str
    lang: str
    type: str | None
    relevant: dict[str, int]


def load_queries(path: Path) -> list[Judged]:
    """The eval engineer's judged queries (one JSON object a line; absent topics left out), or the built-in set."""
    if not path.exists():
        print(f"{path} not found: using {len(BUILT_IN)} built-in queries", file=sys.stderr)
        return [Judged(q, "zh", cls, rel) for q, cls, rel in BUILT_IN]
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Judged(r["q"], r.get("lang", "zh"), r.get("type"), {k: int(v) for k, v in r["relevant"].items()})
            for r in rows if r["relevant"]]


def ndcg(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** relevant.get(iri, 0) - 1) / math.log2(i + 2) for i, iri in enumerate(ranked[:k]))
    ideal = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(sorted(relevant.values(), reverse=True)[:k]))
    return dcg / ideal if ideal else 0.0


def recall(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def mrr(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    return next((1 / (i + 1) for i, iri in enumerate(ranked[:k]) if iri in relevant), 0.0)


def graph_texts(home_dir: Path | None, data: Path) -> list[NodeText]:
    """The node texts of a home, ingesting ../shared/data into a temporary one when none is given."""
    from kg.pipeline.run import ingest

    home = Home(home_dir or Path(tempfile.mkdtemp()) / "home")
    if home.is_empty():
        print(f"ingesting {data} ...", file=sys.stderr)
        ingest(home, [data])
    return node_texts(home.open_reader())


def run(texts: list[NodeText], queries: list[Judged], tokenizer: str) -> dict[str, object]:
    """Build one BM25 index and score every query with and without its class filter."""
    started = time.perf_counter()
    index = BM25(tokenizer)
    index.add_many((node.iri, lexical_text(node)) for node in texts)
    index.search("预热")  # compile the postings (and load jieba's dictionary) outside the query timing
    built = time.perf_counter() - started
    classes = {node.iri: node.cls for node in texts}
    scores: dict[tuple[bool, str], list[float]] = {}
    started = time.perf_counter()
    for use_filter in (False, True):
        for query in queries:
            keep: Callable[[str], bool] | None = None
            if use_filter and query.type:
                keep = lambda iri, wanted=query.type: classes.get(iri) == wanted  # noqa: E731
            ranked = [iri for iri, _ in index.search(query.q, top=K, allowed=keep)]
            for name, metric in (("nDCG", ndcg), ("R", recall), ("MRR", mrr)):
                scores.setdefault((use_filter, f"{name}/{query.lang}"), []).append(metric(ranked, query.relevant))
                scores.setdefault((use_filter, f"{name}/all"), []).append(metric(ranked, query.relevant))
    per_query = (time.perf_counter() - started) / (2 * len(queries)) * 1000
    return {"scores": {key: sum(v) / len(v) for key, v in scores.items()}, "build_s": built, "query_ms": per_query}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None, help="a home already holding the data (else a temp one)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    args = parser.parse_args()
    if args.home is None and not args.data.is_dir():
        sys.exit(f"real data not found: {args.data}")
    queries = load_queries(args.queries)
    texts = graph_texts(args.home, args.data)
    results = {tokenizer: run(texts, queries, tokenizer) for tokenizer in TOKENIZERS}
    langs = sorted({q.lang for q in queries}) + ["all"]
    counts = {lang: sum(1 for q in queries if lang in ("all", q.lang)) for lang in langs}
    print(f"{len(texts)} nodes, {len(queries)} judged queries ({sum(1 for q in queries if q.type)} name a class)\n")
    print(f"{'':<16}" + "".join(f" | {f'{lang} ({counts[lang]})':<20}" for lang in langs) + " | build  query")
    print(f"{'tokenizer filter':<16}" + " |   nDCG   R@10    MRR" * len(langs) + " |")
    for tokenizer, result in results.items():
        for use_filter in (False, True):
            cells = "".join(" | " + " ".join(f"{result['scores'][(use_filter, f'{m}/{lang}')]:>6.3f}"
                                             for m in ("nDCG", "R", "MRR")) for lang in langs)
            timing = f" | {result['build_s']:4.1f}s {result['query_ms']:4.1f}ms" if not use_filter else " |"
            print(f"{tokenizer:<9} {'class' if use_filter else 'none':<6}{cells}{timing}")

if __name__ == "__main__":
    main()
