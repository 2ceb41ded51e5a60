"""Course-standard records -> triples: the document, the college's own course, outcomes, modules, stated links."""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import NamedNode

from ingest.course_standard.records import (
    CertificateStatement, CompetitionStatement, CourseStandardDoc, MajorName, Module,
)
from kg.core import iris
from kg.core.rdf import PROV_DERIVED, RDF_TYPE, RDFS_LABEL, Triple, decimal, integer, string, term, vet, zh

OUTCOME_KINDS = ("knowledge", "skill", "attitude")


def course_iri(doc: CourseStandardDoc) -> NamedNode:
    """The college's own course: one per course standard, never merged with another college's."""
    return iris.college_course(iris.course_standard(doc.slug))


def module_iri(doc: CourseStandardDoc, order: int) -> NamedNode:
    return iris.course_module(course_iri(doc), order)


def _row(node: NamedNode, source: NamedNode, line: int) -> Iterator[Triple]:
    yield node, PROV_DERIVED, source
    yield node, vet("line"), integer(line)


def course_standard_to_triples(doc: CourseStandardDoc, source: NamedNode) -> Iterator[Triple]:
    """Every triple of one course standard, each node tied to its source file and line."""
    standard = iris.course_standard(doc.slug)
    course = course_iri(doc)
    yield standard, RDF_TYPE, vet("CourseStandard")
    yield standard, RDFS_LABEL, zh(doc.title)
    yield standard, term("dcterms:identifier"), string(doc.slug)
    yield standard, vet("describes"), course
    yield standard, PROV_DERIVED, source
    yield course, RDF_TYPE, vet("Course")
    yield course, term("skos:prefLabel"), zh(doc.course_name)
    if doc.course_code:
        yield course, term("skos:notation"), string(doc.course_code)
    if doc.nature:
        yield course, vet("courseNature"), string(doc.nature)
    if doc.hours is not None:
        yield course, vet("hours"), decimal(doc.hours)
    if doc.credits is not None:
        yield course, vet("credits"), decimal(doc.credits)
    if doc.description:
        yield course, term("dcterms:description"), zh(doc.description)
    yield from _row(course, source, doc.basic_info_line)
    for major in doc.majors:
        yield standard, vet("forMajor"), iris.major(major.code)
        yield course, vet("forMajor"), iris.major(major.code)
    if doc.level:  # the level the link step resolves majors named without a code at
        yield standard, vet("level"), string(doc.level)
    for named, occurrence in iris.occurrences(doc.major_names, lambda m: m.name):
        yield from _major_mention(named, occurrence, standard, source)
    if doc.institution:
        college = iris.institution(doc.institution)
        yield college, RDF_TYPE, vet("Institution")
        yield college, RDF_TYPE, vet("Organization")
        yield college, term("skos:prefLabel"), zh(doc.institution)
        yield college, PROV_DERIVED, source
        yield course, vet("offeredBy"), college
    for outcome in doc.outcomes:
        node = iris.learning_outcome(course, outcome.kind, outcome.order)
        yield node, RDF_TYPE, vet("LearningOutcome")
        yield node, RDF_TYPE, term("ceasn:Competency")
        yield node, vet("outcomeKind"), string(outcome.kind)
        yield node, vet("text"), zh(outcome.text)
        yield node, term("ceasn:competencyText"), zh(outcome.text)
        yield node, vet("position"), integer(outcome.order)
        yield course, vet("hasOutcome"), node
        yield from _row(node, source, outcome.line)
    for module in doc.modules:
        yield from _module(doc, module, course, source)
    certificates = iris.occurrences(doc.certificates, lambda s: iris.certificate_statement_key(s.name, s.level))
    for statement, occurrence in certificates:
        yield from _certificate_mention(doc, statement, occurrence, standard, source)
    for event, occurrence in iris.occurrences(doc.competitions, lambda s: s.name):
        yield from _competition(doc, event, occurrence, course, source)


def _module(doc: CourseStandardDoc, module: Module, course: NamedNode, source: NamedNode) -> Iterator[Triple]:
    node = module_iri(doc, module.order)
    yield node, RDF_TYPE, vet("CourseModule")
    yield node, term("skos:prefLabel"), zh(module.title)
    yield node, vet("position"), integer(module.order)
    if module.tasks:
        yield node, vet("tasks"), zh(module.tasks)
    if module.requirements:
        yield node, vet("requirements"), zh(module.requirements)
    if module.hours is not None:
        yield node, vet("hours"), decimal(module.hours)
    yield course, vet("hasModule"), node
    yield from _row(node, source, module.line)


def _major_mention(named: MajorName, occurrence: int, standard: NamedNode, source: NamedNode) -> Iterator[Triple]:
    """A major (or 专业类) named without a code: a mention the catalogue can resolve, never a guessed code."""
    node = iris.mention(standard, named.name, occurrence)
    yield node, RDF_TYPE, vet("Mention")
    yield node, vet("mentionKind"), string("major")
    yield node, vet("mentionedIn"), standard
    yield node, vet("matchedTerm"), zh(named.name)
    yield node, vet("spanText"), zh(named.name)
    yield node, RDFS_LABEL, zh(named.name + ("（专业类）" if named.category else ""))
    yield from _row(node, source, named.line)


def _span(node: NamedNode, text: str, name: str) -> Iterator[Triple]:
    start = text.find(name)
    start, end = (start, start + len(name)) if start >= 0 else (0, len(name))
    yield node, vet("spanText"), zh(name)
    yield node, vet("spanStart"), integer(start)
    yield node, vet("spanEnd"), integer(end)


def _certificate_mention(doc: CourseStandardDoc, statement: CertificateStatement, occurrence: int, standard: NamedNode,
                         source: NamedNode) -> Iterator[Triple]:
    """Kept as a mention: the resolution step links it to the certificate (level) the store knows."""
    node = iris.certificate_statement(standard, statement.name, statement.level, occurrence)
    yield node, RDF_TYPE, vet("Mention")
    yield node, vet("mentionKind"), string("certificate")
    yield node, vet("mentionedIn"), standard
    yield node, vet("matchedTerm"), zh(statement.name)
    yield node, RDFS_LABEL, zh(statement.name + (f"（{statement.level}）" if statement.level else ""))
    if statement.level:
        yield node, vet("statedLevel"), string(statement.level)
    yield from _span(node, statement.text, statement.name)
    for order in statement.modules:
        yield node, vet("evidence"), module_iri(doc, order)
    yield from _row(node, source, statement.line)


def _competition(doc: CourseStandardDoc, statement: CompetitionStatement, occurrence: int, course: NamedNode,
                 source: NamedNode) -> Iterator[Triple]:
    """A 赛项 has no catalogue: the competition node and its stated alignment come from the document."""
    event = iris.competition(statement.name)
    yield event, RDF_TYPE, vet("Competition")
    yield event, term("skos:prefLabel"), zh(statement.name)
    if statement.tier:
        yield event, vet("competitionSeries"), zh(statement.tier)
    yield event, PROV_DERIVED, source
    alignment = iris.competition_alignment(course, statement.name, occurrence)
    yield alignment, RDF_TYPE, vet("Alignment")
    yield alignment, vet("alignmentSource"), course
    yield alignment, vet("alignmentTarget"), event
    yield alignment, vet("method"), string("stated")
    yield alignment, vet("reviewStatus"), string("accepted")
    yield alignment, RDFS_LABEL, zh(statement.text[:120])
    for order in statement.modules:
        yield alignment, vet("evidence"), module_iri(doc, order)
    yield from _row(alignment, source, statement.line)
