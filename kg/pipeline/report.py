"""The outcome of an ingest run: one FileOutcome per file, saved as JSON in the home's reports/."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from kg.core.records import Rejection


@dataclass
class FileOutcome:
    """What happened to one file."""

    path: str
    status: str  # added | replaced | unchanged | rejected | skipped
    kind: str | None = None
    triples: int = 0
    summary: str = ""
    reason: str = ""
    rejections: list[Rejection] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class IngestReport:
    """The outcome of one ingest run, printable and saved as JSON in the home's reports/."""

    run: str
    files: list[FileOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def rejected_rows(self) -> int:
        """Rows refused (not in the graph)."""
        return sum(1 for f in self.files for r in f.rejections if not r.kept)

    @property
    def flagged_rows(self) -> int:
        """Rows loaded with a note (e.g. a course name flagged as a PDF fragment)."""
        return sum(1 for f in self.files for r in f.rejections if r.kept)

    def exit_code(self, strict: bool) -> int:
        if self.count("rejected"):
            return 1
        return 1 if strict and self.rejected_rows else 0

    def to_json(self) -> dict[str, object]:
        return {"run": self.run, "files": [asdict(f) for f in self.files], "notes": self.notes}
