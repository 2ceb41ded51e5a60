"""Run a user's SPARQL query and format the results as a table, W3C CSV or W3C JSON."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

from kg import terms
from kg.errors import QueryError
from kg.store.oxigraph import OxigraphStore

FORMATS = ("table", "csv", "json")


def read_query(argument: str) -> str:
    """The argument itself, or the text of the file it names."""
    path = Path(argument)
    try:
        is_file = "\n" not in argument and path.is_file()
    except (OSError, ValueError):  # far too long for a file name, or a NUL: it is the query itself
        is_file = False
    if is_file:
        try:
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise QueryError(f"{path}: cannot read the query file: {error}") from error
    return argument


def run_query(store: OxigraphStore, query: str, fmt: str) -> str:
    """Evaluate ``query`` (read-only) and render it in ``fmt``."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format '{fmt}'; known: {', '.join(FORMATS)}")
    results = store.query(query)
    if isinstance(results, QueryBoolean):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(results)})
        return "true" if results else "false"
    if isinstance(results, QuerySolutions):
        if fmt == "json":
            return results.serialize(format=QueryResultsFormat.JSON).decode("utf-8")
        if fmt == "csv":
            return results.serialize(format=QueryResultsFormat.CSV).decode("utf-8")
        return _table(results)
    # CONSTRUCT / DESCRIBE: a graph, as Turtle for people and N-Triples for machines.
    rdf_format = RdfFormat.TURTLE if fmt == "table" else RdfFormat.N_TRIPLES
    prefixes = terms.PREFIXES if fmt == "table" else None
    return results.serialize(format=rdf_format, prefixes=prefixes).decode("utf-8")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(term: object) -> str:
    if term is None:
        return ""
    value = getattr(term, "value", str(term))
    if type(term).__name__ == "NamedNode":
        value = terms.prefixed(value) if not value.startswith(terms.DATA) else value
    return value.replace("\n", "⏎")


def _table(solutions: QuerySolutions, max_width: int = 60) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[_cell(row[n]) for n in names] for row in solutions]
    clipped = [[c if _width(c) <= max_width else _clip(c, max_width) for c in row] for row in rows]
    widths = [max([_width(n)] + [_width(r[i]) for r in clipped]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return " | ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [line(names), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in clipped]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _clip(text: str, width: int) -> str:
    out, used = "", 0
    for char in text:
        used += _width(char)
        if used > width - 1:
            return out + "…"
        out += char
    return out
