"""Import rules between the project's packages, checked by reading the source with ``ast`` (nothing is imported).

The checker is a handful of pure functions: ``collect_imports`` reads every import statement (nested
ones and those under ``if TYPE_CHECKING:`` included) and resolves it to a project file; each rule
takes those imports and returns ``path:line: import text`` for every offender. A synthetic tree
written to tmp_path proves each rule reports what it should.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("kg", "ingest", "corpus", "app.py", "webapp", "pages")
INGEST_MAY_IMPORT = ("kg.core", "kg.errors")
KG_MAY_IMPORT_INGEST = ("kg/pipeline/", "kg/cli/")


@dataclass(frozen=True)
class Import:
    """One imported name: where it is written, what it says, the module it names and the project file it reaches."""

    path: str  # the importing file, relative to the root, with forward slashes
    line: int
    text: str
    module: str  # dotted name of what is imported: a submodule when ``from X import Y`` names one, else X
    target: str | None  # the project file it resolves to (a package's __init__.py), None outside the project

    def where(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


# -- collecting ------------------------------------------------------------------------------------

def source_files(root: Path, scanned: Iterable[str] = SCANNED) -> list[Path]:
    """Every .py file under the scanned folders, and the scanned single files."""
    found: list[Path] = []
    for name in scanned:
        path = root / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
    return sorted(found)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_file(root: Path, dotted: str) -> Path | None:
    """The file of a dotted module name under ``root`` (a package's __init__.py), or None."""
    if not dotted:
        return None
    base = root.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _resolve(root: Path, dotted: str) -> tuple[str, Path | None]:
    """The longest prefix of ``dotted`` that is a project file (a broken import still points at its package)."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        found = module_file(root, ".".join(parts[:end]))
        if found is not None:
            return dotted, found
    return dotted, None


def _absolute_base(root: Path, path: Path, node: ast.ImportFrom) -> str:
    """The dotted module a ``from`` import names, relative imports made absolute."""
    if not node.level:
        return node.module or ""
    package = module_name(root, path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    package = package[: len(package) - (node.level - 1)] if node.level > 1 else package
    return ".".join(part for part in (*package, node.module or "") if part)


def imports_of(root: Path, path: Path) -> Iterator[Import]:
    """Every import in one file, one entry per imported name, wherever it stands in the file."""
    source = path.read_text(encoding="utf-8")
    rel = path.relative_to(root).as_posix()
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            text = ast.unparse(node)
            for alias in node.names:
                module, target = _resolve(root, alias.name)
                yield Import(rel, node.lineno, text, module, _rel(root, target))
        elif isinstance(node, ast.ImportFrom):
            text = ast.unparse(node)
            base = _absolute_base(root, path, node)
            for alias in node.names:
                submodule = f"{base}.{alias.name}" if base else alias.name
                if alias.name != "*" and module_file(root, submodule) is not None:
                    yield Import(rel, node.lineno, text, submodule, _rel(root, module_file(root, submodule)))
                else:
                    module, target = _resolve(root, base)
                    yield Import(rel, node.lineno, text, module, _rel(root, target))


def _rel(root: Path, target: Path | None) -> str | None:
    return target.relative_to(root).as_posix() if target is not None else None


def collect_imports(root: Path, scanned: Iterable[str] = SCANNED) -> list[Import]:
    return sorted((imp for path in source_files(root, scanned) for imp in imports_of(root, path)),
                  key=lambda i: (i.path, i.line, i.module))


# -- rules: each returns the offenders as "path:line: import text" ---------------------------------

def _names(module: str, *prefixes: str) -> bool:
    """Whether ``module`` is one of ``prefixes`` or inside one of them."""
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _report(offenders: Iterable[Import]) -> list[str]:
    return sorted({f"{i.where()}  (-> {i.module})" for i in offenders})


def ingest_imports_only_core_and_errors(imports: list[Import]) -> list[str]:
    """ingest/ may reach into kg only for kg.core and kg.errors (so never kg.store, kg.query, kg.cli ...)."""
    return _report(i for i in imports if i.path.startswith("ingest/")
                   and _names(i.module, "kg") and not _names(i.module, *INGEST_MAY_IMPORT))


def kg_imports_ingest_only_from_pipeline_and_cli(imports: list[Import]) -> list[str]:
    return _report(i for i in imports if i.path.startswith("kg/") and _names(i.module, "ingest")
                   and not i.path.startswith(KG_MAY_IMPORT_INGEST))


def core_imports_only_core_and_errors(imports: list[Import]) -> list[str]:
    """kg/core/ may import kg.core.* and kg.errors from the project; kg/errors.py nothing of it."""
    core = (i for i in imports if i.path.startswith("kg/core/") and i.target is not None
            and not _names(i.module, "kg.core", "kg.errors"))
    errors = (i for i in imports if i.path == "kg/errors.py" and i.target is not None)
    return _report([*core, *errors])


def no_streamlit_in_libraries(imports: list[Import]) -> list[str]:
    return _report(i for i in imports if i.path.startswith(("kg/", "ingest/", "corpus/"))
                   and _names(i.module, "streamlit"))


def nothing_imports_tests(imports: list[Import]) -> list[str]:
    return _report(i for i in imports if _names(i.module, "tests")
                   or (i.target is not None and i.target.startswith("tests/")))


def oxigraph_store_named_outside_store(root: Path, word: str = "OxigraphStore") -> list[str]:
    """A plain text search, comments and docstrings included: only kg/store/ may name the backend class."""
    hits = []
    for path in source_files(root, ("kg", "ingest", "app.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("kg/store/"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if word in line:
                hits.append(f"{rel}:{number}: {line.strip()}")
    return hits


def import_graph(imports: list[Import]) -> dict[str, set[str]]:
    """File -> the project files it imports (no implicit edges to parent packages' __init__)."""
    graph: dict[str, set[str]] = {}
    for i in imports:
        graph.setdefault(i.path, set())
        if i.target is not None:
            graph[i.path].add(i.target)
            graph.setdefault(i.target, set())
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: every component of more than one file, or one file importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph[node]:
                        components.append(sorted(component))
    return sorted(components)


def import_cycles(imports: list[Import]) -> list[str]:
    """One line per cycle: its files, and the imports that tie them together."""
    lines = []
    for component in strongly_connected(import_graph(imports)):
        members = set(component)
        ties = sorted({i.where() for i in imports if i.path in members and i.target in members})
        lines.append(" <-> ".join(component) + "\n      " + "\n      ".join(ties))
    return lines


IMPORT_RULES: dict[str, Callable[[list[Import]], list[str]]] = {
    "ingest/ imports only kg.core and kg.errors from kg": ingest_imports_only_core_and_errors,
    "only kg/pipeline/ and kg/cli/ import ingest": kg_imports_ingest_only_from_pipeline_and_cli,
    "kg/core/ imports only kg.core and kg.errors; kg/errors.py nothing of the project": core_imports_only_core_and_errors,
    "no streamlit under kg/, ingest/, corpus/": no_streamlit_in_libraries,
    "nothing imports tests": nothing_imports_tests,
    "no import cycles between files": import_cycles,
}


# -- the real tree ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project_imports() -> list[Import]:
    return collect_imports(ROOT)


def _fail_message(rule: str, offenders: list[str]) -> str:
    return f"{rule}: {len(offenders)} offender(s)\n  " + "\n  ".join(offenders)


def test_the_checker_sees_the_project(project_imports: list[Import]) -> None:
    files = {i.path for i in project_imports}
    assert {"app.py", "kg/store/home.py", "ingest/registry.py", "corpus/course_standards/build.py",
            "webapp/state.py"} <= files
    by_text = {(i.path, i.module): i.target for i in project_imports}
    assert by_text[("app.py", "webapp.shell")] == "webapp/shell.py"
    assert by_text[("webapp/state.py", "kg.store.home")] == "kg/store/home.py"
    assert by_text[("kg/store/base.py", "kg.core.rdf")] == "kg/core/rdf.py"
    # the nested import inside kg.pipeline.parse.parse_file, and corpus/ as a namespace package
    assert by_text[("kg/pipeline/parse.py", "ingest.registry")] == "ingest/registry.py"
    assert by_text[("corpus/course_standards/build.py", "corpus.writers")] == "corpus/writers.py"
    # an imported package resolves to its __init__.py; outside the project, to nothing
    assert all(i.target is None for i in project_imports if i.module.split(".")[0] in ("pyoxigraph", "streamlit"))


def test_ingest_imports_only_kg_core_and_errors(project_imports: list[Import]) -> None:
    offenders = ingest_imports_only_core_and_errors(project_imports)
    assert not offenders, _fail_message("ingest/ may import kg.core and kg.errors only", offenders)


def test_only_pipeline_and_cli_import_ingest(project_imports: list[Import]) -> None:
    offenders = kg_imports_ingest_only_from_pipeline_and_cli(project_imports)
    assert not offenders, _fail_message("kg/ imports ingest outside kg/pipeline/ and kg/cli/", offenders)


def test_core_and_errors_stay_on_the_ground_floor(project_imports: list[Import]) -> None:
    offenders = core_imports_only_core_and_errors(project_imports)
    assert not offenders, _fail_message("kg/core/ or kg/errors.py imports above the ground floor", offenders)


def test_no_streamlit_outside_the_app(project_imports: list[Import]) -> None:
    offenders = no_streamlit_in_libraries(project_imports)
    assert not offenders, _fail_message("streamlit imported outside app.py", offenders)


def test_nothing_imports_tests(project_imports: list[Import]) -> None:
    offenders = nothing_imports_tests(project_imports)
    assert not offenders, _fail_message("library or app code imports tests", offenders)


def test_only_the_store_names_oxigraph_store() -> None:
    offenders = oxigraph_store_named_outside_store(ROOT)
    assert not offenders, _fail_message("OxigraphStore named outside kg/store/", offenders)


def test_no_import_cycles(project_imports: list[Import]) -> None:
    cycles = import_cycles(project_imports)
    assert not cycles, _fail_message("import cycles between files", cycles)


# -- the checker bites -----------------------------------------------------------------------------

SYNTHETIC = {
    "kg/__init__.py": "",
    "kg/errors.py": "from kg.core import a\n",
    "kg/core/__init__.py": "",
    "kg/core/a.py": "from kg.core import b\nimport kg.store\n",
    "kg/core/b.py": "from __future__ import annotations\nfrom kg.errors import X\n",
    "kg/store/__init__.py": "",
    "kg/store/base.py": "from kg.core.a import thing\n",
    "kg/store/oxigraph.py": "class OxigraphStore: ...\n",
    "kg/query/__init__.py": "",
    "kg/query/one.py": "from kg.query import two\n",
    "kg/query/two.py": "def f():\n    from . import one\n    import streamlit as st\n",
    "kg/query/three.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ingest.x import y\n",
    "kg/pipeline/run.py": "def ingest():\n    from ingest.x import y\n",
    "kg/cli/main.py": "from kg.store.oxigraph import OxigraphStore\n",
    "ingest/__init__.py": "",
    "ingest/x.py": "import os\nfrom kg.core import a\nfrom kg.errors import E\n\nfrom kg.store.base import GraphStore\n",
    "ingest/y.py": "import kg\nfrom tests.helpers import z\n",
    "corpus/writers.py": "def w():\n    import streamlit\n",
    "tests/__init__.py": "",
    "tests/helpers.py": "",
    "app.py": "import streamlit as st\nfrom kg.query import one\n",
}


@pytest.fixture()
def synthetic(tmp_path: Path) -> tuple[Path, list[Import]]:
    for rel, text in SYNTHETIC.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path, collect_imports(tmp_path)


def _where(offenders: list[str]) -> list[str]:
    return [line.split(": ", 1)[0] for line in offenders]


def test_the_checker_resolves_modules_files_and_packages(synthetic: tuple[Path, list[Import]]) -> None:
    _, imports = synthetic
    targets = {(i.path, i.line, i.module): i.target for i in imports}
    assert targets[("kg/core/a.py", 1, "kg.core.b")] == "kg/core/b.py"  # from package import module
    assert targets[("kg/store/base.py", 1, "kg.core.a")] == "kg/core/a.py"  # from module import name
    assert targets[("kg/core/a.py", 2, "kg.store")] == "kg/store/__init__.py"  # a package
    assert targets[("kg/query/two.py", 2, "kg.query.one")] == "kg/query/one.py"  # relative, nested
    assert targets[("kg/query/three.py", 3, "ingest.x")] == "ingest/x.py"  # under TYPE_CHECKING
    assert targets[("ingest/x.py", 1, "os")] is None


def test_the_checker_bites(synthetic: tuple[Path, list[Import]]) -> None:
    root, imports = synthetic
    assert _where(ingest_imports_only_core_and_errors(imports)) == ["ingest/x.py:5", "ingest/y.py:1"]
    assert "from kg.store.base import GraphStore" in ingest_imports_only_core_and_errors(imports)[0]
    assert _where(kg_imports_ingest_only_from_pipeline_and_cli(imports)) == ["kg/query/three.py:3"]
    assert _where(core_imports_only_core_and_errors(imports)) == ["kg/core/a.py:2", "kg/errors.py:1"]
    assert "import kg.store" in core_imports_only_core_and_errors(imports)[0]
    assert _where(no_streamlit_in_libraries(imports)) == ["corpus/writers.py:2", "kg/query/two.py:3"]
    assert _where(nothing_imports_tests(imports)) == ["ingest/y.py:2"]
    assert _where(oxigraph_store_named_outside_store(root)) == ["kg/cli/main.py:1"]
    cycles = import_cycles(imports)
    assert len(cycles) == 2, cycles
    assert cycles[0].startswith("kg/core/a.py <-> kg/core/b.py <-> kg/errors.py")
    assert cycles[1].startswith("kg/query/one.py <-> kg/query/two.py")
    assert "kg/query/one.py:1: from kg.query import two" in cycles[1]
    assert "kg/query/two.py:2: from . import one" in cycles[1]


def test_tarjan_on_small_graphs() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert strongly_connected({"a": {"a"}}) == [["a"]]
    assert strongly_connected({"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": {"c"}, "e": {"a"}}) == [["a", "b"], ["c", "d"]]
    chain = {str(n): {str(n + 1)} for n in range(5000)} | {"5000": {"0"}}
    assert len(strongly_connected(chain)[0]) == 5001  # iterative: no recursion limit


# -- the rooms of kg/ ------------------------------------------------------------------------------
#: What each room of kg/ may import from the project besides itself, kg.core and kg.errors.
ROOMS: dict[str, tuple[str, ...]] = {
    "kg.store": (),
    "kg.resolve": ("kg.store",),
    "kg.query": ("kg.store",),
    "kg.validate": ("kg.store",),
    "kg.search": ("kg.store", "kg.query.documents"),
    "kg.export": ("kg.store", "kg.query", "kg.maps.model", "kg.align.reviews", "kg.align.review_ops"),
    "kg.align": ("kg.store", "kg.resolve.base", "kg.search"),
    "kg.maps": ("kg.store", "kg.align", "kg.query"),
    "kg.graph": ("kg.store", "kg.align", "kg.query"),
}


def rooms_import_only_what_is_below(imports: Iterable[Import]) -> list[str]:
    """Offenders against ROOMS: a room of kg/ reaching sideways or up (store -> search, query -> cli …)."""
    offenders = []
    for item in imports:
        room = ".".join(item.path.removesuffix(".py").split("/")[:2])
        if room not in ROOMS or item.target is None:
            continue
        allowed = (room, "kg.core", "kg.errors", *ROOMS[room])
        if not any(item.module == name or item.module.startswith(name + ".") for name in allowed):
            offenders.append(item.where())
    return offenders


def test_each_room_of_kg_imports_only_the_rooms_below_it(project_imports: list[Import]) -> None:
    offenders = rooms_import_only_what_is_below(project_imports)
    assert not offenders, _fail_message("a room of kg/ imports a room it may not", offenders)


def test_the_room_rule_bites() -> None:
    imports = [Import("kg/store/home.py", 3, "from kg.search.index import SearchIndex", "kg.search.index",
                      "kg/search/index.py"),
               Import("kg/query/stats.py", 5, "from kg.store.base import GraphStore", "kg.store.base", "kg/store/base.py"),
               Import("kg/export/turtle.py", 7, "from kg.cli.main import cli", "kg.cli.main", "kg/cli/main.py"),
               Import("kg/search/index.py", 9, "import numpy", "numpy", None)]
    assert rooms_import_only_what_is_below(imports) == [
        "kg/store/home.py:3: from kg.search.index import SearchIndex", "kg/export/turtle.py:7: from kg.cli.main import cli"]
