"""Fire times of many schedules over one window, and the minutes where they pile up.

Shared by ``jobcheck schedule`` (the map) and the pile-up lint rule, so that both count the
same runs: each run is what robfig's Next gives, called from the previous run as the
CronJob controller does, in the schedule's own zone. The map names the CronJobs of every
pile-up minute (``pileups``); the rule (jobcheck.lint.checks.fleet) only counts the starts of
each minute, per scope, since it must hold a run's every CronJob in little memory.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict, namedtuple
from collections.abc import Hashable, Mapping, MutableMapping, Sequence
from datetime import datetime, timezone, tzinfo

from jobcheck.cron.schedule import MAX_UNIX, MIN_UNIX, Schedule, _Beyond, _Hang, _to_unix

#: Runs kept per schedule and window: a every-minute schedule over 7 days is 10,080; a week of
#: ``@every 1s`` would be 604,800, which no map or rule needs to list one by one.
RUN_LIMIT = 20_000


# Fire times (Unix seconds, ascending) in ``(start, end]``: times (list[int]); truncated: more than
# the limit, only the first ``limit`` are listed; stopped: robfig's Next would never return (a whole
# skipped day); dense: two runs closer than the ``min_gap`` asked for, the walk stopped there.
Runs = namedtuple("Runs", ["times", "truncated", "stopped", "dense"], defaults=(False,))


def runs_between(
    schedule: Schedule, zone: tzinfo | None, start: datetime, end: datetime, limit: int = RUN_LIMIT,
    min_gap: int = 0,
) -> Runs:
    """The fire times strictly after ``start`` and not after ``end``.

    ``zone`` is the controller's zone for the CronJob (``spec.timeZone`` or the controller's
    own); a ``TZ=`` prefix in the schedule wins over it, as in robfig. With ``min_gap`` (seconds),
    the walk stops at the first run that follows the one before it sooner (``dense``).
    """
    out_zone = zone or timezone.utc
    unix, last = _to_unix(start), _to_unix(end)
    times: list[int] = []
    while len(times) < limit:
        try:
            unix = schedule._next_unix(unix, out_zone)
        except _Hang:
            return Runs(times, False, True)
        except _Beyond:
            break
        if unix is None or unix > last or not MIN_UNIX <= unix <= MAX_UNIX:
            break
        if times and unix - times[-1] < min_gap:
            return Runs(times + [unix], False, False, True)
        times.append(unix)
    else:
        try:
            nxt = schedule._next_unix(unix, out_zone)
        except (_Hang, _Beyond):
            nxt = None
        return Runs(times, nxt is not None and nxt <= last, False)
    return Runs(times, False, False)


def runs_memoized(
    schedule: Schedule, zone: tzinfo | None, start: datetime, end: datetime, limit: int,
    memo: MutableMapping[str, object] | None, key: str, min_gap: int = 0,
) -> Runs:
    """``runs_between``, through ``memo`` (JSON values that persist for a UTC day; ``key`` names the
    schedule and zone): the runs laid out from the start of ``start``'s UTC day, kept, and sliced.

    A slice is exact: robfig's Next depends on the instant it starts from only, so once Next(start)
    is a run of the kept list, the runs after it are the ones ``runs_between`` walks to. When it is
    not (a day's walk that meets a DST quirk differently) or the kept list was cut short, the runs
    are walked from ``start`` (as are schedules with runs closer than ``min_gap`` in the day's
    layout: the walk from ``start`` stops at the first such pair, soon)."""
    if memo is None:
        return runs_between(schedule, zone, start, end, limit, min_gap)
    s, e = _to_unix(start), _to_unix(end)
    day = s - s % 86400
    span = e - s + 86400
    name = f"runs {day} {span} {min_gap} {key}"
    kept = memo.get(name)
    if not (type(kept) is list and all(type(t) is int for t in kept)) and kept != "walk":
        utc = timezone.utc
        base = runs_between(schedule, zone, datetime.fromtimestamp(day, utc), datetime.fromtimestamp(day + span, utc),
                            2 * limit + 48, min_gap)
        kept = "walk" if base.truncated or base.stopped or base.dense else base.times
        memo[name] = kept
    if kept != "walk":
        try:
            first = schedule._next_unix(s, zone or timezone.utc)
        except (_Hang, _Beyond):
            first = -1
        if first is None or (first != -1 and not MIN_UNIX <= first <= MAX_UNIX):
            return Runs([], False, False)
        at = bisect_left(kept, first)
        if first > e or (at < len(kept) and kept[at] == first):
            times = kept[at:bisect_right(kept, e, lo=at)]
            return Runs(times[:limit], True, False) if len(times) > limit else Runs(times, False, False)
    return runs_between(schedule, zone, start, end, limit, min_gap)


def pileups(starts: Mapping[Hashable, Sequence[int]], threshold: int) -> list[tuple[int, list]]:
    """Minutes (Unix seconds at the minute) in which at least ``threshold`` keys start.

    A key that starts twice in one minute (``@every 30s``) counts once. Minutes are ascending;
    the keys of each minute keep the order of ``starts``. Keys that share one sequence object
    (CronJobs with the same schedule and zone) are counted as a group, so the work and memory
    grow with the distinct schedules, not with the CronJobs.
    """
    groups: dict[int, tuple[Sequence[int], list[int]]] = {}  # id(times) -> (times, key indexes)
    keys = list(starts)
    for n, key in enumerate(keys):
        times = starts[key]
        groups.setdefault(id(times), (times, []))[1].append(n)
    by_minute: dict[int, list[list[int]]] = defaultdict(list)
    for times, members in groups.values():
        seen = set()
        for t in times:
            minute = t - t % 60
            if minute not in seen:
                seen.add(minute)
                by_minute[minute].append(members)
    need = max(threshold, 1)
    out = []
    for minute in sorted(by_minute):
        parts = by_minute[minute]
        if sum(map(len, parts)) >= need:
            members = parts[0] if len(parts) == 1 else sorted(n for part in parts for n in part)
            out.append((minute, [keys[n] for n in members]))
    return out
