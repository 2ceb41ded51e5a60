"""`vetgraph export`: the graph in a named format, to a file (atomically) or stdout."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from kg.cli.common import home_of
from kg.errors import VetgraphError


@click.group("export")
def export_group() -> None:
    """Export the graph, alignment maps (XLSX, CSV, CASE, CTDL-ASN), gap analyses, reviews and alignments."""


@export_group.command("graph")
@click.option("--format", "fmt", type=click.Choice(["ttl", "nq", "jsonld"]), default="ttl", show_default=True)
@click.option("--output", type=click.Path(path_type=Path), default=None, help="File to write (default stdout).")
@click.pass_context
def export_graph_command(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Write the whole graph: Turtle or JSON-LD (union of data graphs) or N-Quads (every graph).

    \b
    Example:
      vetgraph export graph --format ttl --output vetgraph.ttl
    """
    from kg.export.factory import export_graph

    store = home_of(ctx).open_reader()
    if output is None:
        count = export_graph(store, fmt, sys.stdout.buffer)
        sys.stdout.flush()
    else:
        temporary = output.with_name(output.name + ".part")
        try:
            with temporary.open("wb") as handle:
                count = export_graph(store, fmt, handle)
            temporary.replace(output)
        except OSError as error:
            raise VetgraphError(f"{output}: cannot write: {error}") from error
        finally:  # after a failure, no half-written .part is left; after success there is none to remove
            with contextlib.suppress(OSError):  # a cleanup failure must not hide the error itself
                temporary.unlink(missing_ok=True)
    click.echo(f"{count} statements written", err=True)


# -- reviews and alignments (issue 10, review) ------------------------------------------------------
@export_group.command("reviews")
@click.option("--output", type=click.Path(path_type=Path), default=None, help="File to write (default stdout).")
@click.pass_context
def export_reviews_command(ctx: click.Context, output: Path | None) -> None:
    """Write the review graph (decisions and links made by hand) as sorted N-Quads, for `import reviews`.

    \b
    Example:
      vetgraph export reviews --output reviews.nq
    """
    from kg.align.review_ops import export_reviews
    from kg.cli.export_maps import write_output

    data = export_reviews(home_of(ctx).open_reader())
    write_output(output, data, binary=False)
    count = data.count(b"\n")
    click.echo(f"{count} review statements written", err=True)


@export_group.command("alignments")
@click.option("--format", "fmt", type=click.Choice(["csv", "nq"]), default="csv", show_default=True)
@click.option("--output", type=click.Path(path_type=Path), default=None, help="File to write (default stdout).")
@click.pass_context
def export_alignments_command(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Write every alignment in the store: a CSV table (UTF-8 with BOM) or the alignments' N-Quads.

    CSV columns are Chinese (对齐IRI, 类型, 来源, 来源名称, 目标, 目标名称, 方法, 解析方式, 得分, 强度,
    审核状态, 证据), one row per alignment sorted by IRI; 审核状态 is the latest review's decision where
    there is one, as a code: proposed, accepted or rejected (rejected alignments are kept, marked
    `rejected`). nq: the alignment nodes' statements as stored (their reviews: `export reviews`).

    \b
    Example:
      vetgraph export alignments --format csv --output alignments.csv
    """
    from kg.cli.export_maps import write_output
    from kg.export.alignments import alignments_csv, alignments_nquads

    store = home_of(ctx).open_reader()
    data, count = alignments_csv(store) if fmt == "csv" else alignments_nquads(store)
    write_output(output, data, binary=False)
    click.echo(f"{count} {'alignments' if fmt == 'csv' else 'statements'} written", err=True)
