"""The page at / and at /sparql without a query: what this endpoint is and how to query it."""

from __future__ import annotations

from html import escape

from kg.core import terms

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>VETgraph SPARQL endpoint</title></head>
<body style="font-family: sans-serif; max-width: 52em; margin: 2em auto">
<h1>VETgraph SPARQL endpoint</h1>
<p>A SPARQL 1.1 Protocol endpoint over a VETgraph knowledge graph of Chinese vocational education.
{mode} Unauthenticated: keep it on localhost, or behind your own proxy.</p>
<p>Send a query to <code>{url}</code>: <code>GET {url}?query=…</code>, or <code>POST</code> it as
<code>application/x-www-form-urlencoded</code> (<code>query=…</code>) or as <code>application/sparql-query</code>.
The default graph is the union of all named graphs. Answers follow the <code>Accept</code> header
(or a <code>format</code> parameter): SPARQL results JSON, XML, CSV or TSV for SELECT and ASK; Turtle,
N-Triples, JSON-LD or RDF/XML for CONSTRUCT and DESCRIBE. A query stops after {timeout:g} s and
returns at most {rows} rows.</p>
<p>Predeclared prefixes (no need to write them):</p>
<pre>{prefixes}</pre>
<form action="{url}" method="get">
<textarea name="query" rows="8" cols="80">SELECT ?major ?name WHERE {{ ?major a vet:Major ; skos:prefLabel ?name }} LIMIT 10</textarea><br>
<select name="format">{options}</select> <button type="submit">Run</button>
</form>
</body></html>
"""
_FORMATS = ("json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml")


def help_page(url: str, *, allow_updates: bool, timeout_s: float, row_limit: int) -> bytes:
    """The HTML page, UTF-8."""
    mode = ("Updates are accepted (<code>update=…</code>, <code>application/sparql-update</code>)." if allow_updates
            else "Read only: updates are refused (403).")
    prefixes = "\n".join(f"PREFIX {prefix}: &lt;{escape(namespace)}&gt;" for prefix, namespace in terms.PREFIXES.items())
    options = "".join(f'<option value="{name}">{name}</option>' for name in _FORMATS)
    return _PAGE.format(mode=mode, url=escape(url), timeout=timeout_s, rows=row_limit, prefixes=prefixes,
                        options=options).encode("utf-8")
