"""Cron and explain at the ends of the calendar: no crash, a clear 'beyond' instead (issue 16)."""

from __future__ import annotations

import json
import zoneinfo
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from jobcheck.cli import main
from jobcheck.cron import load_location, parse
from jobcheck.cron.analysis import dst_effects, shortest_interval
from jobcheck.cron.dst import offset_changes
from jobcheck.cron.schedule import MAX_INSTANT, MIN_INSTANT
from jobcheck.explain import explain_expression, render_text
from jobcheck.explain.build import parse_start

UTC = timezone.utc
ZONES = sorted(zoneinfo.available_timezones())
# Every extreme an aware datetime can hold: the first and last instants, with the widest offsets.
EXTREMES = [
    datetime.min.replace(tzinfo=UTC),
    datetime.max.replace(tzinfo=UTC),
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=23, minutes=59))),
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=-23, minutes=-59))),
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=14))),
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-23, minutes=-59))),
]


@pytest.mark.parametrize("start", EXTREMES, ids=lambda d: d.isoformat())
@pytest.mark.parametrize("expr", ["* * * * *", "0 0 29 2 *", "0 0 30 2 *", "30 2 * * 0", "@every 1h", "@yearly"])
def test_next_runs_at_the_ends_of_the_calendar_never_raise(expr, start):
    """Minimal trigger of 'year 10000 is out of range' / 'date value out of range' in Next."""
    sched = parse(expr)
    for name in ("UTC", "Pacific/Kiritimati", "Etc/GMT+12", "America/New_York", "Pacific/Apia"):
        runs = sched.next_n(start, load_location(name), 3)
        for t in runs.times:
            assert MIN_INSTANT <= t <= MAX_INSTANT
        assert runs.times or runs.never or runs.beyond or runs.stopped
        shortest_interval(sched, load_location(name), start)
        dst_effects(sched, load_location(name), start)


@pytest.mark.parametrize("start", EXTREMES[:2] + EXTREMES[4:5], ids=lambda d: d.isoformat())
def test_offset_changes_in_every_zone_at_the_extremes(start):
    """Minimal trigger of the OverflowError in dst.offset_changes: a year walk from the last instant."""
    for name in ZONES:
        changes = offset_changes(load_location(name), start, 366)
        for instant, before, after in changes:
            assert MIN_INSTANT <= instant <= MAX_INSTANT
            assert before != after


def test_a_run_after_year_9999_is_reported_beyond_not_raised():
    runs = parse("0 0 1 1 *").next_n(datetime(9999, 6, 1, tzinfo=UTC), UTC, 3)
    assert runs.times == [] and runs.beyond and not runs.never
    runs = parse("* * * * *").next_n(datetime(9999, 12, 30, 23, 57, tzinfo=UTC), UTC, 5)
    assert [t.minute for t in runs.times] == [58, 59] and runs.beyond
    runs = parse("@every 1h").next_n(datetime(9999, 12, 30, 22, 30, tzinfo=UTC), UTC, 5)
    assert len(runs.times) == 1 and runs.beyond


def test_never_is_still_robfigs_five_year_verdict_near_the_end():
    """An impossible date is 'never' (robfig's answer), not 'beyond', while the search stays below 10000."""
    runs = parse("0 0 30 2 *").next_n(datetime(9990, 1, 1, tzinfo=UTC), UTC, 1)
    assert runs.never and not runs.beyond


def test_explain_near_the_end_says_beyond():
    result = explain_expression("0 0 1 1 *", "Europe/Berlin", "9999-06-01T00:00:00Z")
    assert result["next"] == [] and result["beyond"] is True
    assert result["warnings"][0]["code"] == "beyond-range"
    assert "(further runs fall after year 9999: see warnings)" in render_text(result)
    json.dumps(result, allow_nan=False)


@pytest.mark.parametrize("text", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T00:00:00-10:00"])
def test_from_outside_the_window_is_a_usage_error(text):
    with pytest.raises(ValueError, match="must lie between"):
        parse_start(text)
    result = CliRunner().invoke(main, ["explain", "0 0 * * *", "--from", text])
    assert result.exit_code == 2
    assert "must lie between 0001-01-02T00:00:00Z and 9999-12-30T23:59:59Z" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_from_at_the_window_edges_is_accepted():
    assert parse_start("9999-12-30T23:59:59Z") == MAX_INSTANT
    assert parse_start("0001-01-02T00:00:00Z") == MIN_INSTANT
    result = CliRunner().invoke(main, ["explain", "* * * * *", "--from", "0001-01-02T00:00:00Z", "-z", "Etc/GMT+12"])
    assert result.exit_code == 0, result.output
    assert "0001-01-01T12:01:00-12:00" in result.output
