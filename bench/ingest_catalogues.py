"""Time `vetgraph ingest` of the real catalogues, certificates and teaching standards.

Prints seconds per file and in total, triples per second, and the ratio against a baseline
measured in the same run: merely reading the same files with the csv module.

    .venv/bin/python bench/ingest_catalogues.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.pipeline.run import ingest  # noqa: E402
from kg.query.stats import class_counts  # noqa: E402
from kg.store.home import Home  # noqa: E402

FOLDERS = ("catalogs", "certificates", "standards")


def baseline_seconds(files: list[Path]) -> float:
    """Reading every row of every file with the csv module: the floor any ingest pays."""
    started = time.perf_counter()
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            for _ in csv.reader(handle):
                pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    folders = [args.data / name for name in FOLDERS]
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        sys.exit(f"real data not found: {', '.join(missing)}")
    files = sorted(p for folder in folders for p in folder.glob("*.csv"))
    floor = baseline_seconds(files)
    with tempfile.TemporaryDirectory() as tmp:
        home = Home(Path(tmp) / "home")
        started = time.perf_counter()
        report = ingest(home, folders)
        total = time.perf_counter() - started
        counts = class_counts(home.open_reader())
    triples = sum(f.triples for f in report.files)
    print(f"{'file':<48} {'status':>8} {'triples':>9} {'seconds':>8}")
    for outcome in report.files:
        print(f"{Path(outcome.path).name:<48} {outcome.status:>8} {outcome.triples:>9} {outcome.seconds:>8.2f}")
    print(f"total: {total:.2f} s for {len(report.files)} files, {triples} triples ({triples / total:,.0f} triples/s)")
    print(f"baseline (csv read only): {floor:.3f} s; ingest / baseline = {total / floor:,.0f}x")
    print("counts:", {k: counts.get(k, 0) for k in ("Major", "Industry", "Occupation", "Certificate",
                                                     "TeachingStandard", "Course")})
    print("under a minute:", "yes" if total < 60 else "NO")


if __name__ == "__main__":
    main()
