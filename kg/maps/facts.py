"""What the map builders read from the store about nodes: labels and codes, evidence with file and line, sources.

Every fact of a map is traceable: a link's evidence is the mention, module or node that supports it,
read back with its text, the source file it came from and its line; a source is the ingest record
(path, kind, digest, time) the manifest keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.align.suggest import Suggestion
from kg.maps.model import Evidence, Link, Node, Source
from kg.store.base import GraphStore

NODES = """
SELECT ?node ?class ?label ?code ?level ?outside WHERE {{
  VALUES ?node {{ {nodes} }}
  ?node a ?class . FILTER(STRSTARTS(STR(?class), STR(vet:)) || STRSTARTS(STR(?class), STR(ceasn:)))
  OPTIONAL {{ ?node skos:prefLabel ?pref }} OPTIONAL {{ ?node rdfs:label ?plain }}
  OPTIONAL {{ ?node ceasn:name ?named }}
  BIND(COALESCE(?pref, ?plain, ?named) AS ?label)
  OPTIONAL {{ ?node skos:notation ?code }}
  OPTIONAL {{ ?node vet:level ?level }}
  OPTIONAL {{ ?node vet:outsideCatalogue ?outside }}
}}"""
#: The text of an evidence node: a module's title, a mention's span, a provision's text, a node's label.
EVIDENCE = """
SELECT ?alignment ?evidence ?text ?line ?source WHERE {{
  VALUES ?alignment {{ {alignments} }}
  ?alignment vet:evidence ?evidence .
  OPTIONAL {{ ?evidence vet:spanText ?span }} OPTIONAL {{ ?evidence skos:prefLabel ?pref }}
  OPTIONAL {{ ?evidence rdfs:label ?plain }} OPTIONAL {{ ?evidence vet:matchedTerm ?term }}
  OPTIONAL {{ ?evidence vet:mentionedIn ?owner . ?owner vet:text ?ownerText }}
  BIND(COALESCE(?ownerText, ?span, ?pref, ?plain, ?term, STR(?evidence)) AS ?text)
  OPTIONAL {{ ?evidence vet:line ?ownLine }} OPTIONAL {{ ?evidence vet:mentionedIn ?at . ?at vet:lineStart ?atLine }}
  BIND(COALESCE(?ownLine, ?atLine) AS ?line)
  OPTIONAL {{ ?evidence prov:wasDerivedFrom ?own }} OPTIONAL {{ ?evidence vet:mentionedIn ?by . ?by prov:wasDerivedFrom ?byFile }}
  BIND(COALESCE(?own, ?byFile) AS ?source)
}}"""
#: A text link's label says which word pieces its texts share ("文本相近（汽车、整车…）→ 36 汽车制造业").
TEXT_REASONS = """
SELECT ?alignment ?why WHERE {{ VALUES ?alignment {{ {alignments} }} ?alignment vet:method "text" ; rdfs:label ?why }}"""
#: Classes that are not what a node is, for a map (a certificate level is also a skos:Concept, …).
SECONDARY = ("Mention", "Alignment")
#: How far an evidence quote is cut around the name it supports.
QUOTE = 60


@dataclass
class Facts:
    """Reads node descriptions, evidence and sources once per map, and remembers which sources were used."""

    store: GraphStore
    used_sources: set[str] = field(default_factory=set)
    _sources: dict[str, Source] | None = None
    _nodes: dict[str, Node] = field(default_factory=dict)

    # -- sources -------------------------------------------------------------------------------
    @property
    def sources(self) -> dict[str, Source]:
        """Source IRI -> its ingest record."""
        if self._sources is None:
            self._sources = {record.iri: Source(record.iri, record.path, record.kind, record.sha256, record.ingested_at)
                             for record in self.store.sources().values()}
        return self._sources

    def path_of(self, source_iri: str | None) -> str | None:
        if not source_iri or source_iri not in self.sources:
            return None
        self.used_sources.add(source_iri)
        return self.sources[source_iri].path

    def use_sources_of(self, nodes: Iterable[str]) -> None:
        """Mark as used the source files the given nodes were read from."""
        values = " ".join(f"<{n}>" for n in sorted(set(nodes)))
        if values:
            for row in self.store.select(f"SELECT DISTINCT ?s WHERE {{ VALUES ?n {{ {values} }} ?n prov:wasDerivedFrom ?s }}"):
                self.path_of(row["s"])

    def used(self) -> tuple[Source, ...]:
        return tuple(sorted((self.sources[s] for s in self.used_sources), key=lambda s: s.path))

    def generated_at(self) -> str:
        """The latest ingest time among the sources used: the map's date, never the clock."""
        times = [s.ingested_at for s in self.used()] or [s.ingested_at for s in self.sources.values()]
        return max(times, default="1970-01-01T00:00:00Z")

    # -- nodes ---------------------------------------------------------------------------------
    def nodes(self, iris: Iterable[str]) -> dict[str, Node]:
        """IRI -> Node (class local name, label, code, level), read once and cached."""
        wanted = sorted(set(iris) - set(self._nodes))
        for start in range(0, len(wanted), 400):
            values = " ".join(f"<{n}>" for n in wanted[start:start + 400])
            for row in self.store.select(NODES.format(nodes=values)):
                cls = row["class"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                known = self._nodes.get(row["node"])
                if cls in SECONDARY or known is not None and known.type != "CertificateLevel":
                    continue
                self._nodes[row["node"]] = Node(row["node"], cls, row.get("label", row["node"]), row.get("code"),
                                                row.get("level"), row.get("outside") == "true")
        return {iri: self._nodes[iri] for iri in iris if iri in self._nodes}

    def node(self, iri: str) -> Node | None:
        return self.nodes([iri]).get(iri)

    # -- evidence ------------------------------------------------------------------------------
    def evidence(self, alignments: Iterable[str]) -> dict[str, tuple[Evidence, ...]]:
        """Alignment IRI -> the evidence of the stored alignment: quote, node, source file and line."""
        wanted = sorted(set(alignments))
        found: dict[str, dict[str, Evidence]] = {}
        for start in range(0, len(wanted), 400):
            values = " ".join(f"<{a}>" for a in wanted[start:start + 400])
            for row in self.store.select(EVIDENCE.format(alignments=values)):
                line = int(row["line"]) if row.get("line", "").isdigit() else None
                item = Evidence(_quote(row["text"], row.get("term")), row["evidence"], self.path_of(row.get("source")),
                                line)
                found.setdefault(row["alignment"], {}).setdefault(row["evidence"], item)
            for row in self.store.select(TEXT_REASONS.format(alignments=values)):
                found.setdefault(row["alignment"], {})[""] = Evidence(row["why"], row["alignment"])
        return {a: tuple(sorted(items.values(), key=lambda e: (e.iri != a, e.source or "", e.line or 0, e.text)))
                for a, items in found.items()}

    def link(self, suggestion: Suggestion, stored: dict[str, tuple[Evidence, ...]]) -> Link:
        """A suggestion of kg.align.suggest as a map link, with its stored or computed evidence."""
        node = self.node(suggestion.iri) or Node(suggestion.iri, suggestion.type, suggestion.label, suggestion.code)
        if suggestion.level:
            node = Node(node.iri, node.type, node.label, node.code, suggestion.level, node.outside_catalogue)
        evidence = stored.get(suggestion.alignment or "", ())
        if not evidence and suggestion.evidence:
            evidence = (self._computed_evidence(suggestion),)
        return Link(node, suggestion.alignment, suggestion.method, suggestion.resolved_by, suggestion.score,
                    suggestion.strength, suggestion.status, evidence)

    def _computed_evidence(self, suggestion: Suggestion) -> Evidence:
        text = suggestion.evidence or ""
        if not text.startswith("http"):
            return Evidence(text)
        through = self.node(text)
        label = f"{through.label}（{through.code}）" if through and through.code else (through.label if through else text)
        prefix = {"peer": "同类专业声明", "derived": "经由"}.get(suggestion.method, "依据")
        return Evidence(f"{prefix}：{label}", text)


def _quote(text: str, term: str | None) -> str:
    """A provision's text cut to the sentence around ``term``; other evidence texts unchanged."""
    if len(text) <= QUOTE * 2 or not term or term not in text:
        return text
    at = text.find(term)
    start = max(text.rfind("。", 0, at) + 1, at - QUOTE)
    end = text.find("。", at)
    end = min(end + 1 if end >= 0 else len(text), at + len(term) + QUOTE)
    return ("…" if start > 0 else "") + text[start:end].strip() + ("…" if end < len(text) else "")
