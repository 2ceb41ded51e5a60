"""The questions page: ready-made questions and a read-only SPARQL console, both under the query limits.

Queries go through ``kg.query.runner.QueryRunner``, as `vetgraph serve` sends them: over the home's
read-only snapshot, an update or a SERVICE clause refused first (``kg.query.guard``; the console
reads this store only and never calls another endpoint). The limits are
``kg.query.limits.QueryLimits``: a query runs in a worker process that is killed after
``timeout_s``; results are cut at ``row_limit`` (the query is sent with a LIMIT one above it, so a
huge cross product stops early).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

import pandas as pd
import streamlit as st

from kg.core import iris, terms
from kg.errors import QueryBusy, QueryError, QueryRefused, QueryTimeout, VetgraphError
from kg.export.cells import csv_bytes
from kg.query.limits import QueryLimits
from kg.query.runner import QueryRunner
from webapp.i18n import pick, t
from webapp.links import ENTITY_PATH, IRI_PARAM
from webapp.questions import QUESTIONS
from webapp.state import AppContext, query_runner

EXAMPLE = """SELECT ?major ?code ?name ?level WHERE {
  ?major a vet:Major ; skos:notation ?code ; skos:prefLabel ?name .
  OPTIONAL { ?major vet:level ?level }
} ORDER BY ?code"""
QUERY_KEY, OUTCOME_KEY = "sparql_query", "sparql_outcome"


@dataclass
class Outcome:
    """What a query returned, as the page shows it: a table (values and which are IRIs), a boolean or a graph."""

    kind: str  # select | ask | graph
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    iri_columns: set[str] = field(default_factory=set)  # columns whose every value is a node of the graph
    boolean: bool | None = None
    graph: str = ""
    truncated: bool = False
    row_limit: int = 0
    seconds: float = 0.0


def _table(columns: list[str], rows: list[list[str]], kinds: list[list[str]], truncated: bool, limit: int) -> Outcome:
    iri_columns = {name for i, name in enumerate(columns) if any(row[i] for row in rows)
                   and all(not row[i] or kind[i] == "node" for row, kind in zip(rows, kinds))}
    return Outcome("select", columns, rows, iri_columns, truncated=truncated, row_limit=limit)


def _cell(binding: Mapping[str, str] | None) -> tuple[str, str]:
    """A W3C JSON binding as (text, kind): nodes of the graph whole, vocabulary terms prefixed, literals as they are."""
    if binding is None:
        return "", "empty"
    value = binding["value"]
    if binding["type"] == "uri":
        return (value, "node") if iris.is_data(value) else (terms.prefixed(value), "term")
    return value, binding["type"]


def run_console(runner: QueryRunner, query: str, limits: QueryLimits) -> Outcome:
    """A user's query, refused when it is an update or calls SERVICE, else run (and stopped) under ``limits``."""
    began = time.perf_counter()
    answer = runner.run(query, limits, results_format="json", graph_format="turtle")
    result = answer.result
    if result.kind == "graph":
        outcome = Outcome("graph", graph=result.body.decode("utf-8"), row_limit=limits.row_limit)
    else:
        body = json.loads(result.body)
        if result.kind == "ask":
            outcome = Outcome("ask", boolean=bool(body["boolean"]))
        else:
            columns = list(body["head"]["vars"])
            cells = [[_cell(binding.get(name)) for name in columns] for binding in body["results"]["bindings"]]
            outcome = _table(columns, [[text for text, _ in row] for row in cells],
                             [[kind for _, kind in row] for row in cells], answer.truncated, limits.row_limit)
    outcome.seconds = time.perf_counter() - began
    return outcome


def run_question(runner: QueryRunner, query: str, limits: QueryLimits) -> Outcome:
    """A ready-made question, under the same limits as the console; values as plain strings, as ``select`` gives them."""
    began = time.perf_counter()
    answer = runner.run(query, limits, results_format="json")
    body = json.loads(answer.result.body)
    columns = list(body["head"]["vars"])
    bindings = body["results"]["bindings"]
    columns = [name for name in columns if any(name in binding for binding in bindings)]
    table = [[binding[name]["value"] if name in binding else "" for name in columns] for binding in bindings]
    kinds = [["node" if iris.is_data(value) else "literal" for value in row] for row in table]
    outcome = _table(columns, table, kinds, answer.truncated, limits.row_limit)
    outcome.seconds = time.perf_counter() - began
    return outcome


# -- drawing -----------------------------------------------------------------------------------------
def node_href(iri: str) -> str:
    """The entity page of a node, the IRI left readable in the URL (so a table can show its local part)."""
    return f"{quote(ENTITY_PATH)}?{IRI_PARAM}={quote(iri, safe=':/')}"


def message(error: QueryError, limits: QueryLimits) -> str:
    """What the page says about a query that did not run or did not finish."""
    if isinstance(error, QueryRefused) and error.reason == "update":
        return pick("只读：控制台不执行 SPARQL 更新（INSERT、DELETE、LOAD、CLEAR、DROP 等），图谱没有改变。"
                    "导入文件请用“上传”页或 `vetgraph ingest`，审核对齐请在实体页操作。",
                    "Read only: the console does not run SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP …); "
                    "nothing was changed. Ingest files on the Upload page or with `vetgraph ingest`; review "
                    "alignments on an entity page.")
    if isinstance(error, QueryRefused):
        return pick("不支持 SERVICE：控制台只查询本图谱，不访问其他 SPARQL 端点。",
                    "SERVICE is refused: the console queries this store only and never calls another endpoint.")
    if isinstance(error, QueryTimeout):
        return pick(f"查询超过 {limits.timeout_s:g} 秒的时间限制，已被停止。请缩小范围（更具体的模式、LIMIT）后再试。",
                    f"The query ran past the {limits.timeout_s:g} s time limit and was stopped. "
                    "Narrow it (more specific patterns, a LIMIT) and try again.")
    if isinstance(error, QueryBusy):
        return pick("其他查询正在运行，请稍候再试。", "Other queries are still running; try again in a while.")
    return str(error)


def show_outcome(outcome: Outcome, key: str) -> None:
    """A result: a table whose nodes link to their pages, with a CSV download; a boolean; or Turtle."""
    if outcome.kind == "ask":
        st.success(pick(f"结果：{'是' if outcome.boolean else '否'}（{str(outcome.boolean).lower()}）",
                        f"Answer: {str(outcome.boolean).lower()}"))
        return
    if outcome.kind == "graph":
        st.code(outcome.graph or "# (empty graph)", language="turtle")
        st.caption(pick(f"构造结果最多取 {outcome.row_limit} 个解。", f"At most {outcome.row_limit} solutions were used."))
        return
    count = len(outcome.rows)
    st.caption(pick(f"{count} 行 · {outcome.seconds * 1000:.0f} 毫秒", f"{count} rows · {outcome.seconds * 1000:.0f} ms"))
    if outcome.truncated:
        st.warning(pick(f"结果超过行数上限，只显示前 {outcome.row_limit} 行。请加 LIMIT 或缩小范围。",
                        f"More rows than the row limit: only the first {outcome.row_limit} are shown. "
                        "Add a LIMIT or narrow the query."))
    if not count:
        st.info(pick("没有结果。", "No results."))
        return
    frame = pd.DataFrame(outcome.rows, columns=outcome.columns)
    display = re.escape(iris.DATA).replace("/", "\\/")
    config = {}
    for name in outcome.iri_columns:
        frame[name] = [node_href(value) if value else None for value in frame[name]]
        config[name] = st.column_config.LinkColumn(name, display_text=f"{display}(.*)$")
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config)
    st.download_button(pick("⬇ 下载 CSV", "⬇ Download CSV"), csv_bytes(outcome.columns, outcome.rows),
                       file_name=f"{key}.csv", mime="text/csv", key=f"{key}_csv")


def render_questions_page(context: AppContext) -> None:
    """Ready-made questions, then the SPARQL console."""
    st.header(pick("问答与 SPARQL", "Questions and SPARQL"))
    try:
        if context.empty:
            st.info(t("missing.store", root=context.home.root))
            return
        limits = QueryLimits.from_env()
        runner = query_runner(str(context.home.root))
        questions, console = st.tabs([pick("常用问题", "Ready-made questions"), pick("SPARQL 控制台", "SPARQL console")])
        with questions:
            render_questions(context.snapshot, runner, limits)
        with console:
            render_console(runner, limits)
    except VetgraphError as error:
        st.error(str(error))


@st.cache_data(max_entries=64, show_spinner=False)
def cached_question(snapshot: str | None, sparql: str, timeout_s: float, row_limit: int, _runner: QueryRunner) -> Outcome:
    """A question's answer, once per snapshot (one that timed out raises, so it is not kept)."""
    return run_question(_runner, sparql, QueryLimits(timeout_s=timeout_s, row_limit=row_limit))


def render_questions(snapshot: str | None, runner: QueryRunner, limits: QueryLimits) -> None:
    keys = [question.key for question in QUESTIONS]
    by_key = {question.key: question for question in QUESTIONS}
    key = st.selectbox(pick("问题", "Question"), keys, format_func=lambda k: pick(by_key[k].title, by_key[k].title_en),
                       key="question")
    question = by_key[key]
    values = {parameter.name: st.text_input(pick(parameter.label, parameter.label_en), parameter.default,
                                            key=f"question_{key}_{parameter.name}")
              for parameter in question.parameters}
    try:
        sparql = question.sparql(values)
    except ValueError:
        st.info(pick("请填写参数。", "Fill in the parameter."))
        return
    st.caption(pick(question.note, question.note_en))
    st.code(sparql, language="sparql")
    st.button(pick("在控制台中编辑", "Edit in the console"), key="question_to_console", on_click=_to_console, args=(sparql,))
    try:
        show_outcome(cached_question(snapshot, sparql, limits.timeout_s, limits.row_limit, runner), f"question-{key}")
    except QueryError as error:
        st.error(message(error, limits))


def _to_console(sparql: str) -> None:
    st.session_state[QUERY_KEY] = sparql
    st.session_state.pop(OUTCOME_KEY, None)


def _prefix_lines() -> str:
    return "\n".join(f"PREFIX {prefix}: <{namespace}>" for prefix, namespace in terms.PREFIXES.items())


def render_console(runner: QueryRunner, limits: QueryLimits) -> None:
    st.caption(pick(f"只读 · 时间限制 {limits.timeout_s:g} 秒 · 行数上限 {limits.row_limit} · 默认图为所有命名图的并集",
                    f"Read only · time limit {limits.timeout_s:g} s · row limit {limits.row_limit} · "
                    "the default graph is the union of all named graphs"))
    with st.expander(pick("已预置的前缀（无需再写）", "Predeclared prefixes (no need to write them)")):
        st.code(_prefix_lines(), language="sparql")
    if QUERY_KEY not in st.session_state:
        st.session_state[QUERY_KEY] = EXAMPLE
    query = st.text_area("SPARQL", key=QUERY_KEY, height=220)
    if st.button(pick("运行", "Run"), type="primary", key="sparql_run"):
        try:
            st.session_state[OUTCOME_KEY] = (query, run_console(runner, query, limits))
        except QueryError as error:
            st.session_state[OUTCOME_KEY] = (query, message(error, limits))
    ran = st.session_state.get(OUTCOME_KEY)
    if ran is None:
        return
    _, outcome = ran
    if isinstance(outcome, str):
        st.error(outcome)
    else:
        show_outcome(outcome, "sparql")
