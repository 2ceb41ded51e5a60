"""Richer major texts: a major with a 专业简介 is indexed with its 职业面向, its competencies and its core courses,
in a paragraph of its own, so its name and its profile are embedded apart."""

from __future__ import annotations

import pytest

from kg.search import texts
from kg.search.chunking import fallback_count_tokens, plan_chunks
from kg.search.texts import PARAGRAPH, embedded_text, node_texts, profile_text
from tests.test_search_texts import ID, PREFIXES, SMALL, turtle_store

#: The profile of 460702 (as the profile ingestor writes it) and a second major with none.
PROFILE = PREFIXES + """
<major-profile/460702> a vet:MajorProfile ; vet:profileOf <major/460702> ;
    vet:occupationalOrientation "面向新能源汽车整车制造等行业的整车制造人员、维修技术服务人员等职业，新能源汽车装配调试等岗位（群）。"@zh ;
    vet:coreCourse <course/460702/a> , <course/460702/core2> .
<course/460702/core2> a vet:Course ; skos:prefLabel "动力电池及管理技术"@zh ; vet:forMajor <major/460702> .
<competency-framework/460702> a ceasn:CompetencyFramework ; vet:frameworkOf <major/460702> .
<competency-framework/460702/2> a ceasn:Competency ; ceasn:isPartOf <competency-framework/460702> ;
    vet:order 2 ; ceasn:competencyText "具有终身学习和可持续发展的能力"@zh .
<competency-framework/460702/1> a ceasn:Competency ; ceasn:isPartOf <competency-framework/460702> ;
    vet:order 1 ; ceasn:competencyText "具有新能源汽车整车及关键零部件质量检验的能力；"@zh .
<major/500212> a vet:Major ; skos:prefLabel "新能源汽车检测与维修技术"@zh ; skos:notation "500212" .
<competency-framework/500212> a ceasn:CompetencyFramework ; vet:frameworkOf <major/500212> .
<competency-framework/500212/1> a ceasn:Competency ; ceasn:isPartOf <competency-framework/500212> ;
    vet:order 1 ; ceasn:competencyText "具有终身学习和可持续发展的能力"@zh .
"""


def majors(*graphs: str) -> dict[str, object]:
    return {n.iri.removeprefix(ID): n for n in node_texts(turtle_store(*graphs)) if n.cls == "Major"}


def test_a_profiled_major_has_its_orientation_competencies_and_core_courses() -> None:
    major = majors(SMALL, PROFILE)["major/460702"]
    assert major.label == "新能源汽车技术"
    assert major.text == ("新能源汽车技术" + PARAGRAPH +
                          "面向新能源汽车整车制造等行业的整车制造人员、维修技术服务人员等职业，新能源汽车装配调试等岗位（群）。"
                          "主要专业能力：具有新能源汽车整车及关键零部件质量检验的能力；具有终身学习和可持续发展的能力。"
                          "专业核心课程：动力电池及管理技术、新能源汽车构造。")
    assert major.context == majors(SMALL)["major/460702"].context  # the context is the catalogue's, as before
    assert embedded_text(major).startswith("新能源汽车技术\n\n面向")  # the label is not repeated


def test_the_name_and_the_profile_are_chunked_apart() -> None:
    plain, profiled = majors(SMALL)["major/460702"], majors(SMALL, PROFILE)["major/460702"]
    chunks = plan_chunks(profiled, 512, fallback_count_tokens)
    assert [start for _, start in chunks] == [0, len("新能源汽车技术" + PARAGRAPH)]
    name, profile = (chunk.text for chunk, _ in chunks)
    assert [chunk.text for chunk, _ in plan_chunks(plain, 512)] == [name]  # the name card is what it was
    assert profile.startswith("新能源汽车技术\n面向新能源汽车整车制造") and profile.endswith(profiled.context)
    tight = plan_chunks(profiled, 60, fallback_count_tokens)  # a small limit cuts the profile, never the name
    assert len(tight) > 2 and all(fallback_count_tokens(chunk.text) <= 60 for chunk, _ in tight)
    assert tight[0][0].text.startswith("新能源汽车技术\n专业")


def test_competencies_that_many_majors_share_are_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(texts, "BOILERPLATE_MAJORS", 1)
    found = majors(SMALL, PROFILE)
    assert "终身学习" not in found["major/460702"].text
    assert found["major/500212"].text == "新能源汽车检测与维修技术"  # nothing left: the label is the text


def test_a_major_without_a_profile_keeps_its_text_and_digest() -> None:
    plain, profiled = majors(SMALL)["major/460702"], majors(SMALL, PROFILE)["major/460702"]
    assert plain.text == plain.label
    assert plain.digest != profiled.digest  # a new profile re-embeds the major at the next `vetgraph index`
    assert majors(SMALL, PROFILE, PROFILE)["major/460702"].digest == profiled.digest


def test_profile_text_joins_orientation_and_competencies() -> None:
    assert profile_text("", [], []) == ""
    assert profile_text("面向养老护理员等职业", [], []) == "面向养老护理员等职业。"
    assert profile_text("", ["具有照护能力；", "具有沟通能力"], ["老年照护"]) == (
        "主要专业能力：具有照护能力；具有沟通能力。专业核心课程：老年照护。")
