"""The schedule map for a terminal: 80 columns, no colour, everything read from ``build_map``'s dict.

The heat map counts starts per local hour of the display zone, one row per local date; on the
night a zone changes its offset the row says so (a repeated hour adds into one cell, a skipped
hour stays empty).
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from jobcheck.cron import zone_for
from jobcheck.cron.fleet import RUN_LIMIT
from jobcheck.report.escape import printable

WIDTH = 80
LABEL = 10  # "Sat 03-13 "
MAX_LISTED = 20  # pile-ups, self-overlaps, invalid and suspended CronJobs listed one by one
MAX_NAMES = 12  # CronJobs named under one pile-up or the peak


def _parse(stamp: str) -> datetime:
    """An instant of the map (``2027-03-13T17:00:00Z``) as an aware datetime."""
    return datetime.fromisoformat(stamp[:-1]).replace(tzinfo=timezone.utc)


def cell(count: int) -> str:
    """One hour of the heat map: ``.`` none, ``1``-``9``, ``+`` 10-99, ``#`` 100 or more."""
    if count == 0:
        return "."
    if count < 10:
        return str(count)
    return "+" if count < 100 else "#"


def cpu_text(millicores: int) -> str:
    return f"{millicores}m" if millicores % 1000 else str(millicores // 1000)


def memory_text(size: int) -> str:
    """Bytes in binary units, one decimal at most: ``805306368`` is ``768Mi``."""
    for unit, power in (("Ei", 60), ("Pi", 50), ("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10)):
        if size >= 1 << power:
            value = f"{size / (1 << power):.1f}".removesuffix(".0")
            return f"{value}{unit}"
    return str(size)


def requests_text(req: dict) -> str:
    return f"cpu {cpu_text(req['cpu'])}, memory {memory_text(req['memory'])}"


def render(doc: dict) -> str:
    zone_name = doc["timezone"]
    zone = zone_for(zone_name)
    first, last = _parse(doc["window"]["from"]), _parse(doc["window"]["to"])
    entries = doc["cronjobs"]
    invalid = [e for e in entries if e["error"]]
    suspended = [e for e in entries if e["suspended"] and not e["error"]]

    def local(stamp: str) -> str:
        moment = _parse(stamp).astimezone(zone)
        return f"{moment:%a %Y-%m-%d %H:%M} {moment.tzname()}" + (
            "" if zone_name in ("UTC",) else f" ({_parse(stamp):%H:%M} UTC)")

    lines = [
        f"Schedule map: {first.astimezone(zone):%Y-%m-%d %H:%M} to {last.astimezone(zone):%Y-%m-%d %H:%M} {zone_name}",
        f"Window (UTC): {doc['window']['from']} to {doc['window']['to']}",
        f"Controller zone: {doc['controllerTimeZone']}. Pile-up: {doc['pileupThreshold']}+ starts/minute."
        f" Run length: {_duration(doc['defaultDuration'])} or deadline.",
        f"{_plural(len(entries), 'CronJob')}: {len(suspended)} suspended, {len(invalid)} invalid,"
        f" {sum(len(e['runs']) for e in entries)} runs in the window",
    ]
    truncated = [e["id"] for e in entries if e["truncated"]]
    if truncated:
        lines.append(f"More than {RUN_LIMIT:,} runs (only the first {RUN_LIMIT:,} are mapped): {_names(truncated)}")
    lines.append("")
    lines.extend(_heat_map(doc, zone, first, last))
    lines.append("")
    piles = doc["pileups"]
    lines.append(f"Pile-ups ({len(piles)}):" if piles else "Pile-ups: none")
    for pile in piles[:MAX_LISTED]:
        lines.append(f"  {local(pile['at'])}: {len(pile['cronjobs'])} starts, {requests_text(pile['requests'])}")
        lines.extend(_wrap(_names(pile["cronjobs"]), "    "))
    _more(lines, len(piles))
    peak = doc["overlap"]
    lines.append("")
    if peak["peak"]:
        lines.append(f"Most runs at once: {peak['peak']}, from {local(peak['at'])}")
        lines.extend(_wrap(_names(peak["cronjobs"]), "    "))
    else:
        lines.append("Most runs at once: 0 (no runs in the window)")
    _listed(lines, "Runs of one CronJob overlapping (concurrencyPolicy Allow)", doc["selfOverlaps"],
            lambda item: f"{item['cronjob']}: {item['running']} at once, from {local(item['at'])}")
    _listed(lines, "Invalid", invalid, lambda e: f"{e['file']}:{e['line']} {e['id']}: {e['error']}")
    _listed(lines, "Suspended", suspended, lambda e: f"{e['file']}:{e['line']} {e['id']} ({e['schedule']})")
    out = []
    for line in lines:
        line = printable(line).rstrip()
        out.extend(textwrap.wrap(line, WIDTH, subsequent_indent="    ", break_on_hyphens=False) if len(line) > WIDTH
                   else [line])
    return "".join(line + "\n" for line in out)


def _heat_map(doc: dict, zone, first: datetime, last: datetime) -> list[str]:
    # By minute first (a window has at most 44,640 of them), then each minute to its local hour.
    minutes: Counter = Counter(stamp for entry in doc["cronjobs"] for stamp in entry["runs"])
    counts: Counter = Counter()
    for stamp, n in minutes.items():
        moment = _parse(stamp).astimezone(zone)
        counts[(moment.date(), moment.hour)] += n
    changes: dict = {}
    for change in doc["dstTransitions"]:
        day = _parse(change["at"]).astimezone(zone).date()
        shift = (change["offsetAfter"] - change["offsetBefore"]) / 3600
        where = change["zone"].rsplit("/", 1)[-1]
        changes.setdefault(day, []).append(f"{where} {shift:+g}h")
    header = " " * LABEL + "".join(f"{h:02d}  " for h in range(0, 24, 2))
    out = [f"Starts per hour, {doc['timezone']}: . none, 1-9, + 10-99, # 100+",
           header.rstrip()]
    day = first.astimezone(zone).date()
    end_day = (last - timedelta(seconds=1)).astimezone(zone).date()
    while day <= end_day:
        row = []
        for hour in range(24):
            row.append(cell(counts.get((day, hour), 0)) + " ")
        line = f"{day:%a %m-%d} " + "".join(row).rstrip()
        if day in changes:
            line = _fit(line + "  DST " + ", ".join(changes[day]))
        out.append(line)
        day += timedelta(days=1)
    return out


def _fit(line: str) -> str:
    return line if len(line) <= WIDTH else line[: WIDTH - 3] + "..."


def _wrap(text: str, indent: str, subsequent: str | None = None) -> list[str]:
    return textwrap.wrap(printable(text), WIDTH, initial_indent=indent,
                         subsequent_indent=subsequent if subsequent is not None else indent,
                         break_long_words=True, break_on_hyphens=False) or [indent.rstrip()]


def _names(ids: list[str]) -> str:
    shown = ", ".join(ids[:MAX_NAMES])
    return shown + (f", and {len(ids) - MAX_NAMES} more" if len(ids) > MAX_NAMES else "")


def _listed(lines: list[str], title: str, items: list, line: Callable[[dict], str]) -> None:
    """A titled list of at most MAX_LISTED items, one wrapped line each; nothing when empty."""
    if not items:
        return
    lines.append("")
    lines.append(f"{title} ({len(items)}):")
    for item in items[:MAX_LISTED]:
        lines.extend(_wrap(line(item), "  ", "    "))
    _more(lines, len(items))


def _more(lines: list[str], total: int) -> None:
    if total > MAX_LISTED:
        lines.append(f"  ... and {total - MAX_LISTED} more (see --format json)")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    if seconds % 60 == 0:
        return f"{seconds // 60}m"
    return f"{seconds}s"
