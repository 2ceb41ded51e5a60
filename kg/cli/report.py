"""Print an ingest report for people: one line per file that needs attention, then the totals."""

from __future__ import annotations

from collections.abc import Callable

from kg.pipeline.report import IngestReport

MAX_REJECTIONS_SHOWN = 20


def print_report(report: IngestReport, echo: Callable[[str], None]) -> None:
    for outcome in report.files:
        if outcome.status in ("added", "replaced"):
            echo(f"{outcome.status:>9}  {outcome.path}  [{outcome.kind}] {outcome.summary}, {outcome.triples} triples")
        elif outcome.status == "rejected":
            echo(f"{outcome.status:>9}  {outcome.reason}" if outcome.path in outcome.reason
                 else f"{outcome.status:>9}  {outcome.path}: {outcome.reason}")
        elif outcome.status == "skipped":
            echo(f"{outcome.status:>9}  {outcome.path}: {outcome.reason}")
        for kept, label in ((False, "rejected row"), (True, "flagged row")):
            rows = [r for r in outcome.rejections if r.kept is kept]
            for rejection in rows[:MAX_REJECTIONS_SHOWN]:
                where = f":{rejection.line}" if rejection.line is not None else ""
                echo(f"           {label} {outcome.path}{where}: {rejection.reason}")
            if len(rows) > MAX_REJECTIONS_SHOWN:
                echo(f"           … and {len(rows) - MAX_REJECTIONS_SHOWN} more {label}s (all in reports/last-ingest.json)")
    for note in report.notes:
        echo(f"     note  {note}")
    echo(f"{report.count('added')} added, {report.count('replaced')} replaced, {report.count('unchanged')} unchanged, "
         f"{report.count('rejected')} rejected, {report.count('skipped')} skipped; "
         f"{report.rejected_rows} rejected rows, {report.flagged_rows} flagged rows")
