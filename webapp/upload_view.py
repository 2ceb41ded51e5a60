"""The upload page: files dropped here are saved under the home and ingested as `vetgraph ingest` does.

``kg.pipeline.run.ingest`` detects each file's kind, commits it all-or-nothing, and runs the linking
steps over the whole store, so alignments are refreshed; then the search index (where one exists) is
brought in line with ``SearchIndex.refresh`` and the encoder it was built with. The report shown is
the ingest's own (``kg.pipeline.report``), the one the CLI prints and saves in ``reports/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from kg.errors import SourceError, VetgraphError
from kg.pipeline.report import IngestReport
from kg.pipeline.run import ingest
from kg.search.index import RefreshReport
from kg.store.home import Home
from webapp.i18n import pick
from webapp.state import AppContext, encoder_for, index_of, open_snapshot
from webapp.text import escape_markdown

UPLOADS = "uploads"
RESULT_KEY = "upload_result"
STATUS_LABELS = {"added": ("新增", "added"), "replaced": ("替换", "replaced"), "unchanged": ("未变", "unchanged"),
                 "rejected": ("拒收", "rejected"), "skipped": ("跳过", "skipped")}
_UNSAFE = re.compile(r"[\x00-\x1f/\\]")


@dataclass
class UploadResult:
    """One upload's outcome, kept in the session so it stays on the page after the app reruns."""

    report: IngestReport
    index: RefreshReport | None = None
    index_note: str = ""
    saved: list[str] = field(default_factory=list)


def upload_folder(home: Home) -> Path:
    return home.root / UPLOADS


def safe_name(name: str) -> str:
    """An uploaded file's name as saved: no folders, no control characters, not hidden."""
    cleaned = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).lstrip(".").strip()
    return cleaned or "upload"


def save_uploads(home: Home, files: Iterable[tuple[str, bytes]]) -> list[Path]:
    """Write each (name, bytes) under ``<home>/uploads/``; a file of the same name is replaced (and re-ingested)."""
    folder = upload_folder(home)
    folder.mkdir(parents=True, exist_ok=True)
    inside = folder.resolve()
    paths = []
    for name, data in files:
        path = folder / safe_name(name)
        if path.is_symlink():  # never write through a link to somewhere else: replace the link itself
            path.unlink()
        if path.resolve().parent != inside:
            raise SourceError(name, f"an upload is saved only in {folder}, not at {path.resolve()}")
        path.write_bytes(data)
        paths.append(path)
    return paths


def report_frame(report: IngestReport, home: Home) -> pd.DataFrame:
    """One row per file: what happened to it, its kind, triples, and the summary or the reason."""
    return pd.DataFrame([{
        pick("状态", "status"): pick(*STATUS_LABELS.get(outcome.status, (outcome.status, outcome.status))),
        pick("文件", "file"): _short(outcome.path, home),
        pick("类型", "kind"): outcome.kind or "",
        pick("三元组", "triples"): outcome.triples,
        pick("摘要或原因", "summary or reason"): outcome.reason or outcome.summary,
        pick("秒", "s"): outcome.seconds,
    } for outcome in report.files])


def rejections_frame(report: IngestReport, home: Home) -> pd.DataFrame:
    """One row per row or line a parser refused (or loaded with a note), with its reason."""
    return pd.DataFrame([{
        pick("文件", "file"): _short(outcome.path, home),
        pick("行", "line"): "" if rejection.line is None else str(rejection.line),
        pick("处理", "handling"): pick("已载入（附说明）", "loaded, flagged") if rejection.kept else pick("拒收", "rejected"),
        pick("原因", "reason"): rejection.reason,
    } for outcome in report.files for rejection in outcome.rejections])


def _short(path: str, home: Home) -> str:
    try:
        return str(Path(path).relative_to(home.root.resolve()))
    except ValueError:
        return path


def render_upload_page(context: AppContext) -> None:
    """Drop files, ingest them, see the report, the alignments and the index refreshed."""
    st.header(pick("上传与导入", "Upload and ingest"))
    st.caption(pick("可上传政策文件（txt、md、docx、pdf、html）、课程标准、专业简介，或目录表（csv、xlsx、jsonl）。"
                    "类型按后缀和内容自动识别；文件保存在图谱目录的 uploads/ 下，同名文件会被替换并重新导入。",
                    "Upload policy documents (txt, md, docx, pdf, html), course standards, major profiles or "
                    "catalogue tables (csv, xlsx, jsonl). The kind is detected from the suffix and the content; "
                    "files are saved under the home's uploads/, and a file of the same name is replaced and "
                    "ingested again."))
    files = st.file_uploader(pick("选择文件", "Choose files"), accept_multiple_files=True, key="upload_files")
    if st.button(pick("导入", "Ingest"), type="primary", disabled=not files, key="upload_ingest"):
        try:
            st.session_state[RESULT_KEY] = run_upload(context, [(f.name, f.getvalue()) for f in files or []])
        except VetgraphError as error:
            st.error(str(error))
        else:
            st.rerun()  # the sidebar and every page read the new snapshot
    result = st.session_state.get(RESULT_KEY)
    if result is not None:
        show_result(context.home, result)


def run_upload(context: AppContext, files: list[tuple[str, bytes]]) -> UploadResult:
    """Save, ingest with a progress bar, refresh the search index, and let the app open the new snapshot."""
    home = context.home
    paths = save_uploads(home, files)
    bar = st.progress(0.0, text=pick("正在导入……", "ingesting …"))

    def progress(items: list[tuple[Path, bool]]) -> Iterator[tuple[Path, bool]]:
        for done, item in enumerate(items):
            bar.progress(done / max(1, len(items)), text=f"{pick('导入', 'ingesting')} {item[0].name}")
            yield item
        bar.progress(1.0, text=pick("正在更新对齐关系……", "linking …"))

    report = ingest(home, paths, progress=progress, on_wait=lambda text: st.info(text),
                    command="vetgraph app upload " + " ".join(path.name for path in paths))
    bar.progress(1.0, text=pick("导入完成", "ingested"))
    open_snapshot.clear()  # the next run opens the snapshot this ingest published
    result = UploadResult(report, saved=[str(path) for path in paths])
    if report.count("added") or report.count("replaced"):
        result.index, result.index_note = refresh_index(context, bar)
    return result


def refresh_index(context: AppContext, bar: st.delta_generator.DeltaGenerator) -> tuple[RefreshReport | None, str]:
    """Bring the search index in line with the new snapshot, when the home has one."""
    index = index_of(context)
    if index is None:
        return None, pick("还没有检索索引：运行 `vetgraph index` 建立后即可检索新内容。",
                          "No search index yet: build one with `vetgraph index` to search the new content.")
    encoder, problem = encoder_for(context, index)
    if encoder is None:
        return None, pick(f"无法加载索引所用的模型，索引未更新：{problem}", f"The index's model cannot load; not refreshed: {problem}")
    snapshot = context.home.current_snapshot()
    if snapshot is None:
        return None, ""
    store = open_snapshot(str(snapshot))

    def progress(done: int, total: int) -> None:
        bar.progress(min(1.0, done / max(1, total)), text=f"{pick('更新检索索引', 'indexing')} {done}/{total}")

    report = index.refresh(store, encoder, progress)
    bar.progress(1.0, text=pick("检索索引已更新", "index refreshed"))
    return report, ""


def show_result(home: Home, result: UploadResult) -> None:
    report = result.report
    counts = "，".join(f"{pick(*STATUS_LABELS[status])} {report.count(status)}" for status in STATUS_LABELS)
    rows = pick(f"拒收行 {report.rejected_rows}，附说明载入 {report.flagged_rows}",
                f"{report.rejected_rows} rejected rows, {report.flagged_rows} flagged rows")
    st.subheader(pick("导入报告", "Ingest report"))
    (st.error if report.count("rejected") else st.success)(f"{counts}；{rows}")
    st.dataframe(report_frame(report, home), hide_index=True, width="stretch")
    rejected = rejections_frame(report, home)
    if not rejected.empty:
        st.markdown(f"**{pick('拒收或附说明的行', 'Rows rejected or flagged')}**")
        st.dataframe(rejected, hide_index=True, width="stretch")
    if report.count("added") or report.count("replaced"):
        st.markdown(f"**{pick('对齐关系已按新数据重新计算', 'Alignments were linked again over the whole store')}**")
        st.markdown("\n".join(f"- {escape_markdown(note)}" for note in report.notes) or pick("（无说明）", "(no notes)"))
    if result.index is not None:
        st.markdown(f"**{pick('检索索引已更新', 'Search index refreshed')}**")
        st.caption(result.index.summary())
        for note in result.index.notes:
            st.caption(note)
    elif result.index_note:
        st.info(result.index_note)
    saved = home.reports / "last-ingest.json"
    st.caption(pick(f"报告也保存在 {saved}", f"The report is saved in {saved}"))
