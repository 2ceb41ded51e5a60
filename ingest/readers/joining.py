"""Rejoining a paragraph that a layout wrapped over lines: Chinese closes up, Latin words keep a space."""

from __future__ import annotations

import unicodedata

LATIN_CLOSERS = ",.;:!?)]\"'"


def is_latin_word_char(char: str) -> bool:
    """An ASCII letter or digit."""
    return char.isascii() and char.isalnum()


def is_wide(char: str) -> bool:
    """A full-width or wide character: Chinese, Japanese, Korean text and their punctuation."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def needs_space(left: str, right: str) -> bool:
    """Whether wrapped text ``left`` + ``right`` needs a space: only between Latin words.

    ``abc`` + ``def`` and ``law,`` + ``and`` take a space; Chinese, and ``发展,`` + ``2027``, do not.
    """
    if not left or not right or not is_latin_word_char(right[0]):
        return False
    if is_latin_word_char(left[-1]):
        return True
    return len(left) > 1 and left[-1] in LATIN_CLOSERS and is_latin_word_char(left[-2])


def join_wrapped(left: str, right: str) -> str:
    """``left`` and its continuation ``right`` as one line."""
    return left + " " + right if needs_space(left, right) else left + right
