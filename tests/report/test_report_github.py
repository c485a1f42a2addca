"""GitHub Actions workflow commands, checked by parsing them back the way the runner does:
``::command key=value,key=value::data``, with ``%25``, ``%0D``, ``%0A`` unescaped in the data
and additionally ``%3A`` and ``%2C`` in property values."""

from __future__ import annotations

import re

from report_samples import CONTROL, NASTY, finding

from jobcheck.finding import Severity
from jobcheck.report import render
from jobcheck.report.github import escape_data, escape_property

_DATA = {"%25": "%", "%0D": "\r", "%0A": "\n"}
_PROPERTY = {**_DATA, "%3A": ":", "%2C": ","}


def _unescape(text: str, table: dict[str, str]) -> str:
    # One left-to-right pass, so "%250A" reads as "%" followed by "0A", as the runner reads it.
    return re.sub("|".join(map(re.escape, table)), lambda m: table[m.group()], text)


def unescape_data(text: str) -> str:
    return _unescape(text, _DATA)


def unescape_property(text: str) -> str:
    return _unescape(text, _PROPERTY)


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """Split one workflow command into (command, properties, message), unescaped."""
    assert line.startswith("::")
    end = line.index("::", 2)  # escaped properties cannot contain "::"
    head, data = line[2:end], line[end + 2 :]
    command, _, props = head.partition(" ")
    properties = {}
    for pair in props.split(","):
        key, _, value = pair.partition("=")
        properties[key] = unescape_property(value)
    return command, properties, unescape_data(data)


def commands(findings, summary, rules, ctx) -> list[tuple[str, dict[str, str], str]]:
    out = render("github", findings, summary, rules, ctx)
    assert out.endswith("\n")
    lines = out.split("\n")[:-1]
    assert len(lines) == len(findings)  # no raw line break leaks out of a command
    assert "\r" not in out
    return [parse(line) for line in lines]


def test_escape_round_trips():
    for text in (NASTY, "%", "%%0A", "a:b,c", "\r\n", "%3A%2C", "::warning::x", ""):
        assert unescape_data(escape_data(text)) == text
        assert unescape_property(escape_property(text)) == text
        assert "\n" not in escape_property(text) and ":" not in escape_property(text)
        assert "," not in escape_property(text)


def test_documented_examples():
    assert escape_data("50%\nnext") == "50%25%0Anext"
    assert escape_property("a: b, c") == "a%3A b%2C c"


def test_commands_round_trip(findings, summary, rules, ctx):
    parsed = commands(findings, summary, rules, ctx)
    for f, (command, props, message) in zip(findings, parsed, strict=True):
        assert (
            command
            == {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}[f.severity]
        )
        assert props["file"] == f.file  # relative already
        assert props["title"] == f"{f.rule} {f.name}"
        assert props["line"] == str(f.line)
        if f.message == NASTY:
            assert message == NASTY + "\n\nhelp: " + f.fix


def test_columns_only_on_single_line_annotations(findings, summary, rules, ctx):
    by_rule_line = {
        (f.rule, f.line): p
        for f, (_, p, _) in zip(findings, commands(findings, summary, rules, ctx), strict=True)
    }
    # Single line: GitHub's endColumn is the last annotated column (our exclusive end - 1).
    assert by_rule_line[("JC101", 3)] == {
        "file": "deploy/job.yaml",
        "line": "3",
        "endLine": "3",
        "col": "5",
        "endColumn": "8",
        "title": "JC101 restart-policy-missing",
    }
    # Several lines: no columns.
    assert by_rule_line[("JC501", 2)] == {
        "file": "x%y/ü:v,w.yaml",
        "line": "2",
        "endLine": "4",
        "title": "JC501 image-latest",
    }
    # End unknown: a single-line annotation at the start column.
    assert by_rule_line[("JC306", 9)]["endLine"] == "9"
    assert by_rule_line[("JC306", 9)]["col"] == "1"
    assert "endColumn" not in by_rule_line[("JC306", 9)]


def test_paths_are_relative_to_the_workspace(summary, rules, ctx):
    ((_, props, _),) = commands([finding(file="/work/checkout/k8s/a b.yaml")], summary, rules, ctx)
    assert props["file"] == "k8s/a b.yaml"


def test_control_characters_do_not_reach_the_log(findings, summary, rules, ctx):
    out = render("github", findings, summary, rules, ctx)
    assert "\x1b" not in out and "\x00" not in out and "\x07" not in out
    message = next(m for _, _, m in commands(findings, summary, rules, ctx) if m.startswith("bell"))
    assert (
        message
        == CONTROL.replace("\x07", "\\x07")
        .replace("\x1b", "\\x1b")
        .replace("\x00", "\\x00")
        .replace("\x7f", "\\x7f")
        + " [from chart/templates/job.yaml]\n\nhelp: Set restartPolicy to Never or OnFailure."
    )


def test_no_findings_no_output(summary, rules, ctx):
    assert render("github", [], summary, rules, ctx) == ""
