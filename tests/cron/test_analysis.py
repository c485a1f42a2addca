"""jobcheck.cron.analysis: the schedule facts the rules and ``jobcheck explain`` share."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from jobcheck.cron import load_location, parse
from jobcheck.cron.analysis import (
    DstEffect,
    accepted_schedule,
    controller_zone,
    dst_effects,
    first_runs,
    interval_floor,
    reference_minute,
    shortest_interval,
    zone_independent,
)
from jobcheck.cron.describe import describe_duration
from jobcheck.cron.timezone import has_dst

START = datetime(2027, 1, 10, 12, tzinfo=timezone.utc)
NEW_YORK = load_location("America/New_York")


@pytest.mark.parametrize("text", [None, "", "0 0 * * 7", "TZ=UTC 0 0 * * *", "0 0 * *"])
def test_accepted_schedule_refuses_what_the_api_server_rejects(text):
    assert accepted_schedule(text) is None


def test_accepted_schedule_is_the_parsed_schedule():
    assert accepted_schedule("*/5 * * * *") is parse("*/5 * * * *")


@pytest.mark.parametrize(
    "name, key, shown",
    [("Asia/Seoul", "Asia/Seoul", "Asia/Seoul"), (None, None, None), ("", None, None),
     ("Mars/Base", None, None), ("Local", None, None)],
)
def test_controller_zone_falls_back_to_utc(name, key, shown):
    zone, zone_name = controller_zone(name)
    assert zone_name == shown
    assert (zone is timezone.utc) if key is None else zone.key == key


def test_reference_minute():
    assert reference_minute(START) is START
    assert reference_minute(datetime(2027, 1, 10, 12, 0, 30)) == START + timedelta(seconds=30)
    now = reference_minute(None)
    assert now.tzinfo is timezone.utc and now.second == now.microsecond == 0


def test_first_runs():
    runs = first_runs(parse("0 3 * * *"), timezone.utc, START, 2)
    assert runs.times == [datetime(2027, 1, 11, 3, tzinfo=timezone.utc), datetime(2027, 1, 12, 3, tzinfo=timezone.utc)]
    assert first_runs(parse("0 0 30 2 *"), timezone.utc, START, 1).never


@pytest.mark.parametrize(
    "expr, seconds",
    [("*/15 * * * *", 900), ("0 8,9 * * 1-5", 3600), ("@every 10m", 600), ("0 3 * * *", 86400)],
)
def test_shortest_interval(expr, seconds):
    assert shortest_interval(parse(expr), timezone.utc, START) == seconds


def test_shortest_interval_none_without_two_runs():
    assert shortest_interval(parse("0 0 30 2 *"), timezone.utc, START) is None


@pytest.mark.parametrize("expr", ["*/15 * * * *", "0 8,9 * * 1-5", "5,50 */6 * * *", "0 3 * * *", "@every 2h"])
@pytest.mark.parametrize("zone", [timezone.utc, NEW_YORK])
def test_interval_floor_is_a_lower_bound(expr, zone):
    sched = parse(expr)
    assert interval_floor(sched, zone) <= shortest_interval(sched, zone, START)


def test_interval_floor_drops_an_hour_where_dst_may_apply():
    assert interval_floor(parse("0 3 * * *"), timezone.utc) == 86400
    assert interval_floor(parse("0 3 * * *"), NEW_YORK) == 86400 - 3600


@pytest.mark.parametrize(
    "zone, expected",
    [(timezone.utc, False), (load_location("Etc/UTC"), False), (load_location("Zulu"), False),
     (NEW_YORK, True), (load_location("Asia/Seoul"), True)],  # loose on purpose: a safe bound
)
def test_has_dst(zone, expected):
    assert has_dst(zone) is expected


@pytest.mark.parametrize("expr, expected", [("*/5 * * * *", True), ("7 * * * *", True), ("@every 30m", True),
                                            ("0 3 * * *", False), ("* * * * 1", False)])
def test_zone_independent(expr, expected):
    assert zone_independent(parse(expr)) is expected


def test_dst_effects():
    assert dst_effects(parse("30 2 * * *"), NEW_YORK, START) == (DstEffect("skipped", "2027-03-14", "02:30"),)
    assert dst_effects(parse("30 1 * * *"), NEW_YORK, START) == (DstEffect("repeated", "2027-11-07", "01:30"),)
    (effect,) = dst_effects(parse("*/10 2 * * *"), NEW_YORK, START)
    assert effect.times == "02:00, 02:10, 02:20, 02:30 ..."
    assert dst_effects(parse("30 2 * * *"), timezone.utc, START) == ()


def test_describe_duration():
    assert [describe_duration(s) for s in (0, 1, 90, 900, 5400, 86400, 90061)] == [
        "0 seconds",
        "1 second",
        "1 minute 30 seconds",
        "15 minutes",
        "1 hour 30 minutes",
        "1 day",
        "1 day 1 hour 1 minute 1 second",
    ]
    assert [describe_duration(s, "ko") for s in (0, 120, 7200, 93600)] == ["0초", "2분", "2시간", "1일 2시간"]


# --- How long dst_effects' answer holds (JC311's ``holds_until``, the result cache) -----------

from jobcheck.cron.analysis import dst_effects_hold  # noqa: E402
from jobcheck.cron.dst import offset_changes  # noqa: E402

_YEAR = timedelta(days=366)


def _window(zone, start):
    return offset_changes(zone, start, 366)


@pytest.mark.parametrize("zone_name", ["America/New_York", "Europe/London", "Australia/Lord_Howe",
                                       "America/Santiago", "Asia/Tokyo", "UTC"])
@pytest.mark.parametrize("start", [
    datetime(2026, 12, 3, 23, 0, tzinfo=timezone.utc),
    datetime(2026, 3, 7, 12, 0, tzinfo=timezone.utc),  # New York springs forward the next morning
    datetime(2026, 3, 12, 12, 0, tzinfo=timezone.utc),  # a year and a day on, it enters the window
    datetime(2026, 10, 24, 23, 59, tzinfo=timezone.utc),
    datetime(2026, 11, 1, 5, 30, tzinfo=timezone.utc),
])
def test_dst_effects_read_the_same_until_their_hold_and_no_longer_than_a_day(zone_name, start):
    sched, zone = parse("30 1,2 * * *"), load_location(zone_name)
    hold = dst_effects_hold(sched, zone, start)
    assert start < hold <= start + timedelta(days=1)
    step = max((hold - start) // 7, timedelta(minutes=1))
    minute = start
    while minute < hold:  # every start before the hold sees the same changes, so the same effects
        assert _window(zone, minute) == _window(zone, start)
        assert dst_effects(sched, zone, minute) == dst_effects(sched, zone, start)
        minute = min(minute + step, hold - timedelta(minutes=1)) if minute < hold - timedelta(minutes=1) else hold
    if hold < start + timedelta(days=1):  # a change leaves or enters the window right there
        assert _window(zone, hold) != _window(zone, start)


def test_dst_effects_hold_names_the_change_that_leaves_or_enters():
    sched = parse("30 2 * * *")
    leaves = dst_effects_hold(sched, NEW_YORK, datetime(2026, 3, 7, 12, tzinfo=timezone.utc))
    assert leaves == datetime(2026, 3, 8, 7, tzinfo=timezone.utc)  # 02:00 EST, the spring-forward instant
    enters = dst_effects_hold(sched, NEW_YORK, datetime(2026, 3, 12, 12, tzinfo=timezone.utc))
    assert enters == datetime(2027, 3, 14, 7, tzinfo=timezone.utc) - _YEAR
    assert dst_effects_hold(sched, NEW_YORK, datetime(9995, 1, 1, tzinfo=timezone.utc)).year == 9995
