"""The course-standard ingestor as the registry sees it: detected by a score of positive evidence (``detection``)."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode

from ingest.base import Ingestor, ParseResult
from ingest.course_standard.detection import course_standard_evidence
from ingest.course_standard.parser import PARSER_VERSION, parse_course_standard
from ingest.course_standard.triples import course_standard_to_triples
from ingest.readers import read_blocks
from kg.core import iris
from kg.errors import SourceError

SUFFIXES = (".docx", ".pdf", ".md", ".markdown", ".txt")


def detect_course_standard(path: Path) -> str | None:
    """None when the evidence claims the file (a document that then lacks a required part is refused by
    the parser, naming it, rather than left to another kind); else what was found and looked for."""
    try:
        blocks = read_blocks(path)
    except SourceError as error:
        return error.reason
    evidence = course_standard_evidence(blocks)
    return None if evidence.claims else evidence.declined()


def parse_course_standard_file(path: Path, source: NamedNode) -> ParseResult:
    doc = parse_course_standard(path)
    triples = list(course_standard_to_triples(doc, source))
    counts = {"outcomes": len(doc.outcomes), "modules": len(doc.modules),
              "certificates": len(doc.certificates), "competitions": len(doc.competitions)}
    hours = f", {doc.hours} 学时" if doc.hours is not None else ""
    summary = (f"《{doc.course_name}》 course standard{hours}: {counts['outcomes']} outcomes, "
               f"{counts['modules']} modules, {counts['certificates']} certificates, "
               f"{counts['competitions']} competitions")
    return ParseResult(triples=triples, document=iris.course_standard(doc.slug).value, summary=summary,
                       counts=counts, rejections=list(doc.warnings))


INGESTOR = Ingestor(
    kind="course-standard",
    description="课程标准: basic information, objectives, modules, 岗课赛证 links (.docx .pdf .md .txt)",
    suffixes=SUFFIXES,
    parser_version=PARSER_VERSION,
    detect=detect_course_standard,
    parse=parse_course_standard_file,
)
