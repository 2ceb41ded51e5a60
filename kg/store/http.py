"""The few HTTP calls a remote store makes, over urllib: errors carry the server's message and the URL."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import BinaryIO

from kg.errors import StoreError
from kg.store.settings import RemoteSettings

#: Past this many characters a server's error page is cut (Virtuoso repeats the whole query back).
MESSAGE_LIMIT = 300


class ServerError(StoreError):
    """The server answered with an error status: ``status`` and the server's own message."""

    def __init__(self, status: int, message: str, url: str) -> None:
        self.status = status
        self.server_message = message
        self.url = url
        super().__init__(f"{message} (HTTP {status} from {url})")


class Client:
    """One remote server's endpoints, with its credentials (basic or digest, whichever it asks)."""

    def __init__(self, settings: RemoteSettings) -> None:
        self.settings = settings
        handlers: list[urllib.request.BaseHandler] = []
        if settings.user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (settings.query_url, settings.update_url, settings.store_url):
                passwords.add_password(None, url, settings.user, settings.password or "")
            handlers += [urllib.request.HTTPBasicAuthHandler(passwords),
                         urllib.request.HTTPDigestAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)

    def query(self, text: str, accept: str, parameters: dict[str, str] | None = None) -> bytes:
        """POST a query (form-encoded, so its length is unbounded) and return the body."""
        form = urllib.parse.urlencode({"query": text, **(parameters or {})}).encode("utf-8")
        return self._send("POST", self.settings.query_url, form,
                          {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})

    def update(self, text: str) -> None:
        form = urllib.parse.urlencode({"update": text}).encode("utf-8")
        self._send("POST", self.settings.update_url, form, {"Content-Type": "application/x-www-form-urlencoded"})

    def put_graph(self, graph: str, body: BinaryIO | bytes, media_type: str, length: int) -> None:
        """Graph Store Protocol PUT: replace one named graph with the body, in one request."""
        if self.settings.user is not None and not isinstance(body, bytes):
            body = body.read()  # a challenge (401, then again with credentials) sends the body twice
        self._send("PUT", self.graph_url(graph), body, {"Content-Type": media_type, "Content-Length": str(length)})

    def get_graph(self, graph: str, accept: str) -> bytes:
        return self._send("GET", self.graph_url(graph), None, {"Accept": accept})

    def graph_url(self, graph: str) -> str:
        # Oxigraph's server reads `graph`, Virtuoso's `graph-uri` (and ignores the other)
        key = "graph-uri" if self.settings.flavour == "virtuoso" else "graph"
        return f"{self.settings.store_url}?{urllib.parse.urlencode({key: graph})}"

    def _send(self, method: str, url: str, body: BinaryIO | bytes | None, headers: dict[str, str]) -> bytes:
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=self.settings.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            raise ServerError(error.code, _server_message(error), url.split("?")[0]) from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(f"cannot reach the store at {url.split('?')[0]}: {reason}") from error


def _server_message(error: urllib.error.HTTPError) -> str:
    try:
        text = error.read().decode("utf-8", "replace")
    except OSError:
        text = ""
    text = " ".join(text.split()) or error.reason or "no message"
    text = text.split(" SPARQL query:")[0]  # Virtuoso echoes the whole query after its message
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT].rstrip() + " …"
