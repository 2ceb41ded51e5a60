"""Profile records -> triples: the major's profile, its competency framework, its courses and the names it lists.

The major itself is the majors catalogue's node: a profile points at it and never restates its
type or labels. Courses take the teaching standard's IRI for (major code, name), so a course both
list is one node.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import NamedNode

from ingest.profile.records import ListedName, MajorProfile, ProfileDoc
from kg.core import iris
from kg.core.rdf import PROV_DERIVED, RDF_TYPE, RDFS_LABEL, Triple, boolean, integer, string, term, vet, zh

COURSE_LINKS = {"basic": vet("basicCourse"), "core": vet("coreCourse")}


def profile_doc_to_triples(doc: ProfileDoc, source: NamedNode) -> Iterator[Triple]:
    """Every triple of a profile file, each node tied to its source file and line."""
    for profile in doc.profiles:
        yield from profile_to_triples(profile, source)


def _provenance(node: NamedNode, source: NamedNode, line: int) -> Iterator[Triple]:
    yield node, PROV_DERIVED, source
    yield node, vet("line"), integer(line)


def profile_to_triples(profile: MajorProfile, source: NamedNode) -> Iterator[Triple]:
    """One major block: the vet:MajorProfile and everything it lists."""
    node = iris.major_profile(profile.code)
    major = iris.major(profile.code)
    yield node, RDF_TYPE, vet("MajorProfile")
    yield node, vet("profileOf"), major
    yield node, RDFS_LABEL, zh(f"{profile.name}专业简介")
    yield node, vet("majorCode"), string(profile.code)
    yield node, vet("majorName"), zh(profile.name)
    for predicate, value in (("studyYears", profile.study_years), ("occupationalOrientation", profile.orientation),
                             ("trainingGoal", profile.training_goal), ("practice", profile.practice)):
        if value:
            yield node, vet(predicate), zh(value)
    if profile.omitted:
        yield node, vet("profileOmitted"), boolean(True)
    yield from _provenance(node, source, profile.line)
    yield from _competencies(profile, major, source)
    for course in profile.courses:
        course_node = iris.standard_course(profile.code, course.name)
        yield course_node, RDF_TYPE, vet("Course")
        yield course_node, term("skos:prefLabel"), zh(course.name)
        yield course_node, vet("forMajor"), major
        yield from _provenance(course_node, source, course.line)
        yield node, COURSE_LINKS[course.kind], course_node
    for name in profile.names:
        yield from _mention(node, name, source)


def _competencies(profile: MajorProfile, major: NamedNode, source: NamedNode) -> Iterator[Triple]:
    if not profile.competencies:
        return
    framework = iris.competency_framework(profile.code)
    yield framework, RDF_TYPE, term("ceasn:CompetencyFramework")
    yield framework, term("ceasn:name"), zh(f"{profile.name}主要专业能力要求")
    yield framework, vet("frameworkOf"), major
    yield from _provenance(framework, source, profile.competencies_line or profile.competencies[0].line)
    for competency in profile.competencies:
        node = iris.competency(profile.code, competency.order)
        yield node, RDF_TYPE, term("ceasn:Competency")
        yield node, term("ceasn:competencyText"), zh(competency.text)
        yield node, term("ceasn:isPartOf"), framework
        yield node, term("ceasn:listID"), string(str(competency.order))
        yield node, vet("order"), integer(competency.order)
        yield from _provenance(node, source, competency.line)


def _mention(profile: NamedNode, name: ListedName, source: NamedNode) -> Iterator[Triple]:
    """A listed name kept as a vet:Mention, keyed by its content so re-ingesting keeps its IRI."""
    node = iris.profile_mention(profile, name.kind, name.term)
    yield node, RDF_TYPE, vet("Mention")
    yield node, vet("mentionKind"), string(name.kind)
    yield node, vet("matchedTerm"), zh(name.term)
    yield node, vet("spanText"), zh(name.text)
    yield node, vet("mentionedIn"), profile
    for level in name.levels:
        yield node, vet("statedLevel"), string(level)
    yield from _provenance(node, source, name.line)
