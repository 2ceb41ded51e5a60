"""Projection build time and memory on the real data and on a synthetic graph 10x its size.

Measured in one run:

- **real**: ``kg.graph.projection.project`` on the home's snapshot (SPARQL selects through the store
  protocol, then the networkx graph), against its **baseline**, the same SELECT queries run alone
  (reading the rows, building nothing): the ratio is what the graph itself adds. Peak Python memory
  (tracemalloc) of each, the pickle's size and the time to load it (what every later command pays).
- **synthetic**: the projection's nodes and edges copied ``--copies`` times with renamed IRIs, in memory,
  built into one networkx graph; its baseline is the same build from one copy, so the ratio says how
  the build scales (10 is linear). Then an explain (best paths) and a similar-majors query on each.

    .venv/bin/python bench/graph_projection.py                      # ingests ../shared/data into a temp home
    .venv/bin/python bench/graph_projection.py --home /tmp/g15/home  # a home that already holds it
"""

from __future__ import annotations

import argparse
import gc
import pickle
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx

from kg.graph import projection as P
from kg.graph.paths import best_paths
from kg.graph.similar import similar_majors
from kg.store.home import Home

QUERIES = ("NODES", "PROVISION_TITLES", "LEVELS", "STANDARD_COURSES", "MENTIONS", "STATEMENTS", "ALIGNMENTS",
           "EVIDENCE")


def measure(action: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, peak MiB of Python allocations)."""
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def best_of(runs: int, action: Callable[[], Any]) -> tuple[Any, float, float]:
    """The fastest of ``runs`` timed runs (memory from the first: it does not change between runs)."""
    result, seconds, peak = measure(action)
    for _ in range(runs - 1):
        started = time.perf_counter()
        result = action()
        seconds = min(seconds, time.perf_counter() - started)
    return result, seconds, peak


def copies_of(graph: nx.Graph, copies: int) -> tuple[list[tuple[str, dict]], list[tuple[str, str, dict]]]:
    """Nodes and edges of ``copies`` renamed copies of ``graph`` (copy 0 keeps its IRIs)."""
    nodes, edges = [], []
    for copy in range(copies):
        suffix = f"#copy-{copy}" if copy else ""
        nodes += [(n + suffix, data) for n, data in graph.nodes(data=True)]
        edges += [(a + suffix, b + suffix, data) for a, b, data in graph.edges(data=True)]
    return nodes, edges


def build(nodes: list[tuple[str, dict]], edges: list[tuple[str, str, dict]]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph


def queries(graph: nx.Graph) -> tuple[float, float]:
    """Seconds of one explain (清洁能源 → any major) and one similar-majors query (460702)."""
    sources = [n for n, data in graph.nodes(data=True) if data.get("label") == "清洁能源"]
    majors = [n for n, kind in graph.nodes(data="kind") if kind == "Major"]
    started = time.perf_counter()
    best_paths(graph, sources, majors, max_hops=4, top=3)
    explain = time.perf_counter() - started
    graph.graph.pop("vetgraph_major_features", None)
    started = time.perf_counter()
    similar_majors(graph, "https://w3id.org/vetgraph/id/major/460702")
    return explain, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=None, help="a home holding the real data (else ingest --data)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each step; the fastest is kept")
    args = parser.parse_args()
    home = Home(args.home) if args.home else None
    if home is None or home.is_empty():
        if not args.data.exists():
            sys.exit(f"no data at {args.data}: give --data or --home")
        from kg.pipeline.run import ingest

        home = home or Home(Path(tempfile.mkdtemp(prefix="vetgraph-graph-bench-")) / "home")
        print(f"ingesting {args.data} into {home.root} …", file=sys.stderr)
        ingest(home, [args.data])
    store = home.open_reader()

    _, base_s, base_mb = best_of(args.runs, lambda: [store.select(getattr(P, name)) for name in QUERIES])
    graph, real_s, real_mb = best_of(args.runs, lambda: P.project(store))
    blob = pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL)
    _, load_s, _ = best_of(args.runs, lambda: pickle.loads(blob))
    explain_s, similar_s = queries(graph)
    rows = [("real", graph.number_of_nodes(), graph.number_of_edges(), real_s, real_mb, base_s, base_mb,
             real_s / base_s, len(blob) / 2**20, load_s, explain_s, similar_s)]

    one = copies_of(graph, 1)
    many = copies_of(graph, args.copies)
    _, one_s, one_mb = best_of(args.runs, lambda: build(*one))
    big, big_s, big_mb = best_of(args.runs, lambda: build(*many))
    blob = pickle.dumps(big, protocol=pickle.HIGHEST_PROTOCOL)
    _, big_load_s, _ = best_of(1, lambda: pickle.loads(blob))
    big_explain_s, big_similar_s = queries(big)
    rows.append((f"synthetic {args.copies}x", big.number_of_nodes(), big.number_of_edges(), big_s, big_mb, one_s,
                 one_mb, big_s / one_s, len(blob) / 2**20, big_load_s, big_explain_s, big_similar_s))

    print("| graph | nodes | edges | build s | build peak MiB | baseline s | baseline peak MiB | ratio | "
          "pickle MiB | load s | explain s | similar s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        name, nodes, edges, *figures = row
        print(f"| {name} | {nodes:,} | {edges:,} | " + " | ".join(f"{x:.2f}" for x in figures) + " |")
    print(f"baseline: real = the projection's SELECT queries alone; synthetic = the same build from one copy "
          f"({args.runs} runs each, fastest kept)", file=sys.stderr)


if __name__ == "__main__":
    main()
