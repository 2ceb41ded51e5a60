"""Typed records of a parsed 专业简介 file: one MajorProfile per major block, each item with its source line."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.core.records import Rejection

#: Mention kinds a profile gives, in the order the summary lists them.
MENTION_KINDS = ("occupation", "position", "industry", "skill-certificate", "qualification", "next-major")


@dataclass(frozen=True)
class Competency:
    """One numbered item of 主要专业能力要求, continuation lines joined in."""

    order: int  # 1-based position in the list
    number: str | None  # as printed: "1.", "2、", "（3）"; None for an unnumbered line
    text: str  # without its number
    line: int  # where the item starts


@dataclass(frozen=True)
class CourseEntry:
    """A course named under 专业基础课程 or 专业核心课程."""

    kind: str  # "basic" | "core"
    name: str  # as printed, trimmed
    line: int


@dataclass(frozen=True)
class ListedName:
    """A name a profile lists for linking: an occupation, position, industry, certificate or next major."""

    kind: str  # one of MENTION_KINDS
    term: str  # as printed, trimmed
    text: str  # the item (sentence or "键：值" entry) it was listed in
    line: int
    levels: tuple[str, ...] = ()  # next-major only: 高职本科, 普通本科 ... as printed; two when listed under two keys


@dataclass
class MajorProfile:
    """One major block: 专业代码 and 专业名称, the fixed sections, or only （略）."""

    code: str  # six digits with an optional K
    name: str
    line: int  # the 专业代码 line
    study_years: str | None = None  # 基本修业年限 as printed: 三年, 四年
    orientation: str | None = None  # 职业面向
    training_goal: str | None = None  # 培养目标定位
    practice: str | None = None  # 实习实训
    omitted: bool = False  # the block is only （略）
    competencies: list[Competency] = field(default_factory=list)
    competencies_line: int | None = None  # the 主要专业能力要求 heading
    courses: list[CourseEntry] = field(default_factory=list)
    names: list[ListedName] = field(default_factory=list)

    def named(self, kind: str) -> list[ListedName]:
        return [name for name in self.names if name.kind == kind]


@dataclass
class ProfileDoc:
    """A parsed profile file: its majors in order, and the blocks or lines it refused or flagged."""

    title: str  # the 专业类 heading without spaces, e.g. 4607汽车制造类, else the file stem
    profiles: list[MajorProfile]
    source_format: str  # md | txt | docx
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def omitted(self) -> int:
        return sum(1 for profile in self.profiles if profile.omitted)
