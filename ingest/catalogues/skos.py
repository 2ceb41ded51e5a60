"""SKOS building blocks shared by the catalogue kinds: schemes and coded concepts."""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import NamedNode

from kg.core.rdf import RDF_TYPE, Triple, string, term, vet, zh


def scheme_triples(node: NamedNode, label_zh: str, label_en: str, source: NamedNode) -> Iterator[Triple]:
    """A skos:ConceptScheme with Chinese and English labels."""
    from pyoxigraph import Literal

    yield node, RDF_TYPE, term("skos:ConceptScheme")
    yield node, term("skos:prefLabel"), zh(label_zh)
    yield node, term("skos:prefLabel"), Literal(label_en, language="en")
    yield node, term("prov:wasDerivedFrom"), source


def concept_triples(node: NamedNode, cls: str, label: str, code: str | None, scheme: NamedNode,
                    broader: NamedNode | None = None, definition: str | None = None) -> Iterator[Triple]:
    """A vet: class that is also a skos:Concept, with label, code, scheme and parent."""
    yield node, RDF_TYPE, vet(cls)
    yield node, RDF_TYPE, term("skos:Concept")
    yield node, term("skos:prefLabel"), zh(label)
    if code:
        yield node, term("skos:notation"), string(code)
    yield node, term("skos:inScheme"), scheme
    if broader is None:
        yield node, term("skos:topConceptOf"), scheme
    else:
        yield node, term("skos:broader"), broader
    if definition:
        yield node, term("skos:definition"), zh(definition)
