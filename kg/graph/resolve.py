"""What a FROM or TO of `vetgraph explain` names: a node IRI, a code, a label, a certificate's short name, a kind."""

from __future__ import annotations

import networkx as nx

from kg.core.names import normalise_name
from kg.errors import VetgraphError
from kg.graph.model import KINDS
from kg.store.base import GraphStore


def resolve_nodes(graph: nx.Graph, text: str, store: GraphStore | None = None) -> list[str]:
    """The projection's nodes ``text`` names, tried in this order: a kind (``Major``: every major), an IRI,
    a code (460702, 4415, 4-12-01-01), an exact label (a policy's 清洁能源 names its mentions), a normalised
    label, a certificate's full or short name (as `align suggest --certificate` resolves it)."""
    wanted = text.strip()
    kinds = {kind.lower(): kind for kind in KINDS}
    if wanted.lower() in kinds:
        return sorted(n for n, kind in graph.nodes(data="kind") if kind == kinds[wanted.lower()])
    if wanted.startswith(("http://", "https://")):
        if wanted in graph:
            return [wanted]
        raise VetgraphError(f"<{wanted}> is not a node of the graph (its kinds: {', '.join(KINDS)})")
    by_code = sorted(n for n, code in graph.nodes(data="code") if code and str(code).upper() == wanted.upper())
    if by_code:
        return by_code
    by_label = sorted(n for n, label in graph.nodes(data="label") if label == wanted)
    if by_label:
        return by_label
    key = normalise_name(wanted)
    by_key = sorted(n for n, label in graph.nodes(data="label") if label and normalise_name(str(label)) == key)
    if by_key:
        return by_key
    if store is not None:
        from kg.align.suggest import find_certificate

        try:
            found = find_certificate(store, wanted)
        except VetgraphError:
            found = ""
        if found in graph:
            return [found]
    raise VetgraphError(f"nothing in the graph is named '{wanted}': give an IRI, a code (460702, 4415), "
                        f"a label or a kind ({', '.join(KINDS)})")
