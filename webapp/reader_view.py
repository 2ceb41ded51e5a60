"""The policy reader: a document (the one in force first by title unless asked), its outline as a navigable
tree, and one clause at a time with its text, targets, mentions, linked industries and the majors and
certificates those industries lead to, each a link to its entity page.

``?doc=<IRI>&provision=<IRI>`` opens a clause; choosing another keeps the address in step.
"""

from __future__ import annotations

from collections import Counter

import streamlit as st

from kg.query.documents import Document, ProvisionView, filter_provisions, list_documents, load_provisions
from webapp import state
from webapp.alignment_model import AlignmentRow, alignments
from webapp.i18n import STRINGS, t
from webapp.links import DOCUMENT_PARAM, PROVISION_PARAM, entity_link
from webapp.state import AppContext
from webapp.text import escape_markdown, highlight

IN_FORCE = "https://w3id.org/vetgraph/ontology#StatusInForce"
INDENT = "\u3000"
DOCUMENT_KEY = "reader_document"
PROVISION_KEY = "reader_provision"
documents_of = state.per_snapshot(list_documents)
provisions_of = state.per_snapshot(load_provisions)
alignments_of = state.per_snapshot(alignments)


def default_document(documents: list[Document]) -> Document:
    """The document in force whose title sorts first; the first by title when none is in force."""
    in_force = sorted((d for d in documents if d.status == IN_FORCE), key=lambda d: (d.title, d.date or "", d.iri))
    return in_force[0] if in_force else sorted(documents, key=lambda d: (d.title, d.iri))[0]


def status_label(document: Document) -> str:
    """The document's legal status in the session's language ('' when it has none)."""
    key = "legal." + (document.status or "").rsplit("#", 1)[-1]
    return t(key) if key in STRINGS else ""


def render_reader_page(context: AppContext) -> None:
    st.header(t("reader.header"))
    if context.empty:
        st.info(t("missing.store", root=context.home.root))
        return
    documents = documents_of(context)
    if not documents:
        st.info(t("missing.policy"))
        return
    document = _choose_document(documents)
    st.caption(f"{t('reader.status')}{t('colon')}{status_label(document) or '?'}  ·  {document.path or ''}")
    provisions = provisions_of(context, document.iri)
    needle = st.text_input(t("reader.filter"), placeholder=t("reader.filter_placeholder"), key="reader_filter")
    shown = filter_provisions(provisions, needle)
    st.caption(t("reader.count", shown=len(shown), total=len(provisions)))
    if not shown:
        st.info(t("reader.no_match"))
        return
    outline, detail = st.columns([2, 3], gap="large")
    with outline:
        chosen = _choose_provision(shown, filtered=bool(needle.strip()))
    with detail:
        by_iri = {p.iri: p for p in provisions}
        render_provision(context, by_iri[chosen], document, provisions, needle.strip())


def _choose_document(documents: list[Document]) -> Document:
    by_iri = {d.iri: d for d in documents}
    asked = st.query_params.get(DOCUMENT_PARAM)
    if asked in by_iri and st.session_state.get(DOCUMENT_KEY) != asked:
        st.session_state[DOCUMENT_KEY] = asked
    elif st.session_state.get(DOCUMENT_KEY) not in by_iri:
        st.session_state[DOCUMENT_KEY] = default_document(documents).iri
    options = sorted(by_iri, key=lambda iri: (by_iri[iri].title, by_iri[iri].date or "", iri))
    # Chinese labels in both languages: Streamlit keeps a selectbox's choice by its shown name.
    chosen = st.selectbox(t("reader.document"), options, key=DOCUMENT_KEY, on_change=_document_changed,
                          format_func=lambda iri: by_iri[iri].label() if iri in by_iri else str(iri))
    return by_iri.get(chosen) or default_document(documents)


def _document_changed() -> None:
    st.query_params[DOCUMENT_PARAM] = st.session_state[DOCUMENT_KEY]
    st.query_params.pop(PROVISION_PARAM, None)
    st.session_state.pop(PROVISION_KEY, None)


def _choose_provision(shown: list[ProvisionView], filtered: bool) -> str:
    """The outline, indented by depth, in a scrolling box: choosing a line opens that clause (filtered, the first
    clause that holds the words itself rather than through its parts)."""
    options = [p.iri for p in shown]
    parents = {p.parent for p in shown}
    first = next((p.iri for p in shown if p.iri not in parents), options[0]) if filtered else options[0]
    asked = st.query_params.get(PROVISION_PARAM)
    if asked in options and st.session_state.get(PROVISION_KEY) != asked:
        st.session_state[PROVISION_KEY] = asked
    elif st.session_state.get(PROVISION_KEY) not in options:
        st.session_state[PROVISION_KEY] = first
    titles = {p.iri: f"{INDENT * p.depth}{outline_title(p)}" for p in shown}
    seen = Counter(titles.values())  # a radio keeps its choice by the shown line: repeated lines get their line
    titles = {p.iri: f"{titles[p.iri]} · L{p.lines}" if seen[titles[p.iri]] > 1 else titles[p.iri] for p in shown}
    with st.container(height=620, border=True):
        return st.radio(t("reader.outline"), options, key=PROVISION_KEY, on_change=_provision_changed,
                        format_func=lambda iri: escape_markdown(titles[iri]))


def outline_title(view: ProvisionView, preview: int = 14) -> str:
    """A clause's line in the outline: number and heading, or the number and the start of its text."""
    if view.heading or not view.number:
        return view.title
    rest = view.text.strip()
    rest = rest[len(view.number):].strip() if rest.startswith(view.number) else rest
    rest = " ".join(rest.split())
    return f"{view.number} {rest[:preview]}…" if len(rest) > preview else f"{view.number} {rest}".strip()


def _kind(kind: str) -> str:
    return t(f"mention.{kind}") if f"mention.{kind}" in STRINGS else kind


def _provision_changed() -> None:
    st.query_params[PROVISION_PARAM] = st.session_state[PROVISION_KEY]


def within(view: ProvisionView, provisions: list[ProvisionView]) -> list[ProvisionView]:
    """The clause and every clause under it, in reading order (its text holds theirs)."""
    inside, found = {view.iri}, [view]
    for other in provisions:  # reading order: a parent comes before its parts
        if other.parent in inside and other.iri not in inside:
            inside.add(other.iri)
            found.append(other)
    return found


def render_provision(context: AppContext, view: ProvisionView, document: Document,
                     provisions: list[ProvisionView], needle: str = "") -> None:
    """One clause: text and source line, the targets in it, mentions, linked industries and what they lead to."""
    children = [p for p in provisions if p.parent == view.iri]
    targets = [target for part in within(view, provisions) for target in part.targets]
    st.subheader(escape_markdown(view.title), anchor=False)
    st.caption(f"{document.path or '(unknown file)'}:{view.lines}")
    entity_link(view.iri, t("reader.entity"), icon=":material/hub:")
    st.markdown(highlight(view.text, needle) if len(needle) >= 2 else escape_markdown(view.text))
    if targets:
        st.markdown(f"**{t('reader.targets')}**")
        st.table({
            t("target.label"): [x.label for x in targets],
            t("target.value"): [x.amount for x in targets],
            t("target.unit"): [x.unit for x in targets],
            t("target.comparator"): [x.comparator or "" for x in targets],
            t("target.year"): [x.year or "" for x in targets],
        })
    if view.mentions:
        chips = "，".join(f"{escape_markdown(m.text)}（{_kind(m.kind)}）" for m in view.mentions)
        st.markdown(f"**{t('reader.mentions')}**{t('colon')}{chips}")
    rows = alignments_of(context, view.iri, "Provision", view.title)
    _render_industries([r for r in rows if r.suggestion.type == "Industry"], view.text)
    derived = [r for r in rows if r.suggestion.type in ("Major", "Certificate")]
    if derived:
        st.markdown(f"**{t('reader.derived')}**")
        for row in derived:
            item = row.suggestion
            through = next((e.text for e in row.evidence), "")
            code = f"{item.code} " if item.code else ""
            entity_link(item.iri, f"{code}{item.label}" + (f"（← {through}）" if through else ""),
                        icon=":material/school:" if item.type == "Major" else ":material/workspace_premium:")
    if children:
        st.markdown(f"**{t('reader.children')}**")
        st.caption("；".join(escape_markdown(c.title) for c in children))


def _render_industries(rows: list[AlignmentRow], text: str) -> None:
    """The industries the clause names, in the order its words stand, each '«words» → code name' as a link."""
    st.markdown(f"**{t('reader.industries')}**")
    if not rows:
        st.caption(t("reader.no_industries"))
        return
    shown = []
    for row in rows:
        words = list(dict.fromkeys(e.text.split("»", 1)[0].lstrip("«") for e in row.evidence
                                   if e.text.startswith("«")))
        place = min((text.find(w) for w in words if w in text), default=len(text))
        shown.append((place, row.suggestion.code or "", row, words))
    for _, code, row, words in sorted(shown, key=lambda item: item[:2]):
        said = f"«{'、'.join(words)}» → " if words else ""
        columns = st.columns([5, 1], vertical_alignment="center")
        with columns[0]:
            entity_link(row.suggestion.iri, f"{said}{code} {row.suggestion.label}".replace("  ", " "),
                        icon=":material/factory:")
        columns[1].caption(row.suggestion.strength)
