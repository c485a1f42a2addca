"""The calendar search for fixed-offset zones (_fixed_next) against robfig's step-by-step Next (_spec_next).

_spec_next is the reference (checked against the real Go code in test_vectors.py); here it runs
with offsets read from the zone itself, never from the settled offset the fast path relies on.
"""

from __future__ import annotations

import functools
import random
from datetime import datetime, timedelta, timezone
from importlib import resources
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobcheck.cron import load_location, parse
from jobcheck.cron.analysis import _shortest_interval
from jobcheck.cron.dst import offset_changes
from jobcheck.cron.schedule import (
    MAX_UNIX,
    MIN_UNIX,
    _between_changes,
    _Beyond,
    _fixed_next,
    _Hang,
    _rule_day,
    _settled,
    _spec_next,
    _to_unix,
    _tzif_changes,
    _tzif_settled,
    _Zone,
)
from tests.cron.conftest import TZDATA_2025B
from tests.cron.test_properties import expression

FIXED = [
    timezone.utc,
    timezone(timedelta(hours=5, minutes=30)),
    timezone(timedelta(hours=-9, minutes=-30)),
    timezone(timedelta(hours=14)),
    timezone(timedelta(hours=-12)),
]
NAMED = ["Asia/Kolkata", "Asia/Tokyo", "Etc/GMT+12", "Etc/GMT-14", "Etc/UTC", "Asia/Kathmandu"]
# Zones with daylight saving (or other changes): the fast path applies between two changes only.
CHANGING = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham",
            "America/Santiago", "Africa/Casablanca", "Pacific/Apia", "Europe/Dublin", "Asia/Tehran"]


def _zones(names=NAMED) -> list:
    # Looked up in each test: a test elsewhere clears load_location's cache, and only the object it
    # returns is trusted to be the bundled data.
    return FIXED + [load_location(name) for name in names] if names is NAMED else [load_location(n) for n in names]

SCHEDULES = [
    "0 0 30 2 *", "0 0 31 4,6 *", "0 0 31 2,4,6,9,11 *", "0 0 29 2 *", "59 23 29 2 *", "0 0 29 2 1",
    "0 0 29 2 */7", "0 12 13 * 5", "0 0 1,15 * MON", "30 4 31 * SUN", "0 0 * 2 sat", "0 0 */31 * *",
    "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "* * * * *",
    "59 23 31 12 *", "0 0 1 1 *", "*/7 3-5 1,15 * MON", "0 9-17 * * MON-FRI", "5 4 1 * *",
    "0 0 ? * *", "0 0 */2 * ?", "0 0 * * 0,6", "15,45 */6 * JAN,JUL *", "0 0 31 12 0",
    "1-59/58 23 31 DEC *", "0 0 28-31 2 *", "0 0 1-7 * 1", "0 0 8-14 * */2",
]


def _run(fn, *args):
    try:
        return fn(*args)
    except _Beyond:
        return "beyond"
    except _Hang:
        return "hang"


@functools.cache
def _reference_zone(tz) -> _Zone:
    """A _Zone that asks ``tz`` for every offset (no settled shortcut), for _spec_next."""
    zone = _Zone(tz)
    zone.settled_from = zone.fast_from = 1 << 62
    return zone


def _check(expr: str, unix: int, tz) -> None:
    """Next(unix) by the fast path, as Schedule._next_unix takes it, equals _spec_next's answer."""
    sched = parse(expr)
    zone = _Zone.of(tz)
    assert unix + 1 >= zone.fast_from, "the fast path must apply here"
    want = None if sched.impossible_by_bits else _run(_spec_next, sched, unix + 1, _reference_zone(tz))
    got = _run(sched._next_unix, unix, tz)
    assert got == want, (expr, unix, tz)
    if not sched.impossible_by_bits:
        assert _run(_fixed_next, sched, unix + 1, zone.settled) == want


def _unix(*args, offset=0) -> int:
    return _to_unix(datetime(*args, tzinfo=timezone.utc)) - offset


def _starts(tz, rng: random.Random) -> list[int]:
    """Corner instants (and a few random ones) at which the fast path applies in ``tz``."""
    zone = _Zone.of(tz)
    off = zone.settled
    low = max(zone.fast_from, MIN_UNIX)
    out = [rng.randrange(low, _unix(2100, 1, 1)) for _ in range(4)]
    for y in (1970, 1999, 2000, 2023, 2024, 2026, 2095, 2096, 2097, 2099, 2100, 2400, 9993, 9994, 9995, 9999):
        out += [
            _unix(y, 12, 31, 23, 59, offset=off) - 1,  # Next from 23:59:59 local, New Year's Eve
            _unix(y, 12, 31, 23, 59, offset=off),
            _unix(y, 1, 1, offset=off) - 1,
            _unix(y, 1, 1, offset=off),
            _unix(y, 2, 28, 23, 59, 30, offset=off),
        ]
        if y % 4 == 0 and (y % 100 or y % 400 == 0):
            out += [_unix(y, 2, 29, offset=off) - 1, _unix(y, 2, 29, 23, 59, offset=off)]
    out += [MAX_UNIX - 1, MAX_UNIX - 86400, MIN_UNIX, MIN_UNIX + 3 * 86400 + 7]
    return [u for u in out if low <= u + 1 and MIN_UNIX <= u <= MAX_UNIX]


def test_fast_path_agrees_with_step_by_step_next_at_corners():
    rng = random.Random(13)
    cases = 0
    for tz in _zones():
        starts = _starts(tz, rng)
        for expr in SCHEDULES:
            for unix in starts[:4] + rng.sample(starts[4:], 5):
                _check(expr, unix, tz)
                cases += 1
            # Just before, exactly on, and just after the schedule's own runs.
            runs = parse(expr).next_n(datetime.fromtimestamp(rng.choice(starts[:4]), timezone.utc), tz, 3)
            for t in runs.times:
                for unix in (_to_unix(t) - 60, _to_unix(t) - 1, _to_unix(t), _to_unix(t) + 59):
                    _check(expr, unix, tz)
                    cases += 1
    assert cases > 3500


def test_year_limit_edges():
    """robfig gives up past its start's year + 5: a match on the last minute of that year is
    found, one on the first minute of the next year is not (the walk wraps there first)."""
    utc = timezone.utc
    start = _unix(2020, 1, 1)
    assert parse("59 23 31 12 *").next_n(datetime(2020, 1, 1, tzinfo=utc), utc).times  # sanity
    # 29 February: 2097 -> next leap day is 2104, past 2097 + 5: never.
    assert parse("0 0 29 2 *")._next_unix(_unix(2097, 3, 1), utc) is None
    assert parse("0 0 29 2 *")._next_unix(_unix(2099, 3, 1), utc) == _unix(2104, 2, 29)
    # The same at the minute: from 2099-01-01 00:00 local the limit is 2104; one second earlier, 2103.
    for tz in _zones():
        off = _Zone.of(tz).settled
        new_year = _unix(2099, 1, 1, offset=off)
        assert parse("0 0 29 2 *")._next_unix(new_year - 1, tz) == _unix(2104, 2, 29, offset=off)
        assert parse("0 0 29 2 *")._next_unix(new_year - 2, tz) is None
        _check("0 0 29 2 *", new_year - 1, tz)
        _check("0 0 29 2 *", new_year - 2, tz)
    for expr in ("0 0 1 1 *", "59 23 31 12 *", "0 0 13 12 5", "0 0 29 2 *"):
        for unix in (start, _unix(2024, 12, 31, 23, 59), _unix(9994, 1, 1), _unix(9995, 6, 1), _unix(9999, 12, 1)):
            for tz in _zones():
                _check(expr, unix, tz)


def test_year_10000_is_beyond_not_never():
    """Reaching year 10000 before the year limit: the answer cannot be shown, and is not "never"."""
    utc = timezone.utc
    assert _run(parse("0 0 29 2 *")._next_unix, _unix(9997, 3, 1), utc) == "beyond"
    assert _run(parse("0 0 29 2 *")._next_unix, _unix(9994, 3, 1), utc) == _unix(9996, 2, 29)
    # Never: the year limit (9994 + 5) is checked before year 10000; from 9995 on, 10000 comes first.
    assert _run(parse("0 0 30 2 *")._next_unix, _unix(9994, 12, 31, 23, 59, 58), utc) is None
    assert _run(parse("0 0 30 2 *")._next_unix, _unix(9994, 12, 31, 23, 59, 59), utc) == "beyond"
    assert _run(parse("0 0 1 1 *")._next_unix, _unix(9999, 6, 1), utc) == "beyond"
    runs = parse("0 0 1 1 *").next_n(datetime(9999, 6, 1, tzinfo=utc), utc, 2)
    assert runs.beyond and not runs.times and not runs.never


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    expr=expression(),
    when=st.integers(_unix(1970, 1, 1), _unix(2100, 1, 1)),
    which=st.integers(0, len(FIXED) + len(NAMED) - 1),
    shift=st.sampled_from([0, -1, 1, 59, 60, 86399]),
)
def test_fast_path_agrees_with_step_by_step_next_on_random_schedules(expr, when, which, shift):
    zone = _zones()[which]
    unix = when - when % 60 + shift
    if unix + 1 >= _Zone.of(zone).fast_from:
        _check(expr, unix, zone)


def test_seconds_offsets_keep_the_step_by_step_path():
    """A local minute that is not an absolute one changes robfig's Truncate: no fast path there."""
    tz = timezone(timedelta(hours=5, minutes=53, seconds=28))
    zone = _Zone.of(tz)
    assert zone.fast_from > MAX_UNIX
    sched = parse("*/7 * * * *")
    unix = _unix(2026, 12, 3, 17)
    assert sched._next_unix(unix, tz) == _spec_next(sched, unix + 1, _reference_zone(tz))
    # Kolkata's 1854-1941 offsets are not whole minutes, and it changed offset until 1945.
    kolkata = _Zone.of(load_location("Asia/Kolkata"))
    assert _unix(1945, 10, 16) < kolkata.settled_from <= _unix(1945, 10, 20)
    assert kolkata.fast_from > _unix(1945, 11, 20)


def test_zones_with_daylight_saving_are_not_settled():
    for name in ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Pacific/Chatham"):
        zone = _Zone.of(load_location(name))
        assert _settled(load_location(name)) is None
        assert zone.fast_from > MAX_UNIX


def test_only_the_bundled_zone_object_is_trusted():
    """A zone read from other data under a bundled key proves nothing (Casablanca, tzdata 2025b)."""
    with open(TZDATA_2025B["Africa/Casablanca"], "rb") as fh:
        other = ZoneInfo.from_file(fh, key="Africa/Casablanca")
    assert _settled(other) is None
    assert _settled(ZoneInfo.no_cache("Asia/Tokyo")) is None  # not the object load_location returned
    assert _settled(load_location("Asia/Tokyo")) is not None


def _all_bundled_zones() -> list[str]:
    root = resources.files("tzdata").joinpath("zoneinfo")
    names, todo = [], [(root, "")]
    while todo:
        node, prefix = todo.pop()
        for child in node.iterdir():
            if child.name in ("__init__.py", "__pycache__") or child.name.endswith((".tab", ".zi")):
                continue
            if child.is_dir():
                todo.append((child, prefix + child.name + "/"))
            elif child.read_bytes()[:4] == b"TZif":
                names.append(prefix + child.name)
    return sorted(names)


def test_settled_offsets_are_what_zoneinfo_says():
    """Every bundled zone: where an offset is claimed settled, zoneinfo gives it, to year 9999."""
    rng = random.Random(3)
    settled = 0
    for name in _all_bundled_zones():
        tz = load_location(name)
        zone = _Zone.of(tz)
        if zone.settled_from > MAX_UNIX:
            continue
        settled += 1
        low = max(zone.settled_from, MIN_UNIX)
        probes = [low, low + 1, low + 3600, MAX_UNIX] + [rng.randrange(low, MAX_UNIX) for _ in range(20)]
        for unix in probes:
            dt = datetime.fromtimestamp(unix, tz)
            assert dt.utcoffset() == timedelta(seconds=zone.settled), (name, unix)
            # Read back as wall time (time.Date does), the offset is the same.
            assert dt.replace(tzinfo=None).replace(tzinfo=tz).utcoffset() == dt.utcoffset(), (name, unix)
    assert settled > 100


def test_tzif_parse_refuses_what_it_cannot_prove():
    data = resources.files("tzdata").joinpath("zoneinfo", "Asia", "Tokyo").read_bytes()
    assert _tzif_settled(data) == (_unix(1951, 9, 8, 15) + 2 * 86400, 9 * 3600)
    for broken in (b"", data[:40], data[:60], data[:-3], b"TZif1" + data[5:], data.replace(b"JST-9", b"JST-9JDT")):
        assert _tzif_settled(broken) is None


# --- _shortest_interval: runs walked as seconds, the same answer as next_n called 60 times -------


def _shortest_by_datetimes(sched, zone, start, sample):
    """The former algorithm: next_n(after, zone, 1) per run, datetime arithmetic."""
    span = timedelta(days=5 * 366)
    horizon = min(start, datetime(9999, 12, 30, 23, 59, 59, tzinfo=timezone.utc) - span) + span
    times, after = [], start
    while len(times) < sample:
        runs = sched.next_n(after, zone, 1)
        if not runs.times:
            break
        after = runs.times[0]
        times.append(after)
        if len(times) >= 2 and after >= horizon:
            break
    if len(times) < 2:
        return None
    return int(min((b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)))


@pytest.mark.parametrize("zone_name", ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "+05:30"])
def test_shortest_interval_is_the_datetime_walk(zone_name):
    zone = timezone(timedelta(hours=5, minutes=30)) if zone_name == "+05:30" else load_location(zone_name)
    exprs = ["0 */6 * * *", "30 1-3 * * *", "0 2 * * *", "*/45 * * * *", "0 0 29 2 *", "0 0 30 2 *",
             "15,45 * * * *", "0 1 1 1 *", "0 9-17 * * MON-FRI", "59 23 31 12 *"]
    starts = [
        datetime(2026, 12, 3, 17, tzinfo=timezone.utc),
        datetime(2026, 3, 28, 23, 30, tzinfo=timezone.utc),  # into Europe's spring-forward
        datetime(2026, 10, 24, 22, 0, 30, 5, tzinfo=timezone.utc),
        datetime(2026, 10, 25, 1, 30, tzinfo=zone),  # the horizon in the runs' own tzinfo: wall clocks
        datetime(2026, 3, 8, 1, 0, tzinfo=zone),
        datetime(9996, 2, 1, tzinfo=timezone.utc),
        datetime(2026, 11, 1, 12, tzinfo=timezone(timedelta(hours=-3))),
    ]
    for expr in exprs:
        for start in starts:
            for sample in (2, 60):
                assert _shortest_interval(parse(expr), zone, start, sample) == _shortest_by_datetimes(
                    parse(expr), zone, start, sample
                ), (expr, start, sample)


# --- Zones whose offset changes: the calendar search between two changes ----------------------------


def _fast_applies(sched, unix: int, tz) -> bool:
    """Whether _next_unix answers from the calendar search between two of the zone's changes."""
    return _between_changes(sched, unix + 1, _Zone.of(tz)) is not None


def test_between_changes_agrees_with_step_by_step_next():
    rng = random.Random(11)
    exprs = SCHEDULES + ["30 2 * * *", "0,30 1-3 * * *", "*/20 * * * *", "0 3 * * SUN", "59 1 * 3,10 *"]
    cases = fast = 0
    for name in CHANGING:
        tz = load_location(name)
        changes = [c for year in (1990, 2011, 2026, 2027, 2060) for c, _, _ in
                   offset_changes(tz, datetime(year, 1, 1, tzinfo=timezone.utc), 366)]
        starts = [rng.randrange(_unix(1970, 1, 1), _unix(2100, 1, 1)) for _ in range(6)]
        for c in changes:
            c = _to_unix(c)
            starts += [c + d for d in (-41 * 86400, -32 * 86400 + 1, -9 * 86400, -86400, -3601, -1, 0, 3600, 86400)]
        for expr in exprs:
            sched = parse(expr)
            for unix in rng.sample(starts, min(len(starts), 7)):
                want = None if sched.impossible_by_bits else _run(_spec_next, sched, unix + 1, _reference_zone(tz))
                assert _run(sched._next_unix, unix, tz) == want, (expr, unix, name)
                cases += 1
                fast += not sched.impossible_by_bits and _fast_applies(sched, unix, tz)
    assert cases > 2000 and fast > cases // 6, (cases, fast)


def _offset_at(tz, unix: int) -> timedelta:
    return datetime.fromtimestamp(unix, tz).utcoffset()


def test_steady_is_never_claimed_across_a_change():
    """Wherever zoneinfo's offset differs between two probes, steady() does not claim the span:
    every bundled zone, every 5 days of 2018-2042 (where the data's own transitions give way to the
    footer's rule), and daily 1970-2100 for zones with unusual rules."""
    checked = 0
    for name in _all_bundled_zones():
        tz = load_location(name)
        zone = _Zone.of(tz)
        if zone.changes is None:
            continue
        step, lo, hi = (86400, _unix(1970, 1, 1), _unix(2100, 1, 1)) if name in CHANGING else (
            5 * 86400, _unix(2018, 1, 1), _unix(2043, 1, 1))
        prev_t, prev = lo, _offset_at(tz, lo)
        for t in range(lo + step, hi, step):
            off = _offset_at(tz, t)
            if off != prev:
                assert not zone.steady(prev_t, t), (name, prev_t, t)
                checked += 1
            prev_t, prev = t, off
    assert checked > 5000


def test_rule_days_are_posix_dates():
    # Europe's last Sunday of March and October, the US second Sunday of March, first of November.
    assert _rule_day(2026, 3, 5, 0) == _unix(2026, 3, 29) // 86400
    assert _rule_day(2026, 10, 5, 0) == _unix(2026, 10, 25) // 86400
    assert _rule_day(2026, 3, 2, 0) == _unix(2026, 3, 8) // 86400
    assert _rule_day(2026, 11, 1, 0) == _unix(2026, 11, 1) // 86400
    assert _rule_day(2024, 2, 5, 4) == _unix(2024, 2, 29) // 86400  # last Thursday of a leap February


def test_changes_refuse_what_they_cannot_prove():
    data = resources.files("tzdata").joinpath("zoneinfo", "Europe", "Berlin").read_bytes()
    times, rules = _tzif_changes(data)
    assert rules == ((3, 5, 0), (10, 5, 0)) and times == tuple(sorted(times))
    for footer in (b"CET-1CEST,J60,J300", b"CET-1CEST,M3.5.0,M10.5.0/200", b"CET-1CEST", b"CET-1CEST,M13.5.0,M10.5.0"):
        assert _tzif_changes(data.replace(b"CET-1CEST,M3.5.0,M10.5.0/3", footer)) is None
    assert _tzif_changes(data[:-5]) is None
    zone = _Zone(ZoneInfo.no_cache("Europe/Berlin"))  # not load_location's object: nothing claimed
    assert zone.changes is None and not zone.steady(_unix(2026, 6, 1), _unix(2026, 6, 2))
