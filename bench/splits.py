"""The fixed split of a labelled set into a tuning half and a held-out half, by a hash of each item's id.

Decided by the id alone, before any result is seen: tune on ``tuning``, report ``heldout``.
"""

from __future__ import annotations

import hashlib

SPLITS = ("tuning", "heldout")


def split_of(key: str, salt: str = "search") -> str:
    """``heldout`` or ``tuning`` for an item id (a query's text), the same on every run and machine."""
    return "heldout" if int(hashlib.sha1(f"{salt}:{key}".encode()).hexdigest()[:8], 16) % 2 else "tuning"
