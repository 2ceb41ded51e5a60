"""e5's sentencepiece (Unigram) tokenizer without its 1-2 s start: a small vocabulary built per call.

Building the full 250,000-piece tokenizer costs more than a whole search. A Unigram tokenizer only ever
uses pieces that occur in the text, so for each call the pieces found in its normalised words are
looked up in a sorted, memory-mapped array (written once beside the model, in ``light-tokenizer/``)
and a tokenizer of just those pieces is built in milliseconds. Scores, the unknown-token penalty
(from the minimum score, whose piece is always kept) and the special tokens are the full tokenizer's,
so the ids are the same; many texts at once (index building) use the full tokenizer instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from kg.search.models import ModelError

LIGHT_FOLDER = "light-tokenizer"
_FORMAT = 1
_SUBSET_CHARS = 20_000  # characters in a call above which the full tokenizer is built (index building)


class LightTokenizer:
    """Encodes texts to the same ids as the tokenizer.json of a Unigram model, truncated to max_length."""

    def __init__(self, model_folder: Path, max_length: int | None, *, add_special_tokens: bool = True) -> None:
        self.folder = model_folder
        self.max_length = max_length  # None: as tokenizer.json says
        self.add_special_tokens = add_special_tokens
        self._full: Any = None
        self._spent = 0  # pieces of the subset tokenizers built so far
        artefact = ensure_light_tokenizer(model_folder)
        self._shell: dict[str, Any] | None = None  # None: not a Unigram tokenizer, so the full one always
        if artefact is not None:
            self._shell = json.loads((artefact / "shell.json").read_text(encoding="utf-8"))
            self._pieces, self._ids, self._rows, self._scores = (
                np.load(artefact / f"{name}.npy", mmap_mode="r") for name in ("pieces", "ids", "rows", "scores"))
            self._kept = set(self._shell["vetgraph"]["kept"])  # special pieces and the min-score piece
            self._longest = int(self._shell["vetgraph"]["longest"])
            self._splitter = _shell_tokenizer(self._shell)
            specials = sorted((token["content"] for token in self._shell["added_tokens"]), key=len, reverse=True)
            self._added = re.compile("|".join(map(re.escape, specials))) if specials else None

    def encode_batch(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text (special tokens included unless add_special_tokens is off), truncated."""
        if self._shell is None or self._full is not None or sum(map(len, texts)) > _SUBSET_CHARS:
            return self._ids_of(self.full(), texts)
        ids = sorted(self._kept.union(self._pieces_in(texts).tolist()))
        self._spent += len(ids)
        if self._spent > len(self._ids) // 2:  # the subsets have cost about one full build: build it
            return self._ids_of(self.full(), texts)
        original = np.asarray(ids)
        return [original[subset].tolist() for subset in self._ids_of(self._subset_tokenizer(ids), texts)]

    def full(self) -> Any:
        """The full tokenizer from tokenizer.json (built once, on demand)."""
        if self._full is None:
            from tokenizers import Tokenizer

            self._full = _limited(Tokenizer.from_file(str(self.folder / "tokenizer.json")), self.max_length)
        return self._full

    def _ids_of(self, tokenizer: Any, texts: list[str]) -> list[list[int]]:
        return [e.ids for e in tokenizer.encode_batch(texts, add_special_tokens=self.add_special_tokens)]

    def _pieces_in(self, texts: list[str]) -> np.ndarray:
        """The vocabulary ids of every piece that occurs in the texts' normalised, pre-tokenised words."""
        candidates: set[str] = set()
        normalizer, pre_tokenizer = self._splitter.normalizer, self._splitter.pre_tokenizer
        for text in texts:
            parts = {text, *(self._added.split(text) if self._added else ())}  # as a whole and between specials
            for part in parts:
                normalized = normalizer.normalize_str(part) if normalizer is not None else part
                words = [(normalized, None)] if pre_tokenizer is None else pre_tokenizer.pre_tokenize_str(normalized)
                for word, _ in words:
                    for start in range(len(word)):
                        stop = min(start + self._longest, len(word))
                        candidates.update(word[start:end] for end in range(start + 1, stop + 1))
        if not candidates:
            return np.zeros(0, np.int64)
        wanted = np.array(sorted(candidates), dtype=self._pieces.dtype)
        slots = np.minimum(np.searchsorted(self._pieces, wanted), len(self._pieces) - 1)
        return np.asarray(self._ids[slots[self._pieces[slots] == wanted]])

    def _subset_tokenizer(self, ids: list[int]) -> Any:
        """A tokenizer of just these pieces, numbered 0..len(ids)-1 in the order of their original ids."""
        from tokenizers import Tokenizer

        assert self._shell is not None
        position = {original: index for index, original in enumerate(ids)}
        shell = {key: value for key, value in self._shell.items() if key != "vetgraph"}
        vocab = [[str(self._pieces[self._rows[i]]), float(self._scores[i])] for i in ids]
        unk_id = shell["model"].get("unk_id")
        shell["model"] = {**shell["model"], "vocab": vocab, "unk_id": None if unk_id is None else position[unk_id]}
        shell["added_tokens"] = [{**token, "id": position[token["id"]]} for token in shell["added_tokens"]]
        shell["post_processor"] = _remap_special_ids(shell["post_processor"], position)
        return _limited(Tokenizer.from_str(json.dumps(shell, ensure_ascii=False)), self.max_length)


def ensure_light_tokenizer(model_folder: Path) -> Path | None:
    """The light-tokenizer/ folder beside a model's tokenizer.json, written if missing.

    None where there can be none (not a Unigram tokenizer, a folder that cannot be written, a snapshot
    in the Hugging Face cache, which is left as it is): the full tokenizer is used then, slower to start.
    """
    target = model_folder / LIGHT_FOLDER
    if _is_current(target):
        return target
    if model_folder.parent.name == "snapshots":
        return None
    try:
        tokenizer = json.loads((model_folder / "tokenizer.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot read {model_folder / 'tokenizer.json'}: {error}") from error
    if tokenizer.get("model", {}).get("type") != "Unigram" or tokenizer["model"].get("byte_fallback"):
        return None
    try:
        return write_light_tokenizer(tokenizer, target)
    except OSError:
        return None


def write_light_tokenizer(tokenizer: dict[str, Any], target: Path) -> Path:
    """Write the pieces sorted (pieces.npy), each row's id (ids.npy), each id's row (rows.npy), the scores by id
    (scores.npy) and the tokenizer without its vocabulary (shell.json), atomically."""
    vocab = tokenizer["model"]["vocab"]
    pieces = [piece for piece, _ in vocab]
    if len(set(pieces)) != len(pieces):
        raise ModelError(f"{target.parent}: the tokenizer's vocabulary repeats pieces")
    scores = np.array([score for _, score in vocab], np.float64)
    order = np.argsort(np.array(pieces), kind="stable")
    special = {token["id"] for token in tokenizer.get("added_tokens", [])}
    special.update(_special_ids(tokenizer.get("post_processor")))
    if tokenizer["model"].get("unk_id") is not None:
        special.add(tokenizer["model"]["unk_id"])
    kept = sorted(special | {int(np.argmin(scores))})  # the minimum score sets the unknown-token penalty
    shell = {**tokenizer, "model": {**tokenizer["model"], "vocab": []},
             "vetgraph": {"format": _FORMAT, "kept": kept, "longest": max(len(p) for p in pieces)}}
    temp = target.with_name(f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    temp.mkdir(parents=True)
    try:
        np.save(temp / "pieces.npy", np.array(pieces)[order])
        np.save(temp / "ids.npy", order.astype(np.int64))
        np.save(temp / "rows.npy", np.argsort(order).astype(np.int64))
        np.save(temp / "scores.npy", scores)
        (temp / "shell.json").write_text(json.dumps(shell, ensure_ascii=False), encoding="utf-8")
        if target.exists() and not _is_current(target):  # an older format: replace it
            shutil.rmtree(target)
        if not target.exists():  # else another process wrote the same artefact meanwhile
            os.rename(temp, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return target


def _limited(tokenizer: Any, max_length: int | None) -> Any:
    """The tokenizer truncating at max_length (None: as its file says), never padding."""
    if max_length is not None:
        tokenizer.enable_truncation(max_length)
    tokenizer.no_padding()
    return tokenizer


def _is_current(folder: Path) -> bool:
    try:
        shell = json.loads((folder / "shell.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return shell.get("vetgraph", {}).get("format") == _FORMAT and all(
        (folder / f"{name}.npy").is_file() for name in ("pieces", "ids", "rows", "scores"))


def _shell_tokenizer(shell: dict[str, Any]) -> Any:
    """A tokenizer with the shell's normaliser and pre-tokeniser and no vocabulary, to find a text's words."""
    from tokenizers import Tokenizer

    bare = {key: value for key, value in shell.items() if key != "vetgraph"}
    bare["model"] = {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0]], "byte_fallback": False}
    bare["added_tokens"], bare["post_processor"] = [], None
    return Tokenizer.from_str(json.dumps(bare, ensure_ascii=False))


def _special_ids(processor: Any) -> list[int]:
    """Every special-token id a post-processor names (TemplateProcessing, RobertaProcessing, in a Sequence or not)."""
    if isinstance(processor, list):
        return [i for item in processor for i in _special_ids(item)]
    if not isinstance(processor, dict):
        return []
    found = [i for value in processor.values() for i in _special_ids(value)]
    if "ids" in processor and "tokens" in processor:
        found += processor["ids"]
    found += [processor[key][1] for key in ("sep", "cls") if isinstance(processor.get(key), list)]
    return found


def _remap_special_ids(processor: Any, position: dict[int, int]) -> Any:
    """A post-processor's special-token ids in the subset's numbering (TemplateProcessing, in a Sequence or not)."""
    if isinstance(processor, dict):
        remapped = {key: _remap_special_ids(value, position) for key, value in processor.items()}
        if "ids" in processor and "tokens" in processor:
            remapped["ids"] = [position[i] for i in processor["ids"]]
        for key in ("sep", "cls"):  # RobertaProcessing / BertProcessing: [token, id]
            if isinstance(processor.get(key), list) and len(processor[key]) == 2:
                remapped[key] = [processor[key][0], position[processor[key][1]]]
        return remapped
    if isinstance(processor, list):
        return [_remap_special_ids(item, position) for item in processor]
    return processor
