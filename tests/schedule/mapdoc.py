"""A schedule document (the JSON contract of ``docs/schedule-json.md``) built for the HTML tests.

The runs and pile-ups come from the shared cron code (``jobcheck.cron.fleet``), so the page is
tested on the runs the controller would start; overlap, self-overlap and DST entries are
computed here the simple way, enough to give the renderer every kind of entry.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from jobcheck.cron import CronError, parse, zone_for
from jobcheck.cron.dst import offset_changes
from jobcheck.cron.fleet import pileups, runs_between


def iso(t: int) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def job(name, schedule, namespace=None, tz=None, suspended=False, cpu=100, memory=64 << 20, policy="Allow", deadline=None, line=1, file="fleet.yaml"):
    return {
        "file": file, "line": line, "namespace": namespace, "name": name, "schedule": schedule,
        "timeZone": tz, "suspended": suspended, "concurrencyPolicy": policy,
        "activeDeadlineSeconds": deadline, "requests": {"cpu": cpu, "memory": memory},
    }


def build(jobs: list[dict], start: str, days: int = 7, display: str = "UTC", controller: str = "UTC", threshold: int = 3, duration: int = 600) -> dict:
    t0 = datetime.fromisoformat(start.replace("Z", "+00:00"))
    t1 = t0 + timedelta(days=days)
    out, seen, starts, memo = [], {}, {}, {}
    for j in sorted(jobs, key=lambda j: (j["file"], j["line"])):
        base = f"{j['namespace'] or 'default'}/{j['name']}"
        seen[base] = seen.get(base, 0) + 1
        entry = dict(j, id=base if seen[base] == 1 else f"{base}#{seen[base]}")
        entry["effectiveTimeZone"] = j["timeZone"] or controller
        entry.update(runs=[], truncated=False, error=None)
        try:
            sched = parse(j["schedule"])
        except CronError as exc:
            entry["error"] = str(exc)
        else:
            if not j["suspended"]:
                key = (j["schedule"], entry["effectiveTimeZone"])  # a fleet repeats schedules
                if key not in memo:
                    memo[key] = runs_between(sched, zone_for(entry["effectiveTimeZone"]), t0, t1)
                runs = memo[key]
                entry["runs"], entry["truncated"] = [iso(t) for t in runs.times], runs.truncated
                starts[entry["id"]] = runs.times
        out.append(entry)
    by_id = {e["id"]: e for e in out}
    piles = []
    for minute, ids in pileups(starts, threshold):
        piles.append({"at": iso(minute), "cronjobs": ids, "requests": {
            "cpu": sum(by_id[i]["requests"]["cpu"] for i in ids),
            "memory": sum(by_id[i]["requests"]["memory"] for i in ids)}})
    events = []
    selfs = []
    for key, times in starts.items():
        last = by_id[key]["activeDeadlineSeconds"] or duration
        events += [(t, 1, key) for t in times] + [(t + last, -1, key) for t in times]
        if by_id[key]["concurrencyPolicy"] == "Allow":
            first = 0
            for i, t in enumerate(times):
                while times[first] + last <= t:
                    first += 1
                running = i - first + 1
                if running > 1:
                    selfs.append({"cronjob": key, "at": iso(t), "running": running})
    running, total, peak = {}, 0, {"peak": 0, "at": None, "cronjobs": []}
    for t, delta, key in sorted(events, key=lambda e: (e[0], e[1])):
        running[key] = running.get(key, 0) + delta
        total += delta
        if total > peak["peak"]:
            peak = {"peak": total, "at": iso(t), "cronjobs": sorted(k for k, v in running.items() if v > 0)}
    dst = []
    for zone in sorted({e["effectiveTimeZone"] for e in out if not e["error"]} | {display}):
        for at, before, after in offset_changes(zone_for(zone), t0, days):
            if at <= t1:
                dst.append({"zone": zone, "at": iso(int(at.timestamp())),
                            "offsetBefore": int(before.total_seconds()), "offsetAfter": int(after.total_seconds())})
    return {
        "version": 1, "tool": {"name": "jobcheck", "version": "test"},
        "window": {"from": iso(int(t0.timestamp())), "to": iso(int(t1.timestamp()))},
        "timezone": display, "controllerTimeZone": controller, "pileupThreshold": threshold,
        "defaultDuration": duration, "cronjobs": out, "pileups": piles, "overlap": peak,
        "selfOverlaps": selfs, "dstTransitions": sorted(dst, key=lambda d: d["at"]),
    }
