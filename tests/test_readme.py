"""Docs that run: every `vetgraph` example in the README works as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from tests.conftest import ROOT, require_shared

README = ROOT / "README.md"


def readme_examples() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip().startswith("vetgraph ")]


def test_the_readme_gives_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make app" in text and "make test" in text
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^app:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)


def test_every_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_shared("policy")
    examples = readme_examples()
    assert len(examples) >= 8
    # The README's paths are relative to the checkout, with ../shared beside it.
    checkout = tmp_path / "main"
    checkout.mkdir()
    (checkout / "corpus").symlink_to(ROOT / "corpus")
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    monkeypatch.chdir(checkout)
    monkeypatch.setenv("VETGRAPH_STORE", str(tmp_path / "home"))
    runner = CliRunner()
    for example in examples:
        args = shlex.split(example)[1:]
        if args[0] == "index" and "--model" not in args:
            args += ["--model", "fake"]  # the real model on the whole graph is a benchmark, not a test
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, f"{example}\n{result.output}"
        assert "error" not in result.output.lower(), example
    assert (checkout / "vetgraph-export.ttl").stat().st_size > 100_000
