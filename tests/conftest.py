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
