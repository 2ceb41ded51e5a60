"""Exact matches that outrank any retriever: a query that is a node's code, or its label after normalising.

Codes are the catalogues' notations held in each node's context (``代码 460702``: majors, occupations,
GB/T 4754 industries); labels include a certificate's short names (``又称``, and the label without
``职业技能等级证书``). Both maps are built once per loaded index; a lookup is a dict access.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

_CODE_TAG = "代码 "
#: A leading word that only says the rest is a code.
_CODE_WORDS = re.compile(r"^\s*(?:(?:专业|职业|工种|行业|产业|证书)?(?:代码|编码|编号)|"
                         r"(?:(?:major|occupation|industry)\s*)?code)\s*[:：]?\s*", re.IGNORECASE)
_ALIASES = re.compile(r"(?:^|；)又称：([^；]+)")
#: A certificate's label without this ending is one of its short names (老年照护 for 老年照护职业技能等级证书).
CERTIFICATE_SUFFIX = "职业技能等级证书"
#: Classes whose own code a query may be (a course's context may name its major's code: that is no match).
CODED_CLASSES = frozenset({"Major", "Certificate", "Occupation", "Industry", "Competition"})


class IndexedNode(Protocol):
    """What exact matching reads of an index node."""

    cls: str
    label: str
    context: str


def normal_label(text: str) -> str:
    """A label or query as compared: NFKC (full-width to half-width), no whitespace, case folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def normal_code(text: str) -> str:
    """A code as compared: NFKC, no whitespace, upper case (520101k is 520101K)."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


@dataclass
class ExactIndex:
    """Code -> nodes and normalised label -> nodes, over one index version's nodes (as rows of ``iris``)."""

    iris: Sequence[str] = ()
    codes: dict[str, list[int]] = field(default_factory=dict)
    labels: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, nodes: Mapping[str, IndexedNode], order: Sequence[str] | None = None) -> ExactIndex:
        """The maps of ``nodes``, whose rows are the IRIs in ``order`` (default: the mapping's own order)."""
        index = cls(list(nodes) if order is None else order)
        codes, labels = index.codes, index.labels
        for row, iri in enumerate(index.iris):
            node = nodes[iri]
            labels.setdefault(normal_label(node.label), []).append(row)
            if node.cls == "Certificate":
                for name in dict.fromkeys(normal_label(n) for n in _short_names(node)):
                    if name and row not in labels.setdefault(name, []):
                        labels[name].append(row)
            if node.cls in CODED_CLASSES and _CODE_TAG in node.context:
                for code in _codes(node.context):
                    codes.setdefault(normal_code(code), []).append(row)
        return index

    def to_json(self) -> dict[str, dict[str, list[int]]]:
        """Both maps, by row, to save beside the node table whose order ``iris`` is."""
        return {"codes": self.codes, "labels": self.labels}

    @classmethod
    def from_json(cls, data: Mapping[str, Mapping[str, list[int]]], iris: Sequence[str]) -> ExactIndex:
        """What ``to_json`` wrote, over the saved node table's IRIs; a row out of range raises IndexError
        when it is looked up."""
        return cls(iris, dict(data["codes"]), dict(data["labels"]))

    def by_code(self, query: str) -> list[str]:
        """The nodes whose code is the whole query, or all of it after a word saying it is a code (专业代码
        590302, code 460702); a code inside a longer query is no code match."""
        rows = self.codes.get(normal_code(query)) or self.codes.get(normal_code(_CODE_WORDS.sub("", query))) or []
        return [self.iris[row] for row in rows]

    def by_label(self, query: str) -> list[str]:
        """The nodes whose label (or a certificate's short name) is the whole query, normalised."""
        return [self.iris[row] for row in self.labels.get(normal_label(query), [])]


def _short_names(node: IndexedNode) -> Iterable[str]:
    """A certificate's other names: its label without 职业技能等级证书, its altLabels (又称)."""
    if node.label.endswith(CERTIFICATE_SUFFIX):
        yield node.label.removesuffix(CERTIFICATE_SUFFIX)
    for listed in _ALIASES.findall(node.context):
        yield from listed.split("、")


def _codes(context: str) -> Iterable[str]:
    """The values of the context's ``代码 X`` parts (str.find: this runs over every node at each load)."""
    at = context.find(_CODE_TAG)
    while at >= 0:
        end = context.find("；", at)
        if at == 0 or context[at - 1] == "；":
            yield context[at + len(_CODE_TAG):end if end >= 0 else len(context)]
        at = context.find(_CODE_TAG, at + 1)
