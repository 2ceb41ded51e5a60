"""English queries get Chinese words: CC-CEDICT read backwards, the project's VET glossary first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.search.crosslingual import EnglishLexicon, read_glossary
from kg.search.encoder import FakeEncoder
from kg.search.index import SearchIndex
from kg.search.settings import SearchError, SearchSettings
from kg.pipeline.run import ingest
from kg.store.home import Home
from tests.conftest import ROOT

CEDICT = """\
# CC-CEDICT sample
學徒 学徒 [xue2 tu2] /apprentice/to serve an apprenticeship/
徒 徒 [tu2] /disciple/apprentice/
證書 证书 [zheng4 shu1] /certificate/CL:張|张[zhang1]/
證券 证券 [zheng4 quan4] /negotiable security (finance)/certificate/stocks/
麵包 面包 [mian4 bao1] /bread/CL:片[pian4],袋[dai4],塊|块[kuai4]/
麵包師傅 面包师傅 [mian4 bao1 shi1 fu5] /baker/
工地 工地 [gong1 di4] /building site/construction site/
電子商務 电子商务 [dian4 zi3 shang1 wu4] /e-commerce/
倫敦 伦敦 [Lun2 dun1] /London/
"""


@pytest.fixture()
def lexicon() -> EnglishLexicon:
    return EnglishLexicon.from_cedict(CEDICT.splitlines(), glossary={"school enterprise cooperation": ["校企合作"],
                                                                    "certificate": ["证书"]})


def held(*words: str):
    return lambda word: 5 if word in words else 0


def test_phrases_are_read_from_the_glosses_longest_span_first(lexicon: EnglishLexicon) -> None:
    assert lexicon.expand("construction site", held("工地", "面包")) == ["工地"]
    assert lexicon.expand("bread and baker", held("面包", "面包师傅")) == ["面包", "面包师傅"]
    assert lexicon.expand("e-commerce", held("电子商务")) == ["电子商务"]


def test_only_words_the_index_holds_are_kept_and_single_characters_only_without_a_longer_word(
        lexicon: EnglishLexicon) -> None:
    assert lexicon.expand("apprentices", held("学徒", "徒")) == ["学徒"]  # plural to singular; 徒 is a character
    assert lexicon.expand("apprentices", held("徒")) == []  # 学徒 not in the index: nothing, not the character
    assert lexicon.expand("bread", held()) == []


def test_the_glossary_comes_before_the_dictionary_and_hyphens_split_words(lexicon: EnglishLexicon) -> None:
    assert lexicon.expand("certificate", held("证书", "证券")) == ["证书"]
    assert lexicon.expand("school-enterprise cooperation", held("校企合作")) == ["校企合作"]


def test_proper_names_classifiers_chinese_and_stopword_queries_give_nothing(lexicon: EnglishLexicon) -> None:
    assert lexicon.senses("london") == [] and lexicon.senses("cl:") == []
    assert lexicon.expand("新能源汽车 bread", held("面包")) == []  # a query with Chinese in it is left alone
    assert lexicon.expand("the of and", held("面包")) == []


def test_the_project_glossary_reads_and_a_malformed_line_names_its_line(tmp_path: Path) -> None:
    glossary = read_glossary()
    assert glossary["school enterprise cooperation"] == ["校企合作"] and glossary["vocational education"] == ["职业教育"]
    bad = tmp_path / "glossary.tsv"
    bad.write_text("# comment\nvocational\t职业\nno tab here\n", encoding="utf-8")
    with pytest.raises(SearchError, match=r"glossary.tsv:3: expected"):
        read_glossary(bad)


def test_the_lexicon_is_cached_and_a_damaged_cache_is_built_again(tmp_path: Path) -> None:
    built = EnglishLexicon.load(tmp_path)
    cache = tmp_path / "en-zh-lexicon.json"
    assert cache.is_file() and len(built) > 50_000
    assert [s.word for s in EnglishLexicon.load(tmp_path).senses("bread")] == [s.word for s in built.senses("bread")]
    cache.write_text("{not json", encoding="utf-8")
    assert "面包" in [s.word for s in EnglishLexicon.load(tmp_path).senses("bread")]


def test_an_english_query_finds_chinese_nodes_by_bm25_and_the_setting_turns_it_off(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    home = Home(tmp_path / "home")
    ingest(home, [tmp_path / "corpus"])
    SearchIndex(home.index, SearchSettings(model="fake")).refresh(home.open_reader(), FakeEncoder())
    hits = SearchIndex(home.index).search("school-enterprise cooperation", None, top=5)
    assert hits and all("校企合作" in hit.text or "校企合作" in hit.label for hit in hits[:3])
    off = SearchIndex(home.index, SearchSettings(model="fake", english_to_chinese=False))
    assert not off.search("school-enterprise cooperation", None, top=5)
