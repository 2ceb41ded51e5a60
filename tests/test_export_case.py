"""CASE 1.1 export: the sample maps validate against the official CFPackage schema, formats really checked."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from kg.export.case import CASE_NAMESPACE, case_bytes, case_package
from tests.conftest import ROOT
from tests.map_samples import BATTERY, FORMULA, MAJOR, MOTOR, SMART, SPECIAL, bare_major_map, major_map

SCHEMA = (ROOT.parent / "shared" / "standards" / "case-v1p1-cfpackage-schema.json").resolve()


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    if not SCHEMA.exists():
        pytest.skip(f"CASE schema not found at {SCHEMA}: these tests need ../shared/standards beside the checkout")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(validator: Draft202012Validator, instance: Any) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(instance)]


def test_the_format_checker_really_checks_uri_and_date_time() -> None:
    checker = Draft202012Validator.FORMAT_CHECKER
    assert {"uri", "date-time", "date"} <= set(checker.checkers)
    assert not checker.conforms("not a uri", "uri")
    assert not checker.conforms("w3id.org/vetgraph/id/major/460702", "uri")  # relative: no scheme
    assert checker.conforms("https://w3id.org/vetgraph/id/major/460702", "uri")
    assert not checker.conforms("2026-13-45", "date-time")
    assert not checker.conforms("2026-11-30", "date-time")
    assert checker.conforms("2026-11-30T09:30:00Z", "date-time")


@pytest.mark.parametrize("build", [major_map, bare_major_map], ids=["profile", "no-profile"])
def test_the_sample_maps_validate_against_the_official_schema(validator: Draft202012Validator, build) -> None:
    assert _errors(validator, case_package(build())) == []


def test_the_schema_rejects_what_the_format_checker_catches(validator: Draft202012Validator) -> None:
    package = case_package(major_map())
    package["CFDocument"]["uri"] = "not a uri"
    package["CFItems"][0]["lastChangeDateTime"] = "2026-13-45"
    errors = _errors(validator, package)
    assert any("CFDocument.uri" in error for error in errors)
    assert any("CFItems[0].lastChangeDateTime" in error for error in errors)


def test_item_types_are_defined_and_named_by_each_item(validator: Draft202012Validator) -> None:
    package = case_package(major_map())
    types = {t["title"]: t for t in package["CFDefinitions"]["CFItemTypes"]}
    assert {name: t["uri"] for name, t in types.items()} == {
        "Competency": "https://purl.org/ctdlasn/terms/Competency", "Course": "https://w3id.org/vetgraph/ontology#Course"}
    for item in package["CFItems"]:
        assert item["CFItemTypeURI"]["identifier"] == types[item["CFItemType"]]["identifier"]
    del types["Course"]["description"]  # the binding requires it: the schema check is not a formality
    assert any("description" in error for error in _errors(validator, package))
    bare = case_package(bare_major_map())["CFDefinitions"]
    assert [t["title"] for t in bare["CFItemTypes"]] == ["Course"] and bare["CFAssociationGroupings"] == []


def test_the_document_is_the_profile_or_else_the_major() -> None:
    document = case_package(major_map())["CFDocument"]
    assert document["uri"] == "https://w3id.org/vetgraph/id/major-profile/460702"
    assert document["title"] == "新能源汽车技术（460702）专业岗课赛证对应表"
    assert (document["creator"], document["language"], document["caseVersion"]) == ("VETgraph", "zh", "1.1")
    assert document["lastChangeDateTime"] == "2026-11-30T09:30:00Z"
    assert document["subjectURI"][0]["uri"] == MAJOR.iri
    assert "培养目标定位：培养新能源汽车检测与维修的技术技能人才" in document["description"]
    bare = case_package(bare_major_map())
    assert bare["CFDocument"]["uri"] == "https://w3id.org/vetgraph/id/major/510205"
    assert [(item["CFItemType"], item["fullStatement"]) for item in bare["CFItems"]] == [("Course", "数据采集技术")]
    assert "无专业简介" in bare["CFDocument"]["notes"]


def test_competencies_then_courses_in_order_each_a_child_of_the_document() -> None:
    package = case_package(major_map())
    items = package["CFItems"]
    assert [(item["CFItemType"], item["listEnumeration"], item["humanCodingScheme"]) for item in items] == [
        ("Competency", "1", "460702-C1"), ("Competency", "2", "460702-C2"),
        ("Course", "1", "460702-K1"), ("Course", "2", "460702-K2"), ("Course", "3", "460702-K3")]
    assert items[0]["fullStatement"] == "具有新能源汽车动力电池检测与维护的能力"
    assert [item["uri"] for item in items[2:]] == [BATTERY.iri, MOTOR.iri, FORMULA.iri]
    assert items[4]["fullStatement"] == FORMULA.label  # JSON, not a spreadsheet: the text is kept as it is
    children = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
    assert [(a["originNodeURI"]["uri"], a["sequenceNumber"]) for a in children] == [
        (item["uri"], n) for n, item in enumerate(items, start=1)]
    assert {a["destinationNodeURI"]["identifier"] for a in children} == {package["CFDocument"]["identifier"]}


def _to(package: dict[str, Any], certificate: str) -> list[dict[str, Any]]:
    return [a for a in package["CFAssociations"] if a["destinationNodeURI"]["uri"] == certificate]


def test_associations_to_the_smart_certificate_are_exact_matches() -> None:
    package = case_package(major_map())
    smart = _to(package, SMART.iri)
    assert {a["originNodeURI"]["uri"] for a in smart} == {BATTERY.iri, package["CFDocument"]["uri"]}
    for association in smart:
        assert association["associationType"] == "exactMatchOf"
        assert association["destinationNodeURI"] == {
            "title": "智能新能源汽车职业技能等级证书", "identifier": str(uuid.uuid5(CASE_NAMESPACE, SMART.iri)),
            "uri": SMART.iri, "targetType": "ext:Certificate"}
        assert association["CFAssociationGroupingURI"]["uri"] == "https://purl.org/ctdlasn/terms/exactAlignment"
    cell = next(a for a in smart if a["originNodeURI"]["uri"] == BATTERY.iri)
    assert cell["extensions"]["evidence"][0]["text"] == "模块三 动力电池检测与维护"
    assert "模块三 动力电池检测与维护" in cell["notes"]


def test_graded_links_are_related_with_strength_method_status_and_score_kept() -> None:
    package = case_package(major_map())
    special = {a["originNodeURI"]["uri"]: a for a in _to(package, SPECIAL.iri)}
    assert set(special) == {MOTOR.iri, package["CFDocument"]["uri"]}
    cell = special[MOTOR.iri]
    assert cell["associationType"] == "isRelatedTo"
    assert cell["CFAssociationGroupingURI"]["uri"] == "https://purl.org/ctdlasn/terms/minorAlignment"
    assert {k: cell["extensions"][k] for k in ("strength", "method", "status", "score")} == {
        "strength": "minor", "method": "text", "status": "proposed", "score": 0.31}
    groupings = package["CFDefinitions"]["CFAssociationGroupings"]
    assert [g["uri"].rsplit("/", 1)[1] for g in groupings] == ["exactAlignment", "minorAlignment"]


def test_a_stated_certificate_no_course_covers_is_marked_as_a_gap() -> None:
    (association,) = _to(case_package(major_map()), "https://w3id.org/vetgraph/id/certificate/hv")
    assert association["extensions"]["gap"] is True
    assert "缺口" in association["notes"]


def test_identifiers_are_uuid5_unique_and_the_bytes_stable() -> None:
    amap = major_map()
    package = case_package(amap)
    assert package["CFDocument"]["identifier"] == str(uuid.uuid5(CASE_NAMESPACE, package["CFDocument"]["uri"]))
    for item in package["CFItems"]:
        assert item["identifier"] == str(uuid.uuid5(CASE_NAMESPACE, item["uri"]))
    identifiers = [a["identifier"] for a in package["CFAssociations"]] + [i["identifier"] for i in package["CFItems"]]
    assert len(set(identifiers)) == len(identifiers)
    assert all(uuid.UUID(identifier).version == 5 for identifier in identifiers)
    data = case_bytes(amap)
    assert data == case_bytes(major_map())
    assert data.endswith(b"}\n") and "智能新能源汽车".encode() in data  # UTF-8, not \\u escapes
    assert json.loads(data) == package
