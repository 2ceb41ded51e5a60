"""Writers of test documents: the same paragraphs as .docx, .pdf, GBK text and .html.

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
