"""What a hit shows: a snippet with the match marked 【】, its graph neighbours and where it was read from
(one query each for all hits), and which nodes a policy document holds (for ``--document``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.core import terms
from kg.query.documents import find_document
from kg.store.base import GraphStore

SNIPPET_WIDTH = 80
_PARTS = re.compile(r"[^\s,，。；;:：、!?！？\"'“”‘’()（）《》【】]+")

#: Neighbour relations in the order a hit lists them: (name, a SPARQL group binding ?o for ?s).
RELATIONS: tuple[tuple[str, str], ...] = (
    ("major", "?s a vet:Course ; vet:forMajor ?o"),
    ("teaching standard", "?o vet:hasCourse ?s"),
    ("course standard", "?o vet:describes ?s"),
    ("offered by", "?s vet:offeredBy ?o"),
    ("based on", "?s vet:basedOn ?o"),
    ("category", "?s a vet:Major ; skos:broader ?o"),
    ("category", "?s a vet:Major ; skos:broader/skos:broader ?o"),
    ("issued by", "?s vet:issuedBy ?o"),
    ("level", "?s vet:hasLevel ?o"),
    ("document", "?s a vet:Provision ; vet:inDocument ?o"),
    ("number", "?s a vet:Provision ; eli:number ?o"),
    ("parent", "?s a vet:Provision ; eli:is_part_of ?o FILTER NOT EXISTS { ?o a vet:PolicyDocument }"),
    ("group", "?s a vet:Occupation ; skos:broader ?o"),
    ("parent", "?s a vet:Industry ; skos:broader ?o"),
    ("course", "?o vet:hasOutcome ?s"),
    ("provision", "?s vet:statedIn ?o"),
    ("document", "?s vet:statedIn/vet:inDocument ?o"),
)
_ORDER = {name: i for i, (name, _) in reversed(list(enumerate(RELATIONS)))}
_GENERIC_TYPES = ("Organization",)


def snippet(text: str, query: str, *, width: int = SNIPPET_WIDTH, start: int = 0) -> str:
    """A window of ``text`` around its longest stretch in common with the query, marked 【】.

    Without any common stretch the window starts at ``start`` (where the best dense chunk begins).
    """
    found = best_match(text, query)
    if found is None:
        begin = max(0, min(start, len(text) - width))
        return _flat(("…" if begin else "") + text[begin:begin + width] + ("…" if begin + width < len(text) else ""))
    position, length = found
    begin = max(0, min(position - (width - length) // 3, len(text) - width))
    begin = 0 if begin <= 8 else begin  # no ellipsis for a few characters
    end = max(begin + width, position + length)
    return _flat(("…" if begin else "") + text[begin:position] + "【" + text[position:position + length] + "】"
                 + text[position + length:end] + ("…" if end < len(text) else ""))


def best_match(text: str, query: str) -> tuple[int, int] | None:
    """(offset, length) of the longest piece of a query word found in the text (case aside), earliest first."""
    haystack = _lower(text)
    best: tuple[int, int] | None = None
    for part in _PARTS.findall(_lower(query)):
        shortest = len(part) if part.isascii() else min(2, len(part))  # Latin words whole, CJK from 2 chars
        for length in range(len(part), shortest - 1, -1):
            if best is not None and length < best[1]:
                break
            positions = [p for i in range(len(part) - length + 1) if (p := haystack.find(part[i:i + length])) >= 0]
            if positions:
                if best is None or length > best[1] or min(positions) < best[0]:
                    best = (min(positions), length)
                break
    return best


def neighbours(store: GraphStore, iris: Iterable[str]) -> dict[str, list[dict[str, str]]]:
    """Each node's nearest graph neighbours ({"relation", "iri", "label", "type"}), from one SPARQL query."""
    wanted = list(dict.fromkeys(iris))
    if not wanted:
        return {}
    branches = " UNION ".join(f'{{ {pattern} BIND("{name}" AS ?relation) }}' for name, pattern in RELATIONS)
    rows = store.select(
        f"SELECT DISTINCT ?s ?relation ?o ?label ?type ?literal WHERE {{ "
        f"VALUES ?s {{ {' '.join(f'<{iri}>' for iri in wanted)} }} {branches} "
        f"BIND(isLiteral(?o) AS ?literal) "
        f"OPTIONAL {{ ?o vet:levelName ?level }} OPTIONAL {{ ?o skos:prefLabel ?pref }} "
        f"OPTIONAL {{ ?o eli:title ?title }} OPTIONAL {{ ?o rdfs:label ?plain }} "
        f"BIND(COALESCE(?level, ?pref, ?title, ?plain, IF(isLiteral(?o), STR(?o), \"\")) AS ?label) "
        f"OPTIONAL {{ ?o a ?type FILTER(STRSTARTS(STR(?type), STR(vet:))) }} }}")
    chosen: dict[tuple[str, str, str], dict[str, str]] = {}
    for row in rows:
        literal = row.get("literal") == "true"
        key = (row["s"], row["relation"], row["o"])
        kind = "" if literal else row.get("type", "").rsplit("#", 1)[-1]
        entry = {"relation": row["relation"], "iri": "" if literal else row["o"], "label": row.get("label", ""),
                 "type": kind}
        if key not in chosen or _better(entry, chosen[key]):
            chosen[key] = entry
    found: dict[str, list[dict[str, str]]] = {iri: [] for iri in wanted}
    for (iri, _, _), entry in chosen.items():
        found[iri].append(entry)
    for entries in found.values():
        entries.sort(key=lambda e: (_ORDER.get(e["relation"], len(_ORDER)), e["label"], e["iri"]))
    return found


def provenance(store: GraphStore, iris: Iterable[str]) -> dict[str, dict[str, object]]:
    """Each node's source file and line, {"file", "line"}: a provision's first line, a catalogue node's row, a
    target's provision's line; where several files describe a node, the first by path, the rest under "also"."""
    wanted = list(dict.fromkeys(iris))
    if not wanted:
        return {}
    rows = store.select(
        f"SELECT DISTINCT ?s ?path ?line WHERE {{ VALUES ?s {{ {' '.join(f'<{iri}>' for iri in wanted)} }} "
        f"GRAPH ?g {{ ?s prov:wasDerivedFrom ?source }} OPTIONAL {{ GRAPH ?g {{ ?s vet:line ?row }} }} "
        f"OPTIONAL {{ GRAPH ?g {{ ?s vet:lineStart ?start }} }} "
        f"OPTIONAL {{ GRAPH ?g {{ ?s vet:statedIn/vet:lineStart ?stated }} }} "
        f"GRAPH <{terms.SYSTEM_GRAPH}> {{ ?source vet:path ?path }} BIND(COALESCE(?row, ?start, ?stated) AS ?line) }}")
    places: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        line = row.get("line", "")
        entry: dict[str, object] = {"file": row["path"], "line": int(line) if line.isdigit() else None}
        if entry not in places.setdefault(row["s"], []):
            places[row["s"]].append(entry)
    found: dict[str, dict[str, object]] = {}
    for iri, entries in places.items():
        entries.sort(key=lambda e: (str(e["file"]), e["line"] is None, e["line"] or 0))
        found[iri] = dict(entries[0], also=entries[1:]) if len(entries) > 1 else entries[0]
    return found


def document_members(store: GraphStore, document: str) -> set[str]:
    """The provisions and targets of the policy document ``document`` names (its IRI or its file's path)."""
    iri = find_document(store, document)  # resolved as `export gaps --policy` resolves it
    rows = store.select(f"SELECT DISTINCT ?s WHERE {{ {{ ?s a vet:Provision ; vet:inDocument <{iri}> }} UNION "
                        f"{{ ?s a vet:Target ; vet:statedIn/vet:inDocument <{iri}> }} }}")
    return {row["s"] for row in rows}


def _better(new: dict[str, str], old: dict[str, str]) -> bool:
    """Between two rows for one neighbour: the specific type over a generic one, then the shorter label."""
    rank = (new["type"] in _GENERIC_TYPES, not new["type"], len(new["label"]), new["label"], new["type"])
    return rank < (old["type"] in _GENERIC_TYPES, not old["type"], len(old["label"]), old["label"], old["type"])


def _lower(text: str) -> str:
    """Lowercase that keeps every character at its offset."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _flat(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text)
