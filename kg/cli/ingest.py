"""`vetgraph ingest`: files and folders into the store, with a report for people or as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli.common import home_of


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--kind", default=None, help="Force the ingestor kind instead of detecting it (e.g. policy).")
@click.option("--strict", is_flag=True, help="Exit 1 when any row or line was rejected.")
@click.option("--json", "as_json", is_flag=True, help="Print the ingest report as JSON on stdout.")
@click.option("--workers", type=click.IntRange(min=0), default=1, show_default=True,
              help="Processes that parse files while one writer commits them (0: one per core, at most 8); "
                   "the graph is the same for any number.")
@click.pass_context
def ingest_command(ctx: click.Context, paths: tuple[Path, ...], kind: str | None, strict: bool, as_json: bool,
                   workers: int) -> None:
    """Ingest files and folders into the store; each file is all-or-nothing.

    \b
    Example:
      vetgraph ingest ../shared/data/policy corpus/policy/demo-school-enterprise-cooperation-measures.md
      vetgraph ingest --workers 2 ../shared/data
    """
    from tqdm import tqdm

    from kg.cli.report import print_report
    from kg.pipeline.run import ingest as run_ingest

    if kind is not None:
        from ingest.registry import get_ingestor

        get_ingestor(kind)

    def progress(items):
        return tqdm(items, desc="ingest", unit="file", file=sys.stderr, leave=False,
                    disable=len(items) < 2 or not sys.stderr.isatty())

    report = run_ingest(home_of(ctx), list(paths), kind=kind, progress=progress, workers=workers,
                        on_wait=lambda message: click.echo(message, err=True),
                        command="vetgraph ingest " + " ".join(str(p) for p in paths))
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    print_report(report, echo=lambda line: click.echo(line, err=as_json))
    ctx.exit(report.exit_code(strict))
