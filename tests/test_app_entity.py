"""The entity page on the demo corpus (properties by their Chinese names, provenance with the source line,
alignments with reviews that reach the store, the neighbourhood graph), and clicking from a policy clause
through an industry to a major, on the demo corpus and on the real data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from kg.align.review_ops import list_reviews
from kg.pipeline.run import ingest
from kg.store.home import ENV_HOME, Home
from webapp.alignment_model import alignments

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = {"实体_Entity": "pages/1_实体_Entity.py", "政策_Policy": "pages/2_政策_Policy.py",
         "课证对应_Alignment": "pages/3_课证对应_Alignment.py"}
ENTITY, POLICY = PAGES["实体_Entity"], PAGES["政策_Policy"]
MAJOR = "https://w3id.org/vetgraph/id/major/590302"
OPINION = "https://w3id.org/vetgraph/id/policy/demo-city-vocational-opinion-draft"
CLUSTERS = f"{OPINION}/part-2/sub-1/item-2"  # 重点建设六大产业专业群
SEED_DOCUMENT = "https://w3id.org/vetgraph/id/policy/000_63c5338d7d9bffda"


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole demo corpus (the entity page needs no search index)."""
    root = tmp_path_factory.mktemp("entity-home")
    report = ingest(Home(root), [ROOT / "corpus"])
    assert report.count("rejected") == 0, [f.reason for f in report.files]
    return root


@pytest.fixture()
def writable_home(demo_home: Path, tmp_path: Path) -> Path:
    """A copy of the demo home a test may write reviews into."""
    return Path(shutil.copytree(demo_home, tmp_path / "home"))


def open_page(monkeypatch: pytest.MonkeyPatch, home: Path, page: str, **params: str) -> AppTest:
    monkeypatch.setenv(ENV_HOME, str(home))
    app = AppTest.from_file(APP, default_timeout=60)
    app.switch_page(page)
    for name, value in params.items():
        app.query_params[name] = value
    return app.run()


def page_links(app: AppTest) -> list[tuple[str, str, dict[str, str]]]:
    """(label, page, query parameters) of every page link shown."""
    return [(e.proto.label.replace("\\", ""), e.proto.page,
             {k: v[0] for k, v in parse_qs(e.proto.query_string).items()}) for e in app.get("page_link")]


def follow(app: AppTest, starts: str) -> AppTest:
    """Click the first page link whose label starts with ``starts``: its page, with its query parameters."""
    label, page, params = next(link for link in page_links(app) if link[0].startswith(starts))
    for name in list(app.query_params):
        del app.query_params[name]
    for name, value in params.items():
        app.query_params[name] = value
    app.switch_page(PAGES[page])
    return app.run()


def text_of(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown).replace("\\", "")


def graph_options(app: AppTest) -> dict:
    """The ECharts options the page hands the graph component."""
    component = next(e for e in app.main if getattr(e, "type", "") == "bidi_component")
    return json.loads(component.proto.json)["options"]


# -- a major's page -----------------------------------------------------------------------------

def test_the_entity_page_shows_properties_by_their_chinese_names(monkeypatch: pytest.MonkeyPatch,
                                                                 demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, ENTITY, iri=MAJOR)
    assert not app.exception
    assert [h.value for h in app.main.header] == ["智慧健康养老服务与管理"]
    text = text_of(app)
    assert ":blue-badge[专业] `590302`" in text
    assert "**代码**：590302" in text and "**教育层次**：高职专科" in text  # rdfs:label @zh of vet:level
    assert "**职业面向**" in text  # vet:preparesFor, its values as links
    links = {label: params for label, _, params in page_links(app)}
    assert links["养老护理员 (职业)"] == {"iri": "https://w3id.org/vetgraph/id/occupation/4-10-01-05"}
    assert links["公共服务类 (专业大类或专业类)"]["iri"].endswith("/major-category/5903")


def test_the_entity_page_shows_provenance_with_the_source_line(monkeypatch: pytest.MonkeyPatch,
                                                               demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, ENTITY, iri=MAJOR)
    assert f"`{ROOT / 'corpus' / 'catalogues' / 'majors.csv'}:20`" in text_of(app)
    captions = "\n".join(c.value for c in app.caption)
    record = Home(demo_home).open_reader().sources()[str(ROOT / "corpus" / "catalogues" / "majors.csv")]
    assert f"导入时间：{record.ingested_at}" in captions and "类型：majors" in captions
    assert any(code.value.startswith("20  voc_associate,高等职业教育专科,590302,智慧健康养老服务与管理")
               for code in app.code)


def test_the_entity_page_lists_alignments_with_strength_and_evidence(monkeypatch: pytest.MonkeyPatch,
                                                                    demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, ENTITY, iri=MAJOR)
    text = text_of(app)
    assert ":green-badge[已接受] **exact** · stated · 1.00" in text  # the profile's stated links
    assert ":gray-badge[待审核] **minor** · text" in text  # computed suggestions, not reviewed yet
    captions = [c.value for c in app.caption]
    assert "证据：«职业技能等级证书：老年照护、失智老年人照护» · 智慧健康养老服务与管理专业简介" in captions
    assert any(label == "老年照护职业技能等级证书" for label, _, _ in page_links(app))
    assert {b.label for b in app.button} == {"接受", "拒绝"}


def test_accepting_a_suggestion_records_a_review_in_the_store(monkeypatch: pytest.MonkeyPatch,
                                                              writable_home: Path) -> None:
    home = Home(writable_home)
    rows = alignments(home.open_reader(), MAJOR, "Major", "智慧健康养老服务与管理")
    computed = next(r for r in rows if not r.stored and r.link is not None)  # a text suggestion
    app = open_page(monkeypatch, writable_home, ENTITY, iri=MAJOR)
    app.text_input(key="vetgraph_reviewer").input("tester")
    app.text_input(key="vetgraph_review_note").input("课证融通")
    app.button(key=f"accept-{computed.suggestion.alignment}").click().run()
    assert not app.exception
    assert app.success and computed.suggestion.label in app.success[0].value

    decided = {r.alignment: r for r in list_reviews(home.open_reader())}
    review = decided[computed.suggestion.alignment or ""]
    assert (review.decision, review.reviewer, review.note) == ("accepted", "tester", "课证融通")
    assert app.button(key=f"accept-{computed.suggestion.alignment}").disabled  # the page reads the new snapshot


def test_rejecting_a_stored_alignment_takes_it_off_the_page(monkeypatch: pytest.MonkeyPatch,
                                                            writable_home: Path) -> None:
    home = Home(writable_home)
    stored = next(r for r in alignments(home.open_reader(), MAJOR, "Major", "x") if r.stored
                  and r.suggestion.type == "Certificate")
    app = open_page(monkeypatch, writable_home, ENTITY, iri=MAJOR)
    key = f"reject-{stored.suggestion.alignment}"
    app.button(key=key).click().run()
    assert not app.exception
    assert {r.alignment: r.decision for r in list_reviews(home.open_reader())} == {stored.suggestion.alignment:
                                                                                  "rejected"}
    assert not any(b.key == key for b in app.button)  # a rejected link is never proposed again


def test_a_review_while_another_writer_holds_the_store_says_it_is_busy(monkeypatch: pytest.MonkeyPatch,
                                                                       writable_home: Path) -> None:
    from webapp import state

    monkeypatch.setattr(state, "WRITE_WAIT_SECONDS", 0.2)
    home = Home(writable_home)
    stored = next(r for r in alignments(home.open_reader(), MAJOR, "Major", "x") if r.stored)
    app = open_page(monkeypatch, writable_home, ENTITY, iri=MAJOR)
    with home.writer():  # a CLI ingest, say
        app.button(key=f"reject-{stored.suggestion.alignment}").click().run()
    assert not app.exception
    assert app.error and "图谱正被另一个写入者占用" in app.error[0].value
    assert list_reviews(home.open_reader()) == []
    assert [h.value for h in app.main.header] == ["智慧健康养老服务与管理"]  # the page still reads its snapshot


def test_the_neighbourhood_graph_is_coloured_by_class_and_its_nodes_are_links(monkeypatch: pytest.MonkeyPatch,
                                                                             demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, ENTITY, iri=MAJOR)
    options = graph_options(app)
    series = options["series"][0]
    names = {c["name"] for c in series["categories"]}
    assert {"专业", "职业", "课程", "职业技能等级证书"} <= names
    assert len({c["itemStyle"]["color"] for c in series["categories"]}) > 3
    nodes = {n["iri"]: n for n in series["data"]}
    assert nodes[MAJOR]["symbolSize"] > nodes["https://w3id.org/vetgraph/id/occupation/4-10-01-05"]["symbolSize"]
    expander = next(e for e in app.expander if e.label.startswith("相邻节点"))
    assert expander.label == f"相邻节点（{len(nodes) - 1}）"
    assert ("职业：养老护理员", "实体_Entity", {"iri": "https://w3id.org/vetgraph/id/occupation/4-10-01-05"}) \
        in page_links(app)

    app.get("button_group")[0].set_value(2).run()  # two hops
    assert len(graph_options(app)["series"][0]["data"]) > len(nodes)


def test_a_click_on_a_graph_node_opens_its_page(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    from webapp.graph_view import CLICK_HANDLER

    assert "params.data.iri" in CLICK_HANDLER and "return {iri" in CLICK_HANDLER
    app = open_page(monkeypatch, demo_home, ENTITY, iri=MAJOR)
    component = next(e for e in app.main if getattr(e, "type", "") == "bidi_component")
    assert json.loads(component.proto.json)["onEvents"]["click"].startswith("--x_x--0_0--function(params)")


def test_an_unknown_node_and_no_node_say_so(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, ENTITY, iri="https://w3id.org/vetgraph/id/major/000000")
    assert not app.exception
    assert app.warning and "000000" in app.warning[0].value
    app = open_page(monkeypatch, demo_home, ENTITY)
    assert app.info and "IRI" in app.info[0].value
    app.text_input[0].input(MAJOR).run()
    assert [h.value for h in app.main.header] == ["智慧健康养老服务与管理"]


def test_a_provision_page_links_back_to_the_reader(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, ENTITY, iri=CLUSTERS)
    assert not app.exception
    assert ("在政策阅读器中打开", "政策_Policy", {"doc": OPINION, "provision": CLUSTERS}) in page_links(app)
    assert "**标题**：重点建设六大产业专业群" in text_of(app)  # vet:heading by its rdfs:label @zh


def test_a_major_page_links_to_its_alignment_map(monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, ENTITY, iri=MAJOR)
    assert ("打开课证对应图", "课证对应_Alignment", {"major": "590302"}) in page_links(app)
    app = follow(app, "打开课证对应图")
    assert not app.exception
    assert [s.value for s in app.subheader][:1] == ["智慧健康养老服务与管理（590302）专业岗课赛证对应表"]


# -- the policy reader: from a clause through an industry to a major ----------------------------

def test_the_reader_shows_the_opinion_outline_and_a_clause_with_its_industries(monkeypatch: pytest.MonkeyPatch,
                                                                              demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, POLICY, doc=OPINION)
    assert not app.exception
    outline = app.radio(key="reader_provision").options
    assert outline[:3] == ["序言", "总体要求", "\u3000（一） 指导思想"]
    assert "\u3000\u3000重点建设六大产业专业群" in outline
    app.radio(key="reader_provision").set_value(CLUSTERS).run()
    assert app.subheader[0].value == "重点建设六大产业专业群"
    labels = [label for label, _, _ in page_links(app)]
    assert "«工业机器人与智能制造» → 3491 工业机器人制造" in labels  # the words the clause says, the class they name
    assert "«智慧健康养老» → 8514 老年人、残疾人养护服务" in labels
    assert any(label.startswith("660303 工业机器人技术应用（← ") for label in labels)


def test_clicking_from_a_clause_through_an_industry_to_a_major(monkeypatch: pytest.MonkeyPatch,
                                                               demo_home: Path) -> None:
    app = open_page(monkeypatch, demo_home, POLICY, doc=OPINION, provision=CLUSTERS)
    app = follow(app, "«大数据» → 65 ")
    assert not app.exception
    assert [h.value for h in app.main.header] == ["软件和信息技术服务业"]
    majors = [label for label, _, params in page_links(app) if "/major/" in params.get("iri", "")]
    assert majors, page_links(app)
    app = follow(app, majors[0])
    assert ":blue-badge[专业]" in text_of(app)


def test_clean_energy_leads_to_a_major_on_the_real_data(monkeypatch: pytest.MonkeyPatch, real_home: Home) -> None:
    app = open_page(monkeypatch, real_home.root, POLICY, doc=SEED_DOCUMENT)
    assert not app.exception
    app.text_input(key="reader_filter").input("清洁能源").run()
    found: list[str] = []
    for iri in _outline_values(real_home, "清洁能源"):  # the item that names it, before the parts holding it
        app.radio(key="reader_provision").set_value(iri).run()
        found = [label for label, _, _ in page_links(app) if label.startswith("«清洁能源» → 4415")]
        if found:
            break
    assert found, [label for label, _, _ in page_links(app)]
    app = follow(app, found[0])
    assert app.main.header[0].value.startswith("风力发电")
    majors = [label for label, _, params in page_links(app) if "/major/" in params.get("iri", "")]
    assert any("风力发电" in label for label in majors), majors
    app = follow(app, next(label for label in majors if "风力发电" in label))
    assert ":blue-badge[专业]" in text_of(app)


def _outline_values(home: Home, words: str) -> list[str]:
    """The seed document's clauses whose text holds ``words``, deepest first."""
    from kg.query.documents import filter_provisions, load_provisions

    found = filter_provisions(load_provisions(home.open_reader(), SEED_DOCUMENT), words)
    return [p.iri for p in sorted(found, key=lambda p: -p.depth)]
