"""Resolve plain YAML scalars the way Kubernetes reads them (YAML 1.1, go-yaml v2 lineage).

A YAML 1.2 reader would see ``yes`` as a string and ``0644`` as 644; the API server sees a
boolean and 420. Quoted scalars never reach this module: they are always strings.
"""

from __future__ import annotations

import re
from typing import Any

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"))
_FALSE = frozenset(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"))

# Integers: decimal, 0-prefixed octal, 0x hex, 0b binary; underscores are separators.
# "0o644" is not a YAML 1.1 integer: it stays a string.
_INT = re.compile(r"[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[1-9][0-9_]*|0)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOATS = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}
_NUMERIC_START = frozenset("0123456789+-.")


# Plain scalars that may be something other than a string: everything else stays text.
MAYBE_NOT_STRING = frozenset(_NULLS | _TRUE | _FALSE | set(_SPECIAL_FLOATS))
NUMERIC_START = _NUMERIC_START


def resolve_plain(text: str) -> Any:
    """Return the value of an unquoted scalar under YAML 1.1 rules."""
    if text in _NULLS:
        return None
    if len(text) <= 5:
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    first = text[0]
    if first not in _NUMERIC_START:
        return text
    if _INT.match(text):
        return _to_int(text)
    if _FLOAT.match(text) and any(ch.isdigit() for ch in text):
        return float(text.replace("_", ""))
    special = _SPECIAL_FLOATS.get(text)
    return text if special is None else special


def _to_int(text: str) -> int:
    sign = -1 if text[0] == "-" else 1
    body = text.lstrip("+-").replace("_", "")
    if body.startswith("0b"):
        return sign * int(body[2:], 2)
    if body.startswith("0x"):
        return sign * int(body[2:], 16)
    if len(body) > 1 and body[0] == "0":
        return sign * int(body, 8)
    return sign * int(body)


def resolve_tagged(tag: str, text: str) -> tuple[Any, str | None]:
    """Apply an explicit standard tag; returns (value, error message or None).

    Unknown and application tags are ignored (the scalar resolves as if untagged):
    jobcheck never constructs objects from tags.
    """
    short = tag.rsplit(":", 1)[-1] if tag.startswith("tag:yaml.org,2002:") else None
    if short in ("str", "binary", "timestamp"):
        return text, None
    if short == "null":
        return None, None
    if short == "bool":
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return text, f"cannot read {text!r} as !!bool"
    if short == "int":
        if _INT.match(text):
            return _to_int(text), None
        return text, f"cannot read {text!r} as !!int"
    if short == "float":
        value = resolve_plain(text)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value), None
        return text, f"cannot read {text!r} as !!float"
    return resolve_plain(text), None
