"""Shared fixtures: where the real data lives, and a skip with a reason where it does not."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The priority industries and special fields the seed policy (../shared/data/policy/000_…) names.
SEED_FIELDS = ("旅游业", "清洁能源", "特色农牧业", "大数据", "高原特色种养殖", "民族手工艺", "跨境旅游", "边境贸易")
SHARED_DATA = (ROOT.parent / "shared" / "data").resolve()
SEED = SHARED_DATA / "policy" / "000_63c5338d7d9bffda.txt"


def require_shared(*parts: str) -> Path:
    """The path under ../shared/data, or skip the test saying what is missing."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not found at {path}: these tests need ../shared/data beside the checkout")
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return require_shared("policy", "000_63c5338d7d9bffda.txt")


@pytest.fixture(scope="session")
def real_home(tmp_path_factory: pytest.TempPathFactory):
    """All of ../shared/data ingested once per session (read-only: copy it before changing it)."""
    from kg.pipeline.run import ingest
    from kg.store.home import Home

    data = require_shared()
    home = Home(tmp_path_factory.mktemp("real") / "home")
    report = ingest(home, [data])
    assert report.count("rejected") == 0, [f.reason for f in report.files if f.status == "rejected"]
    home.report = report  # type: ignore[attr-defined]
    return home
