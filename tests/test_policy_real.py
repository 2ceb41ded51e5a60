"""The policy parser on the real laws, regulations and the seed draft in ../shared/data/policy."""

from __future__ import annotations

import re

import pytest

from ingest.policy.parser import parse_policy
from ingest.policy.records import Provision
from tests.conftest import require_shared

# (file, chapters, articles) as listed in ../shared/data/README.md
LAWS = [
    ("vocational-education-law-2022.md", 8, 69),
    ("vocational-education-law-1996.md", 5, 40),
    ("education-law-2021.md", 10, 86),
    ("employment-promotion-law-2015.md", 9, 69),
    ("shanghai-vocational-education-regulation-2018.md", 7, 71),
    ("beijing-vocational-education-law-implementation.md", 0, 32),
    ("ningbo-secondary-vocational-education-regulation-2010.md", 9, 41),
    ("ningbo-school-enterprise-cooperation-regulation-2020.md", 0, 27),
    ("qingdao-vocational-education-regulation-2015.md", 8, 59),
    ("henan-vocational-education-law-implementation-2010.md", 0, 32),
]
ARTICLE_LINE = re.compile(r"^第[一二三四五六七八九十百零〇]+条")
CHAPTER_LINE = re.compile(r"^#+\s*第[一二三四五六七八九十百零〇]+章")


def _by_path(provisions: list[Provision]) -> dict[str, Provision]:
    return {p.path: p for p in provisions}


@pytest.mark.parametrize(("name", "chapters", "articles"), LAWS)
def test_law_yields_exactly_its_chapters_and_articles(name: str, chapters: int, articles: int) -> None:
    doc = parse_policy(require_shared("policy", name))
    found_chapters = [p for p in doc.provisions if p.number and re.fullmatch(r"第.+章", p.number)]
    found_articles = [p for p in doc.provisions if p.number and re.fullmatch(r"第.+条", p.number)]
    assert len(found_chapters) == chapters
    assert len(found_articles) == articles
    assert doc.status == "in_force"
    assert not any(p.kind == "preamble" for p in doc.provisions), "adoption lines are history, not a preamble"


@pytest.mark.parametrize(("name", "chapters", "articles"), LAWS)
def test_article_text_is_complete_and_its_parent_is_its_chapter(name: str, chapters: int, articles: int) -> None:
    path = require_shared("policy", name)
    doc = parse_policy(path)
    by_path = _by_path(doc.provisions)
    # Expected: each article owns every non-blank line up to the next article or chapter heading.
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    expected: list[list[str]] = []
    for line in lines:
        if ARTICLE_LINE.match(line):
            expected.append([line])
        elif CHAPTER_LINE.match(line):
            expected.append([])
        elif line and expected and expected[-1]:
            expected[-1].append(line)
    expected_texts = ["\n".join(block) for block in expected if block]
    found = [p for p in doc.provisions if p.kind == "article"]
    assert [p.text for p in found] == expected_texts
    for article in found:
        parent = by_path.get(article.parent_path or "")
        if chapters:
            assert parent is not None and parent.kind in ("chapter", "section")
            assert parent.line_start < article.line_start <= parent.line_end
        else:
            assert parent is None


def test_items_inside_an_article_are_provisions_under_it() -> None:
    doc = parse_policy(require_shared("policy", "beijing-vocational-education-law-implementation.md"))
    by_path = _by_path(doc.provisions)
    items = [p for p in doc.provisions if p.parent_path == "article-8"]
    assert [p.number for p in items] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert all(p.text.startswith(p.number) for p in items)
    assert "（五）" in by_path["article-8"].text


def test_law_history_and_date_come_from_the_adoption_lines() -> None:
    doc = parse_policy(require_shared("policy", "vocational-education-law-2022.md"))
    assert doc.title == "中华人民共和国职业教育法"
    assert doc.date == "2022-04-20"
    assert len(doc.history) == 2 and doc.history[0].startswith("1996年5月15日")


def test_seed_parts_subsections_and_items(seed_path) -> None:
    doc = parse_policy(seed_path)
    assert doc.status == "draft"
    assert doc.title.startswith("关于新时代推动XX自治区职业教育高质量发展的实施意见")
    top = [p for p in doc.provisions if p.parent_path is None]
    assert [(p.kind, p.heading) for p in top] == [
        ("preamble", None), ("heading", "总体要求"), ("heading", "主要任务"), ("heading", "保障措施")]
    by_path = _by_path(doc.provisions)
    subsections = {path: p for path, p in by_path.items() if p.kind == "subclause"}
    assert len(subsections) == 3 + 5 + 5
    assert by_path["part-1/sub-1"].heading == "指导思想"
    assert by_path["part-1/sub-1"].number == "(一)"
    assert by_path["part-3/sub-2"].heading == "加大财政投入"
    items = [p for p in doc.provisions if p.kind == "item"]
    assert len(items) == 5 + 4 + 3 + 3 + 3 + 3 + 3 + 3
    assert by_path["part-1/sub-2/item-2"].heading == "坚持服务大局,促进产教融合"
    assert by_path["part-1/sub-2/item-2"].text.startswith("- 坚持服务大局")
    assert by_path["part-2/sub-3/item-1"].parent_path == "part-2/sub-3"
    # repeated （一） under different parts never collide
    assert len({p.path for p in doc.provisions}) == len(doc.provisions)


def test_seed_targets_are_linked_to_the_provisions_that_state_them(seed_path) -> None:
    doc = parse_policy(seed_path)
    found = {(p.path, t.kind, str(t.value), str(t.value_max) if t.value_max is not None else None, t.unit, t.year)
             for p in doc.provisions for t in p.targets}
    assert ("part-1/sub-3", "deadline", "2027", None, "年", 2027) in found
    assert ("part-1/sub-3/item-2", "quantity", "3", "5", "所", 2027) in found
    assert ("part-1/sub-3/item-2", "quantity", "70", None, "%", 2027) in found
    assert ("part-1/sub-3/item-3", "quantity", "100000", None, "人次", 2027) in found
    assert any(path == "part-3/sub-2" and value == "30" and unit == "%" for path, _, value, _, unit, _ in found)
    assert len(found) == 5
    for provision in doc.provisions:
        for target in provision.targets:
            assert provision.text[target.start:target.end] == target.text


def test_seed_mentions_keep_exact_spans(seed_path) -> None:
    doc = parse_policy(seed_path)
    mentions = [(p, m) for p in doc.provisions for m in p.mentions]
    assert {m.term for _, m in mentions if m.kind == "initiative"} >= {"岗课赛证", "双师型", "产教融合", "1+X"}
    industries = [m.text for _, m in mentions if m.kind == "industry"]
    assert industries[:4] == ["旅游业", "清洁能源", "特色农牧业", "大数据"]
    for provision, mention in mentions:
        assert provision.text[mention.start:mention.end] == mention.text
