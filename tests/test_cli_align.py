"""`vetgraph align suggest` refuses bad options in one line, before opening anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli


@pytest.mark.parametrize(("args", "says"), [
    (["--major", "46 07"], "is not a major code"),
    (["--major", "4607020"], "is not a major code"),
    (["--major", "460702", "--top", "0"], "0 is not in the range x>=1"),
    (["--major", "460702", "--type", "Bogus"], "'Bogus' is not one of"),
])
def test_bad_options_are_one_usage_line(tmp_path: Path, args: list[str], says: str) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "home"), "align", "suggest", *args])
    assert result.exit_code == 2 and says in result.output and "Traceback" not in result.output
    assert not (tmp_path / "home").exists()  # refused before any store was opened or created
