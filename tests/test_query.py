"""The app's read models without Streamlit: documents, provisions, targets, mentions and the store overview."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.core import terms
from kg.pipeline.run import ingest
from kg.query.documents import (
    Document,
    MentionView,
    ProvisionView,
    TargetView,
    filter_provisions,
    list_documents,
    load_provisions,
)
from kg.query.stats import StoreOverview, class_counts, store_overview
from kg.store.base import GraphStore
from kg.store.home import Home

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "policy"
FILES = {
    "md": "demo-school-enterprise-cooperation-measures.md",
    "txt": "demo-city-vocational-opinion-draft.txt",
    "html": "demo-county-training-plan.html",
}
TITLES = {
    "md": "XX市促进职业教育校企合作条例",
    "txt": "关于深化产教融合推动XX市职业院校专业设置与区域产业协同发展的实施意见（征求意见稿）",
    "html": "XX县2025年农村电商与乡村旅游技能培训工作方案",
}
FIRST_ARTICLE = "第一条 为了促进职业院校与企业开展合作"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[GraphStore, int]:
    """The demo policy corpus ingested once: a reader on it, and the triples the ingest report counted."""
    home = Home(tmp_path_factory.mktemp("query") / "home")
    report = ingest(home, [CORPUS])
    assert report.count("rejected") == 0, [f.reason for f in report.files]
    return home.open_reader(), sum(f.triples or 0 for f in report.files)


@pytest.fixture(scope="module")
def store(demo: tuple[GraphStore, int]) -> GraphStore:
    return demo[0]


@pytest.fixture(scope="module")
def documents(store: GraphStore) -> dict[str, Document]:
    """The listed documents keyed by their file's suffix (md, txt, html)."""
    return {Path(d.path or "").suffix.lstrip("."): d for d in list_documents(store)}


def provisions_of(store: GraphStore, documents: dict[str, Document], key: str) -> list[ProvisionView]:
    return load_provisions(store, documents[key].iri)


# -- list_documents -------------------------------------------------------------------------------

def test_list_documents_gives_the_three_demo_documents_sorted_by_title(store: GraphStore) -> None:
    listed = list_documents(store)
    assert [d.title for d in listed] == sorted(TITLES.values())
    assert len({d.iri for d in listed}) == 3
    assert all(isinstance(d, Document) for d in listed)


def test_each_document_carries_its_title_path_status_and_date(documents: dict[str, Document]) -> None:
    assert set(documents) == set(FILES)
    for key, document in documents.items():
        assert document.title == TITLES[key]
        assert document.path is not None and document.path.endswith("/" + FILES[key])
    assert documents["md"].date == "2024-07-26"
    assert documents["html"].date == "2025-03-10"
    assert documents["md"].status == terms.VET + "StatusInForce"
    assert documents["html"].status == terms.VET + "StatusInForce"
    assert documents["md"].label() == f"{TITLES['md']} · 现行有效 · 2024-07-26"


def test_the_draft_is_labelled_as_a_draft(documents: dict[str, Document]) -> None:
    draft = documents["txt"]
    assert draft.status is not None and draft.status.endswith("StatusDraft")
    assert terms.prefixed(draft.status) == "StatusDraft"
    assert draft.date is None
    assert "草案" in draft.label()
    assert draft.label() == f"{TITLES['txt']} · 草案"


# -- load_provisions ------------------------------------------------------------------------------

def test_the_regulation_reads_in_order_chapters_then_articles(store: GraphStore,
                                                               documents: dict[str, Document]) -> None:
    provisions = provisions_of(store, documents, "md")
    assert len(provisions) == 45
    starts = [p.line_start for p in provisions]
    assert starts == sorted(starts)
    assert all(isinstance(p, ProvisionView) for p in provisions)
    by_iri = {p.iri: p for p in provisions}
    chapters = [p for p in provisions if p.number and p.number.endswith("章")]
    articles = [p for p in provisions if p.number and p.number.endswith("条")]
    assert [c.title for c in chapters] == ["第一章 总则", "第二章 合作内容与形式", "第三章 实习管理",
                                           "第四章 激励与保障", "第五章 附则"]
    assert len(articles) == 27
    assert all(c.depth == 0 and c.parent == documents["md"].iri for c in chapters)
    assert all(a.depth == 1 and by_iri[a.parent] in chapters for a in articles)
    assert all(p.depth == 2 for p in provisions if p not in chapters and p not in articles)


def test_the_first_chapter_and_article_as_printed(store: GraphStore, documents: dict[str, Document]) -> None:
    provisions = provisions_of(store, documents, "md")
    chapter, article = provisions[0], provisions[1]
    assert (chapter.number, chapter.heading, chapter.title) == ("第一章", "总则", "第一章 总则")
    assert (chapter.line_start, chapter.line_end, chapter.lines) == (7, 23, "7-23")
    assert (article.number, article.heading, article.title) == ("第一条", None, "第一条")
    assert (article.line_start, article.line_end, article.lines) == (9, 9, "9")
    assert article.text.startswith(FIRST_ARTICLE)
    assert article.parent == chapter.iri
    second = provisions[2]
    assert (second.title, second.lines) == ("第二条", "11-13")


def test_a_provision_without_number_is_titled_by_its_label(store: GraphStore,
                                                            documents: dict[str, Document]) -> None:
    provisions = provisions_of(store, documents, "txt")
    preamble = provisions[0]
    assert preamble.number is None and preamble.heading is None
    assert preamble.title == preamble.label == "序言"
    assert provisions[1].title == "总体要求" and provisions[1].lines == "3-14"
    assert provisions[2].title == "（一） 指导思想" and provisions[2].depth == 1


def test_the_draft_states_its_funding_target(store: GraphStore, documents: dict[str, Document]) -> None:
    provisions = provisions_of(store, documents, "txt")
    funding = next(p for p in provisions if p.title == "（二） 加大经费投入")
    assert funding.lines == "38"
    assert all(isinstance(t, TargetView) for p in provisions for t in p.targets)
    assert funding.targets == [
        TargetView("市财政每年安排专项资金 不少于2000万元", "2000", None, "万元", "at_least", None),
        TargetView("城市教育费附加用于职业教育的比例 不低于30%", "30", None, "%", "at_least", None),
    ]
    assert (funding.targets[0].amount, funding.targets[0].unit) == ("2000", "万元")


def test_a_range_target_shows_its_range(store: GraphStore, documents: dict[str, Document]) -> None:
    provisions = provisions_of(store, documents, "txt")
    colleges = next(t for p in provisions for t in p.targets if t.label.startswith("市级产业学院"))
    assert (colleges.value, colleges.value_max, colleges.amount, colleges.unit) == ("5", "8", "5–8", "个")
    assert colleges.year == "2027"


def test_mentions_are_mention_views(store: GraphStore, documents: dict[str, Document]) -> None:
    provisions = provisions_of(store, documents, "md")
    assert all(isinstance(m, MentionView) for p in provisions for m in p.mentions)
    assert provisions[1].mentions == [MentionView("产教融合", "initiative")]
    item = next(p for p in provisions if p.text.startswith("（二）实施订单培养"))
    assert [m.text for m in item.mentions] == ["订单培养", "现代学徒制", "中国特色学徒制"]


def test_an_unknown_document_has_no_provisions(store: GraphStore) -> None:
    assert load_provisions(store, "https://w3id.org/vetgraph/id/policy/no-such-document") == []


def test_a_target_or_mention_of_a_provision_not_listed_is_skipped() -> None:
    from kg.store.factory import memory_store

    store = memory_store()
    doc, kept, dangling = "urn:x:doc", "urn:x:doc/article-1", "urn:x:doc/article-2"
    store.update(f"""INSERT DATA {{ GRAPH <urn:x:graph> {{
        <{kept}> vet:inDocument <{doc}> ; rdfs:label "第一条" ; vet:text "正文" ; vet:lineStart 1 ; vet:lineEnd 1 ;
                 vet:order 1 ; eli:is_part_of <{doc}> .
        <{dangling}> vet:inDocument <{doc}> .
        <urn:x:target> a vet:Target ; vet:statedIn <{dangling}> ; rdfs:label "目标" ; vet:targetValue "70" ;
                       vet:unit "%" ; vet:spanStart 0 .
        <urn:x:mention> a vet:Mention ; vet:mentionedIn <{dangling}> ; vet:spanText "产教融合" ;
                        vet:mentionKind "initiative" ; vet:spanStart 0 .
    }} }}""")
    provisions = load_provisions(store, doc)
    assert [p.iri for p in provisions] == [kept]
    assert provisions[0].targets == [] and provisions[0].mentions == []


# -- filter_provisions ----------------------------------------------------------------------------

def test_filter_keeps_only_provisions_containing_the_text(store: GraphStore,
                                                          documents: dict[str, Document]) -> None:
    provisions = provisions_of(store, documents, "txt")
    kept = filter_provisions(provisions, "专项资金")
    assert [p.title for p in kept] == ["保障措施", "（二） 加大经费投入"]
    assert all("专项资金" in p.text for p in kept)
    assert not any("专项资金" in p.text for p in provisions if p not in kept)


def test_filter_ignores_case_and_surrounding_space(store: GraphStore, documents: dict[str, Document]) -> None:
    provisions = provisions_of(store, documents, "txt")
    assert [p.title for p in filter_provisions(provisions, " 1+x ")] == [
        "重点任务", "（三） 推进岗课赛证综合育人", "推进1+X证书制度试点"]


def test_an_empty_filter_keeps_everything(store: GraphStore, documents: dict[str, Document]) -> None:
    provisions = provisions_of(store, documents, "txt")
    assert len(provisions) == 40
    assert filter_provisions(provisions, "") == provisions
    assert filter_provisions(provisions, "   ") == provisions
    assert filter_provisions(provisions, "没有这段文字") == []


# -- store_overview -------------------------------------------------------------------------------

def test_store_overview_counts_sources_triples_and_classes(demo: tuple[GraphStore, int],
                                                           documents: dict[str, Document]) -> None:
    store, reported_triples = demo
    overview = store_overview(store)
    assert isinstance(overview, StoreOverview)
    assert overview.sources == 3
    assert overview.triples > 0 and overview.triples == reported_triples
    assert overview.classes["PolicyDocument"] == 3
    assert overview.classes["eli:LegalResource"] == 3
    provisions = [p for d in documents.values() for p in load_provisions(store, d.iri)]
    assert overview.classes["Provision"] == len(provisions) == 96
    assert overview.classes["Target"] == sum(len(p.targets) for p in provisions)
    assert overview.classes["Mention"] == sum(len(p.mentions) for p in provisions)
    assert overview.classes == class_counts(store)


def test_an_empty_home_has_no_documents_and_a_zero_overview(tmp_path: Path) -> None:
    store = Home(tmp_path / "empty").open_reader()
    assert list_documents(store) == []
    assert store_overview(store) == StoreOverview(sources=0, triples=0, classes={})
