"""The entity page of any node (``?iri=``): its properties by their Chinese names, where it was read from
(file, line, ingest time, the source lines), its alignments with review buttons, its neighbourhood graph (from
the kg.graph projection), why it is linked to a neighbour, and a major's similar majors."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import streamlit as st

from kg.graph.cache import cached_projection
from kg.store.base import GraphStore
from kg.store.home import Home
from webapp import state
from webapp.alignment_view import render_alignments
from webapp.entity_model import Property, Summary, properties, provenance, source_lines, summary
from webapp.graph_model import Neighbourhood, best_neighbourhood
from webapp.graph_view import render_graph, render_similar_majors, render_why
from webapp.i18n import language, t
from webapp.links import IRI_PARAM, entity_link, map_link, policy_link
from webapp.search_view import class_badge
from webapp.state import AppContext
from webapp.text import escape_markdown

SHOWN_KEY = "vetgraph_entity_shown"
VALUES_SHOWN = 12
LONG_TEXT = 120
summary_of = state.per_snapshot(summary)
properties_of = state.per_snapshot(properties)
provenance_of = state.per_snapshot(provenance)


@st.cache_resource(max_entries=2, show_spinner="building the graph projection …")
def projection(root: str, snapshot: str) -> nx.Graph:
    """The snapshot's graph projection (kg.graph), once per process and snapshot (pickled under the home)."""
    return cached_projection(Home(Path(root)), store=state.open_snapshot(snapshot), snapshot=Path(snapshot))


def projection_of(context: AppContext) -> nx.Graph | None:
    return projection(str(context.home.root), context.snapshot) if context.snapshot else None


def _neighbourhood(store: GraphStore, iri: str, hops: int, root: str, snapshot: str) -> Neighbourhood:
    """The node's neighbourhood, from the projection where it holds the node (its layout computed here, once)."""
    return best_neighbourhood(store, iri, hops, projection(root, snapshot))


_neighbourhood_of = state.per_snapshot(_neighbourhood)


def neighbourhood_of(context: AppContext, iri: str, hops: int) -> Neighbourhood:
    return _neighbourhood_of(context, iri, hops, str(context.home.root), str(context.snapshot))


def render_entity_page(context: AppContext) -> None:
    if context.empty:
        st.info(t("missing.store", root=context.home.root))
        return
    iri = st.query_params.get(IRI_PARAM, "").strip()
    if iri:
        st.query_params[IRI_PARAM] = iri  # a link to this same page changes the query only: say it to the address bar
    if not iri:
        st.info(t("entity.pick"))
        typed = st.text_input(t("entity.iri"), placeholder="https://w3id.org/vetgraph/id/major/590302")
        if not typed.strip():
            return
        iri = typed.strip()
    head = summary_of(context, iri)
    if head is None:
        st.warning(t("entity.unknown", iri=iri))
        return
    _scroll_to_top_on_a_new_node(iri)
    _render_head(context, head)
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.subheader(t("entity.properties"))
        for prop in properties_of(context, iri):
            _render_property(prop)
        _render_provenance(context, iri)
    with right:
        st.subheader(t("entity.graph"))
        hops = st.segmented_control(t("entity.hops"), (1, 2), default=1, key=f"hops-{iri}") or 1
        graph = neighbourhood_of(context, iri, int(hops))
        render_graph(graph, int(hops))
        render_why(graph, projection_of(context))
        if head.cls == "Major":
            render_similar_majors(projection_of(context), iri)
    render_alignments(context, iri, head.cls, head.label)


def _scroll_to_top_on_a_new_node(iri: str) -> None:
    """A link from one node's page to another's only changes the query, so Streamlit keeps the scroll position:
    a node opened from the foot of a long page would open half-way down. The node's IRI is in the script so that
    each new node gets an element of its own (an unchanged element is not run again)."""
    if st.session_state.get(SHOWN_KEY) == iri:
        return
    st.session_state[SHOWN_KEY] = iri
    node = json.dumps(iri).replace("</", "<\\/")
    st.sidebar.html(f"<script>void {node}; document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0);</script>",
                    unsafe_allow_javascript=True)


def _render_head(context: AppContext, head: Summary) -> None:
    badges = " ".join(class_badge(c) for c in head.classes if ":" not in c) or " ".join(
        class_badge(c) for c in head.classes)
    st.markdown(f"{badges} `{head.code}`" if head.code else badges)
    st.header(escape_markdown(head.label), anchor=False)
    st.caption(f"`{head.iri}`")
    if head.cls == "PolicyDocument":
        policy_link(head.iri, t("entity.open_reader"), icon=":material/menu_book:")
    elif head.cls == "Provision":
        rows = context.store.select(f"SELECT ?d WHERE {{ <{head.iri}> vet:inDocument ?d }} LIMIT 1")
        if rows:
            policy_link(rows[0]["d"], t("entity.open_reader"), head.iri, icon=":material/menu_book:")
    elif head.cls == "Major" and head.code:
        map_link(t("entity.open_map"), major=head.code, icon=":material/grid_on:")
    elif head.cls == "Certificate":
        map_link(t("entity.open_map"), certificate=head.label, icon=":material/grid_on:")


def _render_property(prop: Property) -> None:
    name = state.labels().of(prop.predicate, language())
    literals = [v for v in prop.values if v.iri is None]
    linked = [v for v in prop.values if v.iri is not None]
    if literals:
        shown = [v.text for v in literals[:VALUES_SHOWN]]
        if any(len(text) > LONG_TEXT or "\n" in text for text in shown):
            st.markdown(f"**{escape_markdown(name)}**")
            for text in shown:
                st.markdown(escape_markdown(text))
        else:
            values = t("semicolon").join(escape_markdown(x) for x in shown)
            st.markdown(f"**{escape_markdown(name)}**{t('colon')}{values}")
    if linked:
        st.markdown(f"**{escape_markdown(name)}**")
        for value in linked[:VALUES_SHOWN]:
            kind = state.labels().of_class(value.cls, language()) if value.cls else ""
            entity_link(value.iri or "", f"{value.text} ({kind})" if kind else value.text)
    hidden = len(prop.values) - min(len(literals), VALUES_SHOWN) - min(len(linked), VALUES_SHOWN)
    if hidden > 0:
        st.caption(t("entity.more", count=hidden))


def _render_provenance(context: AppContext, iri: str) -> None:
    st.subheader(t("entity.provenance"))
    places = provenance_of(context, iri)
    if not places:
        st.caption(t("entity.no_provenance"))
        return
    for place in places:
        line = f":{place.lines}" if place.lines else ""
        st.markdown(f"`{place.path}{line}`")
        st.caption(f"{t('entity.kind')}{t('colon')}{place.kind or '?'} · {t('entity.ingested')}{t('colon')}"
                   f"{place.ingested_at or '?'}"
                   + (f" · {t('entity.line')} {place.lines}" if place.lines else ""))
        lines, reason = source_lines(place)
        if lines:
            width = len(str(lines[-1][0]))
            st.code("\n".join(f"{n:>{width}}  {text}" for n, text in lines), language=None, wrap_lines=True)
        elif reason:
            st.caption(t("entity.unreadable", reason=reason))
