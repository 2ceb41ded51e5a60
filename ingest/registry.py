"""Ingestors keyed by kind: an explicit --kind wins, else the file's suffix and content decide.

Lookup only: each kind's ingestor lives with its parser and is imported here, never the reverse.
"""

from __future__ import annotations

from pathlib import Path

from ingest.base import NOT_DATA, Ingestor
from kg.errors import UnknownKindError


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
    """The ingestor for ``path``; raises UnknownKindError saying why no kind matched."""
    if kind is not None:
        return get_ingestor(kind)
    if path.stem.lower() in NOT_DATA:
        raise UnknownKindError(f"{path}: a {path.stem} file is documentation, not data")
    reasons: list[str] = []
    registry = _registry()
    chosen = []
    for ingestor in registry.values():
        if path.suffix.lower() not in ingestor.suffixes:
            continue
        why_not = ingestor.detect(path)
        if why_not is None:
            chosen.append(ingestor)
        else:
            reasons.append(f"not {ingestor.kind}: {why_not}")
    if len(chosen) == 1:
        return chosen[0]
    if len(chosen) > 1:
        raise UnknownKindError(f"{path}: ambiguous, matches {', '.join(i.kind for i in chosen)}; choose with --kind")
    if not reasons:
        suffixes = sorted({s for i in registry.values() for s in i.suffixes})
        raise UnknownKindError(f"{path}: no ingestor reads {path.suffix or 'files without a suffix'} files "
                               f"(known: {' '.join(suffixes)})")
    raise UnknownKindError(f"{path}: no ingestor recognises this file ({'; '.join(reasons)}); "
                           f"known kinds: {', '.join(sorted(registry))}")
