"""`vetgraph import`: bring in what another store exported (a team's review decisions)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import home_of
from kg.errors import VetgraphError


@click.group("import")
def import_group() -> None:
    """Import data exported by another VETgraph store (review decisions).

    \b
    Example:
      vetgraph import reviews reviews.nq
    """


@import_group.command("reviews")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
def import_reviews_command(ctx: click.Context, file: Path) -> None:
    """Merge a `vetgraph export reviews` file into this store's review graph, all or nothing.

    Every line must be a statement of the review graph about a review or the link it decides on;
    a file with any other line is refused whole, naming that line. Importing a file twice adds nothing.

    \b
    Example:
      vetgraph export reviews --output reviews.nq
      vetgraph --store ../other/.vetgraph import reviews reviews.nq
    """
    from kg.align.review_ops import import_reviews

    try:
        data = file.read_bytes()
    except OSError as error:
        raise VetgraphError(f"{file}: cannot read: {error.strerror or error}") from error
    with home_of(ctx).writer(on_wait=lambda message: click.echo(message, err=True)) as store:
        added = import_reviews(store, data, name=str(file))
    click.echo(f"{added} new review statement{'s' if added != 1 else ''} imported from {file}")
