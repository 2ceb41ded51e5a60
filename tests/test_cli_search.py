"""`vetgraph index` and `vetgraph search` in-process, with the deterministic fake encoder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.pipeline.run import ingest
from kg.store.home import Home
from tests.conftest import ROOT


def run(home: Path, *args: str):
    return CliRunner().invoke(cli, ["--store", str(home), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def indexed_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = Home(tmp_path_factory.mktemp("search") / "home")
    ingest(home, [ROOT / "corpus"])
    result = run(home.root, "index", "--model", "fake")
    assert result.exit_code == 0, result.output
    assert "added" in result.output and "chunks embedded" in result.output
    return home.root


def test_a_second_index_run_embeds_nothing(indexed_home: Path) -> None:
    result = run(indexed_home, "index")
    assert result.exit_code == 0
    assert "0 added, 0 updated, 0 removed" in result.output and "0 chunks embedded" in result.output


def test_search_json_gives_the_fields_a_client_needs(indexed_home: Path) -> None:
    result = run(indexed_home, "search", "老年照护", "--type", "Certificate", "--json")
    hits = json.loads(result.output)
    assert hits and hits[0]["type"] == "Certificate"
    assert hits[0]["label"] == "老年照护职业技能等级证书"
    for hit in hits:
        assert set(hit) >= {"iri", "type", "label", "text", "snippet", "score"}
        assert hit["iri"].startswith("https://w3id.org/vetgraph/id/")


def test_provision_hits_carry_their_full_text_starting_with_the_number(indexed_home: Path) -> None:
    hits = json.loads(run(indexed_home, "search", "校企合作 税收", "--type", "Provision", "--json").output)
    assert hits
    articles = [h for h in hits if h["label"].startswith("第")]
    assert articles and all(h["text"].startswith(h["label"].split()[0]) for h in articles)


def test_filters_keep_only_the_class_and_level_asked_for(indexed_home: Path) -> None:
    hits = json.loads(run(indexed_home, "search", "电子商务", "--type", "Major", "--level", "中职", "--json").output)
    assert hits and {h["type"] for h in hits} == {"Major"}
    codes = [h["iri"].rsplit("/", 1)[-1] for h in hits]
    assert all(code[0] in "67" for code in codes)  # 中职 major codes start with 6 or 7


def test_batch_prints_one_array_per_query_line(indexed_home: Path, tmp_path: Path) -> None:
    batch = tmp_path / "queries.txt"
    batch.write_text('新能源汽车\n{"q": "养老", "type": "Certificate", "top": 2}\n\n工业机器人\n', encoding="utf-8")
    result = run(indexed_home, "search", "--batch", str(batch), "--json")
    lines = result.output.strip().splitlines()
    assert len(lines) == 3
    answers = [json.loads(line) for line in lines]
    assert len(answers[1]) <= 2 and all(h["type"] == "Certificate" for h in answers[1])


def test_search_without_an_index_is_one_clear_line(tmp_path: Path) -> None:
    result = run(tmp_path / "empty", "search", "养老")
    assert result.exit_code == 1 and result.output.startswith("error: no search index") and "\n" == result.output[-1]
    assert result.output.count("\n") == 1


def test_align_adds_embedding_links_when_the_home_has_an_index(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    ingest(home, [ROOT / "corpus"])
    without = run(home.root, "align")
    assert without.exit_code == 0 and "no search index: links by code, name, alias" in without.output
    assert run(home.root, "index", "--model", "fake").exit_code == 0
    result = run(home.root, "align")
    assert result.exit_code == 0, result.output
    assert "embedding links: " in result.output and "no search index" not in result.output
    found = re.search(r"embedding links: \d+ proposed links for \d+ of (\d+) mentions", result.output)
    assert found and int(found[1]) > 0  # the corpus policies name fields no code, name or alias resolves
