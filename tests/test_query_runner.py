"""The query runner: answers as the store gives them, cut at the row limit, stopped at the time limit.

A query past its time has its worker process killed and a fresh one started; a worker reopens the
store when an ingest publishes a new snapshot. Cutting a serialised answer keeps the store's bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, QueryResultsFormat, Store, parse_query_results

from kg.errors import QueryError, QueryRefused, QueryTimeout
from kg.pipeline.run import ingest
from kg.query.cut import cut_solutions
from kg.query.limits import QueryLimits
from kg.query.runner import QueryRunner
from kg.store.home import Home
from tests.conftest import ROOT

CORPUS = ROOT / "corpus"
MAJORS = "SELECT ?major ?name WHERE { ?major a vet:Major ; skos:prefLabel ?name } ORDER BY ?major"
NEVER_ENDS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
RESULTS = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML, "csv": QueryResultsFormat.CSV,
           "tsv": QueryResultsFormat.TSV}


def parsed(body: bytes, results_format: str) -> list:
    """The solutions of a serialised answer (CSV by the csv module: pyoxigraph will not parse a lossy format)."""
    if results_format == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))[1:]
    return list(parse_query_results(body, format=RESULTS[results_format]))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("runner") / "home")
    ingest(home, [CORPUS / "catalogues", CORPUS / "course_standards"])
    return home


@pytest.fixture(scope="module")
def runner(home: Home) -> Iterator[QueryRunner]:
    with QueryRunner(home) as runner:
        yield runner


@pytest.mark.parametrize("results_format", list(RESULTS))
def test_a_select_is_the_stores_answer_cut_at_the_row_limit(runner: QueryRunner, home: Home, results_format: str) -> None:
    whole = home.open_reader().query(MAJORS, results_format=results_format).body
    total = len(parsed(whole, results_format))
    assert total > 5
    answer = runner.run(MAJORS, QueryLimits(row_limit=5), results_format=results_format)
    assert answer.result.kind == "select" and answer.result.format == results_format
    assert (answer.rows, answer.truncated) == (5, True)
    assert parsed(answer.result.body, results_format) == parsed(whole, results_format)[:5]
    uncut = runner.run(MAJORS, QueryLimits(row_limit=total), results_format=results_format)
    assert (uncut.rows, uncut.truncated, uncut.result.body) == (total, False, whole)


def test_ask_and_construct(runner: QueryRunner, home: Home) -> None:
    answer = runner.run("ASK { ?m a vet:Major }")
    assert answer.result.kind == "ask" and json.loads(answer.result.body)["boolean"] is True
    assert answer.snapshot == str(home.current_snapshot())
    graph = runner.run("CONSTRUCT { ?m a vet:Major } WHERE { ?m a vet:Major }", QueryLimits(row_limit=3),
                       graph_format="ntriples")
    assert graph.result.kind == "graph" and graph.rows is None
    assert len(graph.result.body.decode().splitlines()) == 3  # built from at most row_limit solutions


def test_a_query_past_its_time_is_stopped_and_its_worker_replaced(runner: QueryRunner) -> None:
    before = runner.replaced
    with pytest.raises(QueryTimeout, match="time limit"):
        runner.run(NEVER_ENDS, QueryLimits(timeout_s=0.3))
    assert runner.replaced == before + 1
    assert json.loads(runner.run("ASK { ?m a vet:Major }").result.body)["boolean"] is True


def test_refused_and_malformed_queries_keep_the_worker(runner: QueryRunner) -> None:
    before = runner.replaced
    with pytest.raises(QueryRefused) as refused:
        runner.run("DELETE WHERE { ?s ?p ?o }")
    assert refused.value.reason == "update"
    with pytest.raises(QueryRefused) as refused:
        runner.run("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert refused.value.reason == "service"
    with pytest.raises(QueryError, match="SPARQL syntax error.*at 1:"):
        runner.run("SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(QueryError, match="unknown results format"):
        runner.run(MAJORS, results_format="yaml")
    assert runner.replaced == before


def test_the_worker_opens_the_new_snapshot_after_an_ingest(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    ingest(home, [CORPUS / "catalogues"])
    policies = "ASK { ?d a vet:PolicyDocument }"
    with QueryRunner(home) as runner:
        assert json.loads(runner.run(policies).result.body)["boolean"] is False
        ingest(home, [CORPUS / "policy"])
        answer = runner.run(policies)
        assert json.loads(answer.result.body)["boolean"] is True
        assert answer.snapshot == str(home.current_snapshot())


def test_an_empty_home_answers_from_an_empty_store(tmp_path: Path) -> None:
    with QueryRunner(Home(tmp_path / "nothing"), workers=2) as runner:
        assert json.loads(runner.run("ASK { ?s ?p ?o }").result.body)["boolean"] is False


# -- cutting a serialised answer ------------------------------------------------------------------------
_TEXT = st.text(alphabet=st.sampled_from(list('ab,"\n\r\t\\<>&;职业教育 \'#')), max_size=12)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(_TEXT, max_size=8), limit=st.integers(min_value=1, max_value=9),
       results_format=st.sampled_from(list(RESULTS)))
def test_a_cut_answer_is_the_first_rows_of_the_whole(values: list[str], limit: int, results_format: str) -> None:
    store = Store()
    for i, value in enumerate(values):
        store.add(Quad(NamedNode(f"urn:row:{i:02d}"), NamedNode("urn:p"), Literal(value, language="zh") if i % 2
                       else Literal(value)))
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    whole = store.query(query).serialize(format=RESULTS[results_format])
    body, rows, truncated = cut_solutions(whole, results_format, limit)
    expected = parsed(whole, results_format)[:limit]
    assert parsed(body, results_format) == expected
    assert (rows, truncated) == (len(expected), len(values) > limit)
    if not truncated:
        assert body == whole


def test_a_worker_killed_from_outside_is_replaced_before_the_next_query(home: Home) -> None:
    with QueryRunner(home) as runner:
        runner.run("ASK { ?s ?p ?o }")
        worker = runner._idle.queue[0]  # the only worker, idle
        worker.process.kill()
        worker.process.wait()
        assert json.loads(runner.run("ASK { ?m a vet:Major }").result.body)["boolean"] is True
        assert runner.replaced == 1
