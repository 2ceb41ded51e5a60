"""Node texts: one indexed text per searchable node, built from the graph with one query per facet."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator

from kg.core.levels import CERTIFICATE_LEVEL_NAMES, level_rank
from kg.search.base import NodeText
from kg.store.base import GraphStore

CLASS_NAMES = {"Major": "专业", "Course": "课程", "Certificate": "职业技能等级证书", "Occupation": "职业",
               "Industry": "行业", "Provision": "条款", "LearningOutcome": "学习目标", "Target": "量化目标",
               "Competition": "技能大赛赛项"}
OUTCOME_KINDS = {"knowledge": "知识目标", "skill": "技能目标", "attitude": "素质目标"}
#: Names how lexical_text builds BM25 documents; change it with lexical_text so saved indexes re-tokenize.
LEXICAL_FORMAT = "label-x2+embedded/1"
LABEL_REPEATS = 2  # BM25 sees the label this many extra times: nDCG@10 0.385 -> 0.432 on bench/search_queries
PARAGRAPH = "\n\n"  # paragraphs of a node's text are chunked apart (kg.search.chunking)
BOILERPLATE_MAJORS = 20  # a competency text in more majors' profiles than this is left out of their texts
_SPACE = re.compile(r"\s+")
_LEADING = re.compile(r"^[^\w（(“\"]+")
_SENTENCE_END = "。；！？!?;\n"


def node_texts(store: GraphStore, *, include_flagged_courses: bool = False) -> list[NodeText]:
    """Every searchable node's text, sorted by IRI; courses flagged by vet:parseQuality only when asked."""
    builders: list[Callable[[GraphStore], Iterable[NodeText]]] = [
        _majors, lambda s: _courses(s, include_flagged_courses), _certificates, _occupations, _industries,
        _provisions, _outcomes, _targets, _competitions]
    return sorted((node for build in builders for node in build(store)), key=lambda n: n.iri)


def embedded_text(node: NodeText) -> str:
    """What is embedded and scored for a node: its label (unless the text holds it), its text, its context."""
    return "\n".join(part for part in (label_prefix(node.label, node.text), node.text, node.context) if part)


def lexical_text(node: NodeText) -> str:
    """What BM25 scores: the embedded text with the label twice more in front (a title weight, bench-tuned)."""
    return "\n".join([node.label] * LABEL_REPEATS + [embedded_text(node)])


def make_node(iri: str, cls: str, label: str, text: str, level: str | None, context: list[str]) -> NodeText:
    """A NodeText with the class name leading its context and the digest of what gets embedded."""
    joined = "；".join([CLASS_NAMES[cls], *(c for c in context if c)])
    draft = NodeText(iri=iri, cls=cls, label=label, text=text or label, level=level, digest="", context=joined)
    digest = hashlib.sha256(f"{cls}\n{level or ''}\n{embedded_text(draft)}".encode()).hexdigest()
    return NodeText(iri=iri, cls=cls, label=label, text=draft.text, level=level, digest=digest, context=joined)


# -- the classes ---------------------------------------------------------------------------------
def _majors(store: GraphStore) -> Iterator[NodeText]:
    rows = _one(store, "SELECT DISTINCT ?s ?label ?code ?level WHERE { ?s a vet:Major ; skos:prefLabel ?label . "
                       "OPTIONAL { ?s skos:notation ?code } OPTIONAL { ?s vet:level ?level } }")
    categories = _many(store, "SELECT DISTINCT ?s ?v ?k WHERE { ?s a vet:Major ; skos:broader+ ?c . "
                              "?c skos:prefLabel ?v . OPTIONAL { ?c skos:notation ?k } }", nearest_first=True)
    jobs = _many(store, "SELECT DISTINCT ?s ?v ?k WHERE { ?s a vet:Major ; vet:preparesFor ?o . "
                        "?o skos:prefLabel ?v . OPTIONAL { ?o skos:notation ?k } }")
    profiles = _one(store, "SELECT ?s ?orientation WHERE { ?p a vet:MajorProfile ; vet:profileOf ?s ; "
                           "vet:occupationalOrientation ?orientation }")
    abilities = _many(store, "SELECT DISTINCT ?s ?v ?k WHERE { ?f vet:frameworkOf ?s . ?c ceasn:isPartOf ?f ; "
                             "ceasn:competencyText ?v . OPTIONAL { ?c vet:order ?k } }", numeric=True)
    core = _many(store, "SELECT DISTINCT ?s ?v WHERE { ?p a vet:MajorProfile ; vet:profileOf ?s ; vet:coreCourse ?c . "
                        "?c skos:prefLabel ?v }")
    shared = _boilerplate(abilities)
    for iri, row in rows.items():
        names = categories.get(iri, [])
        kinds = ["专业类", "专业大类"] if len(names) == 2 else ["类别"] * len(names)
        profile = profile_text(profiles.get(iri, {}).get("orientation", ""),
                               [a for a in abilities.get(iri, []) if a not in shared], core.get(iri, []))
        text = PARAGRAPH.join(part for part in (row["label"], profile) if part)  # the name, then the profile
        yield make_node(iri, "Major", row["label"], text, row.get("level"), [
            row.get("level", ""), _tagged("代码", row.get("code")),
            *(f"{kind}：{name}" for kind, name in zip(kinds, names)), _listed("职业面向", jobs.get(iri))])


def _courses(store: GraphStore, include_flagged: bool) -> Iterator[NodeText]:
    rows = _one(store, "SELECT DISTINCT ?s ?label ?flag ?nature ?description WHERE { ?s a vet:Course ; "
                       "skos:prefLabel ?label . OPTIONAL { ?s vet:parseQuality ?flag } "
                       "OPTIONAL { ?s vet:courseNature ?nature } OPTIONAL { ?s dcterms:description ?description } }")
    majors = _one_list(store, "SELECT DISTINCT ?s ?major ?code ?level WHERE { ?s a vet:Course ; vet:forMajor ?m . "
                              "?m skos:prefLabel ?major . OPTIONAL { ?m skos:notation ?code } "
                              "OPTIONAL { ?m vet:level ?level } }")
    modules = _many(store, "SELECT DISTINCT ?s ?v ?k WHERE { ?s a vet:Course ; vet:hasModule ?m . "
                           "?m skos:prefLabel ?v . OPTIONAL { ?m vet:position ?k } }", numeric=True)
    for iri, row in rows.items():
        if row.get("flag") and not include_flagged:
            continue
        its_majors = majors.get(iri, [])
        levels = sorted({m["level"] for m in its_majors if m.get("level")}, key=level_rank)
        major_names = [f"{m['major']}（{m['level']}）" if m.get("level") else m["major"] for m in its_majors]
        yield make_node(iri, "Course", row["label"], row.get("description") or row["label"],
                        levels[0] if levels else None,
                        [row.get("nature", ""), _listed("专业", major_names), _listed("学习项目", modules.get(iri))])


def _certificates(store: GraphStore) -> Iterator[NodeText]:
    rows = _one(store, "SELECT DISTINCT ?s ?label WHERE { ?s a vet:Certificate ; skos:prefLabel ?label }")
    aliases = _many(store, "SELECT DISTINCT ?s ?v WHERE { ?s a vet:Certificate ; skos:altLabel ?v }")
    issuers = _many(store, "SELECT DISTINCT ?s ?v WHERE { ?s a vet:Certificate ; vet:issuedBy ?o . "
                           "?o skos:prefLabel ?v }")
    levels = _many(store, "SELECT DISTINCT ?s ?v WHERE { ?s a vet:Certificate ; vet:hasLevel ?l . "
                          "?l vet:levelName ?v }")
    for iri, row in rows.items():
        ordered = sorted(levels.get(iri, []), key=lambda v: (CERTIFICATE_LEVEL_NAMES + (v,)).index(v))
        yield make_node(iri, "Certificate", row["label"], row["label"], None, [
            _listed("又称", aliases.get(iri)), _listed("培训评价组织", issuers.get(iri)), _listed("等级", ordered)])


def _occupations(store: GraphStore) -> Iterator[NodeText]:
    rows = _one(store, "SELECT DISTINCT ?s ?label ?code ?definition ?green ?digital WHERE { ?s a vet:Occupation ; "
                       "skos:prefLabel ?label . OPTIONAL { ?s skos:notation ?code } "
                       "OPTIONAL { ?s skos:definition ?definition } OPTIONAL { ?s vet:greenMarker ?green } "
                       "OPTIONAL { ?s vet:digitalMarker ?digital } }")
    groups = _many(store, "SELECT DISTINCT ?s ?v ?k WHERE { ?s a vet:Occupation ; skos:broader+ ?g . "
                          "?g skos:prefLabel ?v . OPTIONAL { ?g skos:notation ?k } }", nearest_first=True)
    work_types = _many(store, "SELECT DISTINCT ?s ?v WHERE { ?s a vet:Occupation ; vet:includedWorkTypes ?v }")
    for iri, row in rows.items():
        yield make_node(iri, "Occupation", row["label"], row.get("definition") or row["label"], None, [
            _tagged("代码", row.get("code")), "绿色职业" if row.get("green") == "true" else "",
            "数字职业" if row.get("digital") == "true" else "", _listed("分组", groups.get(iri)),
            _listed("包含工种", work_types.get(iri))])


def _industries(store: GraphStore) -> Iterator[NodeText]:
    rows = _one(store, "SELECT DISTINCT ?s ?label ?code ?definition ?rank WHERE { ?s a vet:Industry ; "
                       "skos:prefLabel ?label . OPTIONAL { ?s skos:notation ?code } "
                       "OPTIONAL { ?s skos:definition ?definition } OPTIONAL { ?s vet:industryLevel ?rank } }")
    parents = _many(store, "SELECT DISTINCT ?s ?v ?k WHERE { ?s a vet:Industry ; skos:broader+ ?p . "
                           "?p skos:prefLabel ?v . OPTIONAL { ?p skos:notation ?k } }", nearest_first=True)
    for iri, row in rows.items():
        yield make_node(iri, "Industry", row["label"], row.get("definition") or row["label"], None, [
            _tagged("代码", row.get("code")), row.get("rank", ""), _listed("上级", parents.get(iri))])


def _provisions(store: GraphStore) -> Iterator[NodeText]:
    rows = _one(store, "SELECT DISTINCT ?s ?label ?text ?title WHERE { ?s a vet:Provision ; rdfs:label ?label ; "
                       "vet:text ?text . OPTIONAL { ?s vet:inDocument ?d . ?d eli:title ?title } }")
    for iri, row in rows.items():
        yield make_node(iri, "Provision", row["label"], row["text"], None, [_titled(row.get("title"))])


def _outcomes(store: GraphStore) -> Iterator[NodeText]:
    rows = _one(store, "SELECT DISTINCT ?s ?text ?kind ?course ?level WHERE { ?s a vet:LearningOutcome ; "
                       "vet:text ?text . OPTIONAL { ?s vet:outcomeKind ?kind } OPTIONAL { ?c vet:hasOutcome ?s ; "
                       "skos:prefLabel ?course . OPTIONAL { ?c vet:forMajor/vet:level ?level } } }")
    for iri, row in rows.items():
        kind = row.get("kind", "")
        yield make_node(iri, "LearningOutcome", row["text"], row["text"], row.get("level"),
                        [OUTCOME_KINDS.get(kind, kind), _tagged("课程：", row.get("course"), "")])


def _targets(store: GraphStore) -> Iterator[NodeText]:
    rows = _one(store, "SELECT DISTINCT ?s ?label ?metric ?span ?start ?end ?text ?number ?plabel ?title WHERE { "
                       "?s a vet:Target ; rdfs:label ?label . OPTIONAL { ?s vet:metric ?metric } "
                       "OPTIONAL { ?s vet:spanText ?span } OPTIONAL { ?s vet:spanStart ?start ; vet:spanEnd ?end } "
                       "OPTIONAL { ?s vet:statedIn ?p . ?p rdfs:label ?plabel . OPTIONAL { ?p vet:text ?text } "
                       "OPTIONAL { ?p eli:number ?number } OPTIONAL { ?p vet:inDocument/eli:title ?title } } }")
    for iri, row in rows.items():
        sentence = target_sentence(row.get("text", ""), row.get("span", ""), row.get("start"), row.get("end"))
        yield make_node(iri, "Target", row["label"], sentence or row.get("span") or row["label"], None, [
            row.get("metric", ""), row.get("number") or row.get("plabel", ""), _titled(row.get("title"))])


def _competitions(store: GraphStore) -> Iterator[NodeText]:
    rows = _one(store, "SELECT DISTINCT ?s ?label ?series WHERE { ?s a vet:Competition ; skos:prefLabel ?label . "
                       "OPTIONAL { ?s vet:competitionSeries ?series } }")
    for iri, row in rows.items():
        yield make_node(iri, "Competition", row["label"], row["label"], None, [row.get("series", "")])


# -- helpers -------------------------------------------------------------------------------------
def profile_text(orientation: str, abilities: list[str], courses: list[str]) -> str:
    """A major's profile in words: its 职业面向 sentence, its 主要专业能力要求 and its 专业核心课程, verbatim."""
    orientation = orientation.strip()
    parts = [orientation if orientation.endswith(("。", ".")) else orientation + "。"] if orientation else []
    if abilities:
        parts.append("主要专业能力：" + "；".join(a.strip().rstrip("；;。") for a in abilities) + "。")
    if courses:
        parts.append("专业核心课程：" + "、".join(courses) + "。")
    return "".join(parts)


def _boilerplate(abilities: dict[str, list[str]]) -> set[str]:
    """Competency texts that many majors share word for word (具有终身学习…的能力): they tell majors apart not at all."""
    counts: dict[str, int] = {}
    for texts in abilities.values():
        for text in set(texts):
            counts[text] = counts.get(text, 0) + 1
    return {text for text, count in counts.items() if count > BOILERPLATE_MAJORS}


def target_sentence(text: str, span: str, start: str | None, end: str | None) -> str:
    """The sentence (up to 。；！？ or a line break) of a provision's text that holds a target's span, verbatim."""
    if not text or not span:
        return ""
    begin = int(start) if start is not None and start.isdigit() else -1
    finish = int(end) if begin >= 0 and end is not None and end.isdigit() else begin + len(span)
    if begin < 0 or text[begin:begin + len(span)] != span:  # offsets missing or off: find the span instead
        begin = text.find(span)
        if begin < 0:
            return ""
        finish = begin + len(span)
    left = max(text.rfind(mark, 0, begin) for mark in _SENTENCE_END) + 1
    rights = [i for i in (text.find(mark, finish) for mark in _SENTENCE_END) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()


def label_prefix(label: str, text: str) -> str:
    """The label, unless the text already starts with it (whitespace and a leading bullet aside)."""
    bare = _LEADING.sub("", _SPACE.sub("", text))
    return "" if bare.startswith(_LEADING.sub("", _SPACE.sub("", label))) else label


def _one(store: GraphStore, sparql: str) -> dict[str, dict[str, str]]:
    """One row per subject ?s; where the union graph repeats a subject, the smallest row wins (deterministic)."""
    chosen: dict[str, dict[str, str]] = {}
    for row in store.select(sparql):
        iri = row["s"]
        if iri not in chosen or sorted(row.items()) < sorted(chosen[iri].items()):
            chosen[iri] = row
    return chosen


def _one_list(store: GraphStore, sparql: str) -> dict[str, list[dict[str, str]]]:
    """Every distinct row per subject ?s, in a stable order."""
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in sorted(store.select(sparql), key=lambda r: sorted(r.items())):
        rows = grouped.setdefault(row["s"], [])
        if row not in rows:
            rows.append(row)
    return grouped


def _many(store: GraphStore, sparql: str, *, nearest_first: bool = False,
          numeric: bool = False) -> dict[str, list[str]]:
    """Distinct values ?v per subject ?s, ordered by the sort key ?k (a code or position), then by value."""
    def key(row: dict[str, str]) -> tuple[object, ...]:
        k = row.get("k", "")
        if numeric:
            return (int(k) if k.isdigit() else 10**9, row["v"])
        return (-len(k), k, row["v"]) if nearest_first else (k, row["v"])

    grouped: dict[str, list[str]] = {}
    for row in sorted(store.select(sparql), key=key):
        values = grouped.setdefault(row["s"], [])
        if row["v"] not in values:
            values.append(row["v"])
    return grouped


def _tagged(tag: str, value: str | None, space: str = " ") -> str:
    return f"{tag}{space}{value}" if value else ""


def _listed(tag: str, values: list[str] | None) -> str:
    return f"{tag}：{'、'.join(values)}" if values else ""


def _titled(title: str | None) -> str:
    return f"《{title}》" if title else ""
