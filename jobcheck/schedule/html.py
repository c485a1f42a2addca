"""The schedule map as one self-contained HTML page (``jobcheck schedule --format html``).

``render(doc)`` takes exactly the schedule JSON document (``docs/schedule-json.md``) and
returns the page: inline CSS, SVG and a small script, nothing fetched. Every string that comes
from a manifest (names, schedules, zones, errors, file paths) is escaped for HTML, and for the
page's JSON island, so a name cannot inject markup or script.

The page stays small for big fleets: a CronJob's runs are drawn as one SVG path with at most
one segment per pixel column of the plot (an every-minute CronJob over 7 days is one path of
~1000 segments, not 10,080 elements), and the tooltip finds the run under the pointer from
the same per-column data.
"""

from __future__ import annotations

import math
from importlib import resources

from jobcheck.cron import zone_for
from jobcheck.report.escape import printable
from jobcheck.schedule.htmlkit import (
    AXIS_H,
    HIST_H,
    LABEL_W,
    PLOT_W,
    ROW_H,
    Axis,
    cpu_text,
    esc,
    instant,
    memory_text,
    offset_text,
    requests_of,
    schedule_text,
    script_json,
)
from jobcheck.schedule.htmltables import tables


def render(doc: dict) -> str:
    """Return the HTML page (a str) for a schedule document as ``build_map`` produces it."""
    t0, t1 = instant(doc["window"]["from"]), instant(doc["window"]["to"])
    span = max(t1 - t0, 60)
    display_name = doc.get("timezone") or "UTC"
    display = zone_for(display_name)
    axis = Axis(t0, span, display)
    jobs = doc.get("cronjobs") or []
    valid = [j for j in jobs if not j.get("error")]
    invalid = [j for j in jobs if j.get("error")]
    pile_minutes = {instant(p["at"]) for p in doc.get("pileups") or []}
    times = _tracks(valid, axis)

    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        # No request leaves the page, whatever a manifest holds.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
        f"<title>Schedule map · {esc(doc['window']['from'])} → {esc(doc['window']['to'])}</title>",
        f"<style>{_asset('map.css')}</style></head><body><main>",
        _header(doc, axis, valid, invalid),
        _histograms(doc, axis, valid, times, pile_minutes),
        _timeline(doc, axis, valid, times, pile_minutes),
        tables(doc, axis, invalid),
        f"<footer>{esc(_tool(doc))} · times in {esc(display_name)} with UTC in the hover details.</footer>",
        "</main><div id=\"tip\" class=\"tooltip\" role=\"tooltip\" hidden></div>",
        f"<script type=\"application/json\" id=\"map-data\">{script_json(_data(doc, axis, valid, times))}</script>",
        f"<script>{_asset('map.js')}</script></body></html>\n",
    ]
    return "".join(parts)




def _asset(name: str) -> str:
    return resources.files("jobcheck.schedule").joinpath("assets", name).read_text(encoding="utf-8")


class _Track:
    """One CronJob's runs (Unix seconds) and, per plot column holding any, [count, first run]."""

    __slots__ = ("runs", "cols")

    def __init__(self, runs: list, cols: dict) -> None:
        self.runs, self.cols = runs, cols


def _tracks(valid: list, axis: Axis) -> list[_Track]:
    """Each CronJob's track; a fleet repeats the same instants, so each is parsed once."""
    memo: dict[str, int] = {}
    t0, span, last = axis.t0, axis.span, PLOT_W - 1
    out = []
    for job in valid:
        runs = []
        for text in job.get("runs") or []:
            t = memo.get(text)
            if t is None:
                t = memo[text] = instant(text)
            runs.append(t)
        cols: dict[int, list] = {}
        for t in runs:
            c = (t - t0) * PLOT_W // span
            c = last if c > last else 0 if c < 0 else c
            entry = cols.get(c)
            if entry is None:
                cols[c] = [1, t]
            else:
                entry[0] += 1
        out.append(_Track(runs, cols))
    return out


def _tool(doc: dict) -> str:
    tool = doc.get("tool") or {}
    return f"{tool.get('name', 'jobcheck')} {tool.get('version', '')}".strip()


# -- sections ----------------------------------------------------------------------------------


def _header(doc: dict, axis: Axis, valid: list, invalid: list) -> str:
    t0, t1 = axis.t0, axis.t0 + axis.span
    runs = sum(len(j.get("runs") or []) for j in valid)
    suspended = sum(1 for j in valid if j.get("suspended"))
    pileups = doc.get("pileups") or []
    overlap = doc.get("overlap") or {}
    cards = [
        ("", len(valid), f"CronJobs ({suspended} suspended)"),
        ("", runs, "runs in the window"),
        ("hot" if pileups else "", len(pileups), f"pile-ups (≥ {doc.get('pileupThreshold', 3)} starts in a minute)"),
        ("", overlap.get("peak", 0), "peak of overlapping runs"),
        ("hot" if invalid else "", len(invalid), "invalid CronJobs"),
        ("", len(doc.get("dstTransitions") or []), "DST changes"),
    ]
    card_html = "".join(
        f'<div class="card {cls}" data-card="{i}"><b>{value}</b><span>{esc(label)}</span></div>'
        for i, (cls, value, label) in enumerate(cards)
    )
    zone = doc.get("timezone") or "UTC"
    return (
        "<header><h1>Schedule map</h1>"
        f'<p class="sub">{esc(axis.local(t0).strftime("%a %d %b %Y %H:%M"))} → '
        f'{esc(axis.local(t1).strftime("%a %d %b %Y %H:%M"))} {esc(zone)} · '
        f"window {esc(doc['window']['from'])} – {esc(doc['window']['to'])} · CronJobs without "
        f"<code>spec.timeZone</code> run in {esc(doc.get('controllerTimeZone') or 'UTC')}</p>"
        f'<div class="cards">{card_html}</div></header>'
    )


def _histograms(doc: dict, axis: Axis, valid: list, times: list, pile_minutes: set) -> str:
    # Hour buckets aligned on the display zone's hours (a +05:30 zone's hours start at :30 UTC).
    size = 3600 * max(1, math.ceil(axis.span / (3600 * 744)))
    first = axis.local(axis.t0)
    anchor = axis.t0 - first.minute * 60 - first.second
    count = (axis.t0 + axis.span - anchor) // size + 1
    starts, cpu, mem, hot = [0] * count, [0] * count, [0] * count, [False] * count
    for job, track in zip(valid, times, strict=True):
        c, m = requests_of(job)
        for t in track.runs:
            i = (t - anchor) // size
            starts[i] += 1
            cpu[i] += c
            mem[i] += m
    for t in pile_minutes:
        hot[(t - anchor) // size] = True
    unit = "hour" if size == 3600 else f"{size // 3600} hours"
    charts = [
        ("starts", f"Starts per {unit}", starts, str),
        ("cpu", f"CPU requested by the runs starting in each {unit}", cpu, cpu_text),
        ("memory", f"Memory requested by the runs starting in each {unit}", mem, memory_text),
    ]
    # The timeline's midnights, so a bar reads against the same days as the rows below.
    days = "".join(f"M{x} 0v{HIST_H}" for x in _midnights(axis))
    out = ['<section class="hists"><h2>Load over time</h2>']
    for key, title, values, fmt in charts:
        out.append(_histogram(key, title, values, fmt, hot, anchor, size, axis, days))
    out.append(
        '<div class="legend"><span><i style="background:#7f9ce6"></i>starts and requests</span>'
        '<span><i style="background:#d7263d"></i>contains a pile-up minute</span></div></section>'
    )
    return "".join(out)


def _histogram(key, title, values, fmt, hot, anchor, size, axis: Axis, days: str) -> str:
    top = max(values) or 1
    h = HIST_H
    bars = []
    for i, v in enumerate(values):
        if not v:
            continue
        start, end = max(anchor + i * size, axis.t0), min(anchor + (i + 1) * size, axis.t0 + axis.span)
        x0, x1 = axis.x(start), axis.x(end)
        bh = max(1.0, round(v * (h - 6) / top, 2))
        label = f"{axis.when(anchor + i * size)}: {fmt(v)}{' · pile-up' if hot[i] else ''}"
        bars.append(
            f'<rect class="bar{" hot" if hot[i] else ""}" x="{x0}" y="{h - bh}" '
            f'width="{x1 - x0 - (0.6 if x1 - x0 > 3 else 0):.2f}" height="{bh}"><title>{esc(label)}</title></rect>'
        )
    return (
        f'<svg class="hist" data-hist="{key}" viewBox="0 0 {LABEL_W + PLOT_W + 10} {h + 4}" '
        f'role="img" aria-label="{esc(title)}">'
        f'<text class="label" x="0" y="14">{esc(title)}</text>'
        f'<text class="max" x="0" y="30">max {esc(fmt(max(values)))}</text>'
        f'<path class="grid-day" d="{days}"/>'
        f'<line class="grid-day" x1="{LABEL_W}" x2="{LABEL_W + PLOT_W}" y1="{h}" y2="{h}"/>'
        + "".join(bars)
        + "</svg>"
    )


def _timeline(doc: dict, axis: Axis, valid: list, times: list, pile_minutes: set) -> str:
    self_at: dict[str, list] = {}
    for s in doc.get("selfOverlaps") or []:
        self_at.setdefault(s["cronjob"], []).append(s)
    height = ROW_H * len(valid) + 4
    width = LABEL_W + PLOT_W + 10
    labels, lines = _grid(axis, height)
    dst_labels, markers = _markers(doc, axis, height)
    out = [
        '<section class="timeline"><h2>Runs per CronJob</h2>',
        '<div class="legend"><span><i style="background:#2f5fd0"></i>a run</span>'
        '<span><i style="background:#d7263d"></i>a start in a pile-up minute</span>'
        '<span><i style="background:#7a3fc7"></i>a DST change</span>'
        '<span><i style="background:#e07b00"></i>peak of overlapping runs, or runs of one CronJob overlapping</span>'
        '<span><i style="background:#a4abb6"></i>suspended</span></div>',
        # The axis stays in view while a long list of CronJobs scrolls under it.
        f'<div class="tl-head"><svg id="axis" viewBox="0 0 {width} {AXIS_H}">{labels}{dst_labels}</svg></div>',
        f'<svg id="timeline" viewBox="0 0 {width} {height}" data-rows="{len(valid)}">',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4f5f7"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#dfe2e8" stroke-width="2"/></pattern></defs>',
        lines,
    ]
    if pile_minutes:
        cols = sorted({axis.col(t) for t in pile_minutes})
        out.append(f'<path class="pileup-band" data-pileups="{len(pile_minutes)}" d="{_strokes(cols, 0, height)}"/>')
    out.append('<g class="rows">')
    for i, (job, track) in enumerate(zip(valid, times, strict=True)):
        out.append(_row(i, job, track, axis, pile_minutes, self_at.get(job["id"], [])))
    out.append("</g>")
    out.append(markers)
    out.append("</svg></section>")
    return "".join(out)


def _marks(axis: Axis):
    """(x, local time, starts a day) at each wall-clock hour of the display zone in the window,
    and wherever the local date changes (so a zone that skips midnight still starts its day)."""
    step = 900 if axis.span <= 62 * 86400 else 3600  # quarter hours catch +05:30 and +05:45 zones
    t = axis.t0 - axis.t0 % step
    prev = axis.local(t).date()
    while t <= axis.t0 + axis.span:
        loc = axis.local(t)
        new_day = loc.date() != prev
        if t >= axis.t0 and (new_day or loc.minute == 0):
            yield axis.x(t), loc, new_day
        prev = loc.date()
        t += step


def _midnights(axis: Axis) -> list[float]:
    return [x for x, _, new_day in _marks(axis) if new_day]


def _grid(axis: Axis, height: int) -> tuple[str, str]:
    """(axis labels, grid lines): the display zone's hours and days."""
    px_hour = PLOT_W * 3600 / axis.span
    hours, days, ticks = [], [], []
    first = axis.local(axis.t0).strftime("%a %d %b %Y")
    labels = [f'<text x="0" y="14" class="day">{esc(first)}</text>']
    label_every = next((n for n in (1, 2, 3, 6, 12) if n * px_hour >= 34), 0)
    day_every = next((n for n in (1, 2, 7, 14, 28) if n * px_hour * 24 >= 70), 56)
    day_index = 0
    right = LABEL_W + PLOT_W
    for x, loc, new_day in _marks(axis):
        if new_day:
            days.append(f"M{x} 0v{height}")
            ticks.append(f"M{x} 36v{AXIS_H - 36}")
            if day_index % day_every == 0 and x < right - 60:
                labels.append(f'<text class="day" x="{x + 3}" y="14">{esc(loc.strftime("%a %d %b"))}</text>')
            day_index += 1
        elif px_hour >= 3:
            hours.append(f"M{x} 0v{height}")
            if label_every and loc.hour % label_every == 0:
                labels.append(f'<text x="{x}" y="30" text-anchor="middle">{loc.hour:02d}</text>')
    head = f'<g class="axis"><path class="grid-day" d="{"".join(ticks)}"/>{"".join(labels)}</g>'
    lines = f'<path class="grid-hour" d="{"".join(hours)}"/><path class="grid-day" d="{"".join(days)}"/>'
    return head, lines


def _row(i: int, job: dict, track: _Track, axis: Axis, pile_minutes: set, selfs: list) -> str:
    runs, cols = track.runs, track.cols
    hot = {c for c, (_, t) in cols.items() if t - t % 60 in pile_minutes}
    if len(hot) < len(cols):  # a later run of a column may be the one in a pile-up
        hot |= {axis.col(t) for t in runs if t - t % 60 in pile_minutes}
    classes = ["row"]
    if job.get("suspended"):
        classes.append("suspended")
        note = "suspended: no runs"
    elif job.get("truncated"):
        classes.append("truncated")
        note = f"{len(runs)}+ runs (truncated)"
    else:
        note = f"{len(runs)} run{'s' if len(runs) != 1 else ''}"
    if selfs:
        classes.append("selfoverlap")
        note += f" · up to {max(s['running'] for s in selfs)} running at once"
    cold = _strokes([c for c in cols if c not in hot], 3, ROW_H - 6)
    hot_d = _strokes(sorted(hot), 2, ROW_H - 4)
    zone = job.get("effectiveTimeZone") or "UTC"
    first = f"; first {axis.when(runs[0])}" if runs else ""
    title = f"{job['id']} · {schedule_text(job)} · {zone} · {note}{first} · {job.get('file', '')}:{job.get('line', '')}"
    name = job["id"] if len(job["id"]) <= 34 else job["id"][:33] + "…"
    sched = schedule_text(job)
    sched = sched if len(sched) <= 18 else sched[:17] + "…"
    # One path, a dash per plot column: an every-minute CronJob may overlap itself all week.
    self_cols = sorted({axis.col(instant(s["at"])) for s in selfs})
    marks = (
        f'<path class="self" d="{"".join(f"M{LABEL_W + c - 2} {ROW_H - 1.5}h6" for c in self_cols)}"/>' if self_cols else ""
    )
    suspended_text = (
        f'<text class="note" x="{LABEL_W + 8}" y="13">suspended</text>' if job.get("suspended") else ""
    )
    return (
        f'<g class="{" ".join(classes)}" data-row="{i}" data-id="{esc(job["id"])}" data-runs="{len(runs)}" '
        f'data-ticks="{len(cols)}" data-hot="{len(hot)}" transform="translate(0 {i * ROW_H})">'
        f"<title>{esc(title)}</title>"
        f'<rect class="band" x="0" y="0" width="{LABEL_W + PLOT_W}" height="{ROW_H}"/>'
        f'<text class="name" x="4" y="13">{esc(name)}</text>'
        f'<text class="sched" x="{LABEL_W - 8}" y="13" text-anchor="end">{esc(sched)}</text>'
        f'<path class="ticks" d="{cold}"/>'
        + (f'<path class="ticks hot" d="{hot_d}"/>' if hot_d else "")
        + suspended_text
        + marks
        + "</g>"
    )


def _strokes(cols: list, y: float, h: float) -> str:
    """Path data for a vertical stroke at each plot column (ascending), in relative moves: the
    bulk of a big fleet's page, so each stroke after the first costs a few bytes."""
    if not cols:
        return ""
    out = [f"M{LABEL_W + cols[0] + 0.5} {y}v{h}"]
    out += [f"m{b - a}-{h}v{h}" for a, b in zip(cols, cols[1:], strict=False)]
    return "".join(out)


def _markers(doc: dict, axis: Axis, height: int) -> tuple[str, str]:
    """(labels for the axis, lines over the rows) for DST changes and the peak of overlapping runs."""
    labels, lines = [], []
    for n, d in enumerate(doc.get("dstTransitions") or []):
        at = instant(d["at"])
        x = axis.x(at)
        before, after = offset_text(d["offsetBefore"]), offset_text(d["offsetAfter"])
        title = f"{d['zone']}: UTC{before} → UTC{after} at {axis.when(at)}"
        anchor = "end" if x > LABEL_W + PLOT_W * 0.8 else "start"
        dx = -4 if anchor == "end" else 4
        city = d["zone"].rsplit("/", 1)[-1].replace("_", " ")
        labels.append(
            f'<g class="dst-label"><title>{esc(title)}</title><line x1="{x}" x2="{x}" y1="36" y2="{AXIS_H}"/>'
            f'<text x="{x + dx}" y="{45 + 10 * (n % 2)}" text-anchor="{anchor}">'
            f"{esc(city)} {before}→{after}</text></g>"
        )
        lines.append(
            f'<g class="dst" data-zone="{esc(d["zone"])}" data-at="{esc(d["at"])}"><title>{esc(title)}</title>'
            f'<line x1="{x}" x2="{x}" y1="0" y2="{height}"/></g>'
        )
    overlap = doc.get("overlap") or {}
    if overlap.get("at") and overlap.get("peak", 0) > 1:
        at = instant(overlap["at"])
        x = axis.x(at)
        ids = ", ".join(overlap.get("cronjobs") or [])
        title = f"{overlap['peak']} running at {axis.when(at)}: {ids}"
        lines.append(
            f'<g class="peak" data-peak="{overlap["peak"]}"><title>{esc(title)}</title>'
            f'<line x1="{x}" x2="{x}" y1="0" y2="{height}"/></g>'
        )
    return "".join(labels), "".join(lines)


def _data(doc: dict, axis: Axis, valid: list, times: list) -> dict:
    """What the tooltip script needs: per row, the runs per plot column, and the zones' offsets."""
    zones = {doc.get("timezone") or "UTC"} | {j.get("effectiveTimeZone") or "UTC" for j in valid}
    rows = []
    for job, track in zip(valid, times, strict=True):
        # The first run of each column, as differences (small numbers), and the counts above one.
        firsts, many, prev = [], [], axis.t0
        for i, (count, t) in enumerate(track.cols.values()):
            firsts.append(t - prev)
            prev = t
            if count > 1:
                many += [i, count]
        n = len(track.runs)
        note = "suspended: no runs" if job.get("suspended") else f"{n} runs in the window"
        rows.append(
            {
                "id": printable(job["id"]),
                "schedule": printable(schedule_text(job)),
                "zone": printable(job.get("effectiveTimeZone") or "UTC"),
                "note": note,
                "firsts": firsts,
                "many": many,
            }
        )
    return {
        "display": printable(doc.get("timezone") or "UTC"),
        "labelWidth": LABEL_W,
        "plotWidth": PLOT_W,
        "t0": axis.t0,
        "span": axis.span,
        "zones": {printable(z): axis.offsets(zone_for(z)) for z in sorted(zones)},
        "rows": rows,
    }
