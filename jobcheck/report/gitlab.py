"""GitLab Code Quality report (``artifacts:reports:codequality``): a JSON array of
Code Climate issues, with the fields GitLab requires."""

from __future__ import annotations

import io
from collections.abc import Mapping
from json.encoder import encode_basestring_ascii as _quote

from jobcheck.finding import Finding, Severity, Summary
from jobcheck.report.base import Fingerprints, ReportContext, SortedRun, display_path, helm_note, json_text
from jobcheck.rulemeta import Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import TextIO

# GitLab's scale is info, minor, major, critical, blocker. An error is a
# manifest the API server rejects or a Job that cannot work: major, leaving
# critical and blocker free for nothing we report.
SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}

# Code Climate allows only these categories; each rule category maps to one.
CATEGORY = {
    "syntax": "Bug Risk",
    "schema": "Bug Risk",
    "api": "Bug Risk",
    "lifecycle": "Bug Risk",
    "schedule": "Bug Risk",
    "commands": "Bug Risk",
    "placement": "Bug Risk",
    "resources": "Performance",
    "secrets": "Security",
    "security": "Security",
    "images": "Security",
    "meta": "Clarity",
}
DEFAULT_CATEGORY = "Bug Risk"


def _issue(f: Finding, fingerprint: str, rule: Rule | None, cwd: str) -> dict:
    label = f"{f.rule} {f.name}" if f.name else f.rule
    line = max(f.line, 1)
    lines = {"begin": line}
    if f.end_line > line:
        lines["end"] = f.end_line
    issue = {
        "type": "issue",
        "check_name": f.rule,
        "description": f"{f.message}{helm_note(f)} ({label})",
        "categories": [CATEGORY.get(rule.category, DEFAULT_CATEGORY) if rule else DEFAULT_CATEGORY],
        "severity": SEVERITY[f.severity],
        "fingerprint": fingerprint,
        "location": {"path": display_path(f.file, cwd), "lines": lines},
        "engine_name": "jobcheck",
    }
    body = [part for part in (f.fix, rule.help_uri if rule else "") if part]
    if body:
        issue["content"] = {"body": "\n\n".join(body)}
    return issue


def render(findings: list[Finding], summary: Summary, rules: Mapping[str, Rule], ctx: ReportContext) -> str:
    """Return the Code Quality JSON array, one issue per finding with a unique fingerprint."""
    out = io.StringIO()
    write(out, SortedRun.of(findings, ctx.cwd), summary, rules, ctx)
    return out.getvalue()


def write(out: TextIO, run: SortedRun, summary: Summary, rules: Mapping[str, Rule], ctx: ReportContext) -> None:
    """Write the Code Quality array of ``run`` to ``out``, one issue at a time (as
    ``json.dumps(issues, indent=2)`` lays it out)."""
    prints = Fingerprints(ctx.cwd, run.per_object)
    text = _IssueText(ctx.cwd, rules)
    sep = "[\n"
    for f in run.findings:
        out.write(sep + "  " + text(f, prints(f)))
        sep = ",\n"
    out.write("[]\n" if sep == "[\n" else "\n]\n")


_HEAD = '{\n    "type": "issue",\n    "check_name": '


class _IssueText:
    """``json_text(_issue(f, fingerprint, rules.get(f.rule), cwd), "  ")``, byte for byte (a test holds
    the two together on many findings), written straight from the finding's fields through the C
    string encoder, with what depends only on the file (the path), or on the rule and its severity
    and fix laid out once and reused. An issue with a surrogate (``\\ud`` in the text) is laid out
    again from its dict, which escapes it visibly (``json_text``)."""

    def __init__(self, cwd: str, rules: Mapping[str, Rule]) -> None:
        self.cwd, self.rules = cwd, rules
        self.file: str | None = None
        self.path = ""
        self.parts: dict[tuple, tuple[str, str, str, str]] = {}

    def __call__(self, f: Finding, fingerprint: str) -> str:
        if f.file != self.file:
            self.file, self.path = f.file, _quote(display_path(f.file, self.cwd))
        key = (f.rule, f.name, f.severity, f.fix)
        parts = self.parts.get(key)
        if parts is None:
            if len(self.parts) > 4096:
                self.parts.clear()
            parts = self.parts[key] = self._parts(f)
        check, label, middle, tail = parts
        line = f.line if f.line > 1 else 1
        lines = f'"begin": {line},\n        "end": {f.end_line}' if f.end_line > line else f'"begin": {line}'
        text = (
            f'{_HEAD}{check}{_quote(f"{f.message}{helm_note(f)} ({label})")}{middle}{_quote(fingerprint)},\n'
            f'    "location": {{\n      "path": {self.path},\n      "lines": {{\n        {lines}\n      }}{tail}'
        )
        if "\\ud" in text:
            return json_text(_issue(f, fingerprint, self.rules.get(f.rule), self.cwd), "  ")
        return text

    def _parts(self, f: Finding) -> tuple[str, str, str, str]:
        """What depends on the rule, its name, the severity and the fix: the check name's line,
        the label, the lines from the categories to the fingerprint's key, and those after the
        location."""
        rule = self.rules.get(f.rule)
        category = CATEGORY.get(rule.category, DEFAULT_CATEGORY) if rule else DEFAULT_CATEGORY
        middle = f',\n    "categories": [\n      {_quote(category)}\n    ],\n    "severity": {_quote(SEVERITY[f.severity])}'
        tail = '\n    },\n    "engine_name": "jobcheck"'
        body = "\n\n".join(part for part in (f.fix, rule.help_uri if rule else "") if part)
        if body:
            tail += f',\n    "content": {{\n      "body": {_quote(body)}\n    }}'
        label = f"{f.rule} {f.name}" if f.name else f.rule
        check = f'{_quote(f.rule)},\n    "description": '
        return check, label, middle + ',\n    "fingerprint": ', tail + "\n  }"
