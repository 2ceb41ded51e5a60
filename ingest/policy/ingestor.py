"""The policy ingestor as the registry sees it: detection, parsing, triples, summary.

Detection is positive, never a catch-all: a document is a policy when its clues reach ``NEEDED``.
Clues: a title naming a policy instrument (…法, 条例, 办法, 规定, 意见, 方案, 规划, 通知, 决定, 纲要,
措施, 细则, 计划 …) 3; 第X条 articles 3; an adoption, issuing or 文号 line 2; chapter-like numbering
(第X章, 一、, （一）) with policy wording (应当, 推进, 完善, 保障措施 …) 2, else numbered provisions 1.
So a titled notice with numbered points is a policy; numbered text under no such title needs more. Before that, what is plainly
another kind of document is declined by name: a course standard, a 专业简介 profile, a meeting note,
a textbook chapter.
"""

from __future__ import annotations

import re
from pathlib import Path

from pyoxigraph import NamedNode

from ingest.base import Evidence, Ingestor, ParseResult
from ingest.policy.numbering import match_numbering
from ingest.policy.parser import PARSER_VERSION, parse_policy
from ingest.policy.triples import policy_to_triples
from ingest.readers import READERS, Block, read_blocks, read_lines
from kg.core import iris
from kg.core.records import SourceLine
from kg.errors import SourceError

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LETTER = re.compile(r"[A-Za-z\u4e00-\u9fff]")
MIN_CJK_SHARE = 0.3
NEEDED = 4
TITLE_LINES = 5
MAX_TITLE = 80
INSTRUMENT = re.compile(
    r"(?:(?<![方算语写做手技疗用看说想解证画笔])法|条例|办法|规定|意见|方案|规划|通知|决定|纲要|措施|细则|计划|规则|"
    r"章程|指南|公告|通告|决议|批复|要点|意见的通知)(?:[（(][^（）()]{1,12}[）)])*$"
)
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[【［(（]\s*\d{4}\s*[〕\]】］)）]\s*\d+\s*号")
ISSUED = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,60}(?:通过|修订|修正|批准|公布|施行|发布|印发)"
    r"|(?:人民政府|人民代表大会|常务委员会|办公厅|办公室|教育厅|教育局|委员会|教育部|人力资源和社会保障)[^。]{0,10}(?:印发|发布|公布)"
)
ARTICLE = re.compile(r"^第[零〇一二三四五六七八九十百千\d]+条")
POLICY_WORDS = ("人民政府", "应当", "鼓励", "支持", "加强", "推进", "推动", "完善", "健全", "建立", "落实", "深化",
                "统筹", "保障措施", "总体要求", "指导思想", "基本原则", "工作目标", "主要任务", "重点任务", "组织领导",
                "组织实施", "贯彻", "部署", "各地", "各级", "主管部门", "职责")
MEETING_FIELD = re.compile(r"^(?:会议)?(?:时间|地点|主持人|主持|参会人员|出席人员|参加人员|出席|列席|记录人|记录|议题|会议议题)\s*[：:]")
MEETING_TITLE = re.compile(r"(?:会议)?纪要$|会议记录$|会议纪要")
CHAPTER = re.compile(r"^第[一二三四五六七八九十\d]+章")
TEXTBOOK_MARK = re.compile(r"^(?:本章小结|本章要点|习题|思考题|复习思考题|思考与练习|练习题|课后练习|课后习题|学习目标|本章导读)"
                           r"(?:[\d一二三四五六七八九十.．、\s]|$)")
#: Course-standard clues that no policy has: a title calling itself a 课程标准, basic-information keys.
LOOKALIKE_CLUES = ("the title", "a title calling itself", "basic-information keys")
LOOKED_FOR = "a title naming a policy instrument (法, 条例, 办法, 意见, 方案, 通知 …), 第X条 articles, an issuing or 文号 line"


def detect_policy(path: Path) -> str | None:
    """None when the positive evidence claims the file as a policy document, else why not."""
    try:
        blocks = read_blocks(path)
        lines = read_lines(path)
    except SourceError as error:
        return error.reason
    other = other_kind(blocks, lines)
    if other:
        return other
    text = "".join(line.text for line in lines)
    letters = len(_LETTER.findall(text))
    if not letters or len(_CJK.findall(text)) / letters < MIN_CJK_SHARE:
        return "not mainly Chinese text"
    if not any(match_numbering(strip_marks(line.text)) for line in lines):
        return "no numbered provisions (第一条, 一、, （一）, 1., - items)"
    evidence = policy_evidence(lines)
    return None if evidence.claims else evidence.declined()


def other_kind(blocks: list[Block], lines: list[SourceLine]) -> str | None:
    """Why the document is plainly something else (course standard, profile, meeting note, textbook), or None."""
    from ingest.course_standard.detection import course_standard_evidence
    from ingest.profile.signature import looks_like_profile, profile_sections

    standard = course_standard_evidence(blocks)
    if standard.claims:
        return f"it is a course standard ({standard.found()}), not a policy document"
    if any(clue.startswith(LOOKALIKE_CLUES) for clue, _ in standard.clues):  # headings alone may be a reform policy's
        return f"it looks like a course standard ({standard.found()}), not a policy document"
    if looks_like_profile(blocks):
        return ("it is a 专业简介 profile (专业代码 / 专业名称 blocks with 职业面向, 培养目标定位 …), "
                "not a policy document")
    sections = profile_sections(blocks)
    if len(sections) >= 2:
        return f"it has a 专业简介 profile's sections ({', '.join(sections)}), not a policy document"
    texts = [strip_marks(line.text) for line in lines]
    fields = list(dict.fromkeys(m.group(0).rstrip("：: ") for t in texts if (m := MEETING_FIELD.match(t))))
    if len(fields) >= 2 or (texts and MEETING_TITLE.search(texts[0]) and fields):
        return f"it is a meeting note ({'、'.join(fields) or texts[0]}), not a policy document"
    marks = list(dict.fromkeys(m.group(0).strip() for t in texts if (m := TEXTBOOK_MARK.match(t))))
    if marks and any(CHAPTER.match(t) for t in texts[:TITLE_LINES]):
        return f"it is a textbook chapter ({next(t for t in texts if CHAPTER.match(t))[:20]} … {'、'.join(marks)}), " \
               "not a policy document"
    return None


def strip_marks(text: str) -> str:
    return text.lstrip("# \u3000").strip()


def policy_evidence(lines: list[SourceLine]) -> Evidence:
    """The clues for a policy document: its title, articles, issuing lines, numbered chapters with policy wording."""
    texts = [strip_marks(line.text) for line in lines if line.text.strip()]
    clues: list[tuple[str, int]] = []
    title = next((t for t in texts[:TITLE_LINES] if len(t) <= MAX_TITLE and INSTRUMENT.search(t)), None)
    if title:
        clues.append((f"the title 「{title}」", 3))
    articles = sum(1 for t in texts if ARTICLE.match(t))
    if articles >= 3:
        clues.append((f"{articles} 第X条 articles", 3))
    issued = next((t for t in texts[:2 * TITLE_LINES] if DOCUMENT_NUMBER.search(t) or ISSUED.search(t)), None)
    if issued:
        clues.append((f"an issuing line 「{issued[:30]}」", 2))
    numbered = sum(1 for t in texts if (n := match_numbering(t)) and n.kind in ("chapter", "section", "clause", "subclause"))
    words = {word for word in POLICY_WORDS for t in texts if word in t}
    if numbered >= 3 and len(words) >= 3:
        clues.append((f"{numbered} numbered parts with policy wording ({'、'.join(sorted(words)[:4])} …)", 2))
    elif any(match_numbering(t) for t in texts):
        clues.append(("numbered provisions", 1))
    return Evidence("policy", tuple(clues), NEEDED, LOOKED_FOR)


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
