"""Policy records -> RDF triples (ELI for the document tree, vet: for targets and mentions)."""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import NamedNode

from ingest.policy.records import PolicyDoc, Provision
from kg.core import iris
from kg.core.rdf import (PROV_DERIVED, RDF_TYPE, RDFS_LABEL, Triple, decimal, in_force, integer, string, term, typed,
                         vet, zh)


def provision_label(provision: Provision) -> str:
    """'第二十七条', '（二） 基本原则', '总体要求', or the preamble's name."""
    if provision.kind == "preamble":
        return "序言"
    parts = [p for p in (provision.number, provision.heading) if p]
    return " ".join(parts) if parts else provision.text.split("\n", 1)[0][:30]


def policy_to_triples(doc: PolicyDoc, source: NamedNode) -> Iterator[Triple]:
    """Every triple of one policy document, each node tied to its source file."""
    doc_iri = iris.policy_document(doc.slug)
    yield doc_iri, RDF_TYPE, vet("PolicyDocument")
    yield doc_iri, RDF_TYPE, term("eli:LegalResource")
    yield doc_iri, term("eli:title"), zh(doc.title)
    yield doc_iri, RDFS_LABEL, zh(doc.title)
    yield doc_iri, term("dcterms:identifier"), string(doc.slug)
    yield doc_iri, PROV_DERIVED, source
    if doc.status == "draft":
        # Non-drafts get their status (in force or superseded) from the resolution step.
        yield doc_iri, vet("legalStatus"), vet("StatusDraft")
        yield doc_iri, term("eli:in_force"), in_force(False)
    if doc.date:
        yield doc_iri, term("eli:date_document"), typed(doc.date, "date")
    for line in doc.history:
        yield doc_iri, vet("adoptionHistory"), zh(line)
    for provision in doc.provisions:
        yield from _provision_triples(provision, doc_iri, source)


def _provision_triples(provision: Provision, doc_iri: NamedNode, source: NamedNode) -> Iterator[Triple]:
    iri = iris.provision(doc_iri, provision.path)
    parent = iris.provision(doc_iri, provision.parent_path) if provision.parent_path else doc_iri
    yield iri, RDF_TYPE, vet("Provision")
    yield iri, RDF_TYPE, term("eli:LegalResourceSubdivision")
    yield iri, term("eli:is_part_of"), parent
    yield iri, vet("inDocument"), doc_iri
    if provision.number:
        yield iri, term("eli:number"), string(provision.number)
    if provision.heading:
        yield iri, vet("heading"), zh(provision.heading)
    yield iri, RDFS_LABEL, zh(provision_label(provision))
    yield iri, vet("provisionKind"), string(provision.kind)
    yield iri, vet("order"), integer(provision.order)
    yield iri, vet("text"), zh(provision.text)
    yield iri, vet("lineStart"), integer(provision.line_start)
    yield iri, vet("lineEnd"), integer(provision.line_end)
    yield iri, PROV_DERIVED, source
    for n, target in enumerate(provision.targets, start=1):
        node = iris.target(iri, n)
        yield node, RDF_TYPE, vet("Target")
        yield node, vet("statedIn"), iri
        yield node, vet("targetKind"), string(target.kind)
        yield node, vet("targetValue"), decimal(target.value)
        if target.value_max is not None:
            yield node, vet("targetValueMax"), decimal(target.value_max)
        yield node, vet("unit"), string(target.unit)
        if target.comparator:
            yield node, vet("comparator"), string(target.comparator)
        if target.comparator_text:
            yield node, vet("comparatorText"), zh(target.comparator_text)
        if target.year is not None:
            yield node, vet("targetYear"), typed(str(target.year), "gYear")
        if target.metric:
            yield node, vet("metric"), zh(target.metric)
        yield node, RDFS_LABEL, zh(f"{target.metric} {target.text}" if target.metric else target.text)
        yield from _span(node, target.text, target.start, target.end)
        yield node, PROV_DERIVED, source
    for mention, occurrence in iris.occurrences(provision.mentions, lambda m: m.text):
        node = iris.mention(iri, mention.text, occurrence)
        yield node, RDF_TYPE, vet("Mention")
        yield node, vet("mentionedIn"), iri
        yield node, vet("mentionKind"), string(mention.kind)
        yield node, vet("matchedTerm"), zh(mention.term)
        yield node, RDFS_LABEL, zh(mention.text)
        yield from _span(node, mention.text, mention.start, mention.end)
        yield node, PROV_DERIVED, source


def _span(node: NamedNode, text: str, start: int, end: int) -> Iterator[Triple]:
    yield node, vet("spanText"), zh(text)
    yield node, vet("spanStart"), integer(start)
    yield node, vet("spanEnd"), integer(end)
