"""Text that remembers its lines: wrapped lines joined into one string, each offset traceable to its source line."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ingest.readers.joining import join_wrapped

#: What separates the names of a list: 、 and full- or half-width commas and semicolons.
NAME_SEPARATORS = re.compile(r"[、，,；;]")
#: Trimmed from both ends of a listed name: spaces, closing punctuation, a trailing 等.
_EDGE = " \t\u3000。.；;：:，,、"
_TRAILING_DENG = re.compile(r"(?:等)+$")
_OPEN, _CLOSE = "（(《“[【", "）)》”]】"
_MATH = re.compile(r"\$([^$\n]{1,80})\$")
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+|%)")
_TEX_SYMBOLS = {"sim": "~", "times": "×", "pm": "±", "alpha": "α", "beta": "β", "gamma": "γ", "mu": "μ",
                "leq": "≤", "geq": "≥", "cdot": "·", "circ": "°", "%": "%"}
_TEX_MARKS = str.maketrans("", "", "{}^_")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])[ \t\u3000]+|[ \t\u3000]+(?=[^\x00-\x7f])")


@dataclass(frozen=True)
class Run:
    """A string built from source lines; ``starts`` maps the offset where each line's text begins to its line."""

    text: str
    starts: tuple[tuple[int, int], ...]  # (offset, line), offsets ascending

    @classmethod
    def join(cls, pieces: Iterable[tuple[str, int]]) -> Run:
        """Wrapped lines rejoined as one text: Chinese closes up, Latin words keep a space."""
        text = ""
        starts: list[tuple[int, int]] = []
        for piece, line in pieces:
            if not piece:
                continue
            joined = join_wrapped(text, piece) if text else piece
            starts.append((len(joined) - len(piece), line))
            text = joined
        return cls(text, tuple(starts))

    def line_at(self, offset: int) -> int:
        """The source line that holds the character at ``offset``."""
        if not self.starts:
            return 0
        index = bisect.bisect_right([start for start, _ in self.starts], max(offset, 0)) - 1
        return self.starts[max(index, 0)][1]

    @property
    def line(self) -> int:
        return self.starts[0][1] if self.starts else 0

    def part(self, start: int, end: int | None = None) -> Run:
        """The text between two offsets, its lines kept."""
        end = len(self.text) if end is None else end
        starts = [(0, self.line_at(start))]
        starts += [(offset - start, line) for offset, line in self.starts if start < offset < end]
        return Run(self.text[start:end], tuple(starts))

    def stripped(self, chars: str = _EDGE) -> Run:
        """Without leading and trailing ``chars``."""
        left = len(self.text) - len(self.text.lstrip(chars))
        right = len(self.text.rstrip(chars))
        return self.part(left, max(left, right))


def plain_math(text: str) -> str:
    """TeX left by PDF conversion, as plain text: "$\\mathrm { C O } _ { 2 }$" -> "CO2", "$1 \\sim 2$" -> "1~2"."""
    return _MATH.sub(lambda m: _TEX_COMMAND.sub(lambda c: _TEX_SYMBOLS.get(c.group(1), ""), m.group(1))
                     .translate(_TEX_MARKS).replace(" ", ""), text)


def squeeze_cjk(text: str) -> str:
    """Spaces next to Chinese characters removed (PDF conversion leaves "等 职业"); spaces between Latin words kept."""
    return _CJK_SPACE.sub("", text)


def trim_name(text: str) -> str:
    """A listed name as printed without surrounding punctuation and a trailing 等."""
    name = text.strip(_EDGE)
    name = _TRAILING_DENG.sub("", name).strip(_EDGE)
    return name


def split_names(run: Run) -> Iterator[tuple[str, int]]:
    """Each name of a list such as "A、B（C、D），E等。" with the line it starts on; brackets are never split."""
    position = 0
    for end in [*_separators(run.text), len(run.text)]:
        piece = run.text[position:end]
        name = trim_name(piece)
        if name:
            yield name, run.line_at(position + piece.find(name[0]))
        position = end + 1


def _separators(text: str) -> Iterator[int]:
    """Offsets of the list separators that stand outside brackets."""
    depth = 0
    for offset, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and NAME_SEPARATORS.match(char):
            yield offset
