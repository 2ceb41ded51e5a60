"""`vetgraph index` and `vetgraph search`. Torch and FAISS load only inside them."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from kg.cli.common import home_of, progress_bar
from kg.errors import VetgraphError


@click.command("index")
@click.option("--model", default=None, help="Encoder: e5 (default), static, a local folder, or fake (tests).")
@click.pass_context
def index_command(ctx: click.Context, model: str | None) -> None:
    """Build or refresh the search index: embeds exactly the nodes whose text changed.

    \b
    Example:
      vetgraph index
    """
    from kg.search.encoder import load_encoder
    from kg.search.index import SearchIndex

    home = home_of(ctx)
    # One build at a time: a second `vetgraph index` waits, told who holds the lock, then refreshes from the first's.
    with home.index_lock(on_wait=lambda message: click.echo(message, err=True)):
        index = SearchIndex(home.index)
        _remove_leftovers(index)
        settings = index.settings if model is None else index.settings.replace(model=model)
        index = SearchIndex(home.index, settings)
        update, close = progress_bar("embed")
        encoder = load_encoder(settings.model, home.models)
        try:
            report = index.refresh(home.open_reader(), encoder, progress=update)
        finally:
            close()
    embedded = report.chunks_embedded
    rate = f"; {embedded / report.seconds:,.0f} chunks/s" if embedded and report.seconds else ""
    click.echo(report.summary() + rate, err=True)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)


def _remove_leftovers(index: Any) -> None:
    """Remove the staging folders of index builds that crashed or were killed, saying so."""
    import shutil

    leftovers = index.leftovers()
    for leftover in leftovers:
        shutil.rmtree(leftover, ignore_errors=True)
    if leftovers:
        click.echo(f"removed {len(leftovers)} half-written index version(s) left by an interrupted "
                   "`vetgraph index`", err=True)


def _repair_at_start(home: Any, index: Any, store: Any, encoder: Any) -> None:
    """Refresh an index that is stale against the store or damaged (only changed nodes are embedded), under the
    index lock, saying so on stderr. While another process builds the index, or when the refresh fails, a stale
    index is still searched, with a warning saying how to rebuild it."""
    from kg.errors import StoreLockedError
    from kg.search.freshness import check_index

    _remove_leftovers(index)
    health = check_index(index, store)
    if not health.needs_refresh:
        return
    try:
        with home.index_lock(timeout=0):
            health = check_index(index, store)  # a build that held the lock may have just brought it in line
            if not health.needs_refresh:
                return
            click.echo(f"{health.message()}: refreshing it …", err=True)
            report = index.refresh(store, encoder)
    except (VetgraphError, OSError) as error:
        busy = isinstance(error, StoreLockedError)
        if health.state == "damaged":
            raise VetgraphError(f"{health.message()}; " + ("another process is building it now: try again when it "
                                "finishes" if busy else f"rebuilding it failed ({error}): run `vetgraph index`")) \
                from error
        reason = "another process is building it now" if busy else f"could not refresh it ({error})"
        click.echo(f"warning: {health.message()}; {reason}: results may be stale (`vetgraph index` brings it in "
                   "line)", err=True)
        return
    click.echo(f"search index refreshed: {report.summary()}", err=True)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)


def _parse_batch_line(line: str, number: int) -> dict[str, Any]:
    text = line.strip()
    if not text.startswith("{"):
        return {"q": text}
    try:
        item = json.loads(text)
    except json.JSONDecodeError as error:
        raise VetgraphError(f"batch line {number}: malformed JSON: {error.msg}") from error
    unknown = sorted(set(item) - {"q", "type", "top", "level", "document"})
    if unknown or "q" not in item:
        raise VetgraphError(f"batch line {number}: expected keys q, type, top, level, document; got {sorted(item)}")
    return item


def _hit_json(hit: Any) -> dict[str, Any]:
    data = asdict(hit)
    data.pop("evidence", None)
    data["score"] = round(float(data["score"]), 6)
    return data


def _hit_text(rank: int, hit: Any) -> str:
    """A hit as text: rank, class, label, level, score, retrievers, a weak marker, snippet, neighbours, source."""
    found = ", ".join(f"{name} #{r}" for name, r in sorted(hit.found_by.items()))
    level = f" · {hit.level}" if hit.level else ""
    weak = "  ~ weak match" if hit.match == "weak" else ""
    lines = [f"{rank:>2}. [{hit.type}] {hit.label}{level}  ({hit.score:.4f}; {found}){weak}", f"    {hit.snippet}"]
    near = "; ".join(f"{n['relation']}: {n['label']}" for n in hit.neighbours[:3])
    if near:
        lines.append(f"    {near}")
    if hit.provenance.get("file"):
        line = hit.provenance.get("line")
        lines.append(f"    {_shown_path(str(hit.provenance['file']))}{f':{line}' if line else ''}")
    return "\n".join(lines)


def _shown_path(path: str) -> str:
    """A source path relative to the working folder when it lies inside it."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


@click.command("search")
@click.argument("query", required=False)
@click.option("--top", default=10, show_default=True, help="How many results.")
@click.option("--type", "types", multiple=True, help="Keep one class (Major, Course, Certificate, Occupation, "
              "Industry, Provision, LearningOutcome, Target, Competition); repeatable.")
@click.option("--level", default=None, help="Keep one education level: 中职, 高职专科 or 职教本科.")
@click.option("--document", default=None, help="Keep the provisions and targets of one policy document: its IRI "
              "or the path of its ingested file.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of results.")
@click.option("--batch", type=click.Path(path_type=Path), default=None,
              help="A file of queries (a line each, or JSON like {\"q\": ..., \"type\": ..., \"top\": ...}).")
@click.pass_context
def search_command(ctx: click.Context, query: str | None, top: int, types: tuple[str, ...], level: str | None,
                   document: str | None, as_json: bool, batch: Path | None) -> None:
    """Search the graph in Chinese or English: exact codes and names first, then BM25 and embeddings, fused.

    Each hit is marked strong or weak; text output says so when no hit is a strong match.

    \b
    Example:
      vetgraph search 新能源汽车维修 --type Major
      vetgraph search 460702
      vetgraph search "elderly care" --type Certificate --json
      vetgraph search 校企合作 --document corpus/policy/demo-school-enterprise-cooperation-measures.md
    """
    from kg.search.encoder import load_encoder
    from kg.search.index import SearchIndex

    if (query is None) == (batch is None):
        raise click.UsageError("give a QUERY or --batch FILE")
    home = home_of(ctx)
    index = SearchIndex(home.index)
    if not index.exists():
        raise VetgraphError(f"no search index in {home.index}: run `vetgraph index` first")
    encoder = load_encoder(index.settings.model, home.models)
    store = home.open_reader()
    _repair_at_start(home, index, store, encoder)
    if batch is not None:
        try:
            lines = batch.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise VetgraphError(f"{batch}: cannot read the batch file: {error}") from error
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            item = _parse_batch_line(line, number)
            item_types = [item["type"]] if isinstance(item.get("type"), str) else item.get("type") or list(types)
            hits = index.search(item["q"], encoder, top=int(item.get("top", top)), types=item_types or None,
                                level=item.get("level", level), store=store, document=item.get("document", document))
            click.echo(json.dumps([_hit_json(h) for h in hits], ensure_ascii=False))
        return
    started = time.perf_counter()
    hits = index.search(query or "", encoder, top=top, types=list(types) or None, level=level, store=store,
                        document=document)
    if as_json:
        click.echo(json.dumps([_hit_json(h) for h in hits], ensure_ascii=False, indent=2))
        return
    if hits and not any(hit.match == "strong" for hit in hits):
        click.echo(f"no strong match for this type ({', '.join(types)})" if types else "no strong match for this query")
    for rank, hit in enumerate(hits, start=1):
        click.echo(_hit_text(rank, hit))
    click.echo(f"{len(hits)} results in {(time.perf_counter() - started) * 1000:.0f} ms", err=True)
