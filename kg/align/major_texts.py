"""What the store says about each major in words: its name, its profile's texts, its courses, its occupations.

Text suggestions (major -> industry, major -> certificate) compare these words with the catalogue's.
A major with no 专业简介 block still has its name, its teaching standard's courses and the 大典
occupations it prepares for, so every major of the catalogue gets a document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kg.store.base import GraphStore

#: How much each kind of text counts in a major's document: its own name most, a definition least.
WEIGHTS = {"name": 3.0, "orientation": 1.0, "goal": 0.5, "course": 1.0, "occupation": 1.0, "definition": 0.5}

QUERIES = {
    "name": "SELECT ?major ?text WHERE { ?major a vet:Major ; skos:prefLabel ?text }",
    "orientation": """SELECT ?major ?text WHERE { ?p a vet:MajorProfile ; vet:profileOf ?major ;
                      vet:occupationalOrientation ?text }""",
    "goal": "SELECT ?major ?text WHERE { ?p a vet:MajorProfile ; vet:profileOf ?major ; vet:trainingGoal ?text }",
    "course": "SELECT DISTINCT ?major ?text WHERE { ?c a vet:Course ; vet:forMajor ?major ; skos:prefLabel ?text }",
    "occupation": "SELECT DISTINCT ?major ?text WHERE { ?major vet:preparesFor ?o . ?o skos:prefLabel ?text }",
    "definition": "SELECT DISTINCT ?major ?text WHERE { ?major vet:preparesFor ?o . ?o skos:definition ?text }",
}

MajorTexts = dict[str, list[tuple[str, str]]]  # major IRI -> (kind, text) pairs


def major_texts(store: GraphStore, kinds: Iterable[str] = tuple(QUERIES),
                majors: Iterable[str] | None = None) -> MajorTexts:
    """Major IRI -> its texts by kind, in a stable order (kind, then text); only ``majors`` when given."""
    values = "" if majors is None else "VALUES ?major { " + " ".join(f"<{m}>" for m in sorted(set(majors))) + " } "
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for kind in kinds:
        query = QUERIES[kind].replace("WHERE {", "WHERE { " + values, 1)
        for row in store.select(query):
            out[row["major"]].append((kind, row["text"]))
    return {major: sorted(parts, key=lambda part: (list(QUERIES).index(part[0]), part[1]))
            for major, parts in sorted(out.items())}


def weighted(parts: list[tuple[str, str]], weights: dict[str, float] = WEIGHTS) -> list[tuple[str, float]]:
    """A major's texts with the weight of their kind."""
    return [(text, weights.get(kind, 0.0)) for kind, text in parts]
