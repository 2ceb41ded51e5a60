"""`vetgraph align` with a search index: names nothing else resolves, resolved by embedding (fake encoder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.align.embedding_links import embedding_links, unresolved_mentions
from kg.align.link import link_mentions
from kg.align.reviews import Review, review_triples
from kg.core import iris
from kg.resolve.runner import run_resolvers
from kg.search.encoder import FakeEncoder
from kg.search.index import SearchIndex
from kg.store.base import GraphStore
from kg.store.factory import memory_store
from kg.store.updates import insert_data

D = "https://w3id.org/vetgraph/id/"
GRAPH = "https://w3id.org/vetgraph/graph/source/test/1"
PROVISION = f"{D}policy/p/article-1"
PROFILE = iris.major_profile("460702").value

GRAPH_TEXT = f"""
<{D}industry/36> a vet:Industry ; skos:notation "36" ; skos:prefLabel "汽车制造业"@zh .
<{D}industry/3612> a vet:Industry ; skos:notation "3612" ; skos:prefLabel "新能源车整车制造"@zh ; skos:broader <{D}industry/36> .
<{D}industry/6110> a vet:Industry ; skos:notation "6110" ; skos:prefLabel "旅游饭店"@zh .
<{D}major/460702> a vet:Major ; skos:notation "460702" ; skos:prefLabel "新能源汽车技术"@zh ; vet:level "高职专科" .
<{D}major/260702> a vet:Major ; skos:notation "260702" ; skos:prefLabel "新能源汽车工程技术"@zh ; vet:level "职教本科" .
<{PROFILE}> a vet:MajorProfile ; vet:profileOf <{D}major/460702> .
<{PROVISION}> a vet:Provision .
<{PROVISION}/mention/1> a vet:Mention ; vet:mentionKind "industry" ; vet:matchedTerm "新能源整车制造"@zh ;
    vet:mentionedIn <{PROVISION}> .
<{PROVISION}/mention/2> a vet:Mention ; vet:mentionKind "industry" ; vet:matchedTerm "汽车制造业"@zh ;
    vet:mentionedIn <{PROVISION}> .
<{PROFILE}/next/1> a vet:Mention ; vet:mentionKind "next-major" ; vet:matchedTerm "新能源汽车工程"@zh ;
    vet:mentionedIn <{PROFILE}> ; vet:statedLevel "高职本科" .
<{PROFILE}/next/2> a vet:Mention ; vet:mentionKind "next-major" ; vet:matchedTerm "车辆工程"@zh ;
    vet:mentionedIn <{PROFILE}> ; vet:statedLevel "普通本科" .
"""


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[GraphStore, SearchIndex, FakeEncoder]:
    store = memory_store()
    store.update(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {GRAPH_TEXT} }} }}")
    run_resolvers(store, (link_mentions,))
    encoder = FakeEncoder()
    index = SearchIndex(tmp_path / "index")
    index.refresh(store, encoder)
    return store, index, encoder


def _links(store: GraphStore) -> dict[tuple[str, str], dict[str, str]]:
    rows = store.select("""SELECT ?a ?s ?t ?method ?by ?status ?score ?e WHERE { ?a a vet:Alignment ;
        vet:alignmentSource ?s ; vet:alignmentTarget ?t ; vet:method ?method ; vet:resolvedBy ?by ;
        vet:reviewStatus ?status ; vet:score ?score ; vet:evidence ?e }""")
    return {(row["s"].removeprefix(D), row["t"].removeprefix(D)): row for row in rows}


def test_only_mentions_nothing_else_resolved_are_looked_up(indexed: tuple[GraphStore, SearchIndex, FakeEncoder]) -> None:
    store, _, _ = indexed
    # 汽车制造业 resolved by name; 车辆工程 is a 普通本科 major, outside the vocational catalogue
    assert sorted(m.term for m in unresolved_mentions(store)) == ["新能源整车制造", "新能源汽车工程"]


def test_an_unresolved_name_gets_its_nearest_nodes_of_its_class_as_proposed_links(
        indexed: tuple[GraphStore, SearchIndex, FakeEncoder]) -> None:
    store, index, encoder = indexed
    resolution = embedding_links(store, index, encoder, min_cosine=0.3)
    store.replace_graph(iris.derived_graph(resolution.name), resolution.triples)
    links = _links(store)
    industry = links["policy/p/article-1", "industry/3612"]
    assert (industry["method"], industry["by"], industry["status"]) == ("stated", "embedding", "proposed")
    assert industry["e"] == f"{PROVISION}/mention/1" and 0.3 <= float(industry["score"]) <= 1
    assert ("policy/p/article-1", "industry/6110") not in links  # shares nothing with the name
    # a next major is looked up among the majors of its stated level only (高职本科 -> 职教本科)
    assert ("major/460702", "major/260702") in links
    assert not any(target == "major/460702" for _, target in links)
    assert resolution.notes == ["embedding links: 2 proposed links for 2 of 2 mentions no code, name or alias resolved"]


def test_a_rejected_embedding_link_is_never_proposed_again(indexed: tuple[GraphStore, SearchIndex, FakeEncoder]) -> None:
    store, index, encoder = indexed
    first = embedding_links(store, index, encoder, min_cosine=0.3)
    store.replace_graph(iris.derived_graph(first.name), first.triples)
    rejected = _links(store)["policy/p/article-1", "industry/3612"]["a"]
    store.update(insert_data(iris.REVIEW_GRAPH, review_triples(Review(rejected, "rejected", "tester", "2026-12-01T10:00:00+00:00"))))
    again = embedding_links(store, index, encoder, min_cosine=0.3)
    store.replace_graph(iris.derived_graph(again.name), again.triples)
    assert ("policy/p/article-1", "industry/3612") not in _links(store)
    assert again.triples != first.triples


def test_aligning_with_the_index_twice_changes_nothing(indexed: tuple[GraphStore, SearchIndex, FakeEncoder]) -> None:
    store, index, encoder = indexed
    first = embedding_links(store, index, encoder, min_cosine=0.3)
    assert first.triples
    store.replace_graph(iris.derived_graph(first.name), first.triples)
    assert embedding_links(store, index, encoder, min_cosine=0.3).triples == first.triples


def test_a_high_floor_proposes_nothing(indexed: tuple[GraphStore, SearchIndex, FakeEncoder]) -> None:
    store, index, encoder = indexed
    assert embedding_links(store, index, encoder, min_cosine=1.01).triples == []
