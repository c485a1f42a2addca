"""Checks across the CronJobs of a run (JC312): the first cross-object rule (jobcheck.lint.cross).

``collect_schedule`` keeps of each CronJob what its fire times depend on, and ``schedule_pile_up``
lays out every CronJob's runs over the window with jobcheck.cron.fleet (the same runs as
``jobcheck schedule``) and reports the minutes where too many start together.

Which CronJobs are counted together (the ``scope`` parameter): by default (``directory``) those of
one file, and those of one directory that name the same ``metadata.namespace``. A linted set is
often several deployments side by side (kustomize overlays per cluster, one example or test
fixture per file, repositories vendored next to each other): the documents of one file are applied
together, and so are the files of one directory that say which namespace they go to; files that do
not say may be applied anywhere, or nowhere (the corpus holds a linter's test fixtures: five
variants of one CronJob in one directory, none of which runs beside another). A false alarm costs
more than a miss, so those are not counted together. ``file`` narrows it to one file (as does a
value it does not know), ``run`` widens it to every file. Within a scope a CronJob is one
``namespace/name`` (a repeated object counts once). Not counted: suspended CronJobs, schedules or
time zones the API server refuses, and CronJobs that start more often than hourly (they meet every
other schedule's minute by construction; moving one minute helps nothing). A CronJob without
``timeZone`` runs in the controller's zone, taken as UTC.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from jobcheck.kube.objects import Workload
from jobcheck.lint.checks import as_str

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any

MAX_NAMED = 5  # other CronJobs named in one message
MIN_GAP = 3600  # CronJobs that start more often than this (seconds) are not counted


def collect_schedule(w: Workload, params: dict) -> tuple[tuple, dict] | None:
    """(where a finding goes: the ``spec.schedule`` value, what the runs depend on) of a CronJob."""
    spec = w.cronjob_spec
    if spec is None:
        return None
    schedule = as_str(spec.get("schedule"))
    if not schedule:
        return None
    zone = spec.get("timeZone")
    if zone is not None and not isinstance(zone, str):
        return None  # the API server refuses the object: it never runs
    return w.cronjob_spec_path + ("schedule",), {
        "id": f"{w.namespace or 'default'}/{w.shown_name}",
        "namespace": w.namespace or None,
        "schedule": schedule,
        "timeZone": zone,
        "suspended": spec.get("suspend") is True,
    }


def _scopes(items: list[dict], counted: list[int], scope: str) -> dict[int, int]:
    """Each counted item's scope (the smallest index in it): items join when they share a key."""
    parent = {i: i for i in counted}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple, int] = {}
    for i in counted:
        item = items[i]
        if scope == "run":
            keys = [("run",)]
        elif scope != "directory" or item["namespace"] is None:  # "file", or a value it does not know
            keys = [("file", item["file"])]
        else:
            keys = [("file", item["file"]), ("dir", os.path.dirname(item["file"]), item["namespace"])]
        for key in keys:
            other = first.setdefault(key, i)
            a, b = root(i), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {i: root(i) for i in counted}


def _when(minute: int, zone: Any, zone_name: str | None) -> str:
    utc = datetime.fromtimestamp(minute, timezone.utc)
    text = utc.strftime("%Y-%m-%d %H:%M UTC")
    if zone_name and zone_name not in ("UTC", "Etc/UTC"):
        local = datetime.fromtimestamp(minute, zone)
        text += f" ({local.strftime('%a %H:%M')} {zone_name})"
    return text


def _spread(schedule: str, key: str, taken: set[str]) -> str | None:
    """The schedule with another start minute, for the fix (a fixed minute field only)."""
    fields = schedule.split()
    if len(fields) != 5 or not fields[0].isdigit():
        return None
    base = zlib.crc32(key.encode("utf-8", "surrogatepass"))
    for k in range(59):
        minute = str(1 + (base + 7 * k) % 59)
        if minute not in taken and minute not in ("15", "30", "45"):
            return " ".join([minute, *fields[1:]])
    return None


def schedule_pile_up(items: list[dict], params: dict, now: datetime | None) -> Iterator[tuple[int, str, str | None]]:
    """(item, message, fix) for each CronJob that starts in a minute with ``threshold`` - 1 others
    of its scope, within ``window_days`` from ``now``."""
    from jobcheck.cron.analysis import accepted_schedule, controller_zone, reference_minute
    from jobcheck.cron.fleet import pileups, runs_between
    from jobcheck.cron.timezone import timezone_error

    threshold = max(2, int(params.get("threshold", 3)))
    days = min(max(1, int(params.get("window_days", 7))), 31)  # bounded work
    scope = params.get("scope", "directory")
    start = reference_minute(now)
    end = start + timedelta(days=days)
    runs: dict[tuple[str, str | None], list[int] | None] = {}
    zones: dict[int, tuple[Any, str | None]] = {}
    counted: list[int] = []
    for i, item in enumerate(items):
        if not _well_formed(item) or item["suspended"]:
            continue
        tz = item["timeZone"]
        if tz is not None and timezone_error(tz):
            continue  # the API server refuses it
        key = (item["schedule"], tz)
        if key not in runs:
            sched = accepted_schedule(item["schedule"])
            times = None
            if sched is not None:
                zone = controller_zone(tz)[0]
                # More runs than hours in the window means a gap under an hour: not counted, and
                # its runs are not walked further (an every-minute schedule has 10,080 a week).
                found = runs_between(sched, zone, start, end, limit=days * 24)
                gaps = [b - a for a, b in zip(found.times, found.times[1:], strict=False)]
                if not found.truncated and not (gaps and min(gaps) < MIN_GAP):
                    times = found.times
            runs[key] = times
        if runs[key] is None:
            continue
        zones[i] = controller_zone(tz)
        counted.append(i)
    groups: dict[int, dict[str, list[int]]] = {}  # scope -> id -> its items
    scopes = _scopes(items, counted, scope)
    for i in counted:
        groups.setdefault(scopes[i], {}).setdefault(items[i]["id"], []).append(i)
    for by_id in groups.values():
        # An id of one CronJob shares its schedule's run list, so pileups counts the CronJobs of one
        # schedule and zone as a group (memory grows with distinct schedules, not with CronJobs).
        starts = {}
        for k, members in by_id.items():
            lists = {id(t): t for t in (runs[(items[i]["schedule"], items[i]["timeZone"])] for i in members)}
            starts[k] = next(iter(lists.values())) if len(lists) == 1 else sorted(set().union(*lists.values()))
        piles = pileups(starts, threshold)
        if not piles:
            continue
        first: dict[str, tuple[int, list[str]]] = {}
        count: dict[str, int] = {}
        for minute, keys in piles:
            for k in keys:
                first.setdefault(k, (minute, keys))
                count[k] = count.get(k, 0) + 1
        minutes = {k: {items[i]["schedule"].split()[0] for i in by_id[k]} for k in by_id}
        for k in sorted(first):
            minute, keys = first[k]
            taken = set().union(*(minutes[o] for o in keys))
            for i in by_id[k]:
                item = items[i]
                others = [o for o in keys if o != k]
                named = [_named(o, items[by_id[o][0]], item) for o in others[:MAX_NAMED]]
                if len(others) > MAX_NAMED:
                    named.append(f"and {len(others) - MAX_NAMED} more")
                zone, zone_name = zones[i]
                more = count[k] - 1
                quoted = json.dumps(item["schedule"], ensure_ascii=False)
                message = (f"schedule {quoted} starts in the same minute as {len(others)} other "
                           f"CronJob{'s' * (len(others) > 1)} (threshold {threshold}): {', '.join(named)}, "
                           f"at {_when(minute, zone, zone_name)}")
                if more:
                    message += f", and in {more} more such minute{'s' * (more > 1)} in the next {days} days"
                spread = _spread(item["schedule"], k, taken)
                fix = None
                if spread is not None:
                    fix = (f"Spread the starts: give this CronJob another minute, for example `{spread}`, so "
                           f"that fewer than {threshold} CronJobs start together.")
                yield i, message, fix


def _well_formed(item: dict) -> bool:
    """Whether ``item`` is as ``collect_schedule`` made it (it may come from the result cache)."""
    return (type(item.get("id")) is str and type(item.get("schedule")) is str and type(item.get("suspended")) is bool
            and isinstance(item.get("timeZone"), (str, type(None))) and isinstance(item.get("namespace"), (str, type(None))))


def _named(key: str, other: dict, item: dict) -> str:
    """How a message names another CronJob: ``namespace/name`` and where it is."""
    if other["file"] != item["file"]:
        return f"{key} ({other['file']}:{other['line']})"
    return f"{key} (line {other['line']})"
