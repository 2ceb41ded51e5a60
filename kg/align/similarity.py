"""Name similarity for ranking and for suggestions where nothing is stated: character-bigram Jaccard.

Chinese names of majors, certificates and industries share their key words as character pairs
(新能源汽车技术 / 智能新能源汽车); generic endings that every certificate or industry name carries
(职业技能等级证书, 业) are dropped first so they do not make everything look alike.
"""

from __future__ import annotations

from kg.core.names import normalise_name

GENERIC_ENDINGS = ("职业技能等级证书", "职业技能等级", "证书", "技术", "业")


def bigrams(name: str) -> frozenset[str]:
    """The character pairs of a name without its generic ending (a one-character name is its own pair)."""
    text = normalise_name(name)
    for ending in GENERIC_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending) + 1:
            text = text[: -len(ending)]
            break
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset([text])


def name_similarity(a: str, b: str) -> float:
    """Jaccard of the two names' bigrams, 0 to 1."""
    left, right = bigrams(a), bigrams(b)
    union = left | right
    return len(left & right) / len(union) if union else 0.0
