"""The search index: refreshed by digest (only what changed is embedded), searched by fused retrievers."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.pipeline.run import ingest
from kg.search.base import Hit
from kg.search.chunking import fallback_count_tokens, plan_chunks
from kg.search.encoder import FakeEncoder
from kg.search.index import SearchIndex
from kg.search.lexical import BM25
from kg.search.settings import SearchError, SearchSettings
from kg.search.texts import node_texts
from kg.store.home import Home
from tests.conftest import ROOT
from tests.test_search_texts import ID, PREFIXES, SMALL, turtle_store

MEASURES = "policy/demo-school-enterprise-cooperation-measures.md"
ARTICLE_19 = ID + "policy/demo-school-enterprise-cooperation-measures/chapter-4/article-19"


class RecordingEncoder(FakeEncoder):
    """The fake encoder, keeping every passage it was asked to embed."""

    def __init__(self, dim: int = 64, name: str = "fake") -> None:
        super().__init__(dim)
        self.name = name
        self.passages: list[str] = []

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        self.passages += texts
        return super().encode_passages(texts)


class PlainEncoder(RecordingEncoder):
    """An encoder with no token counter of its own: the index falls back to counting characters."""

    count_tokens = None  # type: ignore[assignment]


def _corpus_home(tmp_path: Path) -> tuple[Home, Path]:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    home = Home(tmp_path / "home")
    ingest(home, [corpus])
    return home, corpus


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, SearchIndex]:
    """The corpus graph indexed once with the fake encoder (read-only: tests that change it build their own)."""
    home, _ = _corpus_home(tmp_path_factory.mktemp("built"))
    index = SearchIndex(home.index, SearchSettings(model="fake"))
    index.refresh(home.open_reader(), FakeEncoder())
    return home, index


def _iris(hits: list[Hit]) -> list[str]:
    return [hit.iri for hit in hits]


def test_a_first_refresh_embeds_every_chunk_and_a_second_nothing(tmp_path: Path) -> None:
    home, _ = _corpus_home(tmp_path)
    store, encoder = home.open_reader(), RecordingEncoder()
    index = SearchIndex(home.index)
    report = index.refresh(store, encoder)
    nodes = node_texts(store)
    assert (report.added, report.updated, report.removed, report.rebuilt) == (len(nodes), 0, 0, True)
    assert report.reason == "no index yet"
    assert report.chunks_embedded == encoder.texts_encoded == len(encoder.passages) == report.chunks
    assert (report.model, report.dim, report.dense_kind, report.dense_backend) == ("fake", 64, "flat", "faiss")
    again = SearchIndex(home.index).refresh(home.open_reader(), encoder)
    assert (again.unchanged, again.chunks_embedded, again.written, again.rebuilt) == (len(nodes), 0, False, False)
    assert encoder.texts_encoded == report.chunks_embedded and "0 chunks embedded" in again.summary()


def test_re_ingesting_one_changed_file_embeds_only_the_changed_nodes(tmp_path: Path) -> None:
    home, corpus = _corpus_home(tmp_path)
    index = SearchIndex(home.index)
    index.refresh(home.open_reader(), FakeEncoder())
    before = {n.iri: n.digest for n in node_texts(home.open_reader())}
    path = corpus / MEASURES
    path.write_text(path.read_text(encoding="utf-8").replace("不少于3000万元", "不少于5000万元"), encoding="utf-8")
    assert ingest(home, [corpus]).count("replaced") == 1
    store = home.open_reader()
    after = node_texts(store)
    changed = [n for n in after if before.get(n.iri) != n.digest]
    assert ARTICLE_19 in {n.iri for n in changed} and len(changed) <= 4  # the article, its chapter, its target

    encoder = RecordingEncoder()
    report = index.refresh(store, encoder)
    expected = [c.text for node in changed for c, _ in plan_chunks(node, 512, encoder.count_tokens)]
    assert (report.updated, report.added, report.removed) == (len(changed), 0, 0)
    assert encoder.passages == expected and encoder.texts_encoded == len(expected)
    assert report.unchanged == len(after) - len(changed)
    top = index.search("市级专项资金每年不少于5000万元", encoder, top=3)
    assert ARTICLE_19 in _iris(top)
    assert not any("3000万元" in hit.text for hit in index.search("3000万元", None, top=50))


def test_nodes_of_a_removed_file_disappear(tmp_path: Path) -> None:
    home, corpus = _corpus_home(tmp_path)
    index = SearchIndex(home.index)
    first = index.refresh(home.open_reader(), FakeEncoder())
    doomed = {n.iri for n in node_texts(home.open_reader()) if "measures" in n.iri}
    with home.writer() as writer:
        assert writer.forget_source(str((corpus / MEASURES).resolve()))
    encoder = FakeEncoder()
    report = index.refresh(home.open_reader(), encoder)
    assert report.removed == len(doomed) and encoder.texts_encoded == 0
    assert report.nodes == first.nodes - len(doomed) and report.chunks < first.chunks
    hits = index.search("校企合作专项资金", encoder, top=20)
    assert hits and not doomed & set(_iris(hits))
    reopened = SearchIndex(home.index)
    assert len(reopened) == report.nodes and not doomed & set(_iris(reopened.search("校企合作", encoder, top=50)))


def test_search_finds_chinese_with_a_marked_snippet_and_neighbours(built: tuple[Home, SearchIndex]) -> None:
    home, index = built
    hits = index.search("校企合作专项资金", FakeEncoder(), top=5, store=home.open_reader())
    top = hits[0]
    assert (top.iri, top.type, top.label) == (ARTICLE_19, "Provision", "第十九条")
    assert top.text.startswith("第十九条 ") and "【校企合作专项资金】" in top.snippet
    assert set(top.found_by) == {"dense", "bm25"} and top.found_by["bm25"] <= 2  # its chapter holds it too
    relations = {(n["relation"], n["label"], n["type"]) for n in top.neighbours}
    assert ("number", "第十九条", "") in relations and ("parent", "第四章 激励与保障", "Provision") in relations
    assert any(r == "document" and t == "PolicyDocument" for r, _, t in relations)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize(("query", "cls", "label"), [
    ("新能源汽车维修", "Major", "新能源汽车检测与维修技术"),
    ("养老护理", "Occupation", "养老护理员"),
    ("双师型教师比例", "Target", None),
    ("对校企合作企业有哪些激励", "Provision", None),
])
def test_curriculum_designers_queries(built: tuple[Home, SearchIndex], query: str, cls: str,
                                      label: str | None) -> None:
    _, index = built
    hits = index.search(query, FakeEncoder(), top=10, types=[cls])
    assert hits and {h.type for h in hits} == {cls}
    if label:
        assert label in [h.label for h in hits]
    assert any("【" in h.snippet for h in hits)


def test_one_hit_per_node_even_with_many_chunks(tmp_path: Path) -> None:
    home, _ = _corpus_home(tmp_path)
    index = SearchIndex(home.index, SearchSettings(chunk_tokens=48))
    encoder = RecordingEncoder()
    report = index.refresh(home.open_reader(), encoder)
    assert report.chunks > report.nodes + 100
    assert max(len(p) for p in encoder.passages) <= 48  # the fake counts one token a character
    hits = index.search("第四章 激励与保障 校企合作", encoder, top=30)
    assert len(_iris(hits)) == len(set(_iris(hits))) == 30


def test_filters_apply_before_the_cut(built: tuple[Home, SearchIndex]) -> None:
    _, index = built
    encoder = FakeEncoder()
    competitions = index.search("新能源汽车", encoder, top=3, types=["Competition"])
    assert len(competitions) == 3 and {h.type for h in competitions} == {"Competition"}
    unfiltered = index.search("新能源汽车", encoder, top=3)
    assert "Competition" not in {h.type for h in unfiltered}  # they would have been cut without the filter
    secondary = index.search("新能源汽车", encoder, top=5, types=["Course", "Major"], level="中职")
    assert secondary and all(h.type in ("Course", "Major") for h in secondary)
    assert all(index._load().nodes[h.iri].level == "中职" for h in secondary)
    with pytest.raises(SearchError, match="unknown node type 'Lesson'"):
        index.search("养老", encoder, types=["Lesson"])
    with pytest.raises(SearchError, match="known: 中职, 高职专科, 职教本科"):
        index.search("养老", encoder, level="高职")


def test_bm25_alone_without_an_encoder(built: tuple[Home, SearchIndex]) -> None:
    _, index = built
    hits = index.search("养老护理员", None, top=3)
    assert hits[0].label == "养老护理员" and all(set(h.found_by) == {"bm25"} for h in hits)


def test_persisted_and_read_back_by_a_new_instance(built: tuple[Home, SearchIndex]) -> None:
    home, index = built
    encoder = FakeEncoder()
    reopened = SearchIndex(home.index)
    for query in ("新能源汽车维修", "养老护理", "双师型教师比例"):
        assert reopened.search(query, encoder) == index.search(query, encoder)
    assert reopened.settings == SearchSettings(model="fake")
    version = home.index / (home.index / "CURRENT").read_text(encoding="utf-8").strip()
    files = sorted(str(p.relative_to(version)) for p in version.rglob("*") if p.is_file())
    assert files == ["bm25/bm25.json", "bm25/bm25.npz", "dense/dense.json", "dense/ids.npy", "dense/vectors.npy",
                     "exact.json", "manifest.json", "nodes/chunks.npz", "nodes/columns.json", "nodes/digests.json",
                     "nodes/text_offsets.npy", "nodes/texts.jsonl", "settings.json"]
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["model"], manifest["dim"], manifest["dense"]["kind"]) == ("fake", 64, "flat")
    texts = {n.iri: n for n in node_texts(home.open_reader())}
    columns = json.loads((version / "nodes" / "columns.json").read_text(encoding="utf-8"))
    digests = json.loads((version / "nodes" / "digests.json").read_text(encoding="utf-8"))
    assert columns["iris"] == sorted(texts) and digests == [texts[iri].digest for iri in columns["iris"]]
    assert reopened.info()["nodes"] == len(texts) and "digests" not in reopened.info()
    loaded = reopened._load().nodes
    for iri in columns["iris"][::50]:  # each text read from disk as the search asks for it
        assert (loaded[iri].text, loaded[iri].context, loaded[iri].digest) == (
            texts[iri].text, texts[iri].context, texts[iri].digest)


def test_the_numpy_fallback_finds_what_faiss_finds(built: tuple[Home, SearchIndex]) -> None:
    home, index = built
    fallback = SearchIndex(home.index, backend="numpy")
    encoder = FakeEncoder()
    for query in ("新能源汽车维修", "养老护理", "对校企合作企业有哪些激励", "big data"):
        ours, theirs = fallback.search(query, encoder, top=10), index.search(query, encoder, top=10)
        assert _iris(ours) == _iris(theirs)
        assert [h.found_by for h in ours] == [h.found_by for h in theirs]


def test_hnsw_is_chosen_above_the_threshold(tmp_path: Path) -> None:
    home, corpus = _corpus_home(tmp_path)
    index = SearchIndex(home.index, SearchSettings(hnsw_threshold=100))
    report = index.refresh(home.open_reader(), FakeEncoder())
    assert report.chunks >= 100 and report.dense_kind == "hnsw"
    assert index.info()["dense"] | {"count": 0} == {"dim": 64, "count": 0, "kind": "hnsw", "backend": "faiss",
                                                     "hnsw_threshold": 100, "m": 32, "ef_search": 128,
                                                     "ef_construction": 200}
    assert index.search("校企合作专项资金", FakeEncoder(), top=1)[0].iri == ARTICLE_19
    with home.writer() as writer:  # removing from HNSW rebuilds it
        writer.forget_source(str((corpus / MEASURES).resolve()))
    after = SearchIndex(home.index).refresh(home.open_reader(), FakeEncoder())
    assert after.removed > 0 and after.dense_kind == "hnsw"
    assert ARTICLE_19 not in _iris(SearchIndex(home.index).search("校企合作专项资金", FakeEncoder(), top=10))


def test_another_model_rebuilds_and_never_mixes_vectors(tmp_path: Path) -> None:
    home, _ = _corpus_home(tmp_path)
    store = home.open_reader()
    index = SearchIndex(home.index)
    first = index.refresh(store, FakeEncoder())
    other = RecordingEncoder(dim=32, name="other-model")
    report = index.refresh(store, other)
    assert report.rebuilt and report.chunks_embedded == first.chunks_embedded == other.texts_encoded
    assert "fake vectors (64d)" in report.reason and "other-model (32d)" in report.reason
    assert report.added == first.added and report.chunks == first.chunks
    with pytest.raises(SearchError, match="built with other-model .32d. but the query encoder is fake .64d."):
        index.search("养老", FakeEncoder())
    assert index.search("养老", other)


def test_a_changed_chunk_limit_rebuilds(tmp_path: Path) -> None:
    home, _ = _corpus_home(tmp_path)
    index = SearchIndex(home.index)
    index.refresh(home.open_reader(), FakeEncoder())
    report = SearchIndex(home.index, SearchSettings(chunk_tokens=128)).refresh(home.open_reader(), FakeEncoder())
    assert report.rebuilt and "chunk limit changed from 512 to 128" in report.reason


def test_another_tokenizer_re_tokenizes_bm25_without_embedding(tmp_path: Path) -> None:
    home, _ = _corpus_home(tmp_path)
    SearchIndex(home.index).refresh(home.open_reader(), FakeEncoder())
    encoder = FakeEncoder()
    index = SearchIndex(home.index, SearchSettings(tokenizer="jieba"))
    report = index.refresh(home.open_reader(), encoder)
    assert encoder.texts_encoded == 0 and report.written and report.bm25_rebuilt and report.notes == [
        "BM25 rebuilt: char (label-x2+embedded/1) -> jieba (label-x2+embedded/1)"]
    assert SearchIndex(home.index).settings.tokenizer == "jieba"
    assert SearchIndex(home.index).search("养老护理员", None, top=1)[0].label == "养老护理员"


def test_new_weights_are_saved_without_embedding(tmp_path: Path) -> None:
    home, _ = _corpus_home(tmp_path)
    SearchIndex(home.index).refresh(home.open_reader(), FakeEncoder())
    encoder = FakeEncoder()
    report = SearchIndex(home.index, SearchSettings(weights={"bm25": 1.0})).refresh(home.open_reader(), encoder)
    assert report.written and not report.changed and encoder.texts_encoded == 0
    reopened = SearchIndex(home.index)
    assert reopened.settings.weights == {"dense": 0.0, "bm25": 1.0}
    assert all(set(h.found_by) == {"bm25"} for h in reopened.search("养老护理", encoder))


def test_a_failed_write_keeps_the_previous_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home, corpus = _corpus_home(tmp_path)
    index = SearchIndex(home.index)
    index.refresh(home.open_reader(), FakeEncoder())
    pointer = (home.index / "CURRENT").read_text(encoding="utf-8")
    before = index.search("校企合作专项资金", FakeEncoder())
    with home.writer() as writer:
        writer.forget_source(str((corpus / MEASURES).resolve()))

    def broken(self: BM25, folder: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(BM25, "save", broken)
    with pytest.raises(SearchError, match="disk full; the previous index is kept"):
        index.refresh(home.open_reader(), FakeEncoder())
    assert (home.index / "CURRENT").read_text(encoding="utf-8") == pointer
    assert not list(home.index.glob(".*.tmp"))
    assert index.search("校企合作专项资金", FakeEncoder()) == before
    monkeypatch.undo()
    assert index.refresh(home.open_reader(), FakeEncoder()).removed > 0


def test_an_encoder_failing_half_way_changes_nothing(tmp_path: Path) -> None:
    home, _ = _corpus_home(tmp_path)

    class Failing(FakeEncoder):
        def encode_passages(self, texts: list[str]) -> np.ndarray:
            if self.calls:
                raise RuntimeError("out of memory")
            return super().encode_passages(texts)

    index = SearchIndex(home.index)
    with pytest.raises(RuntimeError):
        index.refresh(home.open_reader(), Failing())
    assert not index.exists() and not list(home.index.glob("*"))


def test_a_damaged_index_is_reported_and_rebuilt(tmp_path: Path) -> None:
    home, _ = _corpus_home(tmp_path)
    SearchIndex(home.index).refresh(home.open_reader(), FakeEncoder())
    version = home.index / (home.index / "CURRENT").read_text(encoding="utf-8").strip()
    columns = version / "nodes" / "columns.json"
    saved = json.loads(columns.read_text(encoding="utf-8"))
    columns.write_text(json.dumps({**saved, "labels": saved["labels"][:-1]}), encoding="utf-8")
    with pytest.raises(SearchError, match="the search index is damaged: its nodes .* columns of different lengths"):
        SearchIndex(home.index).search("养老", FakeEncoder())
    columns.write_text(columns.read_text(encoding="utf-8")[:100], encoding="utf-8")  # cut short, as by a full disk
    with pytest.raises(SearchError, match="the search index is damaged: cannot read its nodes"):
        SearchIndex(home.index).search("养老", FakeEncoder())
    report = SearchIndex(home.index).refresh(home.open_reader(), FakeEncoder())
    assert report.rebuilt and report.reason.startswith("the saved index could not be read")
    assert SearchIndex(home.index).search("养老", FakeEncoder())


def test_searching_before_building_says_how(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    assert not index.exists() and len(index) == 0
    with pytest.raises(SearchError, match="no search index in .*run `vetgraph index` first"):
        index.search("养老", FakeEncoder())
    with pytest.raises(SearchError, match="the query is empty"):
        index.search("  ", FakeEncoder())


def test_a_hand_made_store_without_a_token_counter(tmp_path: Path) -> None:
    store = turtle_store(SMALL)
    encoder = PlainEncoder()
    index = SearchIndex(tmp_path / "index", SearchSettings(chunk_tokens=24, include_flagged_courses=True))
    report = index.refresh(store, encoder)
    assert report.nodes == 13  # the flagged course included
    assert all(fallback_count_tokens(p) <= 20 for p in encoder.passages)  # the fallback count, 4 tokens spare
    hits = index.search("新能源汽车维修", encoder, top=3, store=store)
    assert hits[0].label == "新能源汽车维修" and hits[0].type == "Competition"
    course = index.search("动力电池", encoder, top=1, types=["Course"], store=store)[0]
    relations = {n["relation"]: n["label"] for n in course.neighbours}
    assert relations == {"major": "新能源汽车技术"}


COMPETITIONS = ["导游服务", "健康和社会照护", "新能源汽车维修", "工业机器人技术应用", "大数据应用开发", "直播电商"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sets(st.sampled_from(COMPETITIONS)), min_size=1, max_size=5))
def test_the_count_stays_right_across_adds_and_deletes(steps: list[set[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        index, encoder, present = SearchIndex(Path(folder) / "index"), FakeEncoder(), set()
        for names in steps:
            store = turtle_store(PREFIXES + "".join(
                f'<competition/{i}> a vet:Competition ; skos:prefLabel "{n}"@zh .\n'
                for i, n in enumerate(COMPETITIONS) if n in names))
            before = encoder.texts_encoded
            report = index.refresh(store, encoder)
            assert (report.added, report.removed) == (len(names - present), len(present - names))
            assert encoder.texts_encoded - before == len(names - present)
            assert len(index) == report.nodes == report.chunks == len(names)
            assert len(SearchIndex(Path(folder) / "index")) == len(names)
            found = {h.label for h in index.search("赛项", encoder, top=10)} if names else set()
            assert found == names
            present = names


def test_an_index_saved_with_an_older_bm25_format_rebuilds_bm25_without_re_embedding(tmp_path) -> None:
    import json

    from kg.pipeline.run import ingest
    from kg.search.encoder import FakeEncoder
    from kg.search.index import SearchIndex
    from kg.search.settings import SearchSettings
    from kg.search.texts import LEXICAL_FORMAT
    from kg.store.home import Home
    from tests.conftest import ROOT

    home = Home(tmp_path / "home")
    ingest(home, [ROOT / "corpus" / "catalogues"])
    settings = SearchSettings(model="fake")
    SearchIndex(home.index, settings).refresh(home.open_reader(), FakeEncoder())
    current = home.index / (home.index / "CURRENT").read_text(encoding="utf-8").strip()
    manifest = json.loads((current / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["lexical_format"] == LEXICAL_FORMAT
    manifest["lexical_format"] = "older"
    (current / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    encoder = FakeEncoder()
    report = SearchIndex(home.index, settings).refresh(home.open_reader(), encoder)
    assert report.bm25_rebuilt and report.written and encoder.texts_encoded == 0
    again = SearchIndex(home.index, settings).refresh(home.open_reader(), FakeEncoder())
    assert not again.bm25_rebuilt and not again.written


def test_an_index_saved_in_the_first_format_is_searched_and_refreshed_without_embedding(tmp_path: Path) -> None:
    home, _ = _corpus_home(tmp_path)
    encoder = FakeEncoder()
    SearchIndex(home.index).refresh(home.open_reader(), encoder)
    expected = {query: SearchIndex(home.index).search(query, encoder) for query in ("养老护理", "460702", "校企合作")}
    version = home.index / (home.index / "CURRENT").read_text(encoding="utf-8").strip()
    nodes = SearchIndex(home.index)._load().nodes
    rows = [{"iri": iri, "cls": n.cls, "label": n.label, "text": n.text, "level": n.level, "context": n.context,
             "digest": n.digest, "chunks": n.chunks, "starts": n.starts} for iri, n in sorted(nodes.items())]
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(format=1, digests={row["iri"]: row["digest"] for row in rows})
    (version / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    (version / "nodes.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(version / "nodes")
    (version / "exact.json").unlink()
    assert {query: SearchIndex(home.index).search(query, encoder) for query in expected} == expected
    report = SearchIndex(home.index).refresh(home.open_reader(), encoder)
    assert not report.rebuilt and report.chunks_embedded == 0 and report.unchanged == len(rows) and report.written
    version = home.index / (home.index / "CURRENT").read_text(encoding="utf-8").strip()
    assert (version / "nodes" / "columns.json").is_file() and not (version / "nodes.json").exists()
    assert {query: SearchIndex(home.index).search(query, encoder) for query in expected} == expected
