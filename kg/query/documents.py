"""Policy documents and their provisions as the app's policy reader shows them.

``list_documents`` gives one entry per document (title, legal status, date, source file);
``load_provisions`` a document's provisions in reading order with their depth in the tree,
their quantified targets and their mentions; ``filter_provisions`` narrows them by text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.core import terms
from kg.errors import VetgraphError
from kg.store.base import GraphStore

STATUS_LABELS = {"StatusDraft": "草案", "StatusInForce": "现行有效", "StatusSuperseded": "已被修订"}

DOCUMENTS_QUERY = f"""
SELECT ?doc ?title ?status ?date ?path WHERE {{
  ?doc a vet:PolicyDocument ; eli:title ?title .
  OPTIONAL {{ ?doc vet:legalStatus ?status }}
  OPTIONAL {{ ?doc eli:date_document ?date }}
  OPTIONAL {{ ?doc prov:wasDerivedFrom ?source . GRAPH <{terms.SYSTEM_GRAPH}> {{ ?source vet:path ?path }} }}
}} ORDER BY ?title"""


@dataclass
class Document:
    """One policy document as the selectbox shows it."""

    iri: str
    title: str
    status: str | None
    date: str | None
    path: str | None

    def label(self) -> str:
        status = STATUS_LABELS.get(terms.prefixed(self.status), terms.prefixed(self.status)) if self.status else None
        return " · ".join(part for part in (self.title, status, self.date) if part)


@dataclass(frozen=True)
class TargetView:
    """A quantified target of a provision: value (or range), unit, comparator and year as stated."""

    label: str
    value: str
    value_max: str | None
    unit: str
    comparator: str | None
    year: str | None

    @property
    def amount(self) -> str:
        """'70' or the range '3–5'."""
        return self.value + (f"–{self.value_max}" if self.value_max else "")


@dataclass(frozen=True)
class MentionView:
    """A term or industry a provision names, with its kind (initiative, industry …)."""

    text: str
    kind: str


@dataclass
class ProvisionView:
    """One provision with its place in the tree, its targets and its mentions."""

    iri: str
    label: str
    text: str
    line_start: int
    line_end: int
    order: int
    parent: str
    number: str | None = None
    heading: str | None = None
    depth: int = 0
    targets: list[TargetView] = field(default_factory=list)
    mentions: list[MentionView] = field(default_factory=list)

    @property
    def title(self) -> str:
        """Number and heading as printed ('第二十七条', '（二） 基本原则'), else the label."""
        return " ".join(part for part in (self.number, self.heading) if part) or self.label

    @property
    def lines(self) -> str:
        """The source line span: '12' or '12-18'."""
        return f"{self.line_start}" if self.line_start == self.line_end else f"{self.line_start}-{self.line_end}"


def list_documents(store: GraphStore) -> list[Document]:
    """Every policy document, one entry each, sorted by title."""
    seen: dict[str, Document] = {}
    for row in store.select(DOCUMENTS_QUERY):
        if row["doc"] not in seen:
            seen[row["doc"]] = Document(row["doc"], row["title"], row.get("status"), row.get("date"), row.get("path"))
    return list(seen.values())


def load_provisions(store: GraphStore, doc: str) -> list[ProvisionView]:
    """The document's provisions in document order, with depth, targets and mentions attached."""
    rows = store.select(f"""
        SELECT ?p ?label ?text ?start ?end ?order ?parent ?number ?heading WHERE {{
          ?p vet:inDocument <{doc}> ; rdfs:label ?label ; vet:text ?text ; vet:lineStart ?start ;
             vet:lineEnd ?end ; vet:order ?order ; eli:is_part_of ?parent .
          OPTIONAL {{ ?p eli:number ?number }} OPTIONAL {{ ?p vet:heading ?heading }}
        }}""")
    views = {r["p"]: ProvisionView(r["p"], r["label"], r["text"], int(r["start"]), int(r["end"]), int(r["order"]),
                                   r["parent"], r.get("number"), r.get("heading")) for r in rows}
    for view in views.values():
        view.depth = _depth(view, views)
    targets = store.select(f"""
        SELECT ?p ?label ?value ?max ?unit ?comparator ?year WHERE {{
          ?t a vet:Target ; vet:statedIn ?p ; rdfs:label ?label ; vet:targetValue ?value ; vet:unit ?unit ;
             vet:spanStart ?at .
          ?p vet:inDocument <{doc}> .
          OPTIONAL {{ ?t vet:targetValueMax ?max }} OPTIONAL {{ ?t vet:comparator ?comparator }}
          OPTIONAL {{ ?t vet:targetYear ?year }}
        }} ORDER BY ?p ?at""")
    for row in targets:  # a provision the first query did not return (missing its text, say) is skipped
        if (view := views.get(row["p"])) is not None:
            view.targets.append(TargetView(row["label"], row["value"], row.get("max"), row["unit"],
                                           row.get("comparator"), row.get("year")))
    mentions = store.select(f"""
        SELECT ?p ?text ?kind WHERE {{
          ?m a vet:Mention ; vet:mentionedIn ?p ; vet:spanText ?text ; vet:mentionKind ?kind ; vet:spanStart ?at .
          ?p vet:inDocument <{doc}> .
        }} ORDER BY ?p ?at""")
    for row in mentions:
        if (view := views.get(row["p"])) is not None:
            view.mentions.append(MentionView(row["text"], row["kind"]))
    return sorted(views.values(), key=lambda v: (v.line_start, v.depth, v.order))


def _depth(view: ProvisionView, views: dict[str, ProvisionView]) -> int:
    """Count eli:is_part_of hops up to the document."""
    depth, parent = 0, views.get(view.parent)
    while parent is not None and depth < 50:
        depth, parent = depth + 1, views.get(parent.parent)
    return depth


def filter_provisions(provisions: list[ProvisionView], needle: str) -> list[ProvisionView]:
    """Provisions whose text contains ``needle`` (case-insensitive); all of them for an empty needle."""
    needle = needle.strip().lower()
    return [p for p in provisions if needle in p.text.lower()] if needle else provisions


def find_document(store: GraphStore, document: str) -> str:
    """The IRI of the policy document ``document`` names: its IRI, or the path of its ingested file."""
    if document.startswith(("http://", "https://")):
        if store.ask(f"ASK {{ <{document}> a vet:PolicyDocument }}"):
            return document
        raise VetgraphError(f"no policy document <{document}> in the store")
    wanted = str(Path(document).expanduser().resolve())
    for path, record in store.sources().items():
        if path == wanted or record.path == wanted:
            if record.document:
                return record.document
            raise VetgraphError(f"{document}: ingested as {record.kind}, not as a policy document")
    known = sorted(r.path for r in store.sources().values() if r.document and r.kind == "policy")
    raise VetgraphError(f"{document}: not ingested into this store; policy documents here: "
                        + (", ".join(Path(p).name for p in known[:10]) or "none"))
