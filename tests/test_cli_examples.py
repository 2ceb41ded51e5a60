"""The examples in `vetgraph --help` name files that exist, and the query kinds every format renders."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from tests.conftest import ROOT

CORPUS_POLICY = ROOT / "corpus" / "policy"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def _example_paths(help_text: str) -> list[str]:
    """Arguments of the example lines that look like paths into the checkout or ../shared."""
    lines = help_text.split("Example:", 1)[1].splitlines() if "Example:" in help_text else []
    words = [w for line in lines if line.strip().startswith("vetgraph ")
             for part in line.split("&&") for w in shlex.split(part.strip())]
    return [w for w in words if re.match(r"^(corpus|\.\./shared)/", w)]


@pytest.mark.parametrize("command", _commands(cli), ids=lambda c: " ".join(c) or "vetgraph")
def test_the_paths_in_a_help_example_exist(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    for path in _example_paths(result.output):
        assert (ROOT / path).exists(), f"`vetgraph {' '.join(command)} --help` names {path}, which does not exist"


def test_the_example_path_finder_sees_the_ingest_example() -> None:
    output = CliRunner().invoke(cli, ["ingest", "--help"]).output
    assert _example_paths(output) == ["../shared/data/policy", "corpus/policy/demo-school-enterprise-cooperation-measures.md",
                                      "../shared/data"]
    assert _example_paths("Example:\n  vetgraph ingest corpus/nothing.md\n") == ["corpus/nothing.md"]


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("examples") / "home"
    result = CliRunner().invoke(cli, ["--store", str(home), "ingest", str(CORPUS_POLICY)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return home


CONSTRUCT = "CONSTRUCT { ?d eli:title ?t } WHERE { ?d a vet:PolicyDocument ; eli:title ?t }"


@pytest.mark.parametrize("fmt, expected", [
    ("table", "@prefix eli: <http://data.europa.eu/eli/ontology#>"),
    ("csv", "<http://data.europa.eu/eli/ontology#title>"),
    ("json", "<http://data.europa.eu/eli/ontology#title>"),
])
def test_a_construct_query_renders_in_every_format(demo_home: Path, fmt: str, expected: str) -> None:
    result = CliRunner().invoke(cli, ["--store", str(demo_home), "sparql", CONSTRUCT, "--format", fmt])
    assert result.exit_code == 0, result.output
    assert expected in result.output and "XX市促进职业教育校企合作条例" in result.output


def test_a_table_prefixes_vocabulary_iris_and_keeps_node_iris_whole(demo_home: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(demo_home), "sparql",
                                      "SELECT ?d ?status WHERE { ?d vet:legalStatus ?status } ORDER BY ?d"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["d", "|", "status"] and lines[-1] == "(3 rows)"
    assert any("https://w3id.org/vetgraph/id/policy/" in line and "StatusDraft" in line and "vet:" not in line
               for line in lines)


def test_align_suggest_refuses_what_it_cannot_find_in_one_line(demo_home: Path) -> None:
    runner = CliRunner()
    bad_iri = runner.invoke(cli, ["--store", str(demo_home), "align", "suggest", "--course", "课程 x> }"])
    assert bad_iri.exit_code == 2 and "is not an IRI" in bad_iri.output and "Traceback" not in bad_iri.output
    unknown = runner.invoke(cli, ["--store", str(demo_home), "align", "suggest", "--major", "999999"])
    assert unknown.exit_code == 1 and unknown.output.strip() == "error: no Major 999999 in the store"
    nothing = runner.invoke(cli, ["--store", str(demo_home), "align", "suggest", "--certificate", "不存在的证书"])
    assert nothing.exit_code == 1 and "no certificate named '不存在的证书'" in nothing.output
