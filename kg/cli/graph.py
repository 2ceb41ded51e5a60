"""`vetgraph explain`, `similar` and `reach`: questions about the graph's shape, answered on its networkx projection."""

from __future__ import annotations

import json
from typing import Any

import click

from kg.cli.common import home_of
from kg.errors import VetgraphError


def _projection(ctx: click.Context, proposed: float | None) -> tuple[Any, Any]:
    """The store and its projection (cached per snapshot under the home's graph/ folder)."""
    from kg.graph.cache import cached_projection
    from kg.graph.model import GraphSettings

    home = home_of(ctx)
    store = home.open_reader()
    settings = GraphSettings(include_proposed=proposed is not None, min_score=proposed or 0.5)
    return store, cached_projection(home, settings, store=store)


def _print_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _name(node: Any) -> str:
    code = f" {node.code}" if node.code else ""
    return f"[{node.kind}]{code} {node.label}"


PROPOSED = click.option("--proposed", "proposed", type=click.FloatRange(0, 1), default=None, metavar="SCORE",
                        help="Also use proposed links from this score up (default: stated and accepted only).")


@click.command("explain")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--max-hops", default=4, show_default=True, type=click.IntRange(1, 8), help="Longest path, in hops.")
@click.option("--top", default=3, show_default=True, type=click.IntRange(min=1), help="How many paths.")
@PROPOSED
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object on stdout (nothing else).")
@click.pass_context
def explain_command(ctx: click.Context, source: str, target: str, max_hops: int, top: int,
                    proposed: float | None, as_json: bool) -> None:
    """Why two nodes are linked: the best paths between them, each link with its method, score and evidence.

    FROM and TO are an IRI, a code (460702, 4415), a label (清洁能源, a certificate's short name) or a
    kind (Major: any major).

    \b
    Example:
      vetgraph explain 清洁能源 Major
      vetgraph explain 460702 智能新能源汽车 --max-hops 3 --json
    """
    from kg.graph.paths import best_paths
    from kg.graph.resolve import resolve_nodes

    store, graph = _projection(ctx, proposed)
    starts, ends = resolve_nodes(graph, source, store), resolve_nodes(graph, target, store)
    paths = best_paths(graph, starts, ends, max_hops=max_hops, top=top)
    if as_json:
        _print_json({"from": starts[:20], "to": ends[:20], "paths": [p.to_json() for p in paths]})
        return
    if not paths:
        raise VetgraphError(f"no path of at most {max_hops} hops from '{source}' to '{target}'")
    for rank, path in enumerate(paths, start=1):
        click.echo(f"{rank}. {' → '.join(_name(n) for n in path.nodes)}  ({path.hops} hops, cost {path.cost:.2f})")
        labels = {n.iri: n.label for n in path.nodes}
        for edge in path.edges:
            click.echo(f"   {labels[edge.source]} —{edge.relation}→ {labels[edge.target]}: {edge.method}/"
                       f"{edge.resolved_by} {edge.score:.2f} {edge.strength} {edge.status}"
                       + (f" <{edge.alignment}>" if edge.alignment else ""))
            click.echo(f"     evidence: {edge.evidence}")
    click.echo(f"{len(paths)} paths from {len(starts)} to {len(ends)} nodes", err=True)


@click.command("similar")
@click.argument("major", metavar="MAJOR")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="How many majors.")
@PROPOSED
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array on stdout (nothing else).")
@click.pass_context
def similar_command(ctx: click.Context, major: str, top: int, proposed: float | None, as_json: bool) -> None:
    """Majors most like MAJOR (a code, name or IRI): shared certificates, occupations, industries, courses.

    \b
    Example:
      vetgraph similar 460702
      vetgraph similar 新能源汽车技术 --top 5 --json
    """
    from kg.graph.resolve import resolve_nodes
    from kg.graph.similar import similar_majors

    store, graph = _projection(ctx, proposed)
    found = [n for n in resolve_nodes(graph, major, store) if graph.nodes[n].get("kind") == "Major"]
    if not found:
        raise VetgraphError(f"'{major}' names no major")
    similar = similar_majors(graph, found[0], top=top)
    if as_json:
        _print_json([s.to_json() for s in similar])
        return
    for rank, item in enumerate(similar, start=1):
        click.echo(f"{rank:>2}. {item.code or ''} {item.label}  {item.score:.3f}")
        for kind, names in item.shared.items():
            more = f" … +{len(names) - 6}" if len(names) > 6 else ""
            click.echo(f"      {kind}: {'、'.join(names[:6])}{more}")
    click.echo(f"{len(similar)} majors like {graph.nodes[found[0]].get('label')} ({found[0]})", err=True)


@click.command("reach")
@click.option("--policy", "document", metavar="DOC", required=True,
              help="The policy document: its IRI or the path of its ingested file.")
@click.option("--hops", default=3, show_default=True, type=click.IntRange(1, 8), help="How far a field may reach.")
@PROPOSED
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object on stdout (nothing else).")
@click.pass_context
def reach_command(ctx: click.Context, document: str, hops: int, proposed: float | None, as_json: bool) -> None:
    """Which industries a policy names reach a major, a certificate, a course standard, and which are cut off.

    Then the components and bridges of the major–certificate graph (certificates only one major serves).

    \b
    Example:
      vetgraph reach --policy ../shared/data/policy/000_63c5338d7d9bffda.txt
      vetgraph reach --policy ../shared/data/policy/000_63c5338d7d9bffda.txt --hops 2 --json
    """
    from kg.graph.reach import policy_reach
    from kg.query.documents import find_document

    store, graph = _projection(ctx, proposed)
    report = policy_reach(graph, store, find_document(store, document), hops=hops)
    if as_json:
        _print_json(report.to_json())
        return
    for item in report.fields:
        cut = f"  cut off: {', '.join(item.cut_off)}" if item.cut_off else ""
        click.echo(f"«{item.term}»{cut}" + (f" ({item.reason})" if item.reason else ""))
        for industry in item.industries:
            click.echo(f"   {_name(industry.industry)}")
            for near in industry.nearest:
                click.echo(f"      {near.kind} in {near.hops}: {' → '.join(n.label for n in near.path)}")
    bridges = report.bridges
    click.echo(f"major–certificate graph: {bridges.components} components (largest {', '.join(map(str, bridges.largest))}), "
               f"{bridges.bridges} bridges, {len(bridges.single_major)} certificates only one major serves")
    for certificate, major in report.reached_single_major:
        click.echo(f"   within reach, one major only: {certificate.label} ← {major.code or ''} {major.label}")
