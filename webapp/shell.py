"""What every page shares: page settings, the language switch, the title and the sidebar (store, index).

app.py draws it once per run, then runs the chosen page inside ``routed()``. A page script run without
app.py (the first request to a page URL on a freshly started server, which Streamlit serves from
pages/ before app.py has run once; or a test that runs the page file alone) draws it itself through
``run_page``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st

from kg.errors import VetgraphError
from webapp.i18n import language_switch, t
from webapp.state import AppContext, app_context, index_of, overview

TITLE = "VETgraph 职业教育知识图谱"
CATALOGUE_CLASSES = ("Major", "Industry", "Occupation", "Certificate")
_ROUTED: ContextVar[bool] = ContextVar("vetgraph_routed", default=False)


@contextmanager
def routed() -> Iterator[None]:
    """While app.py runs a page: the shell is drawn already."""
    token = _ROUTED.set(True)
    try:
        yield
    finally:
        _ROUTED.reset(token)


def draw_shell() -> bool:
    """Page settings, language switch, title, sidebar; False (with the error shown) when the store cannot open."""
    st.set_page_config(page_title=TITLE, layout="wide")
    language_switch()
    st.title(t("app.title"))
    try:
        render_sidebar(app_context())
    except VetgraphError as error:
        st.sidebar.code(str(error), language=None)
        st.error(t("error.store", error=error))
        return False
    return True


def render_sidebar(context: AppContext) -> None:
    st.sidebar.header(t("sidebar.store"))
    st.sidebar.code(str(context.home.root), language=None)
    if context.store is None:
        return
    summary = overview(context.snapshot, context.store)
    st.sidebar.metric(t("sidebar.sources"), summary.sources)
    if summary.classes:
        with st.sidebar.expander(t("sidebar.classes")):
            st.table({t("sidebar.class"): list(summary.classes), t("sidebar.count"): list(summary.classes.values())})
    if not any(summary.classes.get(cls) for cls in CATALOGUE_CLASSES):
        st.sidebar.caption(t("missing.catalogues"))
    index = index_of(context)
    ready = t("sidebar.index_ready", nodes=len(index), model=index.settings.model) if index is not None else None
    st.sidebar.caption(f"{t('sidebar.index')}{t('colon')}{ready or t('sidebar.no_index')}")


def run_page(render: Callable[[AppContext], None]) -> None:
    """Run a page on this run's context (drawing the shell when app.py did not); library errors become st.error."""
    if not _ROUTED.get() and not draw_shell():
        return
    try:
        render(app_context())
    except VetgraphError as error:
        st.error(t("error.store", error=error))
