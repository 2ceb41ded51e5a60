"""How long a user's SPARQL query may run and how many rows it may return: one settings object.

The app's SPARQL console and `vetgraph serve` read the same object, so a limit is changed in one
place: the defaults below, or $VETGRAPH_QUERY_TIMEOUT (seconds) and $VETGRAPH_ROW_LIMIT (rows).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from kg.errors import SettingsError

ENV_QUERY_TIMEOUT = "VETGRAPH_QUERY_TIMEOUT"
ENV_ROW_LIMIT = "VETGRAPH_ROW_LIMIT"


@dataclass(frozen=True, kw_only=True)
class QueryLimits:
    """A user's query stops after ``timeout_s`` seconds and shows at most ``row_limit`` rows."""

    timeout_s: float = 10.0
    row_limit: int = 1000

    def __post_init__(self) -> None:
        if isinstance(self.timeout_s, bool) or not isinstance(self.timeout_s, (int, float)) or self.timeout_s <= 0:
            raise SettingsError(f"timeout_s must be a number of seconds above 0, got {self.timeout_s!r}")
        if isinstance(self.row_limit, bool) or not isinstance(self.row_limit, int) or self.row_limit < 1:
            raise SettingsError(f"row_limit must be a whole number of rows, at least 1, got {self.row_limit!r}")
        object.__setattr__(self, "timeout_s", float(self.timeout_s))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QueryLimits:
        """Limits from a mapping; an unknown key is refused, naming the valid ones."""
        valid = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(valid))
        if unknown:
            raise SettingsError(f"unknown query limit {unknown[0]!r}; valid: {', '.join(valid)}")
        return cls(**data)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> QueryLimits:
        """The defaults, overridden by $VETGRAPH_QUERY_TIMEOUT and $VETGRAPH_ROW_LIMIT where set."""
        env = os.environ if environ is None else environ
        data: dict[str, Any] = {}
        if env.get(ENV_QUERY_TIMEOUT, "").strip():
            data["timeout_s"] = _number(env[ENV_QUERY_TIMEOUT], ENV_QUERY_TIMEOUT, float)
        if env.get(ENV_ROW_LIMIT, "").strip():
            data["row_limit"] = _number(env[ENV_ROW_LIMIT], ENV_ROW_LIMIT, int)
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _number(text: str, name: str, kind: type) -> Any:
    try:
        return kind(text.strip())
    except ValueError as error:
        raise SettingsError(f"${name} must be a {'whole ' if kind is int else ''}number, got {text!r}") from error
