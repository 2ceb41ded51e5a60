"""`vetgraph align suggest`: the links of one major, certificate, course or provision, stated first, then peers'.

A major's certificates are those its profile states (method ``stated``) and, suggested, those its
peers state: the same major name at another level, the majors its 接续专业 names or that name it,
the majors of its 专业类, and the few majors whose names, courses and occupations read most like its
own (method ``peer``, scored by how many peers state it and how close they are). A certificate's
suggestions are the majors and courses linked to it (or to its levels).
Links whose latest review is ``rejected`` never appear; reviewed ones carry the decision.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING

from kg.align.reviews import latest_decisions, rejected_pairs
from kg.align.similarity import name_similarity
from kg.core import iris
from kg.core.rdf import string
from kg.errors import VetgraphError
from kg.store.base import GraphStore

if TYPE_CHECKING:
    from kg.align.certificate_text import CertificateText

#: How much one peer that states a certificate counts, by how the peer relates to the major.
PEER_WEIGHTS = {"same-name": 0.9, "next-major": 0.7, "same-category": 0.5}
DEFAULT_TYPES = {"Major": "Certificate", "Certificate": "Major", "Course": "Certificate", "Provision": "Industry"}


@dataclass(frozen=True)
class Suggestion:
    """One linked node as `align suggest --json` prints it."""

    iri: str
    type: str
    label: str
    code: str | None
    score: float
    method: str
    resolved_by: str
    strength: str
    status: str
    alignment: str | None = None
    level: str | None = None
    evidence: str | None = None
    #: majors most like this one that are linked to the suggested node (kg.graph.similar, added by the CLI)
    similar_majors: list[dict[str, object]] | None = None

    def to_json(self) -> dict[str, object]:
        return {key: value for key, value in asdict(self).items() if value is not None or key == "code"}


LINKS = """
SELECT ?alignment ?other ?method ?resolved ?score ?strength ?status WHERE {{
  ?alignment a vet:Alignment ; vet:{near} <{node}> ; vet:{far} ?other .
  OPTIONAL {{ ?alignment vet:method ?method }} OPTIONAL {{ ?alignment vet:resolvedBy ?resolved }}
  OPTIONAL {{ ?alignment vet:score ?score }} OPTIONAL {{ ?alignment vet:strength ?strength }}
  OPTIONAL {{ ?alignment vet:reviewStatus ?status }}
}}"""
NODES = """
SELECT ?node ?class ?label ?code ?certificate ?levelName WHERE {{
  VALUES ?node {{ {nodes} }}
  ?node a ?class . FILTER(STRSTARTS(STR(?class), STR(vet:)))
  OPTIONAL {{ ?node skos:prefLabel ?label }}
  OPTIONAL {{ ?node skos:notation ?code }}
  OPTIONAL {{ ?certificate vet:hasLevel ?node . ?node vet:levelName ?levelName }}
}}"""


def suggest(store: GraphStore, node: str, *, node_type: str, types: list[str] | None = None,
            top: int = 10) -> list[Suggestion]:
    """Linked nodes of ``node`` (a Major, Certificate, Course or Provision IRI), best first, filtered then cut."""
    wanted = types or [DEFAULT_TYPES[node_type]]
    decisions = latest_decisions(store)
    found = _links(store, node, "alignmentSource", "alignmentTarget", decisions)
    found += _links(store, node, "alignmentTarget", "alignmentSource", decisions)
    if node_type == "Certificate":
        for level in _levels(store, node):
            found += _links(store, level, "alignmentTarget", "alignmentSource", decisions)
    suggestions = _describe(store, found)
    closeness: dict[str, float] = {}
    if node_type == "Major" and "Certificate" in wanted:
        stated = {s.iri for s in suggestions if s.type == "Certificate"}
        peers = [s for s in peer_certificates(store, node, decisions) if s.iri not in stated]
        suggestions += with_text_certificates(store, node, peers, stated, decisions)
    if node_type == "Course" and "Certificate" in wanted:
        linked = {s.iri for s in suggestions if s.type == "Certificate"}
        suggestions += course_certificates(store, node, linked, decisions)
    if node_type == "Provision" and {"Major", "Certificate"} & set(wanted):
        suggestions += through_industries(store, node, decisions)
    name = _label(store, node)
    every_major: dict[str, float] | None = None  # a certificate's closeness to every major, when it was needed
    for cls in ("Major", "Industry"):
        if cls in wanted and node_type in NAME_FALLBACK.get(cls, ()) and name:
            linked = {s.iri for s in suggestions if s.type == cls}
            if node_type == "Certificate" and not any(s.method == "stated" or s.status == "accepted"
                                                       for s in suggestions if s.type == cls):
                every_major = certificate_closeness(store, name, None)  # nothing states its majors: read their texts
            suggestions += [s for s in similar_names(store, node, name, cls, decisions, closeness=every_major)
                            if s.iri not in linked]
    pairs = rejected_pairs(store)
    refused = {target for source, target in pairs if source == node} | {source for source, target in pairs
                                                                         if target == node}
    kept = _best_per_node([s for s in suggestions if s.type in wanted
                           and (s.iri not in refused or s.status == "accepted")])
    if node_type == "Certificate" and name:
        stated_majors = [s for s in kept if s.type == "Major" and (s.method == "stated" or s.status == "accepted")]
        majors = [s.iri for s in kept if s.type == "Major"]
        closeness = ({iri: every_major.get(iri, 0.0) for iri in majors} if every_major is not None
                     else certificate_closeness(store, name, majors))
        for iri, share in category_shares(stated_majors).items():
            closeness[iri] = closeness.get(iri, 0.0) + CATEGORY_WEIGHT * share
    return sorted(kept, key=lambda item: _rank(item, name, closeness))[:top]


def _rank(item: Suggestion, name: str = "", closeness: dict[str, float] | None = None) -> tuple[int, float, float, str]:
    """Stated and accepted links first, the ones whose name (and texts, ``closeness``) are closest to the
    node's first among them; then suggestions by score."""
    similarity = name_similarity(name, item.label) if name else 0.0
    similarity += (closeness or {}).get(item.iri, 0.0)
    if item.status == "accepted" or item.method == "stated":
        return 0, -similarity, -item.score, item.label
    return 1, -item.score, -similarity, item.label


def stored_links(store: GraphStore, node: str, decisions: dict[str, str]) -> list[Suggestion]:
    """The stored alignments from and to ``node`` (rejected ones left out, reviewed ones carrying the decision)."""
    found = _links(store, node, "alignmentSource", "alignmentTarget", decisions)
    found += _links(store, node, "alignmentTarget", "alignmentSource", decisions)
    return _describe(store, found)


def _label(store: GraphStore, node: str) -> str:
    rows = store.select(f"SELECT ?l WHERE {{ <{node}> skos:prefLabel ?l }} LIMIT 1")
    return rows[0]["l"] if rows else ""


#: Which node types get name-similarity suggestions of a class when nothing better is known.
NAME_FALLBACK = {"Major": ("Certificate",), "Industry": ("Major",)}
#: Name-similarity suggestions score below stated links and most peer suggestions.
NAME_WEIGHT = 0.5
NAME_CANDIDATES = {"Major": "SELECT ?n ?l WHERE { ?n a vet:Major ; skos:prefLabel ?l }",
                   "Industry": "SELECT ?n ?l ?c WHERE { ?n a vet:Industry ; skos:prefLabel ?l ; skos:notation ?c }"}


def similar_names(store: GraphStore, node: str, name: str, cls: str, decisions: dict[str, str],
                  limit: int = 10, closeness: dict[str, float] | None = None) -> list[Suggestion]:
    """The ``limit`` nodes of ``cls`` whose names are closest to ``name`` (method ``text``), 门类 letters left out.

    ``closeness`` (node IRI -> 0 to 1: how close ``name`` is to the node's texts) is added to the name
    similarity: a certificate no profile states is ranked against every major's courses and profile,
    not its name alone (工业数字孪生建模与应用 is closer to 数字孪生应用技术's courses than to names that
    share 建模与应用).
    """
    closeness = closeness or {}
    scored = []
    for row in store.select(NAME_CANDIDATES[cls]):
        if row.get("c", "0").isalpha():
            continue
        similarity = name_similarity(name, row["l"])
        text = closeness.get(row["n"], 0.0)
        if similarity + text > 0:
            scored.append((similarity + text, similarity, row["n"]))
    scored.sort(key=lambda item: (-item[0], item[2]))
    rows = [_row(iris.alignment(node, other, f"name-{cls.lower()}").value, other, "text", "name",
                 NAME_WEIGHT * score / (2 if closeness else 1), decisions) for score, _, other in scored[:limit]]
    by_name = {other: similarity for _, similarity, other in scored[:limit]}
    return [replace(s, evidence=f"名称相近：{name} ~ {s.label}" if by_name.get(s.iri, 0.0) > 0
                    else f"文本相近：{name} ~ {s.label}的课程与职业面向")
            for s in _describe(store, _kept(rows))]


def _row(alignment: str, other: str, method: str, resolved: str, score: float,
         decisions: dict[str, str]) -> dict[str, str] | None:
    """A computed link as a row for ``_describe``, carrying its latest review; None when it was rejected."""
    status = decisions.get(alignment, "proposed")
    if status == "rejected":
        return None
    return {"alignment": alignment, "other": other, "method": method, "resolved": resolved,
            "score": f"{score:.4f}", "strength": "minor", "status": status}


def _kept(rows: list[dict[str, str] | None]) -> list[dict[str, str]]:
    return [row for row in rows if row is not None]


def _best_per_node(items: list[Suggestion]) -> list[Suggestion]:
    best: dict[str, Suggestion] = {}
    for item in items:
        if item.iri not in best or _rank(item)[:2] < _rank(best[item.iri])[:2]:
            best[item.iri] = item
    return list(best.values())


def _links(store: GraphStore, node: str, near: str, far: str, decisions: dict[str, str]) -> list[dict[str, str]]:
    rows = store.select(LINKS.format(near=near, far=far, node=node))
    kept = []
    for row in rows:
        decision = decisions.get(row["alignment"])
        if decision == "rejected":
            continue
        if decision:
            row["status"] = decision
        kept.append(row)
    return kept


def _levels(store: GraphStore, certificate: str) -> list[str]:
    return [row["l"] for row in store.select(f"SELECT ?l WHERE {{ <{certificate}> vet:hasLevel ?l }}")]


def _describe(store: GraphStore, rows: list[dict[str, str]]) -> list[Suggestion]:
    """Rows of links -> suggestions; a certificate level is reported on its certificate with a level field."""
    if not rows:
        return []
    info = _node_info(store, {row["other"] for row in rows})
    out = []
    for row in rows:
        other = info.get(row["other"])
        if other is None:
            continue
        iri, cls, label, code, level = other
        out.append(Suggestion(iri=iri, type=cls, label=label, code=code, score=float(row.get("score", "1")),
                              method=row.get("method", "stated"), resolved_by=row.get("resolved", "name"),
                              strength=row.get("strength", "exact"), status=row.get("status", "proposed"),
                              alignment=row["alignment"], level=level))
    return out


def _node_info(store: GraphStore, nodes: set[str]) -> dict[str, tuple[str, str, str, str | None, str | None]]:
    """IRI -> (reported IRI, class, label, code, level) with levels folded into their certificates."""
    values = " ".join(f"<{n}>" for n in sorted(nodes))
    rows = store.select(NODES.format(nodes=values))
    levels = {row["node"]: (row["certificate"], row["levelName"]) for row in rows if "certificate" in row}
    if levels:
        rows += store.select(NODES.format(nodes=" ".join(f"<{c}>" for c, _ in set(levels.values()))))
    facts: dict[str, tuple[str, str, str | None]] = {}
    for row in rows:
        cls = row["class"].rsplit("#", 1)[-1]
        if cls in ("Mention", "Alignment"):
            continue
        label = row.get("label", row["node"])
        known = facts.get(row["node"])
        if known is None or cls != "CertificateLevel" and known[0] == "CertificateLevel":
            facts[row["node"]] = (cls, label, row.get("code"))
    out: dict[str, tuple[str, str, str, str | None, str | None]] = {}
    for node, (cls, label, code) in facts.items():
        if node in levels:
            certificate, level = levels[node]
            if certificate in facts:
                c_cls, c_label, c_code = facts[certificate]
                out[node] = (certificate, c_cls, c_label, c_code, level)
                continue
        out[node] = (node, cls, label, code, None)
    return out


PEERS = """
SELECT DISTINCT ?peer ?relation WHERE {{
  <{major}> skos:prefLabel ?name .
  {{ ?peer a vet:Major ; skos:prefLabel ?name . BIND("same-name" AS ?relation) }}
  UNION {{ ?a vet:alignmentType "major-next-major" ; vet:alignmentSource <{major}> ; vet:alignmentTarget ?peer .
           BIND("next-major" AS ?relation) }}
  UNION {{ ?a vet:alignmentType "major-next-major" ; vet:alignmentTarget <{major}> ; vet:alignmentSource ?peer .
           BIND("next-major" AS ?relation) }}
  UNION {{ <{major}> skos:broader ?category . ?category a vet:MajorCategory . ?peer a vet:Major ; skos:broader ?category .
           BIND("same-category" AS ?relation) }}
  FILTER(?peer != <{major}>)
}}"""
STATED = """
SELECT ?major ?certificate ?alignment WHERE {{
  VALUES ?major {{ {majors} }}
  ?alignment vet:alignmentType "major-certificate" ; vet:method "stated" ;
             vet:alignmentSource ?major ; vet:alignmentTarget ?certificate .
}}"""


def peer_certificates(store: GraphStore, major: str, decisions: dict[str, str]) -> list[Suggestion]:
    """Certificates the major's peers state, scored by the strongest peers that state them (method ``peer``)."""
    relations: dict[str, str] = {}
    for row in store.select(PEERS.format(major=major)):
        if PEER_WEIGHTS[row["relation"]] > PEER_WEIGHTS.get(relations.get(row["peer"], ""), 0):
            relations[row["peer"]] = row["relation"]
    weights: dict[str, list[float]] = defaultdict(list)
    evidence: dict[str, str] = {}
    if relations:
        for row in store.select(STATED.format(majors=" ".join(f"<{p}>" for p in sorted(relations)))):
            if decisions.get(row["alignment"]) == "rejected":
                continue
            weights[row["certificate"]].append(PEER_WEIGHTS[relations[row["major"]]])
            evidence.setdefault(row["certificate"], row["major"])
    peers = len(relations)
    scores = {certificate: max(found) * (0.5 + 0.5 * min(1.0, len(found) / max(1, min(peers, 5))))
              for certificate, found in weights.items()}
    for certificate, (closeness, neighbour) in similar_majors_state(store, major, decisions).items():
        # what the majors most like this one state, beside its catalogue peers (a noisy-or of the two)
        scores[certificate] = 1 - (1 - scores.get(certificate, 0.0)) * (1 - min(1.0, SIMILAR_WEIGHT * closeness))
        evidence.setdefault(certificate, neighbour)
    rows = [_row(iris.alignment(major, certificate, "major-certificate-peer").value, certificate, "peer", "name",
                 score, decisions) for certificate, score in scores.items()]
    described = _describe(store, _kept(rows))
    return [replace(s, evidence=evidence.get(s.iri)) for s in described]


#: How many of the majors whose texts are closest to a major count as its peers, and how much the sum
#: of their cosines counts for a certificate they state (tuned on the bench's dev majors only).
SIMILAR_MAJORS = 5
SIMILAR_WEIGHT = 0.4
STATING_MAJORS = """SELECT DISTINCT ?major WHERE { ?a vet:alignmentType "major-certificate" ; vet:method "stated" ;
                    vet:alignmentSource ?major }"""


def similar_majors_state(store: GraphStore, major: str, decisions: dict[str, str]) -> dict[str, tuple[float, str]]:
    """Certificate IRI -> (the summed cosines of the nearest majors that state it, the nearest of them).

    The neighbours are the SIMILAR_MAJORS majors that state any certificate whose name, courses and
    occupations are closest to ``major``'s (kg.align.major_neighbours).
    """
    from kg.align.major_neighbours import nearest_majors

    stating = {row["major"] for row in store.select(STATING_MAJORS)}
    neighbours = nearest_majors(store, major, stating, SIMILAR_MAJORS)
    if not neighbours:
        return {}
    closeness = dict(neighbours)
    out: dict[str, tuple[float, str]] = {}
    for row in store.select(STATED.format(majors=" ".join(f"<{m}>" for m, _ in neighbours))):
        if decisions.get(row["alignment"]) == "rejected":
            continue
        total, nearest = out.get(row["certificate"], (0.0, row["major"]))
        if closeness[row["major"]] > closeness[nearest]:
            nearest = row["major"]
        out[row["certificate"]] = (total + closeness[row["major"]], nearest)
    return out


def find_certificate(store: GraphStore, name: str) -> str:
    """The IRI of the certificate ``name`` names (full or short, any spelling); VetgraphError when none."""
    from kg.align.aliases import default_certificate_aliases
    from kg.align.catalogue import Catalogue
    from kg.align.names import resolve_certificate

    found = resolve_certificate(name, Catalogue.load(store, ["certificates"]), default_certificate_aliases())
    if not found:
        rows = store.select("SELECT ?c WHERE { ?c a vet:Certificate ; skos:prefLabel ?l . FILTER(STR(?l) = "
                            f"{string(name)}) }}")
        if rows:
            return rows[0]["c"]
        raise VetgraphError(f"no certificate named '{name}' in the store")
    return found[0].iri


THROUGH_INDUSTRIES = """
SELECT ?industry ?first ?second ?major ?s1 ?s2 WHERE {{
  ?first vet:alignmentType "provision-industry" ; vet:alignmentSource <{provision}> ; vet:alignmentTarget ?industry .
  ?second vet:alignmentTarget ?industry ; vet:alignmentSource ?major ; vet:alignmentType ?kind .
  FILTER(?kind IN ("major-industry", "major-industry-text"))
  OPTIONAL {{ ?first vet:score ?s1 }} OPTIONAL {{ ?second vet:score ?s2 }}
}}"""


def through_industries(store: GraphStore, provision: str, decisions: dict[str, str]) -> list[Suggestion]:
    """The majors that serve the industries a provision names, and the certificates those majors state.

    Method ``derived`` (a chain provision -> industry <- major [-> certificate]); the score is the
    product of the links' scores, the evidence the industry the chain passes through.
    """
    best: dict[str, tuple[float, str]] = {}
    for row in store.select(THROUGH_INDUSTRIES.format(provision=provision)):
        if decisions.get(row["first"]) == "rejected" or decisions.get(row["second"]) == "rejected":
            continue
        score = float(row.get("s1", "1")) * float(row.get("s2", "1"))
        if score > best.get(row["major"], (0.0, ""))[0]:
            best[row["major"]] = (score, row["industry"])
    rows = [_row(iris.alignment(provision, major, "provision-major").value, major, "derived", "name", score,
                 decisions) for major, (score, _) in best.items()]
    evidence = {major: industry for major, (_, industry) in best.items()}
    if best:
        certificates: dict[str, tuple[float, str]] = {}
        for row in store.select(STATED.format(majors=" ".join(f"<{m}>" for m in sorted(best)))):
            if decisions.get(row["alignment"]) == "rejected":
                continue
            score = best[row["major"]][0]
            if score > certificates.get(row["certificate"], (0.0, ""))[0]:
                certificates[row["certificate"]] = (score, best[row["major"]][1])
        rows += [_row(iris.alignment(provision, certificate, "provision-certificate").value, certificate, "derived",
                      "name", score, decisions) for certificate, (score, _) in certificates.items()]
        evidence.update({certificate: industry for certificate, (_, industry) in certificates.items()})
    return [replace(s, evidence=evidence.get(s.iri)) for s in _describe(store, _kept(rows))]


#: How much text closeness counts beside peers' statements (a major's certificates) and beside name
#: closeness (ranking a certificate's stated majors); these weights were tuned on the bench's dev split only.
TEXT_WEIGHT = 0.3
CLOSENESS_WEIGHT = 1.0
#: At most this many certificates suggested on text closeness alone.
TEXT_ONLY = 30


def with_text_certificates(store: GraphStore, major: str, peers: list[Suggestion], stated: set[str],
                           decisions: dict[str, str]) -> list[Suggestion]:
    """Peer suggestions with their text closeness added, and certificates close to the major's texts that
    no peer states (method ``text``, ``resolved_by`` ``text``, evidence the shared word pieces)."""
    from kg.align.certificate_text import CertificateText
    from kg.align.tfidf import shared

    texts = CertificateText(store)
    vector = texts.major_vectors([major]).get(major, {})
    closeness = dict(texts.closest_certificates(vector)) if vector else {}
    out = [replace(s, score=round(min(1.0, s.score + TEXT_WEIGHT * closeness.get(s.iri, 0.0)), 4)) for s in peers]
    taken = stated | {s.iri for s in peers}
    rows, evidence = [], {}
    for certificate, score in closeness.items():
        if certificate in taken or len(rows) >= TEXT_ONLY:
            continue
        row = _row(iris.alignment(major, certificate, "major-certificate-text").value, certificate, "text", "text",
                   TEXT_WEIGHT * score, decisions)
        if row is not None:
            rows.append(row)
            evidence[certificate] = "文本相近：" + "、".join(shared(vector, texts.vectors[certificate]))
    return out + [replace(s, evidence=evidence.get(s.iri)) for s in _describe(store, rows)]


def certificate_closeness(store: GraphStore, name: str, majors: list[str] | None) -> dict[str, float]:
    """Major IRI -> how close the certificate name ``name`` is to the major's texts (0 to 1); every
    major when ``majors`` is None."""
    if majors is not None and not majors:
        return {}
    from kg.align.certificate_text import CertificateText
    from kg.align.tfidf import cosine

    texts = CertificateText(store)
    wanted = texts.name_vector(name)
    return {major: CLOSENESS_WEIGHT * cosine(wanted, vector) for major, vector in texts.major_vectors(majors).items()}


#: How much it counts that a stated major's 专业类 holds many of the certificate's stated majors.
CATEGORY_WEIGHT = 0.5


def category_key(code: str) -> str:
    """The 专业类 of a major code with its level left out: 530701, 330701 and 730701 are all 电子商务类 (1907)."""
    return f"{int(code[:2]) % 20:02d}{code[2:4]}"


def category_shares(majors: list[Suggestion]) -> dict[str, float]:
    """Major IRI -> the share of these majors in its 专业类 (any level): where a certificate's home is."""
    keys = {s.iri: category_key(s.code) for s in majors if s.code and s.code[:2].isdigit()}
    counts: dict[str, int] = defaultdict(int)
    for key in keys.values():
        counts[key] += 1
    return {iri: counts[key] / len(keys) for iri, key in keys.items()}


COURSE = """
SELECT ?label ?major WHERE {{ <{course}> skos:prefLabel ?label . OPTIONAL {{ <{course}> vet:forMajor ?major }} }}"""
#: A course's certificates: those its major states, by how close the course name is to theirs (at
#: least COURSE_PEER_FLOOR), then any certificate whose name is close to the course's (at most half).
COURSE_PEER_FLOOR = 0.4
COURSE_TEXT_WEIGHT = 0.5
COURSE_MIN_CLOSENESS = 0.1


def course_certificates(store: GraphStore, course: str, linked: set[str], decisions: dict[str, str],
                        texts: CertificateText | None = None) -> list[Suggestion]:
    """Certificates a course may prepare for, beyond what its course standard states.

    Method ``peer`` for a certificate the course's major states (evidence: the major), scored by how
    close the course's name is to the certificate's; method ``text`` for one whose name alone is close.
    """
    from kg.align.certificate_text import CertificateText
    from kg.align.tfidf import cosine, shared

    rows = store.select(COURSE.format(course=course))
    if not rows:
        return []
    texts = texts or CertificateText(store)
    vector = texts.name_vector(rows[0]["label"])
    majors = sorted({row["major"] for row in rows if "major" in row})
    stated = store.select(STATED.format(majors=" ".join(f"<{m}>" for m in majors))) if majors else []
    of_major = {row["certificate"]: row["major"] for row in stated if decisions.get(row["alignment"]) != "rejected"}
    found, evidence = [], {}
    for certificate, name_vector in texts.vectors.items():
        if certificate in linked:
            continue
        closeness = cosine(vector, name_vector)
        if certificate in of_major:
            score, method, kind = COURSE_PEER_FLOOR + (1 - COURSE_PEER_FLOOR) * closeness, "peer", "course-certificate-peer"
            evidence[certificate] = of_major[certificate]
        elif closeness >= COURSE_MIN_CLOSENESS:
            score, method, kind = COURSE_TEXT_WEIGHT * closeness, "text", "course-certificate-text"
            evidence[certificate] = "文本相近：" + "、".join(shared(vector, name_vector))
        else:
            continue
        found.append(_row(iris.alignment(course, certificate, kind).value, certificate, method,
                          "text" if method == "text" else "name", score, decisions))
    return [replace(s, evidence=evidence.get(s.iri)) for s in _describe(store, _kept(found))]
