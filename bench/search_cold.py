"""Time a cold `vetgraph search` against a cold `vetgraph stats` on the same home (goal: at most 2x).

Each run is a fresh interpreter (a subprocess, as a person typing the command gets), repeated and
summarised by its median; stats and search runs alternate so that a busy machine slows both alike.
Also times `vetgraph --help` and `vetgraph sparql`, which must stay as quick as stats, and with
--sentence-transformers the same searches on the sentence-transformers encoder (the path before the
light encoder) for comparison.

    .venv/bin/python bench/search_cold.py --home /tmp/vetgraph-eval-e5 --repeats 5 --sentence-transformers
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["新能源汽车维修", "elderly care certificate", "校企合作"]
SPARQL = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"  # the start, not a query's cost
#: vetgraph with load_encoder swapped for the sentence-transformers encoder (what every search loaded before).
SENTENCE_TRANSFORMERS_CLI = """
import sys
import kg.search.encoder as encoder
from kg.search.models import resolve_model

def load_sentence_transformers(spec, models_dir, **options):
    if spec.strip() == encoder.FAKE_SPEC:
        return encoder.FakeEncoder()
    return encoder.SentenceTransformerEncoder(resolve_model(spec, models_dir), **options)

encoder.load_encoder = load_sentence_transformers
sys.argv[0] = "vetgraph"
from kg.cli.main import main
main()
"""


def vetgraph_command() -> list[str]:
    """The vetgraph console script beside this interpreter, else `python -m kg.cli.main`."""
    script = Path(sys.executable).with_name("vetgraph")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "kg.cli.main"]


def time_command(arguments: list[str], home: Path | None, command: list[str] | None = None) -> float:
    """Wall seconds of one vetgraph invocation in a fresh process; a failure raises with its stderr."""
    store = ["--store", str(home)] if home is not None else []
    started = time.perf_counter()
    done = subprocess.run([*(command or vetgraph_command()), *store, *arguments], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"vetgraph {' '.join(arguments)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return seconds


def measure_cold_start(home: Path, queries: list[str], repeats: int, *,
                       search_command: list[str] | None = None) -> dict[str, Any]:
    """Median cold wall seconds of `stats` and of `search QUERY` (each query, repeats times) and their ratio.

    Runs alternate stats / search so that load from other processes falls on both; one warm-up run of
    each first fills the page cache (a "cold" start here is a fresh interpreter, not a cold disk).
    search_command replaces the vetgraph command for the searches (the sentence-transformers baseline).
    """
    if not queries or repeats < 1:
        raise ValueError("need at least one query and one repeat")
    time_command(["stats"], home)
    time_command(["search", queries[0]], home, search_command)
    stats: list[float] = []
    search: list[float] = []
    for _ in range(repeats):
        for query in queries:
            stats.append(time_command(["stats"], home))
            search.append(time_command(["search", query], home, search_command))
    stats_median, search_median = statistics.median(stats), statistics.median(search)
    return {"home": str(home), "queries": queries, "repeats": repeats,
            "stats_s": round(stats_median, 3), "search_s": round(search_median, 3),
            "ratio": round(search_median / stats_median, 2),
            "stats_runs": [round(s, 3) for s in stats], "search_runs": [round(s, 3) for s in search]}


def measure_other_commands(home: Path, repeats: int) -> dict[str, float]:
    """Median cold wall seconds of `vetgraph --help` and of a one-row SPARQL query."""
    return {"help_s": round(statistics.median(time_command(["--help"], None) for _ in range(repeats)), 3),
            "sparql_s": round(statistics.median(time_command(["sparql", SPARQL], home) for _ in range(repeats)), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="An ingested home with a search index.")
    parser.add_argument("--repeats", type=int, default=5, help="Runs of each query (and as many of stats).")
    parser.add_argument("--query", action="append", help="A query (repeatable); default: three fixed ones.")
    parser.add_argument("--sentence-transformers", action="store_true",
                        help="Also time the searches on the sentence-transformers encoder (the old path).")
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures to this file.")
    args = parser.parse_args()
    result = measure_cold_start(args.home, args.query or QUERIES, args.repeats)
    result.update(measure_other_commands(args.home, max(3, args.repeats // 2)))
    print(f"cold stats  {result['stats_s']:.2f} s (median of {len(result['stats_runs'])})")
    print(f"cold search {result['search_s']:.2f} s (median of {len(result['search_runs'])})")
    print(f"ratio search / stats {result['ratio']:.2f}x (goal <= 2x)")
    print(f"--help {result['help_s']:.2f} s, sparql {result['sparql_s']:.2f} s")
    if args.sentence_transformers:
        baseline = measure_cold_start(args.home, args.query or QUERIES, max(1, args.repeats // 2),
                                      search_command=[sys.executable, "-c", SENTENCE_TRANSFORMERS_CLI])
        result["sentence_transformers"] = baseline
        print(f"sentence-transformers: cold search {baseline['search_s']:.2f} s, stats {baseline['stats_s']:.2f} s, "
              f"ratio {baseline['ratio']:.2f}x")
    if args.json is not None:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
