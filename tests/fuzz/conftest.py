"""Fuzz test setup: the harness modules (mutators, harness, profiles) import from this folder.

The Hypothesis profiles are in tests/fuzz/profiles.py (applied to the fuzz tests only, never
loaded globally, so the other property tests keep their own settings).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
