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
    from array import array
    from typing import Any

MAX_NAMED = 5  # other CronJobs named in one message
MIN_GAP = 3600  # CronJobs that start more often than this (seconds) are not counted
_INDEX = "i"  # the arrays of item, CronJob, group and scope numbers: 4 bytes each


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
    """An epoch minute in UTC, and in ``zone`` when it is another."""
    utc = datetime.fromtimestamp(60 * minute, timezone.utc)
    text = utc.strftime("%Y-%m-%d %H:%M UTC")
    if zone_name and zone_name not in ("UTC", "Etc/UTC"):
        local = datetime.fromtimestamp(60 * minute, zone)
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

    Items are read twice and not kept. What is kept grows with the CronJobs by a few dozen bytes
    each, in arrays (a stream of ten thousand stays flat, issue 13): the run lists of the distinct
    schedules (CronJobs that share a schedule and zone are one *group*), and per CronJob its scope,
    its groups and a digest of its ``namespace/name``; strings, sets and tallies are per group, per
    scope or per reported minute, never per CronJob."""
    from array import array  # what only the finish of a run with CronJobs needs

    from jobcheck.blake2 import blake2b
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
    counted, item_key, item_group = array(_INDEX), array(_INDEX), array(_INDEX)  # per counted item
    digests = bytearray()  # per counted item: 16 bytes of its id's BLAKE2b
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
        digests += blake2b(item["id"].encode("utf-8", "surrogatepass"), digest_size=16).digest()
    cronjobs = _CronJobs(scopes, counted, item_key, item_group, digests)
    del item_key, item_group, digests
    first, piled, at_minute = _pile_ups(cronjobs, runs, fields, threshold)
    # What the messages need of a CronJob: its items, scope and first item (not its groups' runs).
    number, scope_of, first_seen = cronjobs.number, cronjobs.scope, cronjobs.first_seen
    del cronjobs, runs, fields
    if not at_minute:
        return
    names: dict[int, tuple[str, str, int]] = {}  # number -> (id, file, line) of its first item
    zones: dict[str | None, tuple[Any, str | None]] = {}
    for c, i in enumerate(counted):
        n = number[c]
        if not piled[n]:
            continue
        minute = first[n]
        item = items[i]
        total, head, taken = at_minute[(scope_of[n], minute)]
        named = []
        for o in (m for m in head if m != n):
            if len(named) == MAX_NAMED:
                break
            if o not in names:
                other = items[counted[first_seen[o]]]
                names[o] = (other["id"], other["file"], other["line"])
            named.append(_named(*names[o], item["file"]))
        others = total - 1
        if others > MAX_NAMED:
            named.append(f"and {others - MAX_NAMED} more")
        tz = item["timeZone"]
        if tz not in zones:
            zones[tz] = controller_zone(tz)
        zone, zone_name = zones[tz]
        more = piled[n] - 1
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


def _pile_ups(cronjobs: _CronJobs, runs: list[array | None], fields: list[str],
              threshold: int) -> tuple[array, array, dict[tuple[int, int], tuple[int, list[int], set[str]]]]:
    """Per CronJob number, its first pile-up minute (epoch minutes) and how many pile-up minutes it
    is in (0: none); and per (scope, minute) reported, what the messages say of it. A function of
    its own: what it tallies goes before the messages are made."""
    from array import array

    group_minutes: dict[int, array] = {}  # group -> the minutes it starts in (ascending)

    def minutes(n: int) -> Sequence[int]:
        """The epoch minutes (ascending) in which CronJob ``n`` starts (starting twice in one counts
        once). A group's are kept; those of a CronJob with several groups (rare) are made each time."""
        if cronjobs.more[n] >= 0:
            return sorted({t // 60 for g in cronjobs.groups(n) for t in runs[g]})
        g = cronjobs.group[n]
        found = group_minutes.get(g)
        if found is None:
            found = group_minutes[g] = array(_INDEX, sorted({t // 60 for t in runs[g]}))
        return found

    # Scope by scope: the CronJobs starting in each minute; each CronJob's first pile-up minute and
    # how many it is in; and for each such minute, what its messages say (how many start then, the
    # first CronJobs by number, and the minute fields of all their schedules). CronJobs are taken
    # by *unit*, named by its first CronJob: all those of one group alone, or one of several groups.
    first = array(_INDEX, [0]) * cronjobs.count  # number -> its first pile-up minute (epoch minutes)
    piled = array(_INDEX, [0]) * cronjobs.count  # number -> how many pile-up minutes it is in (0: none)
    at_minute: dict[tuple[int, int], tuple[int, list[int], set[str]]] = {}
    for scope, numbers in cronjobs.by_scope().items():
        leads = array(_INDEX)  # the units' leads, ascending
        lead_of: dict[int, int] = {}  # group -> the lead of its unit
        size: dict[int, int] = {}  # the lead of a group's unit -> its CronJobs (else one)
        heads: dict[int, list[int]] = {}  # the lead of a group's unit -> its first numbers (else itself)
        for n in numbers:
            if cronjobs.more[n] >= 0:  # of several groups: a unit of its own
                leads.append(n)
                continue
            lead = lead_of.setdefault(cronjobs.group[n], n)
            if lead == n:
                leads.append(n)
                size[n], heads[n] = 0, []
            size[lead] += 1
            if len(heads[lead]) <= MAX_NAMED:
                heads[lead].append(n)
        tally: dict[int, int] = {}  # minute -> CronJobs starting in it
        for lead in leads:
            weight = size.get(lead, 1)
            for minute in minutes(lead):
                tally[minute] = tally.get(minute, 0) + weight
        wanted: set[int] = set()
        for lead in leads:  # a lead's first pile-up minute and how many, then its unit's
            piles = [minute for minute in minutes(lead) if tally[minute] >= threshold]
            if piles:
                first[lead], piled[lead] = piles[0], len(piles)
                wanted.add(piles[0])
        if not wanted:
            continue
        for n in numbers:
            lead = lead_of[cronjobs.group[n]] if cronjobs.more[n] < 0 else n
            if lead != n and piled[lead]:
                first[n], piled[n] = first[lead], piled[lead]
        present: dict[int, list[int]] = {minute: [] for minute in sorted(wanted)}  # minute -> its units
        for lead in leads:
            for minute in minutes(lead):
                if minute in present:
                    present[minute].append(lead)
        for minute, found in present.items():
            head = sorted(n for lead in found for n in heads.get(lead, (lead,)))[:MAX_NAMED + 1]
            taken = {fields[g] for lead in found for g in cronjobs.groups(lead)}
            at_minute[(scope, minute)] = (tally[minute], head, taken)
    return first, piled, at_minute


class _CronJobs:
    """The CronJobs of the counted items: one number per ``namespace/name`` of a scope, in the order
    they first appear, with the schedule groups of its items (a CronJob repeated with other schedules
    starts at the minutes of all of them).

    Kept in arrays, without the names: an open-addressing table of numbers finds a CronJob by its
    scope and the 16-byte digest of its name (a 128-bit collision is not a concern)."""

    def __init__(self, scopes: _Scopes, counted: Sequence[int], item_key: Sequence[int],
                 item_group: Sequence[int], digests: bytearray) -> None:
        from array import array

        self.number = array(_INDEX)  # counted item -> its CronJob
        self.scope = array(_INDEX)  # number -> its scope
        self.first_seen = array(_INDEX)  # number -> its first counted item
        self.group = array(_INDEX)  # number -> the group of its first item
        self.more = array(_INDEX)  # number -> its first other group in the chain below (-1: none)
        self._chain: list[array] = [array(_INDEX), array(_INDEX)]  # [group, next] of further groups
        size = 8
        while size < 2 * len(counted):
            size *= 2
        table = array(_INDEX, [0]) * size  # slot -> number + 1 (0: free)
        mask = size - 1
        view = memoryview(digests)
        for c in range(len(counted)):
            scope = scopes.root(item_key[c])
            digest = view[16 * c:16 * c + 16]
            slot = (int.from_bytes(digest[:8], "little") ^ scope * 0x9E3779B97F4A7C15) & mask
            while True:
                held = table[slot]
                if not held:
                    n = len(self.scope)
                    table[slot] = n + 1
                    self.scope.append(scope)
                    self.first_seen.append(c)
                    self.group.append(item_group[c])
                    self.more.append(-1)
                    break
                n = held - 1
                seen = 16 * self.first_seen[n]
                if self.scope[n] == scope and view[seen:seen + 16] == digest:
                    self._join(n, item_group[c])
                    break
                slot = (slot + 1) & mask
            self.number.append(n)

    @property
    def count(self) -> int:
        return len(self.scope)

    def _join(self, n: int, g: int) -> None:
        if g in self.groups(n):
            return
        group, after = self._chain
        group.append(g)
        after.append(self.more[n])
        self.more[n] = len(group) - 1

    def groups(self, n: int) -> list[int]:
        """The schedule groups of CronJob ``n``: its first item's, then the others, latest first."""
        out = [self.group[n]]
        link = self.more[n]
        if link >= 0:
            group, after = self._chain
            while link >= 0:
                out.append(group[link])
                link = after[link]
        return out

    def by_scope(self) -> dict[int, array]:
        """scope -> its CronJobs' numbers, ascending."""
        from array import array

        out: dict[int, array] = {}
        for n, scope in enumerate(self.scope):
            numbers = out.get(scope)
            if numbers is None:
                numbers = out[scope] = array(_INDEX)
            numbers.append(n)
        return out


def _well_formed(item: dict) -> bool:
    """Whether ``item`` is as ``collect_schedule`` made it (it may come from the result cache)."""
    return (type(item.get("id")) is str and type(item.get("schedule")) is str and type(item.get("suspended")) is bool
            and isinstance(item.get("timeZone"), (str, type(None))) and isinstance(item.get("namespace"), (str, type(None))))


def _named(key: str, file: str, line: int, here: str) -> str:
    """How a message names another CronJob: ``namespace/name`` and where it is (seen from ``here``)."""
    if file != here:
        return f"{key} ({file}:{line})"
    return f"{key} (line {line})"
