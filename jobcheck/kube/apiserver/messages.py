"""Render field errors the way the API server prints them (apimachinery ``field.Error``).

One place for the Go formatting rules: ``%q`` quoting of strings, bare ints and
bools, the release's form for named strings, lists and maps (``value_printing``), and the
fixed wording of each error type.
"""

from __future__ import annotations

import json

from jobcheck.finding import Hit, Key, render_path
from jobcheck.redact import looks_secret

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any

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


# --- How ErrorBody prints a bad value, by release ---------------------------------------
#
# staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go. Every release prints a
# plain Go string with %q and int64/int32/float/bool with %v. The rest changed once:
#
# - GO_SYNTAX: a value with a String() method prints with it (a named string such as
#   core.ResourceName: bare, unquoted); anything else with %#v ([]string{"a", "b"},
#   []int32{1, 2}, map[string]string{"a":"b"}, and a named string without String() quoted).
#   Read in every stored errors.go older than kubernetes#132314, which was opened in June 2025
#   (its number lies between #132305 and #132326, both first released in 1.34.0), two months
#   after v1.33.0: pinned for 1.27-1.33.
# - JSON: json.Marshal first (a named string: a JSON string, quoted; a list or map: JSON),
#   String() only when that fails, %#v last (kubernetes#132314). Read in errors.go at
#   kubernetes/kubernetes@898b9f80, whose CHANGELOG-1.36.md lists only v1.36.0-alpha.1:
#   pinned from 1.36.
# - 1.34 and 1.35: not pinned. #132314 is in none of the 1.34.0, 1.35.0 and 1.36.0-alpha.1
#   release notes (it has none), and no stored errors.go comes from those lines; a value
#   whose two forms differ is either not reported there (resource names) or printed in the
#   JSON form with the gap written down in docs/pod-validation-coverage.md.
GO_SYNTAX = "go-syntax"
JSON_FORM = "json"
_GO_SYNTAX_UNTIL = (1, 33)
_JSON_FROM = (1, 36)


def value_printing(version: tuple[int, int]) -> str | None:
    """How ``field.Error`` prints a value that is not a plain string or number in ``version``:
    ``GO_SYNTAX``, ``JSON_FORM``, or None where the release is not pinned (1.34, 1.35)."""
    if version <= _GO_SYNTAX_UNTIL:
        return GO_SYNTAX
    if version >= _JSON_FROM:
        return JSON_FORM
    return None


class Printed(str):
    """A bad value already rendered as the selected release prints it (``go_value`` keeps it)."""


def _go_sharp_v(value: Any, gotype: str) -> str:
    """``%#v`` of a []string, []int32/[]int64 or map[string]string (keys sorted, as fmt does)."""
    if value is None:
        return f"{gotype}(nil)"
    if gotype.startswith("map["):
        items = ", ".join(f"{go_quote(str(k))}:{go_quote(str(v))}" for k, v in sorted(value.items()))
    elif gotype == "[]string":
        items = ", ".join(go_quote(str(v)) for v in value)
    else:
        items = ", ".join(str(v) for v in value)
    return f"{gotype}{{{items}}}"


def go_struct(gotype: str, fields: list[tuple[str, Any]]) -> Printed:
    """``%#v`` of a Go struct whose fields are strings (quoted) or nil pointers (``None`` is
    printed as ``(*int64)(nil)``, the only pointer type a caller passes), as the GO_SYNTAX
    releases print it: ``core.Toleration{Key:"k", Operator:"Exists", ...}``."""
    parts = ", ".join(
        f"{name}:{'(*int64)(nil)' if value is None else go_quote(str(value))}" for name, value in fields
    )
    shown = f"{gotype}{{{parts}}}"
    return Printed(HIDDEN if looks_secret(shown) else shown)


def typed(value: Any, gotype: str, version: tuple[int, int]) -> Any:
    """A list or map bad value of Go type ``gotype`` ("[]string", "[]int32", "map[string]string")
    as ``version`` prints it: ``%#v`` up to 1.33, else unchanged (JSON; unpinned in 1.34-1.35)."""
    if value_printing(version) == GO_SYNTAX and (value is None or isinstance(value, (list, dict))):
        shown = _go_sharp_v(value, gotype)
        return Printed(HIDDEN if looks_secret(shown) else shown)
    return value


def named(text: str, version: tuple[int, int], stringer: bool = True) -> str | None:
    """A value of a named string type (``stringer``: with a String() method, as core.ResourceName)
    as ``version`` prints it, or None where that is not pinned.

    Up to 1.33 a Stringer prints bare and any other named string with %#v (quoted, as %q);
    from 1.36 it is a JSON string.
    """
    if looks_secret(text):
        return HIDDEN
    printing = value_printing(version)
    if printing == GO_SYNTAX:
        return text if stringer else go_quote(text)
    if printing == JSON_FORM:
        return go_json(text)
    return None


def go_value(value: Any) -> str:
    """Return a bad value as ``field.Error`` prints it: strings quoted, numbers bare, the rest JSON
    (``typed`` and ``named`` give the release's form; a ``Printed`` value is kept as it is).

    A string that may be a credential (``redact.looks_secret``, or marked ``Hidden`` by the
    caller) prints as ``HIDDEN`` instead: the message keeps the server's shape, not the value.
    """
    if isinstance(value, Printed):
        return str(value)
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

    def required_and_valid(self, server_path: tuple, value: Any, check: Any, fix_required: str,
                           fix_invalid: str) -> None:
        """The server's pattern for a required name: Required when absent or empty, else an Invalid
        for each message ``check`` gives of a string value (other types are the schema's)."""
        if value is None or value == "":
            self.add(server_path, required(), fix_required)
        elif isinstance(value, str):
            for msg in check(value):
                self.add(server_path, invalid(value, msg), fix_invalid)

    def mark_absent(self) -> None:
        """Mark the last hit as about something a kustomize patch may leave to its base."""
        self.hits[-1].absent = True
