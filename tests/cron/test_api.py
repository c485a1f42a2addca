"""The public API of jobcheck.cron beyond the vectors: spans, properties, descriptions, zones."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from jobcheck.cron import CronError, k8s_schedule_error, load_location, parse, timezone_error
from jobcheck.cron.describe import describe, describe_fields
from jobcheck.cron.dst import dst_transitions


@pytest.mark.parametrize(
    "expr, start, end",
    [("0 0 * * 7", 8, 9), ("0  0 * * MON,,X", 14, 15), ("0 0 * *", 0, 7), ("@every 1d", 0, 9),
     ("TZ=Nope/Zone 0 0 * * *", 3, 12), ("TZ=UTC  0 0 * 13 *", 14, 16), ("", 0, 0)],
)
def test_error_spans(expr, start, end):
    with pytest.raises(CronError) as info:
        parse(expr)
    assert (info.value.start, info.value.end) == (start, end)


def test_k8s_error_for_tz_substring():
    err = k8s_schedule_error("0 0 * * * # TZ")
    assert err is not None  # robfig rejects 7 fields first
    err = k8s_schedule_error("TZ=UTC 0 0 * * *")
    assert err.message == "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
    assert (err.start, err.end) == (0, 6)
    assert k8s_schedule_error("0 0 * * *") is None


def test_properties():
    assert parse("0 0 1 * 1").day_or and not parse("0 0 ? * 1").day_or and not parse("@weekly").day_or
    assert parse("0 0 */2 * 1").day_or
    assert parse("* * * * *").fires_every_minute and parse("*/1 0-23 * * ?").fires_every_minute
    assert not parse("*/2 * * * *").fires_every_minute and parse("@every 30s").fires_every_minute
    assert parse("5/15 * * * *").values("minute") == [5, 20, 35, 50]
    assert parse("0 0 * * mon-FRI").normalized == "0 0 * * 1-5"
    assert parse("@every 90m").normalized == "@every 1h30m"
    assert parse("0 0 1,,2 * *").empty_items
    assert parse("0 0 , * *").impossible_by_bits


def test_next_every_and_never():
    start = datetime(2027, 1, 1, 12, 0, 0, 500000, tzinfo=timezone.utc)
    assert parse("@every 90s").next(start) == datetime(2027, 1, 1, 12, 1, 30, tzinfo=timezone.utc)
    assert parse("0 0 30 2 *").next(start) is None
    with pytest.raises(RuntimeError):
        parse("0 2 * * 0").next(datetime(2011, 12, 29, 4, tzinfo=timezone.utc), load_location("Pacific/Apia"))


def test_describe_examples():
    s = parse("0 2 * * 1-5")
    assert describe(s) == "At 02:00 on every day-of-week from Monday through Friday"
    assert describe(s, "ko") == "월요일부터 금요일까지 매일 02:00에"
    assert describe(parse("*/5 * * * *"), "ko") == "5분마다"
    assert describe(parse("0 0 1 * 1")) == "At 00:00 on day-of-month 1 or on Monday"
    assert [f["label"] for f in describe_fields(s, "ko")] == ["분", "시", "일", "월", "요일"]
    with pytest.raises(ValueError):
        describe(s, "fr")


def test_dst_transitions():
    ny = load_location("America/New_York")
    events = dst_transitions(parse("30 2 * * *"), ny, datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert [(e.kind, e.local_date, e.wall_times, len(e.fires)) for e in events] == [
        ("skipped", "2027-03-14", ("02:30",), 0)]
    events = dst_transitions(parse("30 1 * * *"), ny, datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert [(e.kind, e.local_date, len(e.fires)) for e in events] == [("repeated", "2027-11-07", 2)]
    assert dst_transitions(parse("30 2 * * *"), timezone.utc, datetime(2027, 1, 1, tzinfo=timezone.utc)) == []


def test_timezone_uses_bundled_tzdata(monkeypatch):
    import zoneinfo

    monkeypatch.setattr(zoneinfo, "TZPATH", ())
    load_location.cache_clear()
    try:
        assert load_location("Asia/Seoul").key == "Asia/Seoul"
        assert timezone_error("asia/seoul") == "unknown time zone asia/seoul"
        assert timezone_error("LOCAL") == ("timeZone must be an explicit time zone as defined in "
                                           "https://www.iana.org/time-zones; unknown time zone LOCAL")
        assert timezone_error("Asia/Seoul\n") == "unknown time zone Asia/Seoul\n"
    finally:
        load_location.cache_clear()
