"""Entity linking over the whole store: every mention resolved to catalogue nodes, with a stated alignment.

Policy industries (provision -> industry) and the names a 专业简介 lists (major -> industry,
occupation, certificate, next major) resolve by code, name, alias and rule (kg.align.names),
without a model; the majors and 专业类 a course standard names without a code resolve by name and the
standard's level (kg.align.major_names: course -> major, course -> 专业类). A certificate the 1+X
catalogue does not know becomes its own certificate node, flagged ``vet:outsideCatalogue``, so a
major's listed certificates are complete. Alignments whose
latest review is ``rejected`` are left out; an ``accepted`` review marks its alignment accepted.
What does not resolve stays a mention and is counted in the notes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pyoxigraph import NamedNode

from kg.align.aliases import default_certificate_aliases, default_industry_aliases
from kg.align.alignments import Link, link_triples, merge_link
from kg.align.catalogue import Catalogue
from kg.align.major_names import link_major_names
from kg.align.names import Candidate, resolve_certificate, resolve_industry, resolve_major, resolve_occupation
from kg.align.reviews import latest_decisions
from kg.core import iris
from kg.core.rdf import RDF_TYPE, Triple, boolean, string, term, vet, zh
from kg.resolve.base import Resolution
from kg.store.base import GraphStore

NAME = "links"
_SPACE = re.compile(r"\s+")
SKILL_SUFFIX = "职业技能等级证书"
#: The mention kinds this step resolves, and the alignment kind each gives from its owner.
KINDS = {"industry": "industry", "skill-certificate": "certificate", "qualification": "certificate",
         "occupation": "occupation", "next-major": "next-major"}
#: How 接续专业 levels are printed -> the level the major catalogue uses (普通本科 is outside it).
NEXT_LEVELS = {"高职本科": "职教本科", "职教本科": "职教本科", "高职专科": "高职专科", "中职": "中职"}

MENTIONS = """
SELECT DISTINCT ?mention ?kind ?term ?owner ?major ?level WHERE {
  ?mention a vet:Mention ; vet:mentionKind ?kind ; vet:matchedTerm ?term ; vet:mentionedIn ?owner .
  FILTER(?kind IN ("industry", "skill-certificate", "qualification", "occupation", "next-major"))
  OPTIONAL { ?owner vet:profileOf ?major }
  FILTER(BOUND(?major) || EXISTS { ?owner a vet:Provision })
  OPTIONAL { ?mention vet:statedLevel ?level }
} ORDER BY ?mention ?level"""
HAS_MAJOR_NAMES = 'ASK { ?mention a vet:Mention ; vet:mentionKind "major" }'


@dataclass(frozen=True)
class MentionRow:
    """A mention to resolve: what it names, and the node the link starts from (a provision or a major)."""

    iri: str
    kind: str
    term: str
    source: str
    source_kind: str  # provision | major
    levels: tuple[str, ...]  # the levels a 接续专业 is listed under (one mention may be listed under two)


def one_per_mention(rows: list[dict[str, str]]) -> list[MentionRow]:
    """One row per mention, its stated levels gathered (a next major listed under two levels is one mention)."""
    levels: dict[str, list[str]] = {}
    first: dict[str, dict[str, str]] = {}
    for row in rows:
        first.setdefault(row["mention"], row)
        if "level" in row:
            levels.setdefault(row["mention"], []).append(row["level"])
    out = []
    for mention, row in first.items():
        major = row.get("major")
        out.append(MentionRow(mention, row["kind"], row["term"], major or row["owner"],
                              "major" if major else "provision", tuple(levels.get(mention, ()))))
    return out


def link_mentions(store: GraphStore) -> Resolution:
    """The derived graph of every stated link, and notes counting what resolved and what did not."""
    mentions = one_per_mention(store.select(MENTIONS))
    if not mentions and not store.ask(HAS_MAJOR_NAMES):
        return Resolution(NAME, [])
    catalogue = Catalogue.load(store)
    decisions = latest_decisions(store)
    linker = _Linker(catalogue, decisions)
    for mention in mentions:
        linker.add(mention)
    majors = link_major_names(store, catalogue, decisions)
    linker.outcomes.update(majors.outcomes)
    linker.named_major_links = majors.links
    return Resolution(NAME, linker.triples() + majors.triples, linker.notes() + majors.notes)


class _Linker:
    """Collects links (one per source, target and kind, with all their evidence) and refersTo triples."""

    def __init__(self, catalogue: Catalogue, decisions: dict[str, str]) -> None:
        self.catalogue = catalogue
        self.decisions = decisions
        self.industry_aliases = default_industry_aliases()
        self.certificate_aliases = default_certificate_aliases()
        self.links: dict[str, Link] = {}
        self.refers: set[tuple[str, str]] = set()
        self.outside: dict[str, tuple[str, str, str]] = {}  # IRI -> (label, printed name, kind)
        self.outcomes: Counter[tuple[str, str]] = Counter()
        self.named_major_links = 0  # links of majors a course standard names without a code (kg.align.major_names)

    def add(self, mention: MentionRow) -> None:
        candidates = self._candidates(mention)
        if not candidates and mention.kind in ("skill-certificate", "qualification"):
            candidates = [self._outside_certificate(mention)]
        self.outcomes[mention.kind, "resolved" if candidates else "unresolved"] += 1
        for candidate in candidates:
            self._link(mention, candidate)

    def _candidates(self, mention: MentionRow) -> list[Candidate]:
        if mention.kind == "industry":
            return resolve_industry(mention.term, self.catalogue, self.industry_aliases)
        if mention.kind in ("skill-certificate", "qualification"):
            return resolve_certificate(mention.term, self.catalogue, self.certificate_aliases)
        if mention.kind == "occupation":
            return resolve_occupation(mention.term, self.catalogue)[:1]
        found: list[Candidate] = []
        for stated in mention.levels:
            level = NEXT_LEVELS.get(stated)
            if level is not None:  # 普通本科 majors are outside the vocational catalogue
                found += [c for c in resolve_major(mention.term, self.catalogue, level)[:1] if c not in found]
        return found

    def _outside_certificate(self, mention: MentionRow) -> Candidate:
        """A certificate node for a name the 1+X catalogue does not know: skill certificates get the full suffix."""
        name = _SPACE.sub("", mention.term)  # a line break inside a name is a PDF wart, not part of it
        label = name + SKILL_SUFFIX if mention.kind == "skill-certificate" and not name.endswith(SKILL_SUFFIX) else name
        node = iris.certificate(label).value
        self.outside.setdefault(node, (label, name, "skill" if mention.kind == "skill-certificate" else "qualification"))
        return Candidate(node, label, None, "name", 1.0, "exact")

    def _link(self, mention: MentionRow, candidate: Candidate) -> None:
        kind = f"{mention.source_kind}-{KINDS[mention.kind]}"
        draft = Link(kind=kind, source=mention.source, target=candidate.iri, method="stated",
                     resolved_by=candidate.resolved_by, score=candidate.score, strength=candidate.strength,
                     status="accepted", label=f"{mention.term} → {candidate.label}", evidence=(mention.iri,))
        if merge_link(self.links, draft, self.decisions):
            self.refers.add((mention.iri, candidate.iri))

    def triples(self) -> list[Triple]:
        out: list[Triple] = []
        for iri_, (label, printed, kind) in sorted(self.outside.items()):
            node = NamedNode(iri_)
            out += [(node, RDF_TYPE, vet("Certificate")), (node, term("skos:prefLabel"), zh(label)),
                    (node, vet("outsideCatalogue"), boolean(True)), (node, vet("certificateKind"), string(kind))]
            if printed != label:
                out.append((node, term("skos:altLabel"), zh(printed)))
        for mention, target in sorted(self.refers):
            out.append((NamedNode(mention), vet("refersTo"), NamedNode(target)))
        for link in sorted(self.links.values(), key=lambda item: item.iri):
            out += link_triples(link)
        return out

    def notes(self) -> list[str]:
        kinds = sorted({kind for kind, _ in self.outcomes})
        parts = [f"{kind} {self.outcomes[kind, 'resolved']}/{self.outcomes[kind, 'resolved'] + self.outcomes[kind, 'unresolved']}"
                 for kind in kinds]
        return [f"links: mentions resolved by kind: {', '.join(parts)}; {len(self.links) + self.named_major_links} stated alignments, "
                f"{len(self.outside)} certificates outside the 1+X catalogue"]
