"""Ingestors keyed by kind: an explicit --kind wins, else the file's suffix and content decide.

Lookup only: each kind's ingestor lives with its parser and is imported here, never the reverse.
"""

from __future__ import annotations

from pathlib import Path

from ingest.base import NOT_DATA, Ingestor
from kg.errors import UnknownKindError, VetgraphError


def _registry() -> dict[str, Ingestor]:
    from ingest.catalogues.ingestors import CATALOGUE_INGESTORS
    from ingest.course_standard import ingestor as course_standard
    from ingest.policy import ingestor as policy
    from ingest.profile import ingestor as profile

    return {ingestor.kind: ingestor
            for ingestor in (policy.INGESTOR, course_standard.INGESTOR, profile.INGESTOR, *CATALOGUE_INGESTORS)}


def get_ingestor(kind: str) -> Ingestor:
    registry = _registry()
    if kind not in registry:
        raise UnknownKindError(f"no ingestor for kind '{kind}'; known: {', '.join(sorted(registry))}")
    return registry[kind]


def choose_ingestor(path: Path, kind: str | None = None) -> Ingestor:
    """The ingestor for ``path``; raises UnknownKindError saying why no kind matched.

    A file no reader could read (empty, too big, another format than its suffix says) is refused
    once, before any kind is tried; a reading error every kind ran into is said once too.
    """
    if kind is not None:
        return get_ingestor(kind)  # its reader refuses what it cannot read
    if path.stem.lower() in NOT_DATA:
        raise UnknownKindError(f"{path}: a {path.stem} file is documentation, not data")
    registry = _registry()
    candidates = [i for i in registry.values() if path.suffix.lower() in i.suffixes]
    if not candidates:
        suffixes = sorted({s for i in registry.values() for s in i.suffixes})
        raise UnknownKindError(f"{path}: no ingestor reads {path.suffix or 'files without a suffix'} files "
                               f"(known: {' '.join(suffixes)})")
    _preflight(path)
    reasons: dict[str, str] = {}
    chosen = []
    for ingestor in candidates:
        why_not = ingestor.detect(path)
        if why_not is None:
            chosen.append(ingestor)
        else:
            reasons[ingestor.kind] = why_not
    if len(chosen) == 1:
        return chosen[0]
    if len(chosen) > 1:
        raise UnknownKindError(f"{path}: ambiguous, matches {', '.join(i.kind for i in chosen)}; choose with --kind")
    if len(reasons) > 1 and len(set(reasons.values())) == 1:
        raise UnknownKindError(f"{path}: {next(iter(reasons.values()))} (tried {', '.join(reasons)})")
    listed = "; ".join(f"not {kind}: {why}" for kind, why in reasons.items())
    raise UnknownKindError(f"{path}: no ingestor recognises this file ({listed}); "
                           f"known kinds: {', '.join(sorted(registry))}")


def _preflight(path: Path) -> None:
    """The sniffing checks of ``readers.sniff``, their error (or a bad limit setting) as an UnknownKindError."""
    from ingest.readers.sniff import preflight

    try:
        preflight(path)
    except VetgraphError as error:
        raise UnknownKindError(str(error) if str(error).startswith(str(path)) else f"{path}: {error}") from None
