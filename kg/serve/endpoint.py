"""The SPARQL 1.1 Protocol over HTTP: query by GET or POST, updates refused unless allowed.

Queries run through ``kg.query.runner.QueryRunner`` (worker processes over the home's newest
snapshot, killed at the time limit), so an ingest running beside the server is never waited for
and its result is visible at the next query. Library errors become status codes here: a refused
update 403, a refused SERVICE or a malformed query 400, an unsatisfiable Accept 406, a query past
its time 503.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from kg.errors import QueryBusy, QueryError, QueryRefused, QueryTimeout, StoreError, StoreLockedError
from kg.query.guard import check_update, query_form, refusal
from kg.query.limits import QueryLimits
from kg.query.runner import QueryRunner
from kg.serve.negotiate import NotAcceptable, choose, media_type_of
from kg.serve.page import help_page
from kg.store.home import Home

PATHS = ("/", "/sparql")
#: The largest request body read (a query or an update), in bytes.
MAX_BODY = 4 * 1024 * 1024
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True, kw_only=True)
class EndpointSettings:
    """What `vetgraph serve` was started with; CORS headers are sent only when ``cors_origin`` is set."""

    allow_updates: bool = False
    cors_origin: str | None = None
    limits: QueryLimits = field(default_factory=QueryLimits)


class _Reply(Exception):
    """A response decided early (an error): status and a plain-text message."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class SparqlServer(ThreadingHTTPServer):
    """One thread a request; the home, its query runner and the settings shared by all."""

    daemon_threads = True

    def __init__(self, home: Home, runner: QueryRunner, settings: EndpointSettings, host: str, port: int) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)
        self.home, self.runner, self.settings = home, runner, settings

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/sparql"


def make_server(home: Home, settings: EndpointSettings, *, host: str = "127.0.0.1", port: int = 7878,
                workers: int = 2) -> SparqlServer:
    """A server bound to ``host:port`` (port 0: any free one) with ``workers`` warm query workers."""
    runner = QueryRunner(home, workers=workers)
    try:
        return SparqlServer(home, runner, settings, host, port)
    except OSError as error:
        runner.close()
        raise StoreError(f"cannot listen on {host}:{port}: {error.strerror or error}") from error


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "vetgraph-serve"

    # -- methods -----------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._answer(self._get)

    def do_POST(self) -> None:
        self._answer(self._post)

    def do_OPTIONS(self) -> None:
        """A CORS preflight: allowed methods and headers, the origin only when --cors was given."""
        self._send(HTTPStatus.NO_CONTENT, b"", None, {"Allow": "GET, POST, OPTIONS"})

    def _get(self) -> None:
        _, params = self._target()
        if "update" in params:
            raise _Reply(HTTPStatus.FORBIDDEN if not self.server.settings.allow_updates
                         else HTTPStatus.METHOD_NOT_ALLOWED, self._update_refusal("updates must be POSTed"))
        if "query" not in params:
            settings = self.server.settings
            page = help_page(self.server.url, allow_updates=settings.allow_updates,
                             timeout_s=settings.limits.timeout_s, row_limit=settings.limits.row_limit)
            self._send(HTTPStatus.OK, page, "text/html; charset=utf-8")
            return
        self._query(_one(params, "query"), params)

    def _post(self) -> None:
        _, params = self._target()
        content_type = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        body = self._body()
        if content_type == FORM:
            for key, values in parse_qs(body.decode("utf-8"), keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
            if "update" in params:
                self._update(_one(params, "update"))
            elif "query" in params:
                self._query(_one(params, "query"), params)
            else:
                raise _Reply(HTTPStatus.BAD_REQUEST, "a form POST needs a query= or an update= field")
        elif content_type == "application/sparql-query":
            self._query(body.decode("utf-8"), params)
        elif content_type == "application/sparql-update":
            self._update(body.decode("utf-8"))
        else:
            raise _Reply(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                         f"POST a query as {FORM} (query=…) or application/sparql-query, "
                         f"not {content_type or 'a body without Content-Type'}")

    # -- the protocol ------------------------------------------------------------------------------
    def _query(self, text: str, params: dict[str, list[str]]) -> None:
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            raise _Reply(HTTPStatus.BAD_REQUEST, "default-graph-uri and named-graph-uri are not supported: "
                                                 "the default graph is the union of all named graphs")
        reason = refusal(text)
        if reason == "update":
            raise _Reply(HTTPStatus.FORBIDDEN, self._update_refusal("an update was sent as a query"))
        if reason == "service":
            raise _Reply(HTTPStatus.BAD_REQUEST, "SERVICE is refused: this endpoint queries its own store "
                                                 "and calls no other endpoint")
        kind = "graph" if query_form(text) in ("CONSTRUCT", "DESCRIBE") else "results"
        accept, formats = self.headers.get("Accept"), params.get("format", [])
        results_format = choose("results", accept, formats).format if kind == "results" else "json"
        graph_format = choose("graph", accept, formats).format if kind == "graph" else "turtle"
        answer = self.server.runner.run(text, self.server.settings.limits, results_format=results_format,
                                        graph_format=graph_format)
        headers = {"Vary": "Accept"}
        if answer.rows is not None:
            headers["Vetgraph-Rows"] = str(answer.rows)
        if answer.truncated:
            headers["Vetgraph-Truncated"] = f"cut at the row limit of {self.server.settings.limits.row_limit}"
        self._send(HTTPStatus.OK, answer.result.body, f"{media_type_of(answer.result.format)}; charset=utf-8", headers)

    def _update(self, text: str) -> None:
        if not self.server.settings.allow_updates:
            raise _Reply(HTTPStatus.FORBIDDEN, self._update_refusal("updates are refused"))
        check_update(text)
        with self.server.home.writer(timeout=self.server.settings.limits.timeout_s) as store:
            try:
                store.update(text)
            except StoreError as error:  # the update itself is wrong (the writer opened fine)
                raise _Reply(HTTPStatus.BAD_REQUEST, str(error)) from error
        self._send(HTTPStatus.NO_CONTENT, b"", None)

    def _update_refusal(self, what: str) -> str:
        if self.server.settings.allow_updates:
            return f"{what}: send an update as update=… or application/sparql-update by POST"
        return f"{what}: this endpoint is read only (start `vetgraph serve --allow-updates` to accept them)"

    # -- plumbing ----------------------------------------------------------------------------------
    def _answer(self, handle: Callable[[], None]) -> None:
        """Run a method's handler; library errors and early replies become a status and one line of text."""
        try:
            handle()
        except _Reply as reply:
            self._error(reply.status, reply.message)
        except NotAcceptable as error:
            self._error(HTTPStatus.NOT_ACCEPTABLE, str(error))
        except QueryRefused as error:
            status = HTTPStatus.FORBIDDEN if error.reason == "update" else HTTPStatus.BAD_REQUEST
            self._error(status, str(error))
        except (QueryTimeout, QueryBusy, StoreLockedError) as error:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(error))
        except QueryError as error:
            self._error(HTTPStatus.BAD_REQUEST, str(error))
        except StoreError as error:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(error))
        except UnicodeDecodeError:
            self._error(HTTPStatus.BAD_REQUEST, "the request is not UTF-8")

    def _target(self) -> tuple[str, dict[str, list[str]]]:
        parts = urlsplit(self.path)
        if parts.path not in PATHS:
            raise _Reply(HTTPStatus.NOT_FOUND, f"nothing at {parts.path}; the endpoint is /sparql")
        return parts.path, parse_qs(parts.query, keep_blank_values=True)

    def _body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise _Reply(HTTPStatus.BAD_REQUEST, "Content-Length is not a number") from None
        if length > MAX_BODY:
            raise _Reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is over {MAX_BODY} bytes")
        return self.rfile.read(length)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str | None,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        origin = self.server.settings.cors_origin
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
            self.send_header("Access-Control-Expose-Headers", "Vetgraph-Rows, Vetgraph-Truncated")
            if origin != "*":
                self.send_header("Vary", "Origin")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


def _one(params: dict[str, list[str]], key: str) -> str:
    values = params[key]
    if len(values) != 1:
        raise _Reply(HTTPStatus.BAD_REQUEST, f"send exactly one {key}= parameter, not {len(values)}")
    return values[0]
