"""The store projected into networkx: core nodes, stated and accepted links (proposed ones on request) as edges.

Nodes are the industries, majors, courses, certificates, occupations and provisions, and the industry
mentions of policy provisions (so a path can start at the 清洁能源 a document names). Each node carries
``kind``, ``label`` and ``code``. Each edge carries its ``info`` (an EdgeInfo: relation, method, score,
strength, status, alignment IRI, evidence quote) and a ``cost`` for path ranking. Two nodes linked twice
keep the firmer link (an alignment before a bare statement, then the higher score). Everything is read
through ``GraphStore.select``, so a remote endpoint serves as well as the embedded store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from kg.align.reviews import latest_decisions
from kg.core import terms
from kg.graph.model import EdgeInfo, GraphSettings
from kg.store.base import GraphStore

NODES = """
SELECT DISTINCT ?node ?class ?label ?code WHERE {
  VALUES ?class { vet:Industry vet:Major vet:Course vet:Certificate vet:Occupation vet:OccupationGroup vet:Provision }
  ?node a ?class .
  OPTIONAL { ?node skos:prefLabel ?pref } OPTIONAL { ?node rdfs:label ?plain }
  BIND(COALESCE(?pref, ?plain) AS ?label)
  OPTIONAL { ?node skos:notation ?code }
}"""
PROVISION_TITLES = """
SELECT DISTINCT ?node ?document ?number ?heading ?title WHERE {
  ?node a vet:Provision ; vet:inDocument ?document .
  OPTIONAL { ?node eli:number ?number } OPTIONAL { ?node vet:heading ?heading }
  OPTIONAL { ?document eli:title ?title }
}"""
LEVELS = "SELECT DISTINCT ?certificate ?level WHERE { ?certificate vet:hasLevel ?level }"
STANDARD_COURSES = "SELECT DISTINCT ?course WHERE { ?standard a vet:CourseStandard ; vet:describes ?course }"
MENTIONS = """
SELECT DISTINCT ?mention ?term ?span ?provision ?industry ?text WHERE {
  ?mention a vet:Mention ; vet:mentionKind "industry" ; vet:mentionedIn ?provision ; vet:matchedTerm ?term ;
           vet:refersTo ?industry .
  ?provision a vet:Provision .
  OPTIONAL { ?mention vet:spanText ?span } OPTIONAL { ?provision vet:text ?text }
}"""
STATEMENTS = """
SELECT DISTINCT ?s ?p ?o WHERE {
  { ?s vet:forMajor ?o . ?s a vet:Course . BIND("forMajor" AS ?p) }
  UNION { ?s vet:preparesFor ?o . BIND("preparesFor" AS ?p) }
  UNION { ?s skos:broader ?o . ?s a vet:Industry . ?o a vet:Industry . BIND("broader" AS ?p) }
}"""
ALIGNMENTS = """
SELECT DISTINCT ?alignment ?source ?target ?kind ?method ?resolved ?score ?strength ?status ?label WHERE {
  ?alignment a vet:Alignment ; vet:alignmentSource ?source ; vet:alignmentTarget ?target .
  OPTIONAL { ?alignment vet:alignmentType ?kind } OPTIONAL { ?alignment vet:method ?method }
  OPTIONAL { ?alignment vet:resolvedBy ?resolved } OPTIONAL { ?alignment vet:score ?score }
  OPTIONAL { ?alignment vet:strength ?strength } OPTIONAL { ?alignment vet:reviewStatus ?status }
  OPTIONAL { ?alignment rdfs:label ?label }
}"""
EVIDENCE = """
SELECT DISTINCT ?alignment ?evidence ?span ?term ?line ?file ?owner WHERE {
  ?alignment a vet:Alignment ; vet:evidence ?evidence .
  OPTIONAL { ?evidence vet:spanText ?span } OPTIONAL { ?evidence vet:matchedTerm ?term }
  OPTIONAL { ?evidence vet:line ?line } OPTIONAL { ?evidence prov:wasDerivedFrom ?file }
  OPTIONAL { ?evidence vet:mentionedIn ?owner }
}"""
PLAIN_EVIDENCE = {"forMajor": "课程属于该专业（教学标准或人才培养方案）", "preparesFor": "专业面向该职业（职业面向）",
                  "broader": "GB/T 4754 行业分类的上下位"}


@dataclass(frozen=True)
class _Mention:
    iri: str
    term: str
    provision: str
    industries: tuple[str, ...]
    quote: str


def project(store: GraphStore, settings: GraphSettings | None = None) -> nx.Graph:
    """The projection of ``store`` (firm links only unless ``settings.include_proposed``)."""
    settings = settings or GraphSettings()
    graph = nx.Graph(settings=settings)
    levels = {row["level"]: row["certificate"] for row in store.select(LEVELS)}
    _add_nodes(store, graph)
    decisions = latest_decisions(store)
    files = {record.iri: record.path for record in store.sources().values()}
    mentions = _mentions(store)
    for mention in mentions.values():
        graph.add_node(mention.iri, kind="Mention", label=mention.term, code=None, standard=False,
                       provision=mention.provision)
        _add_edge(graph, EdgeInfo(mention.provision, mention.iri, "mentions", "stated", "name", 1.0, "exact",
                                  "accepted", None, mention.quote))
    evidence = _evidence(store, files, mentions)
    by_provision: dict[str, list[_Mention]] = {}
    for mention in mentions.values():
        by_provision.setdefault(mention.provision, []).append(mention)
    for row in sorted(store.select(ALIGNMENTS), key=lambda r: r["alignment"]):
        status = decisions.get(row["alignment"], row.get("status", "proposed"))
        method = row.get("method", "stated")
        score = float(row.get("score", "1"))
        firm = method in ("stated", "human") or status == "accepted"
        if status == "rejected" or not firm and not (settings.include_proposed and score >= settings.min_score):
            continue
        source, target = levels.get(row["source"], row["source"]), levels.get(row["target"], row["target"])
        quote = evidence.get(row["alignment"]) or row.get("label", "")
        info = EdgeInfo(source, target, row.get("kind", "alignment"), method, row.get("resolved", "name"), score,
                        row.get("strength", "exact"), status, row["alignment"], quote)
        _add_edge(graph, info)
        for mention in by_provision.get(source, ()) if row.get("kind") == "provision-industry" else ():
            if target in mention.industries:  # the mention this provision -> industry link was read from
                _add_edge(graph, EdgeInfo(mention.iri, target, "refersTo", method, info.resolved_by, score,
                                          info.strength, status, row["alignment"], mention.quote))
    for mention in mentions.values():  # a mention resolved by no stored alignment still refers to its classes
        for industry in mention.industries:
            if not graph.has_edge(mention.iri, industry):
                _add_edge(graph, EdgeInfo(mention.iri, industry, "refersTo", "stated", "alias", 1.0, "broad",
                                          "accepted", None, mention.quote))
    for row in store.select(STATEMENTS):
        if row["p"] == "broader" and not _numeric_code(graph, row["s"], row["o"]):
            continue
        _add_edge(graph, EdgeInfo(row["s"], row["o"], row["p"], "stated", "name", 1.0, "exact", "accepted", None,
                                  PLAIN_EVIDENCE[row["p"]]))
    return graph


def _add_nodes(store: GraphStore, graph: nx.Graph) -> None:
    standard = {row["course"] for row in store.select(STANDARD_COURSES)}
    found: dict[str, dict[str, object]] = {}
    for row in sorted(store.select(NODES), key=lambda r: (r["node"], r.get("label", ""))):
        kind = row["class"].removeprefix(terms.VET)
        kind = "Occupation" if kind == "OccupationGroup" else kind
        known = found.setdefault(row["node"], {"kind": kind, "label": row.get("label") or row["node"],
                                               "code": row.get("code"), "standard": row["node"] in standard})
        if row.get("label") and len(row["label"]) < len(str(known["label"])):
            known["label"] = row["label"]
    for row in store.select(PROVISION_TITLES):
        if row["node"] in found:
            name = " ".join(x for x in (row.get("number"), row.get("heading")) if x)
            found[row["node"]]["label"] = f"{row.get('title', '')} {name}".strip() or found[row["node"]]["label"]
            found[row["node"]]["document"] = row["document"]
    for iri in sorted(found):
        graph.add_node(iri, **found[iri])


def _add_edge(graph: nx.Graph, info: EdgeInfo) -> None:
    """Add ``info`` between two known nodes, keeping the firmer of two links between the same pair."""
    if info.source == info.target or info.source not in graph or info.target not in graph:
        return
    known = graph.get_edge_data(info.source, info.target)
    if known is not None and _rank(known["info"]) >= _rank(info):
        return
    graph.add_edge(info.source, info.target, info=info, cost=info.cost)


def _rank(info: EdgeInfo) -> tuple[bool, bool, float]:
    return info.firm, info.alignment is not None, info.score


def _numeric_code(graph: nx.Graph, *nodes: str) -> bool:
    """Both industries have numeric codes (门类 letters are left out: every class would meet there)."""
    return all(str(graph.nodes[n].get("code") or "").isdigit() for n in nodes if n in graph)


def _mentions(store: GraphStore) -> dict[str, _Mention]:
    rows: dict[str, list[dict[str, str]]] = {}
    for row in store.select(MENTIONS):
        rows.setdefault(row["mention"], []).append(row)
    return {iri: _Mention(iri, found[0]["term"], found[0]["provision"],
                          tuple(sorted({r["industry"] for r in found})),
                          sentence(found[0].get("text", ""), found[0].get("span") or found[0]["term"]))
            for iri, found in sorted(rows.items())}


def _evidence(store: GraphStore, files: dict[str, str], mentions: dict[str, _Mention]) -> dict[str, str]:
    """Alignment IRI -> its evidence as one quote: the sentence a provision names it in, or the mention's text
    with its file and line."""
    quotes: dict[str, list[str]] = {}
    for row in sorted(store.select(EVIDENCE), key=lambda r: (r["alignment"], r["evidence"])):
        if row["evidence"] in mentions:
            text = mentions[row["evidence"]].quote
        else:
            text = row.get("span") or row.get("term") or row["evidence"].rsplit("/", 1)[-1]
            place = files.get(row.get("file", ""), "")
            if place:
                text += f"（{place.rsplit('/', 1)[-1]}{':' + row['line'] if row.get('line') else ''}）"
        found = quotes.setdefault(row["alignment"], [])
        if text not in found and len(found) < 3:
            found.append(text)
    return {alignment: "；".join(texts) for alignment, texts in quotes.items()}


def sentence(text: str, term: str) -> str:
    """The sentence of ``text`` that names ``term`` (the whole term when the text does not hold it)."""
    at = text.find(term)
    if at < 0:
        return term
    start = max(text.rfind(mark, 0, at) for mark in "。；;\n") + 1
    ends = [e for e in (text.find(mark, at) for mark in "。；;\n") if e >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()


def nodes_of_kind(graph: nx.Graph, kinds: Iterable[str]) -> list[str]:
    """The nodes of the given kinds, sorted."""
    wanted = set(kinds)
    return sorted(n for n, kind in graph.nodes(data="kind") if kind in wanted)
