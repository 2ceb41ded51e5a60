"""Name resolution in kg/align: exact candidates, orders, scores and steps on a small graph; real-data figures."""

from __future__ import annotations

import csv
import re

import pytest
from pyoxigraph import NamedNode

from kg.align.aliases import (
    CertificateAliases,
    IndustryAliases,
    default_certificate_aliases,
    default_industry_aliases,
    parse_certificate_aliases,
    parse_industry_aliases,
)
from kg.align.catalogue import Catalogue
from kg.align.names import (
    INDUSTRY_CODE,
    Candidate,
    industry_alias_problems,
    resolve_certificate,
    resolve_industry,
    resolve_major,
    resolve_occupation,
    stated_code,
)
from kg.core import iris
from kg.core.names import certificate_key, normalise_name
from kg.core.rdf import RDF_TYPE, Triple, boolean, string, term, vet, zh
from kg.errors import SettingsError
from kg.store.base import GraphStore
from kg.store.factory import memory_store
from tests.conftest import SEED_FIELDS, require_shared

GRAPH = "https://w3id.org/vetgraph/graph/test/align"
INDUSTRIES = [  # code, label, level, parent
    ("C", "制造业", "门类", None), ("36", "汽车制造业", "大类", "C"), ("361", "汽车整车制造", "中类", "36"),
    ("3612", "新能源车整车制造", "小类", "361"), ("D", "电力、热力、燃气及水生产和供应业", "门类", None),
    ("44", "电力、热力生产和供应业", "大类", "D"), ("441", "电力生产", "中类", "44"), ("4415", "风力发电", "小类", "441"),
    ("4416", "太阳能发电", "小类", "441"), ("K", "房地产业", "门类", None), ("70", "房地产业", "大类", "K"),
    ("723", "法律服务", "中类", "72"), ("18", "纺织服装、服饰业", "大类", "C"), ("53", "铁路运输业", "大类", "G"),
]
OCCUPATIONS = [  # code, label, is a group, parent
    ("4-07-04-01", "导游", False, "4-07-04"), ("4-07-04", "导游", True, "4-07"), ("4-07", "旅游及公共游览场所服务人员", True, "4"),
    ("4-01-06-01", "电子商务师", False, "4-01-06"),
]
MAJORS = [("610101", "种子生产技术", "中职"), ("210101", "现代种业技术", "职教本科"), ("530701", "电子商务", "高职专科"),
          ("730701", "电子商务", "中职")]
ELDER = "老年照护职业技能等级证书"
BIM = "建筑信息模型（BIM）职业技能等级证书"
OUTSIDE = "无人机驾驶职业技能等级证书"
ALIASES = """term,codes,strength,note
清洁能源,4415;4416,broad,wind and solar generation lie within clean energy
清洁能源,441,narrow,test row: a stronger row sorts first
旅游业,7291,broad,a code the test graph lacks
"""


SKOS_NOTATION, SKOS_PREF, SKOS_ALT, SKOS_BROADER = (term(f"skos:{name}") for name in
                                                   ("notation", "prefLabel", "altLabel", "broader"))


def _concept(node: NamedNode, cls: str, code: str, label: str) -> list[Triple]:
    return [(node, RDF_TYPE, vet(cls)), (node, SKOS_NOTATION, string(code)), (node, SKOS_PREF, zh(label))]


def _small_graph() -> list[Triple]:
    """A few entries of each catalogue, shaped as the catalogue ingestors shape them."""
    triples: list[Triple] = []
    for code, label, level, parent in INDUSTRIES:
        node = iris.industry(code)
        triples += [*_concept(node, "Industry", code, label), (node, vet("industryLevel"), string(level))]
        if parent:
            triples.append((node, SKOS_BROADER, iris.industry(parent)))
    for code, label, group, parent in OCCUPATIONS:
        node = iris.occupation(code)
        triples += [*_concept(node, "OccupationGroup" if group else "Occupation", code, label),
                    (node, SKOS_BROADER, iris.occupation(parent))]
    for code, label, level in MAJORS:
        triples += [*_concept(iris.major(code), "Major", code, label), (iris.major(code), vet("level"), string(level))]
    elder, bim, outside = iris.certificate(ELDER), iris.certificate(BIM), iris.certificate(OUTSIDE)
    triples += [(elder, RDF_TYPE, vet("Certificate")), (elder, SKOS_PREF, zh(ELDER)), (elder, SKOS_ALT, zh("老年照护"))]
    for level in ("初级", "中级"):
        node = iris.certificate_level(elder, level)
        triples += [(elder, vet("hasLevel"), node), (node, vet("levelName"), string(level))]
    triples += [(bim, RDF_TYPE, vet("Certificate")), (bim, SKOS_PREF, zh(BIM)), (bim, SKOS_ALT, zh("建筑信息模型（BIM）")),
                (outside, RDF_TYPE, vet("Certificate")), (outside, SKOS_PREF, zh(OUTSIDE)),
                (outside, vet("outsideCatalogue"), boolean(True))]
    return triples


def _small_store() -> GraphStore:
    store = memory_store()
    store.replace_graph(GRAPH, _small_graph())
    return store


class CountingStore:
    """A store that counts the SELECT queries sent through it."""

    def __init__(self, store: GraphStore) -> None:
        self.store, self.selects = store, 0

    def select(self, query: str) -> list[dict[str, str]]:
        self.selects += 1
        return self.store.select(query)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load(_small_store())


@pytest.fixture(scope="module")
def aliases() -> IndustryAliases:
    return parse_industry_aliases(ALIASES, "test_aliases.csv")


def industry(code: str, label: str, by: str, score: float, strength: str = "exact") -> Candidate:
    return Candidate(iris.industry(code).value, label, code, by, score, strength)


# -- the catalogue ------------------------------------------------------------------------------------

def test_the_catalogue_reads_every_kind_with_five_selects() -> None:
    counting = CountingStore(_small_store())
    catalogue = Catalogue.load(counting)  # type: ignore[arg-type]
    assert counting.selects == 5
    assert len(catalogue.industries.by_code) == len(INDUSTRIES)
    assert catalogue.industries.by_code["4415"].parent == "441"
    assert catalogue.industries.by_code["K"].level == "门类" and catalogue.industries.by_code["K"].parent is None
    assert catalogue.occupations.by_code["4-07-04"].is_group and not catalogue.occupations.by_code["4-07-04-01"].is_group
    assert catalogue.majors.by_code["530701"].level == "高职专科"


def test_certificates_keep_their_labels_and_levels_but_not_the_ones_linking_made(catalogue: Catalogue) -> None:
    elder = iris.certificate(ELDER)
    [found] = catalogue.certificates.by_label[ELDER]
    assert found.alt_labels == ("老年照护",)
    assert found.levels == (("初级", iris.certificate_level(elder, "初级").value),
                            ("中级", iris.certificate_level(elder, "中级").value))
    assert found.level("中级") == iris.certificate_level(elder, "中级").value and found.level("高级") is None
    assert OUTSIDE not in catalogue.certificates.by_label  # vet:outsideCatalogue true: made by linking


def test_an_empty_store_gives_an_empty_catalogue() -> None:
    empty = Catalogue.load(memory_store())
    assert resolve_industry("汽车制造业", empty, IndustryAliases()) == []
    assert resolve_certificate("老年照护", empty, CertificateAliases()) == []


# -- industries ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("term", ["4415", "4415 风力发电", "4415：风力发电", "风力发电（4415）", "风力发电 (4415)", "４４１５"])
def test_a_stated_code_wins(term: str, catalogue: Catalogue, aliases: IndustryAliases) -> None:
    assert resolve_industry(term, catalogue, aliases) == [industry("4415", "风力发电", "code", 1.0)]


def test_a_code_the_catalogue_lacks_falls_back_to_the_name(catalogue: Catalogue, aliases: IndustryAliases) -> None:
    assert resolve_industry("9999 风力发电", catalogue, aliases) == [industry("4415", "风力发电", "name", 1.0)]
    assert resolve_industry("9999", catalogue, aliases) == []


@pytest.mark.parametrize("term", ["2035年", "A级景区", "风力发电4415"])
def test_a_code_run_into_text_is_not_stated(term: str) -> None:
    assert stated_code(term, INDUSTRY_CODE) == (None, term)


def test_exact_then_normalised_label(catalogue: Catalogue, aliases: IndustryAliases) -> None:
    assert resolve_industry("汽车制造业", catalogue, aliases) == [industry("36", "汽车制造业", "name", 1.0)]
    assert resolve_industry(" 汽车制造业 ", catalogue, aliases) == [industry("36", "汽车制造业", "name", 1.0)]
    assert resolve_industry("汽车 制造业", catalogue, aliases) == [industry("36", "汽车制造业", "name", 0.95)]


def test_one_label_at_two_levels_gives_the_more_specific_first(catalogue: Catalogue, aliases: IndustryAliases) -> None:
    assert resolve_industry("房地产业", catalogue, aliases) == [industry("70", "房地产业", "name", 1.0),
                                                              industry("K", "房地产业", "name", 1.0)]


def test_aliases_by_strength_then_table_order(catalogue: Catalogue, aliases: IndustryAliases) -> None:
    expected = [industry("441", "电力生产", "alias", 0.8, "narrow"), industry("4415", "风力发电", "alias", 0.7, "broad"),
                industry("4416", "太阳能发电", "alias", 0.7, "broad")]
    assert resolve_industry("清洁能源", catalogue, aliases) == expected
    assert resolve_industry("清洁能源产业", catalogue, aliases) == expected  # 产业 only says "industry"
    assert resolve_industry("清洁能源", catalogue, IndustryAliases()) == []


@pytest.mark.parametrize(("term", "code", "label"), [
    ("汽车制造", "36", "汽车制造业"), ("铁路运输行业", "53", "铁路运输业"), ("法律服务行业", "723", "法律服务"),
    ("法律服务业", "723", "法律服务"), ("纺织服装服饰行业", "18", "纺织服装、服饰业"), ("房地产行业", "70", "房地产业"),
])
def test_the_generic_ending_rule(term: str, code: str, label: str, catalogue: Catalogue,
                                 aliases: IndustryAliases) -> None:
    assert resolve_industry(term, catalogue, aliases)[0] == industry(code, label, "name", 0.9)


def test_nothing_resolved_is_an_empty_list(catalogue: Catalogue, aliases: IndustryAliases) -> None:
    assert resolve_industry("光伏产业", catalogue, aliases) == []
    assert resolve_industry("旅游业", catalogue, aliases) == []  # its alias names a code the graph lacks
    assert resolve_industry("  ", catalogue, aliases) == []


def test_alias_problems_name_the_file_and_line(catalogue: Catalogue) -> None:
    table = parse_industry_aliases(ALIASES + "汽车制造业,36,exact,shadowed by the label\n", "t.csv")
    assert industry_alias_problems(table, catalogue) == [
        "t.csv:4: '旅游业' names 7291, not in the store's GB/T 4754",
        "t.csv:5: '汽车制造业' is a catalogue label already; the row is never used"]


# -- certificates -------------------------------------------------------------------------------------

def certificate(name: str, by: str, score: float) -> Candidate:
    return Candidate(iris.certificate(name).value, name, None, by, score, "exact")


def test_certificate_steps(catalogue: Catalogue) -> None:
    table = parse_certificate_aliases(f"term,full_name,note\nBIM,{BIM},short name\n", "c.csv")
    assert resolve_certificate(ELDER, catalogue, table) == [certificate(ELDER, "name", 1.0)]
    assert resolve_certificate("老年照护", catalogue, table) == [certificate(ELDER, "name", 1.0)]
    assert resolve_certificate("老年照护 职业技能等级证书", catalogue, table) == [certificate(ELDER, "name", 0.95)]
    assert resolve_certificate("建筑信息模型(BIM)", catalogue, table) == [certificate(BIM, "name", 0.95)]
    assert resolve_certificate("BIM", catalogue, table) == [certificate(BIM, "alias", 0.9)]
    assert resolve_certificate("“1+X”老年照护职业技能等级证书（中级）", catalogue, table) == [certificate(ELDER, "name", 0.9)]
    assert resolve_certificate("BIM", catalogue, CertificateAliases()) == []
    assert resolve_certificate(OUTSIDE, catalogue, table) == []
    assert resolve_certificate("职业技能等级证书", catalogue, table) == []


# -- occupations and majors ---------------------------------------------------------------------------

def occupation(code: str, label: str, by: str, score: float) -> Candidate:
    return Candidate(iris.occupation(code).value, label, code, by, score, "exact")


def test_occupation_steps(catalogue: Catalogue) -> None:
    assert resolve_occupation("4-07-04-01", catalogue) == [occupation("4-07-04-01", "导游", "code", 1.0)]
    assert resolve_occupation("导游（4-07-04）", catalogue) == [occupation("4-07-04", "导游", "code", 1.0)]
    assert resolve_occupation("导游", catalogue) == [occupation("4-07-04-01", "导游", "name", 1.0),
                                                    occupation("4-07-04", "导游", "name", 1.0)]
    assert resolve_occupation("电子商务师 S", catalogue) == [occupation("4-01-06-01", "电子商务师", "name", 0.95)]
    assert resolve_occupation("电子商务员", catalogue) == []


def major(code: str, label: str, by: str, score: float) -> Candidate:
    return Candidate(iris.major(code).value, label, code, by, score, "exact")


def test_major_steps_and_levels(catalogue: Catalogue) -> None:
    assert resolve_major("610101", catalogue) == [major("610101", "种子生产技术", "code", 1.0)]
    assert resolve_major("电子商务", catalogue) == [major("530701", "电子商务", "name", 1.0),
                                                 major("730701", "电子商务", "name", 1.0)]
    assert resolve_major("电子商务", catalogue, level="高职") == [major("530701", "电子商务", "name", 1.0)]
    assert resolve_major("电子商务", catalogue, level="voc_secondary") == [major("730701", "电子商务", "name", 1.0)]
    assert resolve_major("现代种业 技术", catalogue) == [major("210101", "现代种业技术", "name", 0.95)]
    assert resolve_major("610101", catalogue, level="职教本科") == []
    with pytest.raises(SettingsError, match="unknown education level 'bogus'"):
        resolve_major("电子商务", catalogue, level="bogus")


# -- real data ----------------------------------------------------------------------------------------

INDUSTRY_CSV = ("catalogs", "industries_gbt4754_2017.csv")
CERTIFICATE_CSVS = (("certificates", "onex_batches_1_2.csv"), ("certificates", "onex_platform_subset.csv"))


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """The industry catalogue, the two certificate lists and the seed policy, ingested into a fresh home."""
    from kg.pipeline.run import ingest
    from kg.store.home import Home

    paths = [require_shared(*INDUSTRY_CSV), *(require_shared(*p) for p in CERTIFICATE_CSVS),
             require_shared("policy", "000_63c5338d7d9bffda.txt")]
    home = Home(tmp_path_factory.mktemp("align") / "home")
    report = ingest(home, paths)
    assert report.count("rejected") == 0, [f.reason for f in report.files if f.status == "rejected"]
    return home.open_reader()


@pytest.fixture(scope="module")
def real_catalogue(real_store: GraphStore) -> Catalogue:
    return Catalogue.load(real_store)


def test_every_seed_policy_industry_resolves_to_gbt4754_codes(real_store: GraphStore, real_catalogue: Catalogue) -> None:
    rows = real_store.select('SELECT DISTINCT ?term WHERE { ?m a vet:Mention ; vet:mentionKind "industry" ; '
                             'vet:matchedTerm ?term }')
    terms = {row["term"] for row in rows}
    assert set(SEED_FIELDS) <= terms
    codes = {row["code"] for row in csv.DictReader(require_shared(*INDUSTRY_CSV).open(encoding="utf-8"))}
    resolved = {term: resolve_industry(term, real_catalogue, default_industry_aliases()) for term in terms}
    assert {term for term, found in resolved.items() if not found} == set()
    assert all(c.code in codes for found in resolved.values() for c in found)
    assert {"4415", "4416"} <= {c.code for c in resolved["清洁能源"]}
    assert {"6450", "65"} <= {c.code for c in resolved["大数据"]}
    assert {"7291", "786", "61"} <= {c.code for c in resolved["旅游业"]}


@pytest.mark.parametrize(("term", "code"), [("汽车制造业", "36"), ("建筑业", "E"), ("餐饮业", "62"), ("住宿业", "61"),
                                            ("软件和信息技术服务业", "65"), ("铁路运输行业", "53"), ("化妆品行业", "2682")])
def test_industries_profiles_name(term: str, code: str, real_catalogue: Catalogue) -> None:
    assert resolve_industry(term, real_catalogue, default_industry_aliases())[0].code == code


def test_the_packaged_alias_table_fits_the_real_catalogue(real_catalogue: Catalogue) -> None:
    assert industry_alias_problems(default_industry_aliases(), real_catalogue) == []


def _profile_certificate_names() -> set[str]:
    """Every distinct name listed after 职业技能等级证书： in the profiles (a glued next heading cut off)."""
    names: set[str] = set()
    for path in sorted(require_shared("profiles").glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.match(r"\s*职业技能等级证书[：:](.*)", line)
            if match:
                body = re.split(r"接续|#", match[1])[0]
                names.update(n.strip().rstrip("。；;等").strip() for n in re.split(r"[、，,；;]", body))
    return {name for name in names if name and name not in ("暂无", "无")}


def _without_brackets(name: str) -> str:
    return re.sub(r"\([^)]*\)", "", certificate_key(name))


def test_profile_certificates_in_the_catalogue_resolve(real_catalogue: Catalogue) -> None:
    """Of the profiles' certificate names whose certificate the 1+X lists hold, at least 90% resolve.

    "Holds" is judged apart from the resolver: the same name once spaces, quotes, 1+X, the level and
    职业技能等级证书 are dropped, or the catalogue's name with its bracketed part dropped when the
    profile prints none (大数据应用开发 for 大数据应用开发（Python）).
    """
    full_names = [row["certificate_name"] for parts in CERTIFICATE_CSVS
                  for row in csv.DictReader(require_shared(*parts).open(encoding="utf-8"))]
    keys = {certificate_key(name) for name in full_names}
    bare = {_without_brackets(name) for name in full_names}
    names = _profile_certificate_names()
    held = sorted(n for n in names if certificate_key(n) in keys
                  or ("(" not in normalise_name(n) and certificate_key(n) in bare))
    resolved = [n for n in held if resolve_certificate(n, real_catalogue, default_certificate_aliases())]
    assert len(names) > 300 and len(held) >= 60
    assert len(resolved) / len(held) >= 0.9, sorted(set(held) - set(resolved))


def test_a_compound_field_resolves_by_its_parts_when_it_does_not_resolve_whole() -> None:
    from kg.align.aliases import default_industry_aliases
    from kg.align.catalogue import Catalogue, Industry
    from kg.align.names import resolve_industry

    robots = Industry("https://w3id.org/vetgraph/id/industry/3491", "3491", "工业机器人制造", "小类", "349")
    catalogue = Catalogue.from_entries(industries=[robots])
    found = resolve_industry("工业机器人与智能制造", catalogue, default_industry_aliases())
    assert [(c.code, c.strength) for c in found] == [("3491", "broad")]  # the part lies within the compound
    assert resolve_industry("工业机器人与智能制造", catalogue, default_industry_aliases(), split=False) == []
