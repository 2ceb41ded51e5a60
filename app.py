"""VETgraph's Streamlit app (minimal): browse the policy documents of a home, provision by provision.

Run with ``streamlit run app.py``; the home comes from $VETGRAPH_STORE (default ``.vetgraph``).
Only this file imports streamlit; library errors arrive as kg.errors.VetgraphError and are shown with st.error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from kg import terms
from kg.errors import VetgraphError
from kg.stats import class_counts
from kg.store.home import Home
from kg.store.oxigraph import OxigraphStore

TITLE = "VETgraph 职业教育知识图谱"
STATUS_LABELS = {"StatusDraft": "草案", "StatusInForce": "现行有效", "StatusSuperseded": "已被修订"}
INDENT = "\u3000"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")

DOCUMENTS_QUERY = f"""
SELECT ?doc ?title ?status ?date ?path WHERE {{
  ?doc a vet:PolicyDocument ; eli:title ?title .
  OPTIONAL {{ ?doc vet:legalStatus ?status }}
  OPTIONAL {{ ?doc eli:date_document ?date }}
  OPTIONAL {{ ?doc prov:wasDerivedFrom ?source . GRAPH <{terms.SYSTEM_GRAPH}> {{ ?source vet:path ?path }} }}
}} ORDER BY ?title"""


@dataclass
class Document:
    """One policy document as the selectbox shows it."""

    iri: str
    title: str
    status: str | None
    date: str | None
    path: str | None

    def label(self) -> str:
        status = STATUS_LABELS.get(terms.prefixed(self.status), terms.prefixed(self.status)) if self.status else None
        return " · ".join(part for part in (self.title, status, self.date) if part)


@dataclass
class ProvisionView:
    """One provision with its place in the tree, its targets and its mentions."""

    iri: str
    label: str
    text: str
    line_start: int
    line_end: int
    order: int
    parent: str
    number: str | None = None
    heading: str | None = None
    depth: int = 0
    targets: list[dict[str, str]] = field(default_factory=list)
    mentions: list[dict[str, str]] = field(default_factory=list)


@st.cache_resource(max_entries=2, show_spinner=False)
def open_snapshot(root: str, snapshot: str) -> OxigraphStore:
    """A read-only store per published snapshot: a new ingest publishes a new path, so a new store."""
    return Home(Path(root)).open_reader()


def list_documents(store: OxigraphStore) -> list[Document]:
    """Every policy document, one entry each, sorted by title."""
    seen: dict[str, Document] = {}
    for row in store.select(DOCUMENTS_QUERY):
        if row["doc"] not in seen:
            seen[row["doc"]] = Document(row["doc"], row["title"], row.get("status"), row.get("date"), row.get("path"))
    return list(seen.values())


def load_provisions(store: OxigraphStore, doc: str) -> list[ProvisionView]:
    """The document's provisions in document order, with depth, targets and mentions attached."""
    rows = store.select(f"""
        SELECT ?p ?label ?text ?start ?end ?order ?parent ?number ?heading WHERE {{
          ?p vet:inDocument <{doc}> ; rdfs:label ?label ; vet:text ?text ; vet:lineStart ?start ;
             vet:lineEnd ?end ; vet:order ?order ; eli:is_part_of ?parent .
          OPTIONAL {{ ?p eli:number ?number }} OPTIONAL {{ ?p vet:heading ?heading }}
        }}""")
    views = {r["p"]: ProvisionView(r["p"], r["label"], r["text"], int(r["start"]), int(r["end"]), int(r["order"]),
                                   r["parent"], r.get("number"), r.get("heading")) for r in rows}
    for view in views.values():
        view.depth = _depth(view, views)
    targets = store.select(f"""
        SELECT ?p ?label ?value ?max ?unit ?comparator ?year WHERE {{
          ?t a vet:Target ; vet:statedIn ?p ; rdfs:label ?label ; vet:targetValue ?value ; vet:unit ?unit ;
             vet:spanStart ?at .
          ?p vet:inDocument <{doc}> .
          OPTIONAL {{ ?t vet:targetValueMax ?max }} OPTIONAL {{ ?t vet:comparator ?comparator }}
          OPTIONAL {{ ?t vet:targetYear ?year }}
        }} ORDER BY ?p ?at""")
    for row in targets:
        views[row["p"]].targets.append(row)
    mentions = store.select(f"""
        SELECT ?p ?text ?kind WHERE {{
          ?m a vet:Mention ; vet:mentionedIn ?p ; vet:spanText ?text ; vet:mentionKind ?kind ; vet:spanStart ?at .
          ?p vet:inDocument <{doc}> .
        }} ORDER BY ?p ?at""")
    for row in mentions:
        views[row["p"]].mentions.append(row)
    return sorted(views.values(), key=lambda v: (v.line_start, v.depth, v.order))


def _depth(view: ProvisionView, views: dict[str, ProvisionView]) -> int:
    """Count eli:is_part_of hops up to the document."""
    depth, parent = 0, views.get(view.parent)
    while parent is not None and depth < 50:
        depth, parent = depth + 1, views.get(parent.parent)
    return depth


def filter_provisions(provisions: list[ProvisionView], needle: str) -> list[ProvisionView]:
    """Provisions whose text contains ``needle`` (case-insensitive); all of them for an empty needle."""
    needle = needle.strip().lower()
    return [p for p in provisions if needle in p.text.lower()] if needle else provisions


def escape_markdown(text: str) -> str:
    """Show policy text literally (1+X, list dashes, #) with its line breaks kept."""
    return "  \n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in text.split("\n"))


def render_sidebar(home: Home, store: OxigraphStore | None) -> None:
    st.sidebar.header("图谱 Store")
    st.sidebar.caption("Store path")
    st.sidebar.code(str(home.root), language=None)
    if store is None:
        return
    st.sidebar.metric("来源文件 Sources", len(store.sources()))
    counts = class_counts(store)
    if counts:
        st.sidebar.caption("类 Classes")
        st.sidebar.table({"class": list(counts), "count": list(counts.values())})


def render_provision(view: ProvisionView, path: str | None) -> None:
    title = " ".join(part for part in (view.number, view.heading) if part) or view.label
    lines = f"{view.line_start}" if view.line_start == view.line_end else f"{view.line_start}-{view.line_end}"
    with st.expander(f"{INDENT * view.depth}{escape_markdown(title)}  ·  L{lines}"):
        st.markdown(escape_markdown(view.text))
        st.caption(f"{path or '(unknown file)'}:{lines}")
        if view.targets:
            st.markdown("**目标 Targets**")
            st.table({
                "label": [t["label"] for t in view.targets],
                "value": [t["value"] + (f"–{t['max']}" if "max" in t else "") for t in view.targets],
                "unit": [t["unit"] for t in view.targets],
                "comparator": [t.get("comparator", "") for t in view.targets],
                "year": [t.get("year", "") for t in view.targets],
            })
        if view.mentions:
            chips = "，".join(f"{escape_markdown(m['text'])} ({m['kind']})" for m in view.mentions)
            st.markdown(f"**提及 Mentions**：{chips}")


def render_documents(store: OxigraphStore) -> None:
    st.header("政策文件 Policy documents")
    documents = list_documents(store)
    if not documents:
        st.info("No policy documents in this store yet. Ingest some with `vetgraph ingest corpus/`.")
        return
    by_iri = {d.iri: d for d in documents}
    chosen = st.selectbox("文件 Document", list(by_iri), format_func=lambda iri: by_iri[iri].label())
    document = by_iri[chosen]
    st.caption(f"{document.path or ''}  ·  {document.iri}")
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
        store = open_snapshot(str(home.root), str(snapshot))
        render_sidebar(home, store)
        render_documents(store)
    except VetgraphError as error:
        st.error(str(error))


main()
