"""`vetgraph explain`: the k best paths between two sets of nodes, each edge with its method, score and evidence.

A path's length is the sum of its edges' costs (one a hop, more for a weak or proposed link, see
EdgeInfo.cost). The search keeps the nodes that can lie on a path of at most ``max_hops`` hops (hop
distance from the sources plus to the targets), joins the sources to one virtual start and the targets
to one virtual end, and takes networkx's shortest simple paths (Yen) between those two in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice, pairwise

import networkx as nx

from kg.graph.model import EdgeInfo

START, END = "vetgraph:start", "vetgraph:end"
#: Kinds a path may start or end at but never pass through: a provision joins every field it names, so a
#: path 清洁能源 → provision → 大数据 → … would explain nothing about 清洁能源.
ENDS_ONLY = ("Provision", "Mention")
#: How many candidate paths are looked at, at most, for the ``top`` kept (a candidate passing through a
#: second source or target is dropped: its shorter part is a path of its own).
CANDIDATES_PER_PATH = 40


@dataclass(frozen=True)
class PathNode:
    iri: str
    kind: str
    label: str
    code: str | None


@dataclass(frozen=True)
class GraphPath:
    """One path: its nodes in order, the edge between each two, its cost."""

    nodes: tuple[PathNode, ...]
    edges: tuple[EdgeInfo, ...]
    cost: float

    @property
    def hops(self) -> int:
        return len(self.edges)

    def to_json(self) -> dict[str, object]:
        labels = {n.iri: n.label for n in self.nodes}
        return {"cost": round(self.cost, 4), "hops": self.hops,
                "nodes": [n.__dict__ for n in self.nodes],
                "edges": [{**e.to_json(), "source_label": labels.get(e.source, e.source),
                           "target_label": labels.get(e.target, e.target)} for e in self.edges]}


def hop_distances(graph: nx.Graph, sources: Iterable[str], cutoff: int) -> dict[str, int]:
    """Hops from the nearest of ``sources`` to every node at most ``cutoff`` hops away (breadth first)."""
    seen = {s: 0 for s in sources if s in graph}
    frontier = list(seen)
    for hop in range(1, cutoff + 1):
        reached = []
        for node in frontier:
            for other in graph.adj[node]:
                if other not in seen:
                    seen[other] = hop
                    reached.append(other)
        frontier = reached
    return seen


def passable(graph: nx.Graph, ends: set[str]) -> nx.Graph:
    """A view of ``graph`` without the nodes a path may not pass through (those in ``ends`` kept)."""
    return nx.subgraph_view(graph, filter_node=lambda n: n in ends or graph.nodes[n].get("kind") not in ENDS_ONLY)


def best_paths(graph: nx.Graph, sources: Iterable[str], targets: Iterable[str], *, max_hops: int = 4,
               top: int = 3) -> list[GraphPath]:
    """The ``top`` cheapest simple paths of at most ``max_hops`` hops from any source to any target."""
    starts = sorted(set(sources) & set(graph))
    ends = sorted((set(targets) & set(graph)) - set(starts))
    if not starts or not ends:
        return []
    walk = passable(graph, set(starts) | set(ends))
    near = hop_distances(walk, starts, max_hops)
    far = hop_distances(walk, ends, max_hops)
    kept = [n for n in near if n in far and near[n] + far[n] <= max_hops]
    search = nx.Graph()
    search.add_edges_from((a, b, {"cost": data["cost"]}) for a, b, data in graph.subgraph(kept).edges(data=True))
    search.add_edges_from((START, s, {"cost": 0.0}) for s in starts if s in search)
    search.add_edges_from((e, END, {"cost": 0.0}) for e in ends if e in search)
    if START not in search or END not in search:
        return []
    first, last = set(starts), set(ends)
    found: list[GraphPath] = []
    try:
        candidates = nx.shortest_simple_paths(search, START, END, weight="cost")
        for route in islice(candidates, CANDIDATES_PER_PATH * top):
            inner = route[1:-1]
            if len(inner) - 1 > max_hops or first & set(inner[1:]) or last & set(inner[:-1]):
                continue
            path = _path(graph, inner)
            if len(found) >= top and path.cost > found[-1].cost + 1e-9:
                break  # paths come cheapest first: ties with the last kept one were still taken, to order them
            found.append(path)
    except nx.NetworkXNoPath:
        pass
    found.sort(key=lambda p: (round(p.cost, 6), [n.iri for n in p.nodes]))
    return found[:top]


def _path(graph: nx.Graph, route: list[str]) -> GraphPath:
    nodes = tuple(PathNode(n, graph.nodes[n].get("kind", ""), str(graph.nodes[n].get("label", n)),
                           graph.nodes[n].get("code")) for n in route)
    edges = tuple(graph.edges[a, b]["info"] for a, b in pairwise(route))
    return GraphPath(nodes, edges, sum(e.cost for e in edges))
