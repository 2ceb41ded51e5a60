"""Whether a hit is a strong or a weak match: a calibrated signal, so that "nothing fits" can be said.

The evidence of a hit: an exact code or label match, the dense cosine of its best chunk, that cosine's
margin over the query's background (the cosine of its 50th dense node: a query in English or in everyday
words has low cosines everywhere, a standout still stands out), and how much of the query (its class
word aside) the node's own text holds. A hit is strong when it matches exactly, when its cosine or its
margin is high, or when the query's words are in its text and its cosine is fair. Cosines are
model-specific, so the cut-offs are kept per model; a model without calibrated cut-offs (the fake test
encoder, a folder of your own) falls back to the lexical rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.search.base import Evidence
from kg.search.intent import without_class_word

STRONG, WEAK = "strong", "weak"
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_RUNS = re.compile(f"[{_CJK}]+|[^\\W_{_CJK}]+")
_IS_CJK = re.compile(f"[{_CJK}]")


@dataclass(frozen=True)
class Thresholds:
    """One model's cut-offs; strong = exact, or cosine >= cosine_alone, or margin >= margin, or
    (coverage >= coverage and cosine >= cosine_with_coverage). None switches a branch off (for
    cosine_with_coverage: the words alone suffice)."""

    cosine_alone: float | None
    coverage: float | None
    cosine_with_coverage: float | None
    margin: float | None = None


#: The dense rank whose cosine is a query's background (Evidence.margin).
MARGIN_RANK = 50
# Chosen on the tuning split of bench/search_queries.jsonl (bench/splits.py) by bench/search_match.py: the
# best F1 of "strong" among the cut-offs that leave every absent topic of the tuning split without a strong
# hit. The held-out precision and recall are what that script prints.
E5_THRESHOLDS = Thresholds(cosine_alone=0.905, coverage=0.4, cosine_with_coverage=0.87, margin=0.03)
#: A model without its own cut-offs: the lexical branch alone (chosen the same way, with --model fake).
LEXICAL_THRESHOLDS = Thresholds(cosine_alone=None, coverage=0.4, cosine_with_coverage=None)
#: Model name (as the index records it) -> its cut-offs.
MODEL_THRESHOLDS: dict[str, Thresholds] = {"multilingual-e5-small": E5_THRESHOLDS}


def thresholds_for(model: str) -> Thresholds:
    """The calibrated cut-offs of a model, else the lexical rule."""
    return MODEL_THRESHOLDS.get(model, LEXICAL_THRESHOLDS)


def strength(evidence: Evidence, thresholds: Thresholds) -> str:
    """"strong" or "weak" for one hit's evidence."""
    return STRONG if is_strong(evidence, thresholds) else WEAK


def is_strong(evidence: Evidence, thresholds: Thresholds) -> bool:
    if evidence.exact:
        return True
    cosine = evidence.cosine
    if thresholds.cosine_alone is not None and cosine is not None and cosine >= thresholds.cosine_alone:
        return True
    if thresholds.margin is not None and evidence.margin is not None and evidence.margin >= thresholds.margin:
        return True
    if thresholds.coverage is None or evidence.coverage < thresholds.coverage:
        return False
    return thresholds.cosine_with_coverage is None or (cosine is not None and cosine >= thresholds.cosine_with_coverage)


def query_pieces(query: str) -> list[str]:
    """The query's word pieces, its class word aside: CJK bigrams (a lone character alone), Latin words."""
    pieces: list[str] = []
    for run in _RUNS.findall(unicodedata.normalize("NFKC", without_class_word(query)).lower()):
        if _IS_CJK.match(run) and len(run) > 1:
            pieces += (run[i:i + 2] for i in range(len(run) - 1))
        else:
            pieces.append(run)
    return list(dict.fromkeys(pieces))


def coverage(pieces: list[str], *texts: str) -> float:
    """The share of the pieces found in the texts (NFKC, lower case); 0 for no pieces."""
    if not pieces:
        return 0.0
    haystack = unicodedata.normalize("NFKC", "\n".join(texts)).lower()
    return sum(1 for piece in pieces if piece in haystack) / len(pieces)
