"""Reporters: each turns findings, the summary and the rule metadata into one output format,
and computes nothing else.

``REPORTERS`` is the one registry (its keys feed ``click.Choice``). Every format is used through
the same two calls, ``add(file, findings)`` as each file's findings arrive and ``close(summary)``
at the end (``open_report``). A format module that can write as findings arrive has a ``Stream``
class; the others have a ``write`` function over the whole, sorted run (``SortedRun``), which
``open_report`` spills to disk and merges back in order for them. Every module also has
``render(findings, summary, rules, ctx) -> str`` over a list, for the library and the tests.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from types import ModuleType

from jobcheck.finding import Finding, Summary, finding_order
from jobcheck.record import dataclass, replace
from jobcheck.report.base import DisplayPaths, RenderFn, ReportContext, SortedRun
from jobcheck.report.text import render_summary
from jobcheck.rulemeta import Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import TextIO

__all__ = ["REPORTERS", "Report", "ReportContext", "Reporter", "open_report", "render", "render_summary"]


class Report:  # a protocol: what the driver needs of a report (typing's Protocol costs 4 ms)
    """What the driver writes to: ``add`` is called at least once per linted file, in run order.
    A report may also have ``add_columns(file, columns)`` for findings the result cache holds
    (``finding.Columns``); the driver gives it those instead of building them (the JSON one)."""

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


# The whole-run formats' writer: (out, the sorted run, summary, rules, context).
WriteFn = Callable[["TextIO", SortedRun, Summary, Mapping[str, Rule], ReportContext], None]

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
    return _Collected(module.write, out, ctx, rules)


_PENDING = 2048  # findings held before they are spilled: memory stays flat


class _Collected:
    """For formats that need the whole run (a SARIF log, a JUnit suite), in sorted order.

    Findings are not kept in memory: each batch ``add`` receives is sorted and pickled to a
    temporary file, and ``close`` merges the batches back in order (``heapq.merge``) while the
    format writes them one by one. A file's batches come one document after another, each in
    order and after the last, so they chain into one sorted run per file, and the merge holds
    one record per run (a second run only for what comes out of order: the unused suppressions
    reported after a file's last document). A file's batches wait in memory and are pickled as
    one record when the next file comes or at ``_PENDING`` findings: one pickle call per file or
    per few thousand findings rather than per document.
    """

    def __init__(self, write_fn: WriteFn, out: TextIO, ctx: ReportContext, rules: Mapping[str, Rule]) -> None:
        self.write_fn, self.out, self.ctx, self.rules = write_fn, out, ctx, rules
        # Imported here: only these formats spill, and text and JSON runs should not pay for it.
        import pickle
        import tempfile

        self.files: dict[str, None] = {}
        self._dump, self._load = pickle.dump, pickle.load
        self._protocol = pickle.HIGHEST_PROTOCOL
        self.spill = tempfile.TemporaryFile()
        self.runs: dict[str, list[list]] = {}  # file -> its sorted runs, each a list of stretches
        self.last: dict[str, tuple] = {}  # file -> the order key of its last finding
        self.sorted = SortedRun(())
        self.paths = DisplayPaths(ctx.cwd)
        # Batches not yet spilled, of one or more files, pickled together as one record. A run is
        # a list of stretches (record offset, start, stop), offset -1 while the record is pending.
        self.pending: list[Finding] = []
        self.pending_file: str | None = None
        self.pending_runs: list[list] = []
        self.record: tuple[int, list[Finding]] = (-1, [])  # the record read last

    def add(self, file: str, findings: list[Finding]) -> None:
        self.files.setdefault(file)
        if not findings:
            return
        batch = sorted(findings, key=finding_order)
        for f in batch:
            self.sorted.count(f, self.paths)
        name = batch[0].file
        if name != self.pending_file:  # a record holds one file's findings: read back with it, once
            self._flush()
        runs = self.runs.setdefault(name, [])
        new_run = not runs or finding_order(batch[0]) < self.last[name]
        if new_run:
            runs.append([])
        self.last[name] = finding_order(batch[-1])
        if name == self.pending_file and not new_run:  # the file's pending stretch grows
            start = runs[-1].pop()[1]
        else:
            start = len(self.pending)
            self.pending_runs.append(runs[-1])
        self.pending_file = name
        self.pending += batch
        runs[-1].append((-1, start, len(self.pending)))
        if len(self.pending) >= _PENDING:
            self._flush()

    def _flush(self) -> None:
        """Spill the pending findings as one record; the stretches that point into it (offset -1
        while it is pending) get its offset."""
        if self.pending:
            offset = self.spill.tell()
            self._dump(self.pending, self.spill, self._protocol)
            for run in self.pending_runs:
                run[:] = [(offset, start, stop) if at == -1 else (at, start, stop) for at, start, stop in run]
            self.pending, self.pending_runs, self.pending_file = [], [], None

    def _read(self, stretches: list[tuple[int, int, int]]) -> Iterator[Finding]:
        # Each run keeps the record it read last: the runs of one file merged side by side share
        # their file's record without evicting each other's.
        at, record = self.record
        for offset, start, stop in stretches:
            if offset != at:
                self.spill.seek(offset)
                at, record = offset, self._load(self.spill)
                self.record = (at, record)
            yield from record[start:stop]

    def _merged(self) -> Iterator[Finding]:
        for name in sorted(self.runs):
            runs = self.runs.pop(name)
            if len(runs) == 1:
                yield from self._read(runs[0])
            else:
                import heapq  # a sorted run that spilled to more than one batch only

                yield from heapq.merge(*(self._read(run) for run in runs), key=finding_order)

    def close(self, summary: Summary) -> None:
        self._flush()
        ctx = replace(self.ctx, files=tuple(self.files))
        self.sorted.findings = self._merged()
        try:
            self.write_fn(self.out, self.sorted, summary, self.rules, ctx)
        finally:
            self.spill.close()
