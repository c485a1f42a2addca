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
from collections.abc import Iterator, MutableMapping, Sequence
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


class _Scopes:
    """Which CronJobs are counted together: the items of one key (a file, a directory's namespace,
    the run) join, and so do the keys one item holds (union-find over the keys, few per run)."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.parent: list[int] = []
        self.index: dict[tuple, int] = {}

    def _key(self, key: tuple) -> int:
        n = self.index.get(key)
        if n is None:
            n = self.index[key] = len(self.parent)
            self.parent.append(n)
        return n

    def root(self, n: int) -> int:
        parent = self.parent
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def add(self, item: dict) -> int:
        """Join ``item``'s keys; return its first key (its scope is that key's root, once all are added)."""
        if self.scope == "run":
            return self._key(("run",))
        first = self._key(("file", item["file"]))
        if self.scope == "directory" and item["namespace"] is not None:
            other = self._key(("dir", os.path.dirname(item["file"]), item["namespace"]))
            a, b = self.root(first), self.root(other)
            if a != b:
                self.parent[max(a, b)] = min(a, b)
        return first


def schedule_pile_up(items: Sequence[dict], params: dict, now: datetime | None,
                     memo: MutableMapping[str, object] | None = None) -> Iterator[tuple[int, str, str | None]]:
    """(item, message, fix) for each CronJob that starts in a minute with ``threshold`` - 1 others
    of its scope, within ``window_days`` from ``now``, in item order.

    Items are read three times and not kept: the state is a few numbers per CronJob, and the run
    lists of the distinct schedules (CronJobs that share a schedule and zone are one *group*)."""
    from array import array  # what only the finish of a run with CronJobs needs

    from jobcheck.cron.analysis import accepted_schedule, controller_zone, reference_minute
    from jobcheck.cron.fleet import runs_memoized
    from jobcheck.cron.timezone import timezone_error

    threshold = max(2, int(params.get("threshold", 3)))
    days = min(max(1, int(params.get("window_days", 7))), 31)  # bounded work
    scopes = _Scopes(params.get("scope", "directory"))
    start = reference_minute(now)
    end = start + timedelta(days=days)
    runs: list[array | None] = []  # group -> its runs (None: not counted)
    fields: list[str] = []  # group -> its schedule's minute field
    group_of: dict[tuple[str, str | None], int] = {}  # (schedule, zone) -> group
    counted, item_key, item_group = array("q"), array("q"), array("q")
    for i, item in enumerate(items):
        if not _well_formed(item) or item["suspended"]:
            continue
        tz = item["timeZone"]
        if tz is not None and timezone_error(tz):
            continue  # the API server refuses it
        key = (item["schedule"], tz)
        g = group_of.get(key)
        if g is None:
            sched = accepted_schedule(item["schedule"])
            times = None
            if sched is not None:
                # Two runs closer than an hour, or more runs than hours in the window: not counted.
                # The walk stops at the first close pair (an every-minute schedule has 10,080 a week).
                found = runs_memoized(sched, controller_zone(tz)[0], start, end, days * 24, memo,
                                      json.dumps(key, ensure_ascii=False), MIN_GAP)
                if not found.truncated and not found.dense:
                    times = array("q", found.times)
            g = group_of[key] = len(runs)
            runs.append(times)
            fields.append(item["schedule"].split()[0])
        if runs[g] is None:
            continue
        counted.append(i)
        item_key.append(scopes.add(item))
        item_group.append(g)
    # One number per CronJob (namespace/name) of a scope, in the order they first appear; a CronJob
    # repeated with other schedules is in a group of its own: the groups of those schedules, joined.
    ids: dict[int, dict[str, int]] = {}  # scope -> id -> number
    by_id: dict[str, int] = {}
    id_group, id_scope, id_item = array("q"), array("q"), array("q")
    item_id = array("q")
    joined: list[frozenset[int]] = []  # group - len(runs) -> the schedules' groups it joins
    joined_index: dict[frozenset[int], int] = {}
    for c, i in enumerate(counted):
        item = items[i]
        scope = scopes.root(item_key[c])
        by_id = ids.setdefault(scope, {})
        n = by_id.get(item["id"])
        if n is None:
            n = by_id[item["id"]] = len(id_group)
            id_group.append(item_group[c])
            id_scope.append(scope)
            id_item.append(i)
        elif item_group[c] not in (parts := _parts(id_group[n], joined, len(runs))):
            both = parts | {item_group[c]}
            j = joined_index.get(both)
            if j is None:
                j = joined_index[both] = len(joined)
                joined.append(both)
            id_group[n] = len(runs) + j
        item_id.append(n)
    del ids, by_id  # (the strings: what remains is numbers)
    # Per scope: the groups it holds and their members (CronJob numbers, ascending); the pile-up
    # minutes, and for each group its first such minute and how many it is in.
    members: dict[tuple[int, int], list[int]] = {}  # (scope, group) -> numbers
    for n, g in enumerate(id_group):
        members.setdefault((id_scope[n], g), []).append(n)
    in_scope: dict[int, list[int]] = {}  # scope -> its groups
    tally: dict[int, dict[int, int]] = {}  # scope -> minute -> CronJobs starting in it
    minutes: dict[int, array] = {}  # group -> _minutes, for every scope it is in and both passes (an array:
    # a week of hourly starts is 168 numbers a group, 8 bytes each rather than an int object and its pointer)
    for (scope, g), numbers in members.items():
        in_scope.setdefault(scope, []).append(g)
        counts = tally.setdefault(scope, {})
        if g not in minutes:
            minutes[g] = array("q", _minutes(g, joined, runs))
        for minute in minutes[g]:
            counts[minute] = counts.get(minute, 0) + len(numbers)
    first: dict[tuple[int, int], int] = {}  # (scope, group) -> its first pile-up minute
    count: dict[tuple[int, int], int] = {}  # (scope, group) -> how many pile-up minutes it is in
    for scope, g in members:
        counts = tally[scope]
        piles = [minute for minute in minutes[g] if counts[minute] >= threshold]
        if piles:
            first[(scope, g)], count[(scope, g)] = piles[0], len(piles)
    del tally, minutes
    if not first:
        return
    at_minute: dict[tuple[int, int], tuple[int, list[int], set[str]]] = {}  # what a message names
    names: dict[int, tuple[str, str, int]] = {}  # number -> (id, file, line) of the first item
    zones: dict[str | None, tuple[Any, str | None]] = {}
    for c, i in enumerate(counted):
        n = item_id[c]
        scope, g = id_scope[n], id_group[n]
        minute = first.get((scope, g))
        if minute is None:
            continue
        item = items[i]
        seen_at = at_minute.get((scope, minute))
        if seen_at is None:
            present = [h for h in in_scope[scope] if _starts_in(h, minute, joined, runs)]
            total = sum(len(members[(scope, h)]) for h in present)
            head = sorted(m for h in present for m in members[(scope, h)][:MAX_NAMED + 1])[:MAX_NAMED + 1]
            # The minute fields of the schedules of every CronJob starting then.
            taken = {fields[part] for h in present for part in _parts(h, joined, len(runs))}
            seen_at = at_minute[(scope, minute)] = (total, head, taken)
        total, head, taken = seen_at
        named = []
        for o in (m for m in head if m != n):
            if len(named) == MAX_NAMED:
                break
            if o not in names:
                other = items[id_item[o]]
                names[o] = (other["id"], other["file"], other["line"])
            named.append(_named(*names[o], item["file"]))
        others = total - 1
        if others > MAX_NAMED:
            named.append(f"and {others - MAX_NAMED} more")
        tz = item["timeZone"]
        if tz not in zones:
            zones[tz] = controller_zone(tz)
        zone, zone_name = zones[tz]
        more = count[(scope, g)] - 1
        quoted = json.dumps(item["schedule"], ensure_ascii=False)
        message = (f"schedule {quoted} starts in the same minute as {others} other "
                   f"CronJob{'s' * (others > 1)} (threshold {threshold}): {', '.join(named)}, "
                   f"at {_when(minute, zone, zone_name)}")
        if more:
            message += f", and in {more} more such minute{'s' * (more > 1)} in the next {days} days"
        spread = _spread(item["schedule"], item["id"], taken)
        fix = None
        if spread is not None:
            fix = (f"Spread the starts: give this CronJob another minute, for example `{spread}`, so "
                   f"that fewer than {threshold} CronJobs start together.")
        yield i, message, fix


def _minutes(g: int, joined: list[frozenset[int]], runs: list) -> list[int]:
    """The minutes (ascending) in which group ``g`` starts (a group starting twice in one counts once)."""
    return sorted({t - t % 60 for part in _parts(g, joined, len(runs)) for t in runs[part]})


def _starts_in(g: int, minute: int, joined: list[frozenset[int]], runs: list) -> bool:
    from bisect import bisect_left

    for part in _parts(g, joined, len(runs)):
        times = runs[part]
        at = bisect_left(times, minute)
        if at < len(times) and times[at] < minute + 60:
            return True
    return False


def _parts(g: int, joined: list[frozenset[int]], schedules: int) -> frozenset[int]:
    """The schedules' groups of group ``g``: itself, or those it joins."""
    return frozenset((g,)) if g < schedules else joined[g - schedules]


def _well_formed(item: dict) -> bool:
    """Whether ``item`` is as ``collect_schedule`` made it (it may come from the result cache)."""
    return (type(item.get("id")) is str and type(item.get("schedule")) is str and type(item.get("suspended")) is bool
            and isinstance(item.get("timeZone"), (str, type(None))) and isinstance(item.get("namespace"), (str, type(None))))


def _named(key: str, file: str, line: int, here: str) -> str:
    """How a message names another CronJob: ``namespace/name`` and where it is (seen from ``here``)."""
    if file != here:
        return f"{key} ({file}:{line})"
    return f"{key} (line {line})"
