"""Mention IRIs are keyed by content (provision, text, occurrence), so a review attached to one survives edits."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode

from ingest.policy.parser import parse_policy
from ingest.policy.triples import policy_to_triples
from kg.core import iris, terms

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


def _local(iri: str) -> str:
    return iri.split("/policy/", 1)[1].split("/", 1)[1]
