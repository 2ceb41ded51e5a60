"""Distil a static (model2vec-style) encoder from e5: one vector a vocabulary token, about 100x faster.

Every token is embedded alone ("<s> token </s>", mean pooled) by the e5 transformer, the vectors are
reduced by PCA, and weighted by log rank (Zipf: sentencepiece ids run roughly from frequent to rare).
The result is a sentence-transformers StaticEmbedding folder that ``SentenceTransformer(path)`` loads.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from kg.search.models import (
    ModelError,
    atomic_folder,
    is_model_folder,
    modules_json,
    read_manifest,
    use_offline_hub,
    write_json,
    write_manifest,
)

#: progress(tokens done, tokens total) after each batch of the forward pass.
Progress = Callable[[int, int], None]


def distill_static(e5_folder: Path, target: Path, *, dims: int = 256, limit_vocab: int | None = None,
                   batch_size: int = 2048, threads: int = 2, progress: Progress | None = None) -> Path:
    """Write a static embedding model distilled from the e5 folder; limit_vocab keeps the first N tokens."""
    if not is_model_folder(e5_folder):
        raise ModelError(f"no e5 model in {e5_folder} to distil from")
    started = time.time()
    tokenizer = json.loads((e5_folder / "tokenizer.json").read_text(encoding="utf-8"))
    if limit_vocab is not None:
        tokenizer = limit_tokenizer(tokenizer, limit_vocab)
    vocab_size = len(tokenizer["model"]["vocab"])
    hidden = json.loads((e5_folder / "config.json").read_text(encoding="utf-8"))["hidden_size"]
    if not 0 < dims <= min(hidden, vocab_size):
        raise ModelError(f"cannot reduce {vocab_size} token vectors of {hidden} dimensions to {dims}")
    token_vectors = embed_tokens(e5_folder, vocab_size, _special_ids(tokenizer), batch_size=batch_size,
                                 threads=threads, progress=progress)
    embeddings = principal_components(token_vectors, dims) * zipf_weights(vocab_size)[:, None]
    _write_static(target, embeddings.astype(np.float32), tokenizer, {
        "model": target.name, "kind": "static", "dim": dims, "vocab_size": vocab_size,
        "limit_vocab": limit_vocab, "distilled_from": str(e5_folder), "teacher": read_manifest(e5_folder),
        "build_seconds": round(time.time() - started, 1)})
    return target


def embed_tokens(e5_folder: Path, vocab_size: int, special: tuple[int, int], *, batch_size: int = 2048,
                 threads: int = 2, progress: Progress | None = None) -> np.ndarray:
    """The e5 vector of each token id below vocab_size, read alone between <s> and </s>, mean pooled."""
    use_offline_hub()
    import torch
    from transformers import AutoModel

    from kg.search.encoder import quiet_progress_bars

    previous_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        with quiet_progress_bars():
            model = AutoModel.from_pretrained(str(e5_folder), local_files_only=True).eval()
        vectors = np.zeros((vocab_size, model.config.hidden_size), np.float32)
        bos, eos = special
        with torch.inference_mode():
            for start in range(0, vocab_size, batch_size):
                ids = torch.arange(start, min(start + batch_size, vocab_size))
                inputs = torch.stack([torch.full_like(ids, bos), ids, torch.full_like(ids, eos)], dim=1)
                hidden = model(input_ids=inputs, attention_mask=torch.ones_like(inputs)).last_hidden_state
                vectors[start:start + len(ids)] = hidden.mean(dim=1).numpy()
                if progress is not None:
                    progress(start + len(ids), vocab_size)
    finally:
        torch.set_num_threads(previous_threads)
    return vectors


def principal_components(vectors: np.ndarray, dims: int) -> np.ndarray:
    """Project the centred vectors onto their first dims principal axes (SVD), signs fixed for repeatability."""
    centred = vectors - vectors.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    axes = axes[:dims]
    axes *= np.sign(axes[np.arange(dims), np.abs(axes).argmax(axis=1)])[:, None]
    return centred @ axes.T


def zipf_weights(vocab_size: int) -> np.ndarray:
    """log(1 + rank) for rank 1..vocab_size: rare tokens weigh more, like an IDF without counts."""
    return np.log1p(np.arange(1, vocab_size + 1, dtype=np.float32))


def limit_tokenizer(tokenizer: dict[str, Any], size: int) -> dict[str, Any]:
    """A copy of a Unigram tokenizer.json that knows only the first size pieces (for tests)."""
    if tokenizer["model"].get("type") != "Unigram":
        raise ModelError("limit_vocab needs a Unigram (sentencepiece) tokenizer like e5's")
    if not size > tokenizer["model"].get("unk_id", 0):
        raise ModelError(f"limit_vocab {size} would drop the unknown token")
    limited = json.loads(json.dumps(tokenizer))
    limited["model"]["vocab"] = limited["model"]["vocab"][:size]
    limited["added_tokens"] = [token for token in limited["added_tokens"] if token["id"] < size]
    return limited


def _special_ids(tokenizer: dict[str, Any]) -> tuple[int, int]:
    ids = {token["content"]: token["id"] for token in tokenizer["added_tokens"]}
    try:
        return ids["<s>"], ids["</s>"]
    except KeyError as missing:
        raise ModelError(f"the e5 tokenizer has no {missing} token") from None


def _write_static(target: Path, embeddings: np.ndarray, tokenizer: dict[str, Any], facts: dict[str, Any]) -> None:
    from safetensors.numpy import save_file

    with atomic_folder(target) as folder:
        save_file({"embeddings": embeddings}, str(folder / "model.safetensors"))
        (folder / "model.safetensors").chmod(0o644)
        (folder / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False), encoding="utf-8")
        write_json(folder / "config.json", {"model_type": "model2vec", "hidden_dim": embeddings.shape[1],
                                            "normalize": True, "base_model": facts["distilled_from"]})
        write_json(folder / "config_sentence_transformers.json", {"prompts": {}, "similarity_fn_name": "cosine"})
        (folder / "1_Normalize").mkdir()
        write_json(folder / "modules.json", modules_json(("", "StaticEmbedding"), ("1_Normalize", "Normalize")))
        write_manifest(folder, **facts)
