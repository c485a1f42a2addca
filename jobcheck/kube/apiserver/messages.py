"""Render field errors the way the API server prints them (apimachinery ``field.Error``).

One place for the Go formatting rules: ``%q`` quoting of strings, bare ints and
bools, JSON for maps and lists, and the fixed wording of each error type.
"""

from __future__ import annotations

import json
from typing import Any

from jobcheck.finding import Hit, Key, render_path
from jobcheck.redact import looks_secret

OMIT = object()  # field.OmitValueType{}: the value is not printed
# What a value that may be a credential prints as, in place of the server's %q of it.
HIDDEN = "<value not shown: it may be a credential>"


class Hidden(str):
    """A value printed as ``HIDDEN``: the caller knows the field may hold a credential."""


_SIMPLE_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}


def go_quote(text: str) -> str:
    """Return ``text`` quoted like Go's ``strconv.Quote`` (``%q``)."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    out = ['"']
    for ch in text:
        if ch in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def go_json(value: Any, sort_keys: bool = True) -> str:
    """Return ``value`` as Go's ``json.Marshal`` writes it (compact, HTML characters escaped)."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=sort_keys, ensure_ascii=False, default=str)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def go_value(value: Any) -> str:
    """Return a bad value as ``field.Error`` prints it: strings quoted, numbers bare, the rest JSON.

    A string that may be a credential (``redact.looks_secret``, or marked ``Hidden`` by the
    caller) prints as ``HIDDEN`` instead: the message keeps the server's shape, not the value.
    """
    if isinstance(value, str) and (isinstance(value, Hidden) or looks_secret(value)):
        return HIDDEN
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return go_quote(value)
    text = go_json(value)
    return HIDDEN if looks_secret(text) else text


# Error bodies, without the field path: "<Type>[: <value>][: <detail>]".


def required(detail: str = "") -> str:
    return "Required value" + (f": {detail}" if detail else "")


def invalid(value: Any, detail: str) -> str:
    if value is OMIT:
        return "Invalid value" + (f": {detail}" if detail else "")
    return f"Invalid value: {go_value(value)}" + (f": {detail}" if detail else "")


def not_supported(value: Any, valid: list[str] | tuple[str, ...]) -> str:
    body = f"Unsupported value: {go_value(value)}"
    if valid:
        body += ": supported values: " + ", ".join(go_quote(v) for v in valid)
    return body


def duplicate(value: Any) -> str:
    return f"Duplicate value: {go_value(value)}"


def not_found(value: Any) -> str:
    return f"Not found: {go_value(value)}"


def forbidden(detail: str) -> str:
    return "Forbidden" + (f": {detail}" if detail else "")


def too_many(actual: int, maximum: int) -> str:
    return f"Too many: {actual}: must have at most {maximum} {'item' if maximum == 1 else 'items'}"


def too_long(maximum: int) -> str:
    return f"Too long: may not be more than {maximum} {'byte' if maximum == 1 else 'bytes'}"


def message(path: tuple, body: str) -> str:
    """Return the full error line: ``<field path>: <body>``."""
    return f"{render_path(path)}: {body}"


NEGATIVE = "must be greater than or equal to 0"


class Reporter:
    """Collects the API server's errors for one object, as hits.

    ``server_path`` is the path the API server prints, relative to the object;
    the hit's path is the object's path plus ``at`` (default: the same path,
    with ``Key`` elements turned back into plain keys).
    """

    __slots__ = ("base", "hits")

    def __init__(self, base: tuple) -> None:
        self.base = base
        self.hits: list = []

    def add(
        self, server_path: tuple, body: str, fix: str, at: tuple | None = None, on_key: bool = False
    ) -> None:
        where = at if at is not None else tuple(str(e) if isinstance(e, Key) else e for e in server_path)
        self.hits.append(
            Hit(
                path=self.base + where,
                message=message(server_path, body),
                fix=fix,
                on_key=on_key,
                absent=body.startswith("Required value"),
            )
        )

    def mark_absent(self) -> None:
        """Mark the last hit as about something a kustomize patch may leave to its base."""
        self.hits[-1].absent = True
