"""Turn a text file's bytes into str: a BOM, else strict UTF-8, else strict GB18030; never a guess."""

from __future__ import annotations

import codecs
from pathlib import Path

from ingest.readers.limits import check_size
from kg.errors import SourceError

BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def read_bytes(path: Path | str) -> bytes:
    """The file's bytes, or a SourceError saying why it cannot be read (or that it is over the size limit)."""
    try:
        check_size(path, Path(path).stat().st_size)
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise SourceError(path, "file not found") from None
    except IsADirectoryError:
        raise SourceError(path, "is a directory, expected a file") from None
    except OSError as err:
        raise SourceError(path, f"cannot read: {err.strerror or err}") from None


def decode_first_line(head: bytes, path: Path | str) -> str:
    """The first line of a file from its first bytes (which may end mid-character), decoded as ``decode_bytes`` does.

    Header sniffing reads only a prefix; UTF-16's two-byte newline rules out cutting the raw bytes at ``\\n``.
    """
    for bom, encoding in BOMS:
        if head.startswith(bom):
            try:
                text = codecs.getincrementaldecoder(encoding)(errors="strict").decode(head[len(bom):], final=False)
            except UnicodeDecodeError as err:
                raise SourceError(path, f"starts with a {encoding.upper()} byte order mark but byte offset "
                                        f"{len(bom) + err.start} is not valid {encoding.upper()}") from None
            return text.replace("\r\n", "\n").replace("\r", "\n").split("\n", 1)[0]
    end = head.find(b"\n")
    first = head if end < 0 else head[:end]
    return decode_bytes(first, path).split("\n", 1)[0] if first.strip() else ""


def line_of_offset(data: bytes, offset: int) -> int:
    """The 1-based line number holding the byte at ``offset``."""
    return data.count(b"\n", 0, offset) + 1


def decode_bytes(data: bytes, path: Path | str) -> str:
    """Decode by BOM, else UTF-8, else GB18030 (covers GBK/GB2312); newlines become ``\\n``."""
    if not data.strip():
        raise SourceError(path, "empty file")
    text = decode_with_bom(data, path)
    if text is None:
        nul = data.find(b"\x00")
        if nul >= 0:
            raise SourceError(path, f"binary file (NUL bytes at offset {nul}); expected text",
                              line=_line_of_text(data[:nul].decode("utf-8", "replace")))
        text = decode_without_bom(data, path)
    elif "\x00" in text:  # the same refusal whatever the encoding: a NUL is never text
        nul = text.index("\x00")
        raise SourceError(path, f"binary file (a NUL at character {nul}); expected text", line=_line_of_text(text[:nul]))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SourceError(path, "empty file")
    return text


def _line_of_text(before: str) -> int:
    """The 1-based line that follows ``before`` (CR LF, CR and LF each end a line, as decode_bytes reads them)."""
    return before.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def decode_with_bom(data: bytes, path: Path | str) -> str | None:
    """The text after a byte order mark in its encoding, or None when there is no BOM."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as err:
                offset = len(bom) + err.start
                raise SourceError(
                    path,
                    f"starts with a {encoding.upper()} byte order mark but byte offset {offset} is not valid {encoding.upper()}",
                    line=line_of_offset(data, offset),
                ) from None
    return None


def decode_without_bom(data: bytes, path: Path | str) -> str:
    """Strict UTF-8, then strict GB18030; otherwise name the first byte UTF-8 could not read."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        first_bad = err.start
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    raise SourceError(
        path,
        f"cannot decode: neither UTF-8 (byte 0x{data[first_bad]:02X} at offset {first_bad} is invalid) "
        "nor GB18030/GBK; convert the file to UTF-8",
        line=line_of_offset(data, first_bad),
    )
