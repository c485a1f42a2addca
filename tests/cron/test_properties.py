"""Property tests: Next agrees with brute force and with croniter where both define the answer."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from croniter import croniter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobcheck.cron import parse

BOUNDS = {"minute": (0, 59), "hour": (0, 23), "dom": (1, 31), "month": (1, 12), "dow": (0, 6)}
NAMES = ("minute", "hour", "dom", "month", "dow")
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
DOWS = "sun Mon TUE wed Thu FRI sat".split()


@st.composite
def item(draw, field: str, plain: bool = False):
    lo, hi = BOUNDS[field]
    kind = draw(st.sampled_from(["star", "value", "range", "step", "range-step"] + ([] if plain else ["q", "start-step"])))

    def num(v):
        if plain or field not in ("month", "dow") or not draw(st.booleans()):
            return str(v)
        return MONTHS[v - 1] if field == "month" else DOWS[v]

    width = hi - lo + 1
    if kind == "star":
        return "*"
    if kind == "q":
        return "?" + (f"/{draw(st.integers(1, width + 3))}" if draw(st.booleans()) else "")
    if kind == "value":
        return num(draw(st.integers(lo, hi)))
    if kind == "start-step":
        return f"{num(draw(st.integers(lo, hi)))}/{draw(st.integers(1, width))}"
    a = draw(st.integers(lo, hi - 1 if plain else hi))
    b = draw(st.integers(a + 1 if plain else a, hi))
    if kind == "range":
        return f"{num(a)}-{num(b)}"
    step = draw(st.integers(1, max(1, b - a)))
    if kind == "step":
        return f"*/{draw(st.integers(1, width - 1))}"
    return f"{num(a)}-{num(b)}/{step}"


@st.composite
def expression(draw, plain: bool = False):
    fields = []
    for name in NAMES:
        items = draw(st.lists(item(name, plain), min_size=1, max_size=1 if plain else 3))
        fields.append(",".join(items))
    return " ".join(fields)


def matches(sched, dt: datetime) -> bool:
    dow = (dt.weekday() + 1) % 7
    return (
        dt.second == 0
        and bool(sched.bits("minute") >> dt.minute & 1)
        and bool(sched.bits("hour") >> dt.hour & 1)
        and bool(sched.bits("month") >> dt.month & 1)
        and sched.day_matches(dt.day, dow)
    )


ZONES = [timezone.utc, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
starts = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)).map(
    lambda d: d.replace(tzinfo=timezone.utc)
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=expression(), start=starts, zone=st.sampled_from(ZONES))
def test_next_times_match_increase_and_skip_nothing(expr, start, zone):
    sched = parse(expr)
    runs = sched.next_n(start, zone, 5)
    assert not runs.stopped
    prev = start.astimezone(zone)
    for t in runs.times:
        assert t > prev
        assert matches(sched, t), (expr, t)
        # brute force the minutes in between (bounded to keep the test fast)
        probe = (prev + timedelta(minutes=1)).replace(second=0, microsecond=0)
        limit = min(t, probe + timedelta(days=2))
        while probe < limit:
            assert not matches(sched, probe), (expr, probe, t)
            probe += timedelta(minutes=1)
        prev = t
    if runs.never:
        # nothing matches in the next few weeks either (a cheap sanity check of "never")
        probe = start.astimezone(zone).replace(second=0, microsecond=0)
        for _ in range(0, 60 * 24 * 40, 37):
            assert not matches(sched, probe)
            probe += timedelta(minutes=37)


def _star_field(expr: str, index: int) -> bool:
    return expr.split()[index] == "*"


@settings(max_examples=300, deadline=None)
@given(expr=expression(plain=True), start=starts)
def test_agrees_with_croniter_on_plain_expressions(expr, start):
    # croniter's day-of-month/day-of-week combination differs from robfig's (facts E), so
    # keep one of the two day fields a literal "*".
    fields = expr.split()
    if fields[2] != "*" and fields[4] != "*":
        fields[4] = "*"
    expr = " ".join(fields)
    sched = parse(expr)
    ours = sched.next_n(start, timezone.utc, 4)
    if ours.never:
        return
    it = croniter(expr, start)
    theirs = [it.get_next(datetime) for _ in range(len(ours.times))]
    assert ours.times == theirs, expr
