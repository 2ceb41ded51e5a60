"""The records an alignment map and a gap report are made of, shared by their builders and every exporter.

Builders (``kg.maps.major_map``, ``kg.maps.certificate_map``, ``kg.maps.gaps``) read the store and
return these; exporters (CSV, XLSX, CASE, CTDL-ASN, JSON) only read them, so every format shows
the same figures. Everything is plain data: IRIs as strings, no store handles, sorted and
deterministic, times taken from the sources' ingest records (never the clock).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Alignment strengths, strongest first (the order a matrix cell's best alignment is chosen by).
STRENGTHS = ("exact", "major", "minor", "broad", "narrow")
#: How each strength reads in Chinese (column headers, legends).
STRENGTH_LABELS = {"exact": "完全对应", "major": "主要对应", "minor": "部分对应", "broad": "宽泛对应",
                   "narrow": "窄对应"}
#: How each method and review status reads in Chinese.
METHOD_LABELS = {"stated": "文件明确", "peer": "专业列出", "text": "文本相近", "embedding": "语义相近",
                 "human": "人工添加", "derived": "推导"}
STATUS_LABELS = {"accepted": "已采纳", "proposed": "待审核", "rejected": "已否决"}


@dataclass(frozen=True)
class Node:
    """A node of the graph as a map shows it: its class local name, catalogue label and code."""

    iri: str
    type: str  # Major, Course, Certificate, Industry, Occupation, Provision, PolicyDocument …
    label: str
    code: str | None = None  # skos:notation as the catalogue prints it (major codes keep their K)
    level: str | None = None  # a major's level (中职, 高职专科, 职教本科); a certificate level's name
    outside_catalogue: bool = False  # a certificate the 1+X catalogue does not hold


@dataclass(frozen=True)
class Evidence:
    """What supports a link: the text, and where it was read (file and line), or the node it comes through."""

    text: str
    iri: str | None = None  # the mention, module or node
    source: str | None = None  # the source file's path as ingested
    line: int | None = None


@dataclass(frozen=True)
class Link:
    """One alignment as a map shows it: the node at the far end and how the link was made."""

    node: Node
    alignment: str | None  # the alignment IRI (a review is attached to it)
    method: str  # stated, peer, text, embedding, human, derived
    resolved_by: str  # code, name, alias, text, embedding
    score: float
    strength: str  # one of STRENGTHS
    status: str  # proposed, accepted, rejected
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Cell:
    """The best alignment of one course to one certificate (or one of its levels) in a map's matrix."""

    course: str  # the course IRI (a row)
    certificate: str  # the certificate IRI (a column; a level is reported on its certificate)
    link: Link  # link.node is the certificate, with ``level`` when a level was aligned


@dataclass(frozen=True)
class MapCourse:
    """A row of the matrix: a course and where the map found it."""

    node: Node
    origins: tuple[str, ...]  # teaching-standard, profile-basic, profile-core, course-standard
    standard: str | None = None  # the college course standard's title, for a course-standard course
    institution: str | None = None  # the college that wrote that standard
    major: Node | None = None  # the course's major (a certificate's map lists courses of many majors)


@dataclass(frozen=True)
class MapCertificate:
    """A column of the matrix: a certificate related to the subject, and whether any course covers it."""

    link: Link  # how the certificate relates to the major (stated, peer, …)
    covered: bool  # at least one cell in its column

    @property
    def gap(self) -> bool:
        """A certificate the major states but no course covers: a gap to show in the map."""
        return not self.covered and (self.link.method == "stated" or self.link.status == "accepted")


@dataclass(frozen=True)
class Competency:
    """One competency statement of the major's profile (主要专业能力要求), in its stated order."""

    iri: str
    order: int
    text: str
    source: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Source:
    """A source file the map's facts come from, as its ingest record states it."""

    iri: str
    path: str
    kind: str
    sha256: str
    ingested_at: str  # xsd:dateTime of the ingest


@dataclass(frozen=True)
class AlignmentMap:
    """The alignment map of one major (subject.type Major) or one certificate (subject.type Certificate).

    For a major: its courses × its certificates, the industries and occupations it serves, and the
    competencies of its profile. For a certificate: the majors and the courses it serves (the
    courses × this one certificate, as a one-column matrix).
    """

    subject: Node
    title: str  # e.g. "新能源汽车技术（460702）专业岗课赛证对应表"
    generated_at: str  # the latest ingest time among ``sources`` (not the clock: exports are deterministic)
    courses: tuple[MapCourse, ...]
    certificates: tuple[MapCertificate, ...]
    cells: tuple[Cell, ...]
    industries: tuple[Link, ...] = ()
    occupations: tuple[Link, ...] = ()
    majors: tuple[Link, ...] = ()  # a certificate map's majors (a major map: empty)
    competencies: tuple[Competency, ...] = ()
    framework: Node | None = None  # the profile's ceasn:CompetencyFramework
    profile: Node | None = None  # the vet:MajorProfile
    profile_texts: dict[str, str] = field(default_factory=dict)  # orientation, goal, practice (Chinese headings)
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = ()  # what the map could not do (no index, no profile …), shown beside it

    def cell(self, course: str, certificate: str) -> Cell | None:
        for cell in self.cells:
            if cell.course == course and cell.certificate == certificate:
                return cell
        return None


#: Why a count is zero: nothing in the catalogue serves the field, or that catalogue is known to be partial.
ZERO_NONE = "none"
ZERO_INCOMPLETE = "catalogue-incomplete"
ZERO_UNRESOLVED = "unresolved"  # the field resolved to no GB/T 4754 class, so nothing can be reached
ZERO_LABELS = {ZERO_NONE: "目录中无对应", ZERO_INCOMPLETE: "目录不完整（1+X 证书仅含第一、二批及部分平台数据）",
               ZERO_UNRESOLVED: "未能对应到国民经济行业分类"}


@dataclass(frozen=True)
class GapField:
    """One priority industry or special field a policy names, and what serves it."""

    name: str  # as the document writes it
    mention: str  # the mention IRI
    provision: Node  # the provision that names it (label: its heading or number)
    line: int | None  # the line of the provision in the source file
    quote: str  # the sentence (or clause) that names it
    industries: tuple[Link, ...]  # the GB/T 4754 classes it resolves to
    majors: tuple[Link, ...]
    certificates: tuple[Link, ...]
    occupations: tuple[Link, ...]
    zero_reasons: dict[str, str] = field(default_factory=dict)  # kind (majors, certificates, occupations) -> ZERO_*

    def count(self, kind: str) -> int:
        return len(getattr(self, kind))


@dataclass(frozen=True)
class GapReport:
    """The gap analysis of one policy document: each field it names and what serves it, zeros explicit."""

    document: Node
    path: str | None  # the source file
    legal_status: str | None  # draft, in force, superseded
    generated_at: str
    fields: tuple[GapField, ...]
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = ()

    def uncovered(self, kind: str) -> list[GapField]:
        return [item for item in self.fields if item.count(kind) == 0]
