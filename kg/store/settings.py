"""Where a remote store lives: one small settings object, read from ``store.json`` in the home.

A home without ``store.json`` uses the embedded store. With one, its data lives on a SPARQL 1.1
server while the home keeps the write lock, the search index, the models and the reports::

    {"backend": "remote", "flavour": "oxigraph", "url": "http://127.0.0.1:7878"}
    {"backend": "remote", "flavour": "virtuoso", "url": "http://127.0.0.1:8890", "user": "dba"}

``flavour`` names each endpoint from ``url`` the way that server does; explicit ``query_url``,
``update_url`` and ``store_url`` win. The password may come from $VETGRAPH_STORE_PASSWORD instead
of the file.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from kg.core import terms
from kg.errors import SettingsError

SETTINGS_FILE = "store.json"
ENV_PASSWORD = "VETGRAPH_STORE_PASSWORD"


@dataclass(frozen=True)
class Flavour:
    """How one kind of server names its endpoints and what it holds besides our graphs."""

    query: str
    update: str
    store: str
    #: Paths used instead when credentials are given (Virtuoso guards writes behind digest auth).
    query_auth: str
    store_auth: str
    #: Only graphs under this IRI are ours (Virtuoso keeps graphs of its own in the same quad store).
    graphs: str
    #: A multi-operation update runs in one transaction.
    transactional: bool
    #: The media type N-Triples is sent as to the Graph Store Protocol.
    ntriples_type: str


FLAVOURS: dict[str, Flavour] = {
    "oxigraph": Flavour(query="/query", update="/update", store="/store", query_auth="/query",
                        store_auth="/store", graphs="", transactional=True, ntriples_type="application/n-triples"),
    "virtuoso": Flavour(query="/sparql", update="/sparql", store="/sparql-graph-crud", query_auth="/sparql-auth",
                        store_auth="/sparql-graph-crud-auth", graphs=terms.GRAPH, transactional=False,
                        ntriples_type="text/turtle"),
}


@dataclass(frozen=True)
class RemoteSettings:
    """A SPARQL 1.1 server: its Query, Update and Graph Store Protocol URLs, and credentials."""

    flavour: str
    query_url: str
    update_url: str
    store_url: str
    user: str | None = None
    password: str | None = None
    timeout: float = 300.0

    @property
    def server(self) -> Flavour:
        return FLAVOURS[self.flavour]

    @classmethod
    def for_server(cls, flavour: str, url: str, *, user: str | None = None, password: str | None = None,
                   query_url: str | None = None, update_url: str | None = None, store_url: str | None = None,
                   timeout: float = 300.0) -> RemoteSettings:
        """Settings for a server at ``url``, its endpoints named as ``flavour`` names them."""
        if flavour not in FLAVOURS:
            raise SettingsError(f"unknown store flavour '{flavour}'; known: {', '.join(sorted(FLAVOURS))}")
        names = FLAVOURS[flavour]
        base = url.rstrip("/")
        auth = user is not None
        return cls(flavour=flavour,
                   query_url=query_url or base + (names.query_auth if auth else names.query),
                   update_url=update_url or base + (names.query_auth if auth and flavour == "virtuoso" else names.update),
                   store_url=store_url or base + (names.store_auth if auth else names.store),
                   user=user, password=password, timeout=timeout)

    def to_json(self) -> dict[str, Any]:
        """The settings as saved in store.json (never the password)."""
        saved = {"backend": "remote", **asdict(self)}
        saved.pop("password")
        return {k: v for k, v in saved.items() if v is not None}


_KEYS = ("backend", "url", *(f.name for f in fields(RemoteSettings)))


def settings_from_mapping(values: dict[str, Any], *, where: str = SETTINGS_FILE) -> RemoteSettings:
    """RemoteSettings from a store.json mapping; unknown keys are refused with the valid ones named."""
    unknown = sorted(set(values) - set(_KEYS))
    if unknown:
        raise SettingsError(f"{where}: unknown store setting(s) {', '.join(unknown)}; valid: {', '.join(_KEYS)}")
    if values.get("backend", "remote") != "remote":
        raise SettingsError(f"{where}: backend must be 'remote' (a home without store.json uses the embedded store)")
    options = {k: v for k, v in values.items() if k not in ("backend", "url", "flavour")}
    options.setdefault("password", os.environ.get(ENV_PASSWORD))
    flavour = values.get("flavour")
    if flavour is None:
        raise SettingsError(f"{where}: 'flavour' is required; known: {', '.join(sorted(FLAVOURS))}")
    url = values.get("url")
    if url is None and not all(options.get(k) for k in ("query_url", "update_url", "store_url")):
        raise SettingsError(f"{where}: give 'url', or all of 'query_url', 'update_url' and 'store_url'")
    return RemoteSettings.for_server(flavour, url or "", **options)


def load_settings(root: Path) -> RemoteSettings | None:
    """The remote store a home names in its store.json, or None for the embedded store."""
    path = root / SETTINGS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        values = json.loads(text)
    except json.JSONDecodeError as error:
        raise SettingsError(f"{path}: not valid JSON: {error}") from error
    if not isinstance(values, dict):
        raise SettingsError(f"{path}: expected a JSON object of store settings")
    return settings_from_mapping(values, where=str(path))


def save_settings(root: Path, settings: RemoteSettings) -> Path:
    """Write store.json into a home (the password stays out: give it in $VETGRAPH_STORE_PASSWORD)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / SETTINGS_FILE
    path.write_text(json.dumps(settings.to_json(), indent=2) + "\n", encoding="utf-8")
    return path
