"""Small helpers to build RDF terms (pyoxigraph) from the namespaces in kg.core.terms."""

from __future__ import annotations

from decimal import Decimal
from typing import Union

from pyoxigraph import BlankNode, Literal, NamedNode

from kg.core import terms

Subject = Union[NamedNode, BlankNode]
Term = Union[NamedNode, BlankNode, Literal]
Triple = tuple[Subject, NamedNode, Term]


def vet(local: str) -> NamedNode:
    return NamedNode(terms.VET + local)


def term(prefixed: str) -> NamedNode:
    """'eli:number' -> NamedNode for the predeclared prefixes."""
    prefix, _, local = prefixed.partition(":")
    return NamedNode(terms.PREFIXES[prefix] + local)


def zh(text: str) -> Literal:
    return Literal(text, language="zh")


def string(text: str) -> Literal:
    return Literal(text)


def integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=NamedNode(terms.XSD + "integer"))


def decimal(value: Decimal | int | float) -> Literal:
    text = format(Decimal(str(value)).normalize(), "f")
    return Literal(text if "." in text else text + ".0", datatype=NamedNode(terms.XSD + "decimal"))


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=NamedNode(terms.XSD + "boolean"))


def typed(value: str, xsd_local: str) -> Literal:
    return Literal(value, datatype=NamedNode(terms.XSD + xsd_local))


def in_force(value: bool) -> NamedNode:
    """ELI's in-force individuals: eli:InForce-inForce or eli:InForce-notInForce."""
    return term("eli:InForce-inForce" if value else "eli:InForce-notInForce")


RDF_TYPE = term("rdf:type")
RDFS_LABEL = term("rdfs:label")
PROV_DERIVED = term("prov:wasDerivedFrom")
