"""Crash-safety scenarios: crash `vetgraph` at each fault point (kg.core.faults) or kill it, run the next command, check.

Each scenario copies a home built from ``corpus/``, runs one command as a subprocess that dies at a
fault point (``VETGRAPH_FAULT``) or is killed with SIGKILL half way, then the ordinary command a user
would run next, and compares the home with one that never crashed: the manifest and its source
graphs (every recorded triple count, no orphan graph), the derived graphs (N-Quads), the derived
graphs' stamp, the search index's store version and texts, the last-ingest report. The search index
uses the fake encoder. Used by tests/test_crash_safety.py and bench/reliability.py::

    from tests.crash_scenarios import run_crash_scenarios
    outcomes = run_crash_scenarios(Path(tempfile.mkdtemp()))
    ran, consistent = len(outcomes), sum(o.consistent for o in outcomes)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kg.core import iris
from kg.core.faults import ENV_FAULT, ENV_TRACE, FAULT_EXIT_STATUS
from kg.pipeline.derive import rebuild_derived
from kg.pipeline.run import ingest
from kg.search.encoder import FakeEncoder
from kg.search.index import SearchIndex
from kg.search.settings import SearchSettings
from kg.store.home import Home
from kg.store.version import store_version

ROOT = Path(__file__).resolve().parent.parent
#: The file each ingest scenario crashes on: a draft policy, so its legal status, links and texts are derived.
CRASHED_FILE = "policy/demo-city-vocational-opinion-draft.txt"
#: Each subprocess is stopped past this many seconds (the scenario then counts as inconsistent).
COMMAND_TIMEOUT = 60.0
#: Generated policy files for the SIGKILL run, and how many the writer has staged when it is killed.
MANY_FILES, KILL_AFTER_STAGED = 30, 6


@dataclass
class Outcome:
    """One scenario: whether the command died as meant, whether the home was consistent after, and why not."""

    name: str
    crashed: bool
    consistent: bool
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # what went wrong that leaves the home consistent


@dataclass
class Command:
    returncode: int
    stdout: str
    stderr: str


def vetgraph(home: Home, *args: str, fault: str | None = None, env: dict[str, str] | None = None,
             timeout: float = COMMAND_TIMEOUT) -> Command:
    """Run ``python -m kg --store HOME ARGS`` to its end (``fault``: the VETGRAPH_FAULT point it dies at)."""
    done = subprocess.run(_argv(home, args), env=_env(fault, env), capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT)
    return Command(done.returncode, done.stdout, done.stderr)


def _argv(home: Home, args: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", "kg", "--store", str(home.root), *args]


def _env(fault: str | None, extra: dict[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (ENV_FAULT, ENV_TRACE)}
    env.update(extra or {})
    if fault is not None:
        env[ENV_FAULT] = fault
    return env


# -- the homes every scenario starts from ---------------------------------------------------------------
class Bench:
    """The corpus split in two (the crashed file apart), the homes built from it, and copies to crash."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.corpus = workdir / "corpus"
        self.extra = workdir / "extra" / Path(CRASHED_FILE).name
        if not self.corpus.exists():
            shutil.copytree(ROOT / "corpus", self.corpus, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
            self.extra.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(self.corpus / CRASHED_FILE, self.extra)
        self._copies = 0

    @cached_property
    def base(self) -> Home:
        """corpus/ without the crashed file, ingested."""
        home = Home(self.workdir / "homes" / "base")
        ingest(home, [self.corpus])
        return home

    @cached_property
    def full(self) -> Home:
        """The base home with the crashed file ingested as well, never crashed: the reference."""
        home = self.copy(self.base, "full")
        ingest(home, [self.extra])
        return home

    @cached_property
    def indexed(self) -> Home:
        """The base home with a search index (fake encoder), then the crashed file ingested: the index is stale."""
        home = self.copy(self.base, "indexed")
        SearchIndex(home.index, SearchSettings(model="fake")).refresh(home.open_reader(), FakeEncoder())
        ingest(home, [self.extra])
        return home

    @cached_property
    def many(self) -> Path:
        """A folder of generated policy files, for the SIGKILL run."""
        folder = self.workdir / "many"
        folder.mkdir(exist_ok=True)
        for n in range(MANY_FILES):
            articles = "\n\n".join(
                f"第{number}条 各职业院校应当围绕清洁能源、旅游业和现代农业，开展第{n}批第{number}项校企合作，"
                f"到2027年建成{n + k}个实训基地。" for k, number in enumerate("一二三四五六", start=1))
            (folder / f"notice-{n:03d}.md").write_text(
                f"# XX县职业教育校企合作工作通知（第{n}号）\n\n{articles}\n", encoding="utf-8")
        return folder

    def copy(self, home: Home, name: str) -> Home:
        """A copy of a home no writer holds (the primary, the snapshots, the index and the reports)."""
        self._copies += 1
        target = Home(self.workdir / "homes" / f"{self._copies:02d}-{name}")
        shutil.copytree(home.root, target.root, ignore=shutil.ignore_patterns("write.lock"))
        return target


# -- what consistent means --------------------------------------------------------------------------------
def _graphs(home: Home) -> dict[str, list[str]]:
    """Every data graph of the home's published snapshot, as sorted N-Quads lines."""
    graphs: dict[str, list[str]] = {}
    for quad in home.open_reader().quads():
        graphs.setdefault(quad.graph_name.value, []).append(str(quad))
    return {graph: sorted(lines) for graph, lines in graphs.items()}


def store_problems(home: Home, reference: Home) -> list[str]:
    """How the home's published store differs from the reference's: manifest, graphs, orphans, derived stamp."""
    problems = []
    reader = home.open_reader()
    records, graphs = reader.sources(), _graphs(home)
    for record in records.values():
        held = len(graphs.get(record.graph, []))
        if held != record.triple_count:
            problems.append(f"{record.path}: the manifest records {record.triple_count} triples, its graph holds {held}")
    live = {record.graph for record in records.values()}
    orphans = sorted(g for g in graphs if g.startswith(iris.SOURCE_GRAPHS) and g not in live)
    problems += [f"orphan source graph {g}" for g in orphans]
    manifest = {(r.path, r.sha256, r.graph, r.triple_count) for r in records.values()}
    expected = {(r.path, r.sha256, r.graph, r.triple_count) for r in reference.open_reader().sources().values()}
    if manifest != expected:
        problems.append(f"manifest differs: {len(manifest - expected)} entries unexpected, "
                        f"{len(expected - manifest)} missing")
    reference_graphs = _graphs(reference)
    for graph in sorted(set(graphs) | set(reference_graphs)):
        here, there = set(graphs.get(graph, [])), set(reference_graphs.get(graph, []))
        if here != there and graph not in orphans:
            problems.append(f"graph {graph}: {len(here - there)} quads unexpected, {len(there - here)} missing")
    if store_version(reader).derived_stale:
        problems.append("the derived graphs are not marked complete for the current sources")
    return problems


def index_problems(home: Home) -> list[str]:
    """Whether the home's search index is whole, knows the store version it is in line with, and holds its texts."""
    problems = []
    index = SearchIndex(home.index)
    leftovers = sorted(p.name for p in home.index.glob(".*.tmp"))
    if leftovers:
        problems.append(f"half-written index versions left: {leftovers}")
    reader = home.open_reader()
    built, now = index.built_from(), store_version(reader).fingerprint
    if built is None or built["fingerprint"] != now:
        problems.append(f"the index was built from store version {built and built['fingerprint']}, the store is {now}")
    probe = home.root.parent / f"{home.root.name}-index-probe"
    shutil.copytree(home.index, probe)
    try:
        report = SearchIndex(probe).refresh(reader, FakeEncoder())
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    if report.changed:
        problems.append(f"the index is behind the store: {report.summary()}")
    return problems


def report_problems(home: Home) -> list[str]:
    """Whether last-ingest.json is whole JSON and no temporary report is left."""
    problems = []
    try:
        json.loads((home.reports / "last-ingest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        problems.append(f"last-ingest.json cannot be read: {error}")
    leftovers = sorted(p.name for p in home.reports.glob("*.tmp"))
    if leftovers:
        problems.append(f"temporary reports left: {leftovers}")
    return problems


def _expect(command: Command, what: str, status: int = 0) -> list[str]:
    if command.returncode == status:
        return []
    return [f"{what} exited {command.returncode}, expected {status}: {command.stderr.strip()[-300:]}"]


# -- the scenarios ----------------------------------------------------------------------------------------
def crash_while_staging(bench: Bench) -> Outcome:
    """Die after the crashed file's graph is staged, before the manifest names it; the next writer drops it."""
    home = bench.copy(bench.base, "staged")
    crash = vetgraph(home, "ingest", str(bench.extra), fault="ingest.staged")
    problems = store_problems(home, bench.base)  # readers: the last published state
    problems += _expect(vetgraph(home, "ingest", str(bench.corpus)), "the next ingest")
    problems += store_problems(home, bench.base)  # no orphan once a writer opened the store
    problems += _expect(vetgraph(home, "ingest", str(bench.extra)), "the re-ingest")
    problems += store_problems(home, bench.full) + report_problems(home)
    return Outcome("ingest.staged", crash.returncode == FAULT_EXIT_STATUS, not problems, problems)


def crash_after_switch(bench: Bench) -> Outcome:
    """Die after the manifest switched, before the derived graphs: re-ingesting the (now unchanged) file rebuilds them."""
    home = bench.copy(bench.base, "switched")
    crash = vetgraph(home, "ingest", str(bench.extra), fault="ingest.switched")
    problems = _expect(vetgraph(home, "ingest", str(bench.extra)), "the re-ingest")
    problems += store_problems(home, bench.full) + report_problems(home)
    return Outcome("ingest.switched", crash.returncode == FAULT_EXIT_STATUS, not problems, problems)


def crash_during_align(bench: Bench) -> Outcome:
    """Die in `vetgraph align` between two derived graphs, after a review changed what linking gives; the next
    ingest (which changes no file) sees the derived graphs unfinished and rebuilds them."""
    reviewed = _reviewed(bench)
    reference = bench.copy(reviewed, "aligned")
    with reference.writer() as store:
        rebuild_derived(store)
    home = bench.copy(reviewed, "align-crash")
    crash = vetgraph(home, "align", fault="align.between-graphs:4")  # text links are the fifth of five graphs
    problems = _expect(vetgraph(home, "ingest", str(bench.corpus), str(bench.extra)), "the next ingest")
    problems += store_problems(home, reference)
    if _graphs(reviewed) == _graphs(reference):
        problems.append("scenario broken: the review changes no derived graph")
    return Outcome("align.between-graphs", crash.returncode == FAULT_EXIT_STATUS, not problems, problems)


def _reviewed(bench: Bench) -> Home:
    """The reference home with one text suggestion (major -> industry) rejected, not yet aligned again."""
    from kg.align.review_ops import record_review

    home = bench.copy(bench.full, "reviewed")
    with home.writer() as store:
        rows = store.select(f"SELECT ?a WHERE {{ GRAPH <{iris.derived_graph('text-links')}> {{ ?a vet:method 'text' }} "
                            "} ORDER BY ?a LIMIT 1")
        record_review(store, rows[0]["a"], "rejected", reviewer="crash-test", note="not this industry",
                      at="2026-01-01T00:00:00Z")
    return home


def crash_while_indexing(bench: Bench) -> Outcome:
    """Die in `vetgraph index` after the new version's files, before its manifest; `vetgraph search` removes the
    leftover and refreshes the index, which was built from an older store version."""
    home = bench.copy(bench.indexed, "index-crash")
    crash = vetgraph(home, "index", fault="index.before-metadata")
    problems = [] if list(home.index.glob(".*.tmp")) else ["scenario broken: the crash left no half-written version"]
    search = vetgraph(home, "search", "校企合作", "--top", "3", "--json")
    problems += _expect(search, "the next search")
    if search.returncode == 0 and not json.loads(search.stdout):
        problems.append("the search after the repair found nothing")
    problems += index_problems(home)
    return Outcome("index.before-metadata", crash.returncode == FAULT_EXIT_STATUS, not problems, problems)


def crash_while_reporting(bench: Bench) -> Outcome:
    """Die half way through writing the last-ingest report: the previous one is intact, the store complete."""
    home = bench.copy(bench.base, "report-crash")
    before = (home.reports / "last-ingest.json").read_bytes()
    crash = vetgraph(home, "ingest", str(bench.extra), fault="report.half-written")
    problems = [] if (home.reports / "last-ingest.json").read_bytes() == before else [
        "the previous last-ingest report was changed by the crashed run"]
    problems += _expect(vetgraph(home, "ingest", str(bench.extra)), "the next ingest")
    problems += store_problems(home, bench.full) + report_problems(home)
    return Outcome("report.half-written", crash.returncode == FAULT_EXIT_STATUS, not problems, problems)


def crash_before_publishing(bench: Bench) -> Outcome:
    """Die after the writer's changes, before the readers' snapshot is switched: readers keep the last published
    state, the next writer publishes the complete one."""
    home = bench.copy(bench.base, "publish-crash")
    crash = vetgraph(home, "ingest", str(bench.extra), fault="store.before-publish")
    problems = store_problems(home, bench.base)
    problems += _expect(vetgraph(home, "ingest", str(bench.extra)), "the next ingest")
    problems += store_problems(home, bench.full)
    return Outcome("store.before-publish", crash.returncode == FAULT_EXIT_STATUS, not problems, problems)


def kill_during_ingest(bench: Bench) -> Outcome:
    """SIGKILL a real ingest of many files once its writer has staged a few; ingesting the folder again completes it."""
    home = bench.copy(bench.base, "killed")
    reference = bench.copy(bench.base, "many")
    ingest(reference, [bench.many])
    trace = bench.workdir / f"trace-{time.monotonic_ns()}"
    trace.touch()
    child = subprocess.Popen(_argv(home, ("ingest", str(bench.many))), env=_env(None, {ENV_TRACE: str(trace)}),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    problems = []
    deadline = time.monotonic() + COMMAND_TIMEOUT
    while f"ingest.staged {KILL_AFTER_STAGED}\n" not in trace.read_text(encoding="utf-8"):
        if child.poll() is not None or time.monotonic() > deadline:
            problems.append(f"the ingest ended (status {child.poll()}) before {KILL_AFTER_STAGED} files were staged")
            break
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=COMMAND_TIMEOUT)
    staged = trace.read_text(encoding="utf-8").count("ingest.staged")
    if staged >= MANY_FILES:
        problems.append("the kill came after every file was staged")
    problems += _expect(vetgraph(home, "ingest", str(bench.many)), "the next ingest")
    problems += store_problems(home, reference) + report_problems(home)
    return Outcome(f"kill -9 after {staged} of {MANY_FILES} files staged", child.returncode == -signal.SIGKILL,
                   not problems, problems)


def kill_a_parse_worker(bench: Bench) -> Outcome:
    """SIGKILL one parse worker of `ingest --workers 2` half way: the writer stops with one line, having committed
    whole files only; ingesting the folder again completes the store."""
    home = bench.copy(bench.base, "worker-killed")
    reference = bench.copy(bench.base, "many-workers")
    ingest(reference, [bench.many])
    trace = bench.workdir / f"trace-{time.monotonic_ns()}"
    trace.touch()
    child = subprocess.Popen(_argv(home, ("ingest", "--workers", "2", str(bench.many))),
                             env=_env(None, {ENV_TRACE: str(trace)}), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT)
    problems, notes, killed = [], [], None
    deadline = time.monotonic() + COMMAND_TIMEOUT
    while killed is None:
        workers = _descendants(child.pid, depth=2)  # the writer -> the forkserver -> its workers
        if workers and "ingest.staged 3\n" in trace.read_text(encoding="utf-8"):
            killed = workers[0]
            os.kill(killed, signal.SIGKILL)
        elif child.poll() is not None or time.monotonic() > deadline:
            problems.append(f"the ingest ended (status {child.poll()}) before a worker could be killed")
            break
        else:
            time.sleep(0.005)
    _, stderr = child.communicate(timeout=COMMAND_TIMEOUT)
    if killed is not None and ("a parse worker died" not in stderr or "Traceback" in stderr):
        problems.append(f"the writer did not say in one line that a worker died: {stderr.strip()[-300:]}")
    problems += _expect(vetgraph(home, "ingest", str(bench.many)), "the next ingest")
    problems += store_problems(home, reference) + report_problems(home)
    return Outcome("kill -9 of a parse worker", killed is not None and child.returncode not in (0, None),
                   not problems, problems, notes=notes)


def _descendants(pid: int, depth: int) -> list[int]:
    """The processes ``depth`` generations below ``pid`` (read from /proc; Linux)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    generation = [pid]
    for _ in range(depth):
        generation = sorted(child for child, parent in parents.items() if parent in generation)
    return generation


SCENARIOS: dict[str, Callable[[Bench], Outcome]] = {
    "ingest.staged": crash_while_staging,
    "ingest.switched": crash_after_switch,
    "align.between-graphs": crash_during_align,
    "index.before-metadata": crash_while_indexing,
    "report.half-written": crash_while_reporting,
    "store.before-publish": crash_before_publishing,
    "kill-9": kill_during_ingest,
    "kill-9-worker": kill_a_parse_worker,
}


def run_crash_scenarios(workdir: Path, names: list[str] | None = None, bench: Bench | None = None) -> list[Outcome]:
    """Run the named scenarios (all by default) under ``workdir``; an outcome each, exceptions counted as failures."""
    bench = bench or Bench(workdir)
    outcomes = []
    for name in names or list(SCENARIOS):
        began = time.perf_counter()
        try:
            outcome = SCENARIOS[name](bench)
        except (subprocess.TimeoutExpired, OSError, ValueError, KeyError, IndexError, TypeError) as error:
            outcome = Outcome(name, False, False, [f"the scenario failed: {error!r}"])
        outcome.seconds = round(time.perf_counter() - began, 2)
        outcomes.append(outcome)
    return outcomes


if __name__ == "__main__":
    import tempfile

    for result in run_crash_scenarios(Path(tempfile.mkdtemp(prefix="vetgraph-crash-"))):
        print(f"{result.name:40} crashed={result.crashed!s:5} consistent={result.consistent!s:5} "
              f"{result.seconds:5.1f}s {'; '.join(result.problems + result.notes)}")
