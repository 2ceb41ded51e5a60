"""The resolution steps an ingest runs after its writes, in order: resolution, then linking."""

from __future__ import annotations

from kg.align.link import link_mentions
from kg.align.text_links import text_industry_links
from kg.resolve.base import Resolver
from kg.resolve.runner import RESOLVERS

#: Legal status, occupation and course links first; entity linking, then text suggestions, which skip stated links.
AFTER_INGEST: tuple[Resolver, ...] = (*RESOLVERS, link_mentions, text_industry_links)
