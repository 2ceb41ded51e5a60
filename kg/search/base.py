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


@dataclass(frozen=True)
class Evidence:
    """What decides whether a hit is a strong match (kg.search.strength); kept with the hit, not printed."""

    exact: bool  # the query is the node's code or (normalised) label
    cosine: float | None  # dense cosine of the node's best chunk; None when dense did not rank it
    coverage: float  # share of the query's word pieces (its class word aside) found in the node's text
    margin: float | None = None  # cosine above the query's background (its 50th dense node); None: unknown


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
    level: str | None = None  # education level (中职 / 高职专科 / 职教本科) of a major, course or outcome
    match: str = "weak"  # "strong" or "weak": whether the hit passes the calibrated signal (kg.search.strength)
    #: where the node was read from: {"file", "line"} (a provision's first line, a catalogue's row); {} unknown
    provenance: dict[str, object] = field(default_factory=dict)
    evidence: Evidence | None = field(default=None, repr=False)  # why ``match`` is what it is (not in JSON)
