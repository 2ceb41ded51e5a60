"""The `vetgraph` command line: the root group, one module a command or group under kg/cli/.

Heavy libraries load inside the commands that need them, so `--help`, `stats` and `sparql`
start fast. Library errors (kg.errors.VetgraphError) become one line and a non-zero exit.
"""

from __future__ import annotations

import click

from kg.cli.align import align_group
from kg.cli.export import export_group
from kg.cli.export_maps import export_alignment_command, export_gaps_command
from kg.cli.graph import explain_command, reach_command, similar_command
from kg.cli.importing import import_group
from kg.cli.ingest import ingest_command
from kg.cli.model import model_group
from kg.cli.review import review_group
from kg.cli.search import index_command, search_command
from kg.cli.serve import serve_command
from kg.cli.sparql import sparql_command
from kg.cli.stats import stats_command
from kg.cli.validate import validate_command
from kg.errors import VetgraphError


class _Group(click.Group):
    """Turns library errors into one clear line and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except VetgraphError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(getattr(error, "exit_code", 1))


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


for _command in (ingest_command, stats_command, sparql_command, validate_command, export_group,
                 index_command, search_command, model_group, align_group, review_group, import_group,
                 serve_command):
    cli.add_command(_command)
for _command in (explain_command, similar_command, reach_command):
    cli.add_command(_command)
for _command in (export_alignment_command, export_gaps_command):
    export_group.add_command(_command)


def main() -> None:
    cli(obj={})


if __name__ == "__main__":
    main()
