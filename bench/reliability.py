"""Bad inputs against a store that already holds data: how many are refused clearly, ingested, crash, lose triples.

Runs the corpus of tests/bad_inputs.py (empty, binary, misnamed, re-encoded, truncated, corrupt, zip
bombs, files over the size limit, CSV quoting, duplicate codes, scripts, markup, a scan) one file at a
time through `kg.pipeline.run.ingest` into a home seeded with ``--seed`` (default corpus/), comparing
the store's N-Quads before and after each, then checks that every re-encoded twin gives exactly the
graph of its UTF-8 twin. Then the crash-safety scenarios of tests/crash_scenarios.py (a crash at each
fault point of kg.core.faults and two real SIGKILLs, each followed by the next ordinary command and
compared with a home that never crashed) and the concurrency run of tests/concurrency_runs.py (the
app's reads, `vetgraph serve`, `vetgraph index` and CLI ingests on one home at once). Prints a table
for each; exits 1 when anything crashed unexpectedly, lost a triple, went wrong or was left inconsistent.

    .venv/bin/python bench/reliability.py [--seed corpus] [--rounds 1] [--verbose] [--skip-crash] [--skip-concurrency]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyoxigraph import NamedNode  # noqa: E402

from ingest.registry import choose_ingestor  # noqa: E402
from kg.pipeline.run import ingest  # noqa: E402
from kg.store.home import Home  # noqa: E402
from tests.bad_inputs import ENCODINGS, BadInput, bad_inputs, majors_csv_text, policy_text  # noqa: E402

SOURCE = NamedNode("https://w3id.org/vetgraph/source/twin")


def store_state(home: Home) -> tuple[set[str], set[str]]:
    """Every quad as N-Quads (system graph included), and those of the source graphs."""
    reader = home.open_reader()
    quads = {str(quad) for quad in reader.quads(include_system=True)}
    graphs = {f"<{record.graph}>" for record in reader.sources().values()}
    return quads, {quad for quad in quads if any(quad.endswith(f" {graph}") for graph in graphs)}


def run_case(home: Home, case: BadInput, folder: Path) -> tuple[str, int, str]:
    """(outcome, triples lost, detail): outcome is error, ingested, crash or wrong."""
    saved = {name: os.environ.get(name) for name in case.env}
    os.environ.update(case.env)
    try:
        path = case.make(folder / case.name)
        before, sources_before = store_state(home)
        try:
            report = ingest(home, [path])
        except Exception:  # noqa: BLE001 - a crash is what this counts
            return "crash", 0, traceback.format_exc(limit=4)
        (outcome,) = report.files
        after, _ = store_state(home)
        if "Traceback" in outcome.reason:
            return "crash", 0, outcome.reason
        if outcome.status == "rejected":
            lost = len(before - after) + len(after - before)  # a refused file changes nothing at all
            good = case.expect == "error" and case.message in outcome.reason and "\n" not in outcome.reason
            return ("error" if good else "wrong"), lost, outcome.reason
        lost = len(sources_before - after)
        good = (case.expect == "ingest" and outcome.status == "added" and outcome.kind == case.kind
                and [r.line for r in outcome.rejections] == list(case.rejected_lines))
        return ("ingested" if good else "wrong"), lost, f"{outcome.status} {outcome.kind}: {outcome.summary}"
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def twins_identical(folder: Path) -> tuple[int, int]:
    """(twins tried, twins whose triples equal their UTF-8 twin's) over every sample and encoding."""
    tried = same = 0
    for name, text in (("policy.txt", policy_text()), ("policy.md", policy_text()), ("majors.csv", majors_csv_text())):
        reference = folder / "utf-8" / name
        reference.parent.mkdir(parents=True, exist_ok=True)
        reference.write_bytes(ENCODINGS["utf-8"](text))
        ingestor = choose_ingestor(reference)
        expected = {str(t) for t in ingestor.parse(reference, SOURCE).triples}
        for encoding, encode in ENCODINGS.items():
            if encoding == "utf-8":
                continue
            tried += 1
            twin = folder / encoding / name
            twin.parent.mkdir(parents=True, exist_ok=True)
            twin.write_bytes(encode(text))
            try:
                found = {str(t) for t in choose_ingestor(twin).parse(twin, SOURCE).triples}
            except Exception:  # noqa: BLE001
                continue
            same += found == expected
    return tried, same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=ROOT / "corpus", help="what the home holds first")
    parser.add_argument("--rounds", type=int, default=1, help="run the corpus this many times (fresh files)")
    parser.add_argument("--verbose", action="store_true", help="one line per input")
    parser.add_argument("--skip-crash", action="store_true", help="leave out the crash-safety scenarios")
    parser.add_argument("--skip-concurrency", action="store_true", help="leave out the concurrency run")
    parser.add_argument("--concurrency-seconds", type=float, default=20.0, help="how long each concurrency loop runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vetgraph-reliability-") as scratch:
        home = Home(Path(scratch) / "home")
        seeded = ingest(home, [args.seed])
        started = time.perf_counter()
        counts = {"error": 0, "ingested": 0, "crash": 0, "wrong": 0}
        lost = 0
        for round_number in range(args.rounds):
            for case in bad_inputs():
                outcome, missing, detail = run_case(home, case, Path(scratch) / f"in-{round_number}")
                counts[outcome] += 1
                lost += missing
                if args.verbose or outcome in ("crash", "wrong") or missing:
                    print(f"{outcome:>9}  {case.name:<26} lost {missing}  {detail.splitlines()[-1][:150]}")
        tried, same = twins_identical(Path(scratch) / "twins")
        seconds = time.perf_counter() - started
    total = sum(counts.values())
    print(f"\nbad inputs against a home seeded with {args.seed} ({seeded.count('added')} files), "
          f"{args.rounds} round(s), {seconds:.1f} s")
    print("| inputs tried | handled with a clear error | ingested correctly | crashes (tracebacks) | wrong outcome "
          "| triples lost | encoding twins identical |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {total} | {counts['error']} | {counts['ingested']} | {counts['crash']} | {counts['wrong']} | {lost} "
          f"| {same} of {tried} |")
    failed = bool(counts["crash"] or counts["wrong"] or lost or same != tried)
    if not args.skip_crash:
        failed |= print_crash_safety(args.verbose)
    if not args.skip_concurrency:
        failed |= print_concurrency(args.concurrency_seconds)
    return 1 if failed else 0


def print_crash_safety(verbose: bool) -> bool:
    """The crash scenarios' table; True when one was left inconsistent or did not crash where it should."""
    from tests.crash_scenarios import run_crash_scenarios

    with tempfile.TemporaryDirectory(prefix="vetgraph-crash-") as scratch:
        started = time.perf_counter()
        outcomes = run_crash_scenarios(Path(scratch))
        seconds = time.perf_counter() - started
    print(f"\ncrash safety: a crash at each fault point and two kill -9, then the next command, {seconds:.0f} s")
    print("| scenarios run | crashed as injected | consistent after | inconsistent |")
    print("|---:|---:|---:|---:|")
    crashed = sum(o.crashed for o in outcomes)
    consistent = sum(o.consistent for o in outcomes)
    print(f"| {len(outcomes)} | {crashed} | {consistent} | {len(outcomes) - consistent} |")
    for outcome in outcomes:
        if verbose or not (outcome.crashed and outcome.consistent):
            print(f"  {outcome.name:<40} crashed={outcome.crashed} consistent={outcome.consistent} "
                  f"{'; '.join(outcome.problems + outcome.notes)[:300]}")
    return crashed != len(outcomes) or consistent != len(outcomes)


def print_concurrency(seconds: float) -> bool:
    """The concurrency run's counts and problems; True when a problem was found."""
    from tests.concurrency_runs import run_concurrency

    with tempfile.TemporaryDirectory(prefix="vetgraph-concurrency-") as scratch:
        result = run_concurrency(Path(scratch), seconds)
    counts, problems = result["counts"], result["problems"]
    print(f"\nconcurrency: two CLI ingest loops, two `vetgraph index` loops, `vetgraph serve` queries and the app's "
          f"reads on one home for {seconds:.0f} s, then the home checked")
    print("| " + " | ".join(counts) + " | problems |")
    print("|" + "---:|" * (len(counts) + 1))
    print("| " + " | ".join(str(value) for value in counts.values()) + f" | {len(problems)} |")
    for problem in problems:
        print(f"  problem: {problem[:300]}")
    return bool(problems)


if __name__ == "__main__":
    sys.exit(main())
