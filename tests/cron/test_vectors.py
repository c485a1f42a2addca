"""Agreement with the real robfig/cron v3.0.1 + Kubernetes, case by case (tests/data/cron-k8s-public.jsonl)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from jobcheck.cron import CronError, k8s_schedule_errors, load_location, parse, timezone_errors
from jobcheck.cron.timezone import LocationError
from tests.cron.conftest import TZDATA_2025B, go_rfc3339, parse_rfc3339, vector_zone

VECTORS = Path(__file__).parent.parent / "data" / "cron-k8s-public.jsonl"
CASES = [json.loads(line) for line in VECTORS.read_text(encoding="utf-8").split("\n") if line.strip()]
SCHEDULE_CASES = [c for c in CASES if "expr" in c]
TZ_CASES = [c for c in CASES if "tz_check" in c]


def test_vector_file_is_complete():
    assert len(CASES) == 3000
    assert len(TZ_CASES) == 136


def _check_case(case: dict) -> list[str]:
    """Return the disagreements for one schedule case (empty when it agrees fully)."""
    problems = []
    expr, tz = case["expr"], case["tz"]
    try:
        sched, err = parse(expr), None
    except CronError as exc:
        sched, err = None, exc
        if not (0 <= exc.start <= exc.end <= len(expr)):
            problems.append(f"span {exc.start}-{exc.end} outside the expression")
    if (err.message if err else None) != case["error"]:
        problems.append(f"robfig verdict {err and err.message!r} != {case['error']!r}")
    tz_errors = timezone_errors(tz) if tz is not None else []
    k8s = [e.message for e in k8s_schedule_errors(expr)] + tz_errors
    if ("; ".join(k8s) or None) != case["k8s_error"] or (not k8s) != case["k8s_ok"]:
        problems.append(f"k8s verdict {k8s!r} != {case['k8s_error']!r}")
    if sched is None or tz_errors:
        return problems
    zone = vector_zone(tz)
    runs = sched.next_n(parse_rfc3339(case["start"]), zone, case["n"])
    got = [go_rfc3339(t) for t in runs.times]
    # Same instants (Go prints offsets to the minute, so skip LMT-era sub-minute offsets),
    # and the same wall clock and offset as Go prints them.
    for t, w in zip(runs.times, case["next"], strict=False):
        if t.utcoffset().seconds % 60 == 0 and t.timestamp() != parse_rfc3339(w).timestamp():
            problems.append(f"instant {t.isoformat()} != {w}")
    if got != case["next"]:
        problems.append(f"next {got} != {case['next']}")
    if runs.never != case["never"]:
        problems.append(f"never {runs.never} != {case['never']}")
    if runs.stopped != bool(case.get("hang")):
        problems.append(f"stopped {runs.stopped} != hang {case.get('hang')}")
    return problems


def test_all_schedule_vectors_agree():
    started = time.perf_counter()
    failures = {c["id"]: p for c in SCHEDULE_CASES if (p := _check_case(c))}
    elapsed = time.perf_counter() - started
    assert not failures, f"{len(failures)} of {len(SCHEDULE_CASES)} disagree: {dict(list(failures.items())[:5])}"
    assert elapsed < 30, f"vector run took {elapsed:.1f}s"


@pytest.mark.parametrize("case", TZ_CASES, ids=[c["id"] for c in TZ_CASES])
def test_timezone_vectors(case):
    name = case["tz_check"]
    assert ("; ".join(timezone_errors(name)) or None) == case["k8s_error"]
    try:
        load_location(name)
        load = (True, None)
    except LocationError as exc:
        load = (False, str(exc))
    assert load == (case["load_ok"], case["load_error"])


@pytest.mark.parametrize("case", [c for c in SCHEDULE_CASES if c.get("hang")], ids=lambda c: c["id"])
def test_hang_cases_stop_promptly(case):
    sched = parse(case["expr"])
    started = time.perf_counter()
    runs = sched.next_n(parse_rfc3339(case["start"]), vector_zone(case["tz"]), case["n"])
    assert runs.stopped and not runs.never
    assert [go_rfc3339(t) for t in runs.times] == case["next"]
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("name, probe", [("Africa/Casablanca", "2027-06-01T00:00:00Z"),
                                         ("America/Havana", "2027-01-01T00:00:00Z")])
def test_tzdata_overrides_are_still_needed(name, probe):
    """If the bundled tzdata ever agrees with 2025b again for a zone, drop its override."""
    when = parse_rfc3339(probe)
    assert name in TZDATA_2025B
    assert when.astimezone(load_location(name)).utcoffset() != when.astimezone(vector_zone(name)).utcoffset()
