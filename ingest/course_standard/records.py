"""Typed records of a parsed course standard; each keeps the line (paragraph or table row) it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kg.core.records import Rejection


@dataclass(frozen=True)
class MajorRef:
    """A major the course serves, as the document states it (code, and name when printed)."""

    code: str  # 6 digits with an optional K, e.g. "460702"
    name: str | None
    line: int


@dataclass(frozen=True)
class MajorName:
    """A major (or a 专业类, ``category``) the document names without a code: '新能源汽车技术专业' -> '新能源汽车技术'."""

    name: str
    category: bool
    line: int


@dataclass(frozen=True)
class Outcome:
    """One learning objective under 知识/能力/素质目标."""

    kind: str  # "knowledge" | "skill" | "attitude"
    text: str  # without its list number
    number: str | None  # as printed: "1.", "（2）", None for a "；"-split clause
    order: int  # 1-based within its kind
    line: int


@dataclass(frozen=True)
class Module:
    """One row of the content table: a 学习项目/模块 with its tasks, requirements and hours."""

    order: int  # 1-based position in the table
    title: str
    tasks: str | None
    requirements: str | None
    hours: Decimal | None
    line: int  # the table row


@dataclass(frozen=True)
class CertificateStatement:
    """A 1+X certificate the document names (岗课赛证), with the modules that cover it."""

    name: str  # as printed, e.g. "智能新能源汽车职业技能等级证书" or "智能新能源汽车"
    level: str | None  # 初级 | 中级 | 高级 | None when the document states none
    modules: tuple[int, ...]  # Module.order of each module named as covering it
    text: str  # the sentence or table row it was found in
    line: int


@dataclass(frozen=True)
class CompetitionStatement:
    """A skills competition (赛项) the document names, with the modules that cover it."""

    name: str  # e.g. "新能源汽车检测与维修" (the 赛项 name, without 赛项)
    tier: str | None  # e.g. "全国职业院校技能大赛", "省级" when printed
    modules: tuple[int, ...]
    text: str
    line: int


@dataclass
class CourseStandardDoc:
    """A parsed course standard: the course it describes, its objectives, modules and stated links."""

    slug: str
    title: str  # the document title, e.g. "《新能源汽车动力电池技术》课程标准"
    course_name: str
    course_code: str | None
    nature: str | None  # 课程性质 as printed: 专业核心课, 公共基础课, 实训 ...
    hours: Decimal | None  # total 学时 from the basic information
    credits: Decimal | None
    majors: list[MajorRef]
    institution: str | None  # the offering college, when the document names one
    description: str | None  # the 课程性质与任务 / 课程定位 section text
    outcomes: list[Outcome]
    modules: list[Module]
    certificates: list[CertificateStatement]
    competitions: list[CompetitionStatement]
    basic_info_line: int
    source_format: str  # txt | md | docx | pdf
    warnings: list[Rejection] = field(default_factory=list)  # kept=True notes: hours that do not add up...
    major_names: list[MajorName] = field(default_factory=list)  # majors and 专业类 named without a code
    level: str | None = None  # 层次 as the catalogue names it (中职, 高职专科, 职教本科), when the document states one
