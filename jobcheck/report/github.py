"""GitHub Actions workflow commands (``::error file=...::message``), which the runner
turns into annotations on the run and on the pull request's diff."""

from __future__ import annotations

from collections.abc import Mapping

from jobcheck.finding import Finding, Severity, Summary
from jobcheck.report.base import ReportContext, SortedRun, display_path, helm_note
from jobcheck.report.escape import printable
from jobcheck.rulemeta import Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import TextIO

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message the way the runner unescapes it: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, plus ``:`` and ``,`` which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _properties(f: Finding, cwd: str) -> list[tuple[str, str]]:
    props = [("file", display_path(f.file, cwd))]
    if f.line >= 1:
        props.append(("line", str(f.line)))
        end_line = f.end_line if f.end_line >= f.line else f.line
        props.append(("endLine", str(end_line)))
        # GitHub accepts columns only for single-line annotations. Its endColumn
        # is given as the last annotated column, so the exclusive end steps back one.
        if f.column >= 1 and end_line == f.line:
            props.append(("col", str(f.column)))
            if f.end_line == f.line and f.end_column > f.column:
                props.append(("endColumn", str(f.end_column - 1)))
    title = f"{f.rule} {f.name}" if f.name else f.rule
    props.append(("title", title))
    return props


def format_command(f: Finding, cwd: str) -> str:
    """Return the workflow command line for one finding."""
    # A file name is the manifest author's too: its controls are escaped like the message's.
    props = ",".join(f"{key}={escape_property(printable(value))}" for key, value in _properties(f, cwd))
    message = f.message + helm_note(f)
    if f.fix:
        message += "\n\nhelp: " + f.fix
    # Line breaks survive (escaped); other controls would reach the log viewer raw.
    message = escape_data(printable(message, keep="\t\r\n"))
    return f"::{COMMAND[f.severity]} {props}::{message}"


def render(findings: list[Finding], summary: Summary, rules: Mapping[str, Rule], ctx: ReportContext) -> str:
    """Return one workflow command per finding, one per line."""
    command = _Commands(ctx.cwd)
    return "".join(command(f) + "\n" for f in findings)


def write(out: TextIO, run: SortedRun, summary: Summary, rules: Mapping[str, Rule], ctx: ReportContext) -> None:
    """Write one workflow command per finding of ``run`` to ``out``."""
    command = _Commands(ctx.cwd)
    for f in run.findings:
        out.write(command(f) + "\n")


_LINES = "\t\r\n"  # printable's keep for messages: line breaks survive (escaped by escape_data)


class _Commands:
    """``format_command(f, cwd)``, byte for byte (a test holds the two together on many findings),
    with the escaped ``file`` property laid out once per file and the ``title`` once per rule:
    the findings of a file come together, and tens of thousands share a few rules."""

    def __init__(self, cwd: str) -> None:
        self.cwd = cwd
        self.file: str | None = None
        self.path = ""
        self.titles: dict[tuple, str] = {}

    def __call__(self, f: Finding) -> str:
        if f.file != self.file:
            self.file, self.path = f.file, "file=" + escape_property(printable(display_path(f.file, self.cwd)))
        key = (f.rule, f.name, f.severity)
        title = self.titles.get(key)
        if title is None:
            if len(self.titles) > 4096:
                self.titles.clear()
            title = self.titles[key] = (
                f"title={escape_property(printable(f'{f.rule} {f.name}' if f.name else f.rule))}",
                f"::{COMMAND[f.severity]} ",
            )
        props, start = title
        if f.line >= 1:  # numbers need no escaping
            end_line = f.end_line if f.end_line >= f.line else f.line
            place = f"line={f.line},endLine={end_line},"
            if f.column >= 1 and end_line == f.line:
                place += f"col={f.column},"
                if f.end_line == f.line and f.end_column > f.column:
                    place += f"endColumn={f.end_column - 1},"
            props = place + props
        message = f.message + helm_note(f)
        if f.fix:
            message += "\n\nhelp: " + f.fix
        return f"{start}{self.path},{props}::{escape_data(printable(message, keep=_LINES))}"
