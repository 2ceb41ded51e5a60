"""VETgraph's Streamlit app (minimal): browse the policy documents of a home, provision by provision.

Run with ``streamlit run app.py``; the home comes from $VETGRAPH_STORE (default ``.vetgraph``).
Only this file imports streamlit; library errors arrive as kg.errors.VetgraphError and are shown with st.error.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from kg.errors import VetgraphError
from kg.query.documents import ProvisionView, filter_provisions, list_documents, load_provisions
from kg.query.stats import store_overview
from kg.store.base import GraphStore
from kg.store.factory import open_store
from kg.store.home import Home

TITLE = "VETgraph 职业教育知识图谱"
INDENT = "\u3000"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


@st.cache_resource(max_entries=2, show_spinner=False)
def open_snapshot(snapshot: str) -> GraphStore:
    """A read-only store per published snapshot: a new ingest publishes a new path, so a new store."""
    return open_store("oxigraph", path=Path(snapshot), read_only=True)


def escape_markdown(text: str) -> str:
    """Show policy text literally (1+X, list dashes, #) with its line breaks kept."""
    return "  \n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in text.split("\n"))


def render_sidebar(home: Home, store: GraphStore | None) -> None:
    st.sidebar.header("图谱 Store")
    st.sidebar.caption("Store path")
    st.sidebar.code(str(home.root), language=None)
    if store is None:
        return
    overview = store_overview(store)
    st.sidebar.metric("来源文件 Sources", overview.sources)
    if overview.classes:
        st.sidebar.caption("类 Classes")
        st.sidebar.table({"class": list(overview.classes), "count": list(overview.classes.values())})


def render_provision(view: ProvisionView, path: str | None) -> None:
    with st.expander(f"{INDENT * view.depth}{escape_markdown(view.title)}  ·  L{view.lines}"):
        st.markdown(escape_markdown(view.text))
        st.caption(f"{path or '(unknown file)'}:{view.lines}")
        if view.targets:
            st.markdown("**目标 Targets**")
            st.table({
                "label": [t.label for t in view.targets],
                "value": [t.amount for t in view.targets],
                "unit": [t.unit for t in view.targets],
                "comparator": [t.comparator or "" for t in view.targets],
                "year": [t.year or "" for t in view.targets],
            })
        if view.mentions:
            chips = "，".join(f"{escape_markdown(m.text)} ({m.kind})" for m in view.mentions)
            st.markdown(f"**提及 Mentions**：{chips}")


def render_documents(store: GraphStore) -> None:
    st.header("政策文件 Policy documents")
    documents = list_documents(store)
    if not documents:
        st.info("No policy documents in this store yet. Ingest some with `vetgraph ingest corpus/`.")
        return
    by_iri = {d.iri: d for d in documents}
    chosen = st.selectbox("文件 Document", list(by_iri), format_func=lambda iri: by_iri[iri].label())
    document = by_iri[chosen]
    # The IRI is an identifier, not a page (w3id.org does not serve it yet): shown as code, never as a dead link.
    st.caption(f"{document.path or ''}  ·  `{document.iri}`")
    provisions = load_provisions(store, document.iri)
    needle = st.text_input("筛选条文 Filter provisions by text", placeholder="如：产业学院")
    shown = filter_provisions(provisions, needle)
    st.caption(f"{len(shown)} / {len(provisions)} provisions")
    for view in shown:
        render_provision(view, document.path)


def main() -> None:
    st.set_page_config(page_title=TITLE, layout="wide")
    st.title(TITLE)
    home = Home.at()
    try:
        snapshot = home.current_snapshot()
        if snapshot is None:
            render_sidebar(home, None)
            st.info(f"The store at `{home.root}` is empty. Ingest the demo corpus first:\n\n"
                    "`vetgraph ingest corpus/`  (or `make demo`), then reload this page.")
            return
        store = open_snapshot(str(snapshot))
        render_sidebar(home, store)
        render_documents(store)
    except VetgraphError as error:
        st.error(str(error))


if __name__ == "__main__":
    main()
