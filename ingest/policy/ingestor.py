"""The policy ingestor as the registry sees it: detection, parsing, triples, summary."""

from __future__ import annotations

import re
from pathlib import Path

from pyoxigraph import NamedNode

from ingest.base import Ingestor, ParseResult
from ingest.policy.numbering import match_numbering
from ingest.policy.parser import PARSER_VERSION, parse_policy
from ingest.policy.triples import policy_to_triples
from ingest.readers import READERS, read_blocks, read_lines
from kg.core import iris
from kg.errors import SourceError

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LETTER = re.compile(r"[A-Za-z\u4e00-\u9fff]")
MIN_CJK_SHARE = 0.3


def detect_policy(path: Path) -> str | None:
    """A Chinese text with numbered provisions that is neither a course standard nor a 专业简介 profile."""
    from ingest.course_standard.parser import looks_like_course_standard
    from ingest.profile.signature import looks_like_profile

    try:
        blocks = read_blocks(path)
        if looks_like_course_standard(blocks):
            return "it is a course standard (课程名称 with 课程代码, 学时 or 学分 before the content)"
        if looks_like_profile(blocks):
            return ("it is a 专业简介 profile (专业代码 / 专业名称 blocks with 职业面向, 培养目标定位 …), "
                    "not a policy document")
        if path.suffix.lower() not in (".txt", ".md", ".markdown"):
            return None
        lines = read_lines(path)
    except SourceError as error:
        return error.reason
    text = "".join(line.text for line in lines)
    letters = len(_LETTER.findall(text))
    if not letters or len(_CJK.findall(text)) / letters < MIN_CJK_SHARE:
        return "not mainly Chinese text"
    if not any(match_numbering(line.text.lstrip("# \u3000")) for line in lines):
        return "no numbered provisions (第一条, 一、, （一）, 1., - items)"
    return None


def parse_policy_file(path: Path, source: NamedNode) -> ParseResult:
    doc = parse_policy(path)
    triples = list(policy_to_triples(doc, source))
    counts = {
        "provisions": len(doc.provisions),
        "targets": sum(len(p.targets) for p in doc.provisions),
        "mentions": sum(len(p.mentions) for p in doc.provisions),
    }
    status = "draft" if doc.status == "draft" else "in force"
    summary = (f"《{doc.title}》 ({status}): {counts['provisions']} provisions, "
               f"{counts['targets']} targets, {counts['mentions']} mentions")
    return ParseResult(triples=triples, document=iris.policy_document(doc.slug).value, summary=summary, counts=counts)


INGESTOR = Ingestor(
    kind="policy",
    description="policy documents, laws and regulations, clause by clause (.txt .md .docx .pdf .html)",
    suffixes=tuple(READERS),
    parser_version=PARSER_VERSION,
    detect=detect_policy,
    parse=parse_policy_file,
)
