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
    """Export the graph (later: alignment maps, CASE, CTDL-ASN, XLSX)."""


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
