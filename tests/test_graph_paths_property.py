"""Properties of `best_paths` on random small graphs: every path is simple, joins a source to a target within
the hop limit, costs the sum of its edges, and the paths come cheapest first; none is missed that
networkx's plain shortest path finds within the limit."""

from __future__ import annotations

from itertools import pairwise

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.graph.model import EdgeInfo
from kg.graph.paths import best_paths

KINDS = ("Major", "Certificate", "Industry", "Occupation")


@st.composite
def small_graphs(draw: st.DrawFn) -> nx.Graph:
    size = draw(st.integers(min_value=2, max_value=9))
    graph = nx.Graph()
    for n in range(size):
        graph.add_node(f"n{n}", kind=draw(st.sampled_from(KINDS)), label=f"node {n}", code=None)
    pairs = draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=18))
    for a, b in pairs:
        if a != b:
            score = draw(st.sampled_from((1.0, 0.85, 0.5, 0.2)))
            info = EdgeInfo(f"n{a}", f"n{b}", "major-certificate", "stated", "name", score, "exact", "accepted",
                            None, "")
            graph.add_edge(f"n{a}", f"n{b}", info=info, cost=info.cost)
    return graph


@settings(max_examples=25, deadline=None)
@given(small_graphs(), st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=4))
def test_best_paths_are_simple_bounded_and_cheapest_first(graph: nx.Graph, max_hops: int, top: int) -> None:
    source, target = "n0", "n1"
    paths = best_paths(graph, [source], [target], max_hops=max_hops, top=top)
    assert len(paths) <= top
    costs = [p.cost for p in paths]
    assert costs == sorted(costs)
    for path in paths:
        route = [n.iri for n in path.nodes]
        assert route[0] == source and route[-1] == target and len(set(route)) == len(route)
        assert path.hops <= max_hops
        assert abs(path.cost - sum(graph.edges[a, b]["cost"] for a, b in pairwise(route))) < 1e-9
    try:
        hops = nx.shortest_path_length(graph, source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        hops = None
    assert bool(paths) == (hops is not None and hops <= max_hops)
