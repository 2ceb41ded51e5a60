"""Ingest and query VETgraph at national scale: 10^5, 10^6 (and 10^7) triples of generated source files.

For each size, bench/scale_corpus.py writes colleges x majors x course standards, catalogues and
provincial policies as the files the real ingest reads; each scenario then runs in a fresh process
(so its peak memory, resource.getrusage ru_maxrss, is its own) on a fresh home:

- **ingest, 1 and 2 workers**: kg.pipeline.run.ingest(workers=N) end to end (detection, parsing,
  one writer, the resolution steps, the snapshot): triples/s, the speed-up of 2 processes over 1,
  the writer's seconds per file in the first and the last tenth of the files, the store's size on
  disk, the writer's and the parse workers' peak memory; then the README's `vetgraph sparql` examples
  through the store protocol (first run and median of the next ``--repeats``);
- **baseline, in the same run**: rdflib's in-memory Dataset loading the same quads as N-Quads and
  answering the same queries (up to ``--rdflib-max`` triples; above it, skipped with a note), and
  pyoxigraph's bulk loader on the same N-Quads (the floor for the writer);
- **Oxigraph server** (``--oxigraph-server``, or ``--store-url URL`` for one already running): the
  same ingest into a home whose store.json points at the server, and the same queries.

    nice -n 10 .venv/bin/python bench/scale.py --triples 1e5,1e6
    nice -n 10 .venv/bin/python bench/scale.py --triples 1e7 --rdflib-max 0 --workers 2
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

QUERY_LINE = re.compile(r'^vetgraph sparql "(?P<query>[^"]+)"', re.MULTILINE)


def readme_queries() -> list[str]:
    """The `vetgraph sparql` examples of the README's "Command line" section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    return [m.group("query") for m in QUERY_LINE.finditer(section)]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_peak_mib(_: int) -> float:
    time.sleep(0.2)  # so each worker of the pool gets one of these
    return _peak_mib()


def _disk_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _time_queries(run, queries: list[str], repeats: int) -> list[dict[str, float | int]]:
    timings = []
    for query in queries:
        started = time.perf_counter()
        rows = run(query)
        first = time.perf_counter() - started
        seconds = []
        for _ in range(repeats):
            started = time.perf_counter()
            run(query)
            seconds.append(time.perf_counter() - started)
        timings.append({"first_ms": first * 1000, "median_ms": statistics.median(seconds) * 1000, "rows": rows})
    return timings


# -- scenarios, each in its own process ---------------------------------------------------------------
def scenario_ingest(args: argparse.Namespace) -> dict[str, object]:
    from pyoxigraph import RdfFormat, serialize

    from kg.pipeline.pool import process_pool
    from kg.pipeline.run import ingest
    from kg.store.home import Home

    home = Home(args.home)
    if args.store_url:
        home.root.mkdir(parents=True, exist_ok=True)
        (home.root / "store.json").write_text(json.dumps({"backend": "remote", "flavour": "oxigraph",
                                                          "url": args.store_url}), encoding="utf-8")
    pool = process_pool(args.workers) if args.workers > 1 else None
    started = time.perf_counter()
    report = ingest(home, [args.data], workers=args.workers, executor=pool)
    seconds = time.perf_counter() - started
    workers_peak = max(pool.map(_worker_peak_mib, range(4 * args.workers))) if pool else 0.0
    if pool:
        pool.shutdown()
    files = [f for f in report.files if f.status == "added"]
    standards = [f.seconds for f in files if f.kind == "course-standard"] or [0.0]
    tenth = max(1, len(standards) // 10)
    reader = home.open_reader() if not args.store_url else _remote_reader(home)

    def run(query: str) -> int:
        return int(reader.ask(query)) if query.lstrip().upper().startswith("ASK") else len(reader.select(query))

    queries = _time_queries(run, readme_queries(), args.repeats)
    result: dict[str, object] = {
        "seconds": seconds, "files": len(files), "rejected": report.count("rejected"),
        "triples": sum(f.triples for f in report.files), "quads": len(reader),
        "file_seconds_first": statistics.mean(standards[:tenth]),
        "file_seconds_last": statistics.mean(standards[-tenth:]),
        "disk_mib": _settled_disk_mib(home.db) if home.db.exists() else None,
        "peak_mib": _peak_mib(), "workers_peak_mib": workers_peak, "queries": queries,
    }
    if args.dump:
        with open(args.dump, "wb") as handle:
            handle.write(serialize(reader.quads(), format=RdfFormat.N_QUADS))
    return result


def _settled_disk_mib(db: Path) -> float:
    """The primary's size once reopened: RocksDB keeps write-ahead logs a writer no longer needs until
    the next open removes them (at 10^6 triples 1.2 GiB at close, a third of it after)."""
    from pyoxigraph import Store

    Store(str(db)).flush()
    return _disk_mib(db)


def _remote_reader(home):
    from kg.store.factory import REMOTE_BACKEND, open_store

    return open_store(REMOTE_BACKEND, settings=home.remote_settings(), read_only=True)


def scenario_rdflib(args: argparse.Namespace) -> dict[str, object]:
    from rdflib import Dataset

    from kg.core.terms import with_prologue

    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(args.dump, format="nquads")
    seconds = time.perf_counter() - started

    def run(query: str) -> int:
        answer = dataset.query(with_prologue(query))
        return int(bool(answer.askAnswer)) if answer.type == "ASK" else sum(1 for _ in answer)

    return {"seconds": seconds, "quads": len(dataset), "peak_mib": _peak_mib(),
            "queries": _time_queries(run, readme_queries(), args.repeats)}


def scenario_bulk(args: argparse.Namespace) -> dict[str, object]:
    from pyoxigraph import RdfFormat, Store

    from kg.store.factory import open_store

    store = Store(str(args.home))
    started = time.perf_counter()
    store.bulk_load(path=str(args.dump), format=RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - started
    quads = len(store)
    del store
    reader = open_store("oxigraph", path=args.home, read_only=True)

    def run(query: str) -> int:
        return int(reader.ask(query)) if query.lstrip().upper().startswith("ASK") else len(reader.select(query))

    return {"seconds": seconds, "quads": quads, "disk_mib": _disk_mib(args.home), "peak_mib": _peak_mib(),
            "queries": _time_queries(run, readme_queries(), args.repeats)}


def scenario_parse(args: argparse.Namespace) -> dict[str, object]:
    """Parsing alone (no writer), in this process or a pool; with --dump, the quads as N-Quads, one graph a file."""
    from pyoxigraph import NamedNode, Quad, RdfFormat, serialize

    from kg.core import iris
    from kg.pipeline.parse import ParseTask
    from kg.pipeline.pool import parse_in_order
    from kg.pipeline.run import discover

    tasks = [ParseTask(str(p), str(p.resolve())) for p, _ in discover([args.data])]
    started = time.perf_counter()
    triples = files = 0
    with open(args.dump, "wb") if args.dump else contextlib.nullcontext() as handle:
        for parsed in parse_in_order(tasks, workers=args.workers):
            if parsed.result is None:
                continue
            files += 1
            triples += len(parsed.result.triples)
            if handle:
                graph = NamedNode(iris.source_graph(parsed.task.resolved, parsed.sha256, parsed.parser_version))
                handle.write(serialize((Quad(s, p, o, graph) for s, p, o in parsed.result.triples),
                                       format=RdfFormat.N_QUADS))
    return {"seconds": time.perf_counter() - started, "files": files, "triples": triples, "quads": triples,
            "peak_mib": _peak_mib()}


SCENARIOS = {"ingest": scenario_ingest, "rdflib": scenario_rdflib, "bulk": scenario_bulk, "parse": scenario_parse}


def run_scenario(name: str, *options: str) -> dict[str, object]:
    """One scenario in a fresh interpreter; its JSON result."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, __file__, "--scenario", name, "--json", out.name, *options], check=True)
        return json.loads(Path(out.name).read_text(encoding="utf-8"))


# -- the Oxigraph server --------------------------------------------------------------------------------
def start_oxigraph_server(location: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, url
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"oxigraph serve did not start on port {port}")


# -- printing ----------------------------------------------------------------------------------------
def print_size(label: str, generated: dict[str, int], gen_seconds: float, results: dict[str, dict], notes: list[str],
               queries: list[str]) -> None:
    print(f"\n## {label}: {generated['course standards']} course standards in {generated['colleges']} colleges, "
          f"{generated['majors']} majors, {generated['certificates']} certificates, {generated['policies']} policies "
          f"(generated in {gen_seconds:.0f} s)")
    print("triples: from the files (ingest) or loaded (baselines); quads: in the store, derived and system graphs too;")
    print("s/file: seconds per course standard (parse + write), first and last tenth of them")
    print(f"{'scenario':<22} {'triples':>10} {'quads':>10} {'seconds':>8} {'triples/s':>10} {'s/file 1st':>10} "
          f"{'s/file last':>11} {'disk MiB':>9} {'peak MiB':>9} {'workers MiB':>11}")
    for name, r in results.items():
        triples = r.get("triples", r["quads"])
        rate = triples / r["seconds"]
        first = f"{r['file_seconds_first']:.4f}" if "file_seconds_first" in r else ""
        last = f"{r['file_seconds_last']:.4f}" if "file_seconds_last" in r else ""
        disk = f"{r['disk_mib']:.0f}" if r.get("disk_mib") is not None else ""
        workers = f"{r['workers_peak_mib']:.0f}" if r.get("workers_peak_mib") else ""
        print(f"{name:<22} {triples:>10,} {r['quads']:>10,} {r['seconds']:>8.1f} {rate:>10,.0f} {first:>10} {last:>11} "
              f"{disk:>9} {r['peak_mib']:>9.0f} {workers:>11}")
    for one, two in (("ingest, 1 worker", "ingest, 2 workers"), ("parse only, 1 w", "parse only, 2 w")):
        if one in results and two in results:
            print(f"speed-up of 2 parse processes over 1, {one.split(',')[0]}: "
                  f"{results[one]['seconds'] / results[two]['seconds']:.2f}x")
    timed = {name: r["queries"] for name, r in results.items() if "queries" in r}
    if timed:
        print("\nquery latency, ms (first run / median of the next ones); rows answered")
        print(f"{'':<4}" + "".join(f"{name:>24}" for name in timed) + f"{'rows':>8}")
        for n in range(len(queries)):
            cells = "".join(f"{t[n]['first_ms']:>13.1f} /{t[n]['median_ms']:>9.1f}" for t in timed.values())
            rows = sorted({t[n]["rows"] for t in timed.values()})
            print(f"q{n + 1:<3}{cells}{'/'.join(str(r) for r in rows):>8}")
        base = timed.get("rdflib Dataset")
        ours = timed.get("ingest, 1 worker") or timed.get("oxigraph bulk_load")
        if base and ours:
            ratios = ", ".join(f"q{n + 1} {b['median_ms'] / max(o['median_ms'], 1e-3):.0f}x"
                               for n, (b, o) in enumerate(zip(base, ours)))
            print(f"rdflib median / embedded Oxigraph median: {ratios}")
    for note in notes:
        print("note:", note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", default="1e5,1e6", help="comma-separated sizes, e.g. 1e5,1e6,1e7")
    parser.add_argument("--workers", default="1,2", help="worker counts to ingest with (default 1,2)")
    parser.add_argument("--rdflib-max", type=float, default=2e6, help="largest size rdflib is tried at")
    parser.add_argument("--ingest-max", type=float, default=1e8,
                        help="above this size, parse and bulk-load only")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each query after the first")
    parser.add_argument("--oxigraph-server", action="store_true", help="also ingest into a local `oxigraph serve`")
    parser.add_argument("--store-url", default=None, help="also ingest into this Oxigraph server (emptied first!)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the data and homes in this folder")
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scenario:
        args.workers = int(args.workers.split(",")[0])
        result = SCENARIOS[args.scenario](args)
        args.json.write_text(json.dumps(result), encoding="utf-8")
        return

    from scale_corpus import generate

    queries = readme_queries()
    print("README queries:", *(f"  q{n + 1}: {q}" for n, q in enumerate(queries)), sep="\n")
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    workers = [int(w) for w in args.workers.split(",")]
    work = args.keep or Path(tempfile.mkdtemp(prefix="vetgraph-scale-"))
    rdflib_kib_per_quad = 0.0
    try:
        for size in (int(float(s)) for s in args.triples.split(",")):
            folder = work / f"t{size:.0e}".replace("+", "")
            shutil.rmtree(folder, ignore_errors=True)
            started = time.perf_counter()
            generated = generate(folder / "data", size)
            gen_seconds = time.perf_counter() - started
            dump = folder / "dump.nq"
            results: dict[str, dict] = {}
            notes: list[str] = []
            ingest_it = size <= args.ingest_max
            for n in workers:
                dumping = ["--dump", str(dump)] if n == workers[-1] else []
                if ingest_it:
                    results[f"ingest, {n} worker{'s' if n > 1 else ''}"] = run_scenario(
                        "ingest", "--data", str(folder / "data"), "--home", str(folder / f"home-{n}"),
                        "--workers", str(n), "--repeats", str(args.repeats), *dumping)
                results[f"parse only, {n} w"] = run_scenario("parse", "--data", str(folder / "data"),
                                                             "--workers", str(n), *([] if ingest_it else dumping))
            if not ingest_it:
                notes.append(f"not ingested above {args.ingest_max:g} triples (--ingest-max): "
                             "the bulk_load row loads the parsed files' quads (no derived graphs) and answers the queries")
            results["oxigraph bulk_load"] = run_scenario("bulk", "--dump", str(dump), "--home", str(folder / "bulk"),
                                                         "--repeats", str(args.repeats))
            if size <= args.rdflib_max:
                results["rdflib Dataset"] = run_scenario("rdflib", "--dump", str(dump), "--repeats", str(args.repeats))
                rdflib_kib_per_quad = results["rdflib Dataset"]["peak_mib"] * 1024 / results["rdflib Dataset"]["quads"]
            else:
                quads = results[next(iter(results))]["quads"]
                guess = f": at {rdflib_kib_per_quad:.1f} KiB a quad, as measured at the size before, it would need " \
                        f"{quads * rdflib_kib_per_quad / 2**20:.1f} GiB" if rdflib_kib_per_quad else ""
                notes.append(f"rdflib skipped above {args.rdflib_max:g} triples (--rdflib-max){guess}")
            url, server = args.store_url, None
            if args.oxigraph_server and not url:
                server, url = start_oxigraph_server(folder / "server")
            if url:
                try:
                    results["Oxigraph server, 2 w"] = run_scenario(
                        "ingest", "--data", str(folder / "data"), "--home", str(folder / "home-remote"),
                        "--workers", str(max(workers)), "--repeats", str(args.repeats), "--store-url", url)
                    notes.append(f"Oxigraph server at {url}: its disk and memory are the server's, not shown")
                except subprocess.CalledProcessError as error:
                    notes.append(f"the Oxigraph server scenario failed ({error}); see the traceback above")
                finally:
                    if server:
                        server.terminate()
                        server.wait()
            print_size(f"{size:.0e} triples", generated, gen_seconds, results, notes, queries)
            sys.stdout.flush()
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
