"""The command line, in-process: ingest, stats, sparql, validate, export, help, errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.store.home import Home
from tests.conftest import ROOT, require_shared

COMMANDS = [["ingest"], ["stats"], ["sparql"], ["validate"], ["export"], ["export", "graph"], ["serve"]]


def run(home: Path, *args: str, input: str | None = None):
    result = CliRunner().invoke(cli, ["--store", str(home), *args], input=input, catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def policy_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real laws and the seed, ingested once for the read-only tests of this module."""
    policy = require_shared("policy")
    home = tmp_path_factory.mktemp("cli") / "home"
    result = run(home, "ingest", str(policy))
    assert result.exit_code == 0, result.output
    return home


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    if command != ["export"]:
        assert "Example:" in result.output


def test_ingest_reports_added_then_unchanged(policy_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(policy_home, home)
    before = run(home, "stats", "--json").output
    triples = len(list(Home(home).open_reader().quads(include_system=True)))
    again = run(home, "ingest", str(require_shared("policy")))
    assert again.exit_code == 0
    assert "0 added, 0 replaced, 11 unchanged" in again.output
    assert run(home, "stats", "--json").output == before
    assert len(list(Home(home).open_reader().quads(include_system=True))) == triples


def test_stats_json_counts_classes_by_local_name(policy_home: Path) -> None:
    result = run(policy_home, "stats", "--json")
    counts = json.loads(result.output)
    assert counts["PolicyDocument"] == 11 and counts["eli:LegalResource"] == 11
    assert counts["Provision"] == counts["eli:LegalResourceSubdivision"] > 700
    assert counts["Target"] >= 5
    assert "SourceFile" not in counts and "IngestRun" not in counts  # system graph not counted


def test_changed_file_replaces_exactly_its_triples(tmp_path: Path) -> None:
    home = tmp_path / "home"
    doc = tmp_path / "opinion.txt"
    doc.write_text("关于测试的意见\n一、总体要求\n（一）目标 到2027年，建设3所学校。\n（二）原则 坚持产教融合。\n", encoding="utf-8")
    other = tmp_path / "other.md"
    other.write_text("# 测试条例\n\n第一条 为了测试，制定本条例。\n\n第二条 本条例自公布之日起施行。\n", encoding="utf-8")
    assert run(home, "ingest", str(doc), str(other)).exit_code == 0
    first = json.loads(run(home, "stats", "--json").output)
    doc.write_text("关于测试的意见\n一、总体要求\n（一）目标 到2027年，建设3所学校。\n", encoding="utf-8")
    result = run(home, "ingest", str(doc), str(other))
    assert "1 replaced, 1 unchanged" in result.output
    second = json.loads(run(home, "stats", "--json").output)
    assert second["Provision"] == first["Provision"] - 1
    numbers = run(home, "sparql", "SELECT ?n WHERE { ?p eli:number ?n } ORDER BY ?n", "--format", "csv").output
    assert numbers.split() == ["n", "一、", "第一条", "第二条", "（一）"] or sorted(numbers.split()[1:]) == sorted(
        ["一、", "第一条", "第二条", "（一）"])


def test_sparql_formats(policy_home: Path) -> None:
    query = ("SELECT ?number WHERE { ?p vet:inDocument ?d ; eli:number ?number . "
             "?d dcterms:identifier 'vocational-education-law-2022' . FILTER(?number = '第二十七条') }")
    table = run(policy_home, "sparql", query)
    assert table.exit_code == 0 and "第二十七条" in table.output and "(1 row)" in table.output
    csv_out = run(policy_home, "sparql", query, "--format", "csv").output
    assert csv_out.splitlines() == ["number", "第二十七条"]
    data = json.loads(run(policy_home, "sparql", query, "--format", "json").output)
    assert data["head"]["vars"] == ["number"]
    assert data["results"]["bindings"] == [{"number": {"type": "literal", "value": "第二十七条"}}]
    ask = json.loads(run(policy_home, "sparql", "ASK { ?t a vet:Target ; vet:unit '%' }", "--format", "json").output)
    assert ask["boolean"] is True


def test_a_long_query_is_not_mistaken_for_a_file_name(policy_home: Path) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?d a vet:PolicyDocument . " + "FILTER(true) " * 40 + "}"
    assert len(query) > 300
    assert run(policy_home, "sparql", query, "--format", "csv").output.split() == ["n", "11"]


def test_sparql_reads_a_query_file_and_stdin(policy_home: Path, tmp_path: Path) -> None:
    query_file = tmp_path / "q.rq"
    query_file.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?d a vet:PolicyDocument }", encoding="utf-8")
    assert run(policy_home, "sparql", str(query_file), "--format", "csv").output.split() == ["n", "11"]
    piped = run(policy_home, "sparql", "-", "--format", "csv", input="ASK { ?d a vet:PolicyDocument }")
    assert piped.output.strip() == "true"


def test_sparql_stdin_that_is_not_utf8_is_one_line_naming_stdin(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "home"), "sparql", "-"],
                                input=b"\xff\xfeA\x00S\x00K\x00", catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.startswith("error: stdin: cannot read the query") and "Traceback" not in result.output


def test_sparql_stdin_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "home"), "sparql", "-", "--format", "csv"],
                                input="\ufeffASK { ?s ?p ?o }".encode("utf-8"), catch_exceptions=False)
    assert result.exit_code == 0 and result.output.strip() == "false"


def test_draft_in_force_and_superseded_are_told_apart(policy_home: Path) -> None:
    query = ("SELECT ?id ?status WHERE { ?d a vet:PolicyDocument ; dcterms:identifier ?id ; vet:legalStatus ?s . "
             "BIND(STRAFTER(STR(?s), '#') AS ?status) }")
    rows = dict(line.split(",") for line in run(policy_home, "sparql", query, "--format", "csv").output.split()[1:])
    assert rows["000_63c5338d7d9bffda"] == "StatusDraft"
    assert rows["vocational-education-law-1996"] == "StatusSuperseded"
    assert rows["vocational-education-law-2022"] == "StatusInForce"
    repeals = run(policy_home, "sparql", "SELECT ?a ?b WHERE { ?a eli:repeals ?b }", "--format", "csv").output
    assert "vocational-education-law-2022" in repeals.splitlines()[1].split(",")[0]


def test_validate_passes_then_fails_on_a_graph_broken_on_purpose(policy_home: Path, tmp_path: Path) -> None:
    assert run(policy_home, "validate").exit_code == 0
    home = tmp_path / "broken"
    shutil.copytree(policy_home, home)
    with Home(home).writer() as store:
        store.update(  # a provision with a second parent and a document that is part of something
            "INSERT DATA { GRAPH <https://w3id.org/vetgraph/graph/test> { "
            "<https://w3id.org/vetgraph/id/policy/vocational-education-law-2022/chapter-1/article-1> "
            "<http://data.europa.eu/eli/ontology#is_part_of> "
            "<https://w3id.org/vetgraph/id/policy/education-law-2021> } }")
    result = run(home, "validate")
    assert result.exit_code == 1
    assert "vocational-education-law-2022/chapter-1/article-1" in result.output
    assert "is_part_of" in result.output


def test_export_graph_formats(policy_home: Path, tmp_path: Path) -> None:
    import rdflib

    for fmt, parse_as in (("ttl", "turtle"), ("nq", "nquads"), ("jsonld", "json-ld")):
        out = tmp_path / f"export.{fmt}"
        result = run(policy_home, "export", "graph", "--format", fmt, "--output", str(out))
        assert result.exit_code == 0
        if fmt == "nq":
            graph = rdflib.Dataset()
            graph.parse(out, format=parse_as)
            assert len(list(graph.quads())) > 10000
        else:
            graph = rdflib.Graph().parse(out, format=parse_as)
            assert (None, rdflib.URIRef("http://data.europa.eu/eli/ontology#number"), rdflib.Literal("第二十七条")) in graph


@pytest.mark.parametrize("where", ["missing-folder", "a-folder"])
def test_export_to_a_place_it_cannot_write_is_one_line_and_leaves_nothing(tmp_path: Path, where: str) -> None:
    home = tmp_path / "home"
    assert run(home, "ingest", str(ROOT / "corpus" / "policy")).exit_code == 0
    (tmp_path / "a-folder").mkdir()
    output = tmp_path / "missing-folder" / "x.ttl" if where == "missing-folder" else tmp_path / "a-folder"
    result = run(home, "export", "graph", "--output", str(output))
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {output}: cannot write:") and "Traceback" not in result.output
    assert not output.with_name(output.name + ".part").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "home"]


def test_a_failed_export_removes_its_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.export.factory

    def failing(store: object, fmt: str, output: BinaryIO) -> int:
        output.write(b"half an export")
        raise RuntimeError("the writer broke")

    monkeypatch.setattr(kg.export.factory, "export_graph", failing)
    output = tmp_path / "x.ttl"
    with pytest.raises(RuntimeError, match="the writer broke"):
        run(tmp_path / "home", "export", "graph", "--output", str(output))
    assert not output.exists() and not output.with_name("x.ttl.part").exists()


def test_errors_are_one_line_naming_the_problem(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bad = run(home, "sparql", "SELECT ?x WHERE { ?x ?y }")
    assert bad.exit_code == 1 and bad.output.startswith("error: SPARQL syntax error") and "Traceback" not in bad.output
    refused = run(home, "sparql", "DELETE WHERE { ?s ?p ?o }")
    assert refused.exit_code == 1 and refused.output.startswith("error:")
    missing = run(home, "ingest", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 1 and "nope.txt" in missing.output and "no such file" in missing.output
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02abc")
    rejected = run(home, "ingest", str(binary))
    assert rejected.exit_code == 1 and "binary.txt" in rejected.output and "binary" in rejected.output
    kind = run(home, "ingest", "--kind", "nonsense", str(binary))
    assert kind.exit_code == 1 and "known:" in kind.output and "policy" in kind.output


def test_a_folder_skips_what_no_ingestor_recognises(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "README.md").write_text("# Notes\n\n1. install\n2. run\n", encoding="utf-8")
    (folder / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "opinion.txt").write_text("关于测试的意见\n一、总体要求\n二、主要任务\n", encoding="utf-8")
    result = run(tmp_path / "home", "ingest", str(folder))
    assert result.exit_code == 0
    assert re.search(r"skipped .*README\.md: .*documentation", result.output)
    assert re.search(r"skipped .*table\.csv", result.output)
    assert "1 added" in result.output and "2 skipped" in result.output


def test_strict_exits_1_when_a_row_was_rejected(tmp_path: Path) -> None:
    from tests.catalogue_helpers import with_changes, write_csv
    from tests.test_catalogue_majors import GOOD, HEADER

    bad = with_changes(GOOD[0], {2: "46070"})  # line 5: a five-digit major code
    table = write_csv(tmp_path / "majors.csv", HEADER, [*GOOD, bad])
    lenient = run(tmp_path / "lenient", "ingest", str(table))
    assert lenient.exit_code == 0, lenient.output
    assert "majors.csv:5: bad major code '46070'" in lenient.output and "1 rejected rows" in lenient.output
    strict = run(tmp_path / "strict", "ingest", "--strict", str(table))
    assert strict.exit_code == 1, strict.output
    assert "majors.csv:5: bad major code '46070'" in strict.output
    again = run(tmp_path / "lenient", "ingest", "--strict", str(table))  # unchanged, the rejection remembered
    assert again.exit_code == 1 and "1 unchanged" in again.output
    clean = write_csv(tmp_path / "clean.csv", HEADER, GOOD)
    assert run(tmp_path / "clean", "ingest", "--strict", str(clean)).exit_code == 0


def test_json_report_is_alone_on_stdout(tmp_path: Path) -> None:
    doc = tmp_path / "opinion.txt"
    doc.write_text("关于测试的意见\n一、总体要求\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kg", "--store", str(tmp_path / "h"), "ingest", str(doc), "--json"],
                            capture_output=True, text=True, cwd=ROOT)
    report = json.loads(result.stdout)
    assert report["files"][0]["status"] == "added"
    assert "1 added" in result.stderr


@pytest.mark.parametrize("command", [["--help"], ["stats"], ["sparql", "ASK { ?s ?p ?o }"]])
def test_light_commands_do_not_import_heavy_libraries(command: list[str], tmp_path: Path) -> None:
    heavy = ["torch", "sentence_transformers", "faiss", "streamlit", "rdflib", "pyshacl", "docx", "pdfplumber"]
    script = (
        "import sys\nfrom kg.cli.main import cli\n"
        f"try:\n    cli({['--store', str(tmp_path / 'h'), *command]!r})\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr
