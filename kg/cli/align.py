"""`vetgraph align`: link every mention to the catalogues again; `align suggest`: the links of one node."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import click

from kg.cli.common import home_of
from kg.errors import VetgraphError

if TYPE_CHECKING:
    from kg.align.suggest import Suggestion
    from kg.store.base import GraphStore
    from kg.store.home import Home

_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_MAJOR_CODE = re.compile(r"^\d{6}K?$")
NO_INDEX = ("no search index: links by code, name, alias, peer majors and text only "
            "(run `vetgraph index`, then `vetgraph align`, to add embedding links)")
CLASSES = ("Certificate", "Major", "Industry", "Occupation", "Course")


@click.group("align", invoke_without_command=True)
@click.pass_context
def align_group(ctx: click.Context) -> None:
    """Link every mention in the store to the catalogues (by code, name, alias), with method and evidence.

    Then text suggestions (major -> industry); with a search index (`vetgraph index`), names nothing
    else resolved are resolved by embedding similarity, as proposed links.

    \b
    Example:
      vetgraph align
      vetgraph align suggest --major 460702 --type Certificate --json
    """
    if ctx.invoked_subcommand is not None:
        return
    from tqdm import tqdm

    from kg.pipeline.derive import rebuild_derived
    from kg.pipeline.steps import AFTER_INGEST

    home = home_of(ctx)
    with home.writer(on_wait=lambda message: click.echo(message, err=True)) as store:
        steps = tqdm(AFTER_INGEST, desc="align", unit="step", file=sys.stderr, leave=False,
                     disable=not sys.stderr.isatty())
        for resolution in rebuild_derived(store, steps):
            for note in resolution.notes[:1]:
                click.echo(note, err=True)
        _embedding_step(home, store)


def _embedding_step(home: Any, store: Any) -> None:
    """Resolve what code, name and alias left unresolved through the search index, when the home has one."""
    from kg.search.index import SearchIndex

    index = SearchIndex(home.index)
    if not index.exists():
        click.echo(NO_INDEX, err=True)
        return
    from tqdm import tqdm

    from kg.align.embedding_links import embedding_links
    from kg.core import iris
    from kg.search.encoder import load_encoder

    encoder = load_encoder(index.settings.model, home.models)
    with tqdm(desc="embedding links", unit="mention", file=sys.stderr, leave=False,
              disable=not sys.stderr.isatty()) as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        resolution = embedding_links(store, index, encoder, progress=progress)
    store.replace_graph(iris.derived_graph(resolution.name), resolution.triples)
    for note in resolution.notes[:1]:
        click.echo(note, err=True)


@align_group.command("suggest")
@click.option("--major", "major", metavar="CODE", default=None, help="A major by its code (K suffix kept).")
@click.option("--certificate", metavar="NAME", default=None, help="A certificate by its full or short name.")
@click.option("--course", metavar="IRI", default=None, help="A course by its IRI.")
@click.option("--provision", metavar="IRI", default=None, help="A policy provision by its IRI.")
@click.option("--type", "types", multiple=True, type=click.Choice(CLASSES, case_sensitive=False),
              help="Keep one class; repeatable. Default: a major's certificates, a certificate's majors.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="How many links.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array on stdout (nothing else).")
@click.pass_context
def suggest_command(ctx: click.Context, major: str | None, certificate: str | None, course: str | None,
                    provision: str | None, types: tuple[str, ...], top: int, as_json: bool) -> None:
    """The links of one node, stated and accepted first, then suggestions (peer majors).

    \b
    Example:
      vetgraph align suggest --major 460702 --type Certificate --json
      vetgraph align suggest --certificate 老年照护
    """
    from kg.align.suggest import find_certificate, suggest
    from kg.core import iris

    given = [(name, value) for name, value in (("Major", major), ("Certificate", certificate), ("Course", course),
                                               ("Provision", provision)) if value]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --major, --certificate, --course, --provision")
    node_type, value = given[0]
    if node_type in ("Course", "Provision") and not _IRI.match(value):
        raise click.BadParameter(f"'{value}' is not an IRI (https://…)", param_hint=f"--{node_type.lower()}")
    if node_type == "Major" and not _MAJOR_CODE.match(value):
        raise click.BadParameter(f"'{value}' is not a major code (6 digits, K kept: 460702, 520101K)",
                                 param_hint="--major")
    home = home_of(ctx)
    store = home.open_reader()
    node = {"Major": lambda: iris.major(value).value, "Certificate": lambda: find_certificate(store, value),
            "Course": lambda: value, "Provision": lambda: value}[node_type]()
    if not store.ask(f"ASK {{ <{node}> a vet:{node_type} }}"):
        raise VetgraphError(f"no {node_type} {value} in the store")
    found = suggest(store, node, node_type=node_type, types=list(types) or None, top=top)  # Choice gives CLASSES' case
    if node_type == "Major":
        found = _with_similar_majors(home, store, node, found)
    from kg.search.index import SearchIndex

    if not SearchIndex(home.index).exists():
        click.echo(NO_INDEX, err=True)
    if as_json:
        click.echo(json.dumps([s.to_json() for s in found], ensure_ascii=False, indent=2))
        return
    for rank, item in enumerate(found, start=1):
        code = f" {item.code}" if item.code else ""
        level = f"（{item.level}）" if item.level else ""
        click.echo(f"{rank:>2}. [{item.type}]{code} {item.label}{level}  "
                   f"{item.method}/{item.resolved_by} {item.score:.2f} {item.strength} {item.status}")
        if item.similar_majors:
            click.echo("      相似专业亦对应 / also linked to similar majors: " + "、".join(
                f"{m['code'] or m['label']} {m['label']} ({float(m['score']):.2f})" for m in item.similar_majors))
    click.echo(f"{len(found)} links of {node}", err=True)


#: similar majors shown beside one suggested certificate
SIMILAR_SHOWN = 3


def _with_similar_majors(home: Home, store: GraphStore, major: str, found: list[Suggestion]) -> list[Suggestion]:
    """Suggested certificates with the similar majors (kg.graph.similar: shared certificates, occupations,
    industries, courses) that are linked to them, in their evidence: why a peer's certificate fits this major."""
    suggested = [s.iri for s in found if s.type == "Certificate" and s.method != "stated"]
    if not suggested:
        return found
    from kg.graph.cache import cached_projection
    from kg.graph.similar import similar_majors_stating

    stating = similar_majors_stating(cached_projection(home, store=store), major, suggested)
    out = []
    for item in found:
        peers = stating.get(item.iri)
        if peers:
            item = replace(item, similar_majors=[{"iri": p.iri, "label": p.label, "code": p.code, "score": p.score,
                                                  "shared": p.shared} for p in peers[:SIMILAR_SHOWN]])
        out.append(item)
    return out
