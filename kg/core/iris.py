"""The IRI scheme of every node kind: the one place an IRI is built from a code, a name or a parent.

Catalogue entries take their official codes (or a hash of their normalised name), so the same
major or occupation named by two files is one node; parts of a document hang under the
document's IRI. Graph, source and run IRIs name where statements live and which run wrote them.
Code that needs to read a code back out of an IRI uses the parsers at the end, never a split.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from pyoxigraph import NamedNode

from kg.core.levels import CERTIFICATE_LEVELS
from kg.core.names import normalise_name
from kg.core.terms import DATA, GRAPH

SOURCE = "https://w3id.org/vetgraph/source/"
RUN = "https://w3id.org/vetgraph/run/"
#: Every named graph that holds one source file's statements starts with this.
SOURCE_GRAPHS = f"{GRAPH}source/"
DERIVED_GRAPHS = f"{GRAPH}derived/"
TEACHING_STANDARDS = f"{DATA}teaching-standard/"

T = TypeVar("T")


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def occurrences(items: Iterable[T], key: Callable[[T], str]) -> Iterator[tuple[T, int]]:
    """Each item with its occurrence number (1, 2 …) among items whose keys normalise alike.

    Counted on ``normalise_name(key(item))``, the same key the content-keyed IRIs below hash, so
    two spellings of one name ('1+X', '1＋Ｘ') get occurrences 1 and 2 and never share an IRI.
    """
    seen: Counter[str] = Counter()
    for item in items:
        normalised = normalise_name(key(item))
        seen[normalised] += 1
        yield item, seen[normalised]


# -- catalogue entries ---------------------------------------------------------------------------
def scheme(name: str) -> NamedNode:
    return NamedNode(f"{DATA}scheme/{name}")


def major(code: str) -> NamedNode:
    return NamedNode(f"{DATA}major/{code}")


def major_category(code: str) -> NamedNode:
    return NamedNode(f"{DATA}major-category/{code}")


def industry(code: str) -> NamedNode:
    return NamedNode(f"{DATA}industry/{code}")


def occupation(code: str) -> NamedNode:
    """细类 and the 大/中/小类 groups share one namespace: a code names exactly one of them."""
    return NamedNode(f"{DATA}occupation/{code}")


def certificate(name: str) -> NamedNode:
    """By the normalised full name (职业技能等级证书 suffix included)."""
    return NamedNode(f"{DATA}certificate/{_short_hash(normalise_name(name))}")


def certificate_level(certificate_iri: NamedNode, level: str) -> NamedNode:
    """初级 / 中级 / 高级 of a certificate, under the certificate's IRI."""
    return NamedNode(f"{certificate_iri.value}/{CERTIFICATE_LEVELS[level]}")


def organization(name: str) -> NamedNode:
    return NamedNode(f"{DATA}organization/{_short_hash(normalise_name(name))}")


def teaching_standard(level: str, code: str) -> NamedNode:
    """The 专业教学标准 of one level token and major code."""
    return NamedNode(f"{TEACHING_STANDARDS}{level}/{code}")


def standard_course(major_code: str, name: str) -> NamedNode:
    """A course of a teaching standard: one per (major code, course name); codes are unique across levels."""
    return NamedNode(f"{DATA}course/{major_code}/{_short_hash(name)}")


def standard_occupation_mention(level: str, major_code: str, occupation_code: str, name: str) -> NamedNode:
    """One 职业面向 mention per (standard, stated code, printed name), under the standard's IRI."""
    return NamedNode(f"{teaching_standard(level, major_code).value}/occupation/{occupation_code}/{_short_hash(name)}")


def institution(name: str) -> NamedNode:
    return NamedNode(f"{DATA}institution/{_short_hash(normalise_name(name))}")


def competition(name: str) -> NamedNode:
    """A skills-competition event (赛项) by its normalised name."""
    return NamedNode(f"{DATA}competition/{_short_hash(normalise_name(name))}")


# -- course standards ----------------------------------------------------------------------------
def course_standard(slug: str) -> NamedNode:
    return NamedNode(f"{DATA}course-standard/{slug}")


def college_course(standard: NamedNode) -> NamedNode:
    """The college's own course a course standard describes (never merged with another college's)."""
    return NamedNode(f"{standard.value}/course")


def course_module(course: NamedNode, order: int) -> NamedNode:
    return NamedNode(f"{course.value}/module-{order}")


def learning_outcome(course: NamedNode, kind: str, order: int) -> NamedNode:
    return NamedNode(f"{course.value}/outcome-{kind}-{order}")


def certificate_statement_key(name: str, level: str | None) -> str:
    """What a stated certificate is keyed by (before normalising): its name and its level, if any."""
    return f"{name}|{level or ''}"


def certificate_statement(standard: NamedNode, name: str, level: str | None, occurrence: int) -> NamedNode:
    """A 岗课赛证 certificate a course standard names (a vet:Mention), keyed by name, level and occurrence."""
    key = normalise_name(certificate_statement_key(name, level))
    return NamedNode(f"{standard.value}/certificate/{_short_hash(key)}-{occurrence}")


def competition_alignment(course: NamedNode, name: str, occurrence: int) -> NamedNode:
    """A course's stated link to a 赛项, keyed by the event's name and its occurrence in the standard."""
    return NamedNode(f"{course.value}/competition/{_short_hash(normalise_name(name))}-{occurrence}")


# -- policy documents ----------------------------------------------------------------------------
def policy_document(slug: str) -> NamedNode:
    return NamedNode(f"{DATA}policy/{slug}")


def provision(document: NamedNode, path: str) -> NamedNode:
    """A provision by its path of parts under the document: 'chapter-1/article-3'."""
    return NamedNode(f"{document.value}/{path}")


def target(provision_iri: NamedNode, n: int) -> NamedNode:
    return NamedNode(f"{provision_iri.value}/target-{n}")


def mention(provision_iri: NamedNode, text: str, occurrence: int) -> NamedNode:
    """A term a provision names, keyed by its text and occurrence (not its position), so reviews survive edits."""
    return NamedNode(f"{provision_iri.value}/mention/{_short_hash(normalise_name(text))}-{occurrence}")


# -- major profiles (专业简介) ----------------------------------------------------------------------
def major_profile(code: str) -> NamedNode:
    """The 专业简介 of one major, by its code (K suffix kept)."""
    return NamedNode(f"{DATA}major-profile/{code}")


def competency_framework(code: str) -> NamedNode:
    """The 主要专业能力要求 of one major as a ceasn:CompetencyFramework."""
    return NamedNode(f"{DATA}competency-framework/{code}")


def competency(code: str, n: int) -> NamedNode:
    """The n-th competency statement of a major's framework."""
    return NamedNode(f"{competency_framework(code).value}/{n}")


def profile_mention(profile: NamedNode, kind: str, term: str) -> NamedNode:
    """A name a profile lists (an occupation, a certificate …), keyed by content so it survives re-ingest."""
    return NamedNode(f"{profile.value}/{kind}/{_short_hash(normalise_name(term))}")


# -- links the resolvers derive ------------------------------------------------------------------
ALIGNMENTS = f"{DATA}alignment/"
REVIEW_GRAPH = f"{GRAPH}reviews"


def alignment(source_iri: str, target_iri: str, kind: str) -> NamedNode:
    """The one alignment of ``kind`` (e.g. 'major-certificate') from a source to a target: deterministic."""
    return NamedNode(f"{ALIGNMENTS}{kind}/{_short_hash(source_iri + chr(10) + target_iri)}")


def review(alignment_iri: str, reviewer: str, at: str) -> NamedNode:
    """One review decision on an alignment, in the review graph."""
    return NamedNode(f"{DATA}review/{_short_hash(chr(10).join((alignment_iri, reviewer, at)))}")


def stated_alignment(mention_iri: str) -> NamedNode:
    """The alignment a stated mention becomes once it resolves (a course standard's certificate)."""
    return NamedNode(f"{mention_iri}/alignment")


def derived_alignment(mention_iri: str) -> NamedNode:
    """The proposed alignment that traces a link derived from a mention (a 细类 under a stated 小类)."""
    return NamedNode(f"{mention_iri}/derived")


# -- sources, graphs, runs -----------------------------------------------------------------------
def _path_digest(path: str) -> str:
    return hashlib.sha1(path.encode("utf-8")).hexdigest()[:16]


def source(path: str) -> str:
    """A stable IRI for a source file, from its resolved path."""
    return f"{SOURCE}{_path_digest(path)}"


def source_graph(path: str, sha256: str, parser_version: str) -> str:
    """The named graph of one version of a source file: new content or a new parser gets a new graph."""
    version = hashlib.sha1(f"{sha256}|{parser_version}".encode("utf-8")).hexdigest()[:12]
    return f"{SOURCE_GRAPHS}{_path_digest(path)}/{version}"


def rejection(source_iri: str, n: int) -> NamedNode:
    """The n-th refused or flagged row of a source, in the manifest."""
    return NamedNode(f"{source_iri}/rejection-{n}")


def derived_graph(name: str) -> str:
    """The graph a resolution step rebuilds against the whole store."""
    return f"{DERIVED_GRAPHS}{name}"


def run(run_id: str) -> str:
    """An ingest run (a prov:Activity) by its UUID."""
    return f"{RUN}{run_id}"


# -- reading codes back ----------------------------------------------------------------------------
def is_data(iri: str) -> bool:
    """True for the IRI of a VETgraph node (not a vocabulary term)."""
    return iri.startswith(DATA)


def local_part(iri: str) -> str:
    """A node IRI without the data namespace: 'major/460702'; other IRIs unchanged."""
    return iri[len(DATA):] if iri.startswith(DATA) else iri


def teaching_standard_major_code(standard_iri: str) -> str:
    """The major code of a teaching standard's IRI (``teaching_standard(level, code)``)."""
    if not standard_iri.startswith(TEACHING_STANDARDS):
        raise ValueError(f"not a teaching-standard IRI: {standard_iri}")
    return standard_iri.rsplit("/", 1)[-1]


def major_code(major_iri: str) -> str | None:
    """The code of a major's IRI, None for any other IRI."""
    prefix = f"{DATA}major/"
    return major_iri[len(prefix):] if major_iri.startswith(prefix) else None
