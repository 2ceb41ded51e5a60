"""A node's neighbourhood, one or two hops out: the nodes it links to and that link to it, alignments as edges.

Bookkeeping nodes (mentions, alignment and review nodes, source files) and bookkeeping edges (types,
schemes, provenance) are left out; an alignment becomes one edge from its source to its target,
named by its kind. Every node keeps at most ``per_node`` neighbours, the graph at most ``max_nodes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

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
    return graph
