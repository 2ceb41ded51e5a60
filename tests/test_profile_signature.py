"""A 专业简介 profile is recognised by its major blocks and is never taken for a policy document."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.writers import write_docx_blocks
from ingest.policy.ingestor import detect_policy
from ingest.profile.ingestor import detect_profile
from ingest.profile.parser import parse_profile
from ingest.profile.signature import looks_like_profile, major_blocks
from ingest.readers import read_blocks
from ingest.registry import choose_ingestor
from tests.conftest import require_shared

PROFILE = """# 54 旅游大类

# 5401 旅游类

专业代码 540101

专业名称 旅游管理

基本修业年限 三年

# 职业面向

面向旅游业的导游、计调、营销等岗位（群）。

# 主要专业能力要求

1. 具有良好的语言和文字表达能力；
2. 具有处理旅游服务中常见问题的能力。

专业代码：540102

专业名称：导游

（略）
"""


def test_a_profile_is_refused_by_the_policy_detector_and_taken_by_the_profile_ingestor(tmp_path: Path) -> None:
    path = tmp_path / "5401旅游类.md"
    path.write_text(PROFILE, encoding="utf-8")
    assert major_blocks([line.strip("# ") for line in PROFILE.splitlines() if line.strip()]) == 2
    why = detect_policy(path)
    assert why is not None and "专业简介 profile" in why
    assert choose_ingestor(path).kind == "profile"


def test_a_profile_written_as_a_word_table_is_recognised(tmp_path: Path) -> None:
    blocks = [("table", [["专业代码", "460702"], ["专业名称", "新能源汽车技术"], ["基本修业年限", "三年"]], [], {}),
              ("heading", 1, "职业面向"), ("para", "面向汽车制造业的新能源汽车装调岗位。"),
              ("heading", 1, "主要专业能力要求"), ("para", "1. 具有新能源汽车检测能力。")]
    path = write_docx_blocks(blocks, tmp_path / "profile.docx")
    assert looks_like_profile(read_blocks(path))
    assert "专业简介 profile" in (detect_policy(path) or "")


@pytest.mark.parametrize("body", [
    "专业代码 540102\n\n专业名称 导游\n\n(略)\n",
    "专业代码 540102\n\n专业名称 导游\n\n( 略 )\n",
    "专业代码：540102\n\n专业名称：导游\n\n# 培养目标\n\n本专业培养导游服务人才。\n",
    "专业代码 ５４０１０２ｋ\n\n专业名称 导游\n\n主要专业能力\n\n1. 具有导游讲解能力。\n",
    "| 专业代码 | 540102 | 专业名称 | 导游 |\n| --- | --- | --- | --- |\n\n职业面向：面向导游等岗位（群）。\n",
], ids=["half-width-omitted", "spaced-omitted", "loose-goal-heading", "full-width-code", "code-and-name-one-row"])
def test_what_the_parser_reads_as_a_block_is_detected(tmp_path: Path, body: str) -> None:
    path = tmp_path / "5401旅游类.md"
    path.write_text("# 5401 旅游类\n\n" + body, encoding="utf-8")
    doc = parse_profile(path)
    assert [p.name for p in doc.profiles] == ["导游"] and doc.rejections == []
    assert looks_like_profile(read_blocks(path))
    assert detect_profile(path) is None
    assert "专业简介 profile" in (detect_policy(path) or "")


def test_a_block_without_a_valid_code_or_a_section_is_no_profile(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_text("专业代码 54010\n\n专业名称 导游\n\n(略)\n", encoding="utf-8")
    assert not looks_like_profile(read_blocks(path))
    path.write_text("专业代码 540102\n\n专业名称 导游\n\n培养目标是高素质人才。\n", encoding="utf-8")
    assert not looks_like_profile(read_blocks(path))


def test_a_policy_that_lists_majors_is_still_a_policy(tmp_path: Path) -> None:
    path = tmp_path / "notice.md"
    path.write_text("# 关于公布新增专业名单的通知\n\n一、新增专业\n\n专业代码 专业名称\n\n460702 新能源汽车技术\n\n"
                    "二、工作要求\n\n各院校要加强专业建设。\n", encoding="utf-8")
    assert not looks_like_profile(read_blocks(path))
    assert detect_policy(path) is None


@pytest.mark.realdata
def test_every_real_profile_file_is_refused_as_a_policy() -> None:
    folder = require_shared("profiles")
    files = sorted(folder.glob("*.md"))
    assert len(files) == 247
    accepted = [f.name for f in files if detect_policy(f) is None]
    assert accepted == []
