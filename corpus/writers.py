"""Writers of sample documents: the same paragraphs as .docx, .pdf, GBK text and .html.

Used by corpus/course_standards/build.py (the demo corpus) and by the tests (documents they write).

Each writer takes one paragraph per item; an item starting with ``#`` marks is a heading
of that level. Heavy imports stay inside the functions.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
CJK_FONT = "STSong-Light"


def split_heading(line: str) -> tuple[int, str]:
    """The heading level (0 for a body paragraph) and the text without its marks."""
    match = HEADING.match(line)
    if match:
        return len(match.group(1)), match.group(2).strip()
    return 0, line


def write_docx(lines: list[str], path: Path) -> Path:
    """A .docx with ``#``-marked lines as Heading N paragraphs and the rest as Normal ones."""
    import docx

    document = docx.Document()
    for line in lines:
        level, text = split_heading(line)
        if level:
            document.add_heading(text, level=level)
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def write_pdf(lines: list[str], path: Path, *, first_line_indent: bool = False) -> Path:
    """An A4 PDF in the built-in CID font, long paragraphs wrapping, a page number footer.

    With ``first_line_indent`` body paragraphs start two characters in, as Chinese
    official documents print them; otherwise paragraphs sit flush with a small gap between.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    body = ParagraphStyle(
        "body",
        fontName=CJK_FONT,
        fontSize=12,
        leading=18,
        wordWrap="CJK",
        spaceAfter=0 if first_line_indent else 4,
        firstLineIndent=24 if first_line_indent else 0,
    )
    headings = {
        level: ParagraphStyle(
            f"h{level}",
            parent=body,
            fontSize=size,
            leading=size * 1.4,
            spaceBefore=6,
            spaceAfter=6,
            firstLineIndent=0,
        )
        for level, size in zip(range(1, 7), (20, 16, 14, 13, 13, 13))
    }

    def footer(canvas, doc) -> None:  # noqa: ANN001 - reportlab callback
        canvas.saveState()
        canvas.setFont(CJK_FONT, 10)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"- {doc.page} -")
        canvas.restoreState()

    story = []
    for line in lines:
        level, text = split_heading(line)
        story.append(Paragraph(html.escape(text, quote=False), headings[level] if level else body))
    template = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=25 * mm
    )
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return path


def write_blank_pdf(path: Path) -> Path:
    """A one-page PDF with a drawn rectangle and no text at all (a scan stands in)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    canvas.rect(100, 100, 300, 400, fill=1)
    canvas.showPage()
    canvas.save()
    return path


def write_gbk(lines: list[str], path: Path) -> Path:
    """Plain text encoded GB18030 (a superset of GBK), CRLF line ends as Windows writes them."""
    path.write_bytes("\r\n".join(lines).encode("gb18030") + b"\r\n")
    return path


def write_html(lines: list[str], path: Path, *, charset: str = "utf-8") -> Path:
    """An HTML page with a nav and a script to drop, headings as h1..h6, paragraphs as p."""
    body = []
    for line in lines:
        level, text = split_heading(line)
        tag = f"h{level}" if level else "p"
        body.append(f"<{tag}>{html.escape(text, quote=False)}</{tag}>")
    page = (
        "<!DOCTYPE html>\n<html><head>"
        f'<meta charset="{charset}"><title>test</title>'
        "<style>p { margin: 0 }</style><script>var x = '不要';</script></head>\n"
        "<body><nav><a href='/'>首页</a></nav>\n<div class='content'>\n"
        + "\n".join(body)
        + "\n</div><footer>版权所有</footer></body></html>\n"
    )
    path.write_bytes(page.encode(charset))
    return path


# -- block documents (course standards): headings, paragraphs and ruled tables with merged cells --
#
# A block is one of:
#   ("title", text)                        the document title (Word's Title style; large and centred in a PDF)
#   ("heading", level, text)               Heading 1..6
#   ("para", text) or ("para", text, "center")
#   ("table", rows, merges[, options])     rows of cell texts ("\n" starts a new paragraph in a cell);
#                                          merges are ((row, col), (row, col)) corners, inclusive, and the
#                                          cells a merge covers other than its top-left one must be "";
#                                          options: {"header": True} bolds the first row,
#                                          {"widths": [fractions]} sets the column widths.

FIXED_DOCX_TIME = (2024, 6, 1, 0, 0, 0)


def table_parts(block: tuple) -> tuple[list[list[str]], list[tuple[tuple[int, int], tuple[int, int]]], dict]:
    """A table block's rows, merges and options, after checking that merged-over cells are empty."""
    rows, merges = block[1], block[2]
    options = block[3] if len(block) > 3 else {}
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        raise ValueError(f"table rows differ in length: {[len(row) for row in rows]}")
    for (r0, c0), (r1, c1) in merges:
        covered = [rows[r][c] for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0)]
        if any(covered):
            raise ValueError(f"merge {(r0, c0)}-{(r1, c1)} covers non-empty cells: {covered}")
    return rows, merges, options


def write_docx_blocks(blocks: list[tuple], path: Path) -> Path:
    """A .docx from blocks: Title and Heading N styles, Normal paragraphs, Table Grid tables with merged cells.

    The East Asian font is 宋体 as Chinese Word documents set it; dates and zip timestamps are fixed so
    that the same blocks give the same bytes.
    """
    import datetime

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    for block in blocks:
        kind = block[0]
        if kind == "title":
            document.add_heading(block[1], level=0)
        elif kind == "heading":
            document.add_heading(block[2], level=block[1])
        elif kind == "para":
            paragraph = document.add_paragraph(block[1])
            if len(block) > 2 and block[2] == "center":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "table":
            rows, merges, options = table_parts(block)
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    if text:
                        fill_docx_cell(table.cell(r, c), text, bold=bool(options.get("header")) and r == 0)
            for (r0, c0), (r1, c1) in merges:
                table.cell(r0, c0).merge(table.cell(r1, c1))
            if "widths" in options:
                for column, fraction in zip(table.columns, options["widths"]):
                    for cell in column.cells:
                        cell.width = Cm(15.5 * fraction)
            document.add_paragraph()
        else:
            raise ValueError(f"unknown block kind {kind!r}; known: heading, para, table, title")
    when = datetime.datetime(*FIXED_DOCX_TIME)
    properties = document.core_properties
    properties.author = properties.last_modified_by = ""
    properties.created = properties.modified = when
    properties.revision = 1
    title = next((block[1] for block in blocks if block[0] == "title"), "")
    properties.title = title
    document.save(str(path))
    fix_zip_times(path)
    return path


def fill_docx_cell(cell, text: str, *, bold: bool = False) -> None:  # noqa: ANN001 - python-docx cell
    """Put ``text`` in a table cell, one paragraph per line."""
    lines = text.split("\n")
    first = cell.paragraphs[0]
    for number, line in enumerate(lines):
        paragraph = first if number == 0 else cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold or None


def fix_zip_times(path: Path) -> None:
    """Rewrite a zip package with every member stamped at FIXED_DOCX_TIME, members in the same order."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_DOCX_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)


def write_pdf_blocks(blocks: list[tuple], path: Path) -> Path:
    """An A4 PDF from blocks in the built-in CID font: ruled tables (GRID lines, SPAN for merges) whose
    cells wrap Chinese text, headings in larger type kept with what follows, a page number footer;
    invariant, so the same blocks give the same bytes."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    body = ParagraphStyle("body", fontName=CJK_FONT, fontSize=11, leading=17, wordWrap="CJK", spaceAfter=4)
    centred = ParagraphStyle("centred", parent=body, alignment=TA_CENTER)
    title = ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=12)
    headings = {
        level: ParagraphStyle(
            f"h{level}", parent=body, fontSize=size, leading=size * 1.5, spaceBefore=8, spaceAfter=4, keepWithNext=1
        )
        for level, size in zip(range(1, 7), (15, 13, 12, 12, 12, 12))
    }
    cell = ParagraphStyle("cell", fontName=CJK_FONT, fontSize=10, leading=14, wordWrap="CJK")
    head_cell = ParagraphStyle("head_cell", parent=cell, alignment=TA_CENTER)
    frame_width = A4[0] - 50 * mm

    def footer(canvas, doc) -> None:  # noqa: ANN001 - reportlab callback
        canvas.saveState()
        canvas.setFont(CJK_FONT, 10)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"- {doc.page} -")
        canvas.restoreState()

    def markup(text: str) -> str:
        return html.escape(text, quote=False).replace("\n", "<br/>")

    story: list = []
    for block in blocks:
        kind = block[0]
        if kind == "title":
            story.append(Paragraph(markup(block[1]), title))
        elif kind == "heading":
            story.append(Paragraph(markup(block[2]), headings[block[1]]))
        elif kind == "para":
            centre = len(block) > 2 and block[2] == "center"
            story.append(Paragraph(markup(block[1]), centred if centre else body))
        elif kind == "table":
            rows, merges, options = table_parts(block)
            header = bool(options.get("header"))
            data = [
                [Paragraph(markup(text), head_cell if header and r == 0 else cell) for text in row]
                for r, row in enumerate(rows)
            ]
            fractions = options.get("widths") or [1 / len(rows[0])] * len(rows[0])
            style = [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
            style += [("SPAN", (c0, r0), (c1, r1)) for (r0, c0), (r1, c1) in merges]
            # a table that fits on a page is never split (Word's "keep with next" habit); a longer one breaks
            story.append(KeepTogether([Table(data, colWidths=[frame_width * f for f in fractions], style=style)]))
            story.append(Spacer(1, 8))
        else:
            raise ValueError(f"unknown block kind {kind!r}; known: heading, para, table, title")
    document_title = next((block[1] for block in blocks if block[0] == "title"), "")
    template = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=25 * mm,
        title=document_title, author="", creator="", invariant=True,
    )
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return path
