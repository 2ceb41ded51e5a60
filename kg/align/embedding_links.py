"""Names no code, name or alias resolves, resolved by embedding similarity through the search index.

Run by `vetgraph align` when the home has a search index (the only linking step that needs a model):
each policy industry, profile occupation or 接续专业 mention without a ``vet:refersTo`` is looked up
among the index's nodes of the class it names (a 接续专业 among the majors of its stated level), and
the ``TOP`` nearest above ``MIN_COSINE`` become links: method ``stated`` (the source states the
link; only the name's resolution is uncertain), ``resolved_by`` ``embedding``, status ``proposed``,
the cosine as score and the mention as evidence. Rejected links are never proposed again.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.align.alignments import Link, link_triples, merge_link
from kg.align.link import KINDS, MENTIONS, NEXT_LEVELS, MentionRow, one_per_mention
from kg.align.reviews import latest_decisions
from kg.resolve.base import Resolution
from kg.search.base import Encoder
from kg.search.index import SearchIndex
from kg.store.base import GraphStore

NAME = "embedding-links"
TOP = 3
#: The least cosine worth proposing. multilingual-e5-small puts unrelated short Chinese names at 0.82-0.85
#: (高原特色种养殖 / 软件开发 0.82) and related ones at 0.87-0.89 (高原特色种养殖 / 牲畜饲养 0.875): a floor,
#: not a verdict; every link it lets through stays proposed until a person reviews it.
MIN_COSINE = 0.86
TARGETS = {"industry": "Industry", "occupation": "Occupation", "next-major": "Major"}
RESOLVED = "SELECT DISTINCT ?mention WHERE { ?mention a vet:Mention ; vet:refersTo ?target }"

Progress = Callable[[int, int], None]


def unresolved_mentions(store: GraphStore) -> list[MentionRow]:
    """Industry, occupation and next-major mentions no earlier step resolved (next majors outside the
    vocational catalogue, 普通本科, left out)."""
    resolved = {row["mention"] for row in store.select(RESOLVED)}
    out = []
    for mention in one_per_mention(store.select(MENTIONS)):
        if mention.kind not in TARGETS or mention.iri in resolved:
            continue
        if mention.kind == "next-major" and not any(level in NEXT_LEVELS for level in mention.levels):
            continue
        out.append(mention)
    return out


def embedding_links(store: GraphStore, index: SearchIndex, encoder: Encoder, *, min_cosine: float = MIN_COSINE,
                    progress: Progress | None = None, batch: int = 64) -> Resolution:
    """The derived graph of embedding-resolved links for every unresolved mention."""
    mentions = unresolved_mentions(store)
    decisions = latest_decisions(store)
    links: dict[str, Link] = {}
    groups: dict[tuple[str, str | None], list[MentionRow]] = {}
    for mention in mentions:
        levels = [NEXT_LEVELS[level] for level in mention.levels if level in NEXT_LEVELS] or [None]
        for level in dict.fromkeys(levels):
            groups.setdefault((mention.kind, level), []).append(mention)
    total = sum(len(group) for group in groups.values())
    done = 0
    for (kind, level), rows in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            found = index.nearest([row.term for row in chunk], encoder, types=[TARGETS[kind]], level=level, top=TOP)
            for mention, candidates in zip(chunk, found):
                for target, cosine in candidates:
                    if cosine >= min_cosine:
                        merge_link(links, _link(mention, target, cosine), decisions)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    triples = [t for link in sorted(links.values(), key=lambda item: item.iri) for t in link_triples(link)]
    linked = len({evidence for link in links.values() for evidence in link.evidence})
    return Resolution(NAME, triples, [f"embedding links: {len(links)} proposed links for {linked} of "
                                      f"{len(mentions)} mentions no code, name or alias resolved"])


def _link(mention: MentionRow, target: str, cosine: float) -> Link:
    return Link(kind=f"{mention.source_kind}-{KINDS[mention.kind]}", source=mention.source, target=target,
                method="stated", resolved_by="embedding", score=round(min(1.0, cosine), 4), strength="minor",
                status="proposed", label=f"{mention.term} ≈ (embedding {cosine:.2f})", evidence=(mention.iri,))
