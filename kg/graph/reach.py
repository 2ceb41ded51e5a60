"""`vetgraph reach`: which priority industries of a policy reach a major, a certificate, a course, a course
standard within N hops, and which are cut off; the components and bridges of the major–certificate graph.

A field is an industry the document names (as written: 清洁能源), its industries the GB/T 4754 classes
it resolves to. Reach is measured from each class over the projection, never through a provision or a
mention (the document joins every field it names). The structural side of the gap analysis
(kg.maps.gaps): a zero there says nothing links; here, how far the nearest link is, and the path.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from kg.graph.paths import ENDS_ONLY, PathNode
from kg.store.base import GraphStore

#: What a field should reach; ``CourseStandard`` is a course that a course standard describes.
TARGETS = ("Major", "Certificate", "Course", "CourseStandard")
FIELDS = """
SELECT DISTINCT ?mention ?term WHERE {{
  ?mention a vet:Mention ; vet:mentionKind "industry" ; vet:matchedTerm ?term ; vet:mentionedIn ?provision .
  ?provision vet:inDocument <{document}> .
}}"""


@dataclass(frozen=True)
class Nearest:
    """The nearest node of one target kind: its hops and the path to it."""

    kind: str
    node: PathNode
    hops: int
    path: tuple[PathNode, ...]

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "node": self.node.__dict__, "hops": self.hops,
                "path": [n.__dict__ for n in self.path]}


@dataclass(frozen=True)
class IndustryReach:
    industry: PathNode
    nearest: tuple[Nearest, ...]
    cut_off: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"industry": self.industry.__dict__, "nearest": [n.to_json() for n in self.nearest],
                "cut_off": list(self.cut_off)}


@dataclass(frozen=True)
class FieldReach:
    """One field the document names: its classes, what each reaches, and the kinds none of them reaches."""

    term: str
    industries: tuple[IndustryReach, ...]
    cut_off: tuple[str, ...]
    reason: str | None = None  # why everything is cut off, when nothing resolved

    def to_json(self) -> dict[str, object]:
        return {"term": self.term, "industries": [i.to_json() for i in self.industries],
                "cut_off": list(self.cut_off), "reason": self.reason}


@dataclass(frozen=True)
class Bridges:
    """The major–certificate graph: how many components, their sizes, its bridges, and the certificates that
    only one major serves (each such link is a bridge: drop it and the certificate stands alone)."""

    components: int
    largest: tuple[int, ...]
    bridges: int
    single_major: tuple[tuple[PathNode, PathNode], ...]  # (certificate, its one major)

    def to_json(self) -> dict[str, object]:
        return {"components": self.components, "largest": list(self.largest), "bridges": self.bridges,
                "single_major": [{"certificate": c.__dict__, "major": m.__dict__} for c, m in self.single_major]}


@dataclass(frozen=True)
class ReachReport:
    document: str
    hops: int
    fields: tuple[FieldReach, ...]
    bridges: Bridges
    reached_single_major: tuple[tuple[PathNode, PathNode], ...] = field(default=())  # of the fields' certificates

    def to_json(self) -> dict[str, object]:
        return {"document": self.document, "hops": self.hops, "fields": [f.to_json() for f in self.fields],
                "bridges": self.bridges.to_json(),
                "reached_single_major": [{"certificate": c.__dict__, "major": m.__dict__}
                                         for c, m in self.reached_single_major]}


def node_of(graph: nx.Graph, iri: str) -> PathNode:
    data = graph.nodes[iri]
    return PathNode(iri, data.get("kind", ""), str(data.get("label", iri)), data.get("code"))


def _target_kind(graph: nx.Graph, node: str) -> list[str]:
    data = graph.nodes[node]
    kind = data.get("kind", "")
    return [kind, "CourseStandard"] if kind == "Course" and data.get("standard") else [kind]


def industry_reach(graph: nx.Graph, industry: str, hops: int) -> IndustryReach:
    """The nearest major, certificate, course and course standard within ``hops`` of ``industry``."""
    walk = nx.subgraph_view(graph, filter_node=lambda n: graph.nodes[n].get("kind") not in ENDS_ONLY)
    paths = nx.single_source_shortest_path(walk, industry, cutoff=hops)
    best: dict[str, str] = {}
    for node in sorted(paths, key=lambda n: (len(paths[n]), n)):
        for kind in _target_kind(graph, node):
            if kind in TARGETS and kind not in best:
                best[kind] = node
    nearest = tuple(Nearest(kind, node_of(graph, best[kind]), len(paths[best[kind]]) - 1,
                            tuple(node_of(graph, n) for n in paths[best[kind]])) for kind in TARGETS if kind in best)
    return IndustryReach(node_of(graph, industry), nearest, tuple(k for k in TARGETS if k not in best))


def major_certificate_bridges(graph: nx.Graph) -> Bridges:
    """Components and bridges of the graph of majors and certificates joined by their firm links."""
    pairs = nx.Graph()
    single: list[tuple[PathNode, PathNode]] = []
    for a, b, info in graph.edges(data="info"):
        if info.relation == "major-certificate":
            pairs.add_edge(info.source, info.target)
    components = sorted((len(c) for c in nx.connected_components(pairs)), reverse=True)
    for certificate in sorted(n for n in pairs if graph.nodes[n].get("kind") == "Certificate"):
        if pairs.degree(certificate) == 1:
            single.append((node_of(graph, certificate), node_of(graph, next(iter(pairs.adj[certificate])))))
    return Bridges(len(components), tuple(components[:5]), sum(1 for _ in nx.bridges(pairs)), tuple(single))


def policy_reach(graph: nx.Graph, store: GraphStore, document: str, *, hops: int = 3) -> ReachReport:
    """The reach of every field the policy document ``document`` (an IRI) names."""
    terms: dict[str, list[str]] = defaultdict(list)
    for row in sorted(store.select(FIELDS.format(document=document)), key=lambda r: r["mention"]):
        terms[row["term"]].append(row["mention"])
    fields = []
    for term, mentions in terms.items():
        industries = sorted({other for m in mentions if m in graph for other in graph.adj[m]
                             if graph.nodes[other].get("kind") == "Industry"},
                            key=lambda n: str(graph.nodes[n].get("code") or n))
        if not industries:
            fields.append(FieldReach(term, (), TARGETS, "resolved to no GB/T 4754 class"))
            continue
        reached = tuple(industry_reach(graph, industry, hops) for industry in industries)
        cut = tuple(kind for kind in TARGETS if all(kind in r.cut_off for r in reached))
        fields.append(FieldReach(term, reached, cut))
    bridges = major_certificate_bridges(graph)
    near = _certificates_near(graph, [i.industry.iri for f in fields for i in f.industries], hops)
    return ReachReport(document, hops, tuple(fields), bridges,
                       tuple(pair for pair in bridges.single_major if pair[0].iri in near))


def _certificates_near(graph: nx.Graph, industries: list[str], hops: int) -> set[str]:
    walk = nx.subgraph_view(graph, filter_node=lambda n: graph.nodes[n].get("kind") not in ENDS_ONLY)
    found: set[str] = set()
    for industry in set(industries):
        lengths = nx.single_source_shortest_path_length(walk, industry, cutoff=hops)
        found |= {n for n in lengths if graph.nodes[n].get("kind") == "Certificate"}
    return found
