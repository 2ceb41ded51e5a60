"""`vetgraph serve` as a subprocess over the demo corpus, queried by clients nobody here wrote.

SPARQLWrapper and rdflib's SPARQLStore must get what `vetgraph sparql --format json` prints;
updates are refused and change nothing; a query past the time limit is stopped (its worker
process killed and replaced) while the server keeps answering; an ingest beside the server is
never waited for and shows at the next query.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

from kg.cli.main import cli
from kg.pipeline.run import ingest
from kg.query.limits import ENV_QUERY_TIMEOUT, ENV_ROW_LIMIT
from kg.store.home import ENV_HOME, Home
from tests.conftest import ROOT

CORPUS = ROOT / "corpus"
TIMEOUT_S = "2"
ROW_LIMIT = "200"
COURSES = """SELECT ?code ?course ?name WHERE {
  ?course a vet:Course ; vet:forMajor ?major ; skos:prefLabel ?name . ?major skos:notation ?code
} ORDER BY ?code ?name ?course"""
MAJOR_BY_NAME = 'SELECT ?major ?code WHERE { ?major a vet:Major ; skos:prefLabel "电子商务"@zh ; skos:notation ?code }'
ASK_TRUE = "ASK { ?course a vet:Course ; vet:forMajor ?major . ?major a vet:Major }"
ASK_FALSE = "ASK { ?major a vet:Major ; skos:prefLabel \"no such major\"@zh }"
CONSTRUCT = """CONSTRUCT { ?course vet:forMajor ?major ; skos:prefLabel ?name }
WHERE { ?course a vet:Course ; vet:forMajor ?major ; skos:prefLabel ?name }"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NEVER_ENDS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # about 6e11 solutions to count


class Served:
    """A `vetgraph serve` subprocess on a free localhost port; its URL read from what it prints."""

    def __init__(self, home: Path, log: Path, *options: str, env: dict[str, str] | None = None) -> None:
        environ = {**os.environ, ENV_QUERY_TIMEOUT: TIMEOUT_S, ENV_ROW_LIMIT: ROW_LIMIT, **(env or {})}
        environ.pop(ENV_HOME, None)
        self.log = log
        with log.open("wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kg", "--store", str(home), "serve", "--port", "0", *options],
                stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=ROOT, env=environ)
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        if "http://" not in line:
            self.process.kill()
            raise AssertionError(f"serve did not start: {line!r}\n{log.read_text()}")
        self.url = next(word for word in line.split() if word.startswith("http://"))

    def workers(self) -> set[int]:
        """The pids of the query workers (the server's child processes)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def stop(self, signum: int = signal.SIGTERM) -> str:
        """Stop it with ``signum``; what it printed after the URL."""
        self.process.send_signal(signum)
        out, _ = self.process.communicate(timeout=30)
        return out


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("serve") / "home"
    report = ingest(Home(root), [CORPUS])
    assert report.count("rejected") == 0
    return root


@pytest.fixture(scope="module")
def server(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    served = Served(demo_home, tmp_path_factory.mktemp("logs") / "serve.log")
    yield served
    served.stop()


def cli_json(home: Path, query: str) -> str:
    """What `vetgraph sparql --format json` prints for ``query``."""
    result = CliRunner().invoke(cli, ["--store", str(home), "sparql", query, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def request(url: str, *, query: str | None = None, params: dict[str, str] | None = None, data: bytes | None = None,
            headers: dict[str, str] | None = None, method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of one HTTP exchange; error statuses returned, not raised."""
    fields = {**({"query": query} if query is not None else {}), **(params or {})}
    target = url + ("?" + urllib.parse.urlencode(fields) if fields else "")
    try:
        with urllib.request.urlopen(urllib.request.Request(target, data=data, headers=headers or {}, method=method),
                                    timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def form_post(url: str, **fields: str) -> tuple[int, dict[str, str], bytes]:
    return request(url, data=urllib.parse.urlencode(fields).encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})


# -- what a client sees is what `vetgraph sparql` prints -------------------------------------------------
def rows_of_json(results: dict) -> list[tuple[tuple[str, str, str], ...]]:
    """W3C JSON bindings as comparable rows: (variable, kind, value with its language or datatype)."""
    def term(binding: dict[str, str]) -> tuple[str, str]:
        if binding["type"] == "uri":
            return "uri", binding["value"]
        return "literal", f'{binding["value"]}@{binding.get("xml:lang", "")}^{binding.get("datatype", "")}'

    return [tuple(sorted((name, *term(value)) for name, value in row.items())) for row in results["results"]["bindings"]]


def rows_of_rdflib(result: Iterable, names: list[str]) -> list[tuple[tuple[str, str, str], ...]]:
    out = []
    for row in result:
        cells = []
        for name in names:
            value = row[name]
            if value is None:
                continue
            if isinstance(value, URIRef):
                cells.append((name, "uri", str(value)))
            else:
                assert isinstance(value, Literal)
                datatype = "" if value.language else str(value.datatype or "")
                if str(value.datatype or "") == "http://www.w3.org/2001/XMLSchema#string":
                    datatype = ""
                cells.append((name, "literal", f"{value}@{value.language or ''}^{datatype}"))
        out.append(tuple(sorted(cells)))
    return out


def plain_strings(rows: list[tuple[tuple[str, str, str], ...]]) -> list[tuple[tuple[str, str, str], ...]]:
    """xsd:string literals written without their datatype, as SPARQL 1.1 results may."""
    return [tuple((n, k, v.replace("^http://www.w3.org/2001/XMLSchema#string", "^")) for n, k, v in row)
            for row in rows]


@pytest.mark.parametrize("query", [COURSES, MAJOR_BY_NAME], ids=["courses", "major-by-chinese-name"])
def test_sparqlwrapper_selects_what_the_cli_prints(server: Served, demo_home: Path, query: str) -> None:
    expected = plain_strings(rows_of_json(json.loads(cli_json(demo_home, query))))
    assert expected
    client = SPARQLWrapper(server.url)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    assert plain_strings(rows_of_json(client.queryAndConvert())) == expected  # type: ignore[arg-type]
    client.setMethod(POST)
    assert plain_strings(rows_of_json(client.queryAndConvert())) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("query", [COURSES, MAJOR_BY_NAME], ids=["courses", "major-by-chinese-name"])
def test_rdflib_sparqlstore_selects_what_the_cli_prints(server: Served, demo_home: Path, query: str) -> None:
    expected = plain_strings(rows_of_json(json.loads(cli_json(demo_home, query))))
    names = json.loads(cli_json(demo_home, query))["head"]["vars"]
    for method in ("GET", "POST_FORM"):
        store = SPARQLStore(query_endpoint=server.url, method=method)
        assert plain_strings(rows_of_rdflib(store.query(query), names)) == expected, method


@pytest.mark.parametrize("query", [ASK_TRUE, ASK_FALSE], ids=["true", "false"])
def test_both_clients_ask_what_the_cli_prints(server: Served, demo_home: Path, query: str) -> None:
    expected = json.loads(cli_json(demo_home, query))["boolean"]
    client = SPARQLWrapper(server.url)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is expected  # type: ignore[index]
    assert SPARQLStore(query_endpoint=server.url).query(query).askAnswer is expected


def test_both_clients_construct_the_graph_the_cli_prints(server: Served, demo_home: Path) -> None:
    expected = Graph().parse(data=cli_json(demo_home, CONSTRUCT), format="nt")
    assert len(expected) > 50
    client = SPARQLWrapper(server.url)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    turtle = Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert isomorphic(turtle, expected)
    rdf_xml = SPARQLStore(query_endpoint=server.url).query(CONSTRUCT).graph  # asks for application/rdf+xml
    assert isomorphic(rdf_xml, expected)


# -- refusals ------------------------------------------------------------------------------------------
def test_updates_are_refused_and_change_nothing(server: Served, demo_home: Path) -> None:
    before = cli_json(demo_home, COUNT)
    update = "DELETE WHERE { ?s ?p ?o }"
    client = SPARQLWrapper(server.url)
    client.setMethod(POST)
    client.setQuery(update)
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    status, _, body = form_post(server.url, update=update)
    assert status == 403 and b"read only" in body
    status, _, _ = request(server.url, data=update.encode(), headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    assert request(server.url, query="DROP ALL")[0] == 403  # an update sent as a query
    assert request(server.url, params={"update": update})[0] == 403
    assert cli_json(demo_home, COUNT) == before
    assert request(server.url, query=COUNT)[0] == 200


def test_service_is_refused(server: Served) -> None:
    status, headers, body = request(server.url, query="SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert status == 400 and b"SERVICE" in body and headers["content-type"].startswith("text/plain")


def test_a_malformed_query_is_answered_400_with_the_parsers_message(server: Served) -> None:
    status, _, body = request(server.url, query="SELECT ?x WHERE { ?x ?y }")
    assert status == 400 and body.startswith(b"SPARQL syntax error") and b"at 1:" in body


def test_a_long_query_is_stopped_and_its_worker_replaced(server: Served) -> None:
    workers = server.workers()
    assert len(workers) == 2
    status, _, body = request(server.url, query=NEVER_ENDS)
    assert status == 503 and b"time limit" in body and b"stopped" in body
    after = server.workers()
    assert len(after) == 2 and len(workers - after) == 1  # one worker killed, a fresh one in its place
    assert not Path(f"/proc/{(workers - after).pop()}").exists()
    status, _, body = request(server.url, query=ASK_TRUE)
    assert status == 200 and json.loads(body)["boolean"] is True


def test_rows_are_cut_at_the_row_limit(server: Served) -> None:
    status, headers, body = request(server.url, query="SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")  # 70 million rows
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == int(ROW_LIMIT)
    assert headers["vetgraph-rows"] == ROW_LIMIT and "row limit" in headers["vetgraph-truncated"]
    status, headers, _ = request(server.url, query=COURSES)
    assert status == 200 and "vetgraph-truncated" not in headers


# -- content negotiation ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "accept", "media_type"), [
    (COURSES, None, "application/sparql-results+json"),
    (COURSES, "*/*", "application/sparql-results+json"),
    (COURSES, "application/sparql-results+xml", "application/sparql-results+xml"),
    (COURSES, "text/csv", "text/csv"),
    (COURSES, "text/tab-separated-values", "text/tab-separated-values"),
    (COURSES, "text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    (COURSES, "text/turtle, text/csv;q=0.4", "text/csv"),
    (COURSES, "text/turtle, text/*;q=0.4", "application/sparql-results+xml"),  # text/xml first of text/*
    (ASK_TRUE, "application/sparql-results+xml", "application/sparql-results+xml"),
    (CONSTRUCT, None, "text/turtle"),
    (CONSTRUCT, "application/n-triples", "application/n-triples"),
    (CONSTRUCT, "application/ld+json", "application/ld+json"),
    (CONSTRUCT, "application/rdf+xml", "application/rdf+xml"),
    (CONSTRUCT, "application/sparql-results+json, text/turtle;q=0.9", "text/turtle"),
])
def test_the_answer_follows_accept(server: Served, query: str, accept: str | None, media_type: str) -> None:
    status, headers, body = request(server.url, query=query, headers={"Accept": accept} if accept else {})
    assert status == 200, body
    assert headers["content-type"].split(";")[0] == media_type
    assert body


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside rdflib's JSON-LD parser
def test_every_graph_format_holds_the_same_graph(server: Served, demo_home: Path) -> None:
    expected = Graph().parse(data=cli_json(demo_home, CONSTRUCT), format="nt")
    for accept, rdflib_format in [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                  ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")]:
        _, _, body = request(server.url, query=CONSTRUCT, headers={"Accept": accept})
        assert isomorphic(Graph().parse(data=body, format=rdflib_format), expected), accept


def test_a_format_parameter_wins_over_accept(server: Served) -> None:
    status, headers, body = request(server.url, query=COURSES, params={"format": "csv"}, headers={"Accept": "application/json"})
    assert status == 200 and headers["content-type"].startswith("text/csv") and body.startswith(b"code,course,name")
    status, headers, _ = request(server.url, query=CONSTRUCT, params={"format": "json"})
    assert status == 200 and headers["content-type"].startswith("application/ld+json")
    assert request(server.url, query=COURSES, params={"format": "turtle"})[0] == 406


@pytest.mark.parametrize(("query", "accept"), [(COURSES, "text/turtle"), (CONSTRUCT, "text/csv"),
                                               (ASK_TRUE, "image/png"), (COURSES, "text/csv;q=0")])
def test_an_unsatisfiable_accept_is_406(server: Served, query: str, accept: str) -> None:
    status, _, body = request(server.url, query=query, headers={"Accept": accept})
    assert status == 406 and b"offered" in body


def test_a_query_can_be_posted_as_a_form_or_a_body(server: Served) -> None:
    via_get = request(server.url, query=COURSES)[2]
    assert form_post(server.url, query=COURSES)[2] == via_get
    posted = request(server.url, data=COURSES.encode(), headers={"Content-Type": "application/sparql-query"})
    assert posted[2] == via_get
    assert request(server.url, data=b"x", headers={"Content-Type": "text/plain"})[0] == 415


def test_a_page_says_what_this_is(server: Served) -> None:
    for url in (server.url, server.url.removesuffix("sparql")):
        status, headers, body = request(url)
        assert status == 200 and headers["content-type"].startswith("text/html")
        assert b"SPARQL" in body and b"PREFIX vet:" in body and b"read only" in body.lower()
    assert request(server.url.removesuffix("sparql") + "elsewhere")[0] == 404


def test_no_cors_headers_unless_asked(server: Served) -> None:
    _, headers, _ = request(server.url, query=ASK_TRUE, headers={"Origin": "https://yasgui.example"})
    assert not any(name.startswith("access-control-") for name in headers)
    status, headers, _ = request(server.url, method="OPTIONS", headers={"Origin": "https://yasgui.example"})
    assert status == 204 and not any(name.startswith("access-control-") for name in headers)


# -- beside a writer ------------------------------------------------------------------------------------
@pytest.fixture
def catalogue_home(tmp_path: Path) -> Path:
    root = tmp_path / "home"
    ingest(Home(root), [CORPUS / "catalogues"])
    return root


def test_it_answers_during_an_ingest_and_shows_it_after(catalogue_home: Path, tmp_path: Path) -> None:
    served = Served(catalogue_home, tmp_path / "serve.log")
    policies = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a vet:PolicyDocument }"

    def count() -> int:
        status, _, body = request(served.url, query=policies)
        assert status == 200, body
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    seen_during: list[int] = []

    def querying(candidates: Iterable[tuple[Path, bool]]) -> Iterator[tuple[Path, bool]]:
        for candidate in candidates:  # the writer holds the store here, mid-ingest
            seen_during.append(count())
            yield candidate

    try:
        assert count() == 0
        report = ingest(Home(catalogue_home), [CORPUS / "policy"], progress=querying)
        assert report.count("added") == 3
        assert seen_during == [0, 0, 0]  # answered from the last snapshot while the ingest ran
        assert count() == 3  # the new snapshot, without restarting serve
    finally:
        served.stop()


def test_updates_and_cors_when_asked(catalogue_home: Path, tmp_path: Path) -> None:
    served = Served(catalogue_home, tmp_path / "serve.log", "--allow-updates", "--cors", "https://yasgui.example")
    probe = "ASK { GRAPH <urn:test:graph> { <urn:test:a> <urn:test:b> 'c' } }"
    try:
        status, headers, _ = request(served.url, query=probe)
        assert headers["access-control-allow-origin"] == "https://yasgui.example"
        assert json.loads(request(served.url, query=probe)[2])["boolean"] is False
        status, _, _ = form_post(served.url, update="INSERT DATA { GRAPH <urn:test:graph> { <urn:test:a> <urn:test:b> 'c' } }")
        assert status == 204
        assert json.loads(request(served.url, query=probe)[2])["boolean"] is True
        status, headers, _ = request(served.url, method="OPTIONS", headers={"Origin": "https://yasgui.example",
                                                                           "Access-Control-Request-Method": "POST"})
        assert status == 204 and "POST" in headers["access-control-allow-methods"]
        assert form_post(served.url, update="LOAD <http://example.org/data.ttl>")[0] == 400
        assert form_post(served.url, update="INSERT DATA { <urn:a> }")[0] == 400
    finally:
        served.stop()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_it_stops_cleanly_with_its_workers(catalogue_home: Path, tmp_path: Path, signum: int) -> None:
    served = Served(catalogue_home, tmp_path / "serve.log")
    workers = served.workers()
    assert workers
    out = served.stop(signum)
    assert "stopped" in out, (served.process.returncode, served.log.read_text())
    assert served.process.returncode == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_serve_help_is_light() -> None:
    script = ("import sys\nfrom kg.cli.main import cli\ntry:\n    cli(['serve', '--help'])\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in ('torch', 'sentence_transformers', 'faiss', 'streamlit', 'rdflib', 'kg.search.index',"
              " 'kg.serve.endpoint') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr
