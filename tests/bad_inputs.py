"""A corpus of bad inputs, written on demand: empty, binary, misnamed, re-encoded, truncated, corrupt, too big.

Shared by tests/test_bad_inputs.py and bench/reliability.py. Each ``BadInput`` writes one file into a
folder and says what must happen to it: ``error`` (refused with a one-line reason holding ``message``)
or ``ingest`` (ingested, with the rows named in ``rejected_lines`` refused or flagged). Nothing here
touches a store; heavy imports stay inside the writers.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICY_SAMPLE = ROOT / "corpus" / "policy" / "demo-city-vocational-opinion-draft.txt"
MAJORS_HEADER = ["level", "level_zh", "code", "name", "dalei_code", "dalei_name_derived", "class_code", "class_name"]
MAJORS_ROWS = [
    ["voc_associate", "高等职业教育专科", "460702", "新能源汽车技术", "46", "装备制造大类", "4607", "汽车制造类"],
    ["voc_associate", "高等职业教育专科", "460305", "工业机器人技术", "46", "装备制造大类", "4603", "自动化类"],
    ["voc_bachelor", "高等职业教育本科", "520101K", "护理", "52", "医药卫生大类", "5201", "护理类"],
]
#: Text encodings a curriculum office's files come in, with the bytes each writes (BOM included).
ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "gbk": lambda text: text.replace("\n", "\r\n").encode("gbk"),
    "gb18030": lambda text: text.encode("gb18030"),
    "utf-16-le-bom": lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
}
MARKUP_LABEL = "<img src=x onerror=alert(1)>"
SCRIPT_TEXT = "alert('不要入库')"
#: The limits the size cases run under (the tests set them in the environment), in MB.
SMALL_DOCUMENT_MB, SMALL_UNPACKED_MB = 1, 2


@dataclass(frozen=True)
class BadInput:
    """One file to write and what must become of it."""

    name: str
    filename: str
    write: Callable[[Path], bytes]
    expect: str  # "error" or "ingest"
    message: str = ""  # the error (or, for an ingest, a rejection) must contain this
    kind: str | None = None  # the kind it must be ingested as
    rejected_lines: tuple[int, ...] = ()  # rows refused or flagged, by line
    env: dict[str, str] = field(default_factory=dict)  # settings it runs under

    def make(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.filename
        path.write_bytes(self.write(folder))
        return path


# -- the bytes ------------------------------------------------------------------------------------------
def policy_text() -> str:
    return POLICY_SAMPLE.read_text(encoding="utf-8")


def majors_csv_text(rows: list[list[str]] | None = None) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MAJORS_HEADER)
    writer.writerows(MAJORS_ROWS if rows is None else rows)
    return buffer.getvalue()


def junk(size: int = 4096, seed: int = 14) -> bytes:
    return random.Random(seed).randbytes(size)


def docx_bytes(lines: list[str] | None = None) -> bytes:
    import tempfile

    from corpus.writers import write_docx

    with tempfile.TemporaryDirectory() as folder:
        return write_docx(lines or policy_text().splitlines()[:12], Path(folder) / "d.docx").read_bytes()


def pdf_bytes(lines: list[str] | None = None) -> bytes:
    import tempfile

    from corpus.writers import write_pdf

    with tempfile.TemporaryDirectory() as folder:
        return write_pdf(lines or [line for line in policy_text().splitlines()[:12] if line.strip()],
                         Path(folder) / "d.pdf").read_bytes()


def scanned_pdf_bytes() -> bytes:
    """A PDF that only draws: an image and shapes, no text operator at all (what a scanner makes)."""
    import tempfile

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    png = _png(64, 48)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scan.pdf"
        canvas = Canvas(str(path), pagesize=A4)
        canvas.drawImage(ImageReader(io.BytesIO(png)), 60, 300, width=480, height=360)
        canvas.rect(60, 100, 200, 100, fill=1)
        canvas.line(60, 80, 500, 80)
        canvas.showPage()
        canvas.save()
        return path.read_bytes()


def _png(width: int, height: int) -> bytes:
    """A grey-gradient PNG, written by hand (no imaging library needed)."""
    import struct
    import zlib

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    raw = b"".join(b"\x00" + bytes((x * 4 + y) % 256 for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(MAJORS_HEADER)
    for row in MAJORS_ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def zip_with(data: bytes, replace: dict[str, bytes], drop: tuple[str, ...] = ()) -> bytes:
    """The zip ``data`` with some entries replaced or dropped."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
    return out.getvalue()


def zip_bomb(data: bytes, entry: str, unpacked_mb: int) -> bytes:
    """The zip ``data`` with ``entry`` padded to ``unpacked_mb`` MB of blanks before its root element: a zip bomb.

    Blanks deflate about a thousand to one, so the file stays small while its directory declares the size.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != entry:
                target.writestr(info.filename, source.read(info))
                continue
            xml = source.read(info)
            cut = xml.find(b"?>") + 2 if b"?>" in xml else 0
            with target.open(info.filename, "w") as handle:
                handle.write(xml[:cut])
                blanks = b" " * (1 << 20)
                for _ in range(unpacked_mb):
                    handle.write(blanks)
                handle.write(xml[cut:])
    return out.getvalue()


def lying_zip(data: bytes, entry: str, declared: int) -> bytes:
    """The zip ``data`` with ``entry``'s unpacked size given as ``declared`` bytes in both of its headers."""
    import struct

    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(entry).header_offset
    struct.pack_into("<I", patched, local + 22, declared)
    position = patched.find(b"PK\x01\x02")
    while position >= 0:
        name_length = struct.unpack_from("<H", patched, position + 28)[0]
        if bytes(patched[position + 46:position + 46 + name_length]) == entry.encode():
            struct.pack_into("<I", patched, position + 24, declared)
        position = patched.find(b"PK\x01\x02", position + 4)
    return bytes(patched)


def corrupt_pdf() -> bytes:
    data = pdf_bytes()
    start = data.index(b"stream") + 10
    return data[:start] + junk(2048) + data[start + 2048:]


def html_with_script(meta: str = "<meta charset='utf-8'>") -> bytes:
    text = policy_text().splitlines()
    body = "\n".join(f"<p>{line}</p>" for line in text if line.strip())
    return (f"<html><head>{meta}<script>{SCRIPT_TEXT}</script></head><body>"
            f"<script type='text/javascript'>document.write('{SCRIPT_TEXT}')</script>\n{body}\n"
            f"<noscript>{SCRIPT_TEXT}</noscript></body></html>").encode()


# -- the corpus -----------------------------------------------------------------------------------------
def _const(data: bytes) -> Callable[[Path], bytes]:
    return lambda folder: data


def _lazy(make: Callable[[], bytes]) -> Callable[[Path], bytes]:
    return lambda folder: make()


def bad_inputs() -> list[BadInput]:
    """Every case, in a fixed order."""
    cases = [BadInput(f"empty{suffix}", f"empty{suffix}", _const(b""), "error", "empty")
             for suffix in (".txt", ".md", ".html", ".docx", ".pdf", ".csv", ".xlsx", ".jsonl")]
    cases.append(BadInput("blank.txt", "blank.txt", _const(b" \r\n\t\n"), "error", "empty"))
    cases += [BadInput(f"junk{suffix}", f"junk{suffix}", _const(junk()), "error", message)
              for suffix, message in ((".txt", "binary"), (".md", "binary"), (".html", "binary"),
                                      (".csv", "binary"), (".docx", "not a zip"), (".xlsx", "not a zip"),
                                      (".pdf", "not a PDF"))]
    cases += [
        BadInput("pdf-named.docx", "report.docx", _lazy(pdf_bytes), "error", "is a PDF"),
        BadInput("docx-named.txt", "notes.txt", _lazy(docx_bytes), "error", "zip archive"),
        BadInput("xlsx-named.csv", "table.csv", _lazy(xlsx_bytes), "error", "zip archive"),
        BadInput("pdf-named.xlsx", "table.xlsx", _lazy(pdf_bytes), "error", "is a PDF"),
        BadInput("ole-named.docx", "old.docx", _const(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)), "error",
                 "OLE"),
        BadInput("truncated.docx", "truncated.docx", _lazy(lambda: truncated(docx_bytes())), "error", "corrupt .docx"),
        BadInput("corrupt-xml.docx", "corrupt-xml.docx",
                 _lazy(lambda: zip_with(docx_bytes(), {"word/document.xml": b"<w:document><w:body><w:p>"})),
                 "error", "corrupt .docx"),
        BadInput("no-body.docx", "no-body.docx", _lazy(lambda: zip_with(docx_bytes(), {}, ("word/document.xml",))),
                 "error", "corrupt .docx"),
        BadInput("truncated.xlsx", "truncated.xlsx", _lazy(lambda: truncated(xlsx_bytes())), "error", ".xlsx"),
        BadInput("corrupt.xlsx", "corrupt.xlsx",
                 _lazy(lambda: zip_with(xlsx_bytes(), {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"})),
                 "error", ".xlsx"),
        BadInput("truncated.pdf", "truncated.pdf", _lazy(lambda: truncated(pdf_bytes())), "error", "PDF"),
        BadInput("corrupt.pdf", "corrupt.pdf", _lazy(corrupt_pdf), "error", "PDF"),
        BadInput("scanned.pdf", "scanned.pdf", _lazy(scanned_pdf_bytes), "error", "no text layer"),
        BadInput("bomb.docx", "bomb.docx",
                 _lazy(lambda: zip_bomb(docx_bytes(), "word/document.xml", SMALL_UNPACKED_MB * 8)), "error", "zip bomb",
                 env={"VETGRAPH_MAX_UNPACKED_MB": str(SMALL_UNPACKED_MB)}),
        BadInput("lying-bomb.docx", "lying-bomb.docx",
                 _lazy(lambda: lying_zip(zip_bomb(docx_bytes(), "word/document.xml", SMALL_UNPACKED_MB * 8),
                                         "word/document.xml", 4096)),
                 "error", "corrupt", env={"VETGRAPH_MAX_UNPACKED_MB": str(SMALL_UNPACKED_MB)}),
        BadInput("bomb.xlsx", "bomb.xlsx",
                 _lazy(lambda: zip_bomb(xlsx_bytes(), "xl/worksheets/sheet1.xml", SMALL_UNPACKED_MB * 8)),
                 "error", "zip bomb", env={"VETGRAPH_MAX_UNPACKED_MB": str(SMALL_UNPACKED_MB)}),
        BadInput("too-big.txt", "too-big.txt",
                 _lazy(lambda: (policy_text() + "\n" + "　" * (SMALL_DOCUMENT_MB << 20)).encode()), "error",
                 "over the 1 MB limit", env={"VETGRAPH_MAX_DOCUMENT_MB": str(SMALL_DOCUMENT_MB)}),
        BadInput("too-big.csv", "too-big.csv",
                 _lazy(lambda: (majors_csv_text() + "\n" * (SMALL_DOCUMENT_MB << 20)).encode()), "error",
                 "over the 1 MB limit", env={"VETGRAPH_MAX_DOCUMENT_MB": str(SMALL_DOCUMENT_MB)}),
        BadInput("undecodable.txt", "undecodable.txt", _const("第一条 测试".encode() + b"\x80\xff\xfe\x81" * 4),
                 "error", "cannot decode"),
        BadInput("unclosed-quote.csv", "unclosed.csv",
                 _const((majors_csv_text() + 'voc_associate,x,"460101,a,46,b,4601,c\n').encode()), "error",
                 "unclosed.csv:5: malformed CSV"),
        BadInput("bad.jsonl", "bad.jsonl", _const(b'{"code": "460702"}\n{"code": \n'), "error", "line 2"),
        BadInput("not-a-catalogue.csv", "unknown.csv", _const(b"a,b,c\n1,2,3\n"), "error", "no ingestor"),
    ]
    for encoding, encode in ENCODINGS.items():
        cases.append(BadInput(f"policy-{encoding}.txt", f"policy-{encoding}.txt",
                              _lazy(lambda e=encode: e(policy_text())),
                              "ingest", kind="policy"))
        cases.append(BadInput(f"majors-{encoding}.csv", f"majors-{encoding}.csv",
                              _lazy(lambda e=encode: e(majors_csv_text())), "ingest", kind="majors"))
    quoted = [row[:] for row in MAJORS_ROWS]
    quoted[0][3] = '新能源"汽车"技术'
    quoted[1][3] = "工业机器人\n技术"
    cases += [
        BadInput("quotes-and-newlines.csv", "quoted.csv", _const(majors_csv_text(quoted).encode()), "ingest",
                 kind="majors"),
        BadInput("duplicate-codes.csv", "duplicates.csv",
                 _const(majors_csv_text([*MAJORS_ROWS, MAJORS_ROWS[0], [*MAJORS_ROWS[1][:3], "另一个名称",
                                                                         *MAJORS_ROWS[1][4:]]]).encode()),
                 "ingest", "duplicate", kind="majors", rejected_lines=(6,)),
        BadInput("markup-label.csv", "markup.csv",
                 _const(majors_csv_text([[*MAJORS_ROWS[0][:3], MARKUP_LABEL, *MAJORS_ROWS[0][4:]]]).encode()),
                 "ingest", kind="majors"),
        BadInput("script.html", "script.html", _lazy(html_with_script), "ingest", kind="policy"),
    ]
    return cases
