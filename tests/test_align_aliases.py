"""The curated alias tables: the loader's checks (file:line errors) and the packaged tables against the real catalogues."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.align.aliases import (
    STRENGTH_SCORES,
    AliasTableError,
    IndustryAlias,
    IndustryAliases,
    alias_codes,
    load_certificate_aliases,
    load_industry_aliases,
)
from kg.align.keys import industry_stem, industry_term_forms
from kg.core.names import certificate_key, normalise_name
from kg.errors import SourceError, VetgraphError
from tests.conftest import SEED_FIELDS, require_shared

INDUSTRY_HEADER = "term,codes,strength,note\n"


def _write(tmp_path: Path, text: str, name: str = "aliases.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the loader ---------------------------------------------------------------------------------------

def test_a_good_table_loads_as_typed_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, "\ufeff" + INDUSTRY_HEADER + "清洁能源, 4415 ; 4416 ,broad,\"wind, solar\"\n\n旅游业,7291,major,\n")
    table = load_industry_aliases(path)
    assert table.source == str(path)
    assert table.rows == (IndustryAlias("清洁能源", ("4415", "4416"), "broad", "wind, solar", 2),
                          IndustryAlias("旅游业", ("7291",), "major", "", 4))
    assert table.rows[0].score == 0.7 and table.rows[1].score == 0.85


@pytest.mark.parametrize(("body", "line", "message"), [
    ("清洁能源,4415,strong,x\n", 2, "unknown strength 'strong' for '清洁能源': expected one of exact, major, narrow, broad, minor"),
    ("旅游业,7291,broad,x\n清洁能源, ; ,broad,x\n", 3, "empty codes for '清洁能源'"),
    ("清洁能源,44155,broad,x\n", 2, "bad GB/T 4754 code '44155'"),
    ("清洁能源,4415;4415,broad,x\n", 2, "'清洁能源' -> 4415 repeats line 2"),
    ("清洁能源,4415,broad,x\n清洁能源,4415,minor,y\n", 3, "'清洁能源' -> 4415 repeats line 2"),
    (",4415,broad,x\n", 2, "empty term"),
    ("清洁能源,4415,broad\n", 2, "expected 4 columns"),
])
def test_a_bad_row_is_an_error_naming_file_and_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    path = _write(tmp_path, INDUSTRY_HEADER + body)
    with pytest.raises(AliasTableError) as caught:
        load_industry_aliases(path)
    assert caught.value.path == str(path) and caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ") and message in str(caught.value)
    assert isinstance(caught.value, SourceError) and isinstance(caught.value, VetgraphError)


def test_a_wrong_header_is_line_1(tmp_path: Path) -> None:
    path = _write(tmp_path, "term,codes,note\n清洁能源,4415,x\n")
    with pytest.raises(AliasTableError, match=r":1: header must be term,codes,strength,note"):
        load_industry_aliases(path)
    with pytest.raises(AliasTableError, match=r":1: header must be term,full_name,note"):
        load_certificate_aliases(path)


def test_certificate_rows_are_checked(tmp_path: Path) -> None:
    path = _write(tmp_path, "term,full_name,note\nBIM,,x\n")
    with pytest.raises(AliasTableError, match=r"aliases.csv:2: empty term or full_name"):
        load_certificate_aliases(path)
    path = _write(tmp_path, "term,full_name,note\nBIM,建筑信息模型（BIM）职业技能等级证书,x\nBIM证书,其他,y\n")
    with pytest.raises(AliasTableError, match=r"aliases.csv:3: 'BIM证书' repeats line 2"):
        load_certificate_aliases(path)


def test_a_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(AliasTableError, match="cannot read the alias table"):
        load_industry_aliases(tmp_path / "absent.csv")


# -- keys and lookup ----------------------------------------------------------------------------------

def test_industry_stems_and_term_forms() -> None:
    assert industry_stem("纺织服装、服饰业") == "纺织服装服饰"
    assert industry_stem("法律服务") == "法律服务" and industry_stem("业") == "业"
    assert industry_term_forms("旅游行业") == ["旅游行业", "旅游", "旅游行"]
    assert industry_term_forms("光伏产业") == ["光伏产业", "光伏", "光伏产"]
    assert industry_term_forms("大数据") == ["大数据"]


def test_lookup_by_term_then_by_forms() -> None:
    rows = (IndustryAlias("旅游业", ("7291",), "broad", "", 2), IndustryAlias("大数据", ("6450",), "broad", "", 3),
            IndustryAlias("旅游业", ("61",), "minor", "", 4))
    table = IndustryAliases(rows)
    assert table.lookup("旅游业") == (rows[0], rows[2])
    assert table.lookup("旅游行业") == (rows[0], rows[2]) == table.lookup("旅游")
    assert table.lookup("大数据产业") == (rows[1],)
    assert table.lookup("数据") == ()


# -- the packaged tables ------------------------------------------------------------------------------

def test_the_packaged_industry_table_covers_the_seed_policy() -> None:
    table = load_industry_aliases()
    terms = {row.term for row in table.rows}
    assert set(SEED_FIELDS) <= terms
    assert all(row.strength in STRENGTH_SCORES and row.codes and row.note for row in table.rows)
    clean = {code for row in table.lookup("清洁能源") for code in row.codes}
    assert {"4413", "4414", "4415", "4416", "4417", "4419"} <= clean


def test_every_code_of_the_packaged_table_is_in_the_catalogue_file() -> None:
    path = require_shared("catalogs", "industries_gbt4754_2017.csv")
    codes = {row["code"] for row in csv.DictReader(path.open(encoding="utf-8"))}
    table = load_industry_aliases()
    assert sorted(alias_codes(table.rows) - codes) == []


def test_the_packaged_certificate_table_names_real_certificates_only_where_keys_differ() -> None:
    names = {normalise_name(row["certificate_name"]) for name in ("onex_batches_1_2.csv", "onex_platform_subset.csv")
             for row in csv.DictReader(require_shared("certificates", name).open(encoding="utf-8"))}
    keys = {certificate_key(name) for name in names}
    table = load_certificate_aliases()
    assert table.rows
    for row in table.rows:
        assert normalise_name(row.full_name) in names, row
        assert certificate_key(row.term) not in keys, f"{row.term} matches by certificate_key already"
