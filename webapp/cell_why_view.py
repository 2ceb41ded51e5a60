""""Why?" on an alignment map's cells: a cell's own evidence (file and line), and the paths of the graph
projection (kg.graph, as `vetgraph explain` finds them) from the course, and from the map's major, to the
certificate."""

from __future__ import annotations

import networkx as nx
import streamlit as st

from kg.maps.model import AlignmentMap, Cell
from webapp.graph_view import explain_paths, show_paths
from webapp.i18n import pick
from webapp.text import escape_markdown


def cell_name(amap: AlignmentMap, cell: Cell) -> str:
    """A cell as "course × certificate (score)"."""
    courses = {c.node.iri: c.node.label for c in amap.courses}
    certificates = {c.link.node.iri: c.link.node.label for c in amap.certificates}
    return (f"{courses.get(cell.course, cell.course)} × {certificates.get(cell.certificate, cell.certificate)}"
            f"（{cell.link.score:.2f}）")


def render_cell_why(amap: AlignmentMap, projection: nx.Graph | None) -> None:
    """An expander: pick a cell, see why the course is aligned to the certificate."""
    if not amap.cells:
        return
    with st.expander(pick("为什么对应？", "Why are they aligned?"), expanded=False):
        chosen = st.selectbox(pick("对应格", "Cell"), range(len(amap.cells)), index=None,
                              format_func=lambda i: cell_name(amap, amap.cells[i]), key=f"cell-why-{amap.subject.iri}",
                              placeholder=pick("选择一个对应格", "Pick a cell"))
        if chosen is None:
            return
        cell = amap.cells[chosen]
        link = cell.link
        st.markdown(f"**{pick('本格', 'This cell')}**：{link.method}/{link.resolved_by} · {link.strength} · "
                    f"{link.score:.2f} · {link.status}")
        for item in link.evidence:
            where = f" · {item.source}:{item.line}" if item.source and item.line else ""
            st.caption(escape_markdown(item.text[:300]) + escape_markdown(where))
        if projection is None:
            return
        for source, title in ((cell.course, pick("从课程出发", "From the course")),
                              (amap.subject.iri, pick("从专业出发", "From the major"))):
            if source in projection and cell.certificate in projection and source != cell.certificate:
                st.markdown(f"**{title}**")
                show_paths(explain_paths(projection, source, cell.certificate))
