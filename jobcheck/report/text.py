"""Human-readable output: one ``path:line:col: ID severity message (name)`` line per
finding, an optional code frame, and the summary line."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from jobcheck import redact
from jobcheck.finding import Finding, Severity, Summary
from jobcheck.report.base import ReportContext, helm_note
from jobcheck.report.escape import printable
from jobcheck.rulemeta import Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import TextIO

_CODES = {
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
    "red": "\x1b[31m",
    "green": "\x1b[32m",
    "yellow": "\x1b[33m",
    "blue": "\x1b[34m",
    "cyan": "\x1b[36m",
}
_RESET = "\x1b[0m"
SEVERITY_COLOR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def paint(text: str, style: str, color: bool) -> str:
    """Return ``text`` wrapped in the ANSI codes of ``style`` when ``color``, else unchanged."""
    return f"{_CODES[style]}{text}{_RESET}" if color and text else text


def _multiline(text: str, indent: str) -> str:
    """Escape each line of ``text`` and join them, continuation lines indented."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return ("\n" + indent).join(printable(line) for line in lines)


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _pad(prefix: str) -> str:
    # Tabs are kept as tabs so the terminal expands them exactly as on the line above.
    return "".join("\t" if ch == "\t" else " " * _width(ch) for ch in prefix)


def code_frame(finding: Finding, lines: list[str], color: bool) -> list[str]:
    """Return the numbered source line of ``finding`` and a caret line under its columns.

    The carets cover ``column`` up to (excluding) ``end_column`` when the
    finding ends on the same line; otherwise a single caret marks the start.
    The line is shown as ``printable`` makes it (a control or bidirectional
    character as ``\\x1b``, ``\\u202e``), and the carets are placed under the
    escaped text. Returns [] when the line is not in ``lines``.
    """
    if not 1 <= finding.line <= len(lines):
        return []
    # Masked where a credential may be (jobcheck.redact), then escaped below.
    source = redact.frame_line(lines, finding.line, finding.column, finding.rule)
    start = min(max(finding.column, 1) - 1, len(source))
    end = start
    if finding.end_line == finding.line and finding.end_column > finding.column:
        end = min(finding.end_column - 1, len(source))
    line = printable(source)
    before = printable(source[:start])
    width = sum(_width(ch) for ch in printable(source[start:end])) if end > start else 0
    gutter = str(finding.line)
    blank = " " * len(gutter)
    carets = paint("^" * max(width, 1), SEVERITY_COLOR[finding.severity], color)
    return [
        f"  {paint(gutter, 'dim', color)} {paint('|', 'dim', color)} {line}",
        f"  {blank} {paint('|', 'dim', color)} {_pad(before)}{carets}",
    ]


_SEVERITY_TEXT = {severity: str(severity) for severity in Severity}


def format_finding(finding: Finding, ctx: ReportContext) -> str:
    """Return the report lines of one finding (a single line unless ``ctx.show_source``)."""
    color = ctx.color
    if not color and not ctx.show_source:
        # The plain one-line report (pipes, files, CI logs): what the general path below writes
        # with every style a no-op, without its calls; a message on one line needs no splitting.
        message = finding.message
        text = (
            f"{printable(f'{finding.file}:{finding.line}:{finding.column}')}: {finding.rule} "
            f"{_SEVERITY_TEXT[finding.severity]} "
            + (_multiline(message, "    ") if "\n" in message or "\r" in message else printable(message))
        )
        if finding.name:
            text += f" ({finding.name})"
        return text + printable(f" [from {finding.source}]") if finding.source else text
    return _format_styled(finding, ctx)


def _format_styled(finding: Finding, ctx: ReportContext) -> str:
    color = ctx.color
    severity = paint(str(finding.severity), SEVERITY_COLOR[finding.severity], color)
    where = f"{finding.file}:{finding.line}:{finding.column}"
    head = f"{paint(printable(where), 'bold', color)}: {paint(finding.rule, 'bold', color)} {severity} "
    head += _multiline(finding.message, "    ")
    if finding.name:
        head += " " + paint(f"({finding.name})", "dim", color)
    head += printable(helm_note(finding))
    out = [head]
    if ctx.show_source:
        lines = ctx.source_lines(finding.file)
        if lines:
            out.extend(code_frame(finding, lines, color))
        if finding.fix:
            out.append(f"  {paint('help', 'cyan', color)}: {_multiline(finding.fix, '        ')}")
    return "\n".join(out)


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def render_summary(summary: Summary, color: bool = False) -> str:
    """Return the one-line summary, e.g. ``Checked 3 files, 5 documents (2 Jobs, 3 CronJobs,
    1 other object skipped): 2 errors, 3 warnings, 1 info``."""
    text = f"Checked {_count(summary.files, 'file')}, {_count(summary.documents, 'document')}"
    objects = []
    if summary.jobs:
        objects.append(_count(summary.jobs, "Job"))
    if summary.cronjobs:
        objects.append(_count(summary.cronjobs, "CronJob"))
    if summary.skipped:
        objects.append(_count(summary.skipped, "other object") + " skipped")
    if objects:
        text += f" ({', '.join(objects)})"
    if summary.io_errors:
        text += ", " + paint(_count(summary.io_errors, "file") + " could not be read", "red", color)
    if summary.internal_errors:
        text += ", " + paint(_count(summary.internal_errors, "internal error") + " (please report)", "red", color)
    counts = summary.by_severity
    parts = []
    for severity, word, plural in (
        (Severity.ERROR, "error", None),
        (Severity.WARNING, "warning", None),
        (Severity.INFO, "info", "info"),
    ):
        n = counts.get(str(severity), 0)
        if n:
            parts.append(paint(_count(n, word, plural), SEVERITY_COLOR[severity], color))
    return text + ": " + (", ".join(parts) if parts else paint("no problems found", "green", color))


def render(findings: list[Finding], summary: Summary, rules: Mapping[str, Rule], ctx: ReportContext) -> str:
    """Return every finding in order, then the summary line.

    The summary is part of the text report so a report written to a file is
    complete; a CLI that prints this report to the terminal should not print
    ``render_summary`` again.
    """
    blocks = [format_finding(f, ctx) for f in findings]
    sep = "\n\n" if ctx.show_source else "\n"
    body = sep.join(blocks)
    summary_line = render_summary(summary, ctx.color)
    return (body + sep + summary_line if body else summary_line) + "\n"


class Stream:
    """The text report written as findings arrive: the same bytes as ``render``."""

    def __init__(self, out: TextIO, ctx: ReportContext) -> None:
        self.out, self.ctx = out, ctx
        self.sep = "\n\n" if ctx.show_source else "\n"
        self.any = False

    def add(self, file: str, findings: list[Finding]) -> None:
        if findings:  # one write per batch: unbuffered (python -u, PYTHONUNBUFFERED), each is a system call
            ctx, sep = self.ctx, self.sep
            self.out.write((sep if self.any else "") + sep.join([format_finding(f, ctx) for f in findings]))
            self.any = True

    def close(self, summary: Summary) -> None:
        line = render_summary(summary, self.ctx.color)
        self.out.write((self.sep if self.any else "") + line + "\n")
