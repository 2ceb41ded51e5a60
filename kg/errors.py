"""Exceptions raised by the VETgraph library; only the CLI and the app turn them into messages."""

from __future__ import annotations

from pathlib import Path


class VetgraphError(Exception):
    """Base class of every error the library raises on purpose."""


class SourceError(VetgraphError):
    """A source file cannot be read or parsed; names the file and, where known, the line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class UnknownKindError(VetgraphError):
    """No ingestor matches the file, or an unknown kind was asked for."""


class StoreError(VetgraphError):
    """The store cannot be opened, written or queried."""


class StoreLockedError(StoreError):
    """Another writer holds the store and did not finish within the wait."""


class QueryError(VetgraphError):
    """A SPARQL query is malformed or refused."""


class SettingsError(VetgraphError):
    """An unknown or invalid setting."""


class QueryRefused(QueryError):
    """A query not sent to the store: an update (``reason`` "update") or a SERVICE call ("service")."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        self.reason = reason
        super().__init__(message or reason)

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return type(self), (self.reason, str(self))


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped (its worker process was killed)."""


class QueryBusy(QueryError):
    """Every query worker stayed busy for a whole time limit: the query was not started."""
