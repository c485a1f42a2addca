"""Shared helpers for the cron tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jobcheck.cron import load_location
from jobcheck.cron.timezone import LOCAL

DATA = Path(__file__).parent / "data"

# Zones whose rules changed between the oracle's tz release (2025b) and the bundled
# tzdata package: Morocco's +01/+00 Ramadan switching became permanent +00 from late
# 2026, and Cuba stays on -04 through the 2026/27 winter, in later releases. Oracle
# answers for these zones are checked against the 2025b files (public-domain IANA data
# copied from the oracle's 2025b system) so the cron logic stays exact.
TZDATA_2025B = {
    "Africa/Casablanca": DATA / "Africa-Casablanca-2025b.tzif",
    "America/Havana": DATA / "America-Havana-2025b.tzif",
}


def vector_zone(name: str | None):
    """The zone a vector case was computed in (UTC when it has none)."""
    if name in TZDATA_2025B:
        with open(TZDATA_2025B[name], "rb") as fh:
            return ZoneInfo.from_file(fh, key=name)
    zone = load_location(name or "UTC")
    return load_location("UTC") if zone == LOCAL else zone


def go_rfc3339(dt: datetime) -> str:
    """Format like Go's time.RFC3339: offset as ±hh:mm truncated toward zero, Z for UTC."""
    off = int(dt.utcoffset().total_seconds())
    stamp = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if off == 0:
        return stamp + "Z"
    minutes = abs(off) // 60
    return f"{stamp}{'-' if off < 0 else '+'}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_rfc3339(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
