"""The class a query asks for in its own words (专业, 证书, 课程, 职业, 行业, 第…条; major, certificate…).

Used only when no class filter is given, to re-rank: hits of the named class move up, none drop out.
A word that names a class only in some phrases is guarded (职业 in 职业教育 or 职业学校 names no occupation).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kg.search.fusion import Fused

#: How much a named class's fused score is multiplied by: the best untyped nDCG@10 on the tuning split of the
#: boosts bench/search_match.py tries (1 to 50; the gain grows to the top of that range). At 50 the named class's
#: candidates come first almost always; other classes are not dropped: they follow, and fill the list where the
#: named class has few candidates.
INTENT_BOOST = 50.0
_NUMBER = "一二三四五六七八九十百千零〇两0-9０-９"
#: (class, pattern of the words that name it). Chinese words match anywhere; English ones as whole words.
CLASS_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Major", re.compile(r"专业(?!技术|人才|化|水平|能力|建设|设置|群)|\bmajors?\b", re.I)),
    ("Certificate", re.compile(r"(?<!学历)证书(?!制度)|(?<![保认验论考])证(?=$|\s)|\bcertificates?\b|"
                               r"\bcertifications?\b", re.I)),
    ("Course", re.compile(r"课程(?!体系|思政|改革|建设)|(?<![上下授听])课(?=$|\s)|\bcourses?\b", re.I)),
    ("Occupation", re.compile(r"职业(?!教育|学校|院校|技能|培训|本科|学历|资格|启蒙|生涯|指导|精神|素养|发展)|"
                              r"工种|岗位|师傅|的人(?=$|\s)|\boccupations?\b|\bjobs?\b|\bprofessions?\b", re.I)),
    ("Industry", re.compile(r"行业(?!协会|组织|企业|指导)|产业(?!学院|园|链|工人)|\bindustry\b|\bindustries\b|"
                            r"\bsectors?\b", re.I)),
    ("Provision", re.compile(f"第[{_NUMBER}]+条|条款|规定|\\barticles?\\b|\\bclauses?\\b|\\bprovisions?\\b", re.I)),
)
#: Words that, standing at the end of a query, only name the class: "会计专业" asks for the major 会计.
_TRAILING = re.compile(r"\s*(?:专业|职业技能等级证书|证书|(?<![保认验论考])证|课程|职业|工种|行业|产业|"
                       r"\b(?:majors?|certificates?|courses?|occupations?|jobs?|industry|industries))$", re.I)


def class_intent(query: str) -> list[str]:
    """The classes the query names, in the order of CLASS_WORDS; empty when it names none."""
    return [cls for cls, words in CLASS_WORDS if words.search(query)]


def trailing_class_word(query: str) -> tuple[str, list[str]]:
    """The query without its trailing class word and the classes that word names ("会计专业" -> ("会计",
    ["Major"])); the query itself and [] when it ends in none or is nothing but one."""
    match = _TRAILING.search(query)
    bare = query[:match.start()].strip() if match else ""
    return (bare, class_intent(match.group())) if match and bare else (query, [])


def without_class_word(query: str) -> str:
    """The query without a trailing class word ("会计专业" -> "会计"); the query itself when it has none."""
    return trailing_class_word(query)[0]


def retrieval_text(query: str, classes: list[str] | None) -> str:
    """What the retrievers score: the query without a trailing class word when that word's class is already
    applied (as the filter, or as the intent boost). Inside majors, "学前教育专业" asks for 学前教育: the word
    专业 only pulls toward texts that repeat it. A class word the search does not apply is kept ("会计专业"
    among courses, "会计专业 课程" among majors); a query that is nothing but a class word is kept whole."""
    bare, named = trailing_class_word(query)
    return bare if classes and set(named) & set(classes) else query


def boost_classes(fused: list[Fused], classes_of: Mapping[str, str], classes: list[str],
                  boost: float | None = None) -> list[Fused]:
    """The fused ranking with the scores of the named classes' nodes multiplied by ``boost`` (INTENT_BOOST
    when None), re-sorted."""
    boost = INTENT_BOOST if boost is None else boost
    if not classes or boost == 1:
        return fused
    wanted = set(classes)
    moved = [Fused(f.iri, f.score * boost if classes_of.get(f.iri) in wanted else f.score, f.found_by) for f in fused]
    return sorted(moved, key=lambda f: (-f.score, min(f.found_by.values()), f.iri))
