"""Hypothesis profiles for the fuzz tests; ``JOBCHECK_FUZZ`` chooses (``ci`` by default).

- ``ci``: derandomized (the same examples on every run), few examples, a deadline, no shrinking
  (a failure prints its example; rerun with the long profile to shrink it): every push, well under
  a minute for the whole of tests/fuzz.
- ``long``: random, 20 times more examples and mutants, shrinking on:
  ``JOBCHECK_FUZZ=long pytest tests/fuzz``, for before a release, next to
  ``python scripts/fuzz.py --count 20000``.

A path's own time bound is the harness's (harness.slow_bound: a multiple of a normal document);
the Hypothesis deadline is only a backstop above it.
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, Phase, settings

PROFILE = os.environ.get("JOBCHECK_FUZZ", "ci")
if PROFILE not in ("ci", "long"):
    raise ValueError(f"JOBCHECK_FUZZ={PROFILE!r}: expected ci or long")

_COMMON = dict(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                                      HealthCheck.function_scoped_fixture], print_blob=True)
PROFILES = {
    "ci": settings(derandomize=True, max_examples=30, deadline=timedelta(seconds=60), database=None,
                   phases=[Phase.explicit, Phase.generate], **_COMMON),
    "long": settings(max_examples=600, deadline=timedelta(seconds=120), **_COMMON),
}
FUZZ = PROFILES[PROFILE]

# The deterministic mutation corpus test (test_mutants.py): how many mutants, per profile.
MUTANTS = {"ci": 150, "long": 5000}[PROFILE]


def scaled(n: int) -> settings:
    """The profile with ``n`` examples under ci (20 times as many under long)."""
    return settings(FUZZ, max_examples=n if PROFILE == "ci" else 20 * n)
