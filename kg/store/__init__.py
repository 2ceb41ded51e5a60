"""The graph store: a small protocol, the embedded Oxigraph backend, and the VETgraph home folder."""

from kg.store.base import GraphStore, Rejection, SourceRecord, StoreCapabilities
from kg.store.home import Home

__all__ = ["GraphStore", "Home", "Rejection", "SourceRecord", "StoreCapabilities"]
