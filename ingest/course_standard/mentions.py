"""Certificate and competition mentions in one sentence or table row (岗课赛证).

Certificates: '…职业技能等级证书' (quoted or not, '1+X' in front or not, a 职业技能等级标准 too) and
'1+X…证书' / '1+X“…”'; the level from '（中级）', '中级标准', '（初级、中级）' right after it.
Competitions: '…技能大赛' followed by a quoted name or a name ending in 赛项/项目, or a quoted
'“…”赛项' on its own (its tier then from a 技能大赛 named elsewhere in the sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.course_standard.text import trim_lead
from kg.core.levels import CERTIFICATE_LEVEL_NAMES

QO, QC = "《“\"「『‘", "》”\"」』’"
ONE_X = r"[1１]\s*[+＋]\s*[XxＸｘ]"
NAME = r"(?:[^\s，。；：:、（）()《》“”\"「」『』‘’|｜,;]|[（(][A-Za-z0-9+#./ -]{1,20}[）)])"
CERT_FULL = re.compile(
    rf"(?:[{QO}](?P<quoted>{NAME}{{2,30}}?)[{QC}]|(?P<plain>{NAME}{{2,40}}?))\s*"
    rf"(?P<suffix>职业技能等级证书|职业技能等级标准|技能等级证书)[{QC}]?"
)
CERT_1X = re.compile(
    rf"{ONE_X}\s*(?:证书)?\s*[:：]?\s*(?:[{QO}](?P<quoted>{NAME}{{2,30}}?)[{QC}]|"
    rf"(?P<plain>{NAME}{{2,30}}?)(?=\s*(?:证书|[（(][初中高]级)))"
)
TIER = r"(?P<tier>[^\s，。；：:、（）()《》“”\"|｜]{0,14}?(?:技能大赛|技能竞赛))"
GROUP = r"(?:[（(]?(?:高职组|中职组|高职|中职|学生组|教师组)[）)]?)?"
COMPETITION = re.compile(
    rf"{TIER}{GROUP}\s*(?:[{QO}](?P<quoted>[^{QC}]{{2,30}}?)[{QC}]\s*(?:赛项|项目|比赛)?|(?P<plain>{NAME}{{2,30}}?)(?:赛项|项目))"
)
BARE_EVENT = re.compile(rf"[{QO}](?P<quoted>[^{QC}]{{2,30}}?)[{QC}]\s*赛项")
LEVEL_RUN = re.compile(r"[初中高]级?(?:\s*[、/和及与或至到～~-]\s*[初中高]级?)*")
LEAD_CUT = re.compile(  # everything up to the last of these words is the clause before a name, not the name
    r".*(?:对接|融入|融合|融通|考取|获取|取得|获得|参照|依据|按照|根据|结合|引入|对应|衔接|涵盖|覆盖|满足|达到|"
    rf"通过|围绕|面向|参加|参与|考核|本课程|学生|标准|{ONE_X})"
)
GENERIC = {
    "相关", "有关", "对应", "该", "本", "其", "各类", "各级", "多种", "多个", "若干", "一项", "该项", "职业", "技能",
    *CERTIFICATE_LEVEL_NAMES,
}
CERTIFICATE_SUFFIXES = {"职业技能等级证书": "职业技能等级证书", "职业技能等级标准": "职业技能等级证书"}
LEVEL_WINDOW = 12


@dataclass
class Mention:
    """A certificate ('cert') or competition ('comp') found at ``start``..``end`` of a unit's text."""

    kind: str
    start: int
    end: int
    name: str
    key: str
    levels: list[str]
    tier: str | None = None


def certificate_mentions(text: str) -> list[Mention]:
    """Every certificate named in ``text``, left to right, overlapping finds dropped."""
    found: list[Mention] = []
    for pattern in (CERT_FULL, CERT_1X):
        for match in pattern.finditer(text):
            if any(m.start < match.end() and match.start() < m.end for m in found):
                continue
            mention = certificate(text, match)
            if mention is not None:
                found.append(mention)
    found.sort(key=lambda m: m.start)
    for mention, following in zip(found, found[1:] + [None]):
        stop = following.start if following else len(text)
        mention.levels = mention.levels or levels_after(text, mention.end, stop)
    return found


def certificate(text: str, match: re.Match[str]) -> Mention | None:
    """A Mention from a certificate match, or None when the name is generic ('相关职业技能等级证书')."""
    quoted = match.group("quoted")
    raw = quoted if quoted is not None else match.group("plain")
    core, levels = split_level(cut_lead(raw) if quoted is None else raw)
    suffix = match.groupdict().get("suffix")
    if suffix and core.endswith(suffix):
        core = core[: -len(suffix)]
    core = core.removesuffix("职业技能等级证书").removesuffix("证书").removesuffix("职业技能等级").rstrip("等的")
    if len(core) < 2 or core in GENERIC:
        return None
    if suffix:
        name = core + CERTIFICATE_SUFFIXES.get(suffix, suffix)  # a 职业技能等级标准 names its certificate
    else:
        name = core + "职业技能等级证书" if (quoted or "").endswith("职业技能等级证书") else core
    return Mention("cert", match.start(), match.end(), name, core, levels)


def cut_lead(raw: str) -> str:
    """An unquoted name without the clause that ran into it: everything up to the last 对接/获得/….
    """
    cut = LEAD_CUT.match(raw)
    rest = raw[cut.end():] if cut else raw
    return trim_lead(rest)


def split_level(core: str) -> tuple[str, list[str]]:
    """A name with a level written inside it ('中级工业机器人…', '…（初级）') taken out."""
    levels: list[str] = []
    match = re.match(r"^([初中高]级)", core)
    if match:
        levels.append(match.group(1))
        core = core[match.end():]
    inner = re.search(r"[（(]([初中高]级)[）)]$", core)
    if inner:
        levels.append(inner.group(1))
        core = core[: inner.start()]
    return core, levels


def levels_after(text: str, end: int, stop: int) -> list[str]:
    """Levels printed right after a certificate: '（中级）', '中级标准', '（初级、中级）'."""
    window = text[end: min(stop, end + LEVEL_WINDOW)]
    window = re.split(r"[，。；,;]", window, maxsplit=1)[0]
    match = LEVEL_RUN.search(window)
    if not match or "级" not in match.group(0) or match.start() > 3:
        return []
    return [f"{char}级" for char in match.group(0) if char in "初中高"]


def competition_mentions(text: str) -> list[Mention]:
    """Every competition event named in ``text``: tiered first, then bare '“…”赛项'."""
    found: list[Mention] = []
    for match in COMPETITION.finditer(text):
        name = match.group("quoted") or match.group("plain")
        if match.group("plain") and name[0] in "中上里的等":
            continue
        tier = cut_lead(match.group("tier")) or None
        found.append(Mention("comp", match.start(), match.end(), name.strip(), name.strip(), [], tier))
    tiers = [m.tier for m in found if m.tier]
    for match in BARE_EVENT.finditer(text):
        if any(m.start < match.end() and match.start() < m.end for m in found):
            continue
        name = match.group("quoted").strip()
        tier = tiers[0] if tiers else None
        found.append(Mention("comp", match.start(), match.end(), name, name, [], tier))
    return sorted(found, key=lambda m: m.start)
