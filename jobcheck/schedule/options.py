"""The values of ``jobcheck schedule``'s options: instants, spans and zones, each refused with a reason."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from jobcheck.cron import timezone_error, zone_for

_SPAN = re.compile(r"(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,6})s)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_WINDOW = timedelta(days=31)


class OptionError(ValueError):
    """A value the command refuses; str() says why."""


def parse_span(text: str, what: str, *, seconds: bool = True) -> int:
    """``7d``, ``12h``, ``1d12h``, ``90m`` (and ``30s`` or a bare number of seconds when ``seconds``)."""
    value = text.strip()
    if seconds and value.isdigit() and len(value) <= 9:
        total = int(value)
    else:
        match = _SPAN.fullmatch(value)
        if not value or match is None or (match.group(4) and not seconds):
            units = "d, h, m or s" if seconds else "d, h or m"
            raise OptionError(f"{what} {text!r} is not a span such as 7d, 12h or 1d12h (units {units})")
        d, h, m, s = (int(g or 0) for g in match.groups())
        total = d * 86400 + h * 3600 + m * 60 + s
    if total <= 0:
        raise OptionError(f"{what} {text!r} must be longer than zero")
    return total


def parse_window(text: str) -> timedelta:
    span = timedelta(seconds=parse_span(text, "--window", seconds=False))
    if span > MAX_WINDOW:
        raise OptionError(f"--window {text!r} is longer than 31d (the map lists every run)")
    return span


def check_zone(name: str, option: str) -> str:
    """A zone name the API server would accept as ``spec.timeZone``."""
    problem = timezone_error(name)
    if problem is not None:
        raise OptionError(f"{option} {name!r}: {problem}")
    return name


def parse_from(text: str | None, display_zone: str, now: datetime | None = None) -> datetime:
    """The window's start, rounded down to the minute: now, an RFC 3339 instant, or a date
    (``YYYY-MM-DD``: its midnight in the display zone)."""
    if text is None:
        moment = now or datetime.now(timezone.utc)
    elif _DATE.fullmatch(text.strip()):
        try:
            day = datetime.strptime(text.strip(), "%Y-%m-%d")
        except ValueError:
            raise OptionError(f"--from {text!r} is not a date") from None
        moment = day.replace(tzinfo=zone_for(display_zone))
    else:
        raw = text.strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})", raw):
            raise OptionError(f"--from {text!r} is neither an RFC 3339 instant (2027-03-13T00:00:00Z) "
                              "nor a date (2027-03-13)")
        raw = re.sub(r"(\.\d{6})\d+", r"\1", raw.replace("z", "Z").replace("Z", "+00:00"))
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise OptionError(f"--from {text!r} is not a valid instant") from None
    moment = moment.astimezone(timezone.utc).replace(second=0, microsecond=0)
    if not datetime(1970, 1, 2, tzinfo=timezone.utc) <= moment <= datetime(9998, 1, 1, tzinfo=timezone.utc):
        raise OptionError(f"--from {text!r} is outside the years 1970-9997")
    return moment
