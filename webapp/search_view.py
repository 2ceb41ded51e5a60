"""The landing page: one search box with class, level and document filters; results that open entity pages.

Without a search index the page says how to build one and still offers browsing by class.
"""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from kg.errors import VetgraphError
from kg.query.documents import list_documents
from kg.search.base import SEARCHABLE
from webapp import state
from webapp.i18n import STRINGS, language, t
from webapp.links import entity_link, link_label
from webapp.search_model import BROWSABLE, IN_FORCE, browse, codes, document_status
from webapp.state import AppContext
from webapp.text import escape_markdown, highlight

LEVELS = ("中职", "高职专科", "职教本科")
#: Badge colour by class (Streamlit's badge colours).
CLASS_COLOURS = {"Major": "blue", "Course": "green", "Certificate": "orange", "Occupation": "violet",
                 "Industry": "red", "Provision": "gray", "Target": "gray", "LearningOutcome": "green",
                 "Competition": "orange", "PolicyDocument": "gray"}
RELATIONS_ZH = {"major": "专业", "teaching standard": "教学标准", "course standard": "课程标准",
                "offered by": "开设院校", "based on": "依据", "category": "专业类", "issued by": "颁发机构",
                "level": "等级", "document": "文件",
                "number": "编号", "parent": "上级", "group": "职业分组", "course": "课程", "provision": "条款"}
documents_of = state.per_snapshot(list_documents)
browse_nodes = state.per_snapshot(browse)


def class_badge(cls: str) -> str:
    """A class as a coloured markdown badge, named in the session's language."""
    name = state.labels().of_class(cls, language())
    return f":{CLASS_COLOURS.get(cls, 'blue')}-badge[{link_label(name)}]"


def render_search_page(context: AppContext) -> None:
    st.header(t("search.header"))
    if context.empty:
        st.info(t("missing.store", root=context.home.root))
        return
    index = state.index_of(context)
    if index is None:
        st.warning(t("missing.index"))
        render_browse(context)
        return
    notice = state.index_notice(context, index)
    if notice:
        st.warning(notice)
    query = st.text_input(t("search.box"), placeholder=t("search.placeholder"), key="search_query")
    filters = _filters(context)
    if query.strip():
        _results(context, index, query, **filters)
    else:
        with st.expander(t("browse.header"), expanded=True):
            render_browse(context)


def both_names(cls: str) -> str:
    """A class named in both languages: widget options keep one name whichever language is on (Streamlit keeps
    a selectbox's choice by its shown name, so a name that changed with the language would lose it)."""
    labels = state.labels()
    zh, en = labels.of_class(cls, "zh"), labels.of_class(cls, "en")
    return zh if zh == en else f"{zh} {en}"


ANY = "全部 Any"


def _filters(context: AppContext) -> dict[str, Any]:
    columns = st.columns([3, 2, 4, 1])
    types = columns[0].multiselect(t("search.classes"), SEARCHABLE, key="search_types", placeholder=ANY,
                                   format_func=both_names)
    level = columns[1].selectbox(t("search.level"), (None, *LEVELS), key="search_level",
                                 format_func=lambda v: ANY if v is None else v)
    documents = {d.iri: d for d in documents_of(context)}
    document = columns[2].selectbox(t("search.document"), (None, *documents), key="search_document",
                                    format_func=lambda v: ANY if v is None or v not in documents
                                    else documents[v].label())
    if document not in documents:
        document = None
    top = columns[3].number_input(t("search.top"), min_value=5, max_value=100, value=10, step=5, key="search_top")
    in_force = st.checkbox(t("search.in_force"), value=True, key="search_in_force", disabled=document is not None)
    return {"types": [c for c in types if c in SEARCHABLE] or None, "level": level if level in LEVELS else None,
            "document": document, "top": int(top), "in_force": in_force and document is None}


def _results(context: AppContext, index: Any, query: str, *, types: list[str] | None, level: str | None,
             document: str | None, top: int, in_force: bool) -> None:
    encoder, problem = state.encoder_for(context, index)
    if problem:
        st.caption(t("missing.encoder", error=problem))
    started = time.perf_counter()
    try:
        hits = index.search(query, encoder, top=top * 2 if in_force else top, types=types, level=level,
                            store=context.store, document=document)
    except VetgraphError as error:
        st.error(str(error))
        return
    hidden = 0
    if in_force:
        statuses = document_status(context.store, [h.iri for h in hits if h.type in ("Provision", "Target")])
        kept = [h for h in hits if statuses.get(h.iri, IN_FORCE) == IN_FORCE]
        hidden, hits = len(hits) - len(kept), kept[:top]
    elapsed = (time.perf_counter() - started) * 1000
    if not hits:
        st.info(t("search.none"))
    elif not any(getattr(h, "match", "strong") == "strong" for h in hits):
        st.warning(t("search.no_strong"))
    found_codes = codes(context.store, [h.iri for h in hits])
    for hit in hits:
        render_hit(hit, query, found_codes.get(hit.iri))
    st.caption(t("search.count", count=len(hits), ms=f"{elapsed:.0f}"))
    if hidden:
        st.caption(t("search.hidden", count=hidden))


def render_hit(hit: Any, query: str, code: str | None) -> None:
    """One result: badges (class, level, weak match), the label as a link, the snippet, why and where."""
    with st.container(border=True):
        badges = [class_badge(hit.type)]
        if code:
            badges.append(f"`{code}`")
        if getattr(hit, "level", None):
            badges.append(f":blue-badge[{link_label(hit.level)}]")
        if getattr(hit, "match", None) == "weak":
            badges.append(f":orange-badge[{t('search.weak')}]")
        st.markdown(" ".join(badges))
        entity_link(hit.iri, hit.label, bold=True)
        if hit.snippet and hit.snippet.replace("【", "").replace("】", "").strip() != hit.label.strip():
            st.markdown(highlight(hit.snippet, query))
        st.caption(" · ".join(part for part in (_found_by(hit), _neighbours(hit), _source(hit)) if part))


def _found_by(hit: Any) -> str:
    ranks = sorted(getattr(hit, "found_by", {}).items(), key=lambda item: item[1])
    named = [f"{t('method.' + name) if 'method.' + name in STRINGS else name} #{rank}" for name, rank in ranks
             if name != "exact"]
    if "exact" in dict(ranks) or getattr(getattr(hit, "evidence", None), "exact", False):
        named.insert(0, t("method.exact"))  # the query is the node's code or name
    return f"{t('search.found_by')}{t('colon')}{t('comma').join(named)}" if named else ""


def _neighbours(hit: Any) -> str:
    shown = []
    for near in getattr(hit, "neighbours", [])[:4]:
        relation = RELATIONS_ZH.get(near["relation"], near["relation"]) if language() == "zh" else near["relation"]
        shown.append(f"{relation}{t('colon')}{escape_markdown(near['label'])}")
    return t("semicolon").join(shown)


def _source(hit: Any) -> str:
    where = getattr(hit, "provenance", {}) or {}
    if not where.get("file"):
        return ""
    name = str(where["file"]).rsplit("/", 1)[-1]
    return escape_markdown(f"{name}:{where['line']}" if where.get("line") else name)


def render_browse(context: AppContext) -> None:
    """Nodes of one class, filtered by name, each a link to its page."""
    counts = state.overview(context.snapshot, context.store).classes
    present = [c for c in BROWSABLE if counts.get(c)]
    if not present:
        st.info(t("browse.none"))
        return
    columns = st.columns([2, 3])
    cls = columns[0].selectbox(t("browse.class"), present, key="browse_class",
                               format_func=lambda c: f"{both_names(c)} ({counts.get(c, 0)})")
    if cls not in present:
        cls = present[0]
    needle = columns[1].text_input(t("browse.filter"), key="browse_filter")
    rows, total = browse_nodes(context, cls, needle, 50)
    for row in rows:
        entity_link(row.iri, f"{row.code}  {row.label}" if row.code else row.label)
    st.caption(t("browse.count", shown=len(rows), total=total))
