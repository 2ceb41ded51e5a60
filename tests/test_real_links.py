"""Linking on all of ../shared/data: the seed policy's fields reach industries and majors, profiles their certificates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.store.home import Home
from tests.conftest import SEED_FIELDS

SEED = "https://w3id.org/vetgraph/id/policy/000_63c5338d7d9bffda"

pytestmark = pytest.mark.realdata


def _codes_of_fields(home: Home) -> dict[str, set[str]]:
    rows = home.open_reader().select(f"""SELECT DISTINCT ?term ?code WHERE {{
        ?m a vet:Mention ; vet:mentionKind "industry" ; vet:matchedTerm ?term ; vet:mentionedIn ?p .
        ?p vet:inDocument <{SEED}> . OPTIONAL {{ ?m vet:refersTo ?i . ?i a vet:Industry ; skos:notation ?code }} }}""")
    codes: dict[str, set[str]] = {}
    for row in rows:
        codes.setdefault(row["term"], set()).update([row["code"]] if "code" in row else [])
    return codes


def test_every_field_of_the_seed_policy_resolves_to_gbt4754_codes(real_home: Home) -> None:
    codes = _codes_of_fields(real_home)
    assert set(SEED_FIELDS) <= set(codes)
    assert all(codes[term] for term in codes), {t: c for t, c in codes.items() if not c}
    assert {"4415", "4416"} <= codes["清洁能源"]


def test_every_field_reaches_majors_through_its_industries(real_home: Home) -> None:
    rows = real_home.open_reader().select(f"""SELECT DISTINCT ?term ?major WHERE {{
        ?m vet:mentionKind "industry" ; vet:matchedTerm ?term ; vet:mentionedIn ?p ; vet:refersTo ?i .
        ?p vet:inDocument <{SEED}> .
        ?a vet:alignmentTarget ?i ; vet:alignmentSource ?major . ?major a vet:Major }}""")
    majors: dict[str, set[str]] = {}
    for row in rows:
        majors.setdefault(row["term"], set()).add(row["major"])
    assert {term for term in SEED_FIELDS if majors.get(term)} == set(SEED_FIELDS)


def test_every_listed_skill_certificate_is_linked_to_its_major(real_home: Home) -> None:
    store = real_home.open_reader()
    unlinked = store.select("""SELECT ?m ?term WHERE {
        ?m vet:mentionKind "skill-certificate" ; vet:matchedTerm ?term ; vet:mentionedIn ?profile .
        ?profile vet:profileOf ?major .
        FILTER NOT EXISTS { ?m vet:refersTo ?c . ?a vet:alignmentSource ?major ; vet:alignmentTarget ?c ;
                            vet:alignmentType "major-certificate" ; vet:method "stated" } } LIMIT 5""")
    assert unlinked == []
    in_catalogue = store.select("""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
        ?m vet:mentionKind "skill-certificate" ; vet:refersTo ?c . FILTER NOT EXISTS { ?c vet:outsideCatalogue true } }""")
    assert int(in_catalogue[0]["n"]) >= 59  # of the 1+X certificates the profiles name (one name is ambiguous)


def test_the_new_energy_vehicle_major_lists_its_stated_certificates(real_home: Home) -> None:
    result = CliRunner().invoke(cli, ["--store", str(real_home.root), "align", "suggest", "--major", "460702",
                                      "--type", "Certificate", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)  # stdout holds only the array
    assert "no search index" in result.stderr  # what it could not use is said on stderr
    stated = [item for item in found if item["method"] == "stated"]
    assert {item["label"] for item in stated} >= {"智能新能源汽车职业技能等级证书", "新能源汽车装调与测试职业技能等级证书",
                                                   "电动汽车高电压系统评测与维修职业技能等级证书"}
    assert found[: len(stated)] == stated and all(item["type"] == "Certificate" for item in found)
    catalogue = next(item for item in stated if item["label"] == "智能新能源汽车职业技能等级证书")
    assert catalogue["resolved_by"] == "name" and catalogue["status"] == "accepted"
    assert {"iri", "type", "label", "code", "score", "method", "resolved_by", "strength", "status"} <= set(catalogue)


def test_aligning_again_changes_nothing(real_home: Home, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    shutil.copytree(real_home.root, home.root)
    before = sorted(str(q) for q in home.open_reader().quads())
    result = CliRunner().invoke(cli, ["--store", str(home.root), "align"])
    assert result.exit_code == 0, result.output
    assert sorted(str(q) for q in home.open_reader().quads()) == before
