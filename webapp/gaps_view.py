"""The gap analysis page: the industries and fields a policy document names, and what serves each.

``kg.maps.gaps.gap_report`` builds the report; ``kg.export.views`` lays out its tables (zero counts
marked), the exporters write the downloads (the bytes of ``vetgraph export gaps``). This module draws.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import altair as alt
import pandas as pd
import streamlit as st

from kg.errors import VetgraphError
from kg.export.maps_json import record_json
from kg.export.sheets_csv import gap_csv
from kg.export.views import GAP_COLOUR, GAP_COUNTS, LEGAL_STATUS_LABELS, gap_detail_sheet, gaps_sheet
from kg.export.xlsx import gap_xlsx
from kg.maps.gaps import gap_report
from kg.maps.model import ZERO_LABELS, GapField, GapReport
from kg.query.documents import list_documents
from webapp.i18n import pick, t
from webapp.links import DOCUMENT_PARAM, POLICY_PATH, PROVISION_PARAM, entity_href
from webapp.maps_view import Download, export_bytes, sheet_frame, show_links
from webapp.state import AppContext, per_snapshot
from webapp.text import escape_markdown

GAP_DOWNLOADS = (
    Download("CSV", "csv", "text/csv", gap_csv),
    Download("XLSX", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", gap_xlsx),
    Download("JSON", "json", "application/json", record_json),
)
#: Bar colours per kind counted (majors, certificates, occupations).
KIND_COLOURS = {"majors": "#2563EB", "certificates": "#7C3AED", "occupations": "#0D9488"}
ROW_HEIGHT = 54

cached_documents = per_snapshot(list_documents)
cached_gap_report = per_snapshot(gap_report)


def policy_href(document: str, provision: str | None = None) -> str:
    """The policy reader opened on ``document`` (and a provision), as a relative URL."""
    params = {DOCUMENT_PARAM: document} | ({PROVISION_PARAM: provision} if provision else {})
    return f"{quote(POLICY_PATH)}?{urlencode(params)}"


def kind_label(kind: str) -> str:
    return pick(dict(GAP_COUNTS)[kind], {"majors": "majors", "certificates": "certificates",
                                         "occupations": "occupations"}[kind])


def counts_frame(report: GapReport) -> pd.DataFrame:
    """One row per (field, kind): how many majors, certificates, occupations serve it, and why a zero is one."""
    return pd.DataFrame.from_records([{
        "field": item.name, "kind": kind_label(kind), "count": item.count(kind), "zero": item.count(kind) == 0,
        "reason": _zero_reason(item, kind) or "",
        "quote": item.quote[:120],
    } for item in report.fields for kind, _ in GAP_COUNTS],
        columns=["field", "kind", "count", "zero", "reason", "quote"])


def _zero_reason(item: GapField, kind: str) -> str | None:
    if item.count(kind):
        return None
    reason = item.zero_reasons.get(kind)
    return ZERO_LABELS.get(reason, reason) if reason else None


def counts_chart(report: GapReport) -> alt.LayerChart:
    """Horizontal bars per field, one per kind; a zero is a cross in the gap colour with its reason on hover."""
    frame = counts_frame(report)
    fields = list(dict.fromkeys(item.name for item in report.fields))
    kinds = [kind_label(kind) for kind, _ in GAP_COUNTS]
    colour = alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=[KIND_COLOURS[k] for k, _ in GAP_COUNTS]),
                       legend=alt.Legend(title=None, orient="top"))
    y = alt.Y("field:N", sort=fields, title=None, axis=alt.Axis(labelLimit=260, labelFontSize=12))
    tooltip = [alt.Tooltip("field:N", title=pick("领域", "field")), alt.Tooltip("kind:N", title=pick("类别", "kind")),
               alt.Tooltip("count:Q", title=pick("数量", "count")), alt.Tooltip("reason:N", title=pick("原因", "why 0")),
               alt.Tooltip("quote:N", title=pick("原句", "sentence"))]
    base = alt.Chart(frame).encode(y=y, yOffset=alt.YOffset("kind:N", sort=kinds), tooltip=tooltip)
    bars = base.mark_bar(height=12).encode(
        x=alt.X("count:Q", title=pick("数量", "count"), axis=alt.Axis(tickMinStep=1, format="d")), color=colour)
    values = base.transform_filter(alt.datum.count > 0).mark_text(align="left", dx=3, fontSize=11).encode(
        x="count:Q", text="count:Q")
    zeros = base.transform_filter(alt.datum.zero).mark_point(shape="cross", size=90, filled=True,
                                                           color=f"#{GAP_COLOUR}", stroke="#B91C1C").encode(
        x=alt.datum(0))
    return (bars + values + zeros).properties(height=ROW_HEIGHT * max(1, len(fields)),
                                              autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def table_order(columns: tuple[str, ...]) -> list[str]:
    """The export's columns with the field, its counts and the reasons for zeros first: what to read on screen."""
    first = [columns[0], *(c for c in columns if c.endswith("数")), *(c for c in columns if "原因" in c)]
    return first + [c for c in columns if c not in first]


def render_gaps_page(context: AppContext) -> None:
    """The gap analysis page: pick a policy document, see what serves each field it names, download it."""
    st.header(pick("缺口分析", "Gap analysis"))
    try:
        if context.empty:
            st.info(t("missing.store", root=context.home.root))
            return
        report = pick_report(context)
        if report is not None:
            show_report(context, report)
    except VetgraphError as error:
        st.error(str(error))


def pick_report(context: AppContext) -> GapReport | None:
    documents = cached_documents(context)
    if not documents:
        st.info(t("missing.policy"))
        return None
    by_iri = {document.iri: document for document in documents}
    iris = list(by_iri)
    wanted = st.query_params.get(DOCUMENT_PARAM)
    chosen = st.selectbox(pick("政策文件", "Policy document"), iris, index=iris.index(wanted) if wanted in by_iri else None,
                          format_func=lambda iri: by_iri[iri].label(), key="gaps_document",
                          placeholder=pick("选择一个政策文件", "pick a policy document"))
    if chosen is None:
        st.caption(pick("选择一个政策文件，查看它提到的重点产业和领域，以及服务这些领域的专业、证书和职业；计数为 0 的领域会标出原因。",
                        "Pick a policy document to see the industries and fields it names, and the majors, "
                        "certificates and occupations that serve them; zeros are marked with their reason."))
        return None
    st.query_params[DOCUMENT_PARAM] = chosen
    with st.spinner(pick("正在分析……", "analysing …")):
        return cached_gap_report(context, chosen)


def show_report(context: AppContext, report: GapReport) -> None:
    st.subheader(escape_markdown(report.document.label), anchor=False)
    status = LEGAL_STATUS_LABELS.get(report.legal_status or "", report.legal_status or pick("未知", "unknown"))
    st.markdown(f"**{pick('效力', 'Status')}**：{status} · [{pick('在政策阅读器中打开', 'Open in the policy reader')}]"
                f"({policy_href(report.document.iri)}) · {pick('生成时间（最近一次导入）', 'as of the latest ingest')}："
                f"{report.generated_at}")
    if report.path:
        st.caption(report.path)
    show_downloads(context, report)
    if not report.fields:
        st.info(pick("此文件没有提到可识别的产业或领域。", "This document names no industry or field the linker recognises."))
        return
    metrics = st.columns(1 + len(GAP_COUNTS))
    metrics[0].metric(pick("领域", "Fields"), len(report.fields))
    for column, (kind, label) in zip(metrics[1:], GAP_COUNTS):
        column.metric(pick(f"无{label}的领域", f"without {kind}"), len(report.uncovered(kind)))
    show_uncovered(report)
    for note in report.notes:
        st.caption(f"ⓘ {note}")
    tabs = st.tabs([pick("图表", "Chart"), pick("表格", "Table"), pick("领域详情", "Field detail"), pick("明细", "Detail")])
    with tabs[0]:
        st.altair_chart(counts_chart(report), width="stretch")
        st.caption(pick("✚ 标出计数为 0；悬停查看原因与原句。", "✚ marks a zero; hover for the reason and the sentence."))
    with tabs[1]:
        sheet = gaps_sheet(report)
        st.dataframe(sheet_frame(sheet), hide_index=True, width="stretch", column_order=table_order(sheet.columns))
    with tabs[2]:
        show_field(report)
    with tabs[3]:
        st.dataframe(sheet_frame(gap_detail_sheet(report)), hide_index=True, width="stretch")


def show_uncovered(report: GapReport) -> None:
    """The fields with a zero count, each with what it lacks and why: the part of the report to act on."""
    lines = []
    for item in report.fields:
        missing = [f"{kind_label(kind)} 0（{_zero_reason(item, kind) or pick('无', 'none')}）"
                   for kind, _ in GAP_COUNTS if item.count(kind) == 0]
        if missing:
            lines.append(f"- **{escape_markdown(item.name)}**：" + "；".join(missing))
    if lines:
        st.warning(pick("未覆盖（计数为 0）：", "Uncovered (a count of 0):") + "\n" + "\n".join(lines))
    else:
        st.success(pick("每个领域都有专业、证书和职业服务。", "Every field is served by majors, certificates and occupations."))


def show_field(report: GapReport) -> None:
    names = [item.name for item in report.fields]
    name = st.selectbox(pick("领域", "Field"), names, key="gaps_field")
    item = report.fields[names.index(name)]
    st.markdown(f"> {escape_markdown(item.quote)}")
    where = escape_markdown(item.provision.label) + (f" · {pick('第', 'line ')}{item.line}{pick('行', '')}" if item.line else "")
    st.markdown(f"[{where}]({policy_href(report.document.iri, item.provision.iri)})")
    for kind, heading in (("industries", pick("国民经济行业分类", "GB/T 4754 classes")),
                          *((kind, kind_label(kind)) for kind, _ in GAP_COUNTS)):
        st.markdown(f"**{heading}**（{item.count(kind)}）")
        if not item.count(kind) and kind != "industries":
            st.warning(f"0：{_zero_reason(item, kind) or pick('无', 'none')}")
            continue
        show_links(getattr(item, kind), pick("未能对应到行业分类。", "Resolved to no class."))
    st.caption(f"[{pick('打开提及', 'Open the mention')}]({entity_href(item.mention)})")


def show_downloads(context: AppContext, report: GapReport) -> None:
    stem = (report.path or report.document.iri).rsplit("/", 1)[-1].rsplit(".", 1)[0] + "-gaps"
    columns = st.columns(len(GAP_DOWNLOADS) + 2)
    for column, download in zip(columns, GAP_DOWNLOADS):
        data = export_bytes(context.snapshot, report.document.iri, download.suffix, report, download.write)
        column.download_button(f"⬇ {download.label}", data, file_name=f"{stem}.{download.suffix}", mime=download.mime,
                               key=f"gaps_download_{download.suffix}", width="stretch")
