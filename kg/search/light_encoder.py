"""Light encoders: e5's XLM-RoBERTa forward pass in numpy, read straight from its sentence-transformers folder
(and the distilled static model's token-vector mean).

It imports numpy and tokenizers only (never torch, transformers or sentence-transformers), so a search
starts in well under a second; the weights are memory-mapped from model.safetensors, and the vectors
match sentence-transformers' for the same folder (same prompts, truncation, mean pooling and L2 norm).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

from kg.search.light_tokenizer import LightTokenizer
from kg.search.models import ModelError

#: The module layout the forward pass reproduces: a transformer, mean pooling, L2 normalisation.
LIGHT_MODULES = ("sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
                 "sentence_transformers.models.Normalize")
#: A distilled static model: token vectors averaged, L2 normalisation.
STATIC_MODULES = ("sentence_transformers.models.StaticEmbedding", "sentence_transformers.models.Normalize")
#: progress(done, total) after each batch of texts encoded.
Progress = Callable[[int, int], None]
_SAFETENSORS_DTYPES = {"F32": "<f4", "F16": "<f2"}
_SORT_WINDOW = 4096  # texts sorted by length within a window, so that a batch pads little
_ONE_THREAD_TOKENS = 2048  # a call of at most this many tokens (queries) runs on one BLAS thread
_BATCH_TOKENS = 8192  # padded tokens a forward pass holds at most (its activations stay under ~150 MB)
_SCORES_FLOATS = 4 * 1024 * 1024  # attention scores computed at once (16 MB)


def light_model_problem(path: Path) -> str | None:
    """Why neither light encoder can run the folder at path (None when one can)."""
    try:
        modules = _read(path / "modules.json")
        kinds = tuple(module["type"] for module in modules)
        if kinds == STATIC_MODULES:
            return _static_problem(path)
        if kinds != LIGHT_MODULES or modules[0]["path"] != "":
            names = ", ".join(kind.rsplit(".", 1)[-1] for kind in kinds)
            return f"its modules are {names}, not Transformer, Pooling, Normalize or StaticEmbedding, Normalize"
        config = _read(path / "config.json")
        pooling = _read(path / modules[1]["path"] / "config.json")
    except (ModelError, KeyError, TypeError, IndexError) as error:
        return f"cannot read its configuration: {error}"
    if config.get("model_type") != "xlm-roberta" or config.get("position_embedding_type", "absolute") != "absolute":
        return f"model type {config.get('model_type')!r} is not an xlm-roberta with absolute positions"
    if config.get("hidden_act") != "gelu":
        return f"activation {config.get('hidden_act')!r} is not gelu"
    if _read_optional(path / "sentence_bert_config.json").get("do_lower_case"):
        return "it lower-cases its input"
    other_modes = ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
                   "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken")
    if (pooling.get("pooling_mode_mean_tokens", pooling.get("pooling_mode") == "mean") is not True
            or any(pooling.get(mode) for mode in other_modes) or not pooling.get("include_prompt", True)):
        return "its pooling is not plain mean pooling"
    for name in ("model.safetensors", "tokenizer.json"):
        if not (path / name).is_file():
            return f"it has no {name}"
    return None


def open_light_encoder(path: Path, *, name: str, batch_size: int = 32, threads: int | None = None,
                       progress: Progress | None = None) -> LightEncoder | LightStaticEncoder:
    """The light encoder for a folder light_model_problem accepts: the transformer's or the static one."""
    if tuple(module["type"] for module in _read(path / "modules.json")) == STATIC_MODULES:
        return LightStaticEncoder(path, name=name)
    return LightEncoder(path, name=name, batch_size=batch_size, threads=threads, progress=progress)


class LightEncoder:
    """An Encoder over a local e5 (XLM-RoBERTa, mean-pooled) folder, with numpy and tokenizers only."""

    def __init__(self, path: Path | str, *, name: str, batch_size: int = 32, threads: int | None = None,
                 progress: Progress | None = None) -> None:
        self.path = Path(path)
        if (problem := light_model_problem(self.path)) is not None:
            raise ModelError(f"the light encoder cannot run {self.path}: {problem}")
        self.name = name
        self.batch_size = batch_size
        self.threads = threads  # forward passes run at once in a large call (None: one a core); a query runs one
        self.progress = progress
        self.calls = 0
        self.texts_encoded = 0
        config = _read(self.path / "config.json")
        self.dim = int(config["hidden_size"])
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config["layer_norm_eps"])
        self._pad_id = int(config.get("pad_token_id", 1))
        limit = _read_optional(self.path / "sentence_bert_config.json").get("max_seq_length")
        positions = int(config["max_position_embeddings"]) - self._pad_id - 1
        self.max_tokens = min(int(limit), positions) if limit is not None else positions
        prompts = _read_optional(self.path / "config_sentence_transformers.json").get("prompts") or {}
        self._query_prefix, self._passage_prefix = prompts.get("query") or "", prompts.get("passage") or ""
        self._weights = read_safetensors(self.path / "model.safetensors")
        self._tokenizer = LightTokenizer(self.path, self.max_tokens)
        self._counter: Any = None

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors (the "query: " prompt where the model has one)."""
        return self._encode(texts, self._query_prefix)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Passage vectors (the "passage: " prompt where the model has one)."""
        return self._encode(texts, self._passage_prefix)

    def count_tokens(self, text: str) -> int:
        """How many tokens the model reads for text as a passage, prompt and special tokens included."""
        if self._counter is None:
            from tokenizers import Tokenizer

            self._counter = Tokenizer.from_file(str(self.path / "tokenizer.json"))
            self._counter.no_truncation()
            self._counter.no_padding()
        return len(self._counter.encode(self._passage_prefix + text).ids)

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        self.calls += 1
        self.texts_encoded += len(texts)
        vectors = np.zeros((len(texts), self.dim), np.float32)
        sequences = self._tokenizer.encode_batch([prefix + text for text in texts]) if texts else []
        batches = list(self._batches(sequences))
        # one BLAS thread each: OpenBLAS's own threads crawl when other processes share the cores
        workers = 1 if sum(map(len, sequences)) <= _ONE_THREAD_TOKENS else self.threads or os.cpu_count() or 1
        done = 0
        with _blas_threads(1), ThreadPoolExecutor(max_workers=min(workers, len(batches), 8) or 1) as pool:
            for batch, batch_vectors in zip(batches, pool.map(
                    lambda rows: self._forward([sequences[r] for r in rows]), batches)):
                vectors[batch] = batch_vectors
                done += len(batch)
                if self.progress is not None:
                    self.progress(done, len(texts))
        return vectors

    def _batches(self, sequences: list[list[int]]) -> Iterator[list[int]]:
        """Rows in batches of similar length: at most batch_size texts and _BATCH_TOKENS padded tokens each."""
        for window in range(0, len(sequences), _SORT_WINDOW):
            rows = sorted(range(window, min(window + _SORT_WINDOW, len(sequences))), key=lambda r: -len(sequences[r]))
            batch: list[int] = []
            for row in rows:  # longest first, so the first row of a batch sets its width
                if batch and (len(batch) >= self.batch_size
                              or (len(batch) + 1) * len(sequences[batch[0]]) > _BATCH_TOKENS):
                    yield batch
                    batch = []
                batch.append(row)
            if batch:
                yield batch

    def _forward(self, sequences: list[list[int]]) -> np.ndarray:
        """Mean-pooled, L2-normalised last hidden states of a batch of token id sequences."""
        w = self._weights
        width = max(len(ids) for ids in sequences)
        ids = np.full((len(sequences), width), self._pad_id, np.int64)
        mask = np.zeros((len(sequences), width), np.float32)
        for row, sequence in enumerate(sequences):
            ids[row, :len(sequence)] = sequence
            mask[row, :len(sequence)] = 1
        positions = (np.cumsum(mask, axis=1) * mask).astype(np.int64) + self._pad_id  # RoBERTa's numbering
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][positions]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self._eps)
        batch, heads = len(sequences), self._heads
        head_dim = self.dim // heads
        blocked = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for layer in range(self._layers):
            p = f"encoder.layer.{layer}."

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, width, heads, head_dim).transpose(0, 2, 1, 3)

            q = split(_linear(x, w, p + "attention.self.query")) * np.float32(head_dim ** -0.5)
            k = split(_linear(x, w, p + "attention.self.key"))
            v = split(_linear(x, w, p + "attention.self.value"))
            context = np.empty_like(q)
            step = max(1, _SCORES_FLOATS // (heads * width * width))  # texts whose attention scores fit at once
            for start in range(0, batch, step):
                part = slice(start, start + step)
                scores = q[part] @ k[part].transpose(0, 1, 3, 2) + blocked[part]
                scores -= scores.max(axis=-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(axis=-1, keepdims=True)
                context[part] = scores @ v[part]
            context = context.transpose(0, 2, 1, 3).reshape(batch, width, self.dim)
            x = _layer_norm(x + _linear(context, w, p + "attention.output.dense"),
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"],
                            self._eps)
            inner = _gelu(_linear(x, w, p + "intermediate.dense"))
            x = _layer_norm(x + _linear(inner, w, p + "output.dense"),
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self._eps)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


class LightStaticEncoder:
    """An Encoder over a distilled static folder (StaticEmbedding, Normalize): the mean of its token vectors."""

    def __init__(self, path: Path | str, *, name: str) -> None:
        self.path = Path(path)
        if (problem := _static_problem(self.path)) is not None:
            raise ModelError(f"the light encoder cannot run {self.path}: {problem}")
        self.name = name
        self.calls = 0
        self.texts_encoded = 0
        weights = read_safetensors(self.path / "model.safetensors")
        self._embeddings = weights.get("embedding.weight", weights.get("embeddings"))
        self.dim = int(self._embeddings.shape[1])
        self.max_tokens = sys.maxsize  # a static model reads any length
        prompts = _read_optional(self.path / "config_sentence_transformers.json").get("prompts") or {}
        self._query_prefix, self._passage_prefix = prompts.get("query") or "", prompts.get("passage") or ""
        self._tokenizer = LightTokenizer(self.path, None, add_special_tokens=False)
        self._counter: Any = None

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors (with the model's query prompt, if it has one)."""
        return self._encode(texts, self._query_prefix)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Passage vectors (with the model's passage prompt, if it has one); an empty text gives zeros."""
        return self._encode(texts, self._passage_prefix)

    def count_tokens(self, text: str) -> int:
        """Tokens of text as sentence-transformers' encoder counts them (special tokens included)."""
        if self._counter is None:
            from tokenizers import Tokenizer

            self._counter = Tokenizer.from_file(str(self.path / "tokenizer.json"))
            self._counter.no_truncation()
            self._counter.no_padding()
        return len(self._counter.encode(self._passage_prefix + text).ids)

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        self.calls += 1
        self.texts_encoded += len(texts)
        vectors = np.zeros((len(texts), self.dim), np.float32)
        for row, ids in enumerate(self._tokenizer.encode_batch([prefix + text for text in texts]) if texts else []):
            if ids:
                vectors[row] = self._embeddings[ids].mean(axis=0)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file as read-only numpy arrays memory-mapped over it (nothing is copied)."""
    try:
        with path.open("rb") as handle:
            size = int.from_bytes(handle.read(8), "little")
            header = json.loads(handle.read(size))
        data = np.memmap(path, np.uint8, mode="r")
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot read {path}: {error}") from error
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] not in _SAFETENSORS_DTYPES:
            raise ModelError(f"{path}: tensor {name} is {entry['dtype']}; the light encoder reads F32 and F16")
        start, end = (8 + size + offset for offset in entry["data_offsets"])
        array = data[start:end].view(_SAFETENSORS_DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = array if array.dtype == np.float32 else array.astype(np.float32)
    return tensors


def _static_problem(path: Path) -> str | None:
    for name in ("model.safetensors", "tokenizer.json"):
        if not (path / name).is_file():
            return f"it has no {name}"
    names = set(read_safetensors(path / "model.safetensors"))
    if not names & {"embedding.weight", "embeddings"} or names & {"mapping", "weights"}:
        return f"its weights ({', '.join(sorted(names))}) are not one plain embedding table"
    return None


def _linear(x: np.ndarray, weights: dict[str, np.ndarray], name: str) -> np.ndarray:
    weight = weights[name + ".weight"]
    return (x.reshape(-1, x.shape[-1]) @ weight.T + weights[name + ".bias"]).reshape(*x.shape[:-1], weight.shape[0])


@contextmanager
def _blas_threads(threads: int) -> Iterator[None]:
    """Limit numpy's BLAS to a number of threads, where threadpoolctl is installed."""
    if find_spec("threadpoolctl") is None:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads, user_api="blas"):
        yield


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    centred = x - x.mean(axis=-1, keepdims=True)
    return centred / np.sqrt((centred * centred).mean(axis=-1, keepdims=True) + np.float32(eps)) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """The exact (erf) GELU, x * Φ(x), with erf from Abramowitz & Stegun 7.1.26 (error under 1.5e-7)."""
    z = np.abs(x)
    z *= np.float32(0.5 ** 0.5)
    t = z * np.float32(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    poly = t * np.float32(1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(coefficient)
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x| / sqrt 2)
    np.copysign(poly, x, out=poly)  # erfc with the sign of x: Φ(x) = (1 + sign(x) (1 - poly)) / 2
    poly -= np.sign(x)
    poly *= np.float32(-0.5)
    poly += np.float32(0.5)
    return x * poly


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot read {path}: {error}") from error


def _read_optional(path: Path) -> dict[str, Any]:
    return _read(path) if path.is_file() else {}
