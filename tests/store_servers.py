"""Triple-store servers for the tests: `oxigraph serve` and Virtuoso, each started once per test process.

Each runs in a temporary folder on free localhost ports and is stopped when the session ends (under
pytest-xdist every worker starts its own). A missing binary skips the tests that need it with the
reason and the command that installs it (`make stores`); under CI=true it fails them instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg.store.settings import RemoteSettings

#: How long a server may take to answer its first request (Virtuoso creates its database first).
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing(what: str) -> None:
    """Skip (or, under CI=true, fail) a test whose server cannot run here."""
    message = f"{what}; `make stores` (scripts/install_stores.sh) installs it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers, if only to say the request lacks a query
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} within {START_SECONDS}s: {log.read_text(errors='replace')[-2000:]}")


@contextmanager
def _running(command: list[str], folder: Path, url: str) -> Iterator[None]:
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(url, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[RemoteSettings]:
    """`oxigraph serve` on a database in ``folder``."""
    binary = _oxigraph_binary()
    if binary is None:
        missing("the oxigraph server binary is not installed (pip package `oxigraph`, pinned in requirements-dev.txt)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(binary), "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
    with _running(command, folder, f"{url}/query"):
        yield RemoteSettings.for_server("oxigraph", url)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 8
CheckpointInterval = 0
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2
DirsAllowed = ., {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 8
ServerThreads = 8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""

#: Let the anonymous SPARQL user write (this server listens on localhost, for the tests only).
VIRTUOSO_GRANTS = ('GRANT SPARQL_UPDATE TO "SPARQL";'
                   "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[RemoteSettings]:
    """virtuoso-t in the foreground on a database in ``folder``, SPARQL updates granted to its anonymous user."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        missing("Virtuoso is not installed (Debian's virtuoso-opensource-7-bin: virtuoso-t and isql-vt)")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    url = f"http://127.0.0.1:{http_port}"
    with _running([str(server), "+foreground", "+configfile", str(ini)], folder, f"{url}/sparql"):
        granted = subprocess.run([str(isql), f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={VIRTUOSO_GRANTS}"],
                                 capture_output=True, text=True, timeout=60, check=False)
        if granted.returncode != 0 or "Error" in granted.stdout + granted.stderr:
            raise RuntimeError(f"isql-vt could not grant SPARQL updates: {granted.stdout} {granted.stderr}")
        yield RemoteSettings.for_server("virtuoso", url)
