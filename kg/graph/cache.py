"""One projection per store snapshot: kept in this process and pickled under the home's ``graph/`` folder.

A snapshot never changes once published, so its name is the cache key: the first command after an
ingest or a review builds the projection (seconds on the real data) and writes
``graph/<snapshot>.<settings>.pickle``; later commands and app processes load it in a fraction of
that. Files of older snapshots are removed when a new one is written. The pickle is read only from
the home's own folder, which only this user's commands write.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import networkx as nx

from kg.graph.model import GraphSettings
from kg.graph.projection import project
from kg.store.base import GraphStore
from kg.store.home import Home

FOLDER = "graph"
#: Bumped when the projection's shape changes, so a pickle of an older shape is built again.
SHAPE_VERSION = 1
_MEMORY: dict[tuple[str, str, str], nx.Graph] = {}


def cache_file(home: Home, snapshot: str, settings: GraphSettings) -> Path:
    return home.root / FOLDER / f"{snapshot}.{settings.key}.v{SHAPE_VERSION}.pickle"


def cached_projection(home: Home, settings: GraphSettings | None = None, store: GraphStore | None = None,
                      snapshot: Path | None = None) -> nx.Graph:
    """The projection of the home's current snapshot (or of ``snapshot``), built once per snapshot and settings
    (``store``: the reader already open on that snapshot, if the caller holds one)."""
    settings = settings or GraphSettings()
    current = snapshot or home.current_snapshot()
    if current is None:
        return project(store or home.open_reader(), settings)
    key = (str(home.root), current.name, settings.key)
    if key in _MEMORY:
        return _MEMORY[key]
    path = cache_file(home, current.name, settings)
    graph = _read(path)
    if graph is None:
        graph = project(store or home.open_reader(), settings)
        _write(path, graph)
    _MEMORY.clear()  # one snapshot at a time in memory: the projection of the real data is ~100 MB
    _MEMORY[key] = graph
    return graph


def _read(path: Path) -> nx.Graph | None:
    try:
        with path.open("rb") as handle:
            graph = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return graph if isinstance(graph, nx.Graph) else None


def _write(path: Path, graph: nx.Graph) -> None:
    """Write the pickle beside older ones, then drop those (a read-only home just keeps no file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump(graph, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
        for old in path.parent.glob("*.pickle"):
            if old.name.split(".", 1)[0] != path.name.split(".", 1)[0]:
                old.unlink(missing_ok=True)
    except OSError:
        return
