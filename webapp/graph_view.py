"""The neighbourhood graph: ECharts (streamlit-echarts bundles it, nothing loads from a CDN), coloured by class.

A click on a node returns its IRI to Python, which opens that node's page; the neighbours are
also listed as links under the graph (keyboard users, tests, and a browser without the component).
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import streamlit as st

from webapp import state
from webapp.graph_model import Neighbourhood
from webapp.i18n import language, t
from webapp.links import entity_link, open_entity

LAST_CLICK = "vetgraph_graph_click"
#: Colours by class (ECharts' default palette, fixed so a class keeps its colour from page to page).
PALETTE = {"Major": "#5470c6", "Course": "#91cc75", "Certificate": "#fac858", "CertificateLevel": "#fac858",
           "Occupation": "#ee6666", "OccupationGroup": "#ee6666", "Industry": "#73c0de", "Provision": "#3ba272",
           "PolicyDocument": "#3ba272", "Target": "#fc8452", "MajorCategory": "#9a60b4",
           "TeachingStandard": "#ea7ccc", "CourseStandard": "#ea7ccc", "LearningOutcome": "#91cc75"}
OTHER_COLOUR = "#a0a7b4"
#: Redraw once the page has settled: the component skips its first resize, so a chart laid out while the
#: page was still growing would stay stretched.
SETTLE_HANDLER = ("function() { if (!chart.__vetgraphSettled) { chart.__vetgraphSettled = true; "
                  "setTimeout(function() { if (!chart.isDisposed()) { chart.resize(); } }, 400); } }")
CLICK_HANDLER = ("function(params) { if (params.dataType === 'node' && params.data && params.data.iri) "
                 "{ return {iri: params.data.iri, at: Date.now()}; } }")


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


def graph_options(graph: Neighbourhood) -> dict[str, Any]:
    """The ECharts option object of the graph, one category a class."""
    labels = state.labels()
    classes = sorted({node.cls for node in graph.nodes.values()})
    category = {cls: i for i, cls in enumerate(classes)}
    places = ring_positions(graph)
    data = []
    for iri, node in graph.nodes.items():
        if iri not in places:
            continue
        hop = graph.hops.get(iri, 2)
        x, y = places[iri]
        data.append({"id": iri, "name": node.label[:20], "iri": iri, "category": category[node.cls],
                     "x": round(x * 300, 1), "y": round(y * 300, 1), "symbolSize": (40, 22, 12)[min(hop, 2)],
                     "label": {"show": hop < 2, "position": "bottom" if hop == 0 else ("right" if x >= 0 else "left")},
                     "value": labels.of_class(node.cls, language()) if node.cls else ""})
    links = [{"source": e.source, "target": e.target,
              "value": labels.of(e.relation, language()) if e.relation.startswith("http") else e.relation}
             for e in graph.edges if e.source in places and e.target in places]
    return {
        "tooltip": {"formatter": "{b}<br/>{c}"},
        "legend": [{"data": [labels.of_class(c, language()) if c else "?" for c in classes], "top": 0,
                    "type": "scroll"}],
        "series": [{
            "type": "graph", "layout": "none", "roam": True, "preserveAspect": "contain", "data": data,
            "links": links, "top": 40, "bottom": 20, "left": 120, "right": 120,
            "categories": [{"name": labels.of_class(c, language()) if c else "?",
                            "itemStyle": {"color": PALETTE.get(c, OTHER_COLOUR)}} for c in classes],
            "edgeSymbol": ["none", "arrow"], "edgeSymbolSize": 6,
            "label": {"fontSize": 11, "width": 100, "overflow": "truncate"},
            # a crowded ring's labels would print over each other: those hidden show on hover
            "labelLayout": {"hideOverlap": True},
            "lineStyle": {"color": "source", "curveness": 0.1, "opacity": 0.5},
            "emphasis": {"focus": "adjacency", "label": {"show": True}},
        }],
    }


def render_graph(graph: Neighbourhood, hops: int) -> None:
    """The graph (a click opens the clicked node's page), then the neighbours as links."""
    try:
        from streamlit_echarts import st_echarts
    except ImportError:
        st.caption("streamlit-echarts is not installed (pip install streamlit-echarts==0.7.0): neighbours as a list")
    else:
        st.caption(t("entity.graph_help"))
        events = {"click": CLICK_HANDLER, "finished": SETTLE_HANDLER}
        value = st_echarts(graph_options(graph), events=events, height="520px",
                           key=f"graph-{hashlib.sha1(graph.centre.encode()).hexdigest()[:12]}-{hops}")
        event = value.get("chart_event") if hasattr(value, "get") else None
        if isinstance(event, dict) and event.get("iri") and event.get("at") != st.session_state.get(LAST_CLICK):
            st.session_state[LAST_CLICK] = event.get("at")
            if event["iri"] != graph.centre:
                open_entity(str(event["iri"]))
    neighbours = graph.neighbours()
    with st.expander(t("entity.neighbours", count=len(neighbours)), expanded=False):
        if not neighbours:
            st.caption(t("entity.no_neighbours"))
        labels = state.labels()
        for node in neighbours:
            kind = labels.of_class(node.cls, language()) if node.cls else ""
            entity_link(node.iri, f"{kind}{t('colon')}{node.label}" if kind else node.label)
