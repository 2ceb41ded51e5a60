"""`vetgraph stats`: distinct nodes per class, as a table or JSON."""

from __future__ import annotations

import json

import click

from kg.cli.common import home_of


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print {class: count} as JSON.")
@click.pass_context
def stats_command(ctx: click.Context, as_json: bool) -> None:
    """Count distinct nodes per class (vet: classes by local name, others prefixed).

    \b
    Example:
      vetgraph stats --json
    """
    from kg.query.stats import class_counts, store_overview

    store = home_of(ctx).open_reader()
    if as_json:
        click.echo(json.dumps(class_counts(store), ensure_ascii=False, sort_keys=True))
        return
    overview = store_overview(store)
    click.echo(f"{overview.sources} sources, {overview.triples} triples")
    width = max((len(name) for name in overview.classes), default=0)
    for name, count in sorted(overview.classes.items(), key=lambda item: (-item[1], item[0])):
        click.echo(f"  {name:<{width}}  {count:>8}")
