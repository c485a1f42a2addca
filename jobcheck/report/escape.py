"""Escaping for the places a manifest's strings are written: a terminal or a log, and JSON.

Shared by every reporter and by ``jobcheck explain`` (which may import this module: the layer
contracts let explain use report, and this module imports nothing of jobcheck). Each function
is one precompiled regular expression ``sub``, a no-op at C speed on clean text.
"""

from __future__ import annotations

import math
import re

from jobcheck.redact import LazyPattern

# Bidirectional overrides, embeddings, isolates and marks can make a quoted value display as
# something else (CVE-2021-42574, "Trojan Source"): shown escaped, like other invisible controls.
BIDI_CONTROLS = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 controls but tab, DEL and C1 controls, bidirectional controls, and surrogates (which no
# output encoding can carry; an undecodable byte of a file name arrives as U+DC80-U+DCFF).
_UNSAFE = LazyPattern(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
_UNSAFE_KEEP_LINES = LazyPattern(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
_SURROGATES = LazyPattern("[\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that did not decode, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, keep: str = "\t") -> str:
    """Return ``text`` safe for a terminal or a log viewer: control characters (C0 but tab,
    DEL, C1), bidirectional controls and surrogates are shown as ``\\x1b``, ``\\u202e``, and
    an undecodable byte as ``\\xff``, so a manifest's value cannot drive the terminal (colors,
    cursor moves, hidden or reordered text). ``keep`` is ``"\\t"`` or ``"\\t\\r\\n"`` (line
    breaks kept, for formats that escape them their own way)."""
    if keep == "\t":
        pattern = _UNSAFE
    elif keep == "\t\r\n":
        pattern = _UNSAFE_KEEP_LINES
    else:
        raise ValueError(f"unsupported keep: {keep!r}")
    if text.isascii() and text.isprintable():  # nothing to escape: the pattern stays uncompiled
        return text
    return pattern.sub(_escape, text)


def has_unsafe(text: str) -> bool:
    """Whether ``printable(text)`` would change ``text``."""
    return not (text.isascii() and text.isprintable()) and _UNSAFE.search(text) is not None


def unicode_safe(text: str) -> str:
    """Return ``text`` with its surrogates (not Unicode scalar values: no UTF-8 can carry them,
    strict JSON parsers refuse them) written as visible escapes, as ``printable`` writes them."""
    return _SURROGATES.sub(_escape, text)


def json_safe(value: object) -> object:
    """Return ``value`` (plain JSON data) with every string ``unicode_safe`` and every
    non-finite number (NaN, infinities: not JSON) as null."""
    if isinstance(value, str):
        return unicode_safe(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value
