"""1+X 职业技能等级证书: certificates, their levels and their issuing organisations (培训评价组织).

One column map reads both the official batch lists (batch, seq, organisation, name) and the national
platform's level listing (cert_id, name, organisation, level, effective_from).

Names are keyed by ``normalise_name`` (NFKC, no whitespace) and labelled by a canonical rendering
of that key (Chinese full-width brackets), so a certificate or an organisation gets the same
skos:prefLabel in every file it appears in; every other printed spelling becomes a skos:altLabel.

Organisation rule: after normalising, a trailing parenthesised part that is itself an organisation
name (it ends in 中心, 协会, 公司 ...) is a former or alternative name and is dropped from the key, so
"廊坊市中科建筑产业化创新研究中心（中国建设教育协会人才评价中心）" and "廊坊市中科建筑产业化创新研究中心"
are one node. A parenthesised place inside a name ("阿里巴巴（中国）有限公司") is part of the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from pyoxigraph import NamedNode

from ingest.base import ParseResult
from ingest.catalogues.base import CatalogueKind, Column, KeyRegistry, Row, Table, provenance
from ingest.catalogues.skos import concept_triples, scheme_triples
from kg.core import iris
from kg.core.levels import CERTIFICATE_LEVEL_NAMES
from kg.core.names import normalise_name
from kg.core.rdf import RDF_TYPE, Triple, integer, string, term, typed, vet, zh
from kg.core.records import Rejection

COLUMNS = (
    Column("name", ("certificate_name", "证书名称", "职业技能等级证书名称", "证书")),
    Column("organization", ("issuing_org_培训评价组织", "issuing_org", "培训评价组织", "颁证机构", "发证机构")),
    Column("level", ("level", "等级", "证书等级"), required=False),
    Column("batch", ("batch", "批次"), required=False),
    Column("seq", ("seq", "序号"), required=False),
    Column("cert_id", ("cert_id", "证书编号", "平台编号"), required=False),
    Column("effective_from", ("effective_from", "生效日期"), required=False),
)
SUFFIX = "职业技能等级证书"
SCHEME_LABEL = ("1+X职业技能等级证书", "1+X vocational skill level certificates")
ORGANIZATION_ENDINGS = ("中心", "协会", "学会", "公司", "集团", "研究院", "研究所", "委员会", "联合会", "基金会",
                        "大学", "学院", "学校")
TRAILING_PART = re.compile(r"^(?P<bare>.+?)\((?P<part>[^()]+)\)$")
CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# A spreadsheet date may come back as '2023-02-22 00:00:00'; whitespace is gone after normalising.
DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:T?00:00(?::00)?)?$")


def canonical(name: str) -> str:
    """The label a normalised name is shown with: no whitespace, Chinese full-width brackets."""
    return normalise_name(name).replace("(", "（").replace(")", "）")


def certificate_names(printed: str) -> tuple[str, str]:
    """(full official name ending in 职业技能等级证书, short form without it), both canonical."""
    name = canonical(printed)
    short = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
    return short + SUFFIX, short


def organization_label(printed: str) -> str:
    """The canonical name of an organisation: a trailing alternative organisation name in brackets is dropped."""
    key = normalise_name(printed)
    match = TRAILING_PART.match(key)
    if match and len(match["part"]) >= 4 and match["part"].endswith(ORGANIZATION_ENDINGS):
        key = match["bare"]
    return canonical(key)


def parse_batch(text: str) -> int | None:
    """'2', '第2批', '第二批' -> 2; None when it is not a batch number of at least 1."""
    value = normalise_name(text).removeprefix("第").removesuffix("批")
    number = int(value) if value.isascii() and value.isdigit() else CHINESE_NUMERALS.get(value)
    return number if number else None


def parse_date(text: str) -> str | None:
    """'2023-02-22', '2023/2/22', '2023年2月22日' -> '2023-02-22'; None when not a real date."""
    match = DATE.match(normalise_name(text))
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class CertificateRow:
    """A checked row: canonical names, the level (None when the row has none) and the typed optional fields."""

    line: int
    printed: str
    full: str
    short: str
    organization: str
    organization_printed: str
    level: str | None
    batch: int | None
    seq: int | None
    cert_id: str
    effective_from: str | None

    def signature(self) -> str:
        """What two rows of one certificate and level must agree on (the organisation is checked apart)."""
        parts = [("batch", self.batch), ("seq", self.seq), ("cert_id", self.cert_id),
                 ("effective_from", self.effective_from)]
        return ", ".join(f"{name} {value}" for name, value in parts if value) or "no details"


def _check(row: Row) -> CertificateRow | Rejection:
    """The checked row or why it is refused."""
    if not canonical(row["name"]).removesuffix(SUFFIX):
        return Rejection(row.line, "empty certificate name")
    if not normalise_name(row["organization"]):
        return Rejection(row.line, "empty issuing organisation (培训评价组织)")
    level = normalise_name(row["level"]) or None
    if level is not None and level not in CERTIFICATE_LEVEL_NAMES:
        return Rejection(row.line, f"unknown certificate level '{row['level']}': expected 初级, 中级 or 高级")
    batch = parse_batch(row["batch"]) if row["batch"] else None
    if row["batch"] and batch is None:
        return Rejection(row.line, f"bad batch '{row['batch']}': expected a whole number of at least 1")
    seq_text = normalise_name(row["seq"])
    seq = int(seq_text) if seq_text.isascii() and seq_text.isdigit() and int(seq_text) > 0 else None
    if row["seq"] and seq is None:
        return Rejection(row.line, f"bad seq '{row['seq']}': expected a whole number of at least 1")
    effective = parse_date(row["effective_from"]) if row["effective_from"] else None
    if row["effective_from"] and effective is None:
        return Rejection(row.line, f"bad effective_from date '{row['effective_from']}': expected YYYY-MM-DD")
    if level is None and (row["cert_id"] or effective):
        return Rejection(row.line, "cert_id and effective_from describe a certificate level, but the row has no level")
    full, short = certificate_names(row["name"])
    return CertificateRow(row.line, row["name"].strip(), full, short, organization_label(row["organization"]),
                          row["organization"].strip(), level, batch, seq, row["cert_id"], effective)


@dataclass
class _Graph:
    """The triples of one file without repeats, and the nodes of each class already given provenance."""

    source: NamedNode
    triples: dict[Triple, None] = field(default_factory=dict)
    nodes: dict[str, set[str]] = field(default_factory=dict)

    def add(self, *triples: Triple) -> None:
        self.triples.update(dict.fromkeys(triples))

    def node(self, node: NamedNode, cls: str, line: int) -> bool:
        """True the first time ``node`` is seen: it is typed ``cls`` and its provenance gets this line."""
        seen = self.nodes.setdefault(cls, set())
        if node.value in seen:
            return False
        seen.add(node.value)
        self.add((node, RDF_TYPE, vet(cls)), *provenance(node, self.source, line))
        return True

    def count(self, cls: str) -> int:
        return len(self.nodes.get(cls, ()))


def _labels(node: NamedNode, pref: str, printed: tuple[str, ...]) -> list[Triple]:
    """skos:altLabel for each spelling that is not the prefLabel."""
    return [(node, term("skos:altLabel"), zh(text)) for text in dict.fromkeys(printed) if text and text != pref]


def _add_certificate(graph: _Graph, row: CertificateRow, scheme: NamedNode) -> None:
    """The certificate, its issuing organisation and, when the row names one, its level."""
    cert = iris.certificate(row.full)
    if graph.node(cert, "Certificate", row.line):
        graph.add(*concept_triples(cert, "Certificate", row.full, None, scheme))
    graph.add(*_labels(cert, row.full, (row.short, row.printed)))
    if row.batch is not None:
        graph.add((cert, vet("batch"), integer(row.batch)))
    if row.seq is not None:
        graph.add((cert, vet("batchSequence"), integer(row.seq)))
    org = iris.organization(row.organization)
    if graph.node(org, "Organization", row.line):
        graph.add((org, term("skos:prefLabel"), zh(row.organization)))
    graph.add(*_labels(org, row.organization, (row.organization_printed,)), (cert, vet("issuedBy"), org))
    if row.level is None:
        return
    level = iris.certificate_level(cert, row.level)
    if graph.node(level, "CertificateLevel", row.line):
        graph.add((level, vet("levelName"), string(row.level)),
                  (level, term("skos:prefLabel"), zh(f"{row.full}（{row.level}）")), (cert, vet("hasLevel"), level))
    if row.effective_from:
        graph.add((level, vet("effectiveFrom"), typed(row.effective_from, "date")))
    if row.cert_id:
        graph.add((level, vet("platformId"), string(row.cert_id)))


@dataclass
class _Issuers:
    """The first issuing organisation seen for each certificate, and the second ones already reported."""

    first: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    reported: set[tuple[str, str]] = field(default_factory=set)

    def note(self, row: CertificateRow) -> Rejection | None:
        """A note (the row still loads, both links are kept) when a certificate meets another organisation."""
        line, organization, printed = self.first.setdefault(
            row.full, (row.line, row.organization, row.organization_printed))
        if organization == row.organization or (row.full, row.organization) in self.reported:
            return None
        self.reported.add((row.full, row.organization))
        return Rejection(row.line, f"certificate {row.full} is issued by two organisations: line {line} says "
                                   f"'{printed}', this line says '{row.organization_printed}'; both are kept",
                         key=row.full, other_line=line, values=(printed, row.organization_printed), kept=True)


def _duplicate(levels: KeyRegistry, batches: KeyRegistry, row: CertificateRow) -> Rejection | None:
    """A conflicting repeat of a certificate level, or a second batch for a certificate (first wins)."""
    if row.batch is not None:
        claim = batches.claim(row.full, row.line, str(row.batch))
        if isinstance(claim, Rejection):
            return claim
    claim = levels.claim(row.full + (f"（{row.level}）" if row.level else ""), row.line, row.signature())
    return claim if isinstance(claim, Rejection) else None


def build_certificates(table: Table, source: NamedNode) -> ParseResult:
    """Rows to certificates, levels and organisations; refused rows and notes go to the rejections."""
    graph = _Graph(source)
    rejections: list[Rejection] = []
    levels, batches, issuers = KeyRegistry("certificate level"), KeyRegistry("certificate batch"), _Issuers()
    scheme = iris.scheme("certificates-1x")
    for row in table.rows:
        checked = _check(row)
        if not isinstance(checked, Rejection):
            checked = _duplicate(levels, batches, checked) or checked
        if isinstance(checked, Rejection):
            rejections.append(checked)
            continue
        note = issuers.note(checked)
        if note is not None:
            rejections.append(note)
        if not graph.triples:
            graph.add(*scheme_triples(scheme, *SCHEME_LABEL, source))
        _add_certificate(graph, checked, scheme)
    counts = {"certificates": graph.count("Certificate"), "certificate_levels": graph.count("CertificateLevel"),
              "organizations": graph.count("Organization")}
    return ParseResult(triples=list(graph.triples), document=None, rejections=rejections, counts=counts,
                       summary=f"{counts['certificates']} certificates, {counts['certificate_levels']} levels, "
                               f"{counts['organizations']} issuing organisations")


KIND = CatalogueKind(
    kind="certificates",
    description="1+X 职业技能等级证书: certificate name, 培训评价组织, optional level, batch, platform id "
                "(CSV, XLSX, JSON Lines)",
    columns=COLUMNS,
    parser_version="certificates/1",
    build=build_certificates,
)
