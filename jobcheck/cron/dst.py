"""Which runs a daylight-saving change skips or repeats, the way Kubernetes schedules them.

Around each UTC-offset change in the window, the schedule's wall-clock matches inside
the gap (spring forward) or the overlap (fall back) are listed together with what
robfig's Next actually does there, computed with the real algorithm rather than assumed.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from jobcheck.cron.schedule import MAX_UNIX, MIN_UNIX, Schedule, _to_unix, _Zone
from jobcheck.record import dataclass, field


@dataclass(frozen=True)
class DstEvent:
    kind: str  # "skipped" (wall times that do not exist) or "repeated" (wall times that occur twice)
    transition: datetime  # the instant of the change, UTC
    local_date: str  # YYYY-MM-DD of the change in the zone
    wall_times: tuple = ()  # "HH:MM" wall-clock matches of the schedule inside the gap/overlap
    fires: tuple = field(default=())  # actual fire times at those wall times (none when skipped)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "transition": self.transition.isoformat(),
            "date": self.local_date,
            "wall_times": list(self.wall_times),
            "fires": [t.isoformat() for t in self.fires],
        }


# Changes are looked for at least this far inside the representable instants, so that the
# wall times and windows built around a change stay valid datetimes.
_LOW = MIN_UNIX + 2 * 86400
_HIGH = MAX_UNIX - 2 * 86400


@lru_cache(maxsize=256)  # a year of a zone is walked once, not once per schedule in it
def offset_changes(tz: tzinfo, start: datetime, days: int) -> tuple[tuple[datetime, timedelta, timedelta], ...]:
    """(instant, offset before, offset after) for each UTC-offset change in [start, start+days).

    The walk covers at most ``days`` days (bounded by the caller) and only instants between
    0001-01-04 and 9999-12-28 UTC: nothing is looked for outside the calendar datetime holds.
    """
    if isinstance(tz, timezone):
        return ()
    zone = _Zone.of(tz)
    t = max(_to_unix(start), _LOW)
    end = min(_to_unix(start) + max(days, 0) * 86400, _HIGH)
    step = 6 * 3600
    out = []
    prev = zone.offset(t)
    while t < end:
        nxt = min(t + step, end)
        off = zone.offset(nxt)
        if off != prev:
            lo, hi = t, nxt  # bisect to the second
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if zone.offset(mid) == prev:
                    lo = mid
                else:
                    hi = mid
            instant = datetime.fromtimestamp(hi, timezone.utc)
            out.append((instant, timedelta(seconds=prev), timedelta(seconds=off)))
            prev = off
        t = nxt
    return tuple(out)


def _wall_matches(s: Schedule, wall: datetime) -> bool:
    dow = (wall.weekday() + 1) % 7
    return bool(
        s.bits("month") >> wall.month & 1
        and s.day_matches(wall.day, dow)
        and s.bits("hour") >> wall.hour & 1
        and s.bits("minute") >> wall.minute & 1
    )


def dst_transitions(schedule: Schedule, tz: tzinfo, start: datetime, days: int = 366) -> list[DstEvent]:
    """Runs skipped or repeated by DST changes in ``[start, start + days)``.

    Only changes at which the schedule has a wall-clock match inside the gap/overlap are
    returned. ``@every`` schedules run on elapsed time and are never affected.
    """
    if schedule.every is not None or schedule.impossible_by_bits:
        return []
    zone = schedule.location or tz
    events = []
    for instant, before, after in offset_changes(zone, start, days):
        delta = after - before
        if delta > timedelta(0):
            kind = "skipped"
            first_wall = (instant + before).replace(tzinfo=None)  # wall clock that jumps forward
        else:
            kind = "repeated"
            first_wall = (instant + after).replace(tzinfo=None)
        span_minutes = int(abs(delta).total_seconds() // 60)
        walls = []
        for i in range(span_minutes):
            wall = first_wall + timedelta(minutes=i)
            if _wall_matches(schedule, wall):
                walls.append(wall.strftime("%H:%M"))
        if not walls:
            continue
        window_start = instant - abs(delta) - timedelta(seconds=1)
        runs = schedule.next_n(window_start, zone, len(walls) * 2 + 2)
        wanted = set(walls)
        fires = tuple(
            t for t in runs.times
            if t.timestamp() <= (instant + abs(delta) * 2).timestamp() and t.strftime("%H:%M") in wanted
        )
        events.append(DstEvent(kind, instant, (instant + after).date().isoformat(), tuple(walls), fires))
    return events
