"""The Streamlit app on the demo corpus: it renders, lists the documents, browses provisions, and says when empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kg.pipeline.run import ingest
from kg.store.home import ENV_HOME, Home

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
CORPUS = ROOT / "corpus" / "policy"
TITLES = {
    "md": "XX市促进职业教育校企合作条例",
    "txt": "关于深化产教融合推动XX市职业院校专业设置与区域产业协同发展的实施意见（征求意见稿）",
    "html": "XX县2025年农村电商与乡村旅游技能培训工作方案",
}
FIRST_ARTICLE = "第一条 为了促进职业院校与企业开展合作"


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("home")
    report = ingest(Home(root), [CORPUS])
    assert report.count("rejected") == 0, [f.reason for f in report.files]
    return root


def run_app(monkeypatch: pytest.MonkeyPatch, home: Path) -> AppTest:
    monkeypatch.setenv(ENV_HOME, str(home))
    app = AppTest.from_file(APP, default_timeout=60)
    return app.run()


def markdown_text(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def test_app_renders_the_demo_documents(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home)
    assert not app.exception
    assert not app.error
    assert app.title[0].value == "VETgraph 职业教育知识图谱"
    options = app.selectbox[0].options
    for title in TITLES.values():
        assert any(option.startswith(title) for option in options), (title, options)
    assert any("草案" in option for option in options if option.startswith(TITLES["txt"]))


def test_selecting_the_regulation_shows_its_first_article(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home)
    options = app.selectbox[0].options
    index = next(i for i, option in enumerate(options) if option.startswith(TITLES["md"]))
    app.selectbox[0].select_index(index).run()
    assert not app.exception
    assert FIRST_ARTICLE in markdown_text(app).replace("\\", "")
    labels = [e.label for e in app.expander]
    assert any("第一章" in label and "总则" in label for label in labels)
    assert any("demo-school-enterprise-cooperation-measures.md:9" in c.value for c in app.caption)


def test_filter_keeps_matching_provisions(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = run_app(monkeypatch, demo_home)
    options = app.selectbox[0].options
    app.selectbox[0].select_index(options.index(next(o for o in options if o.startswith(TITLES["txt"]))))
    app.text_input[0].input("专项资金").run()
    assert not app.exception
    text = markdown_text(app).replace("\\", "")
    assert "不少于2000万元" in text
    assert "指导思想" not in text
    assert any("2000" in str(table.value) for table in app.table)


def test_empty_home_says_how_to_ingest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    app = run_app(monkeypatch, tmp_path / "empty")
    assert not app.exception
    assert app.info and "vetgraph ingest corpus/" in app.info[0].value
    assert not app.selectbox


def test_a_broken_snapshot_is_an_error_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    (tmp_path / "snapshots" / "broken").mkdir(parents=True)
    (tmp_path / "snapshots" / "CURRENT").write_text("broken\n", encoding="utf-8")
    app = run_app(monkeypatch, tmp_path)
    assert not app.exception
    assert app.error and "cannot open the store" in app.error[0].value


def test_the_app_reopens_when_a_newer_snapshot_appears(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    report = ingest(home, [CORPUS / "demo-school-enterprise-cooperation-measures.md"])
    assert report.count("added") == 1
    first_snapshot = home.current_snapshot()
    app = run_app(monkeypatch, home.root)
    assert not app.exception
    options = app.selectbox[0].options
    assert len(options) == 1 and options[0].startswith(TITLES["md"])

    report = ingest(home, [CORPUS / "demo-city-vocational-opinion-draft.txt"])
    assert report.count("added") == 1
    assert home.current_snapshot() != first_snapshot
    app.run()
    assert not app.exception
    options = app.selectbox[0].options
    assert len(options) == 2
    assert any(option.startswith(TITLES["txt"]) for option in options), options
    assert any(option.startswith(TITLES["md"]) for option in options), options


def test_open_snapshot_opens_the_snapshot_it_is_given_not_current(tmp_path: Path) -> None:
    import importlib.util

    from kg.query.documents import list_documents

    home = Home(tmp_path / "home")
    ingest(home, [CORPUS / "demo-school-enterprise-cooperation-measures.md"])
    first_snapshot = home.current_snapshot()
    ingest(home, [CORPUS / "demo-city-vocational-opinion-draft.txt"])
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
    for name in ("set_page_config", "title", "header", "info", "error", "selectbox", "text_input", "markdown"):
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
