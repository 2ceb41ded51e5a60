"""Parse a policy document file into a PolicyDoc: read lines, recognise structure, find targets and mentions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ingest.policy.mentions import extract_mentions
from ingest.policy.records import PolicyDoc, Provision, TargetRecord
from ingest.policy.structure import recognise
from ingest.policy.targets import extract_targets
from ingest.readers import read_lines, source_format
from kg.core.names import slugify
from kg.core.records import SourceLine
from kg.errors import SourceError

# 2: mention IRIs keyed by text and occurrence; 3: occurrences counted on the normalised text
PARSER_VERSION = "policy/3"


def parse_policy(path: Path) -> PolicyDoc:
    """Read any supported format and return the document with its provision tree."""
    lines = read_lines(path)
    return parse_policy_lines(lines, path, source_format(path))


def parse_policy_lines(lines: list[SourceLine], path: Path, fmt: str) -> PolicyDoc:
    """The format-independent half of parse_policy, for lines already read."""
    if not lines:
        raise SourceError(path, "no text found")
    structure = recognise(lines, fallback_title=path.stem)
    if not structure.provisions:
        raise SourceError(path, "no provisions found: expected numbered units (第一条, 一、, （一）, 1.) or paragraphs")
    years: dict[str, int | None] = {}
    provisions: list[Provision] = []
    for provision in structure.provisions:
        inherited = years.get(provision.parent_path or "")
        targets, mentions = [], []
        own_year = _deadline_year(provision, inherited)
        for offset, segment in provision.own_segments:
            for target in extract_targets(segment, inherited_year=own_year):
                targets.append(_shift(target, offset))
            for mention in extract_mentions(segment):
                mentions.append(dataclasses.replace(mention, start=mention.start + offset, end=mention.end + offset))
        years[provision.path] = own_year
        provisions.append(dataclasses.replace(provision, targets=targets, mentions=mentions))
    return PolicyDoc(
        slug=slugify(path.stem),
        title=structure.title,
        status="draft" if structure.is_draft else "in_force",
        date=structure.date,
        history=structure.history,
        provisions=provisions,
        source_format=fmt,
        line_count=lines[-1].line,
    )


def _deadline_year(provision: Provision, inherited: int | None) -> int | None:
    """The year a provision's own deadline sets for itself and its children, else the inherited one."""
    for _, segment in provision.own_segments:
        for target in extract_targets(segment, inherited_year=inherited):
            if target.kind == "deadline":
                return target.year
    return inherited


def _shift(target: TargetRecord, offset: int) -> TargetRecord:
    return dataclasses.replace(target, start=target.start + offset, end=target.end + offset)
