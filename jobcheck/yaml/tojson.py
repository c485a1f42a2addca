"""A loaded document as the JSON text Kubernetes' converter makes of it, or the converter's refusal.

kubectl and the API server turn YAML into JSON with sigs.k8s.io/yaml's ``YAMLToJSON``: go-yaml v2
reads the document, keys become strings, and Go's ``json.Marshal`` writes it. ``to_json`` gives
the same text: map keys sorted, no spaces, ``<``, ``>`` and ``&`` escaped as ``\\u003c`` and so on,
integers as written, floats in Go's shortest form (``1e+21``, ``1e-7``, ``9223372036854776000``).
A document with a syntax error, a non-scalar, null or uint64 key, a bad tag or merge key, or an
infinity or NaN (which JSON cannot hold) has no JSON, only an error. One known difference in
the text, not the value: a ``!!binary`` value that is not UTF-8 has U+FFFD per bad byte, which
Go writes as the escape ``\\ufffd`` and this module as the character itself.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from jobcheck.yaml.loader import DUPLICATE_KEY, Document, decode, load_text

# Go's encodeState.string with HTML escaping (json.Marshal's default).
_ESCAPE = re.compile(r'["\\\x00-\x1f<>&\u2028\u2029\ud800-\udfff]')
_ESCAPE_TEXT = re.compile(r'["\\\x00-\x1f\u2028\u2029\ud800-\udfff]')
_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}  # Go before 1.22 (the oracle's) writes \b, \f as \u0008, \u000c


class Unsupported(ValueError):
    """A value JSON cannot hold (Go's ``json: unsupported value``)."""


def to_json(doc: Document) -> tuple[str | None, str | None]:
    """Return (JSON text, None), or (None, the reason Kubernetes' converter refuses the document).

    Duplicate keys are not refused (the last value wins; only the strict converter objects).
    """
    for problem in doc.problems:
        if problem.kind != DUPLICATE_KEY:
            return None, problem.message
    try:
        return "".join(_encode(doc.data, [])), None
    except Unsupported as exc:
        return None, str(exc)


def _encode(value: Any, out: list[str]) -> list[str]:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(quote(value))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(float_text(value))
    elif isinstance(value, dict):
        out.append("{")
        for i, key in enumerate(sorted(value)):  # Go sorts keys by bytes: UTF-8 keeps code point order
            if i:
                out.append(",")
            out.append(quote(key))
            out.append(":")
            _encode(value[key], out)
        out.append("}")
    else:  # a list
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _encode(item, out)
        out.append("]")
    return out


def quote(text: str, html: bool = True) -> str:
    """A JSON string as Go's json.Marshal writes it (U+2028/9 escaped; <, >, & too unless not ``html``)."""
    return '"' + (_ESCAPE if html else _ESCAPE_TEXT).sub(_escape_char, text) + '"'


def _escape_char(match: re.Match) -> str:
    ch = match.group()
    short = _SHORT.get(ch)
    if short:
        return short
    if "\ud800" <= ch <= "\udfff":  # not text: Go writes invalid UTF-8 as the replacement character
        return "\\ufffd"
    return f"\\u{ord(ch):04x}"


def float_text(number: float) -> str:
    """Go's JSON form of a float64: shortest digits, exponent only below 1e-6 or from 1e21."""
    if math.isnan(number) or math.isinf(number):
        name = "NaN" if math.isnan(number) else ("+Inf" if number > 0 else "-Inf")
        raise Unsupported(f"json: unsupported value: {name}")
    if number == 0:
        return "-0" if math.copysign(1, number) < 0 else "0"
    size = abs(number)
    if size < 1e-6 or size >= 1e21:
        text = repr(number)  # Python's repr is also the shortest round-trip form
        mantissa, _, exponent = text.partition("e")
        if not exponent:  # repr chose positional notation
            mantissa, exponent = f"{Decimal(text).normalize():e}".split("e")
        if mantissa.endswith(".0"):
            mantissa = mantissa[:-2]
        exp = int(exponent)
        return f"{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}" if exp >= 0 else f"{mantissa}e-{abs(exp)}"
    return format(Decimal(repr(number)).normalize(), "f")


def convert_stream(raw: bytes) -> list[tuple[int, str | None, str | None]]:
    """(document index, JSON text or None, error or None) for each document of a file's bytes.

    kubectl splits a stream into documents and converts each one; a stream that is not text
    gives one refused document 0; a syntax error ends the stream, as it ends the loader.
    """
    text, problem = decode(raw)
    if text is None:
        return [(0, None, problem.message if problem else "not text")]
    return [(doc.index, *to_json(doc)) for doc in load_text(text)]


def dump_line(file: str, index: int, json_text: str | None, error: str | None) -> str:
    """One line of ``jobcheck dump``: file, document, json (the value itself), error; compact."""
    return (f'{{"file":{quote(file, False)},"document":{index},"json":{json_text or "null"},'
            f'"error":{"null" if error is None else quote(error, False)}}}')
