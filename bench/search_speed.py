"""Time the search index: build throughput, warm query latency and peak memory as the graph grows, and cold start.

Scenarios, each in its own process so that each peak memory (ru_maxrss) is its own:

- real: ../shared/data ingested (or an ingested --home copied), the index built with --model; 200 queries
  from the judged set (sampled, repeated, three warm-ups) timed by BM25 alone, dense alone, the fusion,
  and the fusion with the query's class filter;
- synthetic, once per --scales factor (default 10 and 50): the same graph plus (scale - 1) recombined
  copies of every searchable node (labels and texts cut in half and joined to another node's other half;
  links to real parents kept), the same build and timings;
- e5: the real e5 model encoding 1,000 node texts sampled from the graph, beside --model on the same texts;
- cold start, when bench/search_cold.py is there: a fresh `vetgraph search` against a fresh `vetgraph
  stats` on the real scenario's home and index.

Ratios are against baselines measured in the same run: a BM25-only build over the same texts for the
index build, BM25-only latency for dense and fusion latency, the real graph's p50 for each synthetic p50
(goal: at most 2x at 50x), e5 for encoding, `vetgraph stats` for a cold search (goal: at most 2x).

    .venv/bin/python bench/search_speed.py --model static --models .vetgraph/models --skip-e5
    .venv/bin/python bench/search_speed.py --home /tmp/ingested --keep-homes /tmp/speed-homes   # reruns reuse the graphs
    .venv/bin/python bench/search_speed.py --model fake --scales 2 --queries-n 20 --skip-e5 --skip-cold   # a smoke run
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.search.base import SEARCHABLE
from kg.store.home import Home

QUERIES = ROOT / "bench" / "search_queries.jsonl"
COLD = ROOT / "bench" / "search_cold.py"  # another bench's measure_cold_start, used when it is there
TEXT_PROPERTIES = {  # literals recombined in synthetic copies; every other fact is copied as it is
    "http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2004/02/skos/core#definition", "http://www.w3.org/2000/01/rdf-schema#label",
    "https://w3id.org/vetgraph/ontology#text", "http://purl.org/dc/terms/description"}
SYNTHETIC_GRAPH = "https://w3id.org/vetgraph/graph/bench-synthetic/"
INSERT_BATCH = 40_000
LATENCY_MODES = ("bm25", "dense", "fusion", "fusion+class")
SCALE_GOAL = 2.0  # synthetic p50 / real p50 at the largest scale


def peak_mib() -> float:
    """This process's peak resident memory so far (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


# -- building homes --------------------------------------------------------------------------------
def ingest_real(home: Home, data: Path) -> float:
    """Ingest the real data into an empty home; the seconds it took."""
    from kg.pipeline.run import ingest

    started = time.perf_counter()
    ingest(home, [data])
    return time.perf_counter() - started


def copy_home(source: Path, home: Home) -> float:
    """Copy an ingested home (its store and snapshots, hard links kept; no index, no models); the seconds."""
    started = time.perf_counter()
    home.root.mkdir(parents=True)
    for part in ("oxigraph", "snapshots"):
        subprocess.run(["cp", "-a", str(source / part), str(home.root / part)], check=True)
    return time.perf_counter() - started


def recombined(value: str, other: str) -> str:
    """The first half of one text joined to the second half of another."""
    return value[: max(1, len(value) // 2)] + other[len(other) // 2:]


def synthetic_triples(home: Home, copies: int, seed: int = 0) -> Iterator[tuple[Any, Any, Any]]:
    """``copies`` recombined copies of every searchable node, as pyoxigraph triples."""
    from pyoxigraph import Literal, NamedNode

    classes = " ".join(f"vet:{name}" for name in SEARCHABLE)
    store = home.open_reader()
    class_rows = store.select(f"SELECT DISTINCT ?s ?c WHERE {{ ?s a ?c . VALUES ?c {{ {classes} }} }}")
    searchable = {row["s"]: row["c"] for row in class_rows}
    facts: dict[str, list[tuple[Any, Any]]] = {}
    pools: dict[tuple[str, str], list[str]] = {}  # (class, property) -> the texts to borrow halves from
    seen: set[tuple[str, str, str]] = set()
    for quad in store.quads():
        subject, predicate, value = quad.subject.value, quad.predicate, quad.object
        key = (subject, str(predicate), str(value))
        if subject not in searchable or key in seen:
            continue
        seen.add(key)
        facts.setdefault(subject, []).append((predicate, value))
        if predicate.value in TEXT_PROPERTIES and isinstance(value, Literal):
            pools.setdefault((searchable[subject], predicate.value), []).append(value.value)
    class_of = {s: next(o.value for p, o in fs if p.value.endswith("#type") and o.value.rsplit("#", 1)[-1] in
                        SEARCHABLE) for s, fs in facts.items()}
    rng = random.Random(seed)
    for copy in range(1, copies + 1):
        for subject, its_facts in facts.items():
            node = NamedNode(f"{subject}/synthetic-{copy}")
            for predicate, value in its_facts:
                pool = pools.get((class_of[subject], predicate.value))
                if pool and isinstance(value, Literal):
                    text = recombined(value.value, rng.choice(pool))
                    value = Literal(text, language=value.language) if value.language else Literal(text)
                yield node, predicate, value


def add_synthetic(home: Home, copies: int) -> tuple[int, float]:
    """Write the synthetic copies into the home in batches; (triples written, seconds).

    On the embedded store the batches go straight to pyoxigraph's bulk writer (``bulk_extend``, about
    5x faster than SPARQL INSERT DATA text, bench/scale.py), so that the 50x graph grows in minutes
    rather than an hour; elsewhere through ``replace_graph``. What is timed later (node texts, index
    build, queries) reads the store the same way either way.
    """
    from pyoxigraph import NamedNode, Quad

    started = time.perf_counter()
    batch: list[tuple[Any, Any, Any]] = []
    written = 0
    with home.writer() as store:
        raw = getattr(store, "_store", None)
        bulk = getattr(raw, "bulk_extend", None)

        def flush() -> int:
            graph = f"{SYNTHETIC_GRAPH}{written}"
            if bulk is None:
                return store.replace_graph(graph, batch)
            name = NamedNode(graph)
            bulk(Quad(s, p, o, name) for s, p, o in batch)
            return len(batch)

        for triple in synthetic_triples(home, copies):
            batch.append(triple)
            if len(batch) >= INSERT_BATCH:
                written += flush()
                batch = []
        if batch:
            written += flush()
    return written, time.perf_counter() - started


# -- one scenario ----------------------------------------------------------------------------------
def load_judged(path: Path) -> list[tuple[str, str | None]]:
    """(query text, class filter) of every judged query."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["q"], row.get("type")) for row in rows]


def time_queries(run: Callable[[str, str | None], Any], sample: list[tuple[str, str | None]]) -> list[float]:
    """Milliseconds per query, after three warm-up queries."""
    for text, kind in sample[:3]:
        run(text, kind)
    times = []
    for text, kind in sample:
        started = time.perf_counter()
        run(text, kind)
        times.append((time.perf_counter() - started) * 1000)
    return times


def index_scenario(args: argparse.Namespace, scale: int) -> dict[str, Any]:
    """Ingest (and grow) a home, build the index with args.model, time the build and the queries."""
    from kg.search.encoder import load_encoder
    from kg.search.index import SearchIndex
    from kg.search.lexical import BM25
    from kg.search.settings import SearchSettings
    from kg.search.texts import lexical_text, node_texts

    result: dict[str, Any] = {"scale": scale, "model": args.model}
    with tempfile.TemporaryDirectory(prefix="vetgraph-speed-") as tmp:
        home = Home(args.home_dir if args.home_dir else Path(tmp) / "home")
        marker = home.root / f"bench-scale-{scale}.json"  # the home is complete: a later run reuses it
        if marker.is_file():
            result.update(json.loads(marker.read_text(encoding="utf-8")), reused_home=True)
            shutil.rmtree(home.index, ignore_errors=True)
        else:
            shutil.rmtree(home.root, ignore_errors=True)
            made: dict[str, Any] = {}
            if args.home:
                made["copy_s"] = copy_home(args.home, home)
            else:
                made["ingest_s"] = ingest_real(home, args.data)
            if scale > 1:
                made["synthetic_triples"], made["synthetic_write_s"] = add_synthetic(home, scale - 1)
            marker.write_text(json.dumps(made), encoding="utf-8")
            result.update(made)
        if args.models.resolve() != home.models.resolve() and not home.models.exists():
            home.models.symlink_to(args.models.resolve())  # so that `vetgraph search` finds the model
        store = home.open_reader()
        encoder = load_encoder(args.model, args.models)
        result["encoder"] = f"{encoder.name} ({encoder.dim}d)"

        started = time.perf_counter()
        texts = node_texts(store)
        result["texts_s"] = time.perf_counter() - started
        started = time.perf_counter()
        BM25(SearchSettings().tokenizer).add_many((node.iri, lexical_text(node)) for node in texts)
        result["bm25_build_s"] = time.perf_counter() - started
        del texts

        settings = SearchSettings(model=args.model)
        index = SearchIndex(home.index, settings)
        report = index.refresh(store, encoder, progress=_progress(f"scale {scale}: chunks embedded"))
        result.update(nodes=report.nodes, chunks=report.chunks, build_s=report.seconds,
                      dense=f"{report.dense_kind} {report.dense_backend}")
        dense_only = SearchIndex(home.index, settings.replace(weights={"dense": 1.0, "bm25": 0.0}))

        judged = load_judged(args.queries)
        sample = [judged[i % len(judged)] for i in range(args.queries_n)]
        random.Random(1).shuffle(sample)
        runs: dict[str, Callable[[str, str | None], Any]] = {
            "bm25": lambda q, t: index.search(q, None, top=10),
            "dense": lambda q, t: dense_only.search(q, encoder, top=10),
            "fusion": lambda q, t: index.search(q, encoder, top=10),
            "fusion+class": lambda q, t: index.search(q, encoder, top=10, types=[t] if t else None)}
        result["latency_ms"] = {}
        for mode in LATENCY_MODES:
            times = time_queries(runs[mode], sample)
            result["latency_ms"][mode] = {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95),
                                          "mean": sum(times) / len(times)}
            print(f"  scale {scale}: {mode} p50 {result['latency_ms'][mode]['p50']:.1f} ms", file=sys.stderr,
                  flush=True)
    result["peak_mib"] = peak_mib()
    return result


def encode_scenario(args: argparse.Namespace) -> dict[str, Any]:
    """e5 and args.model encoding the same 1,000 node texts as passages (one warm-up batch first)."""
    from kg.search.encoder import load_encoder
    from kg.search.texts import embedded_text, node_texts

    with tempfile.TemporaryDirectory(prefix="vetgraph-speed-") as tmp:
        home = Home(Path(tmp) / "home")
        ingest_real(home, args.data)
        nodes = node_texts(home.open_reader())
    texts = [embedded_text(node) for node in random.Random(2).sample(nodes, min(args.e5_texts, len(nodes)))]
    result: dict[str, Any] = {"texts": len(texts), "mean_chars": sum(map(len, texts)) / len(texts)}
    specs = ["e5"] + ([args.model] if args.model != "e5" else [])
    for spec in specs:
        started = time.perf_counter()
        encoder = load_encoder(spec, args.models)
        loaded = time.perf_counter() - started
        encoder.encode_passages(texts[:32])
        started = time.perf_counter()
        encoder.encode_passages(texts)
        seconds = time.perf_counter() - started
        result[spec] = {"name": encoder.name, "load_s": loaded, "encode_s": seconds,
                        "texts_per_s": len(texts) / seconds}
    result["peak_mib"] = peak_mib()
    return result


def _progress(label: str) -> Callable[[int, int], None]:
    last = [0.0]

    def report(done: int, total: int) -> None:
        if time.perf_counter() - last[0] >= 10 or done == total:
            last[0] = time.perf_counter()
            print(f"  {label}: {done}/{total}", file=sys.stderr, flush=True)

    return report


# -- the report ------------------------------------------------------------------------------------
def run_child(args: argparse.Namespace, scenario: str, scale: int = 1, home_dir: Path | None = None
              ) -> dict[str, Any]:
    """Run one scenario in a fresh interpreter and read its JSON from the last line of stdout."""
    command = [sys.executable, str(Path(__file__).resolve()), "--scenario", scenario, "--model", args.model,
               "--models", str(args.models), "--data", str(args.data), "--queries", str(args.queries),
               "--queries-n", str(args.queries_n), "--scale", str(scale), "--e5-texts", str(args.e5_texts)]
    if args.home:
        command += ["--home", str(args.home)]
    if home_dir:
        command += ["--home-dir", str(home_dir)]
    label = scenario if scenario != "index" else ("real" if scale == 1 else f"synthetic x{scale}")
    print(f"{label}: running ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{label}: failed with exit status {done.returncode}")
    print(f"{label}: done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_index(runs: list[dict[str, Any]], queries_n: int) -> None:
    """The build and latency tables, with their ratios."""
    real = runs[0]
    print(f"Index build and queries, model {real['model']} = {real['encoder']}")
    rows = [("real" if r["scale"] == 1 else f"synthetic x{r['scale']}", r) for r in runs]
    print(f"{'graph':<14} {'nodes':>9} {'chunks':>9} {'dense':>12} {'build s':>8} {'nodes/s':>8} "
          f"{'texts s':>7} {'BM25-only s':>11} {'build/BM25':>10} {'peak MiB':>9}")
    for name, r in rows:
        print(f"{name:<14} {r['nodes']:>9,} {r['chunks']:>9,} {r['dense']:>12} {r['build_s']:>8.1f} "
              f"{r['nodes'] / r['build_s']:>8,.0f} {r['texts_s']:>7.1f} {r['bm25_build_s']:>11.1f} "
              f"{r['build_s'] / r['bm25_build_s']:>10.1f} {r['peak_mib']:>9,.0f}")
    print(f"\nWarm query latency over {queries_n} queries each (ms); x BM25 = p50 / the same graph's BM25-only "
          "p50, x real = p50 / the real graph's p50 of the same retriever")
    print(f"{'graph':<14} {'retriever':<13} {'p50':>8} {'p95':>8} {'mean':>8} {'x BM25':>7} {'x real':>7}")
    for name, r in rows:
        base = r["latency_ms"]["bm25"]["p50"]
        for mode in LATENCY_MODES:
            lat = r["latency_ms"][mode]
            print(f"{name:<14} {mode:<13} {lat['p50']:>8.1f} {lat['p95']:>8.1f} {lat['mean']:>8.1f} "
                  f"{lat['p50'] / base:>7.1f} {lat['p50'] / real['latency_ms'][mode]['p50']:>7.2f}")
    for name, r in rows[1:]:
        ratio = r["latency_ms"]["fusion"]["p50"] / real["latency_ms"]["fusion"]["p50"]
        goal = f" (goal <= {SCALE_GOAL:g}x: {'PASS' if ratio <= SCALE_GOAL else 'FAIL'})" if r is rows[-1][1] else ""
        print(f"\n{name} / real: {r['nodes'] / real['nodes']:.1f}x nodes, fusion p50 {ratio:.2f}x{goal}, "
              f"fusion+class p50 {r['latency_ms']['fusion+class']['p50'] / real['latency_ms']['fusion+class']['p50']:.2f}x, "
              f"build throughput {r['nodes'] / r['build_s'] / (real['nodes'] / real['build_s']):.2f}x, "
              f"peak memory {r['peak_mib'] / real['peak_mib']:.1f}x "
              f"({r['synthetic_triples']:,} synthetic triples written in {r['synthetic_write_s']:.0f} s"
              f"{', home reused' if r.get('reused_home') else ''})", end="")
    print()


def print_encode(enc: dict[str, Any], model: str) -> None:
    """The encoding table: texts/s of e5 and of the chosen model on the same texts."""
    print(f"\nEncoding {enc['texts']} node texts (mean {enc['mean_chars']:.0f} characters) as passages")
    print(f"{'model':<12} {'name':<28} {'load s':>7} {'encode s':>9} {'texts/s':>8} {'ratio':>6}")
    base = enc["e5"]["texts_per_s"]
    for spec in dict.fromkeys(("e5", model)):
        r = enc[spec]
        print(f"{spec:<12} {r['name']:<28} {r['load_s']:>7.1f} {r['encode_s']:>9.1f} {r['texts_per_s']:>8.1f} "
              f"{r['texts_per_s'] / base:>6.1f}")
    print(f"peak memory {enc['peak_mib']:,.0f} MiB (ratio = texts/s against e5)")


def cold_start(home: Path, queries: list[str], repeats: int) -> dict[str, Any] | None:
    """bench/search_cold.py's measure_cold_start on a home, when that file is there (None otherwise)."""
    if not COLD.is_file():
        return None
    spec = importlib.util.spec_from_file_location("search_cold", COLD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result: dict[str, Any] = module.measure_cold_start(home, queries, repeats)
    return result


def print_cold(cold: dict[str, Any], model: str) -> None:
    print(f"\nCold start (fresh processes, median of {len(cold['search_runs'])} searches; model {model}): "
          f"`vetgraph search` {cold['search_s']:.2f} s, `vetgraph stats` {cold['stats_s']:.2f} s, ratio "
          f"{cold['ratio']:.2f}x (goal <= 2x: {'PASS' if cold['ratio'] <= 2 else 'FAIL'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="static", help="encoder for the index: static (default), fake, e5 "
                        "or a folder")
    parser.add_argument("--models", type=Path, default=Home.at().models,
                        help="models folder (e5 is built there at first use; static must have been distilled "
                             "there with `vetgraph model distill`); default: the home's models/")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--home", type=Path, help="an ingested home to copy instead of ingesting --data "
                        "(left as it is)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--queries-n", type=int, default=200, help="timed queries per retriever")
    parser.add_argument("--scales", default="10,50", help="synthetic graphs, this many times the real one")
    parser.add_argument("--e5-texts", type=int, default=1000)
    parser.add_argument("--cold-repeats", type=int, default=3, help="cold searches per query (3 queries)")
    parser.add_argument("--keep-homes", type=Path, help="keep the ingested (and grown) homes here, one a scale, "
                        "and reuse them in later runs (the index is always built afresh)")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--skip-e5", action="store_true")
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--scenario", choices=("index", "e5"), help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--home-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.data.is_dir() and not args.home:
        sys.exit(f"real data not found: {args.data}")
    if args.home and not Home(args.home).current_snapshot():
        sys.exit(f"no ingested store in {args.home}")
    if args.scenario == "index":
        print(json.dumps(index_scenario(args, args.scale)))
        return
    if args.scenario == "e5":
        print(json.dumps(encode_scenario(args)))
        return
    scales = [] if args.skip_synthetic else [int(s) for s in args.scales.split(",") if s.strip()]
    workdir = Path(tempfile.mkdtemp(prefix="vetgraph-speed-"))
    try:
        def home_dir(scale: int) -> Path | None:
            if args.keep_homes:
                return args.keep_homes / f"x{scale}"
            return workdir / "real" if scale == 1 and not args.skip_cold else None

        real_home = home_dir(1) or workdir / "real"
        runs = [run_child(args, "index", 1, home_dir(1))]
        runs += [run_child(args, "index", scale, home_dir(scale)) for scale in scales]
        encoded = None if args.skip_e5 else run_child(args, "e5")
        cold = None
        if not args.skip_cold:
            queries = list(dict.fromkeys(q for q, _ in load_judged(args.queries)))[:3]
            print("cold start: running ...", file=sys.stderr, flush=True)
            cold = cold_start(real_home, queries, args.cold_repeats)
        print()
        print_index(runs, args.queries_n)
        if encoded:
            print_encode(encoded, args.model)
        if cold:
            print_cold(cold, args.model)
        elif not args.skip_cold:
            print(f"\nCold start: not measured ({COLD.relative_to(ROOT)} is missing)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
