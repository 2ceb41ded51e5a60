"""Run a user's SPARQL query and format the results as a table, W3C CSV or W3C JSON."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from kg.core import iris, terms
from kg.errors import QueryError
from kg.store.base import GraphStore

FORMATS = ("table", "csv", "json")


def read_query(argument: str) -> str:
    """The argument itself, the text of the file it names, or standard input for ``-``."""
    if argument == "-":
        try:
            return sys.stdin.buffer.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise QueryError(f"stdin: cannot read the query: {error}") from error
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


def run_query(store: GraphStore, query: str, fmt: str) -> str:
    """Evaluate ``query`` (read-only) and render it in ``fmt``."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format '{fmt}'; known: {', '.join(FORMATS)}")
    # The table is drawn from W3C JSON (it says which values are IRIs); graphs are Turtle for people.
    results_format = "csv" if fmt == "csv" else "json"
    graph_format = "turtle" if fmt == "table" else "ntriples"
    result = store.query(query, results_format=results_format, graph_format=graph_format)
    text = result.body.decode("utf-8")
    if result.kind == "ask" and fmt != "csv":
        answer = bool(json.loads(text)["boolean"])
        return json.dumps({"head": {}, "boolean": answer}) if fmt == "json" else str(answer).lower()
    if result.kind == "select" and fmt == "table":
        return _table(json.loads(text))
    return text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(value: dict[str, str] | None) -> str:
    """One W3C JSON binding as a person reads it: vocabulary IRIs prefixed, node IRIs whole."""
    if value is None:
        return ""
    text = value["value"]
    if value["type"] == "uri" and not iris.is_data(text):
        text = terms.prefixed(text)
    return text.replace("\n", "⏎")


def _table(results: dict[str, Any], max_width: int = 60) -> str:
    names: list[str] = results["head"]["vars"]
    rows = [[_cell(binding.get(n)) for n in names] for binding in results["results"]["bindings"]]
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
