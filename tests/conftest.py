"""Shared test setup: surface check bugs instead of swallowing them, and locate ../shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("JOBCHECK_DEBUG", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path_factory, monkeypatch) -> None:
    """Each test's runs share a result cache of their own (jobcheck.cache), outside the repository:
    runs in the tree would leave .jobcheck_cache behind, and a cache shared between tests would hand
    one test's results to another that patched a check. tests/test_cache.py tests the default place."""
    monkeypatch.setenv("JOBCHECK_CACHE_DIR", str(tmp_path_factory.mktemp("jobcheck-cache")))
