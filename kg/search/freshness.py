"""Whether the search index is in line with the store, checked where an index is opened to search.

Every index version saves the store version it was built from (kg.store.version: a fingerprint of
the source graphs and of the derived graphs' state). At start-up ``check_index`` compares it with the
store's, tries to read the live version, and finds staging folders that crashed builds left. A stale
or damaged index is repaired by a refresh, which embeds only the nodes whose text changed (from the
previous version when the live one cannot be read), so the repair costs what the change does.
"""

from __future__ import annotations

import shutil
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import SettingsError, StoreLockedError
from kg.search.base import Encoder
from kg.search.index import Progress, RefreshReport, SearchIndex
from kg.search.settings import SearchError
from kg.store.base import GraphStore
from kg.store.version import store_version

#: What check_index finds: no index; in line; built from another store version; built before versions
#: were recorded; the live version cannot be read.
STATES = ("missing", "fresh", "stale", "unversioned", "damaged")


@dataclass
class IndexHealth:
    """The index against the store: its state, both fingerprints, why, and the leftovers of crashed builds."""

    state: str
    built_from: str = ""
    store: str = ""
    detail: str = ""
    leftovers: list[Path] = field(default_factory=list)

    @property
    def needs_refresh(self) -> bool:
        return self.state in ("stale", "unversioned", "damaged")

    def message(self) -> str:
        """One line for people: what is wrong and what repairs it."""
        if self.state == "stale":
            return (f"the search index was built from store version {self.built_from[:12]}, the store is now at "
                    f"{self.store[:12]} ({self.detail})")
        if self.state == "unversioned":
            return "the search index does not record the store version it was built from"
        if self.state == "damaged":
            return f"the search index cannot be read ({self.detail})"
        if self.state == "missing":
            return "no search index: run `vetgraph index` first"
        return f"the search index is in line with the store (version {self.store[:12]})"


def check_index(index: SearchIndex, store: GraphStore) -> IndexHealth:
    """Compare the index's saved store version with the store's; read the live version to be sure it is whole."""
    leftovers = index.leftovers()
    if not index.exists():
        return IndexHealth("missing", leftovers=leftovers)
    now = store_version(store)
    try:
        index.load()  # the search that follows reads the same state, loaded once
        saved = index.built_from()
    except (SearchError, SettingsError) as error:
        return IndexHealth("damaged", store=now.fingerprint, detail=str(error), leftovers=leftovers)
    if saved is None:
        return IndexHealth("unversioned", store=now.fingerprint, leftovers=leftovers)
    if saved["fingerprint"] == now.fingerprint:
        return IndexHealth("fresh", saved["fingerprint"], now.fingerprint, leftovers=leftovers)
    detail = ("its source files changed since" if saved.get("sources") != now.sources
              else "its derived graphs were rebuilt since")
    return IndexHealth("stale", saved["fingerprint"], now.fingerprint, detail, leftovers)


def ensure_fresh(index: SearchIndex, store: GraphStore, encoder: Encoder, *,
                 lock: AbstractContextManager[object] | None = None,
                 progress: Progress | None = None) -> tuple[IndexHealth, RefreshReport | None]:
    """Remove what crashed builds left, and refresh a stale or damaged index; the health found and the refresh.

    ``lock`` (a home's ``index_lock(timeout=0)``) is held around the refresh: while another process holds it
    nothing is refreshed (None), and the caller says the index may be stale.
    """
    health = check_index(index, store)
    for leftover in health.leftovers:
        shutil.rmtree(leftover, ignore_errors=True)
    if not health.needs_refresh:
        return health, None
    try:
        with lock if lock is not None else nullcontext():
            if not check_index(index, store).needs_refresh:  # a build that held the lock brought it in line
                return health, None
            return health, index.refresh(store, encoder, progress=progress)
    except StoreLockedError:
        return health, None
