"""Reporters: each turns findings, the summary and the rule metadata into one output format,
and computes nothing else.

``REPORTERS`` is the one registry (its keys feed ``click.Choice``). Every format is used through
the same two calls, ``add(file, findings)`` as each file's findings arrive and ``close(summary)``
at the end (``open_report``). A format module that can write as findings arrive has a ``Stream``
class; the others have a ``render`` function over the whole, sorted run, and ``open_report``
collects for them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Protocol, TextIO

from jobcheck.finding import Finding, Summary, finding_order
from jobcheck.report.base import RenderFn, ReportContext
from jobcheck.report.text import render_summary
from jobcheck.rulemeta import Rule

__all__ = ["REPORTERS", "Report", "ReportContext", "Reporter", "open_report", "render", "render_summary"]


class Report(Protocol):
    """What the driver writes to: ``add`` is called at least once per linted file, in run order."""

    def add(self, file: str, findings: list[Finding]) -> None: ...

    def close(self, summary: Summary) -> None: ...


@dataclass(frozen=True)
class Reporter:
    name: str
    help: str
    module: str  # jobcheck.report.<module>, imported only when its format is used (start-up time)
    includes_summary: bool = False  # the output already ends with the summary line

    def load(self) -> ModuleType:
        return importlib.import_module(f"jobcheck.report.{self.module}")

    @property
    def render(self) -> RenderFn:
        return self.load().render


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


def open_report(name: str, out: TextIO, ctx: ReportContext, rules: Mapping[str, Rule]) -> Report:
    """A report in format ``name`` written to ``out``."""
    module = REPORTERS[name].load()
    stream = getattr(module, "Stream", None)
    if stream is not None:
        return stream(out, ctx)
    return _Collected(module.render, out, ctx, rules)


class _Collected:
    """For formats that need the whole run (a SARIF log, a JUnit suite): findings are kept and
    rendered at ``close`` in sorted order, with every linted file listed in the context."""

    def __init__(self, render_fn: RenderFn, out: TextIO, ctx: ReportContext, rules: Mapping[str, Rule]) -> None:
        self.render_fn, self.out, self.ctx, self.rules = render_fn, out, ctx, rules
        self.files: dict[str, None] = {}
        self.findings: list[Finding] = []

    def add(self, file: str, findings: list[Finding]) -> None:
        self.files.setdefault(file)
        self.findings.extend(findings)

    def close(self, summary: Summary) -> None:
        self.findings.sort(key=finding_order)
        ctx = replace(self.ctx, files=tuple(self.files))
        self.out.write(self.render_fn(self.findings, summary, self.rules, ctx))
