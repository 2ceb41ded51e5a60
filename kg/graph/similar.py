"""Similar majors: one row of the weighted bipartite projection majors × (certificates, courses, occupations, industries).

Each major is joined to what it has: the certificates and occupations it is linked to, the industries
it serves, and its courses by normalised name (the same course in two majors' standards is two course
nodes with one name). A shared item counts by its kind's weight times its rarity (``log(1 + majors /
majors that have it)``: every major has 体育, few have 电池管理系统检修), and two majors' closeness is the
cosine of their weighted item vectors. The answer says what each similar major shares, by kind.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from kg.core.names import normalise_name

#: How much one shared item of each kind counts before its rarity.
KIND_WEIGHTS = {"certificate": 3.0, "occupation": 2.0, "industry": 2.0, "course": 1.0}
FEATURE_KINDS = {"Certificate": "certificate", "Occupation": "occupation", "Industry": "industry", "Course": "course"}
FEATURES_KEY = "vetgraph_major_features"


@dataclass(frozen=True)
class SimilarMajor:
    iri: str
    label: str
    code: str | None
    score: float
    shared: dict[str, list[str]] = field(default_factory=dict)  # kind -> the shared items' names

    def to_json(self) -> dict[str, object]:
        return {"iri": self.iri, "label": self.label, "code": self.code, "score": self.score, "shared": self.shared}


def major_features(graph: nx.Graph) -> nx.Graph:
    """The bipartite graph majors — items (``(kind, key)`` nodes with a ``name``), built once per projection."""
    known = graph.graph.get(FEATURES_KEY)
    if isinstance(known, nx.Graph):
        return known
    features = nx.Graph()
    for major, kind in graph.nodes(data="kind"):
        if kind != "Major":
            continue
        features.add_node(major, bipartite=0)
        for other in graph.adj[major]:
            data = graph.nodes[other]
            item_kind = FEATURE_KINDS.get(data.get("kind", ""))
            if item_kind is None:
                continue
            label = str(data.get("label", other))
            key = (item_kind, normalise_name(label) if item_kind == "course" else other)
            features.add_node(key, bipartite=1, name=label)
            features.add_edge(major, key)
    graph.graph[FEATURES_KEY] = features
    return features


def _weight(features: nx.Graph, item: tuple[str, str], majors: int) -> float:
    return KIND_WEIGHTS[item[0]] * math.log(1 + majors / max(1, features.degree(item)))


def similar_majors(graph: nx.Graph, major: str, *, top: int = 10) -> list[SimilarMajor]:
    """The ``top`` majors closest to ``major``, best first, each with what it shares."""
    features = major_features(graph)
    if major not in features:
        return []
    majors = sum(1 for _, side in features.nodes(data="bipartite") if side == 0)
    weights = {item: _weight(features, item, majors) for item in features.adj[major]}
    norms: dict[str, float] = {}
    shared: dict[str, float] = defaultdict(float)
    items: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item, weight in weights.items():
        for other in features.adj[item]:
            if other != major:
                shared[other] += weight * weight
                items[other].append(item)
    own = math.sqrt(sum(w * w for w in weights.values()))
    ranked = []
    for other, overlap in shared.items():
        if other not in norms:
            norms[other] = math.sqrt(sum(_weight(features, i, majors) ** 2 for i in features.adj[other]))
        ranked.append((overlap / (own * norms[other]) if own and norms[other] else 0.0, other))
    ranked.sort(key=lambda pair: (-pair[0], pair[1]))
    out = []
    for score, other in ranked[:top]:
        by_kind: dict[str, list[str]] = defaultdict(list)
        for item in sorted(items[other], key=lambda i: (-weights[i], features.nodes[i]["name"])):
            by_kind[item[0]].append(features.nodes[item]["name"])
        data = graph.nodes[other]
        out.append(SimilarMajor(other, str(data.get("label", other)), data.get("code"), round(score, 4),
                                {kind: by_kind[kind] for kind in KIND_WEIGHTS if kind in by_kind}))
    return out


def similar_majors_stating(graph: nx.Graph, major: str, certificates: list[str], *, among: int = 20
                           ) -> dict[str, list[SimilarMajor]]:
    """For each certificate, the majors among the ``among`` most similar to ``major`` that are linked to it
    (best first): the peer evidence `align suggest` shows beside a suggested certificate."""
    wanted = set(certificates)
    found: dict[str, list[SimilarMajor]] = defaultdict(list)
    for similar in similar_majors(graph, major, top=among):
        for certificate in wanted.intersection(graph.adj[similar.iri]):
            found[certificate].append(similar)
    return dict(found)
