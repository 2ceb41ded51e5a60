"""Text as markdown shows it literally: policy text with its line breaks, snippets with their match in bold."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_MARKED = re.compile(r"【([^【】]+)】")


def escape_markdown(text: str) -> str:
    """Show text literally (1+X, list dashes, #, ：) with its line breaks kept."""
    return "  \n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in text.split("\n"))


def highlight(snippet: str, query: str) -> str:
    """A search snippet as markdown: the stretch the search marked 【like this】 in bold, else the query's words."""
    if _MARKED.search(snippet):
        parts = _MARKED.split(snippet)  # even: plain text, odd: the marked stretches
        return "".join(f"**{escape_markdown(p.strip())}**" if i % 2 and p.strip() else escape_markdown(p)
                       for i, p in enumerate(parts))
    words = sorted({w for w in query.split() if len(w) >= 2}, key=len, reverse=True)
    if not words:
        return escape_markdown(snippet)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(snippet):
        out.append(escape_markdown(snippet[last:match.start()]))
        out.append(f"**{escape_markdown(match.group(0))}**")
        last = match.end()
    out.append(escape_markdown(snippet[last:]))
    return "".join(out)
