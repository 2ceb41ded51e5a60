"""How long each page of the Streamlit app takes once warm, on a real home (goal: every page under a second).

Each page is driven with Streamlit's AppTest through app.py, as a browser would open it (the page's
URL with its query parameters): the first run builds what the page caches per snapshot (maps,
reports, option lists), the second run is timed; both are printed. Nothing is written to the home.
A figure, not a test. The store is opened read-only from the home's newest snapshot.

    .venv/bin/python bench/app_latency.py --home /tmp/align-homes2/full
    .venv/bin/python bench/app_latency.py --home .vetgraph --major 590302 --json /tmp/app-latency.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
APP = str(ROOT / "app.py")
GOAL_SECONDS = 1.0
SEED = "000_63c5338d7d9bffda"


@dataclass
class Page:
    """One page as a visit opens it: its file (None: the landing page), query parameters, what the user does."""

    name: str
    path: str | None
    params: dict[str, str] = field(default_factory=dict)
    act: Callable[[object], None] | None = None


@dataclass
class Timing:
    name: str
    first_s: float
    warm_s: float
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors and self.warm_s < GOAL_SECONDS


def choose_policy(store: object, wanted: str | None) -> str | None:
    """The policy document to open: the one asked for, else the seed policy, else the first one."""
    from kg.query.documents import list_documents

    documents = list_documents(store)  # type: ignore[arg-type]
    if wanted:
        return wanted
    seed = [d.iri for d in documents if d.path and SEED in d.path]
    return (seed or [d.iri for d in documents] or [None])[0]


def pages(major: str, policy: str | None, certificate: str, query: str) -> list[Page]:
    from kg.core import iris

    def search(app: object) -> None:
        try:
            app.text_input(key="search_query").input(query)  # type: ignore[attr-defined]
        except KeyError:  # no search index in this home: the page browses by class instead
            pass

    def console(app: object) -> None:
        app.button(key="sparql_run").click()  # type: ignore[attr-defined]

    doc = {"doc": policy} if policy else {}
    return [
        Page(f"检索 Search「{query}」", None, act=search),
        Page(f"实体 Entity (major {major})", "pages/1_实体_Entity.py", {"iri": iris.major(major).value}),
        Page("政策 Policy reader", "pages/2_政策_Policy.py", doc),
        Page(f"课证对应 Alignment (major {major})", "pages/3_课证对应_Alignment.py", {"major": major}),
        Page(f"课证对应 Alignment (certificate {certificate})", "pages/3_课证对应_Alignment.py", {"certificate": certificate}),
        Page("缺口分析 Gaps", "pages/4_缺口分析_Gaps.py", doc),
        Page("问答 Questions (first question)", "pages/5_问答与SPARQL_Questions.py"),
        Page("问答 SPARQL console (example query)", "pages/5_问答与SPARQL_Questions.py", act=console),
        Page("上传 Upload", "pages/6_上传_Upload.py"),
    ]


def time_page(page: Page) -> Timing:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(APP, default_timeout=600)
    app.run()
    if page.path:
        app.switch_page(page.path)
    app.query_params.update(page.params)
    if page.act:
        app.run()
        page.act(app)
    began = time.perf_counter()
    app.run()
    first = time.perf_counter() - began
    if page.act:
        page.act(app)  # the same click or input again: what a user repeating it waits for
    began = time.perf_counter()
    app.run()
    warm = time.perf_counter() - began
    errors = [str(e.value)[:200] for e in app.exception] + [str(e.value)[:200] for e in app.error]
    return Timing(page.name, first, warm, errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", required=True, type=Path, help="an ingested VETgraph home (read only)")
    parser.add_argument("--major", default="460702", help="the major whose entity page and map are opened")
    parser.add_argument("--certificate", default="老年照护职业技能等级证书", help="the certificate whose map is opened")
    parser.add_argument("--policy", default=None, help="the policy document's IRI (default: the seed policy)")
    parser.add_argument("--query", default="新能源汽车", help="what the search page is asked")
    parser.add_argument("--json", type=Path, default=None, help="also write the timings here")
    args = parser.parse_args()

    from kg.store.home import ENV_HOME, Home

    home = Home(args.home.expanduser().resolve())
    if home.current_snapshot() is None:
        print(f"{home.root}: no ingested store here (run `vetgraph --store {home.root} ingest ../shared/data`)",
              file=sys.stderr)
        return 2
    os.environ[ENV_HOME] = str(home.root)
    policy = choose_policy(home.open_reader(), args.policy)
    print(f"home {home.root} · snapshot {home.current_snapshot().name} · "
          f"index {'yes' if (home.index).exists() else 'none'}", file=sys.stderr)
    timings = []
    for page in pages(args.major, policy, args.certificate, args.query):
        timing = time_page(page)
        timings.append(timing)
        print(f"  {timing.name}: first {timing.first_s:.2f}s, warm {timing.warm_s:.2f}s", file=sys.stderr)
    width = max(len(t.name) for t in timings)
    print(f"{'page'.ljust(width)}  first (s)  warm (s)  under {GOAL_SECONDS:g} s")
    for timing in timings:
        verdict = "yes" if timing.ok else ("ERROR: " + "; ".join(timing.errors) if timing.errors else "NO")
        print(f"{timing.name.ljust(width)}  {timing.first_s:9.2f}  {timing.warm_s:8.2f}  {verdict}")
    slowest = max(timings, key=lambda t: t.warm_s)
    print(f"slowest warm page: {slowest.name} ({slowest.warm_s:.2f} s); "
          f"{sum(t.ok for t in timings)} of {len(timings)} pages under {GOAL_SECONDS:g} s")
    if args.json:
        args.json.write_text(json.dumps([asdict(t) | {"ok": t.ok} for t in timings], ensure_ascii=False, indent=2),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
