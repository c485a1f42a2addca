"""Reporters: each turns sorted findings, the summary and the rule metadata into
one output format, and computes nothing else.

``REPORTERS`` is the explicit registry (its keys feed ``click.Choice``);
``render(name, ...)`` dispatches to it.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass

from jobcheck.finding import Finding, Summary
from jobcheck.report.base import RenderFn, ReportContext
from jobcheck.report.text import render_summary
from jobcheck.rulemeta import Rule

__all__ = ["REPORTERS", "Reporter", "ReportContext", "render", "render_summary"]


@dataclass(frozen=True)
class Reporter:
    name: str
    help: str
    module: str  # jobcheck.report.<module>, imported only when its format is used (start-up time)
    includes_summary: bool = False  # the output already ends with the summary line

    @property
    def render(self) -> RenderFn:
        return importlib.import_module(f"jobcheck.report.{self.module}").render


REPORTERS: dict[str, Reporter] = {
    r.name: r
    for r in (
        Reporter("text", "path:line:col lines for people, with --show-source code frames", "text", True),
        Reporter("json", "jobcheck's own JSON report (versioned, see JSON_FORMAT.md)", "json"),
        Reporter("sarif", "SARIF 2.1.0 for GitHub code scanning and SARIF viewers", "sarif"),
        Reporter("github", "GitHub Actions workflow commands (annotations)", "github"),
        Reporter("gitlab", "GitLab Code Quality report", "gitlab"),
        Reporter("junit", "JUnit XML for CI test reports", "junit"),
    )
}


def render(
    name: str,
    findings: list[Finding],
    summary: Summary,
    rules: Mapping[str, Rule],
    ctx: ReportContext,
) -> str:
    """Return the report in format ``name`` (a key of REPORTERS), ending with a newline
    unless it is empty."""
    return REPORTERS[name].render(findings, summary, rules, ctx)
