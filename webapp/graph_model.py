"""A node's neighbourhood, one or two hops out: the nodes it links to and that link to it, alignments as edges.

For a node of the graph projection (kg.graph: industries, majors, courses, certificates, occupations,
provisions) the neighbourhood is its ego graph there, with the layout computed once when it is built;
for any other node (a document, a teaching standard …) it is read from the store's statements.
Bookkeeping nodes (mentions, alignment and review nodes, source files) and bookkeeping edges (types,
schemes, provenance) are left out; an alignment becomes one edge from its source to its target,
named by its kind. Every node keeps at most ``per_node`` neighbours, the graph at most ``max_nodes``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from kg.align.reviews import latest_decisions
from kg.core import terms
from kg.store.base import GraphStore
from webapp.entity_model import Node, nodes

VET = terms.VET
SKIPPED_PREDICATES = [terms.RDF + "type", terms.PROV + "wasDerivedFrom", terms.PROV + "wasGeneratedBy",
                      terms.SKOS + "inScheme", terms.SKOS + "topConceptOf", terms.SKOS + "hasTopConcept",
                      VET + "mentionedIn", VET + "evidence", VET + "alignmentSource", VET + "alignmentTarget",
                      VET + "refersTo", VET + "graph", VET + "documentNode", VET + "legalStatus",
                      terms.ELI + "in_force", VET + "inDocument", VET + "reviewOf", VET + "reviewedSource",
                      VET + "reviewedTarget"]
SKIPPED_CLASSES = ("Mention", "Alignment", "Review", "SourceFile", "IngestRun", "skos:ConceptScheme", "Rejection")


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: str  # a predicate IRI, or an alignment kind (major-certificate …)


@dataclass
class Neighbourhood:
    centre: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    hops: dict[str, int] = field(default_factory=dict)  # node IRI -> hops from the centre
    clipped: bool = False  # some neighbours were left out to keep the graph readable
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)  # the layout, computed once

    def neighbours(self) -> list[Node]:
        """The nodes one hop out, by class then name."""
        return sorted((self.nodes[i] for i, hop in self.hops.items() if hop == 1 and i in self.nodes),
                      key=lambda n: (n.cls, n.label))


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in dict.fromkeys(iris))


def _edges(store: GraphStore, frontier: list[str], limit: int) -> list[Edge]:
    """Every kept edge touching the frontier nodes (statements both ways, and stored alignments not rejected)."""
    skipped = ", ".join(f"<{p}>" for p in SKIPPED_PREDICATES)
    values = _values(frontier)
    rows = store.select(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?n {{ {values} }} "
                        f"{{ ?n ?p ?o BIND(?n AS ?s) FILTER(isIRI(?o)) }} UNION {{ ?s ?p ?n BIND(?n AS ?o) }} "
                        f"FILTER(?p NOT IN ({skipped})) }} LIMIT {int(limit)}")
    found = [Edge(row["s"], row["o"], row["p"]) for row in rows]
    decisions = latest_decisions(store)
    rows = store.select(f"SELECT DISTINCT ?a ?s ?o ?kind WHERE {{ VALUES ?n {{ {values} }} "
                        "{ ?a vet:alignmentSource ?n ; vet:alignmentTarget ?o BIND(?n AS ?s) } UNION "
                        "{ ?a vet:alignmentTarget ?n ; vet:alignmentSource ?s BIND(?n AS ?o) } "
                        f"?a a vet:Alignment OPTIONAL {{ ?a vet:alignmentType ?kind }} }} LIMIT {int(limit)}")
    found += [Edge(row["s"], row["o"], row.get("kind", "alignment")) for row in rows
              if decisions.get(row["a"]) != "rejected"]
    return found


def neighbourhood(store: GraphStore, centre: str, hops: int = 1, *, per_node: int = 30, per_relation: int = 6,
                  max_nodes: int = 60) -> Neighbourhood:
    """The centre, its neighbours and (``hops`` 2) theirs, named and classed: at most ``per_relation`` nodes
    reached over one relation and ``per_node`` in all from one node (a sixth of that on the second hop)."""
    graph = Neighbourhood(centre, hops={centre: 0})
    frontier = [centre]
    seen_edges: set[Edge] = set()
    for hop in range(1, max(1, min(hops, 2)) + 1):
        edges = [e for e in _edges(store, frontier, limit=5000) if e.source != e.target]
        known = nodes(store, [e.source for e in edges] + [e.target for e in edges] + [centre])
        if centre in known:
            graph.nodes[centre] = known[centre]
        node_cap = per_node if hop == 1 else max(2, per_node // 6)
        relation_cap = per_relation if hop == 1 else max(1, per_relation // 3)
        per: dict[str, int] = {}
        per_kind: dict[tuple[str, str], int] = {}
        reached: list[str] = []
        inside = set(frontier)
        for edge in sorted(edges, key=lambda e: (e.relation, e.source, e.target)):
            near, far = (edge.source, edge.target) if edge.source in inside else (edge.target, edge.source)
            if known.get(far, Node(far, far, "")).cls in SKIPPED_CLASSES or edge in seen_edges:
                continue
            if far not in graph.hops:
                if (per.get(near, 0) >= node_cap or per_kind.get((near, edge.relation), 0) >= relation_cap
                        or len(graph.hops) >= max_nodes):
                    graph.clipped = True
                    continue
                per[near] = per.get(near, 0) + 1
                per_kind[(near, edge.relation)] = per_kind.get((near, edge.relation), 0) + 1
                graph.hops[far] = hop
                reached.append(far)
            seen_edges.add(edge)
            graph.edges.append(edge)
            graph.nodes[far] = known.get(far, Node(far, far, ""))
        frontier = reached
        if not frontier:
            break
    graph.positions = ring_positions(graph)
    return graph


#: Projection nodes the page does not draw: a policy's industry mention is bookkeeping here, as above.
HIDDEN_KINDS = ("Mention",)
#: Relations of the projection drawn by their predicate's name (the others are alignment kinds).
PREDICATES = {"forMajor": VET + "forMajor", "preparesFor": VET + "preparesFor", "broader": terms.SKOS + "broader",
              "refersTo": VET + "refersTo", "mentions": VET + "mentionedIn"}


def projected_neighbourhood(graph: nx.Graph, centre: str, hops: int = 1, *, per_node: int = 30,
                            per_relation: int = 6, max_nodes: int = 60) -> Neighbourhood | None:
    """The centre's ego graph in the projection, clipped as ``neighbourhood`` clips, laid out; None when the
    projection does not hold the centre."""
    if centre not in graph or graph.nodes[centre].get("kind") in HIDDEN_KINDS:
        return None
    radius = max(1, min(hops, 2))
    ego = nx.ego_graph(graph, centre, radius=radius)
    distance = nx.single_source_shortest_path_length(ego, centre, cutoff=radius)
    found = Neighbourhood(centre, hops={centre: 0})
    found.nodes[centre] = _node(graph, centre)
    frontier = [centre]
    for hop in range(1, radius + 1):
        node_cap = per_node if hop == 1 else max(2, per_node // 6)
        relation_cap = per_relation if hop == 1 else max(1, per_relation // 3)
        reached: list[str] = []
        for near in frontier:
            per_kind: dict[str, int] = {}
            taken = 0
            ranked = sorted((other for other in ego.adj[near] if (distance.get(other) == hop or other in found.hops)
                             and graph.nodes[other].get("kind") not in HIDDEN_KINDS),
                            key=lambda other: (ego.edges[near, other]["info"].relation,
                                               str(graph.nodes[other].get("label", "")), other))
            for other in ranked:
                info = ego.edges[near, other]["info"]
                edge = Edge(info.source, info.target, PREDICATES.get(info.relation, info.relation))
                if other not in found.hops:
                    if taken >= node_cap or per_kind.get(info.relation, 0) >= relation_cap \
                            or len(found.hops) >= max_nodes:
                        found.clipped = True
                        continue
                    taken += 1
                    per_kind[info.relation] = per_kind.get(info.relation, 0) + 1
                    found.hops[other] = hop
                    found.nodes[other] = _node(graph, other)
                    reached.append(other)
                if edge not in found.edges:
                    found.edges.append(edge)
        frontier = reached
    found.positions = ring_positions(found)
    return found


def _node(graph: nx.Graph, iri: str) -> Node:
    data = graph.nodes[iri]
    return Node(iri, str(data.get("label", iri)), str(data.get("kind", "")))


def ring_positions(graph: Neighbourhood) -> dict[str, tuple[float, float]]:
    """Where each node is drawn: the centre in the middle, the first hop on a ring around it grouped by class,
    the second hop on an outer ring beside the node that reached it (deterministic, so a click lands)."""
    first = sorted((n for n in graph.nodes.values() if graph.hops.get(n.iri) == 1), key=lambda n: (n.cls, n.label))
    places: dict[str, tuple[float, float]] = {graph.centre: (0.0, 0.0)}
    angles: dict[str, float] = {}
    for i, node in enumerate(first):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(first))
        angles[node.iri] = angle
        places[node.iri] = (math.cos(angle), math.sin(angle))
    parents: dict[str, str] = {}
    for edge in graph.edges:
        for near, far in ((edge.source, edge.target), (edge.target, edge.source)):
            if graph.hops.get(far) == 2 and near in angles:
                parents.setdefault(far, near)
    second = sorted(parents, key=lambda iri: (angles[parents[iri]], graph.nodes[iri].cls, graph.nodes[iri].label))
    for i, iri in enumerate(second):
        angle = -math.pi / 2 + 2 * math.pi * (i + 0.5) / max(1, len(second))
        places[iri] = (2.0 * math.cos(angle), 2.0 * math.sin(angle))
    return places


def best_neighbourhood(store: GraphStore, centre: str, hops: int, projection: nx.Graph | None) -> Neighbourhood:
    """The neighbourhood from the projection where it holds the centre, else from the store's statements."""
    found = projected_neighbourhood(projection, centre, hops) if projection is not None else None
    return found if found is not None else neighbourhood(store, centre, hops)
