"""Safety at the edges: no export cell a spreadsheet would run, no label the app renders as HTML or markdown,
no upload saved outside the home, no SPARQL update (LOAD, CLEAR, DROP …) run by the read-only store."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from kg.errors import QueryRefused
from kg.export.alignments import AlignmentRow, alignments_csv
from kg.export.cells import FORMULA_STARTS, csv_bytes, safe_cell
from kg.export.sheets_csv import gap_csv, map_csv, sheet_csv
from kg.export.views import gap_sheets, map_sheets
from kg.export.xlsx import gap_xlsx, map_xlsx
from kg.query.guard import check_read_only, refusal
from tests.bad_inputs import MARKUP_LABEL
from tests.map_samples import gap_report, major_map
from webapp.text import escape_markdown, highlight
from webapp.upload_view import safe_name, save_uploads

ROOT = Path(__file__).resolve().parent.parent
FORMULAS = ["=1+1", '=HYPERLINK("http://x","点我")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1",
            "=cmd|' /C calc'!A0"]
#: The text fields of the map and gap records that carry names, labels and quotes from the graph.
TEXT_FIELDS = ("label", "text", "name", "quote", "title", "code", "level", "standard", "institution")


def poisoned(value: Any, prefix: str = "=") -> Any:
    """A copy of a record with every label, name, text and quote in it starting with ``prefix``."""
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: poisoned(getattr(value, f.name), prefix) for f in fields(value) if f.init}
        for name in TEXT_FIELDS:
            if isinstance(changes.get(name), str) and changes[name]:
                changes[name] = prefix + changes[name]
        return replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(poisoned(item, prefix) for item in value)
    if isinstance(value, dict):
        return {key: poisoned(item, prefix) for key, item in value.items()}
    return value


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]


def runnable(cell: object) -> bool:
    return isinstance(cell, str) and cell.startswith(FORMULA_STARTS)


# -- CSV and XLSX: formula injection -------------------------------------------------------------------
@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text
    plain = ["新能源汽车技术", "1+X", 3, -2.5, None, ""]
    assert [safe_cell(value) for value in plain] == plain


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_csv_export_neutralises_formulas(prefix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    amap, report = poisoned(major_map(), prefix), poisoned(gap_report(), prefix)
    row = AlignmentRow(f"{prefix}iri", "major-certificate", "urn:a", f"{prefix}名称", "urn:b", f"{prefix}证书",
                       "stated", "name", 1.0, "exact", "accepted", (f"{prefix}证据",))
    monkeypatch.setattr("kg.export.alignments.alignment_rows", lambda store: [row])
    exports = {"map": map_csv(amap), "gap": gap_csv(report), "alignments": alignments_csv(None)[0],  # type: ignore[arg-type]
               "sparql console": csv_bytes(["x"], [[f"{prefix}1+1"]])}
    exports |= {f"map sheet {s.name}": sheet_csv(s) for s in map_sheets(amap)}
    exports |= {f"gap sheet {s.name}": sheet_csv(s) for s in gap_sheets(report)}
    for name, data in exports.items():
        cells = csv_cells(data)
        if not name.startswith(("map sheet", "gap sheet")) or name.endswith(("对应矩阵", "对应明细", "缺口分析")):
            assert any(cell.startswith("'" + prefix) for cell in cells), name  # the poison reached the export
        assert not any(runnable(cell) for cell in cells), name


def test_the_app_console_downloads_its_csv_through_the_safe_writer() -> None:
    import webapp.sparql_view

    assert webapp.sparql_view.csv_bytes is csv_bytes


@pytest.mark.parametrize("export", ["map", "gap"])
def test_every_xlsx_cell_is_a_string_or_a_number_never_a_formula(export: str) -> None:
    data = map_xlsx(poisoned(major_map())) if export == "map" else gap_xlsx(poisoned(gap_report()))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)  # no formula element at all
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [cell for ws in book for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert any(isinstance(cell.value, str) and cell.value.startswith("'=") for cell in cells)
    assert all(cell.data_type in ("s", "n") for cell in cells)
    assert not any(runnable(cell.value) for cell in cells)


# -- HTML and markdown in the app ----------------------------------------------------------------------
APP_FILES = sorted([ROOT / "app.py", *(ROOT / "webapp").glob("*.py"), *(ROOT / "pages").glob("*.py")])


#: Reviewed raw-HTML calls: the entity page's scroll-to-top script, which embeds only its IRI, JSON-encoded with
#: "</" broken up (webapp/entity_view.py). Any other call fails the test below.
REVIEWED_HTML = {"entity_view.py": 1}
UNSAFE_HTML = re.compile(r"unsafe_allow_html\s*=\s*True|\.html\(|components\.v1\.html|components\.html")


@pytest.mark.parametrize("path", APP_FILES, ids=lambda path: path.name)
def test_the_app_renders_no_raw_html_but_the_reviewed_script(path: Path) -> None:
    """Streamlit shows markdown with HTML as text unless told otherwise: nothing else tells it otherwise."""
    found = UNSAFE_HTML.findall(path.read_text(encoding="utf-8"))
    assert len(found) == REVIEWED_HTML.get(path.name, 0), f"{path.name}: {found}"


def test_a_label_with_markup_comes_out_escaped() -> None:
    assert escape_markdown(MARKUP_LABEL) == r"\<img src=x onerror=alert\(1\)\>"
    snippet = highlight(f"开设{MARKUP_LABEL}专业【护理】", "护理")
    assert r"\<img src=x onerror=alert\(1\)\>" in snippet and "**护理**" in snippet
    assert not re.search(r"(?<!\\)<", highlight(f"{MARKUP_LABEL} 护理", "护理 img"))
    assert escape_markdown("![x](http://tracker/p.png) [点](javascript:alert(1))") == \
        r"\!\[x\]\(http\:\/\/tracker/p\.png\) \[点\]\(javascript\:alert\(1\)\)".replace(r"\/", "/")


@pytest.fixture(scope="module")
def markup_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose major 460702 is named ``MARKUP_LABEL`` and whose policy's first clause holds it."""
    from kg.pipeline.run import ingest
    from kg.store.home import Home
    from tests.bad_inputs import MAJORS_ROWS, majors_csv_text

    folder = tmp_path_factory.mktemp("markup")
    table, policy = folder / "majors.csv", folder / "markup-notice.txt"
    table.write_text(majors_csv_text([[*MAJORS_ROWS[0][:3], MARKUP_LABEL, *MAJORS_ROWS[0][4:]]]), encoding="utf-8")
    policy.write_text(f"关于{MARKUP_LABEL}的通知\n一、支持{MARKUP_LABEL}专业建设，到2026年培养人才不少于500人。\n"
                      "二、支持旅游业发展。\n", encoding="utf-8")
    assert ingest(Home(folder / "home"), [table, policy]).count("added") == 2
    return folder / "home"


def shown_texts(monkeypatch: pytest.MonkeyPatch, home: Path, page: str, **params: str) -> list[str]:
    from streamlit.testing.v1 import AppTest

    from kg.store.home import ENV_HOME

    monkeypatch.setenv(ENV_HOME, str(home))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page(page)
    app.query_params.update(params)
    app.run()
    assert not app.exception, app.exception
    return [str(element.value) for kind in ("markdown", "header", "subheader", "warning", "info", "caption", "error")
            for element in getattr(app, kind)]


@pytest.mark.parametrize(("page", "params"), [("pages/3_课证对应_Alignment.py", {"major": "460702"}),
                                              ("pages/2_政策_Policy.py", {})], ids=["map", "policy reader"])
def test_a_page_shows_a_markup_label_as_text(page: str, params: dict[str, str], markup_home: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    shown = shown_texts(monkeypatch, markup_home, page, **params)
    assert any(r"\<img src=x onerror=alert\(1\)\>" in text for text in shown), shown
    raw = [text for text in shown if re.search(r"(?<!\\)<img", text)]
    assert not raw, raw


# -- uploads stay in the home --------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "saved"), [
    ("../../etc/x.csv", "x.csv"), ("/etc/passwd", "passwd"), ("..\\..\\windows\\win.ini", "win.ini"),
    ("C:\\Users\\a\\政策.txt", "政策.txt"), ("..", "upload"), (".hidden.md", "hidden.md"), ("a\x00b.txt", "a_b.txt"),
    ("uploads/../../x.txt", "x.txt"), ("", "upload"),
])
def test_an_upload_name_is_reduced_to_a_file_name_in_the_uploads_folder(name: str, saved: str,
                                                                       tmp_path: Path) -> None:
    from kg.store.home import Home

    home = Home(tmp_path / "home")
    assert safe_name(name) == saved
    (path,) = save_uploads(home, [(name, b"x")])
    assert path == (home.root / "uploads" / saved) and path.read_bytes() == b"x"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [saved]  # nothing written elsewhere


def test_an_upload_never_writes_through_a_link_out_of_the_home(tmp_path: Path) -> None:
    from kg.store.home import Home

    home = Home(tmp_path / "home")
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep")
    (home.root / "uploads").mkdir(parents=True)
    (home.root / "uploads" / "notes.txt").symlink_to(outside)
    (path,) = save_uploads(home, [("notes.txt", b"new")])
    assert outside.read_bytes() == b"keep"
    assert not path.is_symlink() and path.read_bytes() == b"new"


# -- SPARQL: read only ---------------------------------------------------------------------------------
@pytest.mark.parametrize("update", [
    "LOAD <http://example.org/data.ttl>", "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:g>",
    "CLEAR ALL", "CLEAR DEFAULT", "clear graph <urn:g>", "DROP ALL", "DROP SILENT GRAPH <urn:g>", "drop named",
    "PREFIX vet: <https://w3id.org/vetgraph/ontology#>\nCLEAR GRAPH <urn:g>", "# a note\nDROP DEFAULT",
    "CREATE GRAPH <urn:g>", "COPY DEFAULT TO <urn:g>", "MOVE <urn:a> TO <urn:b>", "ADD <urn:a> TO <urn:b>",
])
def test_load_clear_drop_and_the_other_updates_are_refused(update: str) -> None:
    assert refusal(update) == "update"
    with pytest.raises(QueryRefused, match="read only"):
        check_read_only(update)


@pytest.mark.parametrize("update", ["CLEAR ALL", "DROP ALL", "LOAD <http://example.org/data.ttl>"])
def test_the_cli_console_refuses_them_and_the_store_keeps_its_quads(update: str, tmp_path: Path) -> None:
    from kg.cli.main import cli
    from kg.pipeline.run import ingest
    from kg.store.home import Home

    home = Home(tmp_path / "home")
    ingest(home, [ROOT / "corpus" / "catalogues" / "majors.csv"])
    before = len(home.open_reader())
    result = CliRunner().invoke(cli, ["--store", str(home.root), "sparql", update])
    assert result.exit_code == 1 and "read only" in result.output
    assert len(home.open_reader()) == before
