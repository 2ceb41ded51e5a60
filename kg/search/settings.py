"""The search settings: one keyword-only object, saved as settings.json beside the index it built."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from kg.errors import SettingsError, VetgraphError

SETTINGS_FILE = "settings.json"
TOKENIZERS = ("char", "jieba")
RETRIEVERS = ("dense", "bm25")


class SearchError(VetgraphError):
    """The search index is missing, stale, built with another model, or asked something it cannot do."""


def _default_weights() -> dict[str, float]:
    # Chosen on the tuning split of bench/search_queries.jsonl (bench/search_eval.py, bench/README.md):
    # BM25 at half the dense weight, with rrf_k 10, beats both retrievers alone there.
    return {"dense": 1.0, "bm25": 0.5}


@dataclass(frozen=True, kw_only=True)
class SearchSettings:
    """How the index is built and searched; unknown keys are refused, naming the valid ones."""

    model: str = "e5"  # "e5", "static", "fake" or a path: the spec handed to load_encoder
    tokenizer: str = "char"  # BM25 tokenizer: "char" (CJK unigrams + bigrams) or "jieba"
    weights: dict[str, float] = field(default_factory=_default_weights)  # retriever -> RRF weight
    rrf_k: int = 10  # reciprocal-rank-fusion constant: weight / (rrf_k + rank); 2 before round 2 of tuning
    hnsw_threshold: int = 50_000  # at or above this many vectors the dense index is HNSW, below it exact
    chunk_tokens: int = 512  # the most tokens one embedded chunk may hold, the passage prompt included
    include_flagged_courses: bool = False  # index courses whose names look like PDF fragments
    english_to_chinese: bool = True  # an English query also searches the Chinese words CC-CEDICT gives it

    def __post_init__(self) -> None:
        if self.tokenizer not in TOKENIZERS:
            raise SettingsError(f"unknown tokenizer {self.tokenizer!r}; known: {', '.join(TOKENIZERS)}")
        unknown = sorted(set(self.weights) - set(RETRIEVERS))
        if unknown:
            raise SettingsError(f"unknown retriever {unknown[0]!r} in weights; known: {', '.join(RETRIEVERS)}")
        if any(not isinstance(w, (int, float)) or w < 0 for w in self.weights.values()):
            raise SettingsError(f"weights must be numbers >= 0, got {self.weights}")
        object.__setattr__(self, "weights", {**{r: 0.0 for r in RETRIEVERS}, **{k: float(v) for k, v in
                                                                                   self.weights.items()}})
        if not any(self.weights.values()):
            raise SettingsError("at least one retriever needs a weight above 0")
        if self.rrf_k < 0:
            raise SettingsError(f"rrf_k must be at least 0, got {self.rrf_k}")
        if self.hnsw_threshold < 1:
            raise SettingsError(f"hnsw_threshold must be at least 1, got {self.hnsw_threshold}")
        if self.chunk_tokens < 16:
            raise SettingsError(f"chunk_tokens must be at least 16, got {self.chunk_tokens}")
        if not self.model:
            raise SettingsError("model must name an encoder: e5, static, fake or a path")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchSettings:
        """Settings from a mapping (a saved settings.json, CLI options); unknown keys name the valid ones."""
        valid = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(valid))
        if unknown:
            raise SettingsError(f"unknown search setting {unknown[0]!r}; valid: {', '.join(valid)}")
        return cls(**data)

    def replace(self, **changes: Any) -> SearchSettings:
        """A copy with some settings changed (same checks as the constructor)."""
        return SearchSettings.from_dict({**self.to_dict(), **changes})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def save(self, folder: Path) -> Path:
        """Write settings.json into ``folder``."""
        path = folder / SETTINGS_FILE
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, folder: Path) -> SearchSettings:
        """Read settings.json from ``folder``."""
        path = folder / SETTINGS_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise SettingsError(f"no {SETTINGS_FILE} in {folder}") from error
        except (OSError, ValueError) as error:
            raise SettingsError(f"{path}: cannot read the search settings: {error}") from error
        if not isinstance(data, dict):
            raise SettingsError(f"{path}: expected a JSON object")
        return cls.from_dict(data)
