"""What the schedule map's HTML modules share: geometry, escaping, instants, the time scale, and
how quantities read (``jobcheck.schedule.html`` draws the page, ``htmltables`` its tables)."""

from __future__ import annotations

import html
import json
import math
from datetime import datetime, timedelta, timezone, tzinfo

from jobcheck.cron.dst import offset_changes
from jobcheck.report.escape import printable

PLOT_W = 1000  # plot width in SVG units: one unit is one column of aggregated ticks
LABEL_W = 330  # the CronJob names and schedules, left of the plot
ROW_H = 18
AXIS_H = 58  # day labels, hour labels, DST labels
HIST_H = 70
TABLE_LIMIT = 200  # rows of a table shown before "and N more"
_UTC = timezone.utc


def esc(value: object) -> str:
    """A manifest string as HTML text or attribute: controls shown, markup escaped."""
    return html.escape(printable(str(value)), quote=True)


def script_json(value: object) -> str:
    """JSON that cannot close its <script> element or start a comment inside it."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_EPOCH = datetime(1970, 1, 1)
_SECOND = timedelta(seconds=1)


def instant(text: str) -> int:
    """A contract instant ``YYYY-MM-DDTHH:MM:SSZ`` as Unix seconds."""
    return (datetime.fromisoformat(text.removesuffix("Z")) - _EPOCH) // _SECOND


def cpu_text(millicores: int) -> str:
    """250 → "250m", 1500 → "1.5 CPU"."""
    if millicores < 1000:
        return f"{millicores}m"
    return f"{millicores / 1000:.3g} CPU"


def memory_text(size: int) -> str:
    """Bytes in the binary units Kubernetes users write (Mi, Gi)."""
    for unit, factor in (("Ti", 1 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} B"


def schedule_text(job: dict) -> str:
    """The schedule as written; ``null`` in the document (absent, or not a string) shows as "—"."""
    value = job.get("schedule")
    return value if isinstance(value, str) else "—"


def requests_of(job: dict) -> tuple[int, int]:
    req = job.get("requests") or {}
    return int(req.get("cpu") or 0), int(req.get("memory") or 0)


class Axis:
    """The window's time scale, and wall times in the display zone."""

    def __init__(self, t0: int, span: int, zone: tzinfo) -> None:
        self.t0, self.span, self.zone = t0, span, zone

    def col(self, t: int) -> int:
        return min(PLOT_W - 1, max(0, (t - self.t0) * PLOT_W // self.span))

    def x(self, t: int) -> float:
        return round(LABEL_W + min(max(t - self.t0, 0), self.span) * PLOT_W / self.span, 2)

    def local(self, t: int) -> datetime:
        return datetime.fromtimestamp(t, self.zone)

    def when(self, t: int) -> str:
        """"Sat 13 Mar 02:00 (UTC 17:00)": a run in the display zone, with UTC."""
        loc = self.local(t)
        utc = datetime.fromtimestamp(t, _UTC)
        text = loc.strftime("%a %d %b %H:%M")
        return text if loc.utcoffset() == timedelta(0) else f"{text} (UTC {utc:%a %H:%M})"

    def offsets(self, zone: tzinfo) -> list[list[int]]:
        """[[from unix, offset seconds], ...] for ``zone`` over the window, for the script."""
        start = datetime.fromtimestamp(self.t0, _UTC)
        first = int(start.astimezone(zone).utcoffset().total_seconds())
        days = math.ceil(self.span / 86400) + 1
        return [[0, first]] + [
            [int(at.timestamp()), int(after.total_seconds())] for at, _, after in offset_changes(zone, start, days)
        ]


def offset_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    h, m = divmod(abs(int(seconds)) // 60, 60)
    return f"{sign}{h:02d}:{m:02d}"
