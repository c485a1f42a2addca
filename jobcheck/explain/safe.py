"""Make manifest and command-line strings safe for the output they go into.

A schedule, a zone or a name comes from an untrusted manifest (or from a command line fed
by one). Written raw to a terminal, an escape sequence can rewrite what a reviewer sees and
a bidirectional control can reorder it; in JSON, a lone surrogate (an undecodable byte of a
command-line argument) cannot be encoded, and a non-finite number or an integer of thousands
of digits is not JSON at all. ``visible`` is for text, ``json_safe`` for JSON.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

# Control (Cc), format (Cf: bidi controls, zero-width characters), surrogate (Cs) and the
# line and paragraph separators (Zl, Zp).
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_INT64 = (-(1 << 63), (1 << 63) - 1)


_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(ch: str) -> str:
    short = _SHORT.get(ch)
    if short is not None:
        return short
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str) -> str:
    """Return ``text`` with control, format and bidirectional characters shown as ``\\x1b``, ``\\u202e``..."""
    if text.isprintable() and text.isascii():
        return text  # the common case, without a per-character walk
    return "".join(_escape(ch) if unicodedata.category(ch) in _ESCAPED_CATEGORIES else ch for ch in text)


def _text(value: str) -> str:
    if value.isascii():
        return value
    # A lone surrogate cannot be written as UTF-8: show the replacement character instead.
    if not _has_surrogate(value):
        return value
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def json_safe(value: Any) -> Any:
    """Return ``value`` as data ``json.dumps(..., allow_nan=False)`` always accepts and UTF-8 can hold.

    Lone surrogates become U+FFFD; non-finite floats their YAML spelling (``.inf``, ``-.inf``,
    ``.nan``) as a string; integers outside the 64-bit range a short description (their digits
    are never expanded); mapping keys strings; other objects their type name.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if _INT64[0] <= value <= _INT64[1]:
            return value
        return f"<integer out of the 64-bit range, {value.bit_length()} bits>"
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict):
        return {_key(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return f"<{type(value).__name__}>"


def _key(key: Any) -> str:
    """A mapping key as JSON spells it (``null``, ``true``, ``1``), since JSON keys are strings."""
    safe = json_safe(key)
    if isinstance(safe, str):
        return safe
    if safe is None:
        return "null"
    if isinstance(safe, bool):
        return "true" if safe else "false"
    return str(safe)
