"""Readers: every format gives back the same paragraphs, one per line, and bad files fail clearly."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from corpus.writers import write_blank_pdf, write_docx, write_gbk, write_html, write_pdf
from ingest.readers import READERS, read_lines, source_format
from ingest.readers.decode import decode_bytes
from ingest.readers.joining import join_wrapped
from ingest.readers.pdf import drop_page_numbers, extract_lines
from ingest.readers.pdf_layout import paragraphs
from ingest.readers.pdf_lines import PhysicalLine
from kg.core.records import SourceLine
from kg.errors import SourceError, UnknownKindError


def squeeze(text: str) -> str:
    """The text with all whitespace removed, for comparing across formats."""
    return "".join(text.split())


def unmarked(line: str) -> str:
    """A line without its Markdown heading marks (PDF carries no heading markup)."""
    return line.lstrip("#").lstrip() if line.startswith("#") else line


@pytest.fixture(scope="module")
def seed_lines(seed_path: Path) -> list[str]:
    """The seed document's non-blank lines, its title marked as a level-1 heading."""
    lines = [line.strip() for line in seed_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return ["# " + lines[0], *lines[1:]]


WRITERS = {
    "docx": lambda lines, tmp: write_docx(lines, tmp / "seed.docx"),
    "pdf": lambda lines, tmp: write_pdf(lines, tmp / "seed.pdf"),
    "pdf-indented": lambda lines, tmp: write_pdf(lines, tmp / "seed-indented.pdf", first_line_indent=True),
    "gbk-txt": lambda lines, tmp: write_gbk(lines, tmp / "seed.txt"),
    "html": lambda lines, tmp: write_html(lines, tmp / "seed.html"),
    "html-gbk": lambda lines, tmp: write_html(lines, tmp / "seed-gbk.htm", charset="gbk"),
}


@pytest.mark.realdata
@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_seed_document_reads_back_paragraph_for_paragraph(kind: str, seed_lines: list[str], tmp_path: Path) -> None:
    path = WRITERS[kind](seed_lines, tmp_path)
    got = read_lines(path)
    expected = [unmarked(line) for line in seed_lines] if kind.startswith("pdf") else seed_lines
    assert [squeeze(line.text) for line in got] == [squeeze(line) for line in expected]
    numbers = [line.line for line in got]
    assert numbers == sorted(set(numbers)) and numbers[0] >= 1


@pytest.mark.realdata
def test_seed_pdf_wraps_and_spans_pages(seed_lines: list[str], tmp_path: Path) -> None:
    """The PDF round trip only proves something if lines really wrapped and pages carry footers."""
    pages = extract_lines(write_pdf(seed_lines, tmp_path / "seed.pdf", first_line_indent=True))
    physical = [line.text for page in pages for line in page]
    assert len(pages) >= 2
    assert len(physical) > len(seed_lines) + len(pages)
    assert "- 1 -" in physical


@pytest.mark.realdata
def test_gbk_text_keeps_physical_line_numbers(seed_lines: list[str], tmp_path: Path) -> None:
    got = read_lines(write_gbk(seed_lines, tmp_path / "seed.txt"))
    assert [line.line for line in got] == list(range(1, len(seed_lines) + 1))
    assert got[0].text == seed_lines[0]


def test_pdf_paragraph_continues_across_page_break(tmp_path: Path) -> None:
    filler = [f"第{n}项 短句。" for n in range(1, 30)]
    long = "第三十条 " + "职业教育高质量发展需要产教融合、校企合作。" * 12
    path = write_pdf([*filler, long, "第三十一条 结尾。"], tmp_path / "break.pdf")
    pages = extract_lines(path)
    last_on_one, first_on_two = pages[0][-2].text, pages[1][0].text  # pages[0][-1] is the footer
    assert last_on_one in long and first_on_two in long and long.endswith(first_on_two), "must straddle pages 1-2"
    got = [line.text for line in read_lines(path)]
    assert got == [*filler, long, "第三十一条 结尾。"]


@pytest.mark.parametrize("indent", [False, True])
def test_pdf_full_last_line_does_not_swallow_next_paragraph(indent: bool, tmp_path: Path) -> None:
    english = (
        "The council shall publish an annual report on vocational education quality, covering enrolment, "
        "employment outcomes, funding and teacher qualifications, within ninety days after each year."
    )
    exact = "第三条 " + "教" * (67 if indent else 69) + "。"
    lines = [english, exact, "第四条 下一段", "（一）再下一段"]
    path = write_pdf(lines, tmp_path / "fit.pdf", first_line_indent=indent)
    physical = [line for page in extract_lines(path) for line in page]
    before = physical[[line.text for line in physical].index("第四条 下一段") - 1]
    assert before.text.endswith("教。") and before.x1 > 500, "the line before 第四条 must be full"
    assert [line.text for line in read_lines(path)] == lines


def cjk_line(
    text: str, number: int, *, x0: float = 72.0, top: float | None = None, page: int = 1, size: float = 12.0
) -> PhysicalLine:
    """A synthetic line of ``text``, one em per character, at 1.5 em pitch (12 pt unless told)."""
    starts = [x0 + size * index for index in range(len(text))]
    top = 72.0 + 18 * (number - 1) if top is None else top
    return PhysicalLine(text, starts, x0, x0 + size * len(text), top, top + size, size, page, number)


def test_layout_splits_at_item_after_full_sentence_with_no_other_cue() -> None:
    full = "一" * 38
    lines = [cjk_line(full, 1), cjk_line("二" * 37 + "。", 2), cjk_line("（二）新的一项", 3), cjk_line(full, 4), cjk_line("续行", 5)]
    assert list(paragraphs([lines])) == [(full + "二" * 37 + "。", 1), ("（二）新的一项", 3), (full + "续行", 4)]


def test_layout_joins_hanging_indent_and_splits_indented_paragraph() -> None:
    hanging = cjk_line("1. " + "甲" * 36, 1)
    under_text = cjk_line("乙" * 10 + "。", 2, x0=hanging.starts[3])
    indented_new = cjk_line("丙" * 10, 3, x0=96.0)
    page = [hanging, under_text, cjk_line("丁" * 38, 4), indented_new]
    got = [text for text, _ in paragraphs([page])]
    assert got == ["1. " + "甲" * 36 + "乙" * 10 + "。", "丁" * 38, "丙" * 10]


def test_layout_keeps_a_decimal_after_a_sentence_and_joins_a_centred_title() -> None:
    title = [cjk_line("职" * 23, 1, size=20.0, top=60.0), cjk_line("实施意见", 2, x0=266.0, size=20.0, top=88.0)]
    body = [cjk_line("甲" * 37 + "。", 3, top=120.0), cjk_line("3.5亿元用于实训。", 4, top=138.0), cjk_line("乙" * 5, 5, top=156.0)]
    assert [text for text, _ in paragraphs([title + body])] == ["职" * 23 + "实施意见", "甲" * 37 + "。3.5亿元用于实训。", "乙" * 5]


def test_pdf_of_short_lines_joins_nothing(tmp_path: Path) -> None:
    lines = ["各区教育局", "各职业院校", "特此通知", "市教育局办公室", "2023年5月1日"]
    assert [line.text for line in read_lines(write_pdf(lines, tmp_path / "notice.pdf"))] == lines


def test_layout_joins_across_pages_only_from_last_to_first_line() -> None:
    page_one = [cjk_line("短。", 1), cjk_line("甲" * 38, 2)]
    page_two = [cjk_line("乙" * 5, 3, top=72.0, page=2)]
    assert list(paragraphs([page_one, page_two])) == [("短。", 1), ("甲" * 38 + "乙" * 5, 2)]
    page_three = [cjk_line("丙" * 5, 4, top=72.0, page=4)]
    assert [text for text, _ in paragraphs([page_one, page_three])] == ["短。", "甲" * 38, "丙" * 5]


@pytest.mark.parametrize("footer", ["1", "- 2 -", "—3—", "第 3 页", "第3页 共10页", "3/10", "Page 4 of 9"])
def test_page_number_lines_are_dropped(footer: str) -> None:
    page = [cjk_line("正文第一条。", 1), cjk_line(footer, 2, x0=290.0)]
    assert [line.text for line in drop_page_numbers(page)] == ["正文第一条。"]


@pytest.mark.parametrize("text", ["第三条", "2027年", "（一）"])
def test_lines_that_are_not_page_numbers_stay(text: str) -> None:
    page = [cjk_line("正文。", 1), cjk_line(text, 2)]
    assert [line.text for line in drop_page_numbers(page)] == ["正文。", text]


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [("职业", "教育", "职业教育"), ("annual", "report", "annual report"), ("2026", "2027", "2026 2027"),
     ("到", "2027年", "到2027年"), ("发展,", "2027年", "发展,2027年"), ("quality,", "covering", "quality, covering")],
)
def test_wrapped_lines_join_without_space_except_between_latin_words(left: str, right: str, joined: str) -> None:
    assert join_wrapped(left, right) == joined


def test_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no text layer") as caught:
        read_lines(write_blank_pdf(tmp_path / "scan.pdf"))
    assert "scan.pdf" in str(caught.value)


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(tmp_path / "locked.pdf"), encrypt="secret")
    canvas.drawString(100, 100, "hidden")
    canvas.save()
    with pytest.raises(SourceError, match="password"):
        read_lines(tmp_path / "locked.pdf")


def test_corrupt_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"garbage " * 50)
    with pytest.raises(SourceError, match="corrupt PDF") as caught:
        read_lines(path)
    assert "broken.pdf" in str(caught.value)


def test_utf8_bom_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "第一条 内容\r\n\r\n第二条 内容\r\n".encode("utf-8"))
    assert read_lines(path) == [SourceLine("第一条 内容", 1), SourceLine("第二条 内容", 3)]


def test_utf16_bom_decodes() -> None:
    assert decode_bytes("\ufeff第一条\r\n第二条".encode("utf-16-le"), "x.txt") == "第一条\n第二条"
    assert decode_bytes("\ufeff第一条".encode("utf-16-be"), "x.txt") == "第一条"


def test_gbk_decodes() -> None:
    assert decode_bytes("职业教育法\r第二行".encode("gbk"), "law.txt") == "职业教育法\n第二行"


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(SourceError, match=r"binary file \(NUL bytes at offset 3\)") as caught:
        decode_bytes(b"abc\x00def", "blob.txt")
    assert caught.value.path == "blob.txt"


@pytest.mark.parametrize("data", [b"", b" \r\n\t\n", "\u3000\n".encode("utf-8")])
def test_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(SourceError, match="empty file"):
        decode_bytes(data, "empty.txt")


def test_undecodable_bytes_name_offset_and_line() -> None:
    with pytest.raises(SourceError, match="offset 6") as caught:
        decode_bytes(b"ok\nok\n\xff\xfftext", "latin.txt")
    assert caught.value.line == 3


def test_text_lines_strip_both_ends_and_keep_physical_numbers(tmp_path: Path) -> None:
    path = tmp_path / "law.txt"
    path.write_text("\u3000\u3000第一条  内容  \n\n   \n  （一）项\t\n", encoding="utf-8")
    assert read_lines(path) == [SourceLine("第一条  内容", 1), SourceLine("（一）项", 4)]


def test_markdown_comment_lines_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "law.md"
    path.write_text("# 法\n\n通过日期\n\n<!-- INFO END -->\n\n<!--\nnote\n-->\n## 第一章 总则\n", encoding="utf-8")
    assert read_lines(path) == [SourceLine("# 法", 1), SourceLine("通过日期", 3), SourceLine("## 第一章 总则", 10)]


def test_html_comment_in_txt_is_text(tmp_path: Path) -> None:
    path = tmp_path / "law.txt"
    path.write_text("<!-- INFO END -->\n", encoding="utf-8")
    assert [line.text for line in read_lines(path)] == ["<!-- INFO END -->"]


LINES = st.lists(st.text(alphabet="职业教育法第一条（）、。 \u3000abc123", max_size=20), min_size=1, max_size=8)


@settings(max_examples=25, deadline=None)
@given(lines=LINES, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_text_reader_round_trips_any_lines(tmp_path_factory: pytest.TempPathFactory, lines: list[str], encoding: str) -> None:
    data = "\r\n".join(lines).encode(encoding)
    assume(any(line.strip() for line in lines))
    if encoding == "gb18030":
        assume(not valid_utf8(data))  # see test_short_gbk_that_is_also_utf8_reads_as_utf8
    path = tmp_path_factory.mktemp("prop") / "doc.txt"
    path.write_bytes(data)
    expected = [SourceLine(line.strip(), number) for number, line in enumerate(lines, 1) if line.strip()]
    assert read_lines(path) == expected


def valid_utf8(data: bytes) -> bool:
    """Whether the bytes also decode as UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_short_gbk_that_is_also_utf8_reads_as_utf8() -> None:
    """A known limit of refusing to guess: GBK '一' (D2 BB) is valid UTF-8, so UTF-8 wins."""
    assert decode_bytes("一".encode("gbk"), "one.txt") == "\u04bb"


def test_docx_headings_title_tables_and_soft_breaks(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("职业教育法", level=0)
    document.add_heading("第一章 总则", level=1)
    heading = document.add_heading("第一节", level=2)
    heading.add_run().add_break()
    heading.add_run("一般规定")
    lines = document.add_paragraph("第一条 第一行")
    lines.add_run().add_break()
    lines.add_run("第二条 第二行")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, "abc"):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["合并", "", "右"]):
        cell.text = text
    table.cell(1, 0).merge(table.cell(1, 1))
    document.add_paragraph("1. 自动编号项", style="List Number")
    document.save(str(tmp_path / "law.docx"))
    assert read_lines(tmp_path / "law.docx") == [
        SourceLine("# 职业教育法", 1),
        SourceLine("# 第一章 总则", 2),
        SourceLine("## 第一节一般规定", 3),
        SourceLine("第一条 第一行", 4),
        SourceLine("第二条 第二行", 4),
        SourceLine("a | b | c", 5),
        SourceLine("合并 | 右", 6),
        SourceLine("1. 自动编号项", 7),
    ]


def test_truncated_docx_is_refused_naming_the_file(tmp_path: Path) -> None:
    whole = write_docx(["第一条 内容"], tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(SourceError, match="corrupt .docx") as caught:
        read_lines(path)
    assert "cut.docx" in str(caught.value)


def test_docx_missing_document_part_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty-zip.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(SourceError, match="corrupt .docx"):
        read_lines(path)


def test_ole_container_named_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(SourceError, match=r"password-protected or not a \.docx \(OLE container\)") as caught:
        read_lines(path)
    assert "locked.docx" in str(caught.value)


def test_html_blocks_headings_tables_and_dropped_chrome(tmp_path: Path) -> None:
    page = """<html><head><title>t</title><style>p{}</style></head><body>
    <header>站点头部</header><nav>导航</nav><script>var a = 1;</script>
    <div class="main"><h1>职业教育法</h1><h3>第一节</h3>
    <div>　　第一条 直接文字<span>跨行
    续写</span></div>
    <p>第二条 甲<br>第三条 乙</p>
    <ul><li>- 带横线的项</li><li>没有横线的项<ul><li>子项</li></ul></li></ul>
    <table><tr><th>a</th><th>b</th><th>c</th></tr><tr><td>1</td><td><p>2</p></td><td>3</td></tr></table>
    <!-- 注释 --></div><footer>版权</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    assert [line.text for line in read_lines(path)] == [
        "# 职业教育法",
        "### 第一节",
        "第一条 直接文字跨行续写",
        "第二条 甲",
        "第三条 乙",
        "- 带横线的项",
        "没有横线的项",
        "子项",
        "a | b | c",
        "1 | 2 | 3",
    ]


@pytest.mark.parametrize(
    "meta", ['<meta charset="gb2312">', '<meta http-equiv="Content-Type" content="text/html; charset=GBK">']
)
def test_html_meta_charset_is_honoured(meta: str, tmp_path: Path) -> None:
    path = tmp_path / "gbk.htm"
    path.write_bytes(f"<html><head>{meta}</head><body><p>第一条 职业教育</p></body></html>".encode("gbk"))
    assert read_lines(path) == [SourceLine("第一条 职业教育", 1)]


def test_html_declared_charset_that_lies_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "liar.html"
    path.write_bytes('<meta charset="utf-8"><p>职业教育</p>'.encode("gbk"))
    with pytest.raises(SourceError, match="declares charset 'utf-8'"):
        read_lines(path)


def test_unknown_suffix_lists_known_ones(tmp_path: Path) -> None:
    with pytest.raises(UnknownKindError, match=r"\.rtf.*known: \.docx, \.htm, \.html, \.markdown, \.md, \.pdf, \.txt"):
        read_lines(tmp_path / "law.rtf")
    with pytest.raises(UnknownKindError, match="known"):
        source_format("law.doc")


def test_suffix_dispatch_and_format_names(tmp_path: Path) -> None:
    path = tmp_path / "LAW.TXT"
    path.write_text("第一条\n", encoding="utf-8")
    assert read_lines(path) == [SourceLine("第一条", 1)]
    assert {suffix: source_format(f"x{suffix}") for suffix in READERS} == {
        ".txt": "txt", ".md": "md", ".markdown": "md", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html",
    }


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found"):
        read_lines(tmp_path / "absent.md")


def test_importing_readers_loads_no_parser() -> None:
    import subprocess
    import sys

    code = "import sys, ingest.readers; print(sorted(m for m in ('docx', 'pdfplumber', 'bs4', 'lxml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent)
    assert out.stdout.strip() == "[]"
