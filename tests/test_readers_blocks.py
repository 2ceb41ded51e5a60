"""Block readers: paragraphs and tables in reading order, numbered as read_lines numbers its lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.writers import write_blank_pdf, write_docx_blocks, write_html, write_pdf_blocks
from ingest.readers import read_blocks, read_lines
from ingest.readers.blocks import Paragraph, TableBlock
from kg.errors import SourceError, UnknownKindError

MERGED_TABLE = [
    ["课程名称", "新能源汽车动力电池技术", "课程代码", "QC2301"],
    ["适用专业", "新能源汽车技术（460702）", "", ""],
    ["学时", "64", "学分", "4"],
]
MERGES = [((1, 1), (1, 3))]
CONTENT_TABLE = [
    ["学习项目", "学习任务", "学时"],
    ["项目一 动力电池认知", "任务1 认识电池类型\n任务2 高压安全防护", "16"],
    ["", "任务3 电池结构", "8"],
]
VERTICAL = [((1, 0), (2, 0))]
BLOCKS = [
    ("title", "《新能源汽车动力电池技术》课程标准"),
    ("heading", 1, "一、课程基本信息"),
    ("table", MERGED_TABLE, MERGES),
    ("para", "本课程是新能源汽车技术专业的专业核心课程，面向动力电池检测与维修岗位。"),
    ("heading", 2, "（一）课程内容"),
    ("table", CONTENT_TABLE, VERTICAL),
    ("para", "结束段落。"),
]
EXPECTED_ROWS = [
    [["课程名称", "新能源汽车动力电池技术", "课程代码", "QC2301"], ["适用专业", "新能源汽车技术（460702）"], ["学时", "64", "学分", "4"]],
    [
        ["学习项目", "学习任务", "学时"],
        ["项目一 动力电池认知", "任务1 认识电池类型\n任务2 高压安全防护", "16"],
        ["项目一 动力电池认知", "任务3 电池结构", "8"],
    ],
]


def tables(blocks: list) -> list[list[list[str]]]:
    return [block.rows for block in blocks if isinstance(block, TableBlock)]


def paragraphs(blocks: list) -> list[str]:
    return [block.text for block in blocks if isinstance(block, Paragraph)]


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_docx_blocks(BLOCKS, tmp_path_factory.mktemp("docx") / "blocks.docx")


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pdf_blocks(BLOCKS, tmp_path_factory.mktemp("pdf") / "blocks.pdf")


def test_docx_tables_give_merged_cells_once_across_and_repeated_down(docx_path: Path) -> None:
    assert tables(read_blocks(docx_path)) == EXPECTED_ROWS


def test_docx_paragraphs_keep_heading_levels(docx_path: Path) -> None:
    heads = [(b.text, b.heading) for b in read_blocks(docx_path) if isinstance(b, Paragraph)]
    assert heads[:3] == [("《新能源汽车动力电池技术》课程标准", 1), ("一、课程基本信息", 1), (heads[2][0], 0)]
    assert ("（一）课程内容", 2) in heads


def _kinds(blocks: list) -> list[str]:
    return ["table" if isinstance(block, TableBlock) else "para" for block in blocks]


#: BLOCKS as read back: the title and headings are paragraphs too.
EXPECTED_KINDS = ["para", "para", "table", "para", "para", "table", "para"]


def test_docx_block_numbers_match_read_lines(docx_path: Path) -> None:
    lines = {line.line: line.text for line in read_lines(docx_path)}
    blocks = read_blocks(docx_path)
    assert _kinds(blocks) == EXPECTED_KINDS  # the loop below checks every one of them
    for block in blocks:
        if isinstance(block, Paragraph):
            assert lines[block.line].lstrip("# ") == block.text
        else:
            assert len(block.lines) == len(block.rows) > 0
            for row, number in zip(block.rows, block.lines):
                assert lines[number].startswith(row[0].split("\n")[0])
    numbers = [n for b in blocks for n in ([b.line] if isinstance(b, Paragraph) else b.lines)]
    assert len(numbers) == 5 + 3 + 3 and numbers == sorted(set(numbers))


def test_pdf_tables_and_the_text_around_them(pdf_path: Path) -> None:
    blocks = read_blocks(pdf_path)
    assert tables(blocks) == EXPECTED_ROWS
    texts = paragraphs(blocks)
    assert texts[0] == "《新能源汽车动力电池技术》课程标准"
    assert "本课程是新能源汽车技术专业的专业核心课程，面向动力电池检测与维修岗位。" in texts
    assert texts[-1] == "结束段落。"
    assert not any("QC2301" in text or "任务1" in text for text in texts), "table text leaked into paragraphs"


def test_pdf_block_numbers_are_read_lines_numbers(pdf_path: Path) -> None:
    lines = {line.line: line.text for line in read_lines(pdf_path)}
    blocks = read_blocks(pdf_path)
    assert _kinds(blocks) == EXPECTED_KINDS
    for block in blocks:
        if isinstance(block, Paragraph):
            assert lines[block.line] == block.text
        else:
            assert len(block.lines) == len(block.rows) > 0
            for row, number in zip(block.rows, block.lines):
                assert any(cell[:2] in lines[number] for cell in row if cell), (row, lines.get(number))
    numbers = [n for b in blocks for n in ([b.line] if isinstance(b, Paragraph) else b.lines)]
    assert len(numbers) == 5 + 3 + 3 and numbers == sorted(set(numbers))


def test_pdf_table_broken_by_a_page_comes_back_in_pieces(tmp_path: Path) -> None:
    rows = [["序号", "学习任务", "学时"]] + [[str(n), f"任务{n} 检测与维护", "2"] for n in range(1, 80)]
    blocks = read_blocks(write_pdf_blocks([("para", "前言。"), ("table", rows, [])], tmp_path / "long.pdf"))
    pieces = tables(blocks)
    assert len(pieces) >= 2
    assert [row for piece in pieces for row in piece] == rows


def test_markdown_pipe_tables_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "std.md"
    path.write_text(
        "# 标题\n\n| 模块 | 内容 | 课时 |\n| :-: | --- | :-: |\n| 模块1 | 甲<br>乙 | 4 |\n| 模块2 | a \\| b | **6** |\n\n"
        "正文一行。\n## 二级\n| 不是表 |\n",
        encoding="utf-8",
    )
    blocks = read_blocks(path)
    assert blocks[0] == Paragraph("标题", 1, 1)
    assert blocks[1] == TableBlock([["模块", "内容", "课时"], ["模块1", "甲\n乙", "4"], ["模块2", "a | b", "**6**"]], [3, 5, 6])
    assert blocks[2:] == [Paragraph("正文一行。", 8), Paragraph("二级", 9, 2), Paragraph("| 不是表 |", 10)]
    assert [line.line for line in read_lines(path)] == [1, 3, 4, 5, 6, 8, 9, 10]


def test_text_runs_of_separated_lines_become_tables(tmp_path: Path) -> None:
    path = tmp_path / "std.txt"
    path.write_text(
        "课程名称：模拟导游\n项目\t学时\n项目一\t4\n\n一行\t而已\n甲 | 乙\n丙 | 丁\n模块｜学时\n模块一｜6\n",
        encoding="utf-8",
    )
    blocks = read_blocks(path)
    assert blocks == [
        Paragraph("课程名称：模拟导游", 1),
        TableBlock([["项目", "学时"], ["项目一", "4"]], [2, 3]),
        TableBlock([["一行", "而已"], ["甲", "乙"], ["丙", "丁"], ["模块", "学时"], ["模块一", "6"]], [5, 6, 7, 8, 9]),
    ]


def test_text_single_separated_line_stays_a_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("标题\n甲\t乙\n正文。\n", encoding="utf-8")
    assert read_blocks(path) == [Paragraph("标题", 1), Paragraph("甲\t乙", 2), Paragraph("正文。", 3)]


def test_html_headings_and_table_rows(tmp_path: Path) -> None:
    path = write_html(["# 标题", "正文。"], tmp_path / "page.html")
    page = path.read_text(encoding="utf-8").replace(
        "</div>", "<table><tr><td>课程名称</td><td>导游</td></tr><tr><td>学时</td><td>56</td></tr></table></div>"
    )
    path.write_text(page, encoding="utf-8")
    blocks = read_blocks(path)
    assert blocks[:2] == [Paragraph("标题", 1, 1), Paragraph("正文。", 2)]
    assert tables(blocks) == [[["课程名称", "导游"], ["学时", "56"]]]


def test_unknown_suffix_and_bad_files_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(UnknownKindError, match="known:"):
        read_blocks(tmp_path / "x.odt")
    with pytest.raises(SourceError, match="no text layer"):
        read_blocks(write_blank_pdf(tmp_path / "scan.pdf"))
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SourceError, match="corrupt .docx"):
        read_blocks(broken)
