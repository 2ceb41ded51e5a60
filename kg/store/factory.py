"""Open a store by backend name: the one place that knows which classes implement GraphStore.

Backends: ``oxigraph`` (embedded, on disk; needs a path), ``memory`` (embedded, in this process
only) and ``remote`` (a SPARQL 1.1 server; needs its ``RemoteSettings``, usually from the home's
store.json). ``BACKENDS`` lists the embedded ones, opened from a folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.errors import StoreError
from kg.store.base import GraphStore
from kg.store.settings import RemoteSettings

DEFAULT_BACKEND = "oxigraph"
REMOTE_BACKEND = "remote"


def _oxigraph(path: Path | None, read_only: bool) -> GraphStore:
    from kg.store.oxigraph import OxigraphStore

    if path is None:
        raise StoreError("the oxigraph backend needs a folder; use the memory backend for a store without one")
    return OxigraphStore(path, read_only=read_only)


def _memory(path: Path | None, read_only: bool) -> GraphStore:
    from kg.store.oxigraph import OxigraphStore

    return OxigraphStore(None, read_only=read_only)


BACKENDS: dict[str, Callable[[Path | None, bool], GraphStore]] = {"oxigraph": _oxigraph, "memory": _memory}


def open_store(backend: str = DEFAULT_BACKEND, *, path: Path | None = None, read_only: bool = False,
               settings: RemoteSettings | None = None) -> GraphStore:
    """A store of ``backend``; raises StoreError naming the known backends for an unknown one."""
    if backend == REMOTE_BACKEND:
        from kg.store.remote import RemoteStore

        if settings is None:
            raise StoreError("the remote backend needs its settings (a store.json in the home, see the README)")
        return RemoteStore(settings, read_only=read_only)
    if backend not in BACKENDS:
        raise StoreError(f"unknown store backend '{backend}'; known: {', '.join(sorted([*BACKENDS, REMOTE_BACKEND]))}")
    return BACKENDS[backend](path, read_only)


def memory_store() -> GraphStore:
    """An empty writable store in this process (tests, previews, one-off conversions)."""
    return open_store("memory")
