"""Namespaces, the predeclared prefixes (as a dict and as SPARQL text) and short names for terms."""

from __future__ import annotations

VET = "https://w3id.org/vetgraph/ontology#"
DATA = "https://w3id.org/vetgraph/id/"
GRAPH = "https://w3id.org/vetgraph/graph/"
SYSTEM_GRAPH = GRAPH + "system"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
ELI = "http://data.europa.eu/eli/ontology#"
CEASN = "https://purl.org/ctdlasn/terms/"
SH = "http://www.w3.org/ns/shacl#"

PREFIXES: dict[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "schema": SCHEMA,
    "eli": ELI,
    "ceasn": CEASN,
    "vet": VET,
}

def prefixed(iri: str) -> str:
    """'https://w3id.org/vetgraph/ontology#Major' -> 'Major'; other known vocabularies -> 'skos:Concept'."""
    if iri.startswith(VET):
        return iri[len(VET):]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


#: The predeclared prefixes as SPARQL text, one line, sent in front of every query and update so
#: a remote endpoint receives them; a query's own PREFIX declarations come after and win.
PROLOGUE = " ".join(f"PREFIX {prefix}: <{namespace}>" for prefix, namespace in PREFIXES.items()) + "\n"
PROLOGUE_LINES = PROLOGUE.count("\n")


def with_prologue(text: str) -> str:
    """``text`` with the predeclared prefixes in front."""
    return PROLOGUE + text
