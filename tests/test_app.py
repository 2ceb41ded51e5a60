"""The Streamlit app on the demo corpus: the landing Search page, the policy reader, the shell, and every store state
(empty, broken, without an index, policy only, a newer snapshot published while the app runs)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from kg.cli.main import cli
from kg.pipeline.run import ingest
from kg.store.home import ENV_HOME, Home

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
POLICY_PAGE = "pages/2_政策_Policy.py"
CORPUS = ROOT / "corpus"
POLICY = CORPUS / "policy"
TITLES = {
    "md": "XX市促进职业教育校企合作条例",
    "txt": "关于深化产教融合推动XX市职业院校专业设置与区域产业协同发展的实施意见（征求意见稿）",
    "html": "XX县2025年农村电商与乡村旅游技能培训工作方案",
}
FIRST_ARTICLE = "第一条 为了促进职业院校与企业开展合作"
DRAFT = "https://w3id.org/vetgraph/id/policy/demo-city-vocational-opinion-draft"
MEASURES = "https://w3id.org/vetgraph/id/policy/demo-school-enterprise-cooperation-measures"
DOCUMENTS = {"md": MEASURES, "txt": DRAFT, "html": "https://w3id.org/vetgraph/id/policy/demo-county-training-plan"}


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole demo corpus, indexed with the fake encoder (as `vetgraph index --model fake` does)."""
    root = tmp_path_factory.mktemp("home")
    report = ingest(Home(root), [CORPUS])
    assert report.count("rejected") == 0, [f.reason for f in report.files]
    result = CliRunner().invoke(cli, ["--store", str(root), "index", "--model", "fake"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def policy_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only the policy documents, no index."""
    root = tmp_path_factory.mktemp("policy-home")
    report = ingest(Home(root), [POLICY])
    assert report.count("rejected") == 0, [f.reason for f in report.files]
    return root


def run_app(monkeypatch: pytest.MonkeyPatch, home: Path, page: str | None = None, **params: str) -> AppTest:
    monkeypatch.setenv(ENV_HOME, str(home))
    app = AppTest.from_file(APP, default_timeout=60)
    if page is not None:
        app.switch_page(page)
    for name, value in params.items():
        app.query_params[name] = value
    return app.run()


def markdown_text(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown).replace("\\", "")


def page_links(app: AppTest) -> list[tuple[str, dict[str, str]]]:
    """Every page link on the page: its label and its query parameters."""
    found = []
    for element in app.get("page_link"):
        params = {key: values[0] for key, values in parse_qs(element.proto.query_string).items()}
        found.append((element.proto.label.replace("\\", ""), params))
    return found


def choose_document(app: AppTest, kind: str) -> AppTest:
    """Open the reader on one of the demo documents (md, txt, html)."""
    return app.selectbox(key="reader_document").set_value(DOCUMENTS[kind]).run()


# -- the landing page: search -------------------------------------------------------------------

def test_the_landing_page_is_search(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home)
    assert not app.exception
    assert not app.error
    assert app.title[0].value == "VETgraph 职业教育知识图谱"
    assert app.header[0].value == "检索"
    assert app.text_input(key="search_query").value == ""
    assert any(e.label == "按类浏览" for e in app.expander)  # browsing before anything is typed


def test_search_shows_results_with_badges_codes_and_links(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home)
    app.text_input(key="search_query").input("智慧健康养老服务与管理").run()
    assert not app.exception
    text = markdown_text(app)
    assert ":blue-badge[专业] `590302`" in text  # the class badge, the code
    assert ":blue-badge[高职专科]" in text  # the level
    labels = {label: params for label, params in page_links(app)}
    assert labels["**智慧健康养老服务与管理**"] == {"iri": "https://w3id.org/vetgraph/id/major/590302"}
    captions = "\n".join(c.value for c in app.caption)
    assert "命中方式：精确、" in captions  # why it matched: the exact name, then the retrievers' ranks
    assert "majors.csv:20" in captions.replace("\\", "")  # where it was read


def test_a_query_nothing_matches_well_is_marked_weak(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home)
    app.text_input(key="search_query").input("量子计算机芯片").run()
    assert not app.exception
    assert ":orange-badge[弱匹配]" in markdown_text(app)
    assert app.warning and "没有强匹配" in app.warning[0].value


def test_the_snippet_shows_the_match_in_bold(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home)
    app.text_input(key="search_query").input("养老护理员").run()
    assert "**养老护理员**" in markdown_text(app)


def test_the_class_filter_keeps_one_class(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home)
    app.multiselect(key="search_types").set_value(["Certificate"])
    app.text_input(key="search_query").input("养老").run()
    badges = [m.value for m in app.markdown if "-badge[" in m.value]
    assert badges and all(b.startswith(":orange-badge[职业技能等级证书]") for b in badges), badges


def test_the_document_filter_keeps_the_provisions_of_one_document(monkeypatch: pytest.MonkeyPatch,
                                                                   demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home)
    app.selectbox(key="search_document").set_value(MEASURES)
    app.text_input(key="search_query").input("实习").run()
    assert not app.exception
    links = [params["iri"] for _, params in page_links(app) if "iri" in params]
    assert links and all(iri.startswith(MEASURES + "/") for iri in links), links


def test_search_defaults_to_documents_in_force(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home)
    app.multiselect(key="search_types").set_value(["Provision"])
    app.text_input(key="search_query").input("专业群").run()
    shown = [params["iri"] for _, params in page_links(app) if params.get("iri", "").startswith(DRAFT)]
    assert not shown  # the draft opinion's clauses are hidden …
    assert any("非现行文件" in c.value for c in app.caption)  # … and the page says so
    app.checkbox(key="search_in_force").uncheck().run()
    assert any(params.get("iri", "").startswith(DRAFT) for _, params in page_links(app))


def test_without_an_index_the_page_says_how_to_build_it_and_still_browses(monkeypatch: pytest.MonkeyPatch,
                                                                          policy_home: Path) -> None:
    app = run_app(monkeypatch, policy_home)
    assert not app.exception
    assert app.warning and "vetgraph index" in app.warning[0].value
    assert app.text_input(key="browse_filter")
    app.selectbox(key="browse_class").set_value("PolicyDocument").run()
    labels = [label for label, params in page_links(app) if params.get("iri", "").startswith("https://")]
    assert any(label.startswith(TITLES["md"]) for label in labels), labels
    app.text_input(key="browse_filter").input("培训").run()
    labels = [label for label, params in page_links(app) if params.get("iri", "").startswith("https://")]
    assert labels and all("培训" in label for label in labels)


def test_a_policy_only_store_says_the_catalogues_are_missing(monkeypatch: pytest.MonkeyPatch,
                                                             policy_home: Path) -> None:
    app = run_app(monkeypatch, policy_home)
    assert any("vetgraph ingest corpus/catalogues/" in c.value for c in app.sidebar.caption)


def test_the_english_switch(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home)
    app.text_input(key="search_query").input("590302").run()
    app.multiselect(key="search_types").set_value(["Major"]).run()
    app.sidebar.radio[0].set_value("en").run()
    assert not app.exception
    assert app.title[0].value.startswith("VETgraph: a knowledge graph")
    assert app.header[0].value == "Search"
    assert ":blue-badge[Major] `590302`" in markdown_text(app)
    assert app.multiselect(key="search_types").value == ["Major"]  # the filters survive the switch


# -- the policy reader --------------------------------------------------------------------------

def test_the_reader_lists_the_demo_documents_with_their_status(monkeypatch: pytest.MonkeyPatch,
                                                               demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home, POLICY_PAGE)
    assert not app.exception
    assert not app.error
    options = app.selectbox(key="reader_document").options
    for title in TITLES.values():
        assert any(option.startswith(title) for option in options), (title, options)
    assert any("草案" in option for option in options if option.startswith(TITLES["txt"]))
    assert all("现行有效" in option for option in options if not option.startswith(TITLES["txt"]))


def test_the_reader_opens_on_the_document_in_force_first_by_title(monkeypatch: pytest.MonkeyPatch,
                                                                   demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home, POLICY_PAGE)
    box = app.selectbox(key="reader_document")
    in_force = sorted(label for label in box.options if "现行有效" in label)
    assert box.options[box.index] == in_force[0]
    assert in_force[0].startswith(TITLES["html"])  # 'X' sorts before '关'; the draft opinion is not in force


def test_selecting_the_regulation_shows_its_outline_and_first_article(monkeypatch: pytest.MonkeyPatch,
                                                                      demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home, POLICY_PAGE)
    app = choose_document(app, "md")
    assert not app.exception
    titles = [title.replace("\\", "") for title in app.radio(key="reader_provision").options]
    assert titles[0] == "第一章 总则"
    assert any(t.startswith("\u3000第一条 为了促进") for t in titles)  # an article without heading: its first words
    assert FIRST_ARTICLE in markdown_text(app)  # the chapter's text holds its articles
    app.radio(key="reader_provision").set_value(f"{MEASURES}/chapter-1/article-1").run()
    assert any("demo-school-enterprise-cooperation-measures.md:9" in c.value for c in app.caption)
    assert app.query_params["provision"] == f"{MEASURES}/chapter-1/article-1"  # the address follows


def test_filter_keeps_matching_provisions(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home, POLICY_PAGE)
    app = choose_document(app, "txt")
    app.text_input(key="reader_filter").input("专项资金").run()
    assert not app.exception
    assert all("指导思想" not in title for title in app.radio(key="reader_provision").options)
    assert "不少于2000万元" in markdown_text(app)
    assert any("2000" in str(table.value) for table in app.table)


def test_a_clause_shows_its_linked_industries_and_what_they_lead_to(monkeypatch: pytest.MonkeyPatch,
                                                                    demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home, POLICY_PAGE, doc=MEASURES, provision=f"{MEASURES}/chapter-2/article-8")
    assert not app.exception
    assert app.subheader[0].value == "第八条"
    links = dict(page_links(app))
    industry = links["«工业机器人» → 3491 工业机器人制造"]
    assert industry == {"iri": "https://w3id.org/vetgraph/id/industry/3491"}
    assert any(label.startswith("660303 工业机器人技术应用") for label in links)  # a major, through an industry
    assert "**关联行业**" in "\n".join(m.value for m in app.markdown)


# -- every store state --------------------------------------------------------------------------

def test_empty_home_says_how_to_ingest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    app = run_app(monkeypatch, tmp_path / "empty")
    assert not app.exception
    assert app.info and "vetgraph ingest corpus/" in app.info[0].value
    assert not app.selectbox
    for page in ("pages/1_实体_Entity.py", POLICY_PAGE):
        other = run_app(monkeypatch, tmp_path / "empty", page)
        assert not other.exception
        assert other.info and "vetgraph ingest corpus/" in other.info[0].value


def test_a_broken_snapshot_is_an_error_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    (tmp_path / "snapshots" / "broken").mkdir(parents=True)
    (tmp_path / "snapshots" / "CURRENT").write_text("broken\n", encoding="utf-8")
    app = run_app(monkeypatch, tmp_path)
    assert not app.exception
    assert app.error and "cannot open the store" in app.error[0].value


def test_the_app_reopens_when_a_newer_snapshot_appears(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    report = ingest(home, [POLICY / "demo-school-enterprise-cooperation-measures.md"])
    assert report.count("added") == 1
    first_snapshot = home.current_snapshot()
    app = run_app(monkeypatch, home.root, POLICY_PAGE)
    assert not app.exception
    assert app.selectbox(key="reader_document").value == MEASURES
    assert len(app.selectbox(key="reader_document").options) == 1

    report = ingest(home, [POLICY / "demo-city-vocational-opinion-draft.txt"])
    assert report.count("added") == 1
    assert home.current_snapshot() != first_snapshot
    app.run()
    assert not app.exception
    options = app.selectbox(key="reader_document").options
    assert len(options) == 2 and any(o.startswith(TITLES["txt"]) for o in options), options


def test_the_search_page_brings_a_stale_index_in_line_with_the_store(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    from kg.search.freshness import check_index
    from kg.search.index import SearchIndex

    home = Home(tmp_path / "home")
    ingest(home, [POLICY / "demo-school-enterprise-cooperation-measures.md"])
    result = CliRunner().invoke(cli, ["--store", str(home.root), "index", "--model", "fake"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    ingest(home, [POLICY / "demo-city-vocational-opinion-draft.txt"])  # the index now lags the store
    assert check_index(SearchIndex(home.index), home.open_reader()).state == "stale"
    app = run_app(monkeypatch, home.root)
    assert not app.exception and not app.warning
    assert check_index(SearchIndex(home.index), home.open_reader()).state == "fresh"
    app.text_input(key="search_query").input("产教融合").run()
    assert any("产教融合" in text for text in markdown_text(app).split("\n")), markdown_text(app)[:500]


def test_open_snapshot_opens_the_snapshot_it_is_given_not_current(tmp_path: Path) -> None:
    import importlib.util

    from kg.query.documents import list_documents

    home = Home(tmp_path / "home")
    ingest(home, [POLICY / "demo-school-enterprise-cooperation-measures.md"])
    first_snapshot = home.current_snapshot()
    ingest(home, [POLICY / "demo-city-vocational-opinion-draft.txt"])
    assert first_snapshot is not None and home.current_snapshot() != first_snapshot

    spec = importlib.util.spec_from_file_location("vetgraph_app_snapshot", ROOT / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    store = module.open_snapshot(str(first_snapshot))
    assert [d.title for d in list_documents(store)] == [TITLES["md"]]


def test_importing_the_app_does_not_run_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.util

    import streamlit

    calls: list[str] = []
    for name in ("set_page_config", "title", "header", "info", "error", "selectbox", "text_input", "markdown",
                 "navigation", "page_link"):
        monkeypatch.setattr(streamlit, name, lambda *args, _name=name, **kwargs: calls.append(_name))
    monkeypatch.setattr(Home, "at", classmethod(lambda cls, store=None: calls.append("Home.at")))
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "never-opened"))

    spec = importlib.util.spec_from_file_location("vetgraph_app", ROOT / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    assert calls == []
    assert callable(module.main)
    assert module.TITLE == "VETgraph 职业教育知识图谱"
    assert not (tmp_path / "never-opened").exists()


def test_the_app_registers_every_page_in_file_order() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("vetgraph_app_pages", ROOT / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pages = module.page_files()
    assert pages[:2] == ["pages/1_实体_Entity.py", POLICY_PAGE]
    assert pages == sorted(pages, key=lambda p: int(Path(p).name.split("_", 1)[0]))


# -- the query limits the SPARQL console and `vetgraph serve` share ---------------------------------

def test_query_limits_default_and_come_from_the_environment() -> None:
    from kg.errors import SettingsError
    from kg.query.limits import QueryLimits

    assert QueryLimits() == QueryLimits(timeout_s=10.0, row_limit=1000)
    assert QueryLimits.from_env({}) == QueryLimits()
    assert QueryLimits.from_env({"VETGRAPH_QUERY_TIMEOUT": "2.5", "VETGRAPH_ROW_LIMIT": "50"}) == \
        QueryLimits(timeout_s=2.5, row_limit=50)
    with pytest.raises(SettingsError, match="VETGRAPH_ROW_LIMIT"):
        QueryLimits.from_env({"VETGRAPH_ROW_LIMIT": "many"})
    with pytest.raises(SettingsError, match="valid: timeout_s, row_limit"):
        QueryLimits.from_dict({"rows": 5})
    with pytest.raises(SettingsError):
        QueryLimits(row_limit=0)
