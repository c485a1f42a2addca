"""Property tests: the cron parser, Next and explain on any text never fail but with CronError (issue 16).

Bounded: modest example counts and a deadline per example, so they run on every push.
"""

from __future__ import annotations

import json
import time
import zoneinfo
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobcheck.cron import CronError, load_location, parse
from jobcheck.cron.analysis import dst_effects, shortest_interval
from jobcheck.cron.schedule import MAX_INSTANT, MIN_INSTANT
from jobcheck.explain import explain_expression, render_text
from jobcheck.explain.safe import json_safe

ZONES = sorted(zoneinfo.available_timezones())
TIME_BOUND = 5.0  # seconds for parse + Next + explain of one schedule, far above the usual milliseconds

starts = st.datetimes(
    min_value=MIN_INSTANT.replace(tzinfo=None), max_value=MAX_INSTANT.replace(tzinfo=None)
).map(lambda d: d.replace(tzinfo=timezone.utc))

# Pieces a schedule field is made of, odd ones included: huge numbers, zero steps, names, signs.
numbers = st.one_of(
    st.integers(0, 70).map(str),
    st.sampled_from(["99999999999999999999", "9223372036854775808", "-1", "+5", "007", "", "0x10", "1e3", "٣"]),
    st.sampled_from(["jan", "DEC", "Sun", "sat", "feb"]),
)
items = st.one_of(
    st.sampled_from(["*", "?", ""]),
    numbers,
    st.tuples(numbers, numbers).map("-".join),
    st.tuples(st.sampled_from(["*", "?"]) | numbers, numbers).map("/".join),
    st.tuples(numbers, numbers, numbers).map(lambda t: f"{t[0]}-{t[1]}/{t[2]}"),
)
fields = st.lists(items, min_size=1, max_size=4).map(",".join)
structured = st.one_of(
    st.lists(fields, min_size=5, max_size=5).map(" ".join),
    st.lists(fields, min_size=0, max_size=7).map(" ".join),
    st.sampled_from(["@yearly", "@daily", "@hourly", "@weekly", "@monthly", "@reboot", "@every"]),
    st.tuples(
        st.sampled_from(["@every ", "@every -", "@every +"]),
        st.from_regex(r"[0-9.]{0,22}(ns|us|µs|ms|s|m|h|d|)([0-9.]{0,5}(h|m|s))?", fullmatch=True),
    ).map("".join),
    st.tuples(
        st.sampled_from(["TZ=", "CRON_TZ="]),
        st.sampled_from(ZONES[:40] + ["", "Local", "..", "/etc", "Europe/", "x" * 300, "\x00"]),
        st.sampled_from([" ", "", "\t"]),
        st.lists(fields, min_size=5, max_size=5).map(" ".join),
    ).map("".join),
)
anything = st.one_of(structured, st.text(max_size=60), st.text(alphabet=" *,-/0123456789?@", max_size=40))


def _check(expr: str, zone_name: str, start: datetime) -> None:
    began = time.perf_counter()
    try:
        sched = parse(expr)
    except CronError as exc:
        assert isinstance(exc.message, str) and 0 <= exc.start <= exc.end <= len(expr)
        sched = None
    zone = load_location("UTC") if zone_name == "Local" else load_location(zone_name)
    if sched is not None:
        runs = sched.next_n(start, zone, 3)
        for a, b in zip([start, *runs.times], runs.times, strict=False):
            assert a < b
        assert all(MIN_INSTANT <= t <= MAX_INSTANT for t in runs.times)
        shortest_interval(sched, zone, start)
        dst_effects(sched, zone, start)
    for lang in ("en", "ko"):
        result = explain_expression(expr, zone_name, start, 3, lang)
        render_text(result, lang).encode("utf-8")
        json.dumps(json_safe(result), allow_nan=False, ensure_ascii=False).encode("utf-8")
    assert time.perf_counter() - began < TIME_BOUND


@settings(max_examples=150, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(expr=anything, zone=st.sampled_from(ZONES), start=starts)
def test_any_text_parses_or_fails_with_cron_error(expr, zone, start):
    _check(expr, zone, start)


@settings(max_examples=150, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(
    expr=structured,
    zone=st.sampled_from(["UTC", "America/New_York", "Pacific/Apia", "Australia/Lord_Howe", "Asia/Kathmandu"]),
    start=st.one_of(starts, st.sampled_from([MIN_INSTANT, MAX_INSTANT, datetime(2011, 12, 29, tzinfo=timezone.utc)])),
)
def test_structured_schedules_near_the_edges(expr, zone, start):
    _check(expr, zone, start)
