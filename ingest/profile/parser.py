"""Parse a 专业简介 file into a ProfileDoc: one MajorProfile per block that opens with 专业代码.

Parsing is pure: blocks in, records out. A block with a malformed code or without 专业名称 is
refused with its line while the others load; a block that is only （略） is kept as known-empty.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ingest.profile import items
from ingest.profile.blocks import SECTION_KINDS, RawBlock, document_title, split_blocks
from ingest.profile.orientation import orientation_names
from ingest.profile.records import ListedName, MajorProfile, ProfileDoc
from ingest.profile.sections import NOTE, OMITTED, block_lines
from ingest.profile.text import squeeze_cjk
from ingest.readers import read_blocks, source_format
from ingest.readers.blocks import Block
from kg.core.names import normalise_name
from kg.core.records import Rejection, SourceLine
from kg.errors import SourceError

PARSER_VERSION = "profile/2"  # 2: course names without PDF spaces next to Chinese


def parse_profile(path: Path | str) -> ProfileDoc:
    """Read the file (txt, md or docx) and parse it as a 专业简介."""
    path = Path(path)
    return parse_blocks(read_blocks(path), path, source_format(path))


def parse_blocks(blocks: list[Block], path: Path | str, fmt: str) -> ProfileDoc:
    """A ProfileDoc from a document's blocks; raises SourceError when no block opens with 专业代码."""
    lines = list(block_lines(blocks))
    rejections: list[Rejection] = []
    raw_blocks = split_blocks(lines, rejections)
    if not raw_blocks and not rejections:
        raise SourceError(path, "no major block found: expected lines 专业代码 <six digits> and 专业名称 <name>")
    profiles = []
    for raw in raw_blocks:
        profile = build_profile(raw, rejections)
        if profile is not None:
            profiles.append(profile)
    rejections.sort(key=lambda r: r.line or 0)
    return ProfileDoc(title=document_title(lines, Path(path).stem), profiles=profiles, source_format=fmt,
                      rejections=rejections)


def build_profile(raw: RawBlock, rejections: list[Rejection]) -> MajorProfile | None:
    """The MajorProfile of a block, or None (and a Rejection) when it lacks 专业名称."""
    name = raw.fields.get("name")
    if name is None:
        rejections.append(Rejection(raw.code_line.line, f"block {raw.code} has no 专业名称; block skipped",
                                    key=raw.code))
        return None
    profile = MajorProfile(code=raw.code, name=name.text, line=raw.code_line.line,
                           study_years=raw.fields["years"].text if "years" in raw.fields else None)
    for line in raw.stray:
        rejections.append(Rejection(line.line, f"text before the first section of {raw.code} ignored: "
                                               f"{line.text[:40]}", key=raw.code, kept=True))
    sections = {kind: _without_notes(raw.sections.get(kind, []), raw.code, rejections) for kind in SECTION_KINDS}
    if raw.omitted and not any(sections.values()):
        profile.omitted = True
        return profile
    orientation = items.join_lines(sections["orientation"])
    profile.orientation = orientation.text or None
    profile.training_goal = items.join_lines(sections["goal"]).text or None
    profile.names.extend(orientation_names(items.join_lines(
        [SourceLine(squeeze_cjk(line.text), line.line) for line in sections["orientation"]])))
    profile.competencies = items.competencies(sections["competencies"])
    if profile.competencies:
        profile.competencies_line = raw.heading_lines.get("competencies", profile.competencies[0].line)
    _keyed_sections(profile, sections, rejections)
    profile.names = _first_of_each(profile.names)
    return profile


def _keyed_sections(profile: MajorProfile, sections: dict[str, list[SourceLine]], rejections: list[Rejection]) -> None:
    """Courses, 实习实训, certificates and 接续 majors from their "键：值" entries."""
    for kind in ("courses", "certificates", "next"):
        entries, lead = items.entries(items.join_lines(sections[kind]))
        if lead.text and not (kind == "certificates" and items.NONE_STATED.match(lead.text)):
            rejections.append(Rejection(lead.line, f"{profile.code}: text outside any 键：值 entry ignored: "
                                                   f"{lead.text[:40]}", key=profile.code, kept=True))
        for entry in entries:
            if entry.name in ("basic", "core"):
                profile.courses.extend(items.courses(entry))
            elif entry.name == "practice":
                profile.practice = entry.value.text or None
            elif entry.name in ("qualification", "skill"):
                profile.names.extend(items.certificates(entry))
            else:
                profile.names.extend(items.successors(entry))


def _without_notes(lines: list[SourceLine], code: str, rejections: list[Rejection]) -> list[SourceLine]:
    """The lines less whole-line notes in brackets ("（本专业主要服务在职人员学历提升与培训）"), which are reported."""
    kept = []
    for line in lines:
        if NOTE.match(line.text) and not OMITTED.match(line.text):
            rejections.append(Rejection(line.line, f"{code}: note kept out of the section text: {line.text}",
                                        key=code, kept=True))
        else:
            kept.append(line)
    return kept


def _first_of_each(names: list[ListedName]) -> list[ListedName]:
    """One name per (kind, term), where it is first listed; a next major listed under two keys keeps both levels."""
    kept: dict[tuple[str, str], ListedName] = {}
    for name in names:
        key = (name.kind, normalise_name(name.term))
        first = kept.setdefault(key, name)
        if first is not name:
            levels = first.levels + tuple(level for level in name.levels if level not in first.levels)
            kept[key] = replace(first, levels=levels)
    return list(kept.values())
