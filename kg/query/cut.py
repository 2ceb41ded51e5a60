"""Cut a serialised SELECT answer at a row limit, in its own format, and count its rows.

The runner sends a query with a LIMIT one above the row limit, so the store stops early and the
extra row says the answer was cut; the body is then trimmed to the limit without re-serialising
what is kept (the bytes are the store's own, only the rows past the limit are dropped).
"""

from __future__ import annotations

import json
import re

_XML_ROW = b"<result>"
_XML_TAIL = b"</results></sparql>"


def cut_solutions(body: bytes, format: str, limit: int) -> tuple[bytes, int, bool]:
    """(body with at most ``limit`` rows, the rows kept, whether any were dropped) for a results format."""
    if format == "json":
        return _cut_json(body, limit)
    if format == "xml":
        return _cut_xml(body, limit)
    if format == "tsv":
        return _cut_records(body, limit, _line_ends(body))
    if format == "csv":
        return _cut_records(body, limit, _csv_record_ends(body))
    raise ValueError(f"unknown results format {format!r}")


def _cut_json(body: bytes, limit: int) -> tuple[bytes, int, bool]:
    results = json.loads(body)
    bindings = results.get("results", {}).get("bindings", [])
    if len(bindings) <= limit:
        return body, len(bindings), False
    results["results"]["bindings"] = bindings[:limit]
    return json.dumps(results, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), limit, True


def _cut_xml(body: bytes, limit: int) -> tuple[bytes, int, bool]:
    # Literal text is escaped in the XML results format, so "<result>" only ever opens a row.
    starts: list[int] = []
    at = body.find(_XML_ROW)
    while at != -1:
        starts.append(at)
        at = body.find(_XML_ROW, at + len(_XML_ROW))
    if len(starts) <= limit:
        return body, len(starts), False
    return body[: starts[limit]] + _XML_TAIL, limit, True


def _line_ends(body: bytes) -> list[int]:
    """Where each TSV record ends (values escape their newlines, so a record is a line)."""
    return [match.end() for match in re.finditer(b"\n", body)]


def _csv_record_ends(body: bytes) -> list[int]:
    """Where each CSV record ends: a newline outside double quotes (a quoted value may hold newlines)."""
    ends, quoted = [], False
    for i, byte in enumerate(body):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x0A and not quoted:
            ends.append(i + 1)
    if body and body[-1:] != b"\n":
        ends.append(len(body))
    return ends


def _cut_records(body: bytes, limit: int, ends: list[int]) -> tuple[bytes, int, bool]:
    """Header line first, then one record each; keep the header and ``limit`` records."""
    rows = max(0, len(ends) - 1)
    if rows <= limit:
        return body, rows, False
    return body[: ends[limit]], limit, True
