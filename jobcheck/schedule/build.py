"""The schedule map as data: every CronJob's runs over a window, pile-ups, overlaps, DST changes.

``build_map`` returns the dict documented in docs/schedule-json.md (version 1); the text view
(``text.render``) and the HTML report (``html.render``) only present it.

Runs are the controller's: robfig's Next chained from run to run in the CronJob's zone
(``spec.timeZone``, else the controller's), through ``jobcheck.cron.fleet``. The window is
half-open, ``[from, to)``: a run at ``from`` counts, a run at ``to`` does not.
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timezone, tzinfo
from typing import Any

from jobcheck import __version__
from jobcheck.cron import k8s_schedule_errors, parse, timezone_error, zone_for
from jobcheck.cron.dst import offset_changes
from jobcheck.cron.fleet import pileups, runs_between
from jobcheck.kube.podrequests import pod_requests
from jobcheck.redact import looks_secret
from jobcheck.report.escape import unicode_safe
from jobcheck.schedule.collect import Source
from jobcheck.schedule.options import MAX_WINDOW

VERSION = 1
POLICIES = ("Allow", "Forbid", "Replace")


@functools.lru_cache(maxsize=65536)  # the runs of a fleet fall on a few thousand minutes
def instant(unix: int) -> str:
    """A Unix time as the map writes instants: ``2027-03-13T17:00:00Z``."""
    return datetime.fromtimestamp(unix, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_map(sources: Iterable[Source], start: datetime, end: datetime, *, display_zone: str = "UTC",
              controller_zone: str = "UTC", pileup_threshold: int = 3, default_duration: int = 600) -> dict:
    """The map of ``sources`` over ``[start, end)`` (aware datetimes; at most 31 days apart).

    ``display_zone`` is only recorded (for the views); ``controller_zone`` is the zone of
    CronJobs without ``spec.timeZone``; both are valid zone names (the caller checks them).
    """
    if end - start > MAX_WINDOW:
        raise ValueError("the window may be at most 31 days")
    first, last = _unix(start), _unix(end)
    controller = zone_for(controller_zone)
    memo: dict = {}  # (schedule, zone) -> (times, instants, truncated): repositories repeat schedules
    entries = [_entry(src, first, last, controller_zone, controller, memo)
               for src in sorted(sources, key=lambda s: (s.file, s.line))]
    _assign_ids(entries)
    starts = {e["id"]: e.pop("_times") for e in entries}
    running = {e["id"]: t for e in entries if (t := starts[e["id"]])}
    by_id = {e["id"]: e for e in entries}
    piles = []
    for minute, ids in pileups(running, pileup_threshold):
        piles.append({"at": instant(minute), "cronjobs": ids, "requests": _sum([by_id[i]["requests"] for i in ids])})
    spans = {i: _intervals(times, by_id[i], default_duration) for i, times in running.items()}
    zones = {e["effectiveTimeZone"] for e in entries if running.get(e["id"])} | {display_zone}
    return {
        "version": VERSION,
        "tool": {"name": "jobcheck", "version": __version__},
        "window": {"from": instant(first), "to": instant(last)},
        "timezone": display_zone,
        "controllerTimeZone": controller_zone,
        "pileupThreshold": pileup_threshold,
        "defaultDuration": default_duration,
        "cronjobs": entries,
        "pileups": piles,
        "overlap": _peak(spans),
        "selfOverlaps": [s for e in entries if (s := _self_overlap(e, spans.get(e["id"], ([], []))))],
        "dstTransitions": _transitions(zones, first, last),
    }


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


def _entry(src: Source, first: int, last: int, controller_name: str, controller: tzinfo, memo: dict) -> dict:
    data = src.data
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
    job = spec.get("jobTemplate") if isinstance(spec.get("jobTemplate"), dict) else {}
    job_spec = job.get("spec") if isinstance(job.get("spec"), dict) else {}
    template = job_spec.get("template") if isinstance(job_spec.get("template"), dict) else {}
    namespace = meta.get("namespace") if isinstance(meta.get("namespace"), str) and meta.get("namespace") else None
    schedule, time_zone = spec.get("schedule"), spec.get("timeZone")
    deadline = job_spec.get("activeDeadlineSeconds")
    policy = spec.get("concurrencyPolicy")
    entry: dict[str, Any] = {
        "file": src.file,
        "line": src.line,
        "namespace": namespace,
        "name": _name(meta),
        "id": "",
        "schedule": schedule if isinstance(schedule, str) else None,
        "timeZone": time_zone if isinstance(time_zone, str) else None,
        "effectiveTimeZone": time_zone if isinstance(time_zone, str) else controller_name,
        "suspended": spec.get("suspend") is True,
        "concurrencyPolicy": policy if policy in POLICIES else "Allow",  # the server's default
        "activeDeadlineSeconds": deadline if type(deadline) is int and deadline > 0 else None,
        "requests": pod_requests(template.get("spec")),
        "runs": [],
        "truncated": False,
        "error": _error(schedule, time_zone),
        "_times": [],
    }
    for name in ("file", "namespace", "name", "schedule", "timeZone", "effectiveTimeZone", "error"):
        if isinstance(entry[name], str):  # surrogates (undecodable bytes) no strict JSON parser takes
            entry[name] = unicode_safe(entry[name])
    if entry["error"] is None and not entry["suspended"]:
        key = (schedule, controller_name if time_zone is None else time_zone)
        if key not in memo:
            zone = controller if time_zone is None else zone_for(time_zone)
            # Next strictly after ``first - 1`` is the first run at or after ``first``.
            runs = runs_between(parse(schedule), zone, _at(first - 1), _at(last - 1))
            memo[key] = (runs.times, [instant(t) for t in runs.times], runs.truncated)
        times, stamps, truncated = memo[key]
        entry["_times"] = times
        entry["runs"] = list(stamps)
        entry["truncated"] = truncated
    return entry


def _at(unix: int) -> datetime:
    return datetime.fromtimestamp(unix, timezone.utc)


def _name(meta: dict) -> str:
    name = meta.get("name")
    if isinstance(name, str) and name:
        return "(name not shown: it may be a credential)" if looks_secret(name) else name
    prefix = meta.get("generateName")
    if isinstance(prefix, str) and prefix and not looks_secret(prefix):
        return f"{prefix}*"
    return "(unnamed)"


def _error(schedule: Any, time_zone: Any) -> str | None:
    """The API server's verdict on ``spec.schedule`` and ``spec.timeZone`` (None: both accepted)."""
    errors = []
    if schedule is None:
        errors.append("spec.schedule: Required value")
    elif not isinstance(schedule, str):
        errors.append(f"spec.schedule: must be a string, not {type(schedule).__name__}")
    else:
        errors.extend(f"spec.schedule: {e.message}" for e in k8s_schedule_errors(schedule))
    if time_zone is not None:
        if not isinstance(time_zone, str):
            errors.append(f"spec.timeZone: must be a string, not {type(time_zone).__name__}")
        elif (problem := timezone_error(time_zone)) is not None:
            errors.append(f"spec.timeZone: {problem}")
    return "; ".join(errors) if errors else None


def _assign_ids(entries: list[dict]) -> None:
    seen: dict[str, int] = {}
    for entry in entries:
        base = f"{entry['namespace'] or 'default'}/{entry['name']}"
        seen[base] = seen.get(base, 0) + 1
        entry["id"] = base if seen[base] == 1 else f"{base}#{seen[base]}"


def _sum(requests: list[dict]) -> dict:
    return {"cpu": sum(r["cpu"] for r in requests), "memory": sum(r["memory"] for r in requests)}


def _intervals(times: list[int], entry: dict, default_duration: int) -> tuple[list[int], list[int]]:
    """The runs as ``[start, end)``: (starts, ends), both ascending. Each lasts its deadline (or the
    default), as the policy lets it run: under ``Forbid`` a run due while the previous one still
    runs is skipped; under ``Replace`` the running one stops when the next starts."""
    length = entry["activeDeadlineSeconds"] or default_duration
    policy = entry["concurrencyPolicy"]
    if policy == "Allow":
        return times, [t + length for t in times]
    starts: list[int] = []
    ends: list[int] = []
    for t in times:
        if ends and ends[-1] > t:
            if policy == "Forbid":
                continue
            ends[-1] = t  # Replace
        starts.append(t)
        ends.append(t + length)
    return starts, ends


def _peak(spans: dict[str, tuple[list[int], list[int]]]) -> dict:
    """The most runs at once, the first instant it is reached and who runs then.

    Runs ending at an instant are gone before those starting at it are counted. Starts and ends
    are counted per instant (a fleet's runs fall on a few thousand distinct minutes), so the
    sweep sorts instants, not runs.
    """
    starts: Counter = Counter()
    ends: Counter = Counter()
    for begun, ended in spans.values():
        starts.update(begun)
        ends.update(ended)
    count = best = 0
    best_at = None
    for t in sorted(starts.keys() | ends.keys()):
        count += starts.get(t, 0) - ends.get(t, 0)
        if count > best:
            best, best_at = count, t
    if best_at is None:
        return {"peak": 0, "at": None, "cronjobs": []}
    who = []
    for key, (begun, ended) in spans.items():
        i = bisect.bisect_right(begun, best_at) - 1  # the last run started by then ends last (ends ascend)
        if i >= 0 and ended[i] > best_at:
            who.append(key)
    return {"peak": best, "at": instant(best_at), "cronjobs": sorted(who)}


def _self_overlap(entry: dict, span: tuple[list[int], list[int]]) -> dict | None:
    """Under ``Allow``: the most runs of one CronJob at once (when above one) and its first start."""
    starts, ends = span
    if entry["concurrencyPolicy"] != "Allow" or len(starts) < 2:
        return None
    best, best_at, done = 1, None, 0
    for i, t in enumerate(starts):
        while ends[done] <= t:  # ends ascend; ends[i] > t, so this stops at i at the latest
            done += 1
        if i + 1 - done > best:
            best, best_at = i + 1 - done, t
    if best_at is None:
        return None
    return {"cronjob": entry["id"], "at": instant(best_at), "running": best}


def _transitions(zones: Iterable[str], first: int, last: int) -> list[dict]:
    out = []
    days = -(-(last - first) // 86400) + 1
    for name in zones:
        for moment, before, after in offset_changes(zone_for(name), _at(first), days):
            unix = _unix(moment)
            if first <= unix < last:
                out.append({"zone": name, "at": instant(unix), "offsetBefore": int(before.total_seconds()),
                            "offsetAfter": int(after.total_seconds())})
    return sorted(out, key=lambda d: (d["at"], d["zone"]))
