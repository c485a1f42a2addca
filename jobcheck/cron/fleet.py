"""Fire times of many schedules over one window, and the minutes where they pile up.

Shared by ``jobcheck schedule`` (the map) and the pile-up lint rule, so that both count the
same runs: each run is what robfig's Next gives, called from the previous run as the
CronJob controller does, in the schedule's own zone.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Hashable, Mapping, Sequence
from datetime import datetime, timezone, tzinfo

from jobcheck.cron.schedule import MAX_UNIX, MIN_UNIX, Schedule, _Beyond, _Hang, _to_unix

#: Runs kept per schedule and window: a every-minute schedule over 7 days is 10,080; a week of
#: ``@every 1s`` would be 604,800, which no map or rule needs to list one by one.
RUN_LIMIT = 20_000


# Fire times (Unix seconds, ascending) in ``(start, end]``: times (list[int]); truncated: more than
# the limit, only the first ``limit`` are listed; stopped: robfig's Next would never return (a whole
# skipped day).
Runs = namedtuple("Runs", ["times", "truncated", "stopped"])


def runs_between(
    schedule: Schedule, zone: tzinfo | None, start: datetime, end: datetime, limit: int = RUN_LIMIT
) -> Runs:
    """The fire times strictly after ``start`` and not after ``end``.

    ``zone`` is the controller's zone for the CronJob (``spec.timeZone`` or the controller's
    own); a ``TZ=`` prefix in the schedule wins over it, as in robfig.
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
        times.append(unix)
    else:
        try:
            nxt = schedule._next_unix(unix, out_zone)
        except (_Hang, _Beyond):
            nxt = None
        return Runs(times, nxt is not None and nxt <= last, False)
    return Runs(times, False, False)


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
