"""What every report format must be, whatever the manifests held: checks shared by the
containment and safe-output tests (tests/robust)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")
SARIF_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas-external" / "sarif-schema-2.1.0.json"

# What must never reach a terminal or a log viewer raw: C0 controls but tab and line feed,
# DEL, C1 controls, bidirectional controls, and lone surrogates (not encodable at all).
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# XML 1.0 (section 2.2) allows none of these (the parser refuses them as character references).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _no_constant(name: str):
    raise AssertionError(f"non-finite number {name} in JSON output")


def strict_json(text: str):
    """Parse ``text`` as strict JSON: no NaN/Infinity, no string that is not valid Unicode."""
    data = json.loads(text, parse_constant=_no_constant)

    def walk(value) -> None:
        if isinstance(value, str):
            value.encode("utf-8")  # raises on a lone surrogate
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data)
    return data


def check_output(fmt: str, text: str) -> object:
    """Assert that ``text`` is a valid report in format ``fmt``; return it parsed where it parses."""
    text.encode("utf-8")  # every format is written as UTF-8: a lone surrogate cannot be
    if fmt in ("json", "gitlab", "sarif"):
        data = strict_json(text)
        if fmt == "sarif" and SARIF_SCHEMA.is_file():
            import jsonschema

            jsonschema.validate(data, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
        if fmt == "gitlab":
            assert isinstance(data, list)
        return data
    if fmt == "junit":
        assert not XML_ILLEGAL.search(text), XML_ILLEGAL.search(text)
        return ET.fromstring(text.encode("utf-8"))
    bad = UNSAFE_TEXT.search(text.replace("\n", ""))
    assert bad is None, f"raw {bad.group()!r} in {fmt} output: {text[max(0, bad.start() - 60):bad.end() + 20]!r}"
    if fmt == "github":
        for line in text.splitlines():
            assert line.startswith("::"), line
    return text
