"""Fuzz test setup: the one switch for issue 16's known failures.

The Hypothesis profiles are in tests/fuzz/profiles.py (applied to the fuzz tests only, never
loaded globally, so the other property tests keep their own settings).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

# THE SWITCH. Today's code still crashes on the classes of issue 16 (the fixes land in parallel), so
# the fuzz tests that assert "no problem at all" and the crasher corpus are expected to fail: every
# test marked ``issue16`` is made xfail (not strict) here. Once the fixes are merged, set this to
# True: those tests then have to pass.
ISSUE16_FIXES_MERGED = True


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ISSUE16_FIXES_MERGED:
        return
    known = pytest.mark.xfail(strict=False, reason="issue 16: fixes landing (tests/fuzz/conftest.py ISSUE16_FIXES_MERGED)")
    for item in items:
        if item.get_closest_marker("issue16") is not None:
            item.add_marker(known)


@pytest.fixture
def fail_fast() -> bool:
    """While the known failures are expected, a fuzz loop may stop at its first problem: the test is
    an expected failure anyway, and running on would only cost CI time."""
    return not ISSUE16_FIXES_MERGED
