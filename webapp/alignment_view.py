"""A node's alignments with strength, method, score, status and evidence, and accept / reject buttons.

A click records the review through the home's writer (the lock held, a new snapshot published), so
the next run reads the decision from the new snapshot; a busy store is said, not raised.
"""

from __future__ import annotations

import streamlit as st

from kg.errors import StoreLockedError, VetgraphError
from webapp import state
from webapp.alignment_model import AlignmentRow, alignments, decide
from webapp.i18n import t
from webapp.links import entity_link
from webapp.search_view import class_badge
from webapp.state import AppContext
from webapp.text import escape_markdown

MESSAGE = "vetgraph_review_message"
REVIEWER = "vetgraph_reviewer"
NOTE = "vetgraph_review_note"
SHOWN = 40
alignments_of = state.per_snapshot(alignments)
STATUS_COLOURS = {"accepted": "green", "rejected": "red", "proposed": "gray"}


def render_alignments(context: AppContext, iri: str, cls: str, label: str) -> None:
    st.subheader(t("align.header"))
    message = st.session_state.pop(MESSAGE, None)
    if message:
        (st.success if message[0] == "ok" else st.error)(message[1])
    rows = alignments_of(context, iri, cls, label)
    if not rows:
        st.caption(t("align.none"))
        return
    columns = st.columns(2)
    if REVIEWER not in st.session_state:
        st.session_state[REVIEWER] = state.reviewer_default()
    columns[0].text_input(t("align.reviewer"), key=REVIEWER)
    columns[1].text_input(t("align.note"), key=NOTE)
    for number, row in enumerate(rows[:SHOWN]):
        _render_row(context, row, number)
    if len(rows) > SHOWN:
        st.caption(t("align.more", shown=SHOWN, total=len(rows)))


def _render_row(context: AppContext, row: AlignmentRow, number: int) -> None:
    item = row.suggestion
    with st.container(border=True):
        cells = st.columns([5, 5, 1.3, 1.3], vertical_alignment="center")
        with cells[0]:
            direction = t("align.out") if row.outgoing else t("align.in")
            level = f" · {escape_markdown(item.level)}" if item.level else ""
            st.markdown(f"{direction} {class_badge(item.type)} `{item.code.replace('`', '')}`{level}" if item.code
                        else f"{direction} {class_badge(item.type)}{level}")
            entity_link(item.iri, item.label)
        with cells[1]:
            status = f":{STATUS_COLOURS.get(item.status, 'gray')}-badge[{t('status.' + item.status)}]" \
                if item.status in STATUS_COLOURS else item.status
            st.markdown(f"{status} **{item.strength}** · {item.method} · {item.score:.2f}")
            for evidence in row.evidence[:2]:
                st.caption(f"{t('align.evidence')}{t('colon')}{escape_markdown(evidence.text)}")
        help_text = None if row.reviewable else t("align.not_reviewable")
        key = item.alignment or f"{item.iri}-{number}"
        cells[2].button(t("align.accept"), key=f"accept-{key}", disabled=not row.reviewable or
                        item.status == "accepted", help=help_text, on_click=_review,
                        args=(context, row, "accepted"), type="primary")
        cells[3].button(t("align.reject"), key=f"reject-{key}", disabled=not row.reviewable or
                        item.status == "rejected", help=help_text, on_click=_review, args=(context, row, "rejected"))


def _review(context: AppContext, row: AlignmentRow, decision: str) -> None:
    """The buttons' callback: write the decision, keep a message for the next run."""
    reviewer = (st.session_state.get(REVIEWER) or state.reviewer_default()).strip()
    note = (st.session_state.get(NOTE) or "").strip()
    try:
        state.write(context, lambda store: decide(store, row, decision, reviewer, note))
    except StoreLockedError as error:
        st.session_state[MESSAGE] = ("error", t("align.busy", error=error))
        return
    except VetgraphError as error:
        st.session_state[MESSAGE] = ("error", str(error))
        return
    st.session_state[MESSAGE] = ("ok", t("align.recorded", decision=t("status." + decision),
                                         label=row.suggestion.label))
