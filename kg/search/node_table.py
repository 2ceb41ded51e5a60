"""The index's nodes: what every search reads at once (class, level, label, chunks), texts read per hit.

A search of the real graph touches the text of about ten nodes (its hits) but the class and level of
all of them (the filters) and the chunk ids of all of them (folding chunk hits to nodes). So the saved
table keeps those apart: ``columns.json`` (IRIs, labels, class and level codes), ``chunks.npz`` (chunk
ids and where each chunk starts in its text), ``texts.jsonl`` (one ``[text, context]`` line per node)
with its byte offsets, and ``digests.json`` (read by a refresh only). A loaded table reads a node's text
when it is asked for it; the first change (a refresh) reads everything and holds plain nodes after.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import numpy as np

from kg.search.settings import SearchError

COLUMNS_FILE, CHUNKS_FILE, DIGESTS_FILE = "columns.json", "chunks.npz", "digests.json"
TEXTS_FILE, OFFSETS_FILE = "texts.jsonl", "text_offsets.npy"


class IndexNode:
    """A node as the index keeps it: its text for hits and snippets, and the ids of its chunks.

    ``text`` and ``context`` of a node read from a saved table are read from disk when first asked for.
    """

    __slots__ = ("cls", "label", "level", "chunks", "starts", "_text", "_context", "_digest", "_table", "_row")

    def __init__(self, cls: str, label: str, text: str, level: str | None, context: str, digest: str,
                 chunks: list[int], starts: list[int]) -> None:
        self.cls, self.label, self.level = cls, label, level
        self.chunks, self.starts = chunks, starts  # starts: where each chunk's piece starts in text
        self._text: str | None = text
        self._context: str | None = context
        self._digest: str | None = digest
        self._table: NodeTable | None = None
        self._row = -1

    @classmethod
    def _saved(cls, table: NodeTable, row: int, chunks: list[int], starts: list[int]) -> IndexNode:
        node = cls.__new__(cls)
        node.cls, node.label, node.level = table._class_of(row), table._labels[row], table._level_of(row)
        node.chunks, node.starts = chunks, starts
        node._text = node._context = node._digest = None
        node._table, node._row = table, row
        return node

    @property
    def text(self) -> str:
        if self._text is None:
            self._read()
        return self._text  # type: ignore[return-value]

    @property
    def context(self) -> str:
        if self._context is None:
            self._read()
        return self._context  # type: ignore[return-value]

    @property
    def digest(self) -> str:
        if self._digest is None:
            assert self._table is not None
            self._digest = self._table._digest_of(self._row)
        return self._digest

    def _read(self) -> None:
        assert self._table is not None
        self._text, self._context = self._table._text_of(self._row)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IndexNode):
            return NotImplemented
        return self.as_tuple() == other.as_tuple()

    def as_tuple(self) -> tuple[Any, ...]:
        return (self.cls, self.label, self.text, self.level, self.context, self.digest, self.chunks, self.starts)

    def __repr__(self) -> str:
        return f"IndexNode({self.cls}, {self.label!r}, level={self.level!r}, chunks={self.chunks})"


class NodeTable(MutableMapping[str, IndexNode]):
    """IRI -> IndexNode, in memory (``NodeTable(nodes)``) or read from a saved table (``NodeTable.load``)."""

    def __init__(self, nodes: dict[str, IndexNode] | None = None) -> None:
        self._nodes: dict[str, IndexNode] | None = dict(nodes or {})
        self._folder: Path | None = None
        self._iris: list[str] = []
        self._rows: dict[str, int] = {}
        self._labels: list[str] = []
        self._classes: list[str] = []
        self._class_codes: list[int] = []
        self._levels: list[str | None] = []
        self._level_codes: list[int] = []
        self._chunks = np.empty(0, np.int64)
        self._starts = np.empty(0, np.int64)
        self._bounds = np.zeros(1, np.int64)  # node row -> its first chunk, and the end
        self._text_offsets = np.zeros(1, np.int64)
        self._digests: list[str] | None = None
        self._made: dict[int, IndexNode] = {}

    # -- the mapping ---------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._nodes) if self._nodes is not None else len(self._iris)

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes if self._nodes is not None else self._iris)

    def __contains__(self, iri: object) -> bool:
        return iri in (self._nodes if self._nodes is not None else self._rows)

    def __getitem__(self, iri: str) -> IndexNode:
        if self._nodes is not None:
            return self._nodes[iri]
        return self._node(self._rows[iri])

    def __setitem__(self, iri: str, node: IndexNode) -> None:
        self._plain()[iri] = node

    def __delitem__(self, iri: str) -> None:
        del self._plain()[iri]

    # -- what searches read of every node, without its text ------------------------------------------------
    def class_and_level(self, iri: str | None) -> tuple[str | None, str | None]:
        """The class and education level of a node, (None, None) for one not here."""
        if self._nodes is not None:
            node = self._nodes.get(iri) if iri is not None else None
            return (None, None) if node is None else (node.cls, node.level)
        row = self._rows.get(iri) if iri is not None else None
        return (None, None) if row is None else (self._class_of(row), self._level_of(row))

    def node_of_chunk(self) -> dict[int, str]:
        """Chunk id -> the IRI of its node."""
        if self._nodes is not None:
            return {chunk: iri for iri, node in self._nodes.items() for chunk in node.chunks}
        owners = np.repeat(np.arange(len(self._iris)), np.diff(self._bounds)).tolist()
        iris = self._iris
        return {chunk: iris[row] for chunk, row in zip(self._chunks.tolist(), owners)}

    def saved_order(self) -> list[str] | None:
        """The IRIs in the order of the saved table (row order), None once the table changed after loading."""
        return self._iris if self._nodes is None else None

    # -- on disk -------------------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write the table, nodes sorted by IRI."""
        folder.mkdir(parents=True, exist_ok=True)
        plain = self._plain()
        iris = sorted(plain)
        nodes = [plain[iri] for iri in iris]
        classes = sorted({node.cls for node in nodes})
        levels = sorted({node.level or "" for node in nodes})
        columns = {"iris": iris, "labels": [node.label for node in nodes], "classes": classes,
                   "class_of": [classes.index(node.cls) for node in nodes],
                   "levels": levels, "level_of": [levels.index(node.level or "") for node in nodes]}
        _write_json(folder / COLUMNS_FILE, columns)
        _write_json(folder / DIGESTS_FILE, [node.digest for node in nodes])
        sizes = [len(node.chunks) for node in nodes]
        bounds = np.zeros(len(nodes) + 1, np.int64)
        np.cumsum(sizes, out=bounds[1:])
        np.savez(folder / CHUNKS_FILE, chunks=np.array([c for node in nodes for c in node.chunks], np.int64),
                 starts=np.array([s for node in nodes for s in node.starts], np.int64), bounds=bounds)
        offsets = [0]
        with (folder / TEXTS_FILE).open("wb") as out:
            for node in nodes:
                line = json.dumps([node.text, node.context], ensure_ascii=False).encode("utf-8") + b"\n"
                out.write(line)
                offsets.append(offsets[-1] + len(line))
        np.save(folder / OFFSETS_FILE, np.array(offsets, np.int64), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> NodeTable:
        """A saved table; texts and digests stay on disk until asked for."""
        table = cls()
        table._nodes = None
        table._folder = folder
        try:
            columns = json.loads((folder / COLUMNS_FILE).read_text(encoding="utf-8"))
            with np.load(folder / CHUNKS_FILE, allow_pickle=False) as saved:
                table._chunks, table._starts, table._bounds = saved["chunks"], saved["starts"], saved["bounds"]
            table._text_offsets = np.load(folder / OFFSETS_FILE, allow_pickle=False)
            table._iris, table._labels = columns["iris"], columns["labels"]
            table._classes, table._class_codes = columns["classes"], columns["class_of"]
            table._levels, table._level_codes = [lv or None for lv in columns["levels"]], columns["level_of"]
        except (OSError, ValueError, KeyError) as error:
            raise SearchError(f"the search index is damaged: cannot read its nodes in {folder} ({error}); "
                              "rebuild it with `vetgraph index`") from error
        count = len(table._iris)
        if not (len(table._labels) == len(table._class_codes) == len(table._level_codes) == count
                and len(table._bounds) == len(table._text_offsets) == count + 1):
            raise SearchError(f"the search index is damaged: its nodes in {folder} have columns of different "
                              "lengths; rebuild it with `vetgraph index`")
        table._rows = dict(zip(table._iris, range(count)))
        return table

    # -- pieces --------------------------------------------------------------------------------------------
    def _class_of(self, row: int) -> str:
        return self._classes[self._class_codes[row]]

    def _level_of(self, row: int) -> str | None:
        return self._levels[self._level_codes[row]]

    def _node(self, row: int) -> IndexNode:
        node = self._made.get(row)
        if node is None:
            begin, end = int(self._bounds[row]), int(self._bounds[row + 1])
            node = IndexNode._saved(self, row, self._chunks[begin:end].tolist(), self._starts[begin:end].tolist())
            self._made[row] = node
        return node

    def _text_of(self, row: int) -> tuple[str, str]:
        assert self._folder is not None
        begin, end = int(self._text_offsets[row]), int(self._text_offsets[row + 1])
        try:
            with (self._folder / TEXTS_FILE).open("rb") as texts:
                texts.seek(begin)
                text, context = json.loads(texts.read(end - begin).decode("utf-8"))
        except (OSError, ValueError) as error:
            raise SearchError(f"cannot read node {row} of {self._folder / TEXTS_FILE}: {error}") from error
        return text, context

    def _digest_of(self, row: int) -> str:
        if self._digests is None:
            assert self._folder is not None
            try:
                self._digests = json.loads((self._folder / DIGESTS_FILE).read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise SearchError(f"cannot read {self._folder / DIGESTS_FILE}: {error}") from error
        return self._digests[row]  # type: ignore[index]

    def read_all(self) -> None:
        """Read every text and digest now (in one pass), as a refresh or a save is about to."""
        self._plain()

    def _plain(self) -> dict[str, IndexNode]:
        """The nodes as a plain dict, every text read: what a change needs."""
        if self._nodes is None:
            assert self._folder is not None
            try:
                lines = (self._folder / TEXTS_FILE).read_bytes().split(b"\n")[:-1]
                texts = [json.loads(line) for line in lines]
            except (OSError, ValueError) as error:
                raise SearchError(f"cannot read {self._folder / TEXTS_FILE}: {error}") from error
            if len(texts) != len(self._iris):
                raise SearchError(f"{self._folder / TEXTS_FILE} holds {len(texts)} texts for {len(self._iris)} nodes")
            nodes = {}
            for row, (iri, (text, context)) in enumerate(zip(self._iris, texts)):
                saved = self._node(row)
                nodes[iri] = IndexNode(saved.cls, saved.label, text, saved.level, context, saved.digest,
                                       saved.chunks, saved.starts)
            self._nodes, self._made = nodes, {}
        return self._nodes


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
