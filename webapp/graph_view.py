"""The neighbourhood graph, the "why?" of a link and a major's similar majors: ECharts (streamlit-echarts bundles it, nothing loads from a CDN), coloured by class.

A click on a node returns its IRI to Python, which opens that node's page; the neighbours are
also listed as links under the graph (keyboard users, tests, and a browser without the component).
"""

from __future__ import annotations

import hashlib
from typing import Any

import networkx as nx
import streamlit as st

from kg.graph.paths import GraphPath, best_paths
from kg.graph.similar import similar_majors
from webapp import state
from webapp.graph_model import Neighbourhood, ring_positions
from webapp.i18n import language, pick, t
from webapp.links import entity_link, open_entity
from webapp.text import escape_markdown

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


def graph_options(graph: Neighbourhood) -> dict[str, Any]:
    """The ECharts option object of the graph, one category a class."""
    labels = state.labels()
    classes = sorted({node.cls for node in graph.nodes.values()})
    category = {cls: i for i, cls in enumerate(classes)}
    places = graph.positions or ring_positions(graph)
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


def render_why(graph: Neighbourhood, projection: nx.Graph | None) -> None:
    """"Why?": the best paths from the centre to a neighbour the reader picks, each link with its evidence."""
    if projection is None or graph.centre not in projection:
        return
    others = [n for n in sorted(graph.nodes.values(), key=lambda n: (graph.hops.get(n.iri, 3), n.cls, n.label))
              if n.iri != graph.centre and n.iri in projection]
    with st.expander(pick("为什么相连？", "Why are they linked?"), expanded=False):
        chosen = st.selectbox(pick("相邻节点", "Neighbour"), [n.iri for n in others], index=None,
                              format_func=lambda iri: graph.nodes[iri].label, key=f"why-{graph.centre}",
                              placeholder=pick("选择一个节点", "Pick a node"))
        if not chosen:
            return
        show_paths(explain_paths(projection, graph.centre, chosen))


def show_paths(paths: list[GraphPath]) -> None:
    """Each path as its nodes, then each of its links with method, score, status and evidence."""
    if not paths:
        st.caption(pick("四跳之内没有路径。", "No path within four hops."))
    for rank, path in enumerate(paths, start=1):
        st.markdown(f"**{rank}.** " + " → ".join(escape_markdown(n.label) for n in path.nodes))
        labels = {n.iri: n.label for n in path.nodes}
        for edge in path.edges:
            st.caption(f"{escape_markdown(labels[edge.source])} —{edge.relation}→ "
                       f"{escape_markdown(labels[edge.target])} · {edge.method}/{edge.resolved_by} "
                       f"{edge.score:.2f} {edge.status} · {escape_markdown(edge.evidence[:200])}")


def explain_paths(projection: nx.Graph, source: str, target: str) -> list[GraphPath]:
    """At most three paths of at most four hops (what `vetgraph explain` prints by default)."""
    return best_paths(projection, [source], [target], max_hops=4, top=3)


def render_similar_majors(projection: nx.Graph | None, major: str) -> None:
    """The majors most like this one, with what they share (`vetgraph similar`)."""
    if projection is None or major not in projection:
        return
    found = similar_majors(projection, major, top=8)
    names = {"certificate": pick("证书", "certificates"), "occupation": pick("职业", "occupations"),
             "industry": pick("行业", "industries"), "course": pick("课程", "courses")}
    with st.expander(pick(f"相似专业（{len(found)}）", f"Similar majors ({len(found)})"), expanded=False):
        for item in found:
            entity_link(item.iri, f"{item.code or ''} {item.label} · {item.score:.2f}")
            st.caption(" · ".join(f"{names[kind]}{t('colon')}{'、'.join(shared[:5])}"
                                  + ("…" if len(shared) > 5 else "") for kind, shared in item.shared.items()))
