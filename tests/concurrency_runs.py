"""The app, `vetgraph serve`, `vetgraph index` and CLI ingests hammering one store home at once, in bounded loops.

``run_concurrency(workdir, seconds)`` seeds a home with corpus/catalogues, builds its index with the
fake encoder, starts `vetgraph serve` on a free localhost port and an app reader process (the data
layer of webapp/state.py: the snapshot, its overview, the index and a search), then runs for
``seconds``: two loops of `vetgraph ingest` (a new policy file each time), two loops of
`vetgraph index --model fake`, a loop of SPARQL queries against serve, and the app's loop. When all
have stopped it checks the home: the store opens for writing, every source's graph holds its
manifest's triple count, every ingest that said "added" is there, `vetgraph stats` equals a
sequential ingest of the same files, the index loads, is complete and is reused by the next refresh.
It returns the counts of what ran and a list of problems (empty when all held). bench/reliability.py
prints the counts; tests/test_concurrency.py asserts on them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "catalogues"
#: One operation (a subprocess) never runs longer than this; a loop stops at its deadline plus at most one.
OPERATION_TIMEOUT_S = 30
WAITING = re.compile(r"waiting for another (writer|index build) \(pid (\d+): (vetgraph [^,]*), since [^)]*\) to finish")
DOCUMENTS = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a vet:PolicyDocument }"
ORPHANS = "ASK { ?p a vet:Provision ; vet:inDocument ?d . FILTER NOT EXISTS { ?d a vet:PolicyDocument } }"


def policy_text(writer: str, number: int) -> str:
    """A small policy of its own (its title and clauses name the writer and the number)."""
    return (f"XX市职业教育校企合作{writer}第{number}号实施办法\n"
            f"第一条 为推进产教融合，{writer}组第{number}次制定本办法。\n"
            f"第二条 职业院校应当与企业共建实训基地，“双师型”教师比例达到{50 + number % 40}%以上。\n"
            f"第三条 本办法自发布之日起施行。\n")


def environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "VETGRAPH_STORE": str(home), "VETGRAPH_LOCK_TIMEOUT": str(OPERATION_TIMEOUT_S),
           "PYTHONPATH": str(ROOT)}
    env.pop("VETGRAPH_FAULT", None)  # crash-safety tests set it: none of these runs may crash on purpose
    env.pop("VETGRAPH_FAULT_TRACE", None)
    return env


def vetgraph(home: Path, *args: str, timeout: float = OPERATION_TIMEOUT_S) -> tuple[int, str, str, int]:
    """Run `vetgraph --store HOME ARGS` as a process: exit status, stdout, stderr, pid."""
    process = subprocess.Popen([sys.executable, "-m", "kg", "--store", str(home), *args], cwd=ROOT,
                               env=environment(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        return 124, out, err + f"\n(killed after {timeout}s)", process.pid
    return process.returncode, out, err, process.pid


@dataclass
class Run:
    """What every loop counted and every problem it saw; shared by the loop threads (appends are atomic)."""

    counts: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    added: list[tuple[str, int]] = field(default_factory=list)  # (resolved path, triples) of each reported add
    writer_pids: set[int] = field(default_factory=set)
    index_pids: set[int] = field(default_factory=set)
    waits: list[tuple[str, int, str]] = field(default_factory=list)  # (what, pid, command) each waiter was told


def ingest_loop(run: Run, home: Path, inputs: Path, writer: str, deadline: float) -> None:
    number = 0
    while time.monotonic() < deadline:
        number += 1
        path = inputs / f"{writer}-{number:03d}.txt"
        path.write_text(policy_text(writer, number), encoding="utf-8")
        status, out, err, pid = vetgraph(home, "ingest", str(path), "--json")
        run.writer_pids.add(pid)
        run.counts["ingest runs"] += 1
        _note_waits(run, err, "ingest waits")
        if status != 0:
            run.counts["ingests refused"] += 1
            if "Traceback" in err or status not in (1, 2):
                run.problems.append(f"ingest {path.name} exit {status}: {err.strip()[-500:]}")
            elif "still holds" not in err:
                run.problems.append(f"ingest {path.name} refused without a lock reason: {err.strip()[-300:]}")
            continue
        report = json.loads(out)
        for outcome in report["files"]:
            if outcome["status"] == "added":
                run.added.append((outcome["path"], int(outcome["triples"])))
                run.counts["ingests added"] += 1
            else:
                run.problems.append(f"ingest {path.name}: {outcome['status']} ({outcome.get('reason')})")


def index_loop(run: Run, home: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        status, _, err, pid = vetgraph(home, "index", "--model", "fake")
        run.index_pids.add(pid)
        run.counts["index runs"] += 1
        _note_waits(run, err, "index waits")
        if status != 0:
            run.counts["index runs refused"] += 1
            if "Traceback" in err or "still holds" not in err:
                run.problems.append(f"index exit {status}: {err.strip()[-500:]}")


def _note_waits(run: Run, err: str, counter: str) -> None:
    for line in err.splitlines():
        if line.startswith("waiting for another"):
            match = WAITING.search(line)
            if match is None:
                run.problems.append(f"a waiting message that names no holder: {line}")
                continue
            run.counts[counter] += 1
            run.waits.append((match[1], int(match[2]), match[3]))


class Served:
    """`vetgraph serve` on a free localhost port (its URL read from the first line it prints)."""

    def __init__(self, home: Path, log: Path) -> None:
        self.log = log.open("wb")
        self.process = subprocess.Popen([sys.executable, "-m", "kg", "--store", str(home), "serve", "--port", "0"],
                                        cwd=ROOT, env=environment(home), stdout=subprocess.PIPE, stderr=self.log,
                                        text=True)
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        if "http://" not in line:
            self.stop()
            raise RuntimeError(f"serve did not start: {line!r}; see {log}")
        self.url = next(word for word in line.split() if word.startswith("http://"))

    def query(self, sparql: str) -> tuple[int, Any]:
        request = urllib.request.Request(f"{self.url}?{urllib.parse.urlencode({'query': sparql})}",
                                         headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=OPERATION_TIMEOUT_S) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
        self.log.close()


def serve_loop(run: Run, served: Served, deadline: float) -> None:
    last = 0
    while time.monotonic() < deadline:
        status, body = served.query(DOCUMENTS)
        run.counts["serve queries"] += 1
        if status != 200:
            run.problems.append(f"serve answered {status}: {str(body)[:300]}")
            continue
        documents = int(body["results"]["bindings"][0]["n"]["value"])
        if documents < last:
            run.problems.append(f"serve went back from {last} to {documents} policy documents")
        last = documents
        status, body = served.query(ORPHANS)
        run.counts["serve queries"] += 1
        if status != 200 or body.get("boolean") is not False:
            run.problems.append(f"serve saw provisions without their document (or failed): {status} {str(body)[:300]}")
        time.sleep(0.05)
    run.counts["serve last document count"] = last


def app_loop(seconds: float) -> dict[str, Any]:
    """What the app's pages do on every run, for ``seconds``, in this process: print and return the counts.

    Uses webapp.state (the app's data layer) outside a Streamlit run: the home from $VETGRAPH_STORE,
    its newest snapshot opened read-only, the overview, the index and a search with its encoder.
    A VetgraphError is what a page shows with st.error; anything else is a crash.
    """
    from kg.errors import VetgraphError
    from kg.query.stats import store_overview
    from webapp import state

    counts: Counter = Counter()
    problems: list[str] = []
    last = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            context = state.app_context()
            counts["app runs"] += 1
            if context.store is None:
                continue
            overview = store_overview(context.store)
            documents = overview.classes.get("PolicyDocument", 0)
            if documents < last:
                problems.append(f"the app went back from {last} to {documents} policy documents")
            last = documents
            index = state.index_of(context)
            if index is not None:
                encoder, _ = state.encoder_for(context, index)
                index.search("校企合作", encoder, top=5)
                counts["app searches"] += 1
        except VetgraphError as error:
            counts["app errors shown"] += 1
            problems.append(f"the app would show: {error}")
        except Exception:  # noqa: BLE001 - a crash of a page: counted and described
            counts["app crashes"] += 1
            problems.append(traceback.format_exc()[-1500:])
        time.sleep(0.05)
    result = {"counts": dict(counts), "problems": problems}
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


def start_app(home: Path, seconds: float) -> subprocess.Popen:
    code = f"from tests.concurrency_runs import app_loop; app_loop({seconds!r})"
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=environment(home),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def check_home(run: Run, home: Path) -> None:
    """After the loops: the manifest agrees with the graphs, nothing reported added is missing, the writer opens."""
    from kg.store.home import Home

    reader = Home(home).open_reader()
    sources = reader.sources()
    for path, record in sources.items():
        rows = reader.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{record.graph}> {{ ?s ?p ?o }} }}")
        count = int(rows[0]["n"]) if rows else 0
        if count != record.triple_count:
            run.problems.append(f"{path}: the manifest says {record.triple_count} triples, its graph holds {count}")
            run.counts["manifest mismatches"] += 1
    for path, triples in run.added:
        record = sources.get(path)
        if record is None or record.triple_count != triples:
            run.problems.append(f"lost write: {path} ({triples} triples reported, "
                                f"{record.triple_count if record else 'none'} in the store)")
            run.counts["lost writes"] += 1
    with Home(home).writer(timeout=OPERATION_TIMEOUT_S) as store:
        if set(store.sources()) != set(sources):
            run.problems.append("the primary database and the last snapshot name different sources")
    run.counts["sources checked"] = len(sources)


def check_stats(run: Run, home: Path, sequential: Path) -> None:
    """`vetgraph stats --json` equals that of one sequential ingest of the seed and every added file."""
    from kg.pipeline.run import ingest
    from kg.store.home import Home

    report = ingest(Home(sequential), [SEED, *(Path(path) for path, _ in run.added)])
    if report.count("rejected"):
        run.problems.append(f"the sequential ingest rejected files: {[f.reason for f in report.files]}")
    status, concurrent_stats, err, _ = vetgraph(home, "stats", "--json")
    status_2, sequential_stats, err_2, _ = vetgraph(sequential, "stats", "--json")
    if status or status_2 or json.loads(concurrent_stats) != json.loads(sequential_stats):
        run.problems.append(f"stats differ from a sequential run's: {concurrent_stats.strip()} vs "
                            f"{sequential_stats.strip()} {err}{err_2}")
    else:
        run.counts["stats equal to sequential"] = 1


def check_index(run: Run, home: Path) -> None:
    """The index loads and searches; the next refresh reuses it (not damaged) and then covers every node."""
    from kg.search.encoder import load_encoder
    from kg.search.index import SearchIndex
    from kg.search.texts import node_texts
    from kg.store.home import Home

    the_home = Home(home)
    index = SearchIndex(the_home.index)
    encoder = load_encoder("fake", the_home.models)
    index.search("校企合作", encoder, top=3)
    with the_home.index_lock(timeout=OPERATION_TIMEOUT_S):
        store = the_home.open_reader()
        report = index.refresh(store, encoder)
    if report.rebuilt:
        run.problems.append(f"the index had to be rebuilt from scratch after the run: {report.reason}")
    texts = node_texts(store, include_flagged_courses=index.settings.include_flagged_courses)
    if len(SearchIndex(the_home.index)) != len(texts):
        run.problems.append(f"the index holds {len(SearchIndex(the_home.index))} nodes, the store {len(texts)}")
    run.counts["index nodes"] = len(texts)


def run_concurrency(workdir: Path | str, seconds: float = 15.0) -> dict[str, Any]:
    """Hammer one home for ``seconds`` from every side, then check it; the counts and the problems found."""
    workdir = Path(workdir)
    home, inputs, sequential = workdir / "home", workdir / "inputs", workdir / "sequential"
    inputs.mkdir(parents=True, exist_ok=True)
    run = Run()
    began = time.monotonic()
    for args in (("ingest", str(SEED)), ("index", "--model", "fake")):
        status, _, err, _ = vetgraph(home, *args, timeout=120)
        if status:
            raise RuntimeError(f"setting up: vetgraph {' '.join(args)} failed: {err[-1000:]}")
    served = Served(home, workdir / "serve.log")
    app = start_app(home, seconds)
    deadline = time.monotonic() + seconds
    loops = [threading.Thread(target=ingest_loop, args=(run, home, inputs, w, deadline), name=f"ingest-{w}")
             for w in ("甲", "乙")]
    loops += [threading.Thread(target=index_loop, args=(run, home, deadline), name=f"index-{n}") for n in (1, 2)]
    loops.append(threading.Thread(target=serve_loop, args=(run, served, deadline), name="serve"))
    try:
        for loop in loops:
            loop.start()
        for loop in loops:
            loop.join(timeout=seconds + 2 * OPERATION_TIMEOUT_S)
            if loop.is_alive():
                run.problems.append(f"the {loop.name} loop did not stop")
        out, err = app.communicate(timeout=seconds + 2 * OPERATION_TIMEOUT_S)
        _merge_app(run, out, err, app.returncode)
        status, body = served.query(DOCUMENTS)  # after the last ingest: serve shows its snapshot
        documents = int(body["results"]["bindings"][0]["n"]["value"]) if status == 200 else None
        if documents != len(run.added):
            run.problems.append(f"serve answers {documents} policy documents after the run; "
                                f"{len(run.added)} were added")
    finally:
        if app.poll() is None:
            app.kill()
        served.stop()
    run.counts["loop seconds"] = round(time.monotonic() - deadline + seconds)
    for what, pid, command in run.waits:
        holders, verb = (run.writer_pids, " ingest ") if what == "writer" else (run.index_pids, " index ")
        if pid not in holders or verb not in command:
            run.problems.append(f"a waiting {what} was told pid {pid} ({command}), which is none of the {what}s run")
    check_home(run, home)
    check_stats(run, home, sequential)
    check_index(run, home)
    run.counts["seconds in all"] = round(time.monotonic() - began)
    return {"counts": dict(run.counts), "problems": run.problems}


def _merge_app(run: Run, out: str, err: str, status: int | None) -> None:
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if status != 0 or not lines:
        run.problems.append(f"the app loop exited {status}: {err[-1500:]}")
        return
    result = json.loads(lines[-1])
    run.counts.update(result["counts"])
    run.problems += result["problems"]


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory(prefix="vetgraph-concurrency-") as tmp:
        print(json.dumps(run_concurrency(tmp, float(sys.argv[1]) if len(sys.argv) > 1 else 15.0),
                         ensure_ascii=False, indent=2))
