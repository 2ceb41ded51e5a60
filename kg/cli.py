"""The `vetgraph` command line. Heavy libraries load inside the commands that need them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.errors import VetgraphError

EXIT_ERROR = 2


class _Group(click.Group):
    """Turns library errors into one clear line and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except VetgraphError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(getattr(error, "exit_code", 1))


def _home(ctx: click.Context):  # -> kg.store.home.Home
    from kg.store.home import Home

    return Home.at(ctx.obj["store"])


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", metavar="DIR", envvar="VETGRAPH_STORE", default=None,
              help="VETgraph home folder (default: .vetgraph/; env VETGRAPH_STORE).")
@click.version_option("0.1.0", prog_name="vetgraph")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """VETgraph: a knowledge graph of Chinese vocational education and training.

    \b
    Example:
      vetgraph ingest corpus/
      vetgraph stats
    """
    ctx.ensure_object(dict)
    ctx.obj["store"] = store


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--kind", default=None, help="Force the ingestor kind instead of detecting it (e.g. policy).")
@click.option("--strict", is_flag=True, help="Exit 1 when any row or line was rejected.")
@click.option("--json", "as_json", is_flag=True, help="Print the ingest report as JSON on stdout.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], kind: str | None, strict: bool, as_json: bool) -> None:
    """Ingest files and folders into the store; each file is all-or-nothing.

    \b
    Example:
      vetgraph ingest ../shared/data/policy corpus/policy/demo-policy.md
    """
    from tqdm import tqdm

    from kg.pipeline import ingest as run_ingest
    from kg.report import print_report

    if kind is not None:
        from ingest.registry import get_ingestor

        get_ingestor(kind)

    def progress(items):
        return tqdm(items, desc="ingest", unit="file", file=sys.stderr, leave=False,
                    disable=len(items) < 2 or not sys.stderr.isatty())

    report = run_ingest(_home(ctx), list(paths), kind=kind, progress=progress,
                        on_wait=lambda message: click.echo(message, err=True),
                        command="vetgraph ingest " + " ".join(str(p) for p in paths))
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    print_report(report, echo=lambda line: click.echo(line, err=as_json))
    ctx.exit(report.exit_code(strict))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print {class: count} as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Count distinct nodes per class (vet: classes by local name, others prefixed).

    \b
    Example:
      vetgraph stats --json
    """
    from kg.stats import class_counts, store_summary

    store = _home(ctx).open_reader()
    counts = class_counts(store)
    if as_json:
        click.echo(json.dumps(counts, ensure_ascii=False, sort_keys=True))
        return
    summary = store_summary(store)
    click.echo(f"{summary['sources']} sources, {summary['triples']} triples")
    width = max((len(name) for name in counts), default=0)
    for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        click.echo(f"  {name:<{width}}  {count:>8}")


@cli.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="table for people; csv / json are the W3C SPARQL results formats.")
@click.pass_context
def sparql(ctx: click.Context, query: str, fmt: str) -> None:
    """Run a read-only SPARQL query (text or a .rq file) over the union of all graphs.

    The prefixes rdf rdfs xsd owl skos dcterms prov schema eli ceasn vet are predeclared.

    \b
    Example:
      vetgraph sparql "SELECT ?n WHERE { ?p eli:number ?n } LIMIT 5"
    """
    from kg.sparql import read_query, run_query

    text = sys.stdin.read() if query == "-" else read_query(query)
    click.echo(run_query(_home(ctx).open_reader(), text, fmt).rstrip("\n"))


@cli.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Check the graph against the SHACL shapes: exit 0 conforms, 1 violations, 2 error.

    \b
    Example:
      vetgraph validate
    """
    from kg.validate import validate_store

    try:
        violations = validate_store(_home(ctx).open_reader())
    except VetgraphError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_ERROR)
    if not violations:
        click.echo("the graph conforms to the shapes")
        return
    for violation in violations:
        click.echo(str(violation))
    click.echo(f"{len(violations)} violation{'s' if len(violations) != 1 else ''}", err=True)
    ctx.exit(1)


@cli.group()
def export() -> None:
    """Export the graph (later: alignment maps, CASE, CTDL-ASN, XLSX)."""


@export.command("graph")
@click.option("--format", "fmt", type=click.Choice(["ttl", "nq", "jsonld"]), default="ttl", show_default=True)
@click.option("--output", type=click.Path(path_type=Path), default=None, help="File to write (default stdout).")
@click.pass_context
def export_graph_command(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Write the whole graph: Turtle or JSON-LD (union of data graphs) or N-Quads (every graph).

    \b
    Example:
      vetgraph export graph --format ttl --output vetgraph.ttl
    """
    from kg.export import export_graph

    store = _home(ctx).open_reader()
    if output is None:
        count = export_graph(store, fmt, sys.stdout.buffer)
        sys.stdout.flush()
    else:
        temporary = output.with_name(output.name + ".part")
        with temporary.open("wb") as handle:
            count = export_graph(store, fmt, handle)
        temporary.replace(output)
    click.echo(f"{count} statements written", err=True)


from kg.cli_search import register as _register_search  # noqa: E402 - the search commands

_register_search(cli)


def main() -> None:
    cli(obj={})


if __name__ == "__main__":
    main()
