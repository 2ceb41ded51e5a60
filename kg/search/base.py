"""The contracts the search pieces share: node texts, chunks, encoders, retrievers and hits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

#: Classes a curriculum designer searches for (vet: local names).
SEARCHABLE = ("Major", "Course", "Certificate", "Occupation", "Industry", "Provision", "LearningOutcome",
              "Target", "Competition")


@dataclass(frozen=True)
class NodeText:
    """The one text indexed for a graph node, built from the graph, with a hash that decides staleness."""

    iri: str
    cls: str  # vet: local name, one of SEARCHABLE
    label: str  # the exact skos:prefLabel (or rdfs:label where a class has no prefLabel)
    text: str  # the full indexed text, verbatim from the source (a provision's starts with its number)
    level: str | None  # education level (中职 / 高职专科 / 职教本科) where the node has one
    digest: str  # content hash of what is embedded (cls, label, text, context)
    context: str = ""  # parent labels, code, level...: embedded with the text, not shown as the text


@dataclass(frozen=True)
class Chunk:
    """A piece of a node text under the model's token limit; hits are folded back to one per node."""

    iri: str
    index: int
    text: str


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors; queries and passages get their own prompts."""

    name: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class Hit:
    """One search result: the node, why it was found, and its nearest graph neighbours."""

    iri: str
    type: str
    label: str
    text: str
    snippet: str
    score: float
    found_by: dict[str, int] = field(default_factory=dict)  # retriever -> rank (1-based)
    neighbours: list[dict[str, str]] = field(default_factory=list)  # {"relation", "iri", "label", "type"}
