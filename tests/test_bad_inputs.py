"""Bad inputs (tests/bad_inputs.py) against a store that already holds corpus/: a clear error or a correct ingest.

None gives a traceback; a refused file leaves the store's N-Quads exactly as they were; an accepted one
loses nothing of what the store held. A document re-encoded (BOM, GBK, GB18030, UTF-16) gives exactly
the graph of its UTF-8 twin.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode

from ingest.readers import read_lines
from ingest.readers.limits import ENV_MAX_DOCUMENT_MB, ENV_MAX_UNPACKED_MB, DocumentLimits
from ingest.registry import choose_ingestor
from kg.core.rdf import Triple
from kg.errors import SettingsError, SourceError, UnknownKindError
from kg.pipeline.run import ingest
from kg.store.home import Home
from tests import bad_inputs as bad
from tests.bad_inputs import ENCODINGS, MARKUP_LABEL, SCRIPT_TEXT, BadInput

CASES = bad.bad_inputs()
SOURCE = NamedNode("https://w3id.org/vetgraph/source/twin")


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """corpus/ ingested once; the cases below add to it one by one (each compares its own before and after)."""
    home = Home(tmp_path_factory.mktemp("bad") / "home")
    report = ingest(home, [bad.ROOT / "corpus"])
    assert report.count("rejected") == 0
    return home


def store_state(home: Home) -> tuple[set[str], set[str]]:
    """Every quad of the store as N-Quads (system graph included), and those of its source graphs only."""
    reader = home.open_reader()
    quads = {str(quad) for quad in reader.quads(include_system=True)}
    graphs = {f"<{record.graph}>" for record in reader.sources().values()}
    return quads, {quad for quad in quads if any(quad.endswith(f" {graph}") for graph in graphs)}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_a_bad_input_is_refused_clearly_or_ingested_and_never_harms_the_store(
        case: BadInput, corpus_home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    path = case.make(tmp_path / "in")
    before, sources_before = store_state(corpus_home)
    report = ingest(corpus_home, [path])  # a traceback would fail the test here
    (outcome,) = report.files
    after, _ = store_state(corpus_home)
    assert outcome.path == str(path.resolve())  # the report names the file
    if case.expect == "error":
        assert outcome.status == "rejected", (outcome.status, outcome.summary)
        assert case.message in outcome.reason, outcome.reason
        assert "\n" not in outcome.reason and "Traceback" not in outcome.reason
        assert after == before  # not one quad changed, the manifest included
    else:
        assert (outcome.status, outcome.kind) == ("added", case.kind), outcome.reason
        assert [r.line for r in outcome.rejections] == list(case.rejected_lines)
        assert all(case.message in r.reason for r in outcome.rejections)
        assert sources_before <= after  # what the store held is all still there


def test_the_cli_refuses_a_file_over_the_size_limit_in_one_line(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.cli.main import cli

    monkeypatch.setenv(ENV_MAX_DOCUMENT_MB, "1")
    case = next(c for c in CASES if c.name == "too-big.txt")
    path = case.make(tmp_path)
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "home"), "ingest", str(path)])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if str(path.resolve()) in line]
    assert lines == [f" rejected  {path.resolve()}: 3.0 MB, over the 1 MB limit for one document "
                     f"(max_document_mb; raise it with ${ENV_MAX_DOCUMENT_MB})"]


def test_the_size_limits_are_a_settings_object_with_defaults_and_environment() -> None:
    assert DocumentLimits() == DocumentLimits(max_document_mb=20, max_unpacked_mb=200)
    assert DocumentLimits.from_env({ENV_MAX_DOCUMENT_MB: "5", ENV_MAX_UNPACKED_MB: "50"}).to_dict() == \
        {"max_document_mb": 5.0, "max_unpacked_mb": 50.0}
    with pytest.raises(SettingsError, match=ENV_MAX_DOCUMENT_MB):
        DocumentLimits.from_env({ENV_MAX_DOCUMENT_MB: "big"})
    with pytest.raises(SettingsError, match="valid: max_document_mb, max_unpacked_mb"):
        DocumentLimits.from_dict({"max_mb": 3})
    with pytest.raises(SettingsError):
        DocumentLimits(max_document_mb=0)


def test_a_reader_refuses_a_file_over_the_limit_even_with_the_kind_forced(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_MAX_DOCUMENT_MB, "0.001")
    path = tmp_path / "policy.txt"
    path.write_text(bad.policy_text(), encoding="utf-8")
    with pytest.raises(SourceError, match="over the 0.001 MB limit"):
        read_lines(path)
    report = ingest(Home(tmp_path / "home"), [path], kind="policy")
    assert report.files[0].status == "rejected" and "over the 0.001 MB limit" in report.files[0].reason


@pytest.mark.parametrize(("name", "library"), [("bomb.docx", "docx.Document"),
                                               ("bomb.xlsx", "openpyxl.load_workbook")])
def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_inflated(
        name: str, library: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    case = next(c for c in CASES if c.name == name)
    monkeypatch.setenv(ENV_MAX_UNPACKED_MB, str(bad.SMALL_UNPACKED_MB))
    module, attribute = library.rsplit(".", 1)

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser was handed the zip bomb")

    path = case.make(tmp_path)
    monkeypatch.setattr(importlib.import_module(module), attribute, never)
    assert path.stat().st_size < 200_000  # small on disk, 16 MB unpacked
    with pytest.raises(UnknownKindError, match=r"zip bomb\? entry .* would unpack to 16.0 MB, over the 2 MB limit"):
        choose_ingestor(path)


def test_a_pdf_without_a_text_layer_is_refused_not_read_as_zero_provisions(tmp_path: Path) -> None:
    from ingest.policy.ingestor import parse_policy_file

    path = tmp_path / "scan.pdf"
    path.write_bytes(bad.scanned_pdf_bytes())
    with pytest.raises(UnknownKindError, match=r"no text layer \(scanned PDF\?\); OCR it first \(tried policy"):
        choose_ingestor(path)
    with pytest.raises(SourceError, match="no text layer"):
        parse_policy_file(path, SOURCE)


# -- twins: the same document in another encoding ------------------------------------------------------
def triple_set(triples: Iterable[Triple]) -> set[str]:
    return {f"{s} {p} {o}" for s, p, o in triples}


SAMPLES = {"policy.txt": bad.policy_text, "policy.md": bad.policy_text, "majors.csv": bad.majors_csv_text,
           "policy.html": lambda: bad.html_with_script(meta="").decode()}  # no charset: the bytes decide


@pytest.mark.parametrize("encoding", [e for e in ENCODINGS if e != "utf-8"])
@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_a_re_encoded_document_gives_exactly_the_graph_of_its_utf8_twin(sample: str, encoding: str,
                                                                        tmp_path: Path) -> None:
    text = SAMPLES[sample]()
    twin, other = tmp_path / "utf-8" / sample, tmp_path / encoding / sample  # same name: same document IRI
    for path, data in ((twin, ENCODINGS["utf-8"](text)), (other, ENCODINGS[encoding](text))):
        path.parent.mkdir()
        path.write_bytes(data)
    assert twin.read_bytes() != other.read_bytes()
    if encoding in ("gbk", "gb18030"):
        with pytest.raises(UnicodeDecodeError):
            other.read_bytes().decode("utf-8")
    ingestor = choose_ingestor(twin)
    assert choose_ingestor(other).kind == ingestor.kind
    expected, found = ingestor.parse(twin, SOURCE), ingestor.parse(other, SOURCE)
    assert expected.triples and triple_set(found.triples) == triple_set(expected.triples)
    assert (found.summary, found.rejections) == (expected.summary, expected.rejections)


# -- what the ingested bad inputs hold -----------------------------------------------------------------
def parsed(name: str, tmp_path: Path):  # noqa: ANN201 - a ParseResult
    case = next(c for c in CASES if c.name == name)
    path = case.make(tmp_path)
    return choose_ingestor(path).parse(path, SOURCE)


def literals(triples: Iterable[Triple]) -> list[str]:
    return [o.value for _, _, o in triples if isinstance(o, Literal)]


def test_script_text_never_becomes_content(tmp_path: Path) -> None:
    result = parsed("script.html", tmp_path)
    assert result.counts["provisions"] > 10
    assert not any("alert" in value or "document.write" in value for value in literals(result.triples))
    assert SCRIPT_TEXT not in " ".join(literals(result.triples))


def test_a_label_with_markup_is_kept_as_text(tmp_path: Path) -> None:
    """The graph holds the text as written; escaping is the job of whatever renders it (test_edge_safety)."""
    assert MARKUP_LABEL in literals(parsed("markup-label.csv", tmp_path).triples)


def test_quotes_and_newlines_inside_csv_cells_survive(tmp_path: Path) -> None:
    result = parsed("quotes-and-newlines.csv", tmp_path)
    assert result.rejections == []
    values = literals(result.triples)
    assert '新能源"汽车"技术' in values
    assert any(value.replace("\n", "") == "工业机器人技术" for value in values)
    lines = sorted(int(value) for _, p, value in ((s, p, o.value) for s, p, o in result.triples)
                   if p.value.endswith("#line"))
    assert set(lines) == {2, 3, 5}  # the quoted line break moves the third row to line 5


def test_duplicate_and_conflicting_codes_keep_the_first_and_name_both_lines(tmp_path: Path) -> None:
    result = parsed("duplicate-codes.csv", tmp_path)
    (conflict,) = result.rejections
    assert conflict.line == 6 and conflict.other_line == 3 and "460305" in conflict.reason
    assert "工业机器人技术" in literals(result.triples) and "另一个名称" not in literals(result.triples)


def test_an_error_every_kind_ran_into_is_said_once(tmp_path: Path) -> None:
    path = next(c for c in CASES if c.name == "truncated.docx").make(tmp_path)
    with pytest.raises(UnknownKindError) as raised:
        choose_ingestor(path)
    message = str(raised.value)
    assert message.count("not a zip archive") == 1 and "(tried policy, course-standard, profile)" in message
