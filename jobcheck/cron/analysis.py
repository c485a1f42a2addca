"""Schedule analysis: what a schedule does in a zone, looking ahead from an instant.

Pure: expression strings, zone names, zones and instants in; facts out. The schedule
rules and ``jobcheck explain`` both ask here, so they cannot disagree.

Manifests repeat a handful of schedules thousands of times, and several rules ask about
the same CronJob, so the answers are cached. ``parse`` returns the same Schedule object
for the same text, so the caches keyed by a Schedule hit by identity.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone, tzinfo

from jobcheck.cron.dst import dst_transitions, offset_changes
from jobcheck.cron.parse import BOUNDS, _range_bits, k8s_schedule_errors, parse
from jobcheck.cron.schedule import (
    MAX_INSTANT,
    MAX_UNIX,
    MIN_UNIX,
    NextRuns,
    Schedule,
    _Beyond,
    _Hang,
    _to_unix,
    _Zone,
)
from jobcheck.cron.timezone import has_dst, timezone_error, zone_for
from jobcheck.record import dataclass

NEXT_SAMPLE = 60  # fire times sampled to find the shortest interval between runs (a few days of a busy schedule)
SAMPLE_HORIZON_DAYS = 5 * 366  # ...but no further ahead than robfig's own five-year search, once two runs are known


@functools.lru_cache(maxsize=4096)  # every schedule rule asks, for every CronJob
def accepted_schedule(text: str | None) -> Schedule | None:
    """Return the schedule when the API server would accept ``text`` (it parses, no TZ), else None."""
    if not text:
        return None
    return None if k8s_schedule_errors(text) else parse(text)


def controller_zone(time_zone: str | None) -> tuple[tzinfo, str | None]:
    """Return the zone a CronJob's ``timeZone`` selects and its name; (UTC, None) when unset or invalid."""
    if time_zone is None or timezone_error(time_zone):
        return timezone.utc, None
    return zone_for(time_zone), time_zone


def reference_minute(now: datetime | None) -> datetime:
    """Return the instant to look ahead from: ``now`` (naive means UTC), or else the current minute.

    Whole minutes, so the cached answers below are shared by every object of a run.
    """
    if now is None:
        return datetime.now(timezone.utc).replace(second=0, microsecond=0)
    return now if now.tzinfo else now.replace(tzinfo=timezone.utc)


@functools.lru_cache(maxsize=2048)
def first_runs(sched: Schedule, zone: tzinfo, start: datetime, n: int) -> NextRuns:
    """Return the first ``n`` fire times strictly after ``start`` (robfig's Next, repeated)."""
    return sched.next_n(start, zone, n)


@functools.lru_cache(maxsize=4096)  # every CronJob asks; a Schedule is hashed by identity
def zone_independent(sched: Schedule) -> bool:
    """Whether the zone cannot change when the schedule fires (``@every``, or only the minute restricted)."""
    if sched.every is not None:
        return True
    full = {"hour": 24, "dom": 31, "month": 12, "dow": 7}
    return all(len(sched.values(name)) == n for name, n in full.items())


def shortest_interval(
    sched: Schedule, zone: tzinfo, start: datetime, sample: int = NEXT_SAMPLE
) -> int | None:
    """Return the shortest gap in seconds between consecutive runs among the next ``sample`` runs.

    None when fewer than two runs are found.
    """
    if sched.every is not None:
        return sched.every
    return _shortest_interval(sched, zone, start, sample)


@functools.lru_cache(maxsize=2048)
def _shortest_interval(sched: Schedule, zone: tzinfo, start: datetime, sample: int) -> int | None:
    # A rare schedule (29 February, one day a year) would need centuries for 60 runs, and every
    # Next walks up to five years: sampling stops at the horizon once two runs are known.
    if start.tzinfo is None:
        start = start.replace(tzinfo=timezone.utc)  # as next_n reads it
    span = timedelta(days=SAMPLE_HORIZON_DAYS)
    horizon = min(start, MAX_INSTANT - span) + span  # no overflow near year 9999
    # The runs of sched.next_n(run, zone, 1) called from each run in turn, as Unix seconds: a run's
    # datetime reads back as the same second, so Next is fed the same instants. Those datetimes
    # share one tzinfo, so they subtract as wall clocks (the offsets are added back), and compare
    # with the horizon as wall clocks too when it has that same tzinfo, else as instants.
    out_zone = zone or timezone.utc
    offset = _Zone.of(out_zone).offset
    as_walls = horizon.tzinfo is out_zone
    if as_walls:
        limit = _ceil_seconds(horizon.replace(tzinfo=None) - _NAIVE_EPOCH)
    else:
        limit = _ceil_seconds(horizon - _EPOCH)
    walls: list[int] = []
    unix = _to_unix(start)
    while len(walls) < sample:
        try:
            unix = sched._next_unix(unix, out_zone)
        except (_Hang, _Beyond):
            break
        if unix is None or not MIN_UNIX <= unix <= MAX_UNIX:
            break
        wall = unix + offset(unix)
        walls.append(wall)
        if len(walls) >= 2 and (wall if as_walls else unix) >= limit:
            break
    if len(walls) < 2:
        return None
    return min(b - a for a, b in zip(walls, walls[1:], strict=False))


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_NAIVE_EPOCH = datetime(1970, 1, 1)


def _ceil_seconds(span: timedelta) -> int:
    """The whole seconds of ``span``, rounded up."""
    return -(-span // timedelta(seconds=1))


@functools.lru_cache(maxsize=4096)
def interval_floor(sched: Schedule, zone: tzinfo) -> int:
    """Return a cheap lower bound, in seconds, on the gap between two consecutive runs.

    Read from the minute and hour fields alone; a zone with DST can shorten a gap by
    up to an hour, so the bound drops by that much there.
    """
    if sched.every is not None:
        return sched.every
    minutes, hours = sched.values("minute"), sched.values("hour")
    if not minutes or not hours:
        return 0
    gaps = [b - a for a, b in zip(minutes, minutes[1:], strict=False)]
    spread = minutes[-1] - minutes[0]
    if len(hours) > 1:
        hour_gap = min([b - a for a, b in zip(hours, hours[1:], strict=False)] + [24 - hours[-1] + hours[0]])
        gaps.append(60 * hour_gap - spread)
    else:
        gaps.append(1440 - spread)
    floor = 60 * min(gaps)
    if has_dst(zone):
        floor -= 3600
    return max(floor, 0)


@dataclass(frozen=True)
class DstEffect:
    """A daylight-saving change that skips a run or makes one run twice."""

    kind: str  # "skipped" (clocks spring forward over the run) or "repeated" (clocks fall back: it runs twice)
    local_date: str  # YYYY-MM-DD of the change in the zone
    times: str  # the wall-clock times concerned, "02:30" or "02:00, 02:15, 02:30, 02:45 ..."


@functools.lru_cache(maxsize=2048)  # a year of changes per schedule and zone, walked once
def dst_effects(sched: Schedule, zone: tzinfo, start: datetime) -> tuple[DstEffect, ...]:
    """Return the runs that DST changes within a year from ``start`` skip or repeat.

    A repeated wall time counts only when robfig's Next really fires twice there.
    """
    effects = []
    for ev in dst_transitions(sched, zone, start, 366):
        times = ", ".join(ev.wall_times[:4]) + (" ..." if len(ev.wall_times) > 4 else "")
        if ev.kind == "skipped":
            effects.append(DstEffect("skipped", ev.local_date, times))
        elif len(ev.fires) > len(ev.wall_times):
            effects.append(DstEffect("repeated", ev.local_date, times))
    return tuple(effects)


_LATE = datetime(9990, 1, 1, tzinfo=timezone.utc)  # a year and a day ahead still fits in datetime


@functools.lru_cache(maxsize=256)
def dst_effects_hold(sched: Schedule, zone: tzinfo, start: datetime) -> datetime:
    """An instant before which ``dst_effects`` reads the same from every minute past ``start``.

    Its window slides with the clock: the answer changes when the next offset change leaves the
    window (the clock passes it) or the first one past the window's end enters it. Looked for a
    day ahead only: the result cache, which asks, keeps a look-ahead finding a UTC day at most.
    """
    if start.tzinfo is None or start >= _LATE:
        return start  # naive, or near the calendar's end: promised for no time at all
    zone = sched.location or zone
    horizon = start + timedelta(days=1)
    year = timedelta(days=366)  # dst_effects' window
    leaving = offset_changes(zone, start, 1)
    entering = offset_changes(zone, start + year, 1)
    if leaving:
        horizon = min(horizon, leaving[0][0])
    if entering:
        horizon = min(horizon, entering[0][0] - year)
    return horizon


# --- The schedule findings lint and ``jobcheck explain`` share -------------------------------
#
# Each fact names the lint rule that reports it, so the two commands say the same thing about
# the same schedule: explain words the fact, the rule reports it with a position.

FACT_RULES = {"never-fires": "JC304", "day-or": "JC310", "dst-skip": "JC311", "dst-repeat": "JC311",
              "every-sub-minute": "JC313"}


@dataclass(frozen=True)
class ScheduleFact:
    """One thing worth saying about a schedule: ``code`` (a key of FACT_RULES) and its values."""

    code: str
    values: tuple[tuple[str, str], ...] = ()

    @property
    def rule(self) -> str:
        """The lint rule id that reports this fact."""
        return FACT_RULES[self.code]


def every_sub_minute(sched: Schedule) -> bool:
    """Whether ``sched`` is an ``@every`` shorter than a minute (JC313's scope).

    Job names carry the scheduled minute (the controller's getTimeHashInMinutes): a second run
    within one minute gets the first one's name and is refused as AlreadyExists. Clock-free.
    """
    return sched.every is not None and sched.every < 60


def dst_reportable(sched: Schedule, zone_name: str | None) -> bool:
    """Whether DST effects on ``sched`` are worth reporting (JC311's scope).

    Only in a named zone (the controller's own zone is not in the manifest), and only for
    schedules aimed at particular hours: losing or repeating one run of an hourly schedule
    is what its author asked for; ``@every`` does not follow the wall clock.
    """
    return zone_name is not None and sched.every is None and len(sched.values("hour")) != 24


@functools.lru_cache(maxsize=2048)  # JC304, JC310 and JC311 each ask for every CronJob
def schedule_facts(sched: Schedule, zone: tzinfo, zone_name: str | None, start: datetime) -> tuple[ScheduleFact, ...]:
    """Return the facts the schedule rules (JC304, JC310, JC311, JC313) report about ``sched`` in ``zone``.

    ``zone_name`` is the named zone the schedule is read in (a CronJob's ``timeZone``), None for
    the controller's unnamed zone. Ordered: every-sub-minute, never-fires, day-or, then DST
    effects by date.
    """
    facts: list[ScheduleFact] = []
    if every_sub_minute(sched):
        facts.append(ScheduleFact("every-sub-minute", (("every", sched.expression.split(" ", 1)[1]),)))
    if first_runs(sched, zone, start, 1).never:
        facts.append(ScheduleFact("never-fires"))
    if sched.day_or:
        facts.append(ScheduleFact("day-or", (("dom", sched.field("dom").text), ("dow", sched.field("dow").text))))
    if dst_reportable(sched, zone_name):
        for effect in dst_effects(sched, zone, start):
            code = "dst-skip" if effect.kind == "skipped" else "dst-repeat"
            facts.append(ScheduleFact(code, (("date", effect.local_date), ("times", effect.times))))
    return tuple(facts)


# --- Steps that do not divide their field's cycle ---------------------------------------------

# Each field's cycle: what a step restarts with (the minute at each hour, the month each year...).
_CYCLE = {"minute": (0, 59), "hour": (0, 23), "dom": (1, 31), "month": (1, 12), "dow": (0, 6)}


@dataclass(frozen=True)
class UnevenStep:
    """A ``/step`` item whose runs are not evenly spaced: the gap across the cycle's end differs."""

    field: str  # minute, hour, dom, month, dow
    item: str  # the list item as written, "*/45"
    values: tuple[int, ...]  # what it matches
    step: int
    wrap_gap: int  # from the last value to the first one of the next cycle, in the field's unit


def uneven_steps(sched: Schedule) -> tuple[UnevenStep, ...]:
    """Return the step items of ``sched`` that match two or more values unevenly spaced.

    ``*/45`` in minutes matches 0 and 45: 45 minutes apart, then 15 until the next hour's 0.
    Day-of-month gaps are counted in a 31-day month. Only a field that is one step item
    running to the field's end counts; a step matching one value only is a different
    problem (the step exceeds the range) and is not listed here.
    """
    if sched.every is not None or sched.descriptor is not None:
        return ()
    out = []
    for f in sched.fields:
        lo, hi = _CYCLE[f.name]
        # Only a lone step item running to the field's end ("*/45", "5/20"): in a list, or
        # with an explicit range ("10-40/15"), the author chose where the runs stop.
        item = f.text
        values = _step_values(item, f.name)
        if values is None or len(values) < 2:
            continue
        step = values[1] - values[0]
        wrap = (hi + 1 - values[-1]) + (values[0] - lo)
        if wrap != step:
            out.append(UnevenStep(f.name, item, tuple(values), step, wrap))
    return tuple(out)


def _step_values(item: str, field: str) -> list[int] | None:
    """The values a ``/step`` item of an accepted schedule matches (None: not a step item)."""
    if "," in item or item.count("/") != 1 or "-" in item.split("/")[0]:
        return None
    for name, lo, hi, names in BOUNDS:
        if name == field:
            bits = _range_bits(item, lo, hi, names)
            return [v for v in range(lo, hi + 1) if bits >> v & 1]
    return None
