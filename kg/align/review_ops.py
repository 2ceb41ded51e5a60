"""Human review of alignments: decisions, links made by hand, listing, and export / import between stores.

Everything here only ever adds to the review graph (``iris.REVIEW_GRAPH``), in one update per call,
so linking, re-ingest and re-alignment never lose a decision. A decision on a computed suggestion
(a peer or text link `align suggest` makes on demand) carries the link's triples with it, and so
does a link made by hand (method and resolved_by ``human``): both are then visible to every query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse, serialize

from kg.align.alignments import Link, link_triples
from kg.align.reviews import DECISIONS, Review, review_triples, reviews
from kg.core import iris
from kg.core.rdf import RDF_TYPE, Triple, vet
from kg.core.terms import DATA
from kg.errors import VetgraphError
from kg.store.base import GraphStore

STRENGTHS = ("exact", "major", "minor", "broad", "narrow")
#: (source class, target class) -> the kind of a link made by hand between them.
HUMAN_KINDS = {
    ("Major", "Certificate"): "major-certificate",
    ("Major", "Industry"): "major-industry",
    ("Major", "Occupation"): "major-occupation",
    ("Major", "OccupationGroup"): "major-occupation",
    ("Major", "Major"): "major-next-major",
    ("Course", "Certificate"): "course-certificate",
    ("Course", "CertificateLevel"): "course-certificate",
    ("Provision", "Industry"): "provision-industry",
    ("Provision", "Major"): "provision-major",
    ("Provision", "Certificate"): "provision-certificate",
}
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
REVIEW_GRAPH = NamedNode(iris.REVIEW_GRAPH)


@dataclass(frozen=True)
class Recorded:
    """What one call wrote: the review, the alignment it decides on, and whether the link's triples came too."""

    alignment: str
    review: str
    decision: str
    at: str
    link_written: bool


@dataclass(frozen=True)
class ReviewRow:
    """One reviewed alignment with its latest decision, as `review --list` shows it."""

    alignment: str
    source: str
    source_label: str
    target: str
    target_label: str
    kind: str
    method: str
    decision: str
    reviewer: str
    at: str
    note: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def utc_now() -> str:
    """Now in UTC as an xsd:dateTime to the second: 2026-12-02T01:30:00Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- deciding --------------------------------------------------------------------------------------
def record_review(store: GraphStore, alignment_iri: str, decision: str, reviewer: str = "", note: str = "",
                  at: str | None = None) -> Recorded:
    """Add a decision on an alignment the store holds; refuses an IRI that is not a vet:Alignment there."""
    _check_iri(alignment_iri, "alignment")
    ends = _ends(store, alignment_iri)
    if ends is None:
        raise VetgraphError(f"<{alignment_iri}> is not an alignment in this store (a suggestion `align suggest` "
                            "computes is stored only once reviewed with its link; to link two nodes yourself: "
                            "`vetgraph review add --from IRI --to IRI`)")
    return _write(store, Review(alignment_iri, decision, reviewer, at or utc_now(), note, *ends), [])


def review_link(store: GraphStore, link: Link, decision: str, reviewer: str = "", note: str = "",
                at: str | None = None) -> Recorded:
    """A decision on a computed suggestion: its triples go with the review unless the store already holds it."""
    _check_link(link)
    review = Review(link.iri, decision, reviewer, at or utc_now(), note, link.source, link.target)
    if _ends(store, link.iri) is not None:
        return _write(store, review, [])
    return _write(store, review, link_triples(replace(link, status=decision)))


def add_human_link(store: GraphStore, source: str, target: str, strength: str = "exact", note: str = "",
                   reviewer: str = "", at: str | None = None) -> Recorded:
    """A link made by hand (method and resolved_by ``human``, score 1, accepted), kind from the ends' classes.

    When the store already holds the alignment of that source, target and kind (a stated link, say),
    no second node is made: an accepted review of it is recorded instead.
    """
    _check_iri(source, "source")
    _check_iri(target, "target")
    if source == target:
        raise VetgraphError(f"a link needs two different nodes; both ends are <{source}>")
    if strength not in STRENGTHS:
        raise VetgraphError(f"unknown strength '{strength}'; known: {', '.join(STRENGTHS)}")
    kind = human_kind(_classes(store, source), _classes(store, target))
    labels = node_labels(store, [source, target])
    link = Link(kind=kind, source=source, target=target, method="human", resolved_by="human", score=1.0,
                strength=strength, status="accepted", label=f"{labels[source]} → {labels[target]}")
    return review_link(store, link, "accepted", reviewer, note, at)


def human_kind(source_classes: Iterable[str], target_classes: Iterable[str]) -> str:
    """The alignment kind of a link made by hand between nodes of these classes; refuses an unknown pair."""
    sources, targets = set(source_classes), set(target_classes)
    for (source, target), kind in HUMAN_KINDS.items():
        if source in sources and target in targets:
            return kind
    known = "; ".join(f"{s} → {t} ({k})" for (s, t), k in HUMAN_KINDS.items())
    raise VetgraphError(f"cannot link {'/'.join(sorted(sources))} → {'/'.join(sorted(targets))} by hand; "
                        f"known: {known}")


def _write(store: GraphStore, review: Review, link: list[Triple]) -> Recorded:
    """The review (and the link's triples) in one update; refuses a second review of one alignment at one time."""
    _check_time(review.at)
    clash = (f"ASK {{ GRAPH <{iris.REVIEW_GRAPH}> {{ ?r vet:reviewOf <{review.alignment}> ; vet:reviewedAt ?t . "
             f'FILTER(?t = "{review.at}"^^xsd:dateTime) }} }}')
    if store.ask(clash):
        raise VetgraphError(f"<{review.alignment}> already has a review at {review.at}; reviews of one alignment "
                            "need different times (try again in a second)")
    triples = review_triples(review)  # refuses an unknown decision
    _insert(store, link + triples)
    return Recorded(review.alignment, triples[0][0].value, review.decision, review.at, bool(link))


def _insert(store: GraphStore, triples: Iterable[Triple]) -> None:
    body = "\n".join(f"{s} {p} {o} ." for s, p, o in triples)
    store.update(f"INSERT DATA {{ GRAPH <{iris.REVIEW_GRAPH}> {{\n{body}\n}} }}")


def _check_iri(value: str, what: str) -> None:
    if not _IRI.match(value):
        raise VetgraphError(f"{what} '{value}' is not an IRI (https://…)")


def _check_time(at: str) -> None:
    """An xsd:dateTime with its time zone (times without one do not order against those with one)."""
    try:
        datetime.fromisoformat(at)
    except ValueError:
        valid = False
    else:
        valid = bool(_DATETIME.match(at))
    if not valid:
        raise VetgraphError(f"review time '{at}' is not an xsd:dateTime with a time zone (2026-12-02T01:30:00Z)")


def _instant(at: str) -> datetime:
    """A review time as a point in time, for ordering (times in other zones or without one included)."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _check_link(link: Link) -> None:
    for what, value in (("source", link.source), ("target", link.target), *(("evidence", e) for e in link.evidence)):
        _check_iri(value, f"link {what}")
    if link.strength not in STRENGTHS:
        raise VetgraphError(f"unknown strength '{link.strength}'; known: {', '.join(STRENGTHS)}")
    if not link.kind or not link.method or not 0 <= link.score <= 1:
        raise VetgraphError(f"link <{link.iri}> needs a kind, a method and a score between 0 and 1")


def _ends(store: GraphStore, alignment: str) -> tuple[str, str] | None:
    """(source, target) of an alignment the store holds, None when it holds none of that IRI."""
    rows = store.select(f"SELECT ?s ?t WHERE {{ <{alignment}> a vet:Alignment . "
                        f"OPTIONAL {{ <{alignment}> vet:alignmentSource ?s }} "
                        f"OPTIONAL {{ <{alignment}> vet:alignmentTarget ?t }} }} LIMIT 1")
    return (rows[0].get("s", ""), rows[0].get("t", "")) if rows else None


def _classes(store: GraphStore, node: str) -> list[str]:
    rows = store.select(f"SELECT DISTINCT ?c WHERE {{ <{node}> a ?c . FILTER(STRSTARTS(STR(?c), STR(vet:))) }}")
    if not rows:
        raise VetgraphError(f"no node <{node}> in the store")
    return [row["c"].rsplit("#", 1)[-1] for row in rows]


# -- reading ---------------------------------------------------------------------------------------
LABELS = """
SELECT ?node ?label WHERE {{
  VALUES ?node {{ {nodes} }}
  OPTIONAL {{ ?node skos:prefLabel ?pref }} OPTIONAL {{ ?node ceasn:name ?named }}
  OPTIONAL {{ ?node vet:heading ?heading }} OPTIONAL {{ ?node eli:number ?number }}
  OPTIONAL {{ ?node rdfs:label ?plain }}
  BIND(COALESCE(?pref, ?named, ?heading, ?number, ?plain) AS ?label)
}}"""
ALIGNMENTS = """
SELECT ?alignment ?source ?target ?kind ?method WHERE {{
  VALUES ?alignment {{ {alignments} }}
  ?alignment a vet:Alignment .
  OPTIONAL {{ ?alignment vet:alignmentSource ?source }} OPTIONAL {{ ?alignment vet:alignmentTarget ?target }}
  OPTIONAL {{ ?alignment vet:alignmentType ?kind }} OPTIONAL {{ ?alignment vet:method ?method }}
}}"""


def node_labels(store: GraphStore, nodes: Iterable[str]) -> dict[str, str]:
    """Node IRI -> its name (a label, a framework's name, a provision's heading or number); the IRI if none."""
    wanted = sorted({n for n in nodes if n})
    found: dict[str, str] = {}
    for row in store.select(LABELS.format(nodes=" ".join(f"<{n}>" for n in wanted))) if wanted else []:
        if "label" in row and (row["node"] not in found or row["label"] < found[row["node"]]):
            found[row["node"]] = row["label"]
    return {node: found.get(node, node) for node in wanted}


def alignment_kind(iri: str, stated: str = "") -> str:
    """An alignment's kind as stated, else read from an ``iris.alignment`` IRI ('' for other IRIs)."""
    if stated or not iri.startswith(iris.ALIGNMENTS):
        return stated
    return iri[len(iris.ALIGNMENTS):].split("/", 1)[0]


def list_reviews(store: GraphStore, status: str | None = None) -> list[ReviewRow]:
    """Every reviewed alignment with its latest decision (optionally only ``status``), oldest decision first."""
    if status is not None and status not in DECISIONS:
        raise VetgraphError(f"unknown review status '{status}'; known: {', '.join(DECISIONS)}")
    latest: dict[str, Review] = {}
    for review in reviews(store):
        latest[review.alignment] = review
    chosen = [r for r in latest.values() if status is None or r.decision == status]
    if not chosen:
        return []
    facts: dict[str, dict[str, str]] = {}
    for row in store.select(ALIGNMENTS.format(alignments=" ".join(f"<{r.alignment}>" for r in chosen))):
        facts.setdefault(row["alignment"], row)
    ends = {r.alignment: (facts.get(r.alignment, {}).get("source", r.source),
                          facts.get(r.alignment, {}).get("target", r.target)) for r in chosen}
    labels = node_labels(store, [end for pair in ends.values() for end in pair])
    rows = []
    for review in sorted(chosen, key=lambda r: (_instant(r.at), r.alignment)):
        source, target = ends[review.alignment]
        known = facts.get(review.alignment, {})
        rows.append(ReviewRow(review.alignment, source, labels.get(source, ""), target, labels.get(target, ""),
                              alignment_kind(review.alignment, known.get("kind", "")), known.get("method", ""),
                              review.decision, review.reviewer, review.at, review.note))
    return rows


# -- export and import -----------------------------------------------------------------------------
def export_reviews(store: GraphStore) -> bytes:
    """The review graph as N-Quads, one statement a line, sorted: the same reviews give the same bytes."""
    quads = list(store.quads(graph=iris.REVIEW_GRAPH))
    lines = serialize(quads, format=RdfFormat.N_QUADS).decode("utf-8").splitlines() if quads else []
    return "".join(f"{line}\n" for line in sorted(set(lines))).encode("utf-8")


#: What an imported node may say, by its class: the properties review_triples and link_triples write.
IMPORTABLE = {
    "Review": ("a review", f"{DATA}review/", {"reviewOf", "decision", "reviewedAt", "reviewer", "note",
                                            "reviewedSource", "reviewedTarget"}),
    "Alignment": ("an alignment", iris.ALIGNMENTS, {"alignmentSource", "alignmentTarget", "alignmentType", "method",
                                                  "resolvedBy", "score", "strength", "reviewStatus", "evidence"}),
}
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def import_reviews(store: GraphStore, data: bytes, *, name: str = "reviews") -> int:
    """Merge an export of another store's review graph into this one, all or nothing; returns the new statements.

    Every line must be a quad in the review graph about a vet:Review or vet:Alignment node (the
    properties those have, nothing else); a refused file names its first bad line (``name:line``).
    A link this store already holds is not copied again (its reviews are); importing the same file
    twice adds nothing the second time.
    """
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise VetgraphError(f"{name}: not UTF-8 (byte {error.start}); expected N-Quads from `export reviews`") from None
    existing = set(store.quads(graph=iris.REVIEW_GRAPH))
    classes = {q.subject.value: q.object.value.rsplit("#", 1)[-1] for q in existing if q.predicate == RDF_TYPE}
    decided = {q.subject.value: q.object.value for q in existing if q.predicate == vet("decision")}
    read: list[tuple[int, Quad]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            quad = _read_quad(line, f"{name}:{number}")
            read.append((number, quad))
            if quad.predicate == RDF_TYPE and isinstance(quad.object, NamedNode):
                cls = quad.object.value.rsplit("#", 1)[-1] if quad.object.value.startswith(vet("").value) else ""
                if classes.setdefault(quad.subject.value, cls) != cls:
                    raise VetgraphError(f"{name}:{number}: <{quad.subject.value}> would be both a "
                                        f"vet:{classes[quad.subject.value]} and <{quad.object.value}>")
    for number, quad in read:
        _check_quad(quad, classes, decided, f"{name}:{number}")
    held = _held(store, {q.subject.value for _, q in read if classes[q.subject.value] == "Alignment"})
    new = list(dict.fromkeys(q for _, q in read if q not in existing and q.subject.value not in held))
    if new:
        _insert(store, ((q.subject, q.predicate, q.object) for q in new))
    return len(new)


def _held(store: GraphStore, alignments: set[str]) -> set[str]:
    """The alignments this store already holds: their reviews merge, but no second copy of the link is made."""
    if not alignments:
        return set()
    values = " ".join(f"<{a}>" for a in sorted(alignments))
    return {row["a"] for row in store.select(f"SELECT DISTINCT ?a WHERE {{ VALUES ?a {{ {values} }} ?a a vet:Alignment }}")}


def _read_quad(line: str, where: str) -> Quad:
    try:
        quads = list(parse(line.encode("utf-8"), format=RdfFormat.N_QUADS))
    except SyntaxError as error:
        raise VetgraphError(f"{where}: not an N-Quads statement: {' '.join(str(error).split())}") from None
    if len(quads) != 1:
        raise VetgraphError(f"{where}: expected one N-Quads statement, found {len(quads)}")
    quad = quads[0]
    if quad.graph_name != REVIEW_GRAPH:
        graph = f"<{quad.graph_name.value}>" if isinstance(quad.graph_name, NamedNode) else "the default graph"
        raise VetgraphError(f"{where}: the statement is in {graph}, not the review graph <{iris.REVIEW_GRAPH}>; "
                            "only reviews can be imported")
    if any(isinstance(term, BlankNode) for term in (quad.subject, quad.object)):
        raise VetgraphError(f"{where}: blank nodes cannot be merged; reviews name every node by IRI")
    return quad


def _check_quad(quad: Quad, classes: dict[str, str], decided: dict[str, str], where: str) -> None:
    """A quad about a review or an alignment, with one of the properties that class has."""
    subject = quad.subject.value
    cls = classes.get(subject, "")
    if cls not in IMPORTABLE:
        raise VetgraphError(f"{where}: <{subject}> is not a vet:Review or vet:Alignment; only reviews and the "
                            "links they decide on can be imported")
    what, prefix, allowed = IMPORTABLE[cls]
    if not subject.startswith(prefix):
        raise VetgraphError(f"{where}: {what} IRI starts with {prefix}; <{subject}> does not")
    predicate = quad.predicate.value
    local = predicate[len(vet("").value):] if predicate.startswith(vet("").value) else ""
    if quad.predicate != RDF_TYPE and local not in allowed and not (cls == "Alignment" and predicate == _LABEL):
        raise VetgraphError(f"{where}: a vet:{cls} does not take <{predicate}>")
    if local == "decision":
        if quad.object.value not in DECISIONS:
            raise VetgraphError(f"{where}: unknown decision '{quad.object.value}'; known: {', '.join(DECISIONS)}")
        if decided.setdefault(subject, quad.object.value) != quad.object.value:
            raise VetgraphError(f"{where}: review <{subject}> already says {decided[subject]}; "
                                "a review is never changed, only followed by a later one")

