"""Open a store by backend name: the one place that knows which classes implement GraphStore.

Backends today: ``oxigraph`` (embedded, on disk; needs a path) and ``memory`` (embedded, in this
process only). A remote SPARQL 1.1 backend registers here too, so no caller changes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.errors import StoreError
from kg.store.base import GraphStore

DEFAULT_BACKEND = "oxigraph"


def _oxigraph(path: Path | None, read_only: bool) -> GraphStore:
    from kg.store.oxigraph import OxigraphStore

    if path is None:
        raise StoreError("the oxigraph backend needs a folder; use the memory backend for a store without one")
    return OxigraphStore(path, read_only=read_only)


def _memory(path: Path | None, read_only: bool) -> GraphStore:
    from kg.store.oxigraph import OxigraphStore

    return OxigraphStore(None, read_only=read_only)


BACKENDS: dict[str, Callable[[Path | None, bool], GraphStore]] = {"oxigraph": _oxigraph, "memory": _memory}


def open_store(backend: str = DEFAULT_BACKEND, *, path: Path | None = None, read_only: bool = False) -> GraphStore:
    """A store of ``backend``; raises StoreError naming the known backends for an unknown one."""
    if backend not in BACKENDS:
        raise StoreError(f"unknown store backend '{backend}'; known: {', '.join(sorted(BACKENDS))}")
    return BACKENDS[backend](path, read_only)


def memory_store() -> GraphStore:
    """An empty writable store in this process (tests, previews, one-off conversions)."""
    return open_store("memory")
