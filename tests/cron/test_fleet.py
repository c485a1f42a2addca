"""Runs over a window and pile-up minutes (jobcheck.cron.fleet), against the real robfig vectors."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from jobcheck.cron import load_location, parse
from jobcheck.cron.fleet import pileups, runs_between
from tests.cron.conftest import parse_rfc3339, vector_zone

VECTORS = Path(__file__).parent.parent / "data" / "cron-k8s-public.jsonl"
CASES = [json.loads(line) for line in VECTORS.read_text(encoding="utf-8").split("\n") if line.strip()]
CHAINED = [c for c in CASES if "expr" in c and c.get("ok") and c.get("next") and len(c["next"]) >= 2 and not c.get("never")]


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize("case", CHAINED[:400], ids=lambda c: c["id"])
def test_window_runs_are_the_chained_next_times_of_the_vectors(case):
    """Each vector lists consecutive Next calls; a window ending at the last one holds exactly them."""
    zone = vector_zone(case["tz"])
    expected = [parse_rfc3339(t) for t in case["next"]]
    runs = runs_between(parse(case["expr"]), zone, _utc(case["start"]), expected[-1])
    assert not runs.stopped
    got = [datetime.fromtimestamp(t, timezone.utc) for t in runs.times]
    assert got == [t.astimezone(timezone.utc).replace(microsecond=0) for t in expected]


def test_spring_forward_skips_and_fall_back_repeats_in_new_york():
    zone = load_location("America/New_York")
    start = _utc("2027-03-13T00:00:00Z")
    skipped = runs_between(parse("30 2 * * *"), zone, start, start + timedelta(days=3)).times
    # 02:30 does not exist on 2027-03-14: robfig's Next moves on to the next day.
    assert [datetime.fromtimestamp(t, zone).strftime("%m-%d %H:%M") for t in skipped] == ["03-13 02:30", "03-15 02:30"]
    fall = _utc("2027-11-06T12:00:00Z")
    repeated = runs_between(parse("30 1 * * *"), zone, fall, fall + timedelta(days=1)).times
    assert [datetime.fromtimestamp(t, timezone.utc).strftime("%H:%M") for t in repeated] == ["05:30", "06:30"]


def test_limit_marks_truncation_and_the_end_is_inclusive():
    start = _utc("2027-01-01T00:00:00Z")
    every_minute = runs_between(parse("* * * * *"), None, start, start + timedelta(hours=1), limit=10)
    assert len(every_minute.times) == 10 and every_minute.truncated
    whole = runs_between(parse("* * * * *"), None, start, start + timedelta(hours=1))
    assert len(whole.times) == 60 and not whole.truncated
    assert whole.times[-1] == int((start + timedelta(hours=1)).timestamp())
    exact = runs_between(parse("* * * * *"), None, start, start + timedelta(minutes=10), limit=10)
    assert len(exact.times) == 10 and not exact.truncated


def test_pileups_count_each_key_once_per_minute_and_respect_the_threshold():
    starts = {"a": [60, 90, 180], "b": [65], "c": [119, 180], "d": [240]}
    assert pileups(starts, 3) == [(60, ["a", "b", "c"])]
    assert pileups(starts, 2) == [(60, ["a", "b", "c"]), (180, ["a", "c"])]
    assert pileups({}, 3) == []


def test_zones_meet_in_one_utc_minute():
    start = _utc("2027-06-01T00:00:00Z")
    end = start + timedelta(days=1)
    starts = {
        "seoul": runs_between(parse("0 11 * * *"), load_location("Asia/Seoul"), start, end).times,
        "utc": runs_between(parse("0 2 * * *"), None, start, end).times,
        "berlin": runs_between(parse("0 4 * * *"), load_location("Europe/Berlin"), start, end).times,
        "prefixed": runs_between(parse("CRON_TZ=America/New_York 0 22 * * *"), None, start, end).times,
    }
    at = int(_utc("2027-06-01T02:00:00Z").timestamp())
    assert pileups(starts, 4) == [(at, ["seoul", "utc", "berlin", "prefixed"])]


# Schedules and zones where a day's walk meets DST changes, skipped and repeated hours, and schedules
# denser than the rule's limit; starts across the transitions of 2026 in each zone.
MEMO_EXPRS = ["0 2 * * *", "30 2 * * *", "30 1 * * *", "0 */6 * * *", "@hourly", "*/20 1-3 * * *", "0 2 * * 0",
              "TZ=Europe/Berlin 30 2 * * *", "CRON_TZ=America/New_York 30 1 * * *", "0 0 29 2 *", "0 0 31 4 *",
              "@every 90m", "* * * * *"]
MEMO_ZONES = [None, "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago"]
MEMO_DAYS = ["2026-03-07", "2026-03-28", "2026-04-04", "2026-10-24", "2026-10-31", "2026-12-03"]


@pytest.mark.parametrize("expr", MEMO_EXPRS)
def test_runs_through_the_memo_of_the_day_are_the_runs_walked_from_the_start(expr):
    from jobcheck.cron.fleet import runs_memoized

    sched = parse(expr)
    for name in MEMO_ZONES:
        zone = load_location(name) if name else None
        for day in MEMO_DAYS:
            memo: dict = {}
            for hour, minute in ((0, 0), (0, 1), (1, 59), (2, 30), (13, 7), (23, 59)):
                start = _utc(f"{day}T{hour:02}:{minute:02}:00Z")
                end = start + timedelta(days=7)
                for gap in (0, 3600):
                    want = runs_between(sched, zone, start, end, 168, gap)
                    got = runs_memoized(sched, zone, start, end, 168, memo, f"{expr}|{name}", gap)
                    assert got == want, (name, start, gap)
            assert len(memo) <= 2  # one layout of the day (per gap), sliced for every later minute of it


def test_a_damaged_memo_entry_is_laid_out_again():
    from jobcheck.cron.fleet import runs_memoized

    sched, start = parse("0 2 * * *"), _utc("2026-12-03T10:00:00Z")
    end = start + timedelta(days=7)
    memo: dict = {}
    want = runs_memoized(sched, None, start, end, 168, memo, "k")
    assert want == runs_between(sched, None, start, end, 168) and len(want.times) == 7
    (name,) = memo
    for damaged in ("x", [1, "2"], None, {"times": []}):
        memo[name] = damaged
        assert runs_memoized(sched, None, start, end, 168, memo, "k") == want
        assert memo[name] != damaged
    memo[name] = [t + 3600 for t in memo[name]]  # a layout that Next(start) does not meet: walked again
    assert runs_memoized(sched, None, start, end, 168, memo, "k") == want


def test_a_walk_with_a_minimum_gap_stops_at_the_first_close_pair():
    start = _utc("2026-12-03T10:00:00Z")
    end = start + timedelta(days=7)
    close = runs_between(parse("0,30 * * * *"), None, start, end, 168, 3600)
    assert close.dense and [t - close.times[0] for t in close.times] == [0, 1800]
    apart = runs_between(parse("0 */2 * * *"), None, start, end, 168, 3600)
    assert not apart.dense and apart == runs_between(parse("0 */2 * * *"), None, start, end, 168) and len(apart.times) == 84
