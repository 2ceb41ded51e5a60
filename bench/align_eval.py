"""Score entity linking on the real graph against hand-made labels, each figure beside a name-only baseline.

Three figures, for the dev and the held-out split of bench/align_labels/ (a fixed hash of each id):

1. certificate -> major precision@1 and @3 (`align suggest` of a 1+X certificate, types Major);
2. major -> industry precision@1 at the GB/T 4754 大类 (division) level, and coverage;
3. for majors whose 专业简介 block is left out of the store, recall@10 and MRR@10 of the certificates
   their real profile lists, from the peer suggestions (on the 1+X certificates, and on all).

The baseline ranks candidates by character-bigram Jaccard between the query node's name and theirs.

    .venv/bin/python bench/align_eval.py                       # two real-data ingests, a few minutes
    .venv/bin/python bench/align_eval.py --home /tmp/align-eval --json /tmp/align-eval.json   # rerun: seconds
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.align.suggest import suggest
from kg.core import iris
from kg.core.names import certificate_key, normalise_name
from kg.store.base import GraphStore
from kg.store.home import Home

LABELS = ROOT / "bench" / "align_labels"
SPLITS = ("dev", "heldout")
#: The extra majors drawn from dev with --tuning-majors: a bigger tuning set for figure 3, never a goal.
TUNING = "dev+"
K = 10
#: The goals of the linking issue, checked on the held-out split only.
GOALS = {"cert->major p@1": 0.8, "major->division p@1": 0.75, "left-out certs MRR (1+X)": 0.7,
         "left-out certs MRR (all)": 0.7}
BLOCK_START = re.compile(r"^专业代码\s*(\d{6}K?)")


def split_of(key: str) -> str:
    """The split of a label id (certificate name, major code): fixed before any result was seen."""
    return "heldout" if int(hashlib.sha1(f"split:{key}".encode()).hexdigest()[:8], 16) % 2 else "dev"


def sample_order(key: str) -> int:
    """The order in which majors are drawn to have their profile left out."""
    return int(hashlib.sha1(f"heldout-majors:{key}".encode()).hexdigest()[:8], 16)


def load_labels(path: Path, key: str, values: str) -> list[dict]:
    """Label lines, checked: an id, a non-empty list and a split that matches the id's hash."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not row.get(key) or not row.get(values) or row.get("split") != split_of(row[key]):
            sys.exit(f"{path}:{number}: bad label line {line}")
        rows.append(row)
    return rows


# -- the baseline: name similarity alone -----------------------------------------------------------
def bigrams(text: str) -> set[str]:
    plain = normalise_name(text)
    return {plain[i:i + 2] for i in range(len(plain) - 1)} or {plain}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def by_name(query: str, candidates: Iterable[tuple[str, str]], k: int = K) -> list[str]:
    """Candidate ids (id, name) ranked by bigram Jaccard with ``query``; those sharing no bigram left out."""
    grams = bigrams(query)
    scored = [(jaccard(grams, bigrams(name)), key) for key, name in candidates]
    return [key for score, key in sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))][:k]


# -- the store ---------------------------------------------------------------------------------------
def ingest_into(home_dir: Path, data: Path, label: str) -> GraphStore:
    """A reader on home_dir, ingesting ``data`` first unless the home already holds it."""
    from kg.pipeline.run import ingest

    home = Home(home_dir)
    if home.is_empty():
        started = time.perf_counter()
        print(f"{label}: ingesting {data} into {home_dir} ...", file=sys.stderr, flush=True)
        ingest(home, [data])
        print(f"{label}: ingested in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    else:
        print(f"{label}: reusing {home_dir}", file=sys.stderr)
    return home.open_reader()


def names_of(store: GraphStore, cls: str) -> dict[str, str]:
    """IRI -> skos:prefLabel of every node of ``cls`` (the first label in sort order)."""
    rows = store.select(f"SELECT ?n ?l WHERE {{ ?n a vet:{cls} ; skos:prefLabel ?l }} ORDER BY ?n ?l")
    out: dict[str, str] = {}
    for row in rows:
        out.setdefault(row["n"], row["l"])
    return out


def catalogue_certificates(store: GraphStore) -> set[str]:
    """Certificates of the 1+X lists (not the ones linking made for names outside them)."""
    rows = store.select("SELECT ?c WHERE { ?c a vet:Certificate FILTER NOT EXISTS { ?c vet:outsideCatalogue true } }")
    return {row["c"] for row in rows}


def stated_certificates(store: GraphStore) -> dict[str, set[str]]:
    """Major IRI -> the certificates its profile lists (stated major -> certificate links)."""
    rows = store.select("""SELECT ?m ?c WHERE { ?a vet:alignmentType "major-certificate" ; vet:method "stated" ;
                           vet:alignmentSource ?m ; vet:alignmentTarget ?c }""")
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row["m"], set()).add(row["c"])
    return out


def skill_certificate_counts(store: GraphStore) -> dict[str, int]:
    """Major IRI -> how many 职业技能等级证书 its profile lists."""
    rows = store.select("""SELECT ?m (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a vet:Mention ;
        vet:mentionKind "skill-certificate" ; vet:mentionedIn ?p . ?p vet:profileOf ?m } GROUP BY ?m""")
    return {row["m"]: int(row["n"]) for row in rows}


def division(industry_code: str | None) -> str | None:
    """The 2-digit 大类 of a 大类/中类/小类 code; None for a 门类 letter or nothing."""
    return industry_code[:2] if industry_code and industry_code.isdigit() and len(industry_code) >= 2 else None


# -- held-out profiles -------------------------------------------------------------------------------
def without_profiles(data: Path, target: Path, codes: set[str]) -> int:
    """Copy ``data`` to ``target`` with the profile blocks of ``codes`` removed; the number of blocks removed."""
    removed = 0
    for source in sorted(p for p in data.rglob("*") if p.is_file()):
        dest = target / source.relative_to(data)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.parent.name != "profiles" or source.suffix != ".md":
            shutil.copyfile(source, dest)  # copyfile, not copy2: the sources are read-only
            continue
        kept, dropping = [], False
        for line in source.read_text(encoding="utf-8").splitlines(keepends=True):
            start = BLOCK_START.match(line)
            if start:
                dropping = start[1] in codes
                removed += dropping
            if not dropping:
                kept.append(line)
        dest.write_text("".join(kept), encoding="utf-8")
    return removed


# -- figures -----------------------------------------------------------------------------------------
@dataclass
class Figure:
    """One metric for both splits: per item (system, baseline) values."""

    name: str
    values: dict[str, list[tuple[float, float]]] = field(default_factory=lambda: {s: [] for s in (*SPLITS, TUNING)})

    def add(self, split: str, system: float, baseline: float) -> None:
        self.values[split].append((system, baseline))

    def means(self, split: str) -> tuple[float, float, int]:
        rows = self.values[split]
        if not rows:
            return float("nan"), float("nan"), 0
        return sum(r[0] for r in rows) / len(rows), sum(r[1] for r in rows) / len(rows), len(rows)


def precision_at(ranked: list[str], relevant: set[str], k: int) -> float:
    return sum(1 for item in ranked[:k] if item in relevant) / k


def recall_at(ranked: list[str], relevant: set[str], k: int = K) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant)


def reciprocal_rank(ranked: list[str], relevant: set[str], k: int = K) -> float:
    return next((1.0 / (rank + 1) for rank, item in enumerate(ranked[:k]) if item in relevant), 0.0)


def certificate_to_major(store: GraphStore, labels: list[dict], details: list[dict]) -> list[Figure]:
    """Figure 1: of a certificate's suggested majors, how many of the first 1 and 3 serve it."""
    majors = {iris.major_code(iri): name for iri, name in names_of(store, "Major").items()}
    certificates = set(names_of(store, "Certificate"))
    p1, p3, covered = Figure("cert->major p@1"), Figure("cert->major p@3"), Figure("cert->major coverage")
    for row in labels:
        node = iris.certificate(row["certificate"]).value
        if node not in certificates:
            sys.exit(f"certificate_majors.jsonl: {row['certificate']} is not a certificate of the graph")
        relevant = set(row["majors"])
        system = [iris.major_code(s.iri) or s.iri for s in suggest(store, node, node_type="Certificate",
                                                                     types=["Major"], top=K)]
        baseline = by_name(certificate_key(row["certificate"]), majors.items())
        p1.add(row["split"], precision_at(system, relevant, 1), precision_at(baseline, relevant, 1))
        p3.add(row["split"], precision_at(system, relevant, 3), precision_at(baseline, relevant, 3))
        covered.add(row["split"], float(bool(system)), float(bool(baseline)))
        details.append({"figure": 1, "certificate": row["certificate"], "split": row["split"],
                        "labelled": row["majors"], "system": system[:3], "baseline": baseline[:3]})
    return [p1, p3, covered]


def major_to_division(store: GraphStore, labels: list[dict], details: list[dict]) -> list[Figure]:
    """Figure 2: the division of a major's first industry link (a 门类 or no link is a miss)."""
    industries = {}
    for row in store.select("SELECT ?n ?code ?l WHERE { ?n a vet:Industry ; skos:notation ?code ; skos:prefLabel ?l }"):
        if division(row["code"]):
            industries[row["code"]] = row["l"]
    majors = names_of(store, "Major")
    p1, covered = Figure("major->division p@1"), Figure("major->division coverage")
    for row in labels:
        node = iris.major(row["major"]).value
        if node not in majors:
            sys.exit(f"major_divisions.jsonl: {row['major']} is not a major of the graph")
        relevant = set(row["divisions"])
        system = [s.code for s in suggest(store, node, node_type="Major", types=["Industry"], top=K)]
        baseline = by_name(majors[node], industries.items(), k=1)
        p1.add(row["split"], float(bool(system) and division(system[0]) in relevant),
               float(bool(baseline) and division(baseline[0]) in relevant))
        covered.add(row["split"], float(bool(system)), float(bool(baseline)))
        details.append({"figure": 2, "major": row["major"], "name": majors[node], "split": row["split"],
                        "labelled": row["divisions"], "system": system[:3], "baseline": baseline})
    return [p1, covered]


def left_out_majors(store: GraphStore, per_split: int) -> list[str]:
    """Major codes drawn by fixed hash among majors whose profile lists two or more 职业技能等级证书."""
    eligible = _eligible(store)
    chosen = {split: [c for c in eligible if split_of(c) == split][:per_split] for split in SPLITS}
    return sorted(chosen["dev"] + chosen["heldout"])


def tuning_majors(store: GraphStore, per_split: int, extra: int) -> list[str]:
    """The next ``extra`` dev majors after the ``per_split`` of figure 3, in the same order of draw."""
    return sorted([c for c in _eligible(store) if split_of(c) == "dev"][per_split:per_split + extra])


def _eligible(store: GraphStore) -> list[str]:
    counts = skill_certificate_counts(store)
    return sorted((c for iri, n in counts.items() if n >= 2 and (c := iris.major_code(iri))), key=sample_order)


def peer_certificates(store: GraphStore, full: GraphStore, codes: list[str], details: list[dict],
                      split_name: str | None = None) -> list[Figure]:
    """Figure 3: the left-out majors' listed certificates among their peer suggestions, on 1+X and on all
    (every major counted in ``split_name`` when given, else in its own split)."""
    stated = stated_certificates(full)
    onex = catalogue_certificates(store)
    certificates = names_of(store, "Certificate")
    everywhere = {**names_of(full, "Certificate"), **certificates}  # a name only a left-out profile gave
    majors = names_of(store, "Major")
    figures = {name: Figure(name) for name in ("left-out certs R@10 (1+X)", "left-out certs MRR (1+X)",
                                               "left-out certs R@10 (all)", "left-out certs MRR (all)")}
    for code in codes:
        node, split = iris.major(code).value, split_name or split_of(code)
        ranked = [s.iri for s in suggest(store, node, node_type="Major", types=["Certificate"], top=len(certificates))]
        baseline = by_name(majors[node], ((iri, certificate_key(name)) for iri, name in certificates.items()),
                           k=len(certificates))
        relevant = stated.get(node, set())
        for scope, keep in (("1+X", lambda iri: iri in onex), ("all", lambda iri: True)):
            wanted = {iri for iri in relevant if keep(iri)}
            if not wanted:
                continue  # a major listing no 1+X certificate says nothing about the 1+X ranking
            system_k = [iri for iri in ranked if keep(iri)][:K]
            baseline_k = [iri for iri in baseline if keep(iri)][:K]
            figures[f"left-out certs R@10 ({scope})"].add(split, recall_at(system_k, wanted),
                                                          recall_at(baseline_k, wanted))
            figures[f"left-out certs MRR ({scope})"].add(split, reciprocal_rank(system_k, wanted),
                                                         reciprocal_rank(baseline_k, wanted))
        details.append({"figure": 3, "major": code, "name": majors[node], "split": split,
                        "stated": sorted(everywhere.get(i, i) for i in relevant),
                        "system": [certificates.get(i, i) for i in ranked[:3]],
                        "baseline": [certificates.get(i, i) for i in baseline[:3]]})
    return list(figures.values())


# -- the report --------------------------------------------------------------------------------------
def table(figures: list[Figure]) -> tuple[str, list[dict]]:
    """The printed table and its rows (figure, split, system, baseline, n, goal)."""
    lines = [f"{'figure':<27} {'split':<8} {'system':>7} {'baseline':>9} {'n':>4}  goal",
             "-" * 70]
    rows = []
    for figure in figures:
        for split in (*SPLITS, TUNING):
            system, baseline, n = figure.means(split)
            if split == TUNING and not n:
                continue
            goal = GOALS.get(figure.name)
            verdict = ""
            if goal is not None and split == "heldout":
                verdict = f">= {goal:.2f} {'PASS' if system >= goal else 'FAIL'}"
            lines.append(f"{figure.name:<27} {split:<8} {system:>7.3f} {baseline:>9.3f} {n:>4}  {verdict}")
            rows.append({"figure": figure.name, "split": split, "system": round(system, 4),
                         "baseline": round(baseline, 4), "n": n, "goal": goal if split == "heldout" else None,
                         "pass": (system >= goal) if goal is not None and split == "heldout" else None})
    return "\n".join(lines), rows


def misses(details: list[dict]) -> str:
    """A line per figure on what the misses look like."""
    one = [d for d in details if d["figure"] == 1]
    unlinked = sum(1 for d in one if not d["system"])
    wrong = sum(1 for d in one if d["system"] and d["system"][0] not in d["labelled"])
    two = [d for d in details if d["figure"] == 2]
    none = sum(1 for d in two if not d["system"])
    letter = sum(1 for d in two if d["system"] and division(d["system"][0]) is None)
    other = sum(1 for d in two if d["system"] and division(d["system"][0]) not in (None, *d["labelled"]))
    linked = len(two) - none
    three = [d for d in details if d["figure"] == 3]
    empty = sum(1 for d in three if not d["system"])
    return (f"misses: cert->major: {unlinked}/{len(one)} certificates with no major linked, {wrong} whose first major "
            f"is not labelled; major->division: {none}/{len(two)} majors with no industry link, {letter} whose first "
            f"link is a 门类, {other} another division (right on {linked - letter - other}/{linked} linked); "
            f"left-out majors: {empty}/{len(three)} with no peer suggestion")


def left_out_store(work: Path, data: Path, name: str, codes: list[str]) -> GraphStore:
    """A reader on ``work/name``: ``data`` with the profile blocks of ``codes`` removed, ingested (reused when
    the home was made for the same majors)."""
    home_dir = work / name
    marker = home_dir / "left-out-majors.json"
    if not Home(home_dir).is_empty() and (not marker.exists() or json.loads(marker.read_text()) != codes):
        shutil.rmtree(home_dir)  # another draw of majors: that home cannot be reused
    if Home(home_dir).is_empty():
        filtered = work / f"data-{name}"
        shutil.rmtree(filtered, ignore_errors=True)
        removed = without_profiles(data, filtered, set(codes))
        print(f"{name} store: {removed} profile blocks of {len(codes)} majors removed", file=sys.stderr)
    store = ingest_into(home_dir, work / f"data-{name}", f"{name} store")
    marker.write_text(json.dumps(codes), encoding="utf-8")
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--home", type=Path, default=None,
                        help="folder for the homes (full/, left-out/, tuning/), reused when it holds them "
                             "(default: a temporary folder, removed after the run)")
    parser.add_argument("--per-split", type=int, default=30, help="majors left out per split for figure 3 (30)")
    parser.add_argument("--tuning-majors", type=int, default=0,
                        help="also leave out this many more dev majors, in a third home (tuning/), and print "
                             "figure 3 for them as split dev+: a bigger set to tune on (default 0)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures and every item to this file")
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"real data not found: {args.data}")
    certificate_labels = load_labels(LABELS / "certificate_majors.jsonl", "certificate", "majors")
    division_labels = load_labels(LABELS / "major_divisions.jsonl", "major", "divisions")
    started = time.perf_counter()
    work = args.home or Path(tempfile.mkdtemp(prefix="vetgraph-align-eval-"))
    try:
        full = ingest_into(work / "full", args.data, "full store")
        details: list[dict] = []
        figures = certificate_to_major(full, certificate_labels, details)
        figures += major_to_division(full, division_labels, details)
        codes = left_out_majors(full, args.per_split)
        reduced = left_out_store(work, args.data, "left-out", codes)
        figures += peer_certificates(reduced, full, codes, details)
        if args.tuning_majors:
            extra = tuning_majors(full, args.per_split, args.tuning_majors)
            tuning = left_out_store(work, args.data, "tuning", extra)
            for figure in peer_certificates(tuning, full, extra, details, split_name=TUNING):
                next(f for f in figures if f.name == figure.name).values[TUNING] = figure.values[TUNING]
    finally:
        if args.home is None:
            shutil.rmtree(work, ignore_errors=True)
    printed, rows = table(figures)
    print(f"{len(certificate_labels)} labelled certificates, {len(division_labels)} labelled majors, "
          f"{len(codes)} majors left out of the store; baseline: bigram Jaccard of names; "
          f"{time.perf_counter() - started:.0f} s\n")
    print(printed)
    print()
    print(misses(details))
    if args.json:
        args.json.write_text(json.dumps({"figures": rows, "left_out_majors": codes, "items": details},
                                        ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
