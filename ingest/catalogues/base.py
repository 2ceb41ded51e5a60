"""What every catalogue kind declares: its columns in one place, how its rows become triples."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from ingest.base import ParseResult
from ingest.catalogues.table import RawTable, read_table
from kg.core.rdf import PROV_DERIVED, Triple, integer, vet
from kg.core.records import Rejection
from kg.errors import SourceError


@dataclass(frozen=True)
class Column:
    """A canonical field and the header spellings accepted for it (the first is the documented one)."""

    name: str
    headers: tuple[str, ...]
    required: bool = True


@dataclass(frozen=True)
class Row:
    """One data row: its line (header = line 1) and its fields by canonical name ('' when empty)."""

    line: int
    fields: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.fields.get(name, "")


@dataclass
class Table:
    """A catalogue file with its columns mapped; rows that could not be mapped are already rejected."""

    path: Path
    rows: list[Row]
    rejections: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True)
class CatalogueKind:
    """One kind of catalogue: its columns and its row-to-triples builder."""

    kind: str
    description: str
    columns: tuple[Column, ...]
    parser_version: str
    build: Callable[[Table, NamedNode], ParseResult]

    def expected(self) -> str:
        return ", ".join(c.headers[0] + ("" if c.required else " (optional)") for c in self.columns)

    def matches(self, header: list[str]) -> bool:
        """True when the header holds every required column."""
        names = {h.strip().lstrip("\ufeff") for h in header}
        return all(any(h in names for h in c.headers) for c in self.columns if c.required)


def load_table(path: Path, kind: CatalogueKind) -> Table:
    """Read ``path`` and map its columns; a missing required column is an error listing what is expected."""
    raw = read_table(path)
    return map_columns(path, raw, kind)


def map_columns(path: Path, raw: RawTable, kind: CatalogueKind) -> Table:
    header = [h.strip().lstrip("\ufeff") for h in raw.header]
    index: dict[str, int] = {}
    missing = []
    for column in kind.columns:
        found = next((header.index(h) for h in column.headers if h in header), None)
        if found is not None:
            index[column.name] = found
        elif column.required:
            missing.append(column.headers[0])
    if missing:
        raise SourceError(path, f"not a {kind.kind} table: missing column(s) {', '.join(missing)}; "
                                f"expected: {kind.expected()}; found: {', '.join(header) or 'no header'}", line=1)
    rows, rejections = [], []
    for line, cells in raw.rows:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            rejections.append(Rejection(line, f"{len(cells)} fields, the header has {len(header)}"))
            continue
        fields = {name: (cells[i].strip() if i < len(cells) else "") for name, i in index.items()}
        rows.append(Row(line, fields))
    return Table(path, rows, rejections)


def provenance(node: NamedNode, source: NamedNode, line: int) -> Iterator[Triple]:
    """Each catalogue node points to its source file and the row it came from."""
    yield node, PROV_DERIVED, source
    yield node, vet("line"), integer(line)


class KeyRegistry:
    """First row wins for a key; a later row with another value is a reported duplicate."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.first: dict[str, tuple[int, str]] = {}

    def claim(self, key: str, line: int, value: str) -> Rejection | None | bool:
        """True for a new key, False for an identical repeat, a Rejection for a conflicting one."""
        if key not in self.first:
            self.first[key] = (line, value)
            return True
        kept_line, kept_value = self.first[key]
        if kept_value == value:
            return False
        return Rejection(
            line, f"duplicate {self.label} {key}: line {kept_line} says '{kept_value}', this line says '{value}'; "
                  f"kept line {kept_line}",
            key=key, other_line=kept_line, values=(kept_value, value))
