"""Which serialisation a SPARQL client gets: the ``format`` parameter if it names one, else its Accept header.

Solutions and booleans come in the W3C results formats, graphs in RDF syntaxes; each format has
a canonical media type (what the response says) and the other names clients send for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.errors import VetgraphError

#: Formats in the server's order of preference (the first is the answer to */* or no Accept).
RESULTS_MEDIA: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}
GRAPH_MEDIA: dict[str, tuple[str, ...]] = {
    "turtle": ("text/turtle", "application/x-turtle"),
    "ntriples": ("application/n-triples", "text/plain"),
    "jsonld": ("application/ld+json", "application/json"),
    "rdfxml": ("application/rdf+xml", "application/xml", "text/xml"),
}
#: Names a ``format`` parameter may use (SPARQLWrapper sends json, xml, csv, tsv, turtle, json-ld, rdf+xml).
_RESULTS_NAMES = {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv"}
_GRAPH_NAMES = {"turtle": "turtle", "ttl": "turtle", "ntriples": "ntriples", "nt": "ntriples",
                "n-triples": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
                "rdfxml": "rdfxml", "rdf+xml": "rdfxml", "xml": "rdfxml", "rdf": "rdfxml"}


class NotAcceptable(VetgraphError):
    """No format fits both the query's kind and what the client accepts; says what would."""


@dataclass(frozen=True)
class Choice:
    """The store's name of the chosen format and the media type the response carries."""

    format: str
    media_type: str


def choose(kind: str, accept: str | None, format_values: Sequence[str] = ()) -> Choice:
    """The answer's format for a ``kind`` ("results" or "graph") query; NotAcceptable when none fits."""
    media = RESULTS_MEDIA if kind == "results" else GRAPH_MEDIA
    if format_values:
        names = _RESULTS_NAMES if kind == "results" else _GRAPH_NAMES
        for value in format_values:
            name = names.get(value.strip().lower()) or _by_media_type(media, value)
            if name:
                return Choice(name, media[name][0])
        raise NotAcceptable(f"format {', '.join(repr(v) for v in format_values)} cannot serialise a "
                            f"{_what(kind)}; known: {', '.join(media)}")
    ranges = parse_accept(accept or "*/*")
    best: tuple[float, int, str] | None = None
    for order, (name, types) in enumerate(media.items()):
        quality = max((_quality(ranges, media_type) for media_type in types), default=0.0)
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, order, name)
    if best is None:
        offered = ", ".join(types[0] for types in media.values())
        raise NotAcceptable(f"no type in Accept ({accept}) fits a {_what(kind)}; offered: {offered}")
    return Choice(best[2], media[best[2]][0])


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Accept's media ranges with their q values (a malformed q counts as 0: that range is ignored)."""
    ranges = []
    for part in header.split(","):
        fields = [field.strip() for field in part.split(";")]
        media_range = fields[0].lower()
        if not media_range:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(1.0, max(0.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media_range, quality))
    return ranges


def _quality(ranges: list[tuple[str, float]], media_type: str) -> float:
    """The q of the most specific range matching ``media_type`` (type/subtype over type/* over */*)."""
    major = media_type.split("/", 1)[0]
    found: tuple[int, float] | None = None
    for media_range, quality in ranges:
        if media_range == media_type:
            specificity = 2
        elif media_range == f"{major}/*":
            specificity = 1
        elif media_range in ("*/*", "*"):
            specificity = 0
        else:
            continue
        if found is None or specificity > found[0]:
            found = (specificity, quality)
    return found[1] if found else 0.0


def media_type_of(format: str) -> str:
    """The canonical media type of a store format name (results or graph)."""
    return {**{k: v[0] for k, v in GRAPH_MEDIA.items()}, **{k: v[0] for k, v in RESULTS_MEDIA.items()}}[format]


def _by_media_type(media: dict[str, tuple[str, ...]], value: str) -> str | None:
    wanted = value.split(";", 1)[0].strip().lower()
    return next((name for name, types in media.items() if wanted in types), None)


def _what(kind: str) -> str:
    return "SELECT or ASK answer" if kind == "results" else "CONSTRUCT or DESCRIBE graph"
