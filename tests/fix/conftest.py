"""Patch the intended fix safety (see fixsupport.INTENDED_SAFETY) over the shipped rule files."""

from __future__ import annotations

import pytest
from fixsupport import with_intended_safety

from jobcheck.lint import options as engine


@pytest.fixture(autouse=True)
def intended_safety(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make build_options (and so run_lint and the CLI) see the intended fix safety."""
    original = engine.load_rules
    monkeypatch.setattr(engine, "load_rules", lambda dirs=(): with_intended_safety(original(dirs)))
