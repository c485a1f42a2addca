"""GitLab Code Quality report (``artifacts:reports:codequality``): a JSON array of
Code Climate issues, with the fields GitLab requires."""

from __future__ import annotations

import io
from collections.abc import Mapping

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
    sep = "[\n"
    for f in run.findings:
        out.write(sep + "  " + json_text(_issue(f, prints(f), rules.get(f.rule), ctx.cwd), "  "))
        sep = ",\n"
    out.write("[]\n" if sep == "[\n" else "\n]\n")
