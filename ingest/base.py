"""What an ingestor is: how it recognises a file, and what it makes of one (triples, refused rows, a summary)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from kg.core.rdf import Triple
from kg.core.records import Rejection

#: Names of files that are documentation about a folder, never data.
NOT_DATA = {"readme", "license", "licence", "changelog", "contributing", "notice", "authors", "copying"}


@dataclass
class ParseResult:
    """What one parser made of one file: its triples, its main node, what it refused, a one-line summary."""

    triples: list[Triple]
    document: str | None
    summary: str
    rejections: list[Rejection] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Ingestor:
    """One kind of source: how to recognise it and how to parse it."""

    kind: str
    description: str
    suffixes: tuple[str, ...]
    parser_version: str
    detect: Callable[[Path], str | None]  # None when the file is of this kind, else why not
    parse: Callable[[Path, NamedNode], ParseResult]
