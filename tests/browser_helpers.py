"""What the browser tests stand on: Chromium and Playwright found (a skip with the reason, a failure under CI=true),
the real store built once per test run under a file lock, `streamlit run app.py` on a free port, and a wait for the
app to settle after each click."""

from __future__ import annotations

import fcntl
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import ROOT, require_shared

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
#: Where the screenshots go (git-ignored).
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
SERVER_START_SECONDS = 90
#: ECharts' graph settles (the first layout, then a redraw 400 ms after it finished) within this.
GRAPH_ANIMATION_MS = 1500
INSTALL_HINT = "run `make browser` (apt: chromium, fonts-noto-cjk) and `make dev` (pip: playwright)"


def require_browser() -> Path:
    """Debian's Chromium, with the Playwright package to drive it; else skip (fail when CI=true) saying what lacks."""
    missing = [what for what, present in (
        (f"chromium at {CHROMIUM}", CHROMIUM.exists()),
        ("the Python package playwright", importlib.util.find_spec("playwright") is not None),
    ) if not present]
    if missing:
        reason = f"browser test needs {' and '.join(missing)}: {INSTALL_HINT}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return CHROMIUM


def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All of ../shared/data ingested and indexed with the fake encoder, once per test run.

    Under pytest-xdist the workers' temporary folders share a parent, where the first worker builds the home
    while the others wait on the lock; a marker file says the home is complete.
    """
    data = require_shared()
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    home, ready = root / "browser-home", root / "browser-home.ready"
    with open(root / "browser-home.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ready.exists():
            shutil.rmtree(home, ignore_errors=True)  # a build that died half-way
            build_store(home, data)
            ready.touch()
    return home


def build_store(home: Path, data: Path) -> None:
    from click.testing import CliRunner

    from kg.cli.main import cli
    from kg.pipeline.run import ingest
    from kg.store.home import Home

    report = ingest(Home(home), [data])
    assert report.count("rejected") == 0, [f.reason for f in report.files if f.status == "rejected"]
    result = CliRunner().invoke(cli, ["--store", str(home), "index", "--model", "fake"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def streamlit_server(home: Path, log: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free localhost port over ``home``; yields its URL once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]
    env = os.environ | {"VETGRAPH_STORE": str(home)}
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"streamlit did not answer on {url} within {SERVER_START_SECONDS}s:\n"
                f"{log.read_text(errors='replace')[-2000:]}")


def settle(page: Page, timeout_ms: int = 60_000) -> None:
    """Wait until the app's script run is over and no element is left stale from the run before."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.dataset.testConnectionState === 'CONNECTED'
                && app.dataset.testScriptState === 'notRunning'
                && !document.querySelector('[data-stale="true"]');
        }""", timeout=timeout_ms)


def wait_for_graph(page: Page) -> None:
    """Wait until the entity page's neighbourhood graph is drawn and its layout animation is over."""
    page.locator(".echarts-container canvas").first.wait_for()
    page.wait_for_timeout(GRAPH_ANIMATION_MS)


def screenshot(page: Page, name: str) -> Path:
    """Save what the page shows now as ARTIFACTS/<name>.png and say where."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.mouse.move(700, 20)  # over the empty header: no hover effects (an anchor icon, a tooltip) in the picture
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")
    return path
