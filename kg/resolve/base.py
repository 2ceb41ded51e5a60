"""What a resolution step returns, and the shape of a step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kg.core.rdf import Triple
from kg.store.base import GraphStore


@dataclass
class Resolution:
    """The derived triples of one step and what it could not resolve."""

    name: str
    triples: list[Triple]
    notes: list[str] = field(default_factory=list)


#: A step: reads the whole store, returns its derived graph's triples and its notes.
Resolver = Callable[[GraphStore], Resolution]
