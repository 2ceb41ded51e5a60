"""Encoders: a local sentence-transformers model loaded offline (e5 on the light encoder), and a fake for tests."""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from kg.search.base import Encoder
from kg.search.models import ModelError, resolve_model, use_offline_hub

#: progress(done, total) after each slice of texts encoded.
Progress = Callable[[int, int], None]
FAKE_SPEC = "fake"
_PROGRESS_SLICE = 16  # batches per model.encode call, so progress reports as it goes


class SentenceTransformerEncoder:
    """An Encoder over a local sentence-transformers folder, loaded offline; counts what it encodes."""

    def __init__(self, path: Path | str, *, batch_size: int = 32, threads: int | None = None,
                 progress: Progress | None = None) -> None:
        self.path = Path(path)
        self.name = _model_name(self.path)
        self.batch_size = batch_size
        self.progress = progress
        self.calls = 0
        self.texts_encoded = 0
        self._model = _load(self.path, threads)
        dimension = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        prompts: dict[str, str] = self._model.prompts or {}
        self._prompts = {kind: kind if prompts.get(kind) else None for kind in ("query", "passage")}
        self._passage_prefix = prompts.get("passage") or ""
        self._counter: Any = None

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors (the "query: " prompt where the model has one)."""
        return self._encode(texts, self._prompts["query"])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Passage vectors (the "passage: " prompt where the model has one)."""
        return self._encode(texts, self._prompts["passage"])

    @property
    def max_tokens(self) -> int:
        """The most tokens the model reads (prompt and special tokens included); sys.maxsize for no limit."""
        limit = self._model.max_seq_length
        return int(limit) if limit is not None and limit < sys.maxsize else sys.maxsize

    def count_tokens(self, text: str) -> int:
        """How many tokens the model reads for text as a passage, prompt and special tokens included."""
        if self._counter is None:  # a private copy, since the model's own carries truncation settings
            from tokenizers import Tokenizer

            if (self.path / "tokenizer.json").is_file():
                self._counter = Tokenizer.from_file(str(self.path / "tokenizer.json"))
            else:
                tokenizer = self._model.tokenizer
                self._counter = Tokenizer.from_str(getattr(tokenizer, "backend_tokenizer", tokenizer).to_str())
            self._counter.no_truncation()
            self._counter.no_padding()
        return len(self._counter.encode(self._passage_prefix + text).ids)

    def _encode(self, texts: list[str], prompt_name: str | None) -> np.ndarray:
        self.calls += 1
        self.texts_encoded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        step = self.batch_size * _PROGRESS_SLICE if self.progress else len(texts)  # one call sorts all by length
        parts = []
        for start in range(0, len(texts), step):
            parts.append(self._model.encode(
                texts[start:start + step], prompt_name=prompt_name, batch_size=self.batch_size,
                normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False))
            if self.progress is not None:
                self.progress(min(start + step, len(texts)), len(texts))
        return np.ascontiguousarray(np.concatenate(parts), np.float32)


class FakeEncoder:
    """A tiny deterministic encoder for tests: character unigrams and bigrams hashed (crc32) into dim buckets."""

    name = FAKE_SPEC

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.max_tokens = 512
        self.calls = 0
        self.texts_encoded = 0

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors (the same as passage vectors)."""
        return self._encode(texts)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Passage vectors; an empty text gives the zero vector."""
        return self._encode(texts)

    def count_tokens(self, text: str) -> int:
        """One token a character."""
        return len(text)

    def _encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts_encoded += len(texts)
        vectors = np.zeros((len(texts), self.dim), np.float32)
        for row, text in enumerate(texts):
            chars = [c for c in text if not c.isspace()]
            for feature in chars + [a + b for a, b in zip(chars, chars[1:])]:
                code = zlib.crc32(feature.encode("utf-8"))
                vectors[row, code % self.dim] += 1.0 if (code // self.dim) % 2 else -1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


def load_encoder(spec: str, models_dir: Path, *, batch_size: int = 32, threads: int | None = None,
                 progress: Progress | None = None) -> Encoder:
    """The encoder for a spec: fake, e5 (default), static, a local folder or a cached model name.

    e5 (and any mean-pooled XLM-RoBERTa folder) and the static model run on the light encoders, numpy
    and tokenizers only, so that a search starts without importing torch; others load with sentence-transformers.
    """
    if spec.strip() == FAKE_SPEC:
        return FakeEncoder()
    path = resolve_model(spec, models_dir)
    from kg.search.light_encoder import light_model_problem, open_light_encoder

    problem = light_model_problem(path)
    if problem is None:
        return open_light_encoder(path, name=_model_name(path), batch_size=batch_size, threads=threads,
                                  progress=progress)
    print(f"note: loading {_model_name(path)} with sentence-transformers ({problem}); it starts slower",
          file=sys.stderr)
    return SentenceTransformerEncoder(path, batch_size=batch_size, threads=threads, progress=progress)


def _load(path: Path, threads: int | None) -> Any:
    """Load a sentence-transformers folder on the CPU with the hub switched off."""
    use_offline_hub()
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ModelError(f"{error.name} is not installed: pip install torch==2.13.0 sentence-transformers==6.2.0 "
                         "(or use the fake encoder)") from error
    if threads:
        torch.set_num_threads(threads)
    try:
        with quiet_progress_bars():
            return SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(f"cannot load the model in {path}: {error}") from error


@contextmanager
def quiet_progress_bars() -> Iterator[None]:
    """Hide transformers' "Loading weights" bar while a model loads, then restore the setting."""
    from transformers.utils import logging as transformers_logging

    enabled = transformers_logging.is_progress_bar_enabled()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        if enabled:
            transformers_logging.enable_progress_bar()


def _model_name(path: Path) -> str:
    """The folder name, or org/name for a snapshot in the Hugging Face cache."""
    if path.parent.name == "snapshots" and path.parent.parent.name.startswith("models--"):
        return path.parent.parent.name.removeprefix("models--").replace("--", "/")
    return path.name
