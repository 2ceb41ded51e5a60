"""Chunks: node texts over the encoder's token limit split by sentence (。；), then by length."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kg.search.base import Chunk, Encoder, NodeText
from kg.search.settings import SearchError
from kg.search.texts import PARAGRAPH, label_prefix

TokenCounter = Callable[[str], int]

_TOKEN = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]")
_SENTENCE = re.compile(r"[^。；;！？!?\n]*(?:[。；;！？!?\n]+|$)")


def fallback_count_tokens(text: str) -> int:
    """A conservative count when the encoder has no tokenizer: one per CJK character or symbol, one per word."""
    return len(_TOKEN.findall(text))


def token_budget(encoder: Encoder, chunk_tokens: int) -> tuple[TokenCounter, int]:
    """How to count a chunk's tokens and how many it may hold for this encoder.

    The encoder's own count_tokens (which includes its passage prompt and special tokens) against
    the smaller of chunk_tokens and its max_tokens; without one, the fallback count with 4 tokens
    left for a short prompt and the special tokens.
    """
    counter = getattr(encoder, "count_tokens", None)
    limit = min(chunk_tokens, int(getattr(encoder, "max_tokens", chunk_tokens)))
    if callable(counter):
        return counter, limit
    return fallback_count_tokens, max(limit - 4, 1)


@dataclass(frozen=True)
class Piece:
    """A part of a text and where it starts in it (a character offset)."""

    start: int
    text: str


def split_text(text: str, limit: int, count_tokens: TokenCounter = fallback_count_tokens) -> list[Piece]:
    """Pieces of ``text``, each at most ``limit`` tokens: whole sentences packed greedily, long ones cut."""
    if limit < 1:
        raise SearchError(f"the chunk limit must be at least 1 token, got {limit}")
    if count_tokens(text) <= limit:
        return [Piece(0, text)]
    pieces: list[Piece] = []
    start, current = 0, ""
    for sentence in _sentences(text):
        for part_start, part in _cut(sentence, limit, count_tokens):
            if current and count_tokens(current + part) <= limit:
                current += part
                continue
            if current:
                pieces.append(Piece(start, current))
            start, current = part_start, part
    if current:
        pieces.append(Piece(start, current))
    return [p for p in pieces if p.text.strip()]


def plan_chunks(node: NodeText, limit: int,
                count_tokens: TokenCounter = fallback_count_tokens) -> list[tuple[Chunk, int]]:
    """A node's chunks with the offset in node.text where each one's piece starts.

    Every chunk carries the label (unless its paragraph starts with it) before its piece and the
    context after it, so a piece from the middle of a long provision still names its document.
    Paragraphs (split by a blank line) are chunked apart: a major's name and its long profile get
    a vector each, and the best one counts.
    """
    paragraphs = _paragraphs(node.text)
    prefixes = [_fit(label_prefix(node.label, text), limit // 4, count_tokens) for _, text in paragraphs]
    text_share = min(count_tokens(node.text), limit // 2)  # the text keeps at least half the limit
    longest = max(count_tokens(prefix) for prefix in prefixes)
    context = _fit(node.context, max(limit - longest - text_share - 2, 0), count_tokens)
    budgets = [limit - count_tokens(prefix) - count_tokens(context) - 2 for prefix in prefixes]
    while True:  # a subword tokenizer may count the joins differently: shrink until every chunk fits
        planned: list[tuple[Chunk, int]] = []
        for (start, text), prefix, budget in zip(paragraphs, prefixes, budgets):
            for piece in split_text(text, max(budget, 1), count_tokens):
                chunk = Chunk(iri=node.iri, index=len(planned), text=_join(prefix, piece.text, context))
                planned.append((chunk, start + piece.start))
        if all(budget <= 1 for budget in budgets) or all(count_tokens(chunk.text) <= limit for chunk, _ in planned):
            return planned
        budgets = [budget - max(1, budget // 10) if budget > 1 else budget for budget in budgets]


def chunk_node(node: NodeText, limit: int, count_tokens: TokenCounter = fallback_count_tokens) -> list[Chunk]:
    """A node's chunks, each at most ``limit`` tokens."""
    return [chunk for chunk, _ in plan_chunks(node, limit, count_tokens)]


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """The paragraphs of a text (split by a blank line) with their offsets; the whole text when it has one."""
    found, start = [], 0
    for part in text.split(PARAGRAPH):
        if part.strip():
            found.append((start, part))
        start += len(part) + len(PARAGRAPH)
    return found or [(0, text)]


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their offsets, each keeping its closing 。；！？ or line break."""
    return [(m.start(), m.group()) for m in _SENTENCE.finditer(text) if m.group()]


def _cut(sentence: tuple[int, str], limit: int, count_tokens: TokenCounter) -> list[tuple[int, str]]:
    """A sentence as it is, or cut into runs of at most ``limit`` tokens."""
    start, text = sentence
    parts = []
    while text:
        head = _fit(text, limit, count_tokens, at_least_one=True)
        parts.append((start, head))
        start, text = start + len(head), text[len(head):]
    return parts


def _fit(text: str, limit: int, count_tokens: TokenCounter, *, at_least_one: bool = False) -> str:
    """The longest prefix of ``text`` within ``limit`` tokens (one character at least where asked)."""
    if count_tokens(text) <= limit:
        return text
    low, high = (1 if at_least_one else 0), len(text)
    while low < high:  # binary search: count_tokens grows with the prefix
        middle = (low + high + 1) // 2
        if count_tokens(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low]
