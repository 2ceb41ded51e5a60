"""The profile ingestor as the registry sees it: detected by its major blocks, one summary line per file."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode

from ingest.base import Ingestor, ParseResult
from ingest.profile.parser import PARSER_VERSION, parse_profile
from ingest.profile.records import MENTION_KINDS, ProfileDoc
from ingest.profile.signature import looks_like_profile
from ingest.profile.triples import profile_doc_to_triples
from ingest.readers import read_blocks
from kg.errors import SourceError

SUFFIXES = (".md", ".markdown", ".txt", ".docx")


def detect_profile(path: Path) -> str | None:
    """A 专业简介 has 专业代码 / 专业名称 blocks and the profile's own sections (or （略）)."""
    try:
        blocks = read_blocks(path)
    except SourceError as error:
        return error.reason
    if looks_like_profile(blocks):
        return None
    return "no 专业代码 / 专业名称 block followed by 职业面向, 培养目标定位 … or （略）"


def profile_counts(doc: ProfileDoc) -> dict[str, int]:
    """What a file gave: majors, （略） blocks, competencies, courses and names of each mention kind."""
    counts = {
        "majors": len(doc.profiles),
        "omitted": doc.omitted,
        "competencies": sum(len(p.competencies) for p in doc.profiles),
        "courses": sum(len(p.courses) for p in doc.profiles),
    }
    for kind in MENTION_KINDS:
        counts[kind] = sum(len(p.named(kind)) for p in doc.profiles)
    return counts


def summary_line(doc: ProfileDoc, counts: dict[str, int]) -> str:
    """E.g. 《4607汽车制造类》 profiles: 5 majors, 43 competencies, 70 courses, 11 certificates named, …"""
    omitted = f" ({counts['omitted']} （略）)" if counts["omitted"] else ""
    certificates = counts["skill-certificate"] + counts["qualification"]
    refused = sum(1 for r in doc.rejections if not r.kept)
    tail = f"; {refused} refused" if refused else ""
    return (f"《{doc.title}》 profiles: {counts['majors']} majors{omitted}, {counts['competencies']} competencies, "
            f"{counts['courses']} courses, {certificates} certificates named, {counts['occupation']} occupations, "
            f"{counts['position']} positions, {counts['industry']} industries, {counts['next-major']} next majors"
            f"{tail}")


def parse_profile_file(path: Path, source: NamedNode) -> ParseResult:
    doc = parse_profile(path)
    counts = profile_counts(doc)
    return ParseResult(triples=list(profile_doc_to_triples(doc, source)), document=None,
                       summary=summary_line(doc, counts), rejections=list(doc.rejections), counts=counts)


INGESTOR = Ingestor(
    kind="profile",
    description="专业简介 major profiles: competencies, courses, certificates, next majors (.md .txt .docx)",
    suffixes=SUFFIXES,
    parser_version=PARSER_VERSION,
    detect=detect_profile,
    parse=parse_profile_file,
)
