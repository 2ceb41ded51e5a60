"""The app's alignment map, gap analysis, questions and upload pages, driven with AppTest through app.py."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from kg.export.sheets_csv import gap_csv
from kg.export.xlsx import map_xlsx
from kg.maps.gaps import gap_report
from kg.maps.major_map import major_map
from kg.pipeline.run import ingest
from kg.query.guard import query_form, refusal, with_row_cap
from kg.query.limits import ENV_QUERY_TIMEOUT, ENV_ROW_LIMIT
from kg.search.encoder import load_encoder
from kg.search.index import SearchIndex
from kg.store.home import ENV_HOME, Home
from webapp.i18n import LANGUAGE_KEY
from webapp.questions import QUESTIONS

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
CORPUS = ROOT / "corpus"
ALIGNMENT = "pages/3_课证对应_Alignment.py"
GAPS = "pages/4_缺口分析_Gaps.py"
QUESTIONS_PAGE = "pages/5_问答与SPARQL_Questions.py"
UPLOAD = "pages/6_上传_Upload.py"
DRAFT = "https://w3id.org/vetgraph/id/policy/demo-city-vocational-opinion-draft"
CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """corpus/ ingested once for this module (read-only: the upload test copies it)."""
    root = tmp_path_factory.mktemp("pages") / "home"
    report = ingest(Home(root), [CORPUS])
    assert report.count("rejected") == 0, [f.reason for f in report.files if f.status == "rejected"]
    return root


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """The in-memory media storage of each AppTest run, so a download button's bytes can be read back."""
    storages: list[object] = []
    original = app_test_module.MemoryMediaFileStorage

    def recording(*args: object, **kwargs: object) -> object:
        storage = original(*args, **kwargs)
        storages.append(storage)
        return storage

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", recording)
    yield storages


def open_page(monkeypatch: pytest.MonkeyPatch, home: Path, page: str, **params: str) -> AppTest:
    monkeypatch.setenv(ENV_HOME, str(home))
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    app.switch_page(page)
    app.query_params.update(params)
    app.run()
    assert not app.exception, app.exception
    return app


def download_bytes(app: AppTest, storages: list[object], label: str) -> bytes:
    button = next(b for b in app.download_button if label in b.label)
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".", 1)[0]
    return storages[-1].get_file(file_id).content  # type: ignore[attr-defined]


def texts(app: AppTest, kind: str) -> str:
    return "\n".join(str(element.value) for element in getattr(app, kind))


# -- alignment map -------------------------------------------------------------------------------------
def test_the_map_of_590302_shows_its_matrix_and_offers_every_export(
        monkeypatch: pytest.MonkeyPatch, demo_home: Path, media: list[object]) -> None:
    app = open_page(monkeypatch, demo_home, ALIGNMENT, major="590302")
    assert not app.error
    assert app.selectbox(key="maps_major").value == "590302"
    assert "590302 智慧健康养老服务与管理（高职专科）" in app.selectbox(key="maps_major").options
    assert "智慧健康养老服务与管理（590302）专业岗课赛证对应表" in texts(app, "subheader")
    charts = app.get("vega_lite_chart")
    assert charts, "no heatmap"
    spec = str(json.loads(charts[0].proto.spec))  # the rows' and columns' order are in it, the cells in its data
    assert "失智老年人照护职业技能等级证书" in spec and "老年人生活与基础照护实务" in spec
    assert "#F4B6B6" in spec and "#1A7F37" in spec  # the gap colour and the strongest strength's
    assert "社会工作者职业资格（初级）" in texts(app, "warning")  # the stated certificate no course covers
    labels = [button.label for button in app.download_button]
    for name in ("CSV", "XLSX", "CASE", "CTDL-ASN", "JSON"):
        assert any(name in label for label in labels), labels
    expected = map_xlsx(major_map(Home(demo_home).open_reader(), "590302"))
    assert download_bytes(app, media, "XLSX") == expected
    assert "具有为老年人提供生活照护和基础照护的能力" in texts(app, "markdown")  # its competencies
    served = "\n".join(frame.value.to_csv() for frame in app.dataframe)
    assert "居民服务业" in served and "养老护理员" in served


def test_a_cell_of_the_map_says_why_its_course_and_certificate_are_aligned(
        monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, ALIGNMENT, major="590302")
    why = app.selectbox(key="cell-why-https://w3id.org/vetgraph/id/major/590302")
    cell = next(i for i, name in enumerate(why.options) if name.startswith("老年人生活与基础照护实务 × 老年照护职业"))
    why.select_index(cell).run()
    assert not app.exception, app.exception
    shown = texts(app, "markdown") + "\n" + texts(app, "caption")
    assert "本格" in shown and "从课程出发" in shown
    assert "老年人生活与基础照护实务 → " in shown and "老年照护职业技能等级证书" in shown  # a path, its ends


def test_picking_a_major_by_its_option_builds_its_map(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, ALIGNMENT)
    assert not app.get("vega_lite_chart")
    app.selectbox(key="maps_major").select("460702").run()
    assert not app.exception and not app.error
    assert "新能源汽车技术（460702）专业岗课赛证对应表" in texts(app, "subheader")


def test_a_certificate_map_lists_the_majors_it_serves(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, ALIGNMENT, certificate="老年照护职业技能等级证书")
    assert not app.error
    assert "老年照护职业技能等级证书：面向专业与课程对应表" in texts(app, "subheader")
    assert "智慧健康养老服务与管理" in "\n".join(frame.value.to_csv() for frame in app.dataframe)


# -- gap analysis --------------------------------------------------------------------------------------
def test_the_gap_page_shows_the_drafts_fields_and_marks_its_zeros(
        monkeypatch: pytest.MonkeyPatch, demo_home: Path, media: list[object]) -> None:
    app = open_page(monkeypatch, demo_home, GAPS, doc=DRAFT)
    assert not app.error
    assert "（征求意见稿）" in texts(app, "subheader")
    assert "征求意见稿" in texts(app, "markdown")  # its legal status
    table = next(frame.value for frame in app.dataframe if "领域（原文）" in frame.value.columns)
    assert {"新能源汽车", "大数据", "电子商务", "智慧健康养老"} <= set(table["领域（原文）"])
    uncovered = texts(app, "warning")
    assert "大数据" in uncovered and "目录不完整" in uncovered and "目录中无对应" in uncovered
    assert "智慧健康养老" not in uncovered  # served by majors, certificates and occupations
    styled = next(frame for frame in app.dataframe if "领域（原文）" in frame.value.columns)
    assert "F4B6B6" in str(styled.proto.arrow_data.styler)  # zero counts filled with the gap colour
    assert app.get("vega_lite_chart")
    report = gap_report(Home(demo_home).open_reader(), DRAFT)
    assert download_bytes(app, media, "CSV") == gap_csv(report)


# -- questions and the console -------------------------------------------------------------------------
def test_a_ready_made_question_returns_rows_and_shows_its_sparql(monkeypatch: pytest.MonkeyPatch,
                                                                 demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, QUESTIONS_PAGE)
    assert not app.error
    assert any("skos:notation \"460702\"" in block.value for block in app.code)
    courses = app.dataframe[0].value
    assert len(courses) > 0 and "name" in courses.columns
    assert "新能源汽车充电技术" in set(courses["name"])
    assert all(str(link).startswith("%E5%AE%9E%E4%BD%93_Entity?iri=https://w3id.org/vetgraph/id/")
               for link in courses["course"])  # a node links to its entity page
    keys = app.selectbox(key="question").options
    app.selectbox(key="question").set_value("provisions-mentioning").run()
    assert not app.exception and not app.error and len(keys) == len(QUESTIONS)
    found = app.dataframe[0].value
    assert len(found) > 0 and all("产教融合" in text for text in found["text"])


def test_every_ready_made_question_runs_on_the_demo(demo_home: Path) -> None:
    store = Home(demo_home).open_reader()
    for question in QUESTIONS:
        assert store.select(question.sparql()), question.key


def test_a_question_value_stays_a_literal() -> None:
    question = next(q for q in QUESTIONS if q.key == "provisions-mentioning")
    text = question.sparql({"term": '" } } DROP ALL { "'})
    assert 'CONTAINS(?text, "\\" } } DROP ALL { \\"")' in text


def run_console(app: AppTest, query: str) -> AppTest:
    app.tabs  # noqa: B018 (both tabs render; the console's widgets are keyed)
    app.text_area(key="sparql_query").input(query)
    app.button(key="sparql_run").click()
    return app.run()


def test_the_console_refuses_updates_and_service(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, QUESTIONS_PAGE)
    run_console(app, "DELETE WHERE { ?s ?p ?o }")
    assert not app.exception
    assert any("只读" in e.value and "没有改变" in e.value for e in app.error)
    run_console(app, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert any("SERVICE" in e.value for e in app.error)
    assert Home(demo_home).open_reader().ask("ASK { ?s a vet:Major }")  # nothing was deleted


def test_the_console_cuts_at_the_row_limit(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    monkeypatch.setenv(ENV_ROW_LIMIT, "7")
    app = open_page(monkeypatch, demo_home, QUESTIONS_PAGE)
    run_console(app, CROSS_PRODUCT)  # some 40 million rows: the LIMIT sent stops it at 8
    assert not app.exception and not app.error
    assert any("7" in w.value and "行数上限" in w.value for w in app.warning)
    assert any(frame.value.shape == (7, 6) for frame in app.dataframe)
    assert any("CSV" in button.label for button in app.download_button)


def test_the_console_stops_a_query_at_the_time_limit(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    monkeypatch.setenv(ENV_QUERY_TIMEOUT, "0.2")
    app = open_page(monkeypatch, demo_home, QUESTIONS_PAGE)
    run_console(app, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }")  # seconds of counting
    assert not app.exception
    assert any("0.2 秒" in e.value and "时间限制" in e.value and "已被停止" in e.value for e in app.error)


def test_the_console_shows_a_syntax_error_on_the_users_line(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, QUESTIONS_PAGE)
    run_console(app, "SELECT ?x WHERE { ?x ?y }")
    assert any(e.value.startswith("SPARQL syntax error") and "at 1:" in e.value for e in app.error)


@pytest.mark.parametrize(("query", "capped"), [
    ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o } LIMIT 11"),
    ("SELECT * { ?s ?p ?o } LIMIT 5", "SELECT * { ?s ?p ?o } LIMIT 5"),
    ("SELECT * { ?s ?p ?o } LIMIT 500 OFFSET 2", "SELECT * { ?s ?p ?o } LIMIT 11 OFFSET 2"),
    ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 99 } }", "SELECT * { { SELECT * { ?s ?p ?o } LIMIT 99 } } LIMIT 11"),
    ("SELECT * { ?s ?p ?o } # LIMIT 3", "SELECT * { ?s ?p ?o } # LIMIT 3\nLIMIT 11"),
    ("SELECT * { ?s ?p ?o } VALUES ?s { <urn:a> }", "SELECT * { ?s ?p ?o } LIMIT 11\nVALUES ?s { <urn:a> }"),
    ('ASK { ?s ?p "LIMIT 3" }', 'ASK { ?s ?p "LIMIT 3" }'),
])
def test_the_row_cap_is_the_outer_limit(query: str, capped: str) -> None:
    assert with_row_cap(query, 11) == capped


@pytest.mark.parametrize(("query", "reason"), [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "update"),
    ("PREFIX ex: <http://example.org/> # note\n delete where { ?s ex:p ?o }", "update"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "update"),
    ("LOAD <http://example.org/data.ttl>", "update"),
    ("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "service"),
    ('SELECT * { ?s ?p "DROP the SERVICE" }', None),
    ("# DELETE\nSELECT * { ?s ?p ?o }", None),
])
def test_updates_and_service_are_told_apart_from_their_words_in_text(query: str, reason: str | None) -> None:
    assert refusal(query) == reason
    assert query_form("SELECT * {}") == "SELECT"


# -- upload --------------------------------------------------------------------------------------------
NOTICE = ("XX区关于发展养老服务业的通知\n\n"
          "一、各职业院校应当开设智慧健康养老服务与管理专业，到2026年培养养老护理人才不少于500人。\n"
          "二、支持旅游业发展，建设一批乡村旅游实训基地。\n")


def test_uploading_a_policy_file_ingests_it_and_shows_the_report(monkeypatch: pytest.MonkeyPatch, demo_home: Path,
                                                                 tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    app = open_page(monkeypatch, home, UPLOAD)
    assert app.button(key="upload_ingest").disabled
    app.get("file_uploader")[0].upload("区养老通知.txt", NOTICE.encode(), "text/plain")
    app.run()
    app.button(key="upload_ingest").click()
    app.run()
    assert not app.exception and not app.error
    assert any("新增 1" in s.value and "拒收 0" in s.value for s in app.success)
    files = app.dataframe[0].value
    assert list(files["状态"]) == ["新增"] and list(files["类型"]) == ["policy"]
    assert "uploads/区养老通知.txt" in set(files["文件"])
    assert "XX区关于发展养老服务业的通知" in files["摘要或原因"][0]
    assert "对齐关系已按新数据重新计算" in texts(app, "markdown")
    assert (home / "uploads" / "区养老通知.txt").read_text(encoding="utf-8") == NOTICE
    titles = [row["t"] for row in Home(home).open_reader().select("SELECT ?t WHERE { ?d eli:title ?t }")]
    assert "XX区关于发展养老服务业的通知" in titles
    assert any("vetgraph index" in i.value for i in app.info)  # no index in this home: it says how to build one


def test_an_upload_refreshes_the_search_index_with_its_encoder(monkeypatch: pytest.MonkeyPatch, demo_home: Path,
                                                               tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    shutil.copytree(demo_home, home.root)
    settings = SearchIndex(home.index).settings.replace(model="fake")
    before = SearchIndex(home.index, settings).refresh(home.open_reader(), load_encoder("fake", home.models))
    app = open_page(monkeypatch, home.root, UPLOAD)
    app.get("file_uploader")[0].upload("区养老通知.txt", NOTICE.encode(), "text/plain")
    app.run()
    app.button(key="upload_ingest").click()
    app.run()
    assert not app.exception and not app.error
    assert "检索索引已更新" in texts(app, "markdown")
    summary = next(c.value for c in app.caption if "chunks embedded" in c.value)
    assert not summary.startswith("0 added") and "fake" in summary
    after = SearchIndex(home.index)
    assert len(after) > before.nodes
    hits = after.search("养老护理人才不少于500人", load_encoder("fake", home.models), top=5)
    assert any("不少于500人" in hit.label for hit in hits), [hit.label for hit in hits]  # the new target is found


def test_a_file_no_ingestor_reads_is_rejected_with_its_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    app = open_page(monkeypatch, tmp_path / "empty", UPLOAD)
    app.get("file_uploader")[0].upload("notes.xyz", b"hello", "application/octet-stream")
    app.run()
    app.button(key="upload_ingest").click()
    app.run()
    assert not app.exception
    assert any("拒收 1" in e.value for e in app.error)
    assert ".xyz" in app.dataframe[0].value["摘要或原因"][0]


# -- an empty store ------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", [ALIGNMENT, GAPS, QUESTIONS_PAGE])
def test_the_pages_say_what_is_missing_on_an_empty_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                         page: str) -> None:
    app = open_page(monkeypatch, tmp_path / "empty", page)
    assert not app.error
    assert any("vetgraph ingest corpus/" in i.value for i in app.info)


@pytest.mark.parametrize(("page", "params", "header"), [
    (ALIGNMENT, {"major": "590302"}, "Alignment map"),
    (GAPS, {"doc": DRAFT}, "Gap analysis"),
    (QUESTIONS_PAGE, {}, "Questions and SPARQL"),
    (UPLOAD, {}, "Upload and ingest"),
])
def test_the_pages_switch_to_english(monkeypatch: pytest.MonkeyPatch, demo_home: Path, page: str,
                                     params: dict[str, str], header: str) -> None:
    monkeypatch.setenv(ENV_HOME, str(demo_home))
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state[LANGUAGE_KEY] = "en"
    app.run()
    app.switch_page(page)
    app.query_params.update(params)
    app.run()
    assert not app.exception and not app.error
    assert header in texts(app, "header")
