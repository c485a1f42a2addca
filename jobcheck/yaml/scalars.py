"""Resolve YAML scalars the way Kubernetes reads them: sigs.k8s.io/yaml on go-yaml v2.

go-yaml v2 reads YAML 1.1 with Go's own number parsers: ``yes`` is a boolean, ``0644`` and
``0o644`` are 420 (``strconv.ParseInt(s, 0, 64)`` after removing every ``_``), an integer
beyond uint64 is a float, ``1e400`` and ``0x_`` stay strings. Quoted scalars never reach
``resolve_plain``: they are always strings (unless tagged, see ``resolve_tagged``).
"""

from __future__ import annotations

import base64
import binascii
import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"))
_FALSE = frozenset(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"))
_INF, _NAN = float("inf"), float("nan")
_SPECIAL_FLOATS = {
    ".inf": _INF, ".Inf": _INF, ".INF": _INF, "+.inf": _INF, "+.Inf": _INF, "+.INF": _INF,
    "-.inf": -_INF, "-.Inf": -_INF, "-.INF": -_INF, ".nan": _NAN, ".NaN": _NAN, ".NAN": _NAN,
}
# go-yaml's resolve map: looked up before any number parsing.
_MAP: dict[str, Any] = {**dict.fromkeys(_NULLS), **dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False),
                        **_SPECIAL_FLOATS}
_NUMERIC_START = frozenset("0123456789+-.")
_MISSING = object()

# go-yaml's yamlStyleFloat, tried on the text without underscores once the integer parsers failed.
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
# What Go's strconv.ParseFloat accepts from a text that starts with ".": underscores are then
# checked by _underscores_ok, as Go does.
_DOT_FLOAT = re.compile(r"\.[0-9_]*[0-9][0-9_]*(?:[eE][-+]?[0-9][0-9_]*)?\Z")
_NUMBER_CHARS = re.compile(r"[0-9a-fA-FxXoO_+\-.]*\Z")
_DIGITS = {2: frozenset("01"), 8: frozenset("01234567"), 10: frozenset("0123456789"),
           16: frozenset("0123456789abcdefABCDEF")}
_INT64_MIN, _INT64_MAX, _UINT64_MAX = -(1 << 63), (1 << 63) - 1, (1 << 64) - 1
# The most significant digits a uint64 has in each base: a longer text is out of range without
# converting it (Python refuses to convert more than 4,300 decimal digits, and the work would grow
# with the text).
_UINT64_DIGITS = {2: 64, 8: 22, 10: 20, 16: 16}

# Plain scalars that may be something other than a string: everything else stays text.
MAYBE_NOT_STRING = frozenset(_MAP)
NUMERIC_START = _NUMERIC_START

_TAG_PREFIX = "tag:yaml.org,2002:"
_SURROGATE = re.compile("[\udc80-\udcff]")
_RESOLVABLE = frozenset(("str", "bool", "int", "float", "null", "timestamp"))


def resolve_plain(text: str) -> Any:
    """Return the value of an unquoted, untagged scalar as go-yaml v2 resolves it."""
    value = _MAP.get(text, _MISSING)
    if value is not _MISSING:
        return value
    first = text[0]
    if first not in _NUMERIC_START:
        return text
    if first == ".":
        return _dot_float(text)
    return _number(text)


def _dot_float(text: str) -> Any:
    if _DOT_FLOAT.match(text) and ("_" not in text or _underscores_ok(text)):
        value = float(text.replace("_", ""))
        if value not in (_INF, -_INF):  # Go's ParseFloat reports a range error: the text stays a string
            return value
    return text


def _number(text: str) -> Any:
    """go-yaml's path for texts that start with a digit or a sign (timestamps stay text either way)."""
    body = text[1:] if text[0] in "+-" else text
    if body.isdigit() and body.isascii() and len(body) < 19 and (body[0] != "0" or len(body) == 1):
        return int(text)  # the common case, a plain decimal well inside int64: loading is the hot path
    if not _NUMBER_CHARS.match(text):  # "500m", "1Gi": no Go number has such a character
        return text
    plain = text.replace("_", "")
    value = parse_int(plain, 0)
    if value is not None:
        return value
    value = _parse_uint(plain, 0)
    if value is not None:
        return value
    if _YAML_FLOAT.match(plain):
        number = float(plain)
        if number not in (_INF, -_INF):
            return number
    if plain.startswith("0b"):
        value = parse_int(plain[2:], 2)
        if value is None:
            value = _parse_uint(plain[2:], 2)
        if value is not None:
            return value
    elif plain.startswith("-0b"):
        value = parse_int("-" + plain[3:], 2)
        if value is not None:
            return value
    return text


def parse_int(text: str, base: int) -> int | None:
    """Go's ``strconv.ParseInt(text, base, 64)`` for a text without underscores, or None."""
    if not text:
        return None
    negative = text[0] == "-"
    if text[0] in "+-":
        text = text[1:]
    magnitude = _parse_uint(text, base)
    if magnitude is None:
        return None
    value = -magnitude if negative else magnitude
    return value if _INT64_MIN <= value <= _INT64_MAX else None


def _parse_uint(text: str, base: int) -> int | None:
    """Go's ``strconv.ParseUint(text, base, 64)`` for a text without underscores, or None."""
    if not text:
        return None
    if base == 0:
        base = 10
        if text[0] == "0":
            prefix = text[1:2].lower()
            if len(text) >= 3 and prefix in ("b", "o", "x"):
                base, text = {"b": 2, "o": 8, "x": 16}[prefix], text[2:]
            else:
                base, text = 8, text[1:]
    digits = _DIGITS[base]
    if any(ch not in digits for ch in text):
        return None
    text = text.lstrip("0")  # Go reads any number of leading zeros
    if len(text) > _UINT64_DIGITS[base]:
        return None  # beyond uint64 however it goes on: Go's range error
    value = int(text, base) if text else 0
    return value if value <= _UINT64_MAX else None


def _underscores_ok(text: str) -> bool:
    """Go's rule: an underscore only between digits (strconv's underscoreOK, without a base prefix)."""
    saw = "^"
    for ch in text.lstrip("+-"):
        if ch.isdigit():
            saw = "0"
        elif ch == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def _resolved_tag(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str"  # a time-stamp is only tried for untagged and !!timestamp texts


def resolve_tagged(tag: str, text: str) -> tuple[Any, str | None]:
    """Apply an explicit tag as go-yaml v2 does; returns (value, error message or None).

    ``!!str`` keeps the text, ``!!binary`` decodes base64, a standard tag must agree with what
    the text resolves to (``!!float`` also takes an integer), and any other tag leaves a string:
    jobcheck never constructs objects from tags. The error is go-yaml's, which Kubernetes reports.
    """
    short = tag[len(_TAG_PREFIX):] if tag.startswith(_TAG_PREFIX) else None
    if short == "binary":
        try:
            data = base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
        except (binascii.Error, ValueError):
            return text, "yaml: !!binary value contains invalid base64 data"
        # Go keeps the bytes and json.Marshal writes each invalid byte as U+FFFD: one per byte here too
        return _SURROGATE.sub("\ufffd", data.decode("utf-8", "surrogateescape")), None
    if short not in _RESOLVABLE or short == "str":
        return text, None
    if short == "timestamp" and _is_timestamp(text):
        return text, None
    value = resolve_plain(text)
    resolved = _resolved_tag(value)
    if resolved == short:
        return value, None
    if short == "float" and resolved == "int" and _INT64_MIN <= value <= _INT64_MAX:
        return float(value), None
    return text, f"yaml: cannot decode !!{resolved} `{text}` as a !!{short}"


# go-yaml v2 tries Go's time.Parse with these layouts: "2006-1-2T15:4:5.999999999Z07:00" (and
# with "t"), "2006-1-2 15:4:5.999999999" and "2006-1-2". A time-stamp resolves to its own text
# when read into plain data, so this only decides whether ``!!timestamp`` accepts a text.
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d\d?)-(\d\d?)"
    r"(?:(?:[Tt]|( +))(\d\d?):(\d\d?):(\d\d?)(?:[.,]\d+)?"
    r"(Z|[-+]\d\d:\d\d)?)?\Z"
)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_timestamp(text: str) -> bool:
    match = _TIMESTAMP.match(text)
    if not match:
        return False
    year, month, day, spaces, hour, minute, second, zone = match.groups()
    if hour is not None and (spaces is None) == (zone is None):
        return False  # "T" needs a zone, a space forbids one
    year_n, month_n, day_n = int(year), int(month), int(day)
    if not 1 <= month_n <= 12:
        return False
    leap = year_n % 4 == 0 and (year_n % 100 != 0 or year_n % 400 == 0)
    if not 1 <= day_n <= (_DAYS[month_n - 1] if month_n != 2 or leap else 28):
        return False
    if hour is not None and (int(hour) > 23 or int(minute) > 59 or int(second) > 59):
        return False
    if zone and zone != "Z" and (int(zone[1:3]) > 24 or int(zone[4:6]) > 60):
        return False
    return True
