"""Mention IRIs are keyed by content (provision, text, occurrence), so a review attached to one survives edits."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode

from ingest.policy.parser import parse_policy
from ingest.policy.triples import policy_to_triples
from kg.core import iris, terms
from kg.core.names import slugify

HEAD = "# XX市职业教育促进办法\n\n"
SOURCE = NamedNode("https://w3id.org/vetgraph/source/test")


def _mentions(tmp_path: Path, name: str, body: str) -> dict[str, str]:
    path = tmp_path / f"{name}.md"
    path.write_text(HEAD + body, encoding="utf-8")
    doc = parse_policy(path)
    rows: dict[str, str] = {}
    for s, p, o in policy_to_triples(doc, SOURCE):
        if p.value == terms.VET + "spanText" and "/mention/" in s.value:
            rows[s.value.split("/policy/", 1)[1].split("/", 1)[1]] = o.value
    return rows


def test_a_new_mention_before_others_leaves_their_iris_alone(tmp_path: Path) -> None:
    before = _mentions(tmp_path, "a", "第一条 推进产教融合和校企合作。\n")
    after = _mentions(tmp_path, "a", "第一条 深化岗课赛证综合育人，推进产教融合和校企合作。\n")
    assert set(before.values()) == {"产教融合", "校企合作"}
    assert set(after.values()) == {"岗课赛证", "产教融合", "校企合作"}
    assert set(before.items()) <= set(after.items())


def test_a_second_occurrence_of_the_same_text_gets_its_own_iri(tmp_path: Path) -> None:
    rows = _mentions(tmp_path, "b", "第一条 推进校企合作，深化校企合作。\n")
    provision = iris.provision(iris.policy_document("b"), "article-1")
    first, second = (iris.mention(provision, "校企合作", n).value for n in (1, 2))
    assert first != second
    assert {key for key, text in rows.items() if text == "校企合作"} == {_local(first), _local(second)}
    assert len(rows) == 2


def test_two_spellings_that_normalise_alike_get_two_iris(tmp_path: Path) -> None:
    """'1+X' and '1＋Ｘ' hash to the same key, so the occurrence must be counted on that key too."""
    rows = _mentions(tmp_path, "c", "第一条 推进1+X证书制度，完善1＋Ｘ证书制度。\n")
    assert sorted(rows.values()) == ["1+X证书制度", "1＋Ｘ证书制度"]
    provision = iris.provision(iris.policy_document("c"), "article-1")
    expected = {_local(iris.mention(provision, "1+X证书制度", n).value) for n in (1, 2)}
    assert set(rows) == expected


def test_occurrences_count_on_the_normalised_key() -> None:
    items = ["1+X", "1＋Ｘ", "1 + X", "双师型"]
    assert list(iris.occurrences(items, str)) == [("1+X", 1), ("1＋Ｘ", 2), ("1 + X", 3), ("双师型", 1)]


def _local(iri: str) -> str:
    return iri.split("/policy/", 1)[1].split("/", 1)[1]


def test_a_file_name_of_only_punctuation_still_gets_a_slug(tmp_path: Path) -> None:
    """The slug ends the document's IRI: an empty one would hang every provision off the policy namespace."""
    assert slugify("《》") == slugify("") == slugify("--") == "unnamed"
    assert slugify("A b/c") == "a-b-c" and slugify("《职业教育法》") == "职业教育法"
    path = tmp_path / "《》.md"
    path.write_text(HEAD + "第一条 推进产教融合。\n", encoding="utf-8")
    assert parse_policy(path).slug == "unnamed"
