"""robfig/cron v3 ``ParseStandard``, as Kubernetes calls it, with the offsets of what failed.

The grammar and every error text follow robfig/cron v3.0.1 (facts reference, section C):
five whitespace-separated fields or a descriptor, an optional ``TZ=``/``CRON_TZ=`` prefix,
comma lists whose empty items vanish, ``*``/``?`` everywhere, ``N``, ``N-M``, ``/step``,
case-insensitive month and weekday names, and Go ``strconv.Atoi`` numbers. Errors are
raised as :class:`CronError` carrying robfig's exact message and the character span of
the offending part of the input, so a caret can be put under it.
"""

from __future__ import annotations

import functools

from jobcheck.cron.gotext import GoError, atoi, fields_with_offsets, go_lower, parse_duration, trim_space
from jobcheck.cron.schedule import STAR, Field, Schedule
from jobcheck.cron.timezone import LOCAL, LocationError, load_location

MONTH_NAMES = {n: i + 1 for i, n in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
DOW_NAMES = {n: i for i, n in enumerate("sun mon tue wed thu fri sat".split())}

# (name, min, max, names) in robfig's field order (the seconds field is fixed to 0).
BOUNDS = (
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("dom", 1, 31, None),
    ("month", 1, 12, MONTH_NAMES),
    ("dow", 0, 6, DOW_NAMES),
)

TZ_IN_SCHEDULE = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
_PANIC = "invalid schedule format: runtime error: slice bounds out of range [:-1]"


class CronError(ValueError):
    """A schedule robfig (or Kubernetes) rejects.

    ``message`` is the exact error text; ``start``/``end`` are character offsets in the
    expression of the part at fault (the whole string for field-count errors).
    """

    def __init__(self, message: str, start: int, end: int):
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end

    def as_dict(self) -> dict:
        return {"message": self.message, "start": self.start, "end": self.end}


def _bits(lo: int, hi: int, step: int) -> int:
    if step == 1:
        return ((1 << (hi + 1)) - 1) & ~((1 << lo) - 1)
    out = 0
    for i in range(lo, hi + 1, step):
        out |= 1 << i
    return out


def _number(text: str, names: dict | None) -> int:
    """parseIntOrName + mustParseInt."""
    if names is not None:
        named = names.get(go_lower(text))
        if named is not None:
            return named
    try:
        num = atoi(text)
    except GoError as exc:
        raise _ItemError(f"failed to parse int from {text}: {exc}") from None
    if num < 0:
        raise _ItemError(f"negative number ({num}) not allowed: {text}")
    return num


class _ItemError(Exception):
    pass


def _range_bits(item: str, lo: int, hi: int, names: dict | None) -> int:
    """robfig's getRange: bits for one list item, star bit included."""
    range_and_step = item.split("/")
    low_high = range_and_step[0].split("-")
    single = len(low_high) == 1
    extra = 0
    if low_high[0] in ("*", "?"):
        start, end, extra = lo, hi, STAR
    else:
        start = _number(low_high[0], names)
        if len(low_high) == 1:
            end = start
        elif len(low_high) == 2:
            end = _number(low_high[1], names)
        else:
            raise _ItemError(f"too many hyphens: {item}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _number(range_and_step[1], None)
        if single:
            end = hi
        if step > 1:
            extra = 0
    else:
        raise _ItemError(f"too many slashes: {item}")
    if start < lo:
        raise _ItemError(f"beginning of range ({start}) below minimum ({lo}): {item}")
    if end > hi:
        raise _ItemError(f"end of range ({end}) above maximum ({hi}): {item}")
    if start > end:
        raise _ItemError(f"beginning of range ({start}) beyond end of range ({end}): {item}")
    if step == 0:
        raise _ItemError(f"step of range should be a positive number: {item}")
    return _bits(start, end, step) | extra


def _field(text: str, offset: int, index: int) -> Field:
    name, lo, hi, names = BOUNDS[index]
    bits = 0
    empty = False
    pos = 0
    for item in text.split(","):
        if item == "":
            empty = True
        else:
            try:
                bits |= _range_bits(item, lo, hi, names)
            except _ItemError as exc:
                raise CronError(str(exc), offset + pos, offset + pos + len(item)) from None
        pos += len(item) + 1
    return Field(name, text, offset, offset + len(text), bits, empty)


_DESCRIPTORS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


def _descriptor(spec: str, offset: int, expr: str, location, location_name) -> Schedule:
    end = offset + len(spec)
    if spec in _DESCRIPTORS:
        inner = _fields(_DESCRIPTORS[spec], 0)
        # robfig sets the star bit on the all-values fields of a descriptor (all()).
        fields = tuple(
            Field(f.name, f.text, offset, end, f.bits, False) for f in inner
        )
        return Schedule(expr, fields, location=location, location_name=location_name, descriptor=spec)
    if spec.startswith("@every "):
        try:
            nanos = parse_duration(spec[len("@every "):])
        except GoError as exc:
            raise CronError(f"failed to parse duration {spec}: {exc}", offset, end) from None
        if nanos < 1_000_000_000:
            nanos = 1_000_000_000
        return Schedule(expr, (), descriptor="@every", every=nanos // 1_000_000_000, every_nanos=nanos)
    raise CronError(f"unrecognized descriptor: {spec}", offset, end)


def _fields(spec: str, base: int) -> tuple[Field, ...]:
    parts = fields_with_offsets(spec, base)
    if len(parts) != 5:
        listing = " ".join(p for p, _ in parts)
        raise CronError(f"expected exactly 5 fields, found {len(parts)}: [{listing}]", -1, -1)
    return tuple(_field(text, off, i) for i, (text, off) in enumerate(parts))


@functools.lru_cache(maxsize=4096)
def parse(expr: str) -> Schedule:
    """Parse like robfig/cron v3 ``ParseStandard``; return a Schedule or raise CronError."""
    if not isinstance(expr, str):
        raise CronError(f"schedule must be a string, not {type(expr).__name__}", 0, 0)
    if expr == "":
        raise CronError("empty spec string", 0, 0)
    spec, base = expr, 0
    location = None
    location_name = None
    if expr.startswith("TZ=") or expr.startswith("CRON_TZ="):
        space = expr.find(" ")
        eq = expr.find("=")
        if space < 0:
            # robfig v3.0.1 slices with index -1 and panics; Kubernetes recovers with this text.
            raise CronError(_PANIC, 0, len(expr))
        location_name = expr[eq + 1:space]
        try:
            loaded = load_location(location_name)
        except LocationError as exc:
            raise CronError(f"provided bad location {location_name}: {exc}", eq + 1, space) from None
        location = None if loaded == LOCAL else loaded
        spec, cut = trim_space(expr[space:])
        base = space + cut
    if spec.startswith("@"):
        return _descriptor(spec, base, expr, location, location_name)
    try:
        fields = _fields(spec, base)
    except CronError as exc:
        if exc.start < 0:
            raise CronError(exc.message, 0, len(expr)) from None
        raise
    return Schedule(expr, fields, location=location, location_name=location_name)


def k8s_schedule_errors(expr: str) -> list[CronError]:
    """Every error the API server reports for ``spec.schedule`` on create, in its order."""
    errors: list[CronError] = []
    try:
        parse(expr)
    except CronError as exc:
        # Kept past this frame: a copy, because the raised one's traceback (and the exception it
        # replaced) reaches back to this frame and its list, a cycle only the cyclic collector frees.
        errors.append(CronError(exc.message, exc.start, exc.end))
    if isinstance(expr, str) and "TZ" in expr:
        at = expr.find("TZ")
        if expr.startswith("CRON_TZ=") or expr.startswith("TZ="):
            at, end = 0, expr.find("=") + 1
            space = expr.find(" ")
            end = space if space > 0 else len(expr)
        else:
            end = at + 2
        errors.append(CronError(TZ_IN_SCHEDULE, at, end))
    return errors


def k8s_schedule_error(expr: str) -> CronError | None:
    """The first create-time error for ``spec.schedule`` (robfig's, else the TZ rule), or None."""
    errors = k8s_schedule_errors(expr)
    return errors[0] if errors else None
