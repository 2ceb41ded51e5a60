"""The same policy document as .txt, GBK, .docx, .pdf and .html yields the same provision tree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.writers import write_docx, write_gbk, write_html, write_pdf
from ingest.policy.parser import parse_policy
from ingest.policy.records import PolicyDoc
from tests.conftest import require_shared

WRITERS = {"docx": write_docx, "pdf": write_pdf, "gbk.txt": write_gbk, "html": write_html}
_WHITESPACE = re.compile(r"\s+")


def tree(doc: PolicyDoc) -> list[tuple[str | None, str | None, str | None, int, str]]:
    """(number, heading, parent number, order, whitespace-free text) per provision, in document order."""
    by_path = {p.path: p for p in doc.provisions}
    return [
        (p.number, p.heading, by_path[p.parent_path].number if p.parent_path else None, p.order,
         _WHITESPACE.sub("", p.text))
        for p in doc.provisions
    ]


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    text = require_shared("policy", "000_63c5338d7d9bffda.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_seed_in_every_format_gives_the_same_tree(suffix: str, seed_lines: list[str], seed_path: Path,
                                                  tmp_path: Path) -> None:
    expected = parse_policy(seed_path)
    written = WRITERS[suffix](seed_lines, tmp_path / f"000_63c5338d7d9bffda.{suffix}")
    found = parse_policy(written)
    assert found.title == expected.title
    assert found.status == "draft"
    assert tree(found) == tree(expected)
    targets = lambda doc: [(p.path, t.kind, t.value, t.unit, t.year) for p in doc.provisions for t in p.targets]  # noqa: E731
    assert targets(found) == targets(expected)


def test_a_law_in_markdown_and_docx_gives_the_same_tree(tmp_path: Path) -> None:
    law = require_shared("policy", "vocational-education-law-2022.md")
    lines = [line for line in law.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("<!--")]
    found = parse_policy(write_docx(lines, tmp_path / "vocational-education-law-2022.docx"))
    assert tree(found) == tree(parse_policy(law))
