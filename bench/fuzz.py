"""A longer fuzzing run of the ingest properties: the checks of tests/ingest_properties.py with many examples.

Each row of the table is one property on one ingestor (or the normaliser), run by hypothesis in
runs of 100 examples with a new seed each, until ``--examples`` examples or its share of
``--seconds`` is spent; a failure is the shrunk example hypothesis reports (once per distinct
error; the row stops at its first failing run, and its examples then include the shrinking's), a
crash an exception that is not a ``kg.errors.VetgraphError`` out of the ingestor. Properties the
tests mark as known failures (xfail) are left out: they fail by design until their owner fixes
them. Exit 1 on any failure.

    .venv/bin/python bench/fuzz.py [--examples 2000] [--seconds 600] [--only policy] [--seed 0] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests import ingest_properties as props  # noqa: E402


@dataclass
class Row:
    """One property on one subject: how many examples ran, how many were refused, what failed."""

    subject: str
    name: str
    check: Callable[[st.DataObject], str]  # returns "ok" or "refused"
    examples: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def document_rows(kind: str) -> list[Row]:
    strategy = props.DOCUMENT_STRATEGIES[kind]

    def contract(data: st.DataObject) -> str:
        suffix = data.draw(st.sampled_from((".txt", ".md")))
        return _state(props.check_contract(kind, data.draw(strategy).encode("utf-8"), suffix))

    def deterministic(data: st.DataObject) -> str:
        props.check_deterministic(kind, data.draw(strategy).encode("utf-8"), ".txt")
        return "ok"

    def encodings(data: st.DataObject) -> str:
        return _state(props.check_encodings(kind, data.draw(strategy), ".txt")["utf-8"])

    def damaged(data: st.DataObject) -> str:
        raw = data.draw(strategy).encode(data.draw(st.sampled_from(props.ENCODINGS)))
        return _state(props.check_contract(kind, data.draw(props.mutated(raw)), ".txt"))

    return [Row(kind, "ingests or refused; literals, lines", contract), Row(kind, "deterministic", deterministic),
            Row(kind, "same graph in 4 encodings", encodings), Row(kind, "damaged bytes", damaged)]


def catalogue_rows(kind: str) -> list[Row]:
    def round_trip(data: st.DataObject) -> str:
        props.check_csv_round_trip(data.draw(props.tables(kind)))
        return "ok"

    def encodings(data: st.DataObject) -> str:
        table = data.draw(props.tables(kind))
        text, _ = table.csv_text()
        state = _state(props.check_encodings(kind, text, ".csv")["utf-8"])
        props.check_deterministic(kind, text.encode("utf-8"), ".csv")
        if not props.has_line_separators(table):
            props.check_jsonl_matches_csv(table)
        return state

    def damaged(data: st.DataObject) -> str:
        text, _ = data.draw(props.tables(kind)).csv_text()
        raw = text.encode(data.draw(st.sampled_from(props.ENCODINGS)))
        suffix = data.draw(st.sampled_from((".csv", ".jsonl")))
        return _state(props.check_contract(kind, data.draw(props.mutated(raw)), suffix, controls=False))

    return [Row(kind, "CSV quoting round-trips", round_trip),
            Row(kind, "4 encodings, JSON Lines, deterministic", encodings), Row(kind, "damaged bytes", damaged)]


def normaliser_rows() -> list[Row]:
    def names(data: st.DataObject) -> str:
        props.check_normaliser(data.draw(props.names))
        return "ok"

    def markers(data: st.DataObject) -> str:
        props.check_occupation_markers(data.draw(props.sentences),
                                       data.draw(st.sampled_from(("L", "S", "（S）", "(L)", "L/S", " LS/"))))
        return "ok"

    return [Row("normaliser", "idempotent, full-width folding", names),
            Row("normaliser", "occupation L/S markers", markers)]


def _state(outcome: props.Outcome) -> str:
    return "refused" if outcome.refused else "ok"


def run_row(row: Row, examples: int, seconds: float, seed_value: int, verbose: bool, chunk: int = 100) -> None:
    """Run one property in hypothesis runs of ``chunk`` examples (a new seed each) until ``examples`` or ``seconds``.

    The time is checked between runs, never inside one (a test that stops drawing part-way is flaky to hypothesis).
    """
    began = time.perf_counter()

    def property_test(data: st.DataObject) -> None:
        row.examples += 1
        if row.check(data) == "refused":
            row.refused += 1

    part = 0
    while row.examples < examples and time.perf_counter() - began < seconds and not row.failures:
        size = min(chunk, examples - row.examples)
        test = seed(seed_value * 1_000_003 + part)(settings(
            max_examples=size, deadline=None, database=None, phases=(Phase.generate, Phase.shrink),
            suppress_health_check=list(HealthCheck), report_multiple_bugs=True)(given(st.data())(property_test)))
        part += 1
        try:
            test()
        except BaseExceptionGroup as group:  # several distinct failures
            row.failures += [_describe(error, verbose) for error in group.exceptions]
        except Exception as error:  # noqa: BLE001 - a failing property or a crash: both are counted
            row.failures.append(_describe(error, verbose))
    row.seconds = time.perf_counter() - began


def _describe(error: BaseException, verbose: bool) -> str:
    kind = "property" if isinstance(error, AssertionError) else f"crash ({type(error).__name__})"
    text = f"{kind}: {str(error).splitlines()[0][:300] if str(error) else ''}"
    if verbose:
        text += "\n" + "".join(traceback.format_exception(error))[-3000:]
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per property (default 2000)")
    parser.add_argument("--seconds", type=float, default=600.0, help="time budget for the whole run (default 600)")
    parser.add_argument("--only", default=None, help="one subject: an ingestor kind or 'normaliser'")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="print each failure's traceback")
    args = parser.parse_args(argv)

    rows = [r for kind in props.DOCUMENT_KINDS for r in document_rows(kind)]
    rows += [r for kind in props.CATALOGUE_KINDS for r in catalogue_rows(kind)]
    rows += normaliser_rows()
    if args.only:
        subjects = list(dict.fromkeys(r.subject for r in rows))
        rows = [r for r in rows if r.subject == args.only]
        if not rows:
            parser.error(f"no subject {args.only!r}; known: {', '.join(subjects)}")
    began = time.perf_counter()
    for position, row in enumerate(rows):
        left = args.seconds - (time.perf_counter() - began)
        share = max(left / (len(rows) - position), 1.0)
        run_row(row, args.examples, share, args.seed, args.verbose)
        print(f"  {row.subject:<21} {row.name:<38} {row.examples:>6} examples  {row.seconds:6.1f}s  "
              f"{len(row.failures)} failures", file=sys.stderr, flush=True)
    print_table(rows, time.perf_counter() - began)
    for row in rows:
        for failure in row.failures:
            print(f"FAIL {row.subject} / {row.name}: {failure}")
    return 1 if any(r.failures for r in rows) else 0


def print_table(rows: list[Row], seconds: float) -> None:
    print("| subject | property | examples | refused (VetgraphError) | failures | crashes | seconds |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        crashes = sum(1 for f in row.failures if f.startswith("crash"))
        print(f"| {row.subject} | {row.name} | {row.examples} | {row.refused} | {len(row.failures) - crashes} | "
              f"{crashes} | {row.seconds:.1f} |")
    total = sum(r.examples for r in rows)
    failures = sum(len(r.failures) for r in rows)
    print(f"| **all** | {len(rows)} properties | {total} | {sum(r.refused for r in rows)} | {failures} | "
          f"{sum(1 for r in rows for f in r.failures if f.startswith('crash'))} | {seconds:.1f} |")


if __name__ == "__main__":
    sys.exit(main())
