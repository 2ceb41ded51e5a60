"""What the app loads once per process: the store snapshot, the search index, the encoder, the ontology's labels.

The home comes from $VETGRAPH_STORE (default ``.vetgraph``). Readers open the newest published
snapshot read-only, cached by its path: an ingest or a review publishes a new snapshot under a new
path, so the next run opens that one while a CLI writer keeps working on the primary database.
Library errors (kg.errors.VetgraphError) are for the pages to show with st.error.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import streamlit as st

from kg.errors import VetgraphError
from kg.query.runner import QueryRunner
from kg.query.stats import StoreOverview, store_overview
from kg.search.base import Encoder
from kg.search.index import SearchIndex
from kg.store.base import GraphStore
from kg.store.factory import open_store
from kg.store.home import Home
from webapp.labels import Labels, load_labels

T = TypeVar("T")
#: How long a click in the app waits for the write lock before saying the store is busy.
WRITE_WAIT_SECONDS = 5.0


@dataclass
class AppContext:
    """One run's view of the home: its snapshot (None while empty) and the store opened on it."""

    home: Home
    snapshot: str | None
    store: GraphStore | None

    @property
    def empty(self) -> bool:
        return self.store is None


@st.cache_resource(max_entries=2, show_spinner=False)
def open_snapshot(snapshot: str) -> GraphStore:
    """A read-only store per published snapshot: a new ingest publishes a new path, so a new store."""
    return open_store("oxigraph", path=Path(snapshot), read_only=True)


@st.cache_resource(max_entries=2, show_spinner=False)
def query_runner(root: str) -> QueryRunner:
    """The home's query workers, one process kept warm (a query past its time limit is killed, not waited for)."""
    return QueryRunner(Home(Path(root)))


def app_context() -> AppContext:
    """The home named by $VETGRAPH_STORE and its newest snapshot, opened (VetgraphError when it cannot be)."""
    home = Home.at()
    snapshot = home.current_snapshot()
    if snapshot is None:
        return AppContext(home, None, None)
    return AppContext(home, str(snapshot), open_snapshot(str(snapshot)))


@st.cache_resource(max_entries=4, show_spinner=False)
def search_index(folder: str) -> SearchIndex:
    """One index object per folder: it reads the saved version again by itself when `vetgraph index` switches it."""
    return SearchIndex(Path(folder))


def index_of(context: AppContext) -> SearchIndex | None:
    """The home's search index, None when none has been built."""
    index = search_index(str(context.home.index))
    return index if index.exists() else None


#: Snapshots whose index was found in line with them (or brought in line), per index folder.
_CHECKED: set[tuple[str, str]] = set()


def index_notice(context: AppContext, index: SearchIndex) -> str | None:
    """Once per snapshot, as `vetgraph search` does at start-up: the leftovers of crashed builds removed and a
    stale or damaged index refreshed from the store; a line to show when it could not be brought in line."""
    from kg.search.freshness import ensure_fresh

    key = (context.snapshot or "", str(index.folder))
    if key in _CHECKED or context.store is None:
        return None
    model, reason = encoder_for(context, index)
    if model is None:
        from kg.search.freshness import check_index

        health = check_index(index, context.store)
        return health.message() + f" ({reason})" if health.needs_refresh else None
    with st.spinner("checking the search index against the store …"):
        health, refreshed = ensure_fresh(index, context.store, model, lock=context.home.index_lock(timeout=0))
    if health.needs_refresh and refreshed is None:  # another process is building it: look again next run
        return health.message() + "; another index build is running, results may be out of date until it ends"
    _CHECKED.add(key)
    return None


@st.cache_resource(max_entries=2, show_spinner="loading the embedding model …")
def encoder(spec: str, models: str) -> Encoder:
    """The encoder the index was built with, loaded once per process."""
    from kg.search.encoder import load_encoder

    return load_encoder(spec, Path(models))


def encoder_for(context: AppContext, index: SearchIndex) -> tuple[Encoder | None, str | None]:
    """The index's encoder, or None and the reason (the search then runs on BM25 alone)."""
    try:
        return encoder(index.settings.model, str(context.home.models)), None
    except VetgraphError as error:
        return None, str(error)


@st.cache_resource(show_spinner=False)
def labels() -> Labels:
    """The ontology's names of classes and properties."""
    return load_labels()


@st.cache_data(max_entries=8, show_spinner=False)
def overview(snapshot: str, _store: GraphStore) -> StoreOverview:
    """Source files and class counts of one snapshot."""
    return store_overview(_store)


def per_snapshot(function: Callable[..., T]) -> Callable[..., T]:
    """Cache a read model by (snapshot, arguments): ``function(store, *args)`` runs once per snapshot."""
    name = f"{function.__module__}.{function.__qualname__}"  # every wrapped function shares one cache: keyed apart

    def call(context: AppContext, *args: object) -> T:
        return _cached(name, context.snapshot, context.store, function, *args)

    call.__doc__ = function.__doc__
    call.__name__ = function.__name__
    return call


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, snapshot: str | None, _store: GraphStore, _function: Callable[..., T], *args: object) -> T:
    return _function(_store, *args)


def write(context: AppContext, action: Callable[[GraphStore], T]) -> T:
    """Run ``action`` on the writer (the home's lock held, a new snapshot published when done)."""
    with context.home.writer(timeout=WRITE_WAIT_SECONDS) as store:
        return action(store)


def reviewer_default() -> str:
    return os.environ.get("USER") or "app"
