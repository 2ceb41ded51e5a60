"""Write course standards the way colleges' Word, WPS and LibreOffice exports lay them out.

On top of ``corpus/writers.py``'s blocks (title, heading, para, table) these add what real files
carry: a cover page, a table of contents with dot leaders, page breaks, a running header and a
page-number footer on every page, and tables allowed to break across pages (repeating their
header row or not). The output is deterministic, so ``build.py`` can rewrite the corpus byte for
byte and tests can write variants of their own.

Extra blocks:
  ("cover", [lines])                 centred lines on a page of their own (学院, 课程名称, 编制人 …)
  ("toc", [(entry, page), ...])      "目  录" and one entry a line: dot leaders (a tab leader in Word)
  ("pagebreak",)
  ("table", rows, merges, options)   options also: {"split": True} lets a PDF table break across pages,
                                     {"repeat_header": True} repeats its first row on the next page
Layout (keyword-only): ``header`` (a line printed at the top of every page but the cover),
``footer`` ("page-of": 第 N 页 共 M 页, "dash": - N -).
"""

from __future__ import annotations

import datetime
import html
from pathlib import Path
from typing import Any

CJK_FONT = "STSong-Light"
FIXED_TIME = (2024, 6, 1, 0, 0, 0)
LEADER = "…"


def write_docx_export(blocks: list[tuple], path: Path, *, header: str | None = None,
                      footer: str | None = None) -> Path:
    """A .docx as Word or WPS saves one: cover, TOC with tab dot leaders, header and footer with page fields."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from corpus.writers import fill_docx_cell, fix_zip_times, table_parts

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    section = document.sections[0]
    section.different_first_page_header_footer = True  # the cover page has neither
    if header:
        section.header.paragraphs[0].text = header
        section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if footer:
        add_page_field_footer(section.footer.paragraphs[0], footer)
    for block in blocks:
        kind = block[0]
        if kind == "cover":
            for number, line in enumerate(block[1]):
                paragraph = document.add_paragraph()
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = paragraph.add_run(line)
                run.font.size = Pt(22 if number in (0, 1) else 14)
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "toc":
            document.add_paragraph("目  录").alignment = WD_ALIGN_PARAGRAPH.CENTER
            for entry, page in block[1]:
                paragraph = document.add_paragraph(f"{entry}\t{page}")
                paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(15.5), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "pagebreak":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind == "title":
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
            document.add_paragraph()
        else:
            raise ValueError(f"unknown block kind {kind!r}; known: cover, toc, pagebreak, title, heading, para, table")
    properties = document.core_properties
    properties.author = properties.last_modified_by = ""
    properties.created = properties.modified = datetime.datetime(*FIXED_TIME)
    properties.revision = 1
    document.save(str(path))
    fix_zip_times(path)
    return path


def add_page_field_footer(paragraph: Any, style: str) -> None:
    """A centred footer of PAGE / NUMPAGES fields: '第 N 页 共 M 页' or '- N -'."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def field(code: str) -> None:
        element = OxmlElement("w:fldSimple")
        element.set(qn("w:instr"), code)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        element.append(run)
        paragraph._p.append(element)

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if style == "page-of":
        paragraph.add_run("第 ")
        field("PAGE")
        paragraph.add_run(" 页 共 ")
        field("NUMPAGES")
        paragraph.add_run(" 页")
    else:
        paragraph.add_run("- ")
        field("PAGE")
        paragraph.add_run(" -")


def write_pdf_export(blocks: list[tuple], path: Path, *, header: str | None = None,
                     footer: str | None = None) -> Path:
    """An A4 PDF as LibreOffice or WPS exports one: cover page, TOC with dot leaders, a running header
    and footer on every page after the cover, tables that break across pages."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    from corpus.writers import table_parts

    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    body = ParagraphStyle("body", fontName=CJK_FONT, fontSize=11, leading=17, wordWrap="CJK", spaceAfter=4)
    centred = ParagraphStyle("centred", parent=body, alignment=TA_CENTER)
    cover_big = ParagraphStyle("cover_big", parent=centred, fontSize=22, leading=34, spaceAfter=18)
    cover_line = ParagraphStyle("cover_line", parent=centred, fontSize=14, leading=24, spaceAfter=8)
    title = ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=12)
    headings = {
        level: ParagraphStyle(f"h{level}", parent=body, fontSize=size, leading=size * 1.5, spaceBefore=8,
                              spaceAfter=4, keepWithNext=1)
        for level, size in zip(range(1, 7), (15, 13, 12, 12, 12, 12))
    }
    cell = ParagraphStyle("cell", fontName=CJK_FONT, fontSize=10, leading=14, wordWrap="CJK")
    head_cell = ParagraphStyle("head_cell", parent=cell, alignment=TA_CENTER)
    frame_width = A4[0] - 50 * mm

    class PagedCanvas(Canvas):
        """Holds pages back until the end, so every footer can say how many pages there are."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.decorate(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def decorate(self, total: int) -> None:
            page = self._pageNumber
            if page == 1:
                return  # the cover
            self.setFont(CJK_FONT, 9)
            if header:
                self.drawCentredString(A4[0] / 2, A4[1] - 15 * mm, header)
                self.line(25 * mm, A4[1] - 17 * mm, A4[0] - 25 * mm, A4[1] - 17 * mm)
            if footer == "page-of":
                self.drawCentredString(A4[0] / 2, 12 * mm, f"第 {page} 页 共 {total} 页")
            elif footer:
                self.drawCentredString(A4[0] / 2, 12 * mm, f"- {page} -")

    def markup(text: str) -> str:
        return html.escape(text, quote=False).replace("\n", "<br/>")

    story: list = []
    for block in blocks:
        kind = block[0]
        if kind == "cover":
            story.append(Spacer(1, 40 * mm))
            for number, line in enumerate(block[1]):
                story.append(Paragraph(markup(line), cover_big if number in (0, 1) else cover_line))
            story.append(PageBreak())
        elif kind == "toc":
            story.append(Paragraph("目  录", title))
            for entry, page in block[1]:
                dots = LEADER * max(4, 34 - len(entry))
                story.append(Paragraph(markup(f"{entry}{dots}{page}"), body))
            story.append(PageBreak())
        elif kind == "pagebreak":
            story.append(PageBreak())
        elif kind == "title":
            story.append(Paragraph(markup(block[1]), title))
        elif kind == "heading":
            story.append(Paragraph(markup(block[2]), headings[block[1]]))
        elif kind == "para":
            centre = len(block) > 2 and block[2] == "center"
            story.append(Paragraph(markup(block[1]), centred if centre else body))
        elif kind == "table":
            rows, merges, options = table_parts(block)
            bold = bool(options.get("header"))
            data = [[Paragraph(markup(text), head_cell if bold and r == 0 else cell) for text in row]
                    for r, row in enumerate(rows)]
            fractions = options.get("widths") or [1 / len(rows[0])] * len(rows[0])
            style = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                     ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
            style += [("SPAN", (c0, r0), (c1, r1)) for (r0, c0), (r1, c1) in merges]
            table = Table(data, colWidths=[frame_width * f for f in fractions], style=style,
                          repeatRows=1 if options.get("repeat_header") else 0)
            story.append(table if options.get("split") else KeepTogether([table]))
            story.append(Spacer(1, 8))
        else:
            raise ValueError(f"unknown block kind {kind!r}; known: cover, toc, pagebreak, title, heading, para, table")
    document_title = next((block[1] for block in blocks if block[0] == "title"), "")
    template = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=25 * mm,
        title=document_title, author="", creator="", invariant=True,
    )
    template.build(story, canvasmaker=PagedCanvas)
    return path
