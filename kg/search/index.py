"""The search index in a home's index/ folder: refreshed from the graph by digest, searched by fused retrievers.

Layout: ``index/CURRENT`` names the live version folder, which holds settings.json, manifest.json
(model, dimension, chunk limit, dense kind, counts, the store version it was built from: kg.store.version),
nodes/ (the node table: labels, classes, levels and
chunk ids read at once, texts per hit, digests by a refresh; kg.search.node_table), exact.json (codes and
labels for exact matches), dense/ and bm25/. Version 1 kept the nodes in one nodes.json and the digests
in the manifest; it is still read. A refresh writes a new version beside the live one (manifest.json last)
and switches CURRENT last, so a failure or a crash half way leaves the previous index as it was; a live
version that cannot be read is refreshed from the previous one (kg.search.freshness checks at start-up).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from kg.core.faults import fault_point
from kg.core.levels import level_rank
from kg.errors import SettingsError
from kg.search.base import Chunk, Encoder, Evidence, Hit, NodeText
from kg.search.chunking import TokenCounter, plan_chunks, token_budget
from kg.search.crosslingual import EnglishLexicon
from kg.search.dense import DenseIndex, DenseSubset
from kg.search.exact import ExactIndex
from kg.search.fusion import Fused, NodeFilter, RowLabels, best_per_node, filter_key, reciprocal_rank_fusion
from kg.search.intent import boost_classes, class_intent, retrieval_text, without_class_word
from kg.search.lexical import BM25
from kg.search.node_table import IndexNode, NodeTable
from kg.search.results import document_members, neighbours, provenance, snippet
from kg.search.settings import SearchError, SearchSettings
from kg.search.strength import LEXICAL_THRESHOLDS, MARGIN_RANK, coverage, query_pieces, strength, thresholds_for
from kg.search.texts import LEXICAL_FORMAT, lexical_text, node_texts
from kg.store.base import GraphStore
from kg.store.version import store_version

FORMAT = 2
READABLE_FORMATS = (1, 2)
CURRENT, MANIFEST_FILE, NODES_FILE = "CURRENT", "manifest.json", "nodes.json"  # nodes.json: format 1
NODES_FOLDER, EXACT_FILE = "nodes", "exact.json"
BUILDER_FILE = "builder.pid"  # in a staging folder: the process writing it (its leftovers go once it is gone)
EMBED_BATCH = 256
DEPTH_FACTOR = 20  # each retriever ranks this many times ``top`` before fusion
KEEP_VERSIONS = 2
#: Among nodes sharing an exact label: catalogue entries first, then the many courses and clauses of that name.
EXACT_CLASS_ORDER = {name: i for i, name in enumerate(("Major", "Certificate", "Occupation", "Industry", "Competition",
                                                         "Course", "Provision", "Target", "LearningOutcome"))}
#: progress(chunks embedded so far, chunks to embed)
Progress = Callable[[int, int], None]


@dataclass
class RefreshReport:
    """What a refresh did: nodes added, updated, removed and unchanged, chunks embedded, and why it rebuilt."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks_embedded: int = 0
    rebuilt: bool = False  # every node embedded again (a new index, another model, another chunk limit)
    reason: str = ""  # why it rebuilt
    model: str = ""
    dim: int = 0
    dense_kind: str = ""  # "flat" or "hnsw"
    dense_backend: str = ""  # "faiss" or "numpy"
    tokenizer: str = ""
    nodes: int = 0
    chunks: int = 0
    bm25_rebuilt: bool = False  # another tokenizer or BM25 document format: BM25 rebuilt, nothing re-embedded
    written: bool = False  # False when nothing changed and the saved index was left alone
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)

    def summary(self) -> str:
        """One line for the CLI."""
        head = f"{self.added} added, {self.updated} updated, {self.removed} removed, {self.unchanged} unchanged"
        rebuilt = f" (rebuilt: {self.reason})" if self.rebuilt else ""
        return (f"{head}; {self.chunks_embedded} chunks embedded{rebuilt}; {self.nodes} nodes, {self.chunks} chunks, "
                f"{self.model} ({self.dim}d), {self.dense_kind} {self.dense_backend} index, "
                f"{self.tokenizer} BM25, {self.seconds:.1f}s")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_Node = IndexNode


@dataclass
class _State:
    """Everything one index version holds, in memory."""

    settings: SearchSettings
    model: str
    dim: int
    chunk_limit: int
    dense: DenseIndex
    bm25: BM25
    nodes: NodeTable = field(default_factory=NodeTable)
    next_id: int = 0
    version: str = ""
    lexical_format: str = LEXICAL_FORMAT  # how the BM25 documents were built (see texts.lexical_text)
    _lookups: _Lookups | None = field(default=None, init=False, repr=False, compare=False)

    exact_file: Path | None = None  # exact.json of the saved version (read at the first exact lookup)
    format: int = FORMAT  # the format the version was saved in (an older one is written again at a refresh)
    store_version: dict[str, Any] = field(default_factory=dict)  # kg.store.version of the store it was built from

    def node_of_chunk(self) -> dict[int, str]:
        return self.nodes.node_of_chunk()

    def filter(self, types: list[str] | None, level: str | None) -> NodeFilter | None:
        """The nodes of ``types`` and ``level`` (None: keep all): a predicate, and masks over both retrievers'
        rows made once per state and filter, not per search (see _Lookups)."""
        key = filter_key(types, level)
        return None if key is None else self.lookups().filter(key)

    def lookups(self) -> _Lookups:
        """What searches of this state share; made again after the state changed."""
        if self._lookups is None or self._lookups.key != _Lookups.key_of(self):
            self._lookups = _Lookups(self)
        return self._lookups

    def check_encoder(self, encoder: Encoder) -> None:
        """Refuse an encoder other than the one the index was built with: their vectors do not compare."""
        if (encoder.name, encoder.dim) != (self.model, self.dim):
            raise SearchError(f"the index was built with {self.model} ({self.dim}d) but the query encoder is "
                              f"{encoder.name} ({encoder.dim}d): search with {self.model}, or rebuild the "
                              f"index with `vetgraph index`")


class _Lookups:
    """What every search of one state would otherwise rebuild: the node of each chunk, the class and level of
    each BM25 row and dense position, the filters made from them and the dense subsets they keep."""

    MAX_FILTERS = 32  # distinct (classes, level) filters kept; more are made again as asked

    def __init__(self, state: _State) -> None:
        self.key = self.key_of(state)
        self._state = state
        self._filters: dict[tuple[frozenset[str] | None, str | None], NodeFilter] = {}
        self._subsets: dict[tuple[frozenset[str] | None, str | None], DenseSubset] = {}

    @staticmethod
    def key_of(state: _State) -> tuple[object, ...]:
        """What changes when the state does: the retrievers (compared by identity) and their change counts."""
        return state.bm25, state.bm25.changes, state.dense, state.dense.changes, len(state.nodes)

    @cached_property
    def node_of(self) -> dict[int, str]:
        return self._state.node_of_chunk()

    @cached_property
    def bm25_labels(self) -> RowLabels:
        nodes = self._state.nodes
        return RowLabels(nodes.class_and_level(iri) for iri in self._state.bm25.row_ids())

    @cached_property
    def dense_labels(self) -> RowLabels:
        nodes, node_of = self._state.nodes, self.node_of
        return RowLabels(nodes.class_and_level(node_of.get(chunk)) for chunk in self._state.dense.ids().tolist())

    def filter(self, key: tuple[frozenset[str] | None, str | None]) -> NodeFilter:
        """The filter of a filter_key, made once."""
        if key not in self._filters:
            if len(self._filters) >= self.MAX_FILTERS:
                self._filters.clear()
                self._subsets.clear()
            wanted, level = key
            nodes = self._state.nodes

            def keep(iri: str) -> bool:
                cls, node_level = nodes.class_and_level(iri)
                return cls is not None and (wanted is None or cls in wanted) and (level is None or node_level == level)

            self._filters[key] = NodeFilter(key, keep, self._labels_of)
        return self._filters[key]

    def subset(self, key: tuple[frozenset[str] | None, str | None]) -> DenseSubset:
        """The dense chunks of the nodes a filter keeps, made once."""
        if key not in self._subsets:
            self._subsets[key] = self._state.dense.subset(np.flatnonzero(self.dense_labels.mask(key)))
        return self._subsets[key]

    def _labels_of(self, retriever: object) -> RowLabels | None:
        if retriever is self._state.bm25:
            return self.bm25_labels
        if retriever is self._state.dense:
            return self.dense_labels
        return None


class SearchIndex:
    """The hybrid (dense + BM25) index of the graph's searchable nodes, kept in ``folder`` (a home's index/)."""

    def __init__(self, folder: Path | str, settings: SearchSettings | None = None, *, backend: str = "auto") -> None:
        self.folder = Path(folder)
        self.backend = backend  # dense backend: "auto" (faiss when installed), "faiss" or "numpy"
        self._requested = settings
        self._state: _State | None = None

    # -- what is there -------------------------------------------------------------------------
    def exists(self) -> bool:
        """Whether an index has been built here."""
        return self._current() is not None

    @property
    def settings(self) -> SearchSettings:
        """The settings given, else those saved with the index, else the defaults."""
        if self._requested is not None:
            return self._requested
        current = self._current()
        return SearchSettings.load(current) if current is not None else SearchSettings()

    def info(self) -> dict[str, Any]:
        """The saved manifest without its digests: model, dimension, chunk limit, dense index, counts."""
        current = self._current()
        if current is None:
            raise SearchError(f"no search index in {self.folder}: run `vetgraph index` first")
        manifest = _read_json(current / MANIFEST_FILE)
        manifest.pop("digests", None)
        return manifest

    def load(self) -> None:
        """Read the live version now, once (SearchError when it is damaged); searches reuse what was read."""
        self._load()

    def built_from(self) -> dict[str, Any] | None:
        """The store version (kg.store.version.StoreVersion.to_json) the live index was built from; None when
        it has no index or was built before versions were recorded."""
        current = self._current()
        if current is None:
            return None
        saved = _read_json(current / MANIFEST_FILE).get("store_version")
        return saved if isinstance(saved, dict) and saved.get("fingerprint") else None

    def __len__(self) -> int:
        return len(self._load().nodes) if self.exists() else 0

    # -- building ------------------------------------------------------------------------------
    def refresh(self, store: GraphStore, encoder: Encoder, progress: Progress | None = None) -> RefreshReport:
        """Bring the index in line with the graph: embed exactly the new and changed nodes, drop the deleted."""
        began = time.perf_counter()
        settings = self.settings
        version = store_version(store).to_json()  # before the texts: a version no newer than what is indexed
        count_tokens, limit = token_budget(encoder, settings.chunk_tokens)
        texts = node_texts(store, include_flagged_courses=settings.include_flagged_courses)
        report = RefreshReport(model=encoder.name, dim=encoder.dim, tokenizer=settings.tokenizer)
        saved, report.reason = self._reusable(encoder, limit)
        saved_settings = saved.settings if saved is not None else None
        live = self._current()
        fallen_back = saved is not None and (live is None or saved.version != live.name)
        if fallen_back:
            report.notes.append(f"the live index version {live.name if live else '?'} could not be read; "
                                f"refreshed from the previous version {saved.version}")
        try:
            state = self._prepare(saved, settings, encoder, limit, report)
            current = {node.iri for node in texts}
            stale = [n for n in texts if n.iri not in state.nodes or state.nodes[n.iri].digest != n.digest]
            gone = [iri for iri in state.nodes if iri not in current]
            report.updated = sum(1 for node in stale if node.iri in state.nodes)
            report.added, report.removed = len(stale) - report.updated, len(gone)
            report.unchanged = len(texts) - len(stale)
            vectors, plans = _embed(stale, encoder, limit, count_tokens, progress)
            report.chunks_embedded = len(vectors)
            self._apply(state, stale, gone, vectors, plans)
            report.dense_kind, report.dense_backend = state.dense.kind, state.dense.backend
            report.nodes, report.chunks = len(state.nodes), len(state.dense)
            if saved is not None and saved.format != FORMAT:
                report.notes.append(f"index saved again in format {FORMAT} (was {saved.format}), nothing embedded")
            if (report.changed or report.bm25_rebuilt or saved_settings != settings or state.format != FORMAT
                    or fallen_back):
                state.store_version = version
                self._write(state)
                report.written = True
            elif state.store_version.get("fingerprint") != version["fingerprint"]:
                self._restamp(state, version)  # same texts from another store version: nothing to embed
        except BaseException:
            self._state = None  # the in-memory copy may have gone ahead of the disk: read it again next time
            raise
        self._state = state
        report.seconds = time.perf_counter() - began
        return report

    def _prepare(self, saved: _State | None, settings: SearchSettings, encoder: Encoder, limit: int,
                 report: RefreshReport) -> _State:
        """The saved state brought to the settings, or an empty one when everything is embedded again."""
        if saved is None:
            report.rebuilt = True
            return _State(settings, encoder.name, encoder.dim, limit, bm25=BM25(settings.tokenizer),
                          dense=DenseIndex(encoder.dim, hnsw_threshold=settings.hnsw_threshold, backend=self.backend))
        old_settings, state = saved.settings, saved
        state.nodes.read_all()  # every text: BM25 may be rebuilt, changed nodes replaced
        state.settings = settings
        state.dense.hnsw_threshold = settings.hnsw_threshold
        if state.bm25.tokenizer != settings.tokenizer or state.lexical_format != LEXICAL_FORMAT:
            report.notes.append(f"BM25 rebuilt: {state.bm25.tokenizer} ({state.lexical_format or 'unrecorded'}) -> "
                                f"{settings.tokenizer} ({LEXICAL_FORMAT})")
            state.lexical_format = LEXICAL_FORMAT
            report.bm25_rebuilt = True
            state.bm25 = BM25(settings.tokenizer)
            state.bm25.add_many((iri, lexical_text(_as_node_text(iri, n))) for iri, n in state.nodes.items())
        if old_settings.include_flagged_courses != settings.include_flagged_courses:
            report.notes.append("flagged courses " + ("included" if settings.include_flagged_courses else "left out"))
        return state

    @staticmethod
    def _apply(state: _State, stale: list[NodeText], gone: list[str], vectors: np.ndarray,
               plans: list[list[tuple[Chunk, int]]]) -> None:
        """Swap the stale nodes' chunks for the new ones and forget the deleted nodes, in both retrievers."""
        dropped = gone + [node.iri for node in stale if node.iri in state.nodes]
        state.dense.remove(np.array([c for iri in dropped for c in state.nodes[iri].chunks], np.int64))
        for iri in gone:
            del state.nodes[iri]
            state.bm25.remove(iri)
        ids = np.arange(state.next_id, state.next_id + len(vectors), dtype=np.int64)
        state.next_id += len(vectors)
        state.dense.add(ids, vectors)
        position = 0
        for node, planned in zip(stale, plans):
            chunk_ids = [int(i) for i in ids[position:position + len(planned)]]
            position += len(planned)
            state.nodes[node.iri] = _Node(node.cls, node.label, node.text, node.level, node.context, node.digest,
                                          chunk_ids, [start for _, start in planned])
        state.bm25.add_many((node.iri, lexical_text(node)) for node in stale)

    def _reusable(self, encoder: Encoder, limit: int) -> tuple[_State | None, str]:
        """The saved state when new vectors may join it, else None and why everything is embedded again."""
        if not self.exists():
            return None, "no index yet"
        try:
            state = self._load()
        except (SearchError, SettingsError) as error:
            state = self._previous_intact()
            if state is None:
                return None, f"the saved index could not be read ({error})"
        if (state.model, state.dim) != (encoder.name, encoder.dim):
            return None, (f"the index holds {state.model} vectors ({state.dim}d), the encoder is {encoder.name} "
                          f"({encoder.dim}d); vectors of two models are never mixed")
        if state.chunk_limit != limit:
            return None, f"the chunk limit changed from {state.chunk_limit} to {limit} tokens"
        return state, ""

    def _previous_intact(self) -> _State | None:
        """The newest saved version other than the live one that reads whole (what a damaged live one falls back
        to: a refresh from it embeds only what changed since), or None."""
        live = self._current()
        for folder in sorted((p for p in self.folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
                             reverse=True):
            if live is not None and folder.name == live.name:
                continue
            try:
                return self._load_version(folder)
            except (SearchError, SettingsError, OSError):
                continue
        return None

    # -- searching -----------------------------------------------------------------------------
    def search(self, query: str, encoder: Encoder | None, *, top: int = 10, types: list[str] | None = None,
               level: str | None = None, store: GraphStore | None = None, document: str | None = None) -> list[Hit]:
        """The ``top`` nodes for a query, one hit per node: exact code and label matches first, then the fusion
        of dense and BM25 rankings after filtering, each hit marked strong or weak (kg.search.strength).

        ``types`` keeps some classes (vet: local names); without it, a class the query names (专业, 证书…)
        is moved up (kg.search.intent). ``level`` keeps one education level (中职, 高职专科, 职教本科; nodes
        without a level drop out); ``document`` (an IRI or an ingested file's path, needs ``store``) keeps the
        provisions and targets of one policy document; ``store`` fills each hit's neighbours and provenance;
        ``encoder`` None searches with BM25 alone.
        """
        if not query.strip():
            raise SearchError("the query is empty")
        if top < 1:
            raise SearchError(f"top must be at least 1, got {top}")
        state = self._load()
        settings = self._requested or state.settings
        keep = _both(state.filter(types, level), self._within_document(store, document))
        depth = max(top * DEPTH_FACTOR, 50)
        rankings: dict[str, list[str]] = {}
        best_chunk: dict[str, int] = {}
        cosines: dict[str, float] | None = None
        background: float | None = None  # the cosine of the MARGIN_RANK-th dense node
        intent = class_intent(query) if types is None and document is None else []
        asked = retrieval_text(query, types or intent)
        chinese = self._chinese_words(state, asked) if settings.english_to_chinese else []
        if settings.weights["bm25"] > 0:
            lexical = " ".join([asked, *chinese])
            rankings["bm25"] = [iri for iri, _ in state.bm25.search(lexical, top=depth, allowed=keep)]
        if encoder is not None and settings.weights["dense"] > 0 and len(state.dense):
            state.check_encoder(encoder)
            vector = _query_vector(encoder, asked, chinese)
            folded = self._dense_ranking(state, vector, depth, keep)
            rankings["dense"] = [iri for iri, _, _ in folded]
            best_chunk = {iri: chunk for iri, _, chunk in folded}
            cosines = {iri: score for iri, score, _ in folded}
            background = folded[MARGIN_RANK - 1][1] if len(folded) >= MARGIN_RANK else None
        fused = reciprocal_rank_fusion(rankings, settings.weights, k=settings.rrf_k)
        fused = boost_classes(fused, {iri: state.nodes[iri].cls for iri in (f.iri for f in fused)}, intent)
        exact = self._exact_matches(state, query, keep, types or intent, [f.iri for f in fused])
        by_iri = {f.iri: f for f in fused}
        ordered = [by_iri.get(iri) or Fused(iri, 0.0) for iri in exact]
        ordered += [f for f in fused if f.iri not in set(exact)]
        thresholds = thresholds_for(state.model) if cosines is not None else LEXICAL_THRESHOLDS
        pieces = query_pieces(query)
        hits = []
        for rank, f in enumerate(ordered[:top], start=1):
            found_by = f.found_by or {"exact": rank}  # a node only the exact match found
            hit = self._hit(state, f.iri, f.score, found_by, query, best_chunk.get(f.iri))
            node = state.nodes[f.iri]
            cosine = None if cosines is None else cosines.get(f.iri)
            evidence = Evidence(exact=f.iri in exact, cosine=cosine,
                                coverage=coverage(pieces, node.label, node.text, node.context),
                                margin=None if cosine is None or background is None else cosine - background)
            hit.match, hit.evidence = strength(evidence, thresholds), evidence
            hits.append(hit)
        if store is not None and hits:
            iris = [hit.iri for hit in hits]
            around, sources = neighbours(store, iris), provenance(store, iris)
            for hit in hits:
                hit.neighbours = around.get(hit.iri, [])
                hit.provenance = sources.get(hit.iri, {})
        return hits

    def nearest(self, queries: list[str], encoder: Encoder, *, types: list[str] | None = None,
                level: str | None = None, top: int = 3) -> list[list[tuple[str, float]]]:
        """For each query, the ``top`` nodes by dense cosine alone (no BM25, no fusion), with that cosine.

        Used to resolve names no code, name or alias resolves: the cosine is a similarity a threshold can
        apply to, unlike a fused rank score. Queries are encoded in one batch.
        """
        if not queries:
            return []
        state = self._load()
        if not len(state.dense):
            return [[] for _ in queries]
        state.check_encoder(encoder)
        keep = state.filter(types, level)
        vectors = np.asarray(encoder.encode_queries(queries), np.float32)
        return [[(iri, float(score)) for iri, score, _ in self._dense_ranking(state, vector, top, keep)]
                for vector in vectors]

    def _dense_ranking(self, state: _State, vector: np.ndarray, depth: int,
                       keep: Callable[[str], bool] | None) -> list[tuple[str, float, int]]:
        """Nodes by their best chunk: among the chunks a NodeFilter keeps (a dense subset, made once), or
        deeper and deeper until ``depth`` nodes pass a bare predicate or none are left."""
        lookups = state.lookups()
        among = lookups.subset(keep.key) if isinstance(keep, NodeFilter) else None
        size = len(state.dense) if among is None else len(among)
        k = min(size, depth * 2)
        while True:
            hits = state.dense.search(vector, k, among=among)
            folded = best_per_node(hits, lookups.node_of)
            if keep is not None and among is None:
                folded = [hit for hit in folded if keep(hit[0])]
            if len(folded) >= depth or k >= size or len(hits) < k:  # fewer than asked: nothing more to reach
                return folded[:depth]
            k = min(size, k * 4)

    @staticmethod
    def _hit(state: _State, iri: str, score: float, found_by: dict[str, int], query: str,
             chunk: int | None) -> Hit:
        node = state.nodes[iri]
        start = node.starts[node.chunks.index(chunk)] if chunk is not None and chunk in node.chunks else 0
        return Hit(iri=iri, type=node.cls, label=node.label, text=node.text,
                   snippet=snippet(node.text, query, start=start), score=score, found_by=dict(found_by),
                   level=node.level)

    def _exact_matches(self, state: _State, query: str, keep: Callable[[str], bool] | None, classes: list[str],
                       fused: list[str]) -> list[str]:
        """Nodes the query names exactly, in order: by code, by label, by label once its class word is
        dropped ("会计专业": majors named 会计); same-label nodes by class (the named classes, then catalogue
        entries before courses and clauses), then level, then fused rank."""
        exact = self._exact_index(state)
        found = exact.by_code(query) + exact.by_label(query)
        bare = without_class_word(query)
        if bare != query:
            found += [iri for iri in exact.by_label(bare) if state.nodes[iri].cls in classes]
        found = [iri for iri in dict.fromkeys(found) if keep is None or keep(iri)]
        if len(found) < 2:
            return found
        position = {iri: rank for rank, iri in enumerate(fused)}
        codes = set(exact.by_code(query))

        def key(iri: str) -> tuple[object, ...]:
            node = state.nodes[iri]
            return (iri not in codes, node.cls not in classes, EXACT_CLASS_ORDER.get(node.cls, len(EXACT_CLASS_ORDER)),
                    level_rank(node.level or ""), position.get(iri, len(position)), iri)

        return sorted(found, key=key)

    def _exact_index(self, state: _State) -> ExactIndex:
        """Codes and labels of the loaded version's nodes, built once per version (a dict lookup a query)."""
        cached: tuple[_State, str, int, ExactIndex] | None = getattr(self, "_exact_cache", None)
        if cached is None or cached[0] is not state or cached[1:3] != (state.version, len(state.nodes)):
            cached = (state, state.version, len(state.nodes), self._saved_exact(state) or ExactIndex.build(state.nodes))
            self._exact_cache = cached
        return cached[3]

    def _chinese_words(self, state: _State, query: str) -> list[str]:
        """Chinese words for an English query (kg.search.crosslingual), those the index holds; [] otherwise."""
        if _CJK_CHARACTER.search(query) or not _LATIN_WORD.search(query):
            return []
        lexicon = _lexicon(self.folder.parent / "models")
        return lexicon.expand(query, state.bm25.document_frequency)

    @staticmethod
    def _saved_exact(state: _State) -> ExactIndex | None:
        """The exact maps saved with the loaded version, while its nodes are as saved; None otherwise."""
        order = state.nodes.saved_order()
        if state.exact_file is None or order is None:
            return None
        try:
            return ExactIndex.from_json(_read_json(state.exact_file), order)
        except (KeyError, TypeError, IndexError) as error:
            raise SearchError(f"{state.exact_file}: the exact-match table is damaged ({error!r}); rebuild it with "
                              "`vetgraph index`") from error

    @staticmethod
    def _within_document(store: GraphStore | None, document: str | None) -> Callable[[str], bool] | None:
        """The predicate keeping the provisions and targets of one policy document; None without one."""
        if document is None:
            return None
        if store is None:
            raise SearchError("searching within a document needs the store")
        members = document_members(store, document)
        return members.__contains__

    # -- on disk -------------------------------------------------------------------------------
    def _current(self) -> Path | None:
        try:
            name = (self.folder / CURRENT).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        path = self.folder / name
        return path if name and path.is_dir() else None

    def _load(self) -> _State:
        """The live version, read once and again only when another process switched CURRENT."""
        current = self._current()
        if current is None:
            raise SearchError(f"no search index in {self.folder}: run `vetgraph index` first")
        if self._state is not None and self._state.version == current.name:
            return self._state
        self._state = self._load_version(current)
        return self._state

    def _load_version(self, current: Path) -> _State:
        """One saved version folder, read (SearchError when it is damaged or of an unknown format)."""
        manifest = _read_json(current / MANIFEST_FILE)
        if manifest.get("format") not in READABLE_FORMATS:
            raise SearchError(f"{current}: index format {manifest.get('format')}, this version reads "
                              f"{', '.join(map(str, READABLE_FORMATS))}; rebuild it with `vetgraph index`")
        try:
            if manifest["format"] == 1:
                digests = manifest.get("digests", {})
                rows = _read_json(current / NODES_FILE)
                nodes = NodeTable({row["iri"]: _Node(row["cls"], row["label"], row["text"], row["level"], row["context"],
                                                     row.get("digest", digests.get(row["iri"], "")), row["chunks"],
                                                     row["starts"]) for row in rows})
                exact_file = None
            else:
                nodes, exact_file = NodeTable.load(current / NODES_FOLDER), current / EXACT_FILE
            return _State(SearchSettings.load(current), manifest["model"], int(manifest["dim"]),
                          int(manifest["chunk_limit"]), DenseIndex.load(current / "dense", backend=self.backend),
                          BM25.load(current / "bm25"), nodes, int(manifest["next_id"]), current.name,
                          manifest.get("lexical_format", ""), exact_file, int(manifest["format"]),
                          store_version=manifest.get("store_version") or {})
        except (KeyError, TypeError, ValueError) as error:
            raise SearchError(f"{current}: the search index is damaged ({error!r}); rebuild it with "
                              "`vetgraph index`") from error

    def _write(self, state: _State) -> None:
        """Write a new version folder, then switch CURRENT to it; on failure the previous one stays live."""
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}-{uuid.uuid4().hex[:4]}"
        staging = self.folder / f".{name}.tmp"
        try:
            staging.mkdir(parents=True)
            (staging / BUILDER_FILE).write_text(str(os.getpid()), encoding="utf-8")
            state.settings.save(staging)
            state.dense.save(staging / "dense")
            state.bm25.save(staging / "bm25")
            state.nodes.save(staging / NODES_FOLDER)
            exact = ExactIndex.build(state.nodes, order=sorted(state.nodes))  # rows: the saved table's order
            _write_json(staging / EXACT_FILE, exact.to_json())
            fault_point("index.before-metadata")
            _write_json(staging / MANIFEST_FILE, self._manifest(state))
            (staging / BUILDER_FILE).unlink()
            os.rename(staging, self.folder / name)
            pointer = self.folder / f"{CURRENT}.tmp"
            pointer.write_text(name + "\n", encoding="utf-8")
            os.replace(pointer, self.folder / CURRENT)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise SearchError(f"cannot write the search index in {self.folder}: {error}; "
                              "the previous index is kept") from error
        state.version, state.format = name, FORMAT
        self._prune(keep=name)

    @staticmethod
    def _manifest(state: _State) -> dict[str, Any]:
        return {"format": FORMAT, "model": state.model, "dim": state.dim, "chunk_limit": state.chunk_limit,
                "next_id": state.next_id, "dense": state.dense.describe(), "tokenizer": state.bm25.tokenizer,
                "lexical_format": state.lexical_format, "nodes": len(state.nodes),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "store_version": state.store_version}

    def _restamp(self, state: _State, version: dict[str, Any]) -> None:
        """Record another store version in the live version's manifest (replaced whole): its texts are the same."""
        current = self.folder / state.version
        manifest = _read_json(current / MANIFEST_FILE)
        manifest["store_version"] = state.store_version = version
        temporary = current / f"{MANIFEST_FILE}.{os.getpid()}.tmp"
        try:
            _write_json(temporary, manifest)
            os.replace(temporary, current / MANIFEST_FILE)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise SearchError(f"cannot record the store version in {current}: {error}") from error

    def leftovers(self) -> list[Path]:
        """Staging folders of builds whose process is gone (killed or crashed before switching CURRENT)."""
        found = []
        for staging in self.folder.glob(".*.tmp") if self.folder.is_dir() else []:
            try:
                pid = int((staging / BUILDER_FILE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pid = None  # written before builders were recorded: judged by its age
            gone = not _alive(pid) if pid is not None else time.time() - staging.stat().st_mtime > 3600
            if staging.is_dir() and gone:
                found.append(staging)
        return found

    def _prune(self, keep: str) -> None:
        """Drop versions older than the previous one, and staging folders left by a crash."""
        versions = sorted(p for p in self.folder.iterdir() if p.is_dir() and not p.name.startswith("."))
        for old in versions[:-KEEP_VERSIONS]:
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)
        for leftover in self.leftovers():
            shutil.rmtree(leftover, ignore_errors=True)


def _embed(stale: list[NodeText], encoder: Encoder, limit: int, count_tokens: TokenCounter,
           progress: Progress | None) -> tuple[np.ndarray, list[list[tuple[Chunk, int]]]]:
    """Vectors for every chunk of the stale nodes (in order), and each node's planned chunks."""
    plans = [plan_chunks(node, limit, count_tokens) for node in stale]
    texts = [chunk.text for planned in plans for chunk, _ in planned]
    parts = []
    if progress is not None:
        progress(0, len(texts))
    for start in range(0, len(texts), EMBED_BATCH):
        batch = texts[start:start + EMBED_BATCH]
        vectors = np.asarray(encoder.encode_passages(batch), np.float32)
        if vectors.shape != (len(batch), encoder.dim):
            raise SearchError(f"{encoder.name} returned vectors of shape {vectors.shape} for {len(batch)} texts "
                              f"of dimension {encoder.dim}")
        parts.append(vectors)
        if progress is not None:
            progress(start + len(batch), len(texts))
    return (np.concatenate(parts) if parts else np.empty((0, encoder.dim), np.float32)), plans


_CJK_CHARACTER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@functools.lru_cache(maxsize=4)
def _lexicon(cache: Path) -> EnglishLexicon:
    """The English-Chinese lexicon, once per process (cached as JSON in ``cache``, a home's models/)."""
    return EnglishLexicon.load(cache)


def _query_vector(encoder: Encoder, query: str, chinese: list[str]) -> np.ndarray:
    """The query's vector; with Chinese words for an English query, the mean of both directions."""
    texts = [query, " ".join(chinese)] if chinese else [query]
    vectors = np.asarray(encoder.encode_queries(texts), np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return vectors.mean(axis=0)


def _both(first: Callable[[str], bool] | None, second: Callable[[str], bool] | None) -> Callable[[str], bool] | None:
    """A predicate keeping what both keep (None keeps all)."""
    if first is None or second is None:
        return first or second
    return lambda iri: first(iri) and second(iri)


def _as_node_text(iri: str, node: _Node) -> NodeText:
    return NodeText(iri=iri, cls=node.cls, label=node.label, text=node.text, level=node.level, digest=node.digest,
                    context=node.context)


def _alive(pid: int) -> bool:
    """Whether a process of this id runs (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SearchError(f"cannot read {path}: {error}") from error


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
