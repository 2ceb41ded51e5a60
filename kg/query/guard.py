"""What a user's query is before it reaches the store: its form, whether it is refused, its row cap.

Shared by the app's SPARQL console, the query runner and `vetgraph serve`. Keywords are looked
for with strings, IRIs and comments blanked out, so a 'DROP' inside a literal is only text.
"""

from __future__ import annotations

import re

from kg.errors import QueryRefused

UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

_LEXICAL = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                      r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*', re.DOTALL)
_DECLARATION = re.compile(r"^\s*(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)\s*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)", re.IGNORECASE)
_TRAILING_VALUES = re.compile(r"\bVALUES\b[^{}]*\{[^{}]*\}\s*$", re.IGNORECASE)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_LOAD = re.compile(r"\bLOAD\b", re.IGNORECASE)


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


def calls_service(text: str) -> bool:
    """Whether a query or update has a SERVICE clause (a call to another endpoint)."""
    return _SERVICE.search(blank_lexical(text)) is not None


def refusal(query: str) -> str | None:
    """Why ``query`` is not sent to a read-only store: "update", "service", or None."""
    if query_form(query) in UPDATE_WORDS:
        return "update"
    if calls_service(query):
        return "service"
    return None


def check_read_only(query: str) -> None:
    """Raise QueryRefused for an update or a SERVICE call (this store never calls another endpoint)."""
    reason = refusal(query)
    if reason == "update":
        raise QueryRefused(reason, "read only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP …) are refused")
    if reason == "service":
        raise QueryRefused(reason, "SERVICE is refused: this endpoint queries its own store and calls no other")


def check_update(update: str) -> None:
    """Raise QueryRefused for an update that would reach outside the store (SERVICE, or LOAD of a URL)."""
    blanked = blank_lexical(update)
    if _SERVICE.search(blanked):
        raise QueryRefused("service", "SERVICE is refused: this endpoint calls no other endpoint")
    if _LOAD.search(blanked):
        raise QueryRefused("load", "LOAD is refused: this endpoint fetches nothing; ingest files with `vetgraph ingest`")


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
