"""`vetgraph review`: accept or reject an alignment, make a link by hand, list the decisions."""

from __future__ import annotations

import json
import os
import re

import click

from kg.cli.common import home_of

_IRI = re.compile(r"^https?://")
#: kg.align.reviews.DECISIONS and kg.align.review_ops.STRENGTHS, spelled out so that `--help` loads no
#: store library (tests/test_review.py keeps them equal).
DECISIONS = ("accepted", "rejected")
STRENGTHS = ("exact", "major", "minor", "broad", "narrow")
#: Options of the group that take a value: the word after one is never the alignment IRI.
_VALUED = ("--reviewer", "--note", "--status")


class _ReviewGroup(click.Group):
    """A group whose first word may be an alignment IRI instead of a command: `review IRI --accept`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        iri, rest = None, list(args)
        for position, word in enumerate(args):
            if word.startswith("-") or position > 0 and args[position - 1] in _VALUED:
                continue
            if word not in self.commands:  # the first word that is neither an option, its value nor a command
                iri = word
                rest.pop(position)
            break
        remaining = super().parse_args(ctx, rest)
        ctx.params["iri"] = iri
        return remaining


def _reviewer(name: str | None) -> str:
    return name or os.environ.get("USER") or "unknown"


@click.group("review", cls=_ReviewGroup, invoke_without_command=True,
             subcommand_metavar="IRI --accept|--reject | add [ARGS]...")
@click.option("--accept", is_flag=True, help="Accept the alignment IRI.")
@click.option("--reject", is_flag=True, help="Reject the alignment IRI: linking never proposes it again.")
@click.option("--reviewer", metavar="NAME", default=None, help="Who decides (default: $USER, else 'unknown').")
@click.option("--note", metavar="TEXT", default="", help="Why: kept with the decision.")
@click.option("--list", "show_list", is_flag=True, help="List reviewed alignments, each with its latest decision.")
@click.option("--status", type=click.Choice(DECISIONS), default=None, help="With --list: only this decision.")
@click.option("--json", "as_json", is_flag=True, help="With --list: print a JSON array on stdout (nothing else).")
@click.pass_context
def review_group(ctx: click.Context, iri: str | None, accept: bool, reject: bool, reviewer: str | None, note: str,
                 show_list: bool, status: str | None, as_json: bool) -> None:
    """Accept or reject an alignment, make a link by hand (`review add`), or list the decisions.

    Decisions go to the store's review graph with reviewer, time (UTC) and note; they survive
    re-ingest and `vetgraph align`, and travel with `vetgraph export reviews` / `import reviews`.
    The IRI is an alignment the store holds (the `alignment` field of `align suggest --json` for a
    stated, stored or reviewed link; peer and text suggestions are computed, not stored: link such a
    pair with `review add`).

    \b
    Example:
      vetgraph review https://w3id.org/vetgraph/id/alignment/major-certificate/52c167dac9 --reject --note 不相关
      vetgraph review add --from https://w3id.org/vetgraph/id/major/590302 --to https://w3id.org/vetgraph/id/certificate/770a6991c8
      vetgraph review --list --status rejected --json
    """
    decides = accept or reject or reviewer is not None or note
    lists = show_list or status is not None or as_json
    if ctx.invoked_subcommand is not None:
        if iri or decides or lists:
            raise click.UsageError(f"give the options of `review {ctx.invoked_subcommand}` after its name")
        return
    if show_list:
        if iri or decides:
            raise click.UsageError("--list takes only --status and --json")
        _list(ctx, status, as_json)
    elif iri is not None:
        if lists:
            raise click.UsageError("--status and --json go with --list")
        if accept == reject:
            raise click.UsageError("give one of --accept or --reject with the alignment IRI")
        if not _IRI.match(iri):
            raise click.UsageError(f"'{iri}' is neither a command (add) nor an alignment IRI (https://…)")
        _decide(ctx, iri, "accepted" if accept else "rejected", _reviewer(reviewer), note)
    else:
        raise click.UsageError("give an alignment IRI with --accept or --reject, `add`, or --list")


def _decide(ctx: click.Context, iri: str, decision: str, reviewer: str, note: str) -> None:
    from kg.align.review_ops import record_review

    with home_of(ctx).writer(on_wait=lambda message: click.echo(message, err=True)) as store:
        recorded = record_review(store, iri, decision, reviewer, note)
    click.echo(f"{recorded.decision} {recorded.alignment} (by {reviewer} at {recorded.at})")


def _list(ctx: click.Context, status: str | None, as_json: bool) -> None:
    from kg.align.review_ops import list_reviews

    rows = list_reviews(home_of(ctx).open_reader(), status)
    if as_json:
        click.echo(json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2))
        return
    for row in rows:
        note = f"  « {row.note} »" if row.note else ""
        click.echo(f"{row.decision:<8}  {row.at}  {row.reviewer}  {row.kind or '?'}/{row.method or '?'}  "
                   f"{row.source_label} → {row.target_label}{note}")
        click.echo(f"          {row.alignment}")
    click.echo(f"{len(rows)} reviewed alignment{'s' if len(rows) != 1 else ''}", err=True)


@review_group.command("add")
@click.option("--from", "source", metavar="IRI", required=True, help="The node the link starts from (a major …).")
@click.option("--to", "target", metavar="IRI", required=True, help="The node it links to (a certificate …).")
@click.option("--strength", type=click.Choice(STRENGTHS), default="exact", show_default=True,
              help="How closely the two match.")
@click.option("--note", metavar="TEXT", default="", help="Why: kept with the link's review.")
@click.option("--reviewer", metavar="NAME", default=None, help="Who makes it (default: $USER, else 'unknown').")
@click.pass_context
def add_command(ctx: click.Context, source: str, target: str, strength: str, note: str, reviewer: str | None) -> None:
    """Make a link by hand: method `human`, accepted, its kind from the classes of the two nodes.

    Kinds: major → certificate, industry, occupation or major; course → certificate (or level);
    provision → industry, major or certificate. A link the store already holds gets an accepted review.

    \b
    Example:
      vetgraph review add --from https://w3id.org/vetgraph/id/major/590302 --to https://w3id.org/vetgraph/id/certificate/770a6991c8 --strength major --note 母婴护理方向
    """
    from kg.align.review_ops import add_human_link

    for name, value in (("--from", source), ("--to", target)):
        if not _IRI.match(value):
            raise click.BadParameter(f"'{value}' is not an IRI (https://…)", param_hint=name)
    who = _reviewer(reviewer)
    with home_of(ctx).writer(on_wait=lambda message: click.echo(message, err=True)) as store:
        recorded = add_human_link(store, source, target, strength, note, who)
    what = "added human link" if recorded.link_written else "accepted the link the store holds:"
    click.echo(f"{what} {recorded.alignment} (by {who} at {recorded.at})")
