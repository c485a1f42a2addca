"""Corners probed with the real robfig/cron v3.0.1 + Kubernetes (tools/cron-oracle) and frozen here.

data/oracle-corners.jsonl holds the oracle's answers for DST days in several zones
(New York, London, Lord Howe's 30-minute shift, Santiago, Tehran, Havana's midnight
change, Chatham, Dublin's negative DST, Sao Paulo's midnight gap), ``@every`` with Go
duration oddities, Unicode and ASCII whitespace, names, signs, huge numbers, TZ prefixes
and empty list items. Regenerate by feeding the request fields back to the oracle.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cron.test_vectors import _check_case

CORNERS = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "oracle-corners.jsonl").read_text(encoding="utf-8").split("\n")
    if line.strip()
]


@pytest.mark.parametrize("case", CORNERS, ids=[f"{i}-{c['cat']}" for i, c in enumerate(CORNERS)])
def test_oracle_corner(case):
    assert _check_case(case) == []
