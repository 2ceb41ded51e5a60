"""The tabular views of an alignment map and a gap report, shared by the CSV and XLSX exporters.

A view is a ``Sheet``: a Chinese name, Chinese column names and rows of plain values, with the
strength of each coloured cell marked, so both formats show the same figures and the XLSX writer
only lays them out. Rows come in the order the records hold them; nothing reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.maps.model import (
    METHOD_LABELS, STATUS_LABELS, STRENGTH_LABELS, STRENGTHS, ZERO_LABELS, AlignmentMap, Cell, Evidence, GapField,
    GapReport, Link, MapCertificate, MapCourse, Node, Source,
)

Value = str | int | float | None

#: Fill colours (RGB hex) by strength, strongest darkest; GAP marks an uncovered certificate or a zero count.
STRENGTH_COLOURS = {"exact": "1A7F37", "major": "5DB760", "minor": "B7E1A1", "broad": "FFD966", "narrow": "FFF2CC"}
GAP = "gap"
GAP_COLOUR = "F4B6B6"
GAP_TEXT = "缺口"

STRENGTH_MEANINGS = {
    "exact": "课程内容与证书要求一致（文件明确对应，或同一能力）",
    "major": "课程覆盖证书的主要内容",
    "minor": "课程覆盖证书的部分内容",
    "broad": "证书范围宽于课程：课程是证书内容的一部分",
    "narrow": "证书范围窄于课程：证书只涉及课程的一部分",
}
METHOD_MEANINGS = {
    "stated": "专业简介、教学标准或课程标准中写明", "peer": "本专业或同类专业（同名异层次、接续、同专业类）列出该证书；课程格：课程所属专业列出且课程名相近",
    "text": "名称或内容的文字相近", "embedding": "语义检索相近", "human": "人工审核时添加", "derived": "由行业、专业、职业的关系推导",
}
STATUS_MEANINGS = {"accepted": "已采纳（文件明确或人工确认）", "proposed": "机器推荐，待人工审核", "rejected": "人工审核否决"}
RESOLVED_LABELS = {"code": "代码", "name": "名称", "alias": "别名", "text": "文本", "embedding": "语义"}
ORIGIN_LABELS = {"teaching-standard": "教学标准", "profile-basic": "专业简介基础课", "profile-core": "专业简介核心课",
                 "course-standard": "课程标准"}
KIND_LABELS = {"Major": "专业", "Course": "课程", "Certificate": "证书", "Industry": "行业", "Occupation": "职业"}
LEGAL_STATUS_LABELS = {"draft": "征求意见稿", "in force": "现行有效", "superseded": "已废止"}

MATRIX, DETAIL, SERVES, SERVES_CERTIFICATE = "课证对应矩阵", "对应明细", "行业与职业", "专业、行业与职业"
COMPETENCIES, LEGEND, SOURCES = "能力要求", "图例", "来源"
GAPS, GAP_DETAIL = "缺口分析", "明细"
GAP_COUNTS = (("majors", "专业"), ("certificates", "证书"), ("occupations", "职业"))


@dataclass(frozen=True)
class Sheet:
    """One table: its name (≤31 characters, for Excel), header, rows, and how to show them.

    ``marks`` maps a (row, column) position, both counted from 0 in ``rows``, to a strength or ``GAP``:
    the cells a spreadsheet fills with that colour. ``kinds`` says per column what it holds (``text``
    wraps, ``iri`` stays on one line, ``matrix`` is a narrow coloured column, ``label`` the default).
    ``notes`` are lines shown under the table (not part of it). ``freeze_columns`` keeps the first
    columns in view when scrolling right.
    """

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    kinds: tuple[str, ...] = ()
    marks: dict[tuple[int, int], str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    freeze_columns: int = 0

    def kind(self, column: int) -> str:
        return self.kinds[column] if column < len(self.kinds) else "label"


# -- shared pieces ---------------------------------------------------------------------------------
def _named(node: Node) -> str:
    """A major as 名称（代码）, so two levels of one name stay apart; other nodes by name."""
    return f"{node.label}（{node.code}）" if node.type == "Major" and node.code else node.label


def _joined(items: Iterable[str | None], sep: str = "、") -> str | None:
    seen = list(dict.fromkeys(item for item in items if item))
    return sep.join(seen) if seen else None


def _evidence(evidence: Sequence[Evidence]) -> tuple[Value, Value, Value]:
    """Evidence texts, their files and lines: one line as a number, several joined as text."""
    lines = list(dict.fromkeys(item.line for item in evidence if item.line is not None))
    line: Value = lines[0] if len(lines) == 1 else _joined(str(n) for n in lines)
    return _joined((item.text for item in evidence), "；"), _joined((item.source for item in evidence), "；"), line


def cell_text(link: Link, column_level: str | None = None) -> str:
    """A matrix cell in a few words: strength, score, method and status (and the level, if not the column's)."""
    text = " ".join((STRENGTH_LABELS.get(link.strength, link.strength), f"{link.score:.2f}",
                     METHOD_LABELS.get(link.method, link.method), STATUS_LABELS.get(link.status, link.status)))
    if link.node.level and link.node.level != column_level:
        text += f"（{link.node.level}）"
    return text


def stated_label(link: Link) -> str:
    """Whether a certificate is stated for the subject (明确), added by a reviewer (人工) or suggested (推荐)."""
    return {"stated": "明确", "human": "人工"}.get(link.method, "推荐")


def _certificate_header(certificate: MapCertificate) -> str:
    node = certificate.link.node
    parts = [node.label, node.level, stated_label(certificate.link), "目录外" if node.outside_catalogue else None]
    return " · ".join(part for part in parts if part)


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}（{seen[name]}）")
    return tuple(unique)


def _coded(node: Node | None) -> str | None:
    """A node's label with its code, as 新能源汽车技术（460702）."""
    if node is None:
        return None
    return f"{node.label}（{node.code}）" if node.code else node.label


def _origins(course: MapCourse) -> str:
    return "、".join(ORIGIN_LABELS.get(origin, origin) for origin in course.origins)


def _link_row(link: Link) -> tuple[Value, ...]:
    """The columns every link row shares: method, how it was resolved, strength, score, status, evidence."""
    return (METHOD_LABELS.get(link.method, link.method), RESOLVED_LABELS.get(link.resolved_by, link.resolved_by),
            STRENGTH_LABELS.get(link.strength, link.strength), link.score, STATUS_LABELS.get(link.status, link.status),
            *_evidence(link.evidence), link.alignment)


LINK_COLUMNS = ("方法", "解析方式", "对应强度", "分数", "状态", "证据", "证据文件", "行号", "对应IRI")
LINK_KINDS = ("label", "label", "label", "number", "label", "text", "iri", "number", "iri")


def legend_sheet(zero_reasons: bool = False) -> Sheet:
    """The legend: what each strength (and its colour), method, status and resolution means."""
    rows: list[tuple[Value, ...]] = []
    marks: dict[tuple[int, int], str] = {}
    for strength in STRENGTHS:
        marks[(len(rows), 3)] = strength
        rows.append(("对应强度", strength, STRENGTH_LABELS[strength], f"#{STRENGTH_COLOURS[strength]}",
                     STRENGTH_MEANINGS[strength]))
    marks[(len(rows), 3)] = GAP
    rows.append(("缺口", GAP, GAP_TEXT, f"#{GAP_COLOUR}", "明确对应的证书没有课程覆盖，或某类计数为 0"))
    rows += [("方法", key, label, None, METHOD_MEANINGS.get(key)) for key, label in METHOD_LABELS.items()]
    rows += [("状态", key, label, None, STATUS_MEANINGS.get(key)) for key, label in STATUS_LABELS.items()]
    rows += [("解析方式", key, label, None, None) for key, label in RESOLVED_LABELS.items()]
    rows += [("课程来源", key, label, None, None) for key, label in ORIGIN_LABELS.items()]
    rows += [("证书标注", key, key, None, meaning) for key, meaning in
             (("明确", "文件中写明的证书"), ("人工", "人工审核时添加"), ("推荐", "机器推荐（同类专业、文本或语义相近）"),
              ("目录外", "1+X 证书目录中没有的证书"))]
    if zero_reasons:
        rows += [("计数为 0 的原因", key, label, None, None) for key, label in ZERO_LABELS.items()]
    return Sheet(LEGEND, ("类别", "取值", "中文", "颜色", "说明"), tuple(rows), ("label", "label", "label", "label", "text"),
                 marks)


def sources_sheet(sources: Sequence[Source], notes: Sequence[str]) -> Sheet:
    """The files the figures come from, as their ingest records state them, and what the builder noted."""
    rows = tuple((source.path, source.kind, source.sha256, source.ingested_at, source.iri) for source in sources)
    return Sheet(SOURCES, ("文件", "类型", "SHA-256", "导入时间", "来源IRI"), rows, ("iri", "label", "iri", "label", "iri"),
                 notes=tuple(notes))


# -- the map ---------------------------------------------------------------------------------------
def map_sheets(amap: AlignmentMap) -> list[Sheet]:
    """The views of an alignment map: matrix, detail, what it serves, competencies, legend, sources."""
    notes = (f"标题：{amap.title}", f"对象：{amap.subject.label}（{amap.subject.code or amap.subject.iri}）",
             f"生成时间（最近一次导入）：{amap.generated_at}", *amap.notes)
    return [matrix_sheet(amap), detail_sheet(amap), serves_sheet(amap), competencies_sheet(amap), legend_sheet(),
            sources_sheet(amap.sources, notes)]


def matrix_sheet(amap: AlignmentMap) -> Sheet:
    """Courses × certificates, each cell its best alignment; a last row marks stated certificates no course covers."""
    by_major = any(course.major for course in amap.courses)  # a certificate map: courses of many majors
    fixed = ("课程", *(("所属专业",) if by_major else ()), "课程来源", "课程标准（院校）")
    columns = (*fixed, *_unique(_certificate_header(c) for c in amap.certificates))
    cells: dict[tuple[str, str], Cell] = {(c.course, c.certificate): c for c in amap.cells}
    rows: list[tuple[Value, ...]] = []
    marks: dict[tuple[int, int], str] = {}
    for course in amap.courses:
        standard = course.standard and (f"{course.standard}（{course.institution}）" if course.institution
                                        else course.standard)
        major = (_coded(course.major),) if by_major else ()
        row: list[Value] = [course.node.label, *major, _origins(course), standard]
        for column, certificate in enumerate(amap.certificates, start=len(fixed)):
            cell = cells.get((course.node.iri, certificate.link.node.iri))
            row.append(cell_text(cell.link, certificate.link.node.level) if cell else None)
            if cell:
                marks[(len(rows), column)] = cell.link.strength
        rows.append(tuple(row))
    if amap.certificates:
        row = [GAP_TEXT, *((None,) if by_major else ()), "明确对应但无课程覆盖的证书", None]
        for column, certificate in enumerate(amap.certificates, start=len(fixed)):
            row.append(GAP_TEXT if certificate.gap else None)
            if certificate.gap:
                marks[(len(rows), column)] = GAP
        rows.append(tuple(row))
    kinds = (*("label",) * (len(fixed) - 1), "text", *("matrix",) * len(amap.certificates))
    notes = ("单元格：对应强度 分数 方法 状态；颜色见“图例”。",)
    return Sheet(MATRIX, columns, tuple(rows), kinds, marks, notes, freeze_columns=1)


def detail_sheet(amap: AlignmentMap) -> Sheet:
    """One row per matrix cell and per link of a certificate to the subject (or of a major, for a certificate map)."""
    courses = {course.node.iri: course.node.label + (f"（{course.major.label}）" if course.major else "")
               for course in amap.courses}
    levels = {c.link.node.iri: c.link.node.level for c in amap.certificates}
    labels = {c.link.node.iri: c.link.node.label for c in amap.certificates}
    rows: list[tuple[Value, ...]] = []
    for cell in amap.cells:
        rows.append(("课程—证书", courses.get(cell.course, cell.course), labels.get(cell.certificate, cell.link.node.label),
                     cell.link.node.level or levels.get(cell.certificate), *_link_row(cell.link)))
    for certificate in amap.certificates:
        link = certificate.link
        if link.node.iri == amap.subject.iri:  # a certificate map's one column is its subject
            continue
        rows.append(("专业—证书", amap.subject.label, link.node.label, link.node.level, *_link_row(link)))
    for link in amap.majors:
        rows.append(("专业—证书", link.node.label, amap.subject.label, amap.subject.level, *_link_row(link)))
    return Sheet(DETAIL, ("关系", "课程或专业", "证书", "等级", *LINK_COLUMNS), tuple(rows),
                 ("label", "label", "label", "label", *LINK_KINDS))


def serves_sheet(amap: AlignmentMap) -> Sheet:
    """The industries and occupations a major serves; for a certificate map, the majors it serves first."""
    rows = tuple((KIND_LABELS.get(link.node.type, link.node.type), link.node.code, link.node.label, link.node.level,
                  *_link_row(link)) for link in (*amap.majors, *amap.industries, *amap.occupations))
    name = SERVES_CERTIFICATE if amap.subject.type == "Certificate" else SERVES
    return Sheet(name, ("类别", "代码", "名称", "层次", *LINK_COLUMNS), rows, ("label", "label", "label", "label", *LINK_KINDS))


def competencies_sheet(amap: AlignmentMap) -> Sheet:
    """The profile's competency statements in their stated order, with where each was read."""
    rows = tuple((item.order, item.text, item.source, item.line) for item in amap.competencies)
    notes = tuple(f"{heading}：{text}" for heading, text in amap.profile_texts.items())
    if not amap.profile:
        notes += ("无专业简介：没有能力要求。",)
    return Sheet(COMPETENCIES, ("序号", "能力要求", "来源文件", "行号"), rows, ("number", "text", "iri", "number"),
                 notes=notes)


# -- the gap report --------------------------------------------------------------------------------
def gap_sheets(report: GapReport) -> list[Sheet]:
    """The views of a gap report: one row per field, the detail of what serves each, legend, sources."""
    status = LEGAL_STATUS_LABELS.get(report.legal_status or "", report.legal_status)
    notes = (f"文件：{report.document.label}", f"路径：{report.path or report.document.iri}",
             *((f"效力：{status}",) if status else ()), f"生成时间（最近一次导入）：{report.generated_at}", *report.notes)
    return [gaps_sheet(report), gap_detail_sheet(report), legend_sheet(zero_reasons=True),
            sources_sheet(report.sources, notes)]


def _zero_reason(item: GapField, kind: str) -> str | None:
    if item.count(kind):
        return None
    reason = item.zero_reasons.get(kind)
    return ZERO_LABELS.get(reason, reason) if reason else None


def gaps_sheet(report: GapReport) -> Sheet:
    """Each field the document names: where, its GB/T 4754 classes, counts (0 written, coloured) and why zero."""
    columns = ("领域（原文）", "条款", "行号", "原句", "GB/T 4754 代码", "行业名称",
               *(f"{label}数" for _, label in GAP_COUNTS), *(label for _, label in GAP_COUNTS),
               *(f"{label}数为 0 的原因" for _, label in GAP_COUNTS))
    rows: list[tuple[Value, ...]] = []
    marks: dict[tuple[int, int], str] = {}
    for item in report.fields:
        counts = tuple(item.count(kind) for kind, _ in GAP_COUNTS)
        for offset, count in enumerate(counts):
            if count == 0:
                marks[(len(rows), 6 + offset)] = GAP
        rows.append((item.name, item.provision.label, item.line, item.quote,
                     _joined(link.node.code for link in item.industries),
                     _joined(link.node.label for link in item.industries), *counts,
                     *(_joined(_named(link.node) for link in getattr(item, kind)) for kind, _ in GAP_COUNTS),
                     *(_zero_reason(item, kind) for kind, _ in GAP_COUNTS)))
    kinds = ("label", "label", "number", "text", "label", "text", "number", "number", "number", "text", "text", "text",
             "label", "label", "label")
    summary = "；".join(f"无{label}：{len(report.uncovered(kind))}" for kind, label in GAP_COUNTS)
    return Sheet(GAPS, columns, tuple(rows), kinds, marks, (f"领域 {len(report.fields)} 个；{summary}",))


def gap_detail_sheet(report: GapReport) -> Sheet:
    """One row per field and per node that serves it (its GB/T 4754 classes, majors, certificates, occupations)."""
    rows = tuple((item.name, KIND_LABELS.get(link.node.type, link.node.type), link.node.code, link.node.label,
                  *_link_row(link))
                 for item in report.fields
                 for link in (*item.industries, *item.majors, *item.certificates, *item.occupations))
    return Sheet(GAP_DETAIL, ("领域（原文）", "类别", "代码", "名称", *LINK_COLUMNS), rows,
                 ("label", "label", "label", "label", *LINK_KINDS))
