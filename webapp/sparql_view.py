"""The questions page: ready-made questions and a read-only SPARQL console, both under the query limits.

Queries go to the store as the CLI sends them (``kg/query/sparql.py``): over a read-only snapshot,
where the query parser refuses any update. Before that, an update or a SERVICE clause is refused
here with a plain message (the console reads this store only; it never calls another endpoint).
The limits are ``kg.query.limits.QueryLimits``, the settings `vetgraph serve` shares: a query runs
in a worker thread and the page stops waiting after ``timeout_s``; results are cut at ``row_limit``
(the query is sent with a LIMIT one above it, so a huge cross product stops early).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import quote

import pandas as pd
import streamlit as st

from kg.core import iris, terms
from kg.errors import QueryError, VetgraphError
from kg.export.cells import csv_bytes
from kg.query.limits import QueryLimits
from kg.store.base import GraphStore
from webapp.i18n import pick, t
from webapp.links import ENTITY_PATH, IRI_PARAM
from webapp.questions import QUESTIONS
from webapp.state import AppContext

T = TypeVar("T")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: Queries that ran past the time limit keep running in their thread (a store query cannot be
#: cancelled); past this many still running, new console queries wait for them to end.
MAX_BACKGROUND = 2
EXAMPLE = """SELECT ?major ?code ?name ?level WHERE {
  ?major a vet:Major ; skos:notation ?code ; skos:prefLabel ?name .
  OPTIONAL { ?major vet:level ?level }
} ORDER BY ?code"""
QUERY_KEY, OUTCOME_KEY = "sparql_query", "sparql_outcome"

# Strings, IRIs and comments, blanked before looking for keywords (a 'DROP' inside a literal is text).
_LEXICAL = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                      r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*', re.DOTALL)
_DECLARATION = re.compile(r"^\s*(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)\s*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)", re.IGNORECASE)
_TRAILING_VALUES = re.compile(r"\bVALUES\b[^{}]*\{[^{}]*\}\s*$", re.IGNORECASE)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


class QueryRefused(QueryError):
    """A query the console does not send: an update, or a SERVICE call to another endpoint."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # update | service


class QueryTimedOut(QueryError):
    """The page stopped waiting for a query after the time limit."""


class QueryBusy(QueryError):
    """Queries that ran past the limit are still running: no new one starts until they end."""


# -- reading the query text ------------------------------------------------------------------------
def blank_lexical(query: str) -> str:
    """``query`` with strings, IRIs and comments replaced by spaces, positions kept."""
    return _LEXICAL.sub(lambda match: " " * len(match.group(0)), query)


def _after_declarations(blanked: str) -> str:
    text = blanked
    while True:
        stripped = _DECLARATION.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT, DESCRIBE, an update keyword (INSERT …), or None when there is no keyword."""
    word = _WORD.search(_after_declarations(blank_lexical(query)))
    return word.group(0).upper() if word else None


def refusal(query: str) -> str | None:
    """Why the console will not send ``query``: "update", "service", or None."""
    blanked = blank_lexical(query)
    if query_form(query) in UPDATE_WORDS:
        return "update"
    if _SERVICE.search(blanked):
        return "service"
    return None


def with_row_cap(query: str, cap: int) -> str:
    """``query`` with its outer LIMIT at most ``cap`` (added when it has none); ASK is left as it is."""
    if query_form(query) not in ("SELECT", "CONSTRUCT", "DESCRIBE"):
        return query
    blanked = blank_lexical(query)
    values = _TRAILING_VALUES.search(blanked)
    end = values.start() if values else len(query)
    tail_start = blanked.rfind("}", 0, end) + 1
    limit = None
    for match in _LIMIT.finditer(blanked, tail_start, end):
        limit = match
    if limit is not None:
        if int(limit.group(1)) <= cap:
            return query
        return query[: limit.start(1)] + str(cap) + query[limit.end(1):]
    head = query[:end].rstrip()
    # On the query's last line, so a syntax error keeps the user's line numbers; after a comment, on its own.
    ends_in_comment = blanked[:len(head)].rstrip() != head.rstrip() and "#" in head.rsplit("\n", 1)[-1]
    return head + ("\n" if ends_in_comment else " ") + f"LIMIT {cap}" + ("\n" if values else "") + query[end:]


# -- running under the limits ----------------------------------------------------------------------
_background: list[threading.Thread] = []
_background_lock = threading.Lock()


def within_time(work: Callable[[], T], timeout_s: float) -> T:
    """``work()`` in a worker thread; QueryTimedOut when it has not finished after ``timeout_s``."""
    with _background_lock:
        _background[:] = [thread for thread in _background if thread.is_alive()]
        if len(_background) >= MAX_BACKGROUND:
            raise QueryBusy(f"{len(_background)} earlier queries are still running")
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = work()
        except Exception as error:  # handed to the page's thread, raised there
            box["error"] = error

    thread = threading.Thread(target=run, name="vetgraph-query", daemon=True)
    thread.start()
    thread.join(timeout_s)
    if thread.is_alive():
        with _background_lock:
            _background.append(thread)
        raise QueryTimedOut(f"the query ran past {timeout_s:g} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


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


def _table(columns: list[str], rows: list[list[str]], kinds: list[list[str]], limit: int) -> Outcome:
    truncated = len(rows) > limit
    rows, kinds = rows[:limit], kinds[:limit]
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


def run_console(store: GraphStore, query: str, limits: QueryLimits) -> Outcome:
    """A user's query, refused when it is an update or calls SERVICE, else run under ``limits``."""
    reason = refusal(query)
    if reason:
        raise QueryRefused(reason)
    capped = with_row_cap(query, limits.row_limit + 1)
    began = time.perf_counter()
    result = within_time(lambda: store.query(capped, results_format="json", graph_format="turtle"), limits.timeout_s)
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
                             [[kind for _, kind in row] for row in cells], limits.row_limit)
    outcome.seconds = time.perf_counter() - began
    return outcome


def run_question(store: GraphStore, query: str, limits: QueryLimits) -> Outcome:
    """A ready-made question through the store's ``select``, under the same limits as the console."""
    capped = with_row_cap(query, limits.row_limit + 1)
    began = time.perf_counter()
    rows = within_time(lambda: store.select(capped), limits.timeout_s)
    columns = list(dict.fromkeys(name for row in rows for name in row))
    table = [[row.get(name, "") for name in columns] for row in rows]
    kinds = [["node" if iris.is_data(value) else "literal" for value in row] for row in table]
    outcome = _table(columns, table, kinds, limits.row_limit)
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
    if isinstance(error, QueryTimedOut):
        return pick(f"查询超过 {limits.timeout_s:g} 秒的时间限制，已停止等待。请缩小范围（更具体的模式、LIMIT）后再试。",
                    f"The query ran past the {limits.timeout_s:g} s time limit; the page stopped waiting. "
                    "Narrow it (more specific patterns, a LIMIT) and try again.")
    if isinstance(error, QueryBusy):
        return pick("之前超时的查询仍在后台运行，请稍候再试。",
                    "Earlier queries that ran past the time limit are still running; try again in a while.")
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
        store = context.store
        assert store is not None
        questions, console = st.tabs([pick("常用问题", "Ready-made questions"), pick("SPARQL 控制台", "SPARQL console")])
        with questions:
            render_questions(context.snapshot, store, limits)
        with console:
            render_console(store, limits)
    except VetgraphError as error:
        st.error(str(error))


@st.cache_data(max_entries=64, show_spinner=False)
def cached_question(snapshot: str | None, sparql: str, timeout_s: float, row_limit: int, _store: GraphStore) -> Outcome:
    """A question's answer, once per snapshot (one that timed out raises, so it is not kept)."""
    return run_question(_store, sparql, QueryLimits(timeout_s=timeout_s, row_limit=row_limit))


def render_questions(snapshot: str | None, store: GraphStore, limits: QueryLimits) -> None:
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
        show_outcome(cached_question(snapshot, sparql, limits.timeout_s, limits.row_limit, store), f"question-{key}")
    except QueryError as error:
        st.error(message(error, limits))


def _to_console(sparql: str) -> None:
    st.session_state[QUERY_KEY] = sparql
    st.session_state.pop(OUTCOME_KEY, None)


def _prefix_lines() -> str:
    return "\n".join(f"PREFIX {prefix}: <{namespace}>" for prefix, namespace in terms.PREFIXES.items())


def render_console(store: GraphStore, limits: QueryLimits) -> None:
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
            st.session_state[OUTCOME_KEY] = (query, run_console(store, query, limits))
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
