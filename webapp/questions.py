"""Ready-made questions: everyday needs of a curriculum designer as parameterised SPARQL, shown as they run.

Each question is a template whose ``{name}`` slots take the values typed in the page, always as
SPARQL string literals (quoted and escaped by pyoxigraph, so a value never becomes query text).
An optional parameter left empty drops its clause. Pure: no Streamlit, no store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kg.core.rdf import string


@dataclass(frozen=True)
class Parameter:
    """A value the question asks for: its slot in the template, labels, default, and the clause it fills."""

    name: str
    label: str
    label_en: str
    default: str = ""
    #: What the slot becomes when a value is given; ``{value}`` is the value as a SPARQL literal.
    clause: str = "{value}"
    optional: bool = False


@dataclass(frozen=True)
class Question:
    """A ready-made question: a title in both languages, a template, and the parameters that fill it."""

    key: str
    title: str
    title_en: str
    template: str
    parameters: tuple[Parameter, ...] = ()
    note: str = ""
    note_en: str = ""

    def sparql(self, values: Mapping[str, str] | None = None) -> str:
        """The query with ``values`` (else the defaults) filled in; an empty optional value drops its clause."""
        values = values or {}
        slots: dict[str, str] = {}
        for parameter in self.parameters:
            value = str(values.get(parameter.name, parameter.default)).strip()
            if not value and not parameter.optional:
                raise ValueError(f"question '{self.key}' needs a value for '{parameter.name}'")
            slots[parameter.name] = parameter.clause.format(value=str(string(value))) if value else ""
        return self.template.format(**slots).strip() + "\n"


MAJOR = Parameter("code", "专业代码", "major code", "460702")
QUESTIONS: tuple[Question, ...] = (
    Question(
        "courses-of-major", "某专业开设哪些课程？", "Which courses does a major teach?",
        """
SELECT DISTINCT ?course ?name ?origin WHERE {{
  ?major a vet:Major ; skos:notation {code} .
  {{ ?standard vet:hasCourse ?course . ?course vet:forMajor ?major . BIND("教学标准" AS ?origin) }}
  UNION {{ ?profile vet:profileOf ?major ; vet:coreCourse ?course . BIND("专业核心课" AS ?origin) }}
  UNION {{ ?profile vet:profileOf ?major ; vet:basicCourse ?course . BIND("专业基础课" AS ?origin) }}
  UNION {{ ?courseStandard a vet:CourseStandard ; vet:forMajor ?major ; vet:describes ?course .
           BIND("课程标准" AS ?origin) }}
  ?course skos:prefLabel ?name .
}} ORDER BY ?origin ?name""",
        (MAJOR,),
        "课程来自专业教学标准、专业简介（核心课、基础课）和院校课程标准。",
        "Courses come from the teaching standard, the profile (core and basic courses) and college course standards."),
    Question(
        "majors-for-industry", "哪些专业面向某个行业？", "Which majors serve an industry?",
        """
SELECT DISTINCT ?major ?code ?name ?level ?industry ?industryName ?method ?score WHERE {{
  ?industry a vet:Industry ; skos:prefLabel ?industryName ; skos:notation ?industryCode .
  FILTER(?industryCode = {industry} || CONTAINS(?industryName, {industry}))
  ?alignment vet:alignmentSource ?major ; vet:alignmentTarget ?industry ; vet:alignmentType ?kind .
  FILTER(?kind IN ("major-industry", "major-industry-text"))
  ?major a vet:Major ; skos:notation ?code ; skos:prefLabel ?name .
  OPTIONAL {{ ?major vet:level ?level }}
  OPTIONAL {{ ?alignment vet:method ?method }} OPTIONAL {{ ?alignment vet:score ?score }}
}} ORDER BY DESC(?method = "stated") DESC(?score) ?code""",
        (Parameter("industry", "行业代码或名称", "industry code or name", "居民服务"),),
        "method 为 stated 的由专业简介写明；text 为按文本推荐，待审核。",
        "method stated: the major's profile says so; text: suggested from the texts, to be reviewed."),
    Question(
        "certificates-for-major", "某专业对应哪些证书？", "Which certificates go with a major?",
        """
SELECT DISTINCT ?certificate ?name ?via ?method ?strength ?status WHERE {{
  ?major a vet:Major ; skos:notation {code} .
  {{ ?alignment vet:alignmentType "major-certificate" ; vet:alignmentSource ?major ; vet:alignmentTarget ?certificate .
     BIND("专业" AS ?via) }}
  UNION {{ ?course vet:forMajor ?major . ?alignment vet:alignmentSource ?course ; vet:alignmentTarget ?target .
           {{ ?target a vet:Certificate . BIND(?target AS ?certificate) }} UNION {{ ?certificate vet:hasLevel ?target }}
           BIND("课程" AS ?via) }}
  ?certificate a vet:Certificate ; skos:prefLabel ?name .
  OPTIONAL {{ ?alignment vet:method ?method }} OPTIONAL {{ ?alignment vet:strength ?strength }}
  OPTIONAL {{ ?alignment vet:reviewStatus ?status }}
}} ORDER BY ?via ?name""",
        (MAJOR,),
        "图谱中存储的对应：专业简介写明、课程标准写明或人工添加（via 为专业或课程）；课证对应图另有推荐的证书。",
        "The links the store holds: stated by the profile or a course standard, or added by a reviewer (via the major "
        "or a course); the alignment map adds suggestions."),
    Question(
        "provisions-mentioning", "哪些条款提到某个词？", "Which provisions mention a term?",
        """
SELECT ?provision ?title ?number ?heading ?line ?text WHERE {{
  ?provision a vet:Provision ; vet:inDocument ?document ; vet:text ?text .
  FILTER(CONTAINS(?text, {term}))
  FILTER NOT EXISTS {{ ?part eli:is_part_of ?provision ; a vet:Provision }}
  ?document eli:title ?title .
  OPTIONAL {{ ?provision eli:number ?number }} OPTIONAL {{ ?provision vet:heading ?heading }}
  OPTIONAL {{ ?provision vet:lineStart ?line }} OPTIONAL {{ ?provision vet:order ?order }}
}} ORDER BY ?title ?order""",
        (Parameter("term", "词语", "term", "产教融合"),),
        "只列最小的条款（条、款、项），不重复列出包含它们的章节。",
        "Only the smallest provisions (articles, clauses, items), not the chapters that contain them."),
    Question(
        "targets-by-year", "各年份的量化目标有哪些？", "Which targets are set, by year?",
        """
SELECT ?year ?metric ?value ?unit ?comparator ?title ?provision WHERE {{
  ?target a vet:Target ; vet:statedIn ?provision ; vet:targetValue ?value .
  ?provision vet:inDocument ?document . ?document eli:title ?title .
  OPTIONAL {{ ?target vet:targetYear ?year }} OPTIONAL {{ ?target vet:metric ?metric }}
  OPTIONAL {{ ?target vet:unit ?unit }} OPTIONAL {{ ?target vet:comparatorText ?comparator }}
  {year}
}} ORDER BY ?year ?title ?metric""",
        (Parameter("year", "年份（留空为全部）", "year (empty: all)", "", clause="FILTER(STR(?year) = {value})",
                   optional=True),),
        "没有写明年份的目标年份为空。", "Targets that state no year have an empty year."),
    Question(
        "courses-without-certificate", "哪些课程还没有对应任何证书？", "Which courses are linked to no certificate?",
        """
SELECT DISTINCT ?course ?name ?code ?majorName WHERE {{
  {code}
  ?course a vet:Course ; skos:prefLabel ?name .
  OPTIONAL {{ ?course vet:forMajor ?major . ?major skos:notation ?code ; skos:prefLabel ?majorName }}
  FILTER NOT EXISTS {{
    ?alignment vet:alignmentSource ?course ; vet:alignmentTarget ?target .
    {{ ?target a vet:Certificate }} UNION {{ ?target a vet:CertificateLevel }}
  }}
}} ORDER BY ?code ?name""",
        (Parameter("code", "专业代码（留空为全部）", "major code (empty: all)", "460702",
                   clause="?major skos:notation {value} . ?course vet:forMajor ?major .", optional=True),),
        "按图谱中存储的对应判断；课证对应图按课程名另算推荐。",
        "Judged by the links the store holds; the alignment map computes name-based suggestions on top."),
)
BY_KEY = {question.key: question for question in QUESTIONS}
