"""The alignment map page: a major's (or a certificate's) courses × certificates as a heatmap, and its exports.

Everything shown comes from the library: ``kg.maps.major_map`` / ``kg.maps.certificate_map`` build the
map, ``kg.export.views`` lays out its tables, the exporters write the downloads (the same bytes as
``vetgraph export alignment``). This module only draws them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from kg.errors import VetgraphError
from kg.export.case import case_bytes
from kg.export.ctdl import ctdl_bytes
from kg.export.maps_json import record_json
from kg.export.sheets_csv import map_csv
from kg.export.views import (
    GAP, GAP_COLOUR, GAP_TEXT, KIND_LABELS, ORIGIN_LABELS, STRENGTH_COLOURS, Sheet, cell_text, detail_sheet,
    stated_label,
)
from kg.export.xlsx import map_xlsx
from kg.maps.certificate_map import certificate_map
from kg.maps.major_map import major_map
from kg.maps.model import METHOD_LABELS, STATUS_LABELS, STRENGTH_LABELS, STRENGTHS, AlignmentMap, Link
from kg.store.base import GraphStore
from webapp.cell_why_view import render_cell_why
from webapp.entity_view import projection_of
from webapp.i18n import pick, t
from webapp.links import CERTIFICATE_PARAM, MAJOR_PARAM, entity_href
from webapp.state import AppContext, per_snapshot
from webapp.text import escape_markdown

MAJORS_QUERY = """
SELECT ?code ?label ?level WHERE { ?major a vet:Major ; skos:notation ?code ; skos:prefLabel ?label .
  OPTIONAL { ?major vet:level ?level } }"""
CERTIFICATES_QUERY = "SELECT DISTINCT ?label WHERE { ?certificate a vet:Certificate ; skos:prefLabel ?label }"
#: Pixels per matrix row, and the most characters of a heatmap tooltip's evidence.
ROW_HEIGHT = 30
EVIDENCE_CHARS = 120
EMPTY_COLOUR = "#F3F4F6"
#: Up to this many certificate columns, each is COLUMN_WIDTH pixels wide; more share the page's width.
NARROW_COLUMNS, COLUMN_WIDTH = 4, 130


@dataclass(frozen=True)
class Download:
    """One export of a map or a report: its button label, file suffix, MIME type and writer."""

    label: str
    suffix: str
    mime: str
    write: Callable[[object], bytes]


MAP_DOWNLOADS = (
    Download("CSV", "csv", "text/csv", map_csv),
    Download("XLSX", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", map_xlsx),
    Download("CASE", "case.json", "application/json", case_bytes),
    Download("CTDL-ASN", "ctdl.json", "application/ld+json", ctdl_bytes),
    Download("JSON", "json", "application/json", record_json),
)


# -- read models (cached per snapshot) --------------------------------------------------------------
def major_options(store: GraphStore) -> dict[str, str]:
    """Every major's code -> "code 名称（层次）", by code: the picker's options (type-ahead by code or name)."""
    rows = sorted(store.select(MAJORS_QUERY), key=lambda row: (row["code"], row.get("level", "")))
    return {row["code"]: f"{row['code']} {row['label']}" + (f"（{row['level']}）" if row.get("level") else "")
            for row in rows}


def certificate_options(store: GraphStore) -> list[str]:
    """Every certificate's name, sorted: the picker's options."""
    return sorted({row["label"] for row in store.select(CERTIFICATES_QUERY)})


cached_major_options = per_snapshot(major_options)
cached_certificate_options = per_snapshot(certificate_options)
cached_major_map = per_snapshot(major_map)
cached_certificate_map = per_snapshot(certificate_map)


@st.cache_data(max_entries=64, show_spinner=False)
def export_bytes(snapshot: str | None, subject: str, suffix: str, _record: object,
                 _write: Callable[[object], bytes]) -> bytes:
    """One export of the record about ``subject`` in ``snapshot``, written once per snapshot."""
    return _write(_record)


# -- the matrix as data ----------------------------------------------------------------------------
def _row_names(amap: AlignmentMap) -> list[str]:
    """One distinct name per course row: its label, with its major or origin when two rows share a label."""
    labels = [course.node.label for course in amap.courses]
    names: list[str] = []
    for course, label in zip(amap.courses, labels):
        name = label
        if labels.count(label) > 1:
            where = (" ".join(p for p in (course.major.label, course.major.code) if p) if course.major
                     else ORIGIN_LABELS.get(course.origins[0], course.origins[0]))
            name = f"{label}（{course.institution or where}）"
        while name in names:
            name += "′"
        names.append(name)
    return names


def _column_names(amap: AlignmentMap) -> list[str]:
    """One distinct name per certificate column: its label, level, 明确/推荐, and 缺口 when no course covers it."""
    names: list[str] = []
    for certificate in amap.certificates:
        node = certificate.link.node
        parts = [node.level, stated_label(certificate.link), GAP_TEXT if certificate.gap else None]
        name = f"{node.label} · " + "·".join(part for part in parts if part)
        while name in names:
            name += "′"
        names.append(name)
    return names


def matrix_frame(amap: AlignmentMap) -> pd.DataFrame:
    """The heatmap's data: one row per (course, certificate) pair, its best link's strength and words.

    Pairs without a link are kept (strength empty) so the grid shows them; a last row marks with 缺口 the
    certificates the subject states that no course covers.
    """
    rows_named, columns_named = _row_names(amap), _column_names(amap)
    records: list[dict[str, object]] = []
    for course, row in zip(amap.courses, rows_named):
        for certificate, column in zip(amap.certificates, columns_named):
            cell = amap.cell(course.node.iri, certificate.link.node.iri)
            link = cell.link if cell else None
            records.append({
                "course": row, "certificate": column, "course_iri": course.node.iri,
                "certificate_iri": certificate.link.node.iri,
                "strength": STRENGTH_LABELS.get(link.strength, link.strength) if link else "",
                "score": round(link.score, 2) if link else None,
                "text": f"{link.score:.2f}" if link else "",
                "detail": cell_text(link, certificate.link.node.level) if link else "",
                "evidence": _evidence_text(link) if link else "",
            })
    if amap.certificates:
        for certificate, column in zip(amap.certificates, columns_named):
            records.append({
                "course": GAP_TEXT, "certificate": column, "course_iri": "",
                "certificate_iri": certificate.link.node.iri,
                "strength": GAP_TEXT if certificate.gap else "", "score": None,
                "text": GAP_TEXT if certificate.gap else "",
                "detail": pick("明确对应但无课程覆盖", "stated, but no course covers it") if certificate.gap else "",
                "evidence": "",
            })
    return pd.DataFrame.from_records(records, columns=["course", "certificate", "course_iri", "certificate_iri",
                                                       "strength", "score", "text", "detail", "evidence"])


def _evidence_text(link: Link) -> str:
    text = "；".join(dict.fromkeys(item.text for item in link.evidence if item.text))
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1] + "…"


def heatmap(amap: AlignmentMap) -> alt.LayerChart:
    """Courses (rows) × certificates (columns), coloured by strength as the XLSX matrix is, 缺口 in its colour."""
    frame = matrix_frame(amap)
    rows = [*_row_names(amap), GAP_TEXT]
    columns = _column_names(amap)
    domain = [STRENGTH_LABELS[s] for s in STRENGTHS] + [GAP_TEXT]
    colours = [f"#{STRENGTH_COLOURS[s]}" for s in STRENGTHS] + [f"#{GAP_COLOUR}"]
    # A column's name on two lines (certificate; level, 明确/推荐, 缺口), slanted so that ten fit side by side.
    x = alt.X("certificate:N", sort=columns, title=None,
              axis=alt.Axis(orient="top", labelAngle=-50, labelAlign="left", labelLimit=240, labelFontSize=12,
                            labelOverlap=False, labelPadding=6,
                            labelExpr="split(datum.label, ' · ')", labelColor=alt.ExprRef(
                                f"indexof(datum.label, '{GAP_TEXT}') >= 0 ? '#B91C1C' : '#374151'")))
    y = alt.Y("course:N", sort=rows, title=None, axis=alt.Axis(labelLimit=320, labelFontSize=12))
    tooltip = [alt.Tooltip("course:N", title=pick("课程", "course")),
               alt.Tooltip("certificate:N", title=pick("证书", "certificate")),
               alt.Tooltip("detail:N", title=pick("对应", "alignment")),
               alt.Tooltip("evidence:N", title=pick("证据", "evidence"))]
    base = alt.Chart(frame).encode(x=x, y=y)
    grid = base.mark_rect(color=EMPTY_COLOUR, stroke="white", strokeWidth=2)
    cells = base.transform_filter(alt.datum.strength != "").mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("strength:N", scale=alt.Scale(domain=domain, range=colours),
                        legend=alt.Legend(title=pick("对应强度", "strength"), orient="bottom", direction="horizontal")),
        tooltip=tooltip)
    dark = STRENGTH_LABELS["exact"]
    labels = base.transform_filter(alt.datum.text != "").mark_text(fontSize=11).encode(
        text="text:N", tooltip=tooltip,
        color=alt.condition(alt.datum.strength == dark, alt.value("white"), alt.value("#1F2937")))
    chart = (grid + cells + labels).properties(height=ROW_HEIGHT * len(rows))
    if len(columns) <= NARROW_COLUMNS:  # a few columns keep their own width instead of spanning the page
        return chart.properties(width=COLUMN_WIDTH * len(columns),
                                autosize=alt.AutoSizeParams(type="pad", contains="padding"))
    # fit-x: the height is the grid's own (Streamlit's default "fit" would squeeze it under the labels).
    return chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


# -- tables ----------------------------------------------------------------------------------------
def sheet_frame(sheet: Sheet) -> pd.DataFrame | pd.io.formats.style.Styler:
    """An export view as a table, its marked cells filled with the export's colours (strength, or 缺口)."""
    frame = pd.DataFrame(list(sheet.rows), columns=list(sheet.columns))
    for column, name in enumerate(frame.columns):
        values = [row[column] for row in sheet.rows]
        present = [value for value in values if value is not None]
        if any(isinstance(value, str) for value in present):
            # text, or a line column holding 12 or "12、40": one type per column for Arrow, blanks for None
            frame[name] = ["" if value is None else str(value) for value in values]
        elif present and all(isinstance(value, int) for value in present):
            frame[name] = pd.array(values, dtype="Int64")
    if not sheet.marks:
        return frame
    fills = pd.DataFrame("", index=frame.index, columns=frame.columns)
    for (row, column), mark in sheet.marks.items():
        colour = GAP_COLOUR if mark == GAP else STRENGTH_COLOURS.get(mark)
        if colour:
            text = "white" if mark == "exact" else "black"
            fills.iat[row, column] = f"background-color: #{colour}; color: {text}"
    return frame.style.apply(lambda _: fills, axis=None).format(na_rep="", precision=4)


def links_frame(links: tuple[Link, ...]) -> pd.DataFrame:
    """Links to other nodes (industries, occupations, majors) as rows with a link to each node's page."""
    return pd.DataFrame([{
        pick("类别", "class"): KIND_LABELS.get(link.node.type, link.node.type),
        pick("代码", "code"): link.node.code or "",
        pick("名称", "name"): link.node.label + (f"（{link.node.level}）" if link.node.level else ""),
        pick("方法", "method"): METHOD_LABELS.get(link.method, link.method),
        pick("强度", "strength"): STRENGTH_LABELS.get(link.strength, link.strength),
        pick("分数", "score"): round(link.score, 2),
        pick("状态", "status"): STATUS_LABELS.get(link.status, link.status),
        pick("页面", "page"): entity_href(link.node.iri),
    } for link in links])


def show_links(links: tuple[Link, ...], empty: str) -> None:
    if not links:
        st.caption(empty)
        return
    page = pick("页面", "page")
    st.dataframe(links_frame(links), hide_index=True, width="stretch",
                 column_config={page: st.column_config.LinkColumn(page, display_text=pick("打开", "open"))})


# -- the page --------------------------------------------------------------------------------------
def render_alignment_page(context: AppContext) -> None:
    """The alignment map page: pick a major or a certificate, see its map, download it."""
    st.header(pick("课证对应图", "Alignment map"))
    try:
        if context.empty:
            st.info(t("missing.store", root=context.home.root))
            return
        by_major = pick("专业", "Major")
        choice = st.radio(pick("对象", "Subject"), [by_major, pick("证书", "Certificate")], horizontal=True,
                          index=1 if CERTIFICATE_PARAM in st.query_params and MAJOR_PARAM not in st.query_params else 0,
                          key="maps_subject")
        amap = pick_major(context) if choice == by_major else pick_certificate(context)
        if amap is not None:
            show_map(context, amap)
    except VetgraphError as error:
        st.error(str(error))


def pick_major(context: AppContext) -> AlignmentMap | None:
    options = cached_major_options(context)
    if not options:
        st.info(t("missing.catalogues"))
        return None
    wanted = st.query_params.get(MAJOR_PARAM)
    codes = list(options)
    code = st.selectbox(pick("专业（输入代码或名称）", "Major (type a code or a name)"), codes,
                        index=codes.index(wanted) if wanted in options else None, format_func=options.__getitem__,
                        placeholder=pick("如：460702 或 新能源汽车", "e.g. 460702 or 新能源汽车"), key="maps_major")
    if code is None:
        st.caption(pick("选择一个专业，查看其课程与证书的对应矩阵、面向的行业与职业、能力要求。",
                        "Pick a major to see its course × certificate matrix, the industries and occupations "
                        "it serves, and its competencies."))
        return None
    st.query_params[MAJOR_PARAM] = code
    with st.spinner(pick("正在生成对应图……", "building the map …")):
        return cached_major_map(context, code)


def pick_certificate(context: AppContext) -> AlignmentMap | None:
    options = cached_certificate_options(context)
    if not options:
        st.info(t("missing.catalogues"))
        return None
    wanted = st.query_params.get(CERTIFICATE_PARAM)
    name = st.selectbox(pick("证书（输入名称）", "Certificate (type a name)"), options,
                        index=options.index(wanted) if wanted in options else None,
                        placeholder=pick("如：老年照护", "e.g. 老年照护"), key="maps_certificate")
    if name is None:
        st.caption(pick("选择一个证书，查看面向它的专业和课程。", "Pick a certificate to see the majors and courses it serves."))
        return None
    st.query_params[CERTIFICATE_PARAM] = name
    with st.spinner(pick("正在生成对应图……", "building the map …")):
        return cached_certificate_map(context, name)


def show_map(context: AppContext, amap: AlignmentMap) -> None:
    st.subheader(escape_markdown(amap.title), anchor=False)
    subject = amap.subject
    st.markdown(f"[{pick('打开', 'Open')} {escape_markdown(subject.label)}]({entity_href(subject.iri)}) · "
                f"{pick('生成时间（最近一次导入）', 'as of the latest ingest')}：{amap.generated_at}")
    for note in amap.notes:
        st.info(escape_markdown(note))
    show_downloads(context, amap)
    gaps = [c.link.node.label for c in amap.certificates if c.gap]
    if gaps:
        st.warning(pick("缺口：明确对应但没有课程覆盖的证书：", "Gaps: stated certificates no course covers: ")
                   + "、".join(escape_markdown(label) for label in gaps))
    metrics = st.columns(4)
    metrics[0].metric(pick("课程", "Courses"), len(amap.courses))
    metrics[1].metric(pick("证书", "Certificates"), len(amap.certificates))
    metrics[2].metric(pick("对应格", "Aligned cells"), len(amap.cells))
    metrics[3].metric(pick("缺口", "Gaps"), len(gaps))
    is_major = subject.type == "Major"
    tabs = st.tabs([pick("对应矩阵", "Matrix"), pick("对应明细", "Detail"),
                    pick("行业与职业", "Industries & occupations") if is_major else pick("面向专业", "Majors"),
                    pick("能力要求", "Competencies"), pick("来源", "Sources")])
    with tabs[0]:
        if amap.courses and amap.certificates:
            st.altair_chart(heatmap(amap), width="content" if len(amap.certificates) <= NARROW_COLUMNS else "stretch")
            st.caption(pick("格中数字为对应分数；颜色为对应强度（与导出的 XLSX 相同）；悬停查看方法、状态与证据。",
                            "Numbers are scores; colours are strengths (as in the XLSX export); hover for method, "
                            "status and evidence."))
        else:
            st.info(pick("没有可画的矩阵：", "No matrix to draw: ")
                    + (pick("没有课程。", "no courses.") if not amap.courses else pick("没有证书。", "no certificates.")))
    with tabs[1]:
        st.dataframe(sheet_frame(detail_sheet(amap)), hide_index=True, width="stretch")
        render_cell_why(amap, projection_of(context))
    with tabs[2]:
        if is_major:
            st.markdown(f"**{pick('行业', 'Industries')}**")
            show_links(amap.industries, pick("没有对应的行业。", "No industries."))
            st.markdown(f"**{pick('职业', 'Occupations')}**")
            show_links(amap.occupations, pick("没有对应的职业。", "No occupations."))
        else:
            show_links(amap.majors, pick("没有面向的专业。", "No majors."))
    with tabs[3]:
        show_competencies(amap)
    with tabs[4]:
        st.dataframe(pd.DataFrame([{pick("文件", "file"): s.path, pick("类型", "kind"): s.kind,
                                    pick("导入时间", "ingested"): s.ingested_at} for s in amap.sources]),
                     hide_index=True, width="stretch")


def show_competencies(amap: AlignmentMap) -> None:
    for heading, text in amap.profile_texts.items():
        st.markdown(f"**{escape_markdown(heading)}**：{escape_markdown(text)}")
    if amap.competencies:
        st.markdown("\n".join(f"{item.order}. {escape_markdown(item.text)}" for item in amap.competencies))
    elif amap.subject.type == "Major":
        st.caption(pick("无专业简介：没有能力要求。", "No profile: no competencies."))
    else:
        st.caption(pick("证书没有能力要求；见面向专业的对应图。", "A certificate has no competencies; see its majors' maps."))


def show_downloads(context: AppContext, amap: AlignmentMap) -> None:
    """One button per export format; the bytes are the exporter's, written once per snapshot."""
    stem = amap.subject.code or amap.subject.label
    columns = st.columns(len(MAP_DOWNLOADS))
    for column, download in zip(columns, MAP_DOWNLOADS):
        data = export_bytes(context.snapshot, amap.subject.iri, download.suffix, amap, download.write)
        column.download_button(f"⬇ {download.label}", data, file_name=f"{stem}.{download.suffix}", mime=download.mime,
                               key=f"maps_download_{download.suffix}", width="stretch")
