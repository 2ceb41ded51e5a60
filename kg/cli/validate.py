"""`vetgraph validate`: the SHACL shapes over the data graphs."""

from __future__ import annotations

import click

from kg.cli.common import EXIT_ERROR, home_of
from kg.errors import VetgraphError


@click.command("validate")
@click.pass_context
def validate_command(ctx: click.Context) -> None:
    """Check the graph against the SHACL shapes: exit 0 conforms, 1 violations, 2 error.

    \b
    Example:
      vetgraph validate
    """
    from kg.validate.shacl import validate_store

    try:
        violations = validate_store(home_of(ctx).open_reader())
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
