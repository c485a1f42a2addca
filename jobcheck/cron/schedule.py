"""A parsed schedule and robfig/cron v3's ``SpecSchedule.Next``, step for step.

``Next`` is reproduced on integer Unix seconds with Go's calendar arithmetic
(``time.Date`` normalisation, ``AddDate``, absolute ``Add``, ``Truncate``), because its
DST behaviour comes from those details: hours are advanced by adding absolute hours, so
a wall-clock time inside a spring-forward gap is skipped and one in a fall-back overlap
can fire twice; a day loop that lands on a non-existent midnight is nudged by an hour.
The only liberties taken are speed-ups that cannot change the answer: runs of
non-matching minutes/hours are skipped in one jump when the UTC offset is the same at
both ends, a schedule with an empty minute, hour, month or day set is answered
"never" at once, and where the UTC offset provably stays the same from the start of the
walk to its answer (a fixed-offset zone in whole minutes, a bundled zone past its last
change, a DST zone between two changes) Next is a calendar search on bit masks
(``_fixed_next``), robfig's year limit included. robfig can loop forever (a whole skipped day, Pacific/Apia 2011);
that is detected when the search revisits a state, and reported as ``HANG``.

Go's time spans billions of years, Python's datetime only years 1 to 9999. The search
itself runs on integers and works for any year (the calendar is computed, not looked
up); only the fire times it returns must be datetimes. A fire time outside
``[MIN_INSTANT, MAX_INSTANT]`` (a day inside each end, so that its wall time exists in
every zone) is not returned: the result says ``beyond`` instead. Zone offsets outside
that window are read at its edge.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import namedtuple
from datetime import date, datetime, timedelta, timezone, tzinfo

from jobcheck.record import dataclass, field

STAR = 1 << 63
_EPOCH_ORD = date(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_BUDGET = 400_000  # loop steps per Next call; a real answer needs far fewer

#: The instants whose fire times are returned: one day inside datetime's range at each end,
#: so that the wall time in any zone (offsets are under 24 hours) is a valid datetime too.
MIN_INSTANT = datetime(1, 1, 2, tzinfo=timezone.utc)
MAX_INSTANT = datetime(9999, 12, 30, 23, 59, 59, tzinfo=timezone.utc)
MIN_UNIX = (MIN_INSTANT - _EPOCH) // timedelta(seconds=1)
MAX_UNIX = (MAX_INSTANT - _EPOCH) // timedelta(seconds=1)


class _Hang(Exception):
    pass


class _Beyond(Exception):
    """The search reached wall-clock year 10000 before finding an answer."""


HANG = "hang"


@dataclass(frozen=True)
class Field:
    """One of the five fields: its text, where it sits in the expression, and its bits."""

    name: str  # minute | hour | dom | month | dow
    text: str
    start: int
    end: int
    bits: int  # value bits plus STAR when an item is * or ? without a step > 1
    empty_items: bool = False

    @property
    def star(self) -> bool:
        return bool(self.bits & STAR)

    @property
    def values(self) -> list[int]:
        bits = self.bits & ~STAR
        return [i for i in range(64) if bits >> i & 1]


# Result of :meth:`Schedule.next_n`: times (list[datetime]); never: Next found nothing within its
# 5-year window; stopped: gave up, robfig itself would never return here (see HANG); beyond: the
# next fire time lies outside [MIN_INSTANT, MAX_INSTANT].
NextRuns = namedtuple("NextRuns", ["times", "never", "stopped", "beyond"], defaults=(False,))


_FULL = {"minute": (0, 59), "hour": (0, 23), "dom": (1, 31), "month": (1, 12), "dow": (0, 6)}


@dataclass(frozen=True, eq=False)
class Schedule:
    """A parsed schedule. Build it with :func:`jobcheck.cron.parse`."""

    expression: str
    fields: tuple = ()  # tuple[Field, ...] (minute, hour, dom, month, dow); empty for @every
    location: tzinfo | None = None  # from a TZ=/CRON_TZ= prefix; None = the caller's zone
    location_name: str | None = None
    descriptor: str | None = None  # "@daily", ..., "@every"
    every: int | None = None  # @every: whole seconds (at least 1)
    every_nanos: int | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # -- bit sets -----------------------------------------------------------------
    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def bits(self, name: str) -> int:
        table = self._cache.get("bits")  # asked for at every step of Next: one dict, built once
        if table is None:
            table = self._cache["bits"] = {f.name: f.bits for f in self.fields}
        return table.get(name, 0)

    def values(self, name: str) -> list[int]:
        """The expanded values of a field (empty list for @every)."""
        table = self._cache.get("values")  # several rules ask, for every CronJob: expanded once
        if table is None:
            table = self._cache["values"] = {f.name: tuple(f.values) for f in self.fields}
        return list(table.get(name, ()))

    @property
    def day_or(self) -> bool:
        """Day-of-month and day-of-week both restricted without a star: a day matches either."""
        if self.every is not None:
            return False
        return not (self.bits("dom") & STAR or self.bits("dow") & STAR)

    @property
    def fires_every_minute(self) -> bool:
        if self.every is not None:
            return self.every <= 60
        full = all(self.values(n) == list(range(lo, hi + 1)) for n, (lo, hi) in _FULL.items())
        return full

    @property
    def empty_items(self) -> bool:
        return any(f.empty_items for f in self.fields)

    @property
    def impossible_by_bits(self) -> bool:
        """A field has no values at all (e.g. ``,``): Next can never succeed."""
        known = self._cache.get("impossible")  # asked before every Next: worked out once
        if known is None:
            known = self._cache["impossible"] = self._impossible_by_bits()
        return known

    def _impossible_by_bits(self) -> bool:
        if self.every is not None:
            return False
        for name in ("minute", "hour", "month"):
            if not self.bits(name) & ~STAR:
                return True
        dom = self.bits("dom") & ~STAR
        dow = self.bits("dow") & ~STAR
        if self.day_or:
            return not dom and not dow
        return not dom or not dow

    @property
    def normalized(self) -> str:
        """The five fields as plain numbers/ranges (``@every 90s`` for constant delays)."""
        if self.every is not None:
            return f"@every {_fmt_seconds(self.every)}"
        out = []
        for f in self.fields:
            lo, hi = _FULL[f.name]
            vals = f.values
            if f.star and vals == list(range(lo, hi + 1)):
                out.append("*")
            else:
                out.append(_compress(vals) or ",")
        return " ".join(out)

    def day_matches(self, dom: int, dow: int) -> bool:
        d, w = self.bits("dom"), self.bits("dow")
        dm = bool(d >> dom & 1)
        wm = bool(w >> dow & 1)
        if d & STAR or w & STAR:
            return dm and wm
        return dm or wm

    # -- next fire times ----------------------------------------------------------
    def next(self, after: datetime, tz: tzinfo | None = None) -> datetime | None:
        """The first fire time strictly after ``after``, in ``tz`` (default UTC); None = never.

        Raises :class:`RuntimeError` where robfig's Next would never return; use
        :meth:`next_n` to get that as a flag instead.
        """
        res = self.next_n(after, tz, 1)
        if res.stopped:
            raise RuntimeError("robfig/cron would never return for this schedule and start time")
        return res.times[0] if res.times else None

    def next_n(self, after: datetime, tz: tzinfo | None = None, n: int = 1) -> NextRuns:
        """Up to ``n`` consecutive fire times after ``after`` (each one feeds the next call)."""
        out_zone = tz or timezone.utc
        if after.tzinfo is None:
            after = after.replace(tzinfo=timezone.utc)
        unix = _to_unix(after)
        times: list[datetime] = []
        for _ in range(n):
            try:
                unix = self._next_unix(unix, out_zone)
            except _Hang:
                return NextRuns(times, False, True)
            except _Beyond:
                return NextRuns(times, False, False, True)
            if unix is None:
                return NextRuns(times, True, False)
            if not MIN_UNIX <= unix <= MAX_UNIX:
                return NextRuns(times, False, False, True)
            times.append(_from_unix(unix, out_zone))
        return NextRuns(times, False, False)

    def _next_unix(self, unix: int, out_zone: tzinfo) -> int | None:
        """Next(t) for t = ``unix`` (whole seconds; sub-seconds were dropped by the caller)."""
        if self.every is not None:
            return unix + self.every
        if self.impossible_by_bits:
            return None
        zone = _Zone.of(self.location or out_zone)
        t = unix + 1
        if t >= zone.fast_from:
            return _fixed_next(self, t, zone.settled)
        if zone.changes is not None:
            found = _between_changes(self, t, zone)
            if found is not None:
                return found
        return _spec_next(self, t, zone)


def _to_unix(dt: datetime) -> int:
    """Whole seconds since the epoch, rounding toward the past (Go drops the nanoseconds).

    Computed from the fields, so any aware datetime works, whatever year its UTC instant falls in.
    """
    offset = dt.utcoffset() or timedelta(0)
    days = dt.toordinal() - _EPOCH_ORD
    local = days * 86400 + dt.hour * 3600 + dt.minute * 60 + dt.second
    return local - offset // timedelta(seconds=1)


def _from_unix(unix: int, zone: tzinfo) -> datetime:
    """The instant as a datetime in ``zone``; ``unix`` must lie in [MIN_UNIX, MAX_UNIX]."""
    return datetime.fromtimestamp(unix, zone)


def _civil(days: int) -> tuple[int, int, int]:
    """(year, month, day) of a day count since 1970-01-01 in the proleptic Gregorian calendar, any year."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (m <= 2), m, d


def _days(y: int, m: int, d: int) -> int:
    """Day count since 1970-01-01 of year/month/day (month 1-12; day may overflow), any year."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    mp = m - 3 if m > 2 else m + 9
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


#: How far before the start of a walk _spec_next may ask for an offset: its first step goes back to
#: the 1st of the month at 00:00 wall time, and time.Date probes a wall time read as an instant.
_SETTLED_MARGIN = 40 * 86400

#: A POSIX TZ string without a daylight-saving part: a name, then the offset west of Greenwich.
_POSIX_FIXED = rb"(?:<[^<>]*>|[A-Za-z]+)([+-]?)([0-9]{1,3})(?::([0-9]{1,2}))?(?::([0-9]{1,2}))?"


def _bundled_tzif(tz: tzinfo) -> bytes | None:
    """The TZif data ``tz`` was read from, when that is known: it is the object ``load_location``
    returned for its key (read from the bundled file of that name). Else None."""
    key = getattr(tz, "key", None)
    if not isinstance(key, str) or not key:
        return None
    from jobcheck.cron.timezone import LocationError, load_location, tzif_bytes

    try:
        if load_location(key) is not tz:
            return None
    except LocationError:
        return None
    return tzif_bytes(key.split("/"))


def _settled(tz: tzinfo) -> tuple[int, int] | None:
    """(from, offset): the zone ``tz`` has the UTC offset ``offset`` at every Unix second from ``from`` on.

    Proved from the zone's data, so only for a bundled zone (_bundled_tzif). None when nothing can be proved.
    """
    data = _bundled_tzif(tz)
    return None if data is None else _tzif_settled(data)


def _tzif_settled(data: bytes) -> tuple[int, int] | None:
    """(from, offset) for TZif data whose offset stops changing.

    Past its last transition a zone follows the footer's POSIX TZ string: one without a
    daylight-saving part is a fixed offset. It must agree with the last transition's type
    (and, with no transitions, with every type), so that it does not matter which one a
    reader uses at the edge; ``from`` is two days past the last transition, so that wall
    times read back as instants are past it too.
    """
    import re  # only for a named zone, once per zone: zoneinfo has loaded it already

    parts = _tzif_parts(data)
    if parts is None:
        return None
    times, kinds, offsets, footer = parts
    match = re.fullmatch(_POSIX_FIXED, footer)
    if match is None or not offsets:
        return None  # a daylight-saving rule, or no footer
    sign, hours, minutes, seconds = match.groups()
    offset = int(hours) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    offset = offset if sign == b"-" else -offset  # POSIX counts west of Greenwich as positive
    if not times:
        return (-(1 << 62), offset) if all(o == offset for o in offsets) else None
    if kinds[-1] >= len(offsets) or offsets[kinds[-1]] != offset:
        return None
    return times[-1] + 2 * 86400, offset


def _tzif_parts(data: bytes) -> tuple[tuple[int, ...], bytes, tuple[int, ...], bytes] | None:
    """(transition instants, their type indices, each type's UTC offset, footer) of TZif ``data``
    (RFC 8536, version 2 or later: its 64-bit block); None when the data is not understood."""
    import struct  # zoneinfo has loaded it already

    counts = _tzif_counts(data, 0)
    if counts is None or data[4:5] < b"2":
        return None
    isut, isstd, leap, timecnt, typecnt, charcnt = counts
    v2 = 44 + timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut
    counts = _tzif_counts(data, v2)
    if counts is None:
        return None
    isut, isstd, leap, timecnt, typecnt, charcnt = counts
    times_at = v2 + 44
    types_at = times_at + timecnt * 9
    footer_at = types_at + typecnt * 6 + charcnt + leap * 12 + isstd + isut
    footer_end = data.find(b"\n", footer_at + 1)
    if leap or data[footer_at : footer_at + 1] != b"\n" or footer_end < 0:
        return None
    times = struct.unpack_from(f">{timecnt}q", data, times_at)
    kinds = data[times_at + 8 * timecnt : types_at]
    offsets = tuple(struct.unpack_from(">l", data, types_at + 6 * i)[0] for i in range(typecnt))
    return times, kinds, offsets, data[footer_at + 1 : footer_end]


def _tzif_counts(data: bytes, at: int) -> tuple[int, ...] | None:
    """The six counts of the TZif header at ``at`` (None when the data is too short for its blocks)."""
    if len(data) < at + 44 or data[at : at + 4] != b"TZif":
        return None
    counts = tuple(int.from_bytes(data[i : i + 4], "big", signed=True) for i in range(at + 20, at + 44, 4))
    isut, isstd, leap, timecnt, typecnt, charcnt = counts
    if min(counts) < 0 or len(data) < at + 44 + timecnt * 9 + typecnt * 6 + charcnt + leap * 12 + isstd + isut:
        return None
    return counts


#: A POSIX TZ string with a daylight-saving rule of two ``Mm.w.d[/time]`` dates (every bundled zone's).
_POSIX_RULE = (
    rb"(?:<[^<>]*>|[A-Za-z]+)[+-]?[0-9]{1,3}(?::[0-9]{1,2}){0,2}"  # standard time: name, offset
    rb"(?:<[^<>]*>|[A-Za-z]+)(?:[+-]?[0-9]{1,3}(?::[0-9]{1,2}){0,2})?"  # daylight saving time
    rb",M([0-9]{1,2})\.([1-5])\.([0-6])(?:/[+-]?([0-9]{1,3})(?::[0-9]{1,2}){0,2})?"
    rb",M([0-9]{1,2})\.([1-5])\.([0-6])(?:/[+-]?([0-9]{1,3})(?::[0-9]{1,2}){0,2})?"
)


def _tzif_changes(data: bytes) -> tuple[tuple[int, ...], tuple[tuple[int, int, int], ...]] | None:
    """(transitions, rules): where the offset of a zone read from TZif ``data`` may change.

    ``transitions`` are the data's own instants (Unix seconds, ascending); past the last one the
    footer's rule applies: ``rules`` are its ``Mm.w.d`` dates (month, week, weekday), none for a
    footer without daylight saving. Between these points the offset cannot change. None when the
    data or the footer is not understood (then nothing is claimed). A rule's time of day (at most
    167 hours) is not kept: callers keep far enough away from its day (_RULE_MARGIN).
    """
    import re

    parts = _tzif_parts(data)
    if parts is None:
        return None
    times, _, _, footer = parts
    if list(times) != sorted(times):
        return None
    if re.fullmatch(_POSIX_FIXED, footer):
        return times, ()
    match = re.fullmatch(_POSIX_RULE, footer)
    if match is None:
        return None
    m1, w1, d1, h1, m2, w2, d2, h2 = match.groups()
    if not (1 <= int(m1) <= 12 and 1 <= int(m2) <= 12) or int(h1 or 0) > 167 or int(h2 or 0) > 167:
        return None
    return times, ((int(m1), int(w1), int(d1)), (int(m2), int(w2), int(d2)))


def _rule_day(y: int, m: int, w: int, d: int) -> int:
    """Day count since 1970-01-01 of POSIX ``Mm.w.d`` in year ``y``: weekday ``d`` of week ``w`` (5 = last)."""
    first = _days(y, m, 1)
    day = 1 + (d - (first + 4) % 7) % 7 + 7 * (w - 1)
    dim = _MONTH_DAYS[m] + (m == 2 and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))
    while day > dim:
        day -= 7
    return first + day - 1


#: How far from a zone's own transitions, and from its rule's days, an offset is sure not to change.
_EDGE_MARGIN = 2 * 86400
_RULE_MARGIN = 9 * 86400  # a rule's time (up to 167 hours) and offsets (under 26 hours) from its day


class _Zone:
    """UTC offsets and Go calendar arithmetic for one zone, on Unix seconds."""

    _cache: dict = {}

    def __init__(self, tz: tzinfo):
        self.tz = tz
        self.fixed = tz.utcoffset(None) if isinstance(tz, timezone) else None
        # From the Unix second ``settled_from`` on, the offset is ``settled`` for ever (proved,
        # not sampled: a fixed-offset timezone, or a bundled zone whose last change is past).
        self.changes = None  # (transitions, rules) of a bundled zone: see steady()
        if self.fixed is not None:
            self.settled_from, self.settled = -(1 << 62), int(self.fixed.total_seconds())
            whole_minutes = not self.fixed % timedelta(minutes=1)
        else:
            data = _bundled_tzif(tz)
            found = None if data is None else _tzif_settled(data)
            self.settled_from, self.settled = found or (1 << 62, 0)
            whole_minutes = not self.settled % 60
            self.changes = None if data is None else _tzif_changes(data)
        # In whole minutes, Next needs no steps: _fixed_next (Truncate(time.Minute) works on absolute
        # time, so a local minute that does not start on an absolute one would change the answer).
        self.fast_from = self.settled_from + _SETTLED_MARGIN if whole_minutes else 1 << 62

    @classmethod
    def of(cls, tz: tzinfo) -> _Zone:
        zone = cls._cache.get(id(tz))
        if zone is None or zone.tz is not tz:
            zone = cls(tz)
            if len(cls._cache) > 256:
                cls._cache.clear()
            cls._cache[id(tz)] = zone
        return zone

    def steady(self, a: int, b: int) -> bool:
        """Whether the offset provably does not change from ``a`` to ``b`` (Unix seconds, a <= b)."""
        if self.changes is None:
            return False
        times, rules = self.changes
        i = bisect_left(times, a - _EDGE_MARGIN)
        if i < len(times) and times[i] <= b + _EDGE_MARGIN:
            return False
        if rules and (not times or b + _EDGE_MARGIN >= times[-1]):
            lo = (max(a, times[-1]) if times else a) - _RULE_MARGIN
            hi = b + _RULE_MARGIN
            for y in range(_civil(lo // 86400)[0], _civil(hi // 86400)[0] + 1):
                for m, w, d in rules:
                    if lo <= _rule_day(y, m, w, d) * 86400 <= hi:
                        return False
        return True

    def offset(self, unix: int) -> int:
        if unix >= self.settled_from:
            return self.settled
        unix = min(max(unix, MIN_UNIX), MAX_UNIX)  # datetime cannot go further; the edge's offset holds
        return int(datetime.fromtimestamp(unix, self.tz).utcoffset().total_seconds())

    def wall(self, unix: int) -> tuple[int, int, int, int, int, int, int]:
        """(year, month, day, hour, minute, second, Go weekday with Sunday = 0)."""
        local = unix + self.offset(unix)
        days, secs = divmod(local, 86400)
        y, mo, d = _civil(days)
        return y, mo, d, secs // 3600, secs // 60 % 60, secs % 60, (days + 4) % 7

    def date(self, y: int, mo: int, d: int, h: int, mi: int, s: int) -> int:
        """Go's time.Date: normalise overflowing parts, then pick the offset as Go does."""
        y += (mo - 1) // 12
        mo = (mo - 1) % 12 + 1
        days = _days(y, mo, d)
        wall = days * 86400 + h * 3600 + mi * 60 + s
        first = self.offset(wall)
        if first == 0:
            return wall
        return wall - self.offset(wall - first)

    def add_date(self, unix: int, months: int, days: int) -> int:
        y, mo, d, h, mi, s, _ = self.wall(unix)
        return self.date(y, mo + months, d + days, h, mi, s)


def _step_run(zone: _Zone, t: int, unit: int, pos: int, modulus: int, bits: int) -> tuple[int, bool]:
    """Advance t by whole ``unit``s past non-matching positions, as robfig's loop does one at a time.

    Returns the new t and whether the loop wrapped (position 0 reached -> goto WRAP).
    Jumps only when the UTC offset is the same at both ends; otherwise takes one step.
    """
    k = 1
    while k < modulus - pos and not bits >> (pos + k) & 1:
        k += 1
    # k steps reach either a matching position or the wrap to 0.
    if k > 1 and zone.offset(t) != zone.offset(t + k * unit):
        k = 1
    t += k * unit
    return t, False


def _spec_next(s: Schedule, t: int, zone: _Zone) -> int | None:
    minute, hour, month = s.bits("minute"), s.bits("hour"), s.bits("month")
    second = 1  # ParseStandard fixes seconds to 0
    added = False
    year_limit = zone.wall(t)[0] + 5
    seen: set[int] = set()
    steps = 0
    while True:  # WRAP
        steps += 1
        if steps > _BUDGET:
            raise _Hang
        y, mo, d, h, mi, sec, wd = zone.wall(t)
        if y > year_limit:
            return None
        if y > 9999:
            raise _Beyond  # whether robfig would find a time there, datetime cannot show it
        if added:
            if t in seen:
                raise _Hang
            seen.add(t)

        wrapped = False
        while not month >> mo & 1:
            if not added:
                added = True
                t = zone.date(y, mo, 1, 0, 0, 0)
            t = zone.add_date(t, 1, 0)
            y, mo, d, h, mi, sec, wd = zone.wall(t)
            if mo == 1:
                wrapped = True
                break
        if wrapped:
            continue

        day_seen: set[int] = set()
        while not s.day_matches(d, wd):
            steps += 1
            if steps > _BUDGET:
                raise _Hang
            if not added:
                added = True
                t = zone.date(y, mo, d, 0, 0, 0)
            t = zone.add_date(t, 0, 1)
            y, mo, d, h, mi, sec, wd = zone.wall(t)
            if h != 0:
                t += (24 - h) * 3600 if h > 12 else -h * 3600
                y, mo, d, h, mi, sec, wd = zone.wall(t)
            if d == 1:
                wrapped = True
                break
            if t in day_seen:
                raise _Hang  # the same day again: robfig loops here forever
            day_seen.add(t)
        if wrapped:
            continue

        while not hour >> h & 1:
            if not added:
                added = True
                t = zone.date(y, mo, d, h, 0, 0)
            t, _ = _step_run(zone, t, 3600, h, 24, hour)
            y, mo, d, h, mi, sec, wd = zone.wall(t)
            if h == 0:
                wrapped = True
                break
        if wrapped:
            continue

        while not minute >> mi & 1:
            if not added:
                added = True
                t -= t % 60  # Truncate(time.Minute) works on absolute time
            t, _ = _step_run(zone, t, 60, mi, 60, minute)
            y, mo, d, h, mi, sec, wd = zone.wall(t)
            if mi == 0:
                wrapped = True
                break
        if wrapped:
            continue

        while not second >> sec & 1:
            if not added:
                added = True
            t, _ = _step_run(zone, t, 1, sec, 60, second)
            y, mo, d, h, mi, sec, wd = zone.wall(t)
            if sec == 0:
                wrapped = True
                break
        if wrapped:
            continue
        return t


_MINUTES = (1 << 60) - 1
_HOURS = (1 << 24) - 1
_DAYS = (1 << 32) - 2  # days 1-31
_MONTHS = (1 << 13) - 2  # months 1-12
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _fast_tables(s: Schedule) -> tuple[int, int, int, tuple[int, ...]]:
    """(minute, hour, month bits, day bits of a month by the weekday of its 1st) for _fixed_next."""
    tables = s._cache.get("fast")
    if tables is None:
        dom, dow = s.bits("dom"), s.bits("dow")
        both = bool(dom & STAR or dow & STAR)  # day_matches: dom AND dow when either is *, else OR
        masks = []
        for first in range(7):  # Go weekday of the month's 1st, Sunday = 0
            by_dow = sum(1 << d for d in range(1, 32) if dow >> ((first + d - 1) % 7) & 1)
            masks.append((dom & by_dow if both else dom | by_dow) & _DAYS)
        tables = (s.bits("minute") & _MINUTES, s.bits("hour") & _HOURS, s.bits("month") & _MONTHS, tuple(masks))
        s._cache["fast"] = tables
    return tables


def _fixed_next(s: Schedule, t: int, offset: int) -> int | None:
    """robfig's Next(t - 1s) in a zone whose UTC offset is ``offset`` seconds (whole minutes) throughout.

    With one offset, wall time moves with absolute time and every step of robfig's loops lands
    on a whole minute, hour, day or month, so Next is the first wall-clock minute at or after
    ``t`` that matches, found here field by field on bit masks (days and months are skipped
    whole). robfig checks its year limit (``t``'s year + 5) each time a loop wraps, and a walk
    into a new year wraps on its 1st of January: a match in a later year is never reached, the
    answer is None then. Like _spec_next, reaching year 10000 first raises _Beyond.
    """
    found = _calendar_next(s, t, offset)
    if found is None and _civil((t + offset) // 86400)[0] + 5 > 9999:
        raise _Beyond  # year 10000 is reached before the year limit
    return found


def _between_changes(s: Schedule, t: int, zone: _Zone) -> int | None:
    """Next(t - 1s) by the calendar search in a zone whose offset changes, when that is exact, else None.

    It is when the offset does not change from the 1st of t's month (where robfig's first step
    may go back to; a day's margin for time.Date's probes) to the answer found.
    """
    offset = zone.offset(t)
    if offset % 60:
        return None
    found = _calendar_next(s, t, offset)
    if found is None:
        return None
    y, mo, _ = _civil((t + offset) // 86400)
    return found if zone.steady(_days(y, mo, 1) * 86400 - offset - 86400, found) else None


def _calendar_next(s: Schedule, t: int, offset: int) -> int | None:
    """_fixed_next, with None for both "never" and "beyond"."""
    minute, hour, month, day_masks = _fast_tables(s)
    days, secs = divmod(t + offset, 86400)
    y, mo, d = _civil(days)
    if y > 9999:
        return None
    last = min(y + 5, 9999)
    h, mi = divmod(-(-secs // 60), 60)  # the first whole minute at or after t (h = 24: the next day)
    while True:
        if not month >> mo & 1:
            later = month >> (mo + 1) << (mo + 1)
            if later:
                mo = (later & -later).bit_length() - 1
            else:
                y += 1
                if y > last:
                    break
                mo = (month & -month).bit_length() - 1
            d = h = mi = 0  # d = 0: from the month's 1st on
        first = _days(y, mo, 1)
        dim = _MONTH_DAYS[mo] + (mo == 2 and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))
        days_ok = day_masks[(first + 4) % 7] & ((1 << (dim + 1)) - 1) >> d << d
        if not days_ok:
            mo += 1
            d = h = mi = 0
            if mo == 13:
                y += 1
                if y > last:
                    break
                mo = 1
            continue
        dd = (days_ok & -days_ok).bit_length() - 1
        if dd != d:
            d, h, mi = dd, 0, 0
        hours_ok = hour >> h << h
        if not hours_ok:
            d, h, mi = d + 1, 0, 0
            continue
        hh = (hours_ok & -hours_ok).bit_length() - 1
        if hh != h:
            h, mi = hh, 0
        minutes_ok = minute >> mi << mi
        if not minutes_ok:
            h, mi = h + 1, 0
            continue
        mi = (minutes_ok & -minutes_ok).bit_length() - 1
        return (first + d - 1) * 86400 + h * 3600 + mi * 60 - offset
    return None


def _compress(vals: list[int]) -> str:
    parts = []
    i = 0
    while i < len(vals):
        j = i
        while j + 1 < len(vals) and vals[j + 1] == vals[j] + 1:
            j += 1
        parts.append(str(vals[i]) if i == j else f"{vals[i]}-{vals[j]}")
        i = j + 1
    return ",".join(parts)


def _fmt_seconds(secs: int) -> str:
    h, rem = divmod(secs, 3600)
    m, s = divmod(rem, 60)
    out = (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{s}s" if s else "")
    return out or "0s"
