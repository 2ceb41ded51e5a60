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


@dataclass(frozen=True)
class Evidence:
    """What speaks for a file being of one kind: each clue found with its weight, and the score that claims it.

    Detection is positive: a kind claims a file only when its clues reach ``needed``; otherwise
    ``declined`` says what was found and what was looked for, for the registry's refusal.
    """

    kind: str
    clues: tuple[tuple[str, int], ...]
    needed: int
    looked_for: str

    @property
    def score(self) -> int:
        return sum(weight for _, weight in self.clues)

    @property
    def claims(self) -> bool:
        return self.score >= self.needed

    def found(self) -> str:
        """The clues found, or 'nothing' when none was."""
        return ", ".join(name for name, _ in self.clues) or "nothing"

    def declined(self) -> str:
        """One line: the score, what was found, and what would have made the claim."""
        return f"too little evidence (score {self.score} of {self.needed}: found {self.found()}; looked for {self.looked_for})"
