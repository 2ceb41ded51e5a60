"""How big a document may be, on disk and unpacked: one settings object, checked before a file is read.

A file over ``max_document_mb`` is refused before its bytes are read; a .docx or .xlsx (a zip) whose
entries would unpack past ``max_unpacked_mb`` is refused from its zip directory, before anything is
inflated (a zip bomb). Python's zipfile never inflates an entry past the size its directory declares
(it stops there and fails the CRC check), so the declared sizes bound what is really unpacked.
Defaults below, or $VETGRAPH_MAX_DOCUMENT_MB and $VETGRAPH_MAX_UNPACKED_MB, read at each check.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from kg.errors import SettingsError, SourceError

ENV_MAX_DOCUMENT_MB = "VETGRAPH_MAX_DOCUMENT_MB"
ENV_MAX_UNPACKED_MB = "VETGRAPH_MAX_UNPACKED_MB"
MB = 1 << 20


@dataclass(frozen=True, kw_only=True)
class DocumentLimits:
    """A source file holds at most ``max_document_mb`` MB; a zipped one unpacks to at most ``max_unpacked_mb`` MB."""

    max_document_mb: float = 20.0
    max_unpacked_mb: float = 200.0

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise SettingsError(f"{item.name} must be a number of MB above 0, got {value!r}")
            object.__setattr__(self, item.name, float(value))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DocumentLimits:
        """Limits from a mapping; an unknown key is refused, naming the valid ones."""
        valid = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(valid))
        if unknown:
            raise SettingsError(f"unknown document limit {unknown[0]!r}; valid: {', '.join(valid)}")
        return cls(**data)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> DocumentLimits:
        """The defaults, overridden by $VETGRAPH_MAX_DOCUMENT_MB and $VETGRAPH_MAX_UNPACKED_MB where set."""
        env = os.environ if environ is None else environ
        data: dict[str, Any] = {}
        for name, key in ((ENV_MAX_DOCUMENT_MB, "max_document_mb"), (ENV_MAX_UNPACKED_MB, "max_unpacked_mb")):
            text = env.get(name, "").strip()
            if text:
                try:
                    data[key] = float(text)
                except ValueError:
                    raise SettingsError(f"${name} must be a number of MB, got {text!r}") from None
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def current_limits() -> DocumentLimits:
    """The limits in force now (the environment is read at each call, never at import)."""
    return DocumentLimits.from_env()


def check_size(path: Path | str, size: int, limits: DocumentLimits | None = None) -> None:
    """Refuse a file of ``size`` bytes over ``max_document_mb``, in one line that says how to raise the limit."""
    limits = limits or current_limits()
    if size > limits.max_document_mb * MB:
        raise SourceError(path, f"{size / MB:.1f} MB, over the {limits.max_document_mb:g} MB limit for one document "
                                f"(max_document_mb; raise it with ${ENV_MAX_DOCUMENT_MB})")


def check_zip(path: Path | str, data: bytes, limits: DocumentLimits | None = None) -> None:
    """Refuse a zip (.docx, .xlsx) whose directory declares more than ``max_unpacked_mb`` unpacked, before inflating."""
    limits = limits or current_limits()
    ceiling = limits.max_unpacked_mb * MB
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise SourceError(path, f"corrupt {Path(path).suffix or 'zip'} archive (truncated?): {error}") from None
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > ceiling or total > ceiling:
            what = (f"entry {entry.filename} would unpack to {entry.file_size / MB:.1f} MB"
                    if entry.file_size > ceiling else f"its {len(entries)} entries would unpack to {total / MB:.1f} MB")
            raise SourceError(path, f"zip bomb? {what}, over the {limits.max_unpacked_mb:g} MB limit (max_unpacked_mb; "
                                    f"raise it with ${ENV_MAX_UNPACKED_MB}); refused before unpacking")
