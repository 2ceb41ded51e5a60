"""`vetgraph validate`: SHACL shapes over the data graphs, violations printed one per line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.core import iris, terms
from kg.errors import VetgraphError
from kg.store.base import GraphStore
from kg.store.rdflib_view import as_rdflib_graph

if TYPE_CHECKING:
    import rdflib

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in the terms a person reads."""

    focus: str
    path: str
    message: str
    value: str
    severity: str

    def __str__(self) -> str:
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus} {self.path}: {self.message}{value}"


def validate_store(store: GraphStore, ontology_dir: Path = ONTOLOGY_DIR) -> list[Violation]:
    """Every SHACL violation in the union of the data graphs; an empty list means the graph conforms."""
    import rdflib
    from pyshacl import validate

    data = as_rdflib_graph(store)
    try:
        shapes = rdflib.Graph().parse(ontology_dir / "shapes.ttl", format="turtle")
        ontology = rdflib.Graph().parse(ontology_dir / "vetgraph.ttl", format="turtle")
    except (OSError, SyntaxError, ValueError) as error:
        raise VetgraphError(f"cannot read the ontology or shapes in {ontology_dir}: {error}") from error
    conforms, results, _ = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                    allow_warnings=True)
    if conforms:
        return []
    return sorted(_violations(results), key=lambda v: (v.focus, v.path, v.message))


def _violations(results: rdflib.Graph) -> list[Violation]:
    from rdflib import Namespace

    sh = Namespace(terms.SH)
    out = []
    for result in results.subjects(predicate=None, object=sh.ValidationResult):
        def get(predicate: object) -> str:
            value = results.value(result, predicate)
            return "" if value is None else str(value)

        out.append(Violation(
            focus=_short(get(sh.focusNode)),
            path=terms.prefixed(get(sh.resultPath)) if get(sh.resultPath) else "",
            message=get(sh.resultMessage) or terms.prefixed(get(sh.sourceConstraintComponent)),
            value=_short(get(sh.value)),
            severity=get(sh.resultSeverity).rsplit("#", 1)[-1].lower(),
        ))
    return out


def _short(iri: str) -> str:
    return iris.local_part(iri) if iris.is_data(iri) else terms.prefixed(iri)
