"""Execute a lint request: configuration, files, engine, report, exit code.

Kept apart from the click layer so it can be called and tested without parsing options.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from jobcheck.config import Config, ConfigError, find_config, load_config
from jobcheck.discover import STDIN, Target, expand, read_bytes
from jobcheck.finding import Finding, Severity, Summary, finding_order
from jobcheck.lint.engine import (
    FileResult,
    LintOptions,
    SelectionError,
    build_options,
    lint_file,
    lint_stream,
    undecodable_result,
)
from jobcheck.lint.registry import RuleError
from jobcheck.yaml.loader import decode
from jobcheck.yaml.prescan import prescan_file

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
PROGRESS_MIN_FILES = 200


@dataclass(frozen=True)
class LintRequest:
    paths: tuple[str, ...]
    fmt: str = "text"
    output: str | None = None
    kubernetes_version: str | None = None
    fail_on: str | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rules_dirs: tuple[str, ...] = ()
    config_path: str | None = None
    no_config: bool = False
    strict: bool | None = None
    show_source: bool = False
    color: bool = False
    jobs: int = 1
    stdin_filename: str = "<stdin>"
    quiet: bool = False
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False


def _err(message: str) -> None:
    click.echo(f"jobcheck: {message}", err=True)


def resolve_config(request: LintRequest) -> Config:
    """The config file's settings with the command line's on top."""
    config = Config()
    if request.config_path:
        config = load_config(Path(request.config_path))
    elif not request.no_config:
        first = next((p for p in request.paths if p != STDIN), ".")
        found = find_config(Path(first))
        if found is not None:
            config = load_config(found)
    return config.merged(
        select=request.select,
        extend_select=config.extend_select + request.extend_select,
        ignore=config.ignore + request.ignore,
        kubernetes_version=request.kubernetes_version,
        exclude=config.exclude + request.exclude,
        rules_dirs=config.rules_dirs + request.rules_dirs,
        fail_on=request.fail_on,
        strict=request.strict,
    )


def run_lint(request: LintRequest) -> int:
    """Run one lint invocation and return the exit code."""
    _tune_gc()
    try:
        config = resolve_config(request)
        options = build_options(config)
    except (ConfigError, RuleError, SelectionError, ValueError) as exc:
        _err(str(exc))
        return EXIT_USAGE
    if request.fix or request.diff:
        from jobcheck.fix.transform import run_fix

        return run_fix(request, config, options)
    from jobcheck.report.stream import STREAMS

    if request.fmt in STREAMS:
        return _run_streaming(request, config, options)
    summary = Summary()
    findings: list[Finding] = []
    files: list[str] = []
    sources: dict[str, list[str]] = {}
    internal: list[str] = []
    targets = list(expand(request.paths, config.exclude))
    progress = _Progress(len(targets))
    for target, result, text in _lint_targets(targets, options, request):
        progress.step()
        if result is None:
            summary.io_errors += 1
            _err(f"{target.path}: {text}")
            continue
        name = request.stdin_filename if target.path == STDIN else target.path
        files.append(name)
        _count(summary, result, internal)
        findings.extend(result.findings)
        if request.show_source and result.findings and text is not None:
            sources[name] = text.splitlines()
    progress.done()
    findings.sort(key=finding_order)
    for finding in findings:
        summary.add(finding)
    for message in internal:
        _err(f"internal error (please report): {message}")
    report(request, findings, summary, options, files, sources)
    if summary.io_errors:
        return EXIT_USAGE
    return EXIT_FINDINGS if fails(findings, config.fail_on or "warning") else EXIT_CLEAN


def _run_streaming(request: LintRequest, config: Config, options: LintOptions) -> int:
    """Lint and write the report as findings arrive, so memory does not grow with the input."""
    from jobcheck.report import ReportContext, render_summary
    from jobcheck.report.stream import STREAMS

    summary = Summary()
    current: dict[str, list[str]] = {}
    threshold = None if (config.fail_on or "warning") == "never" else Severity.parse(config.fail_on or "warning")
    failing = False

    def source_lines(file: str) -> list[str] | None:
        if file == request.stdin_filename and hasattr(sink, "stdin_lines"):
            return sink.stdin_lines
        if file not in current:
            current.clear()
            current[file] = _read_lines(file)
        return current[file]

    def sink(findings: list[Finding]) -> None:
        nonlocal failing
        for f in findings:
            summary.add(f)
            failing = failing or (threshold is not None and f.severity >= threshold)
        writer.add(findings)

    try:
        out = open(request.output, "w", encoding="utf-8") if request.output else sys.stdout
    except OSError as exc:
        _err(f"{request.output}: cannot write report: {exc.strerror}")
        return EXIT_USAGE
    ctx = ReportContext(color=request.color, show_source=request.show_source, source_lines=source_lines,
                        cwd=os.getcwd())
    writer = STREAMS[request.fmt](out, ctx)
    targets = list(expand(request.paths, config.exclude))
    progress = _Progress(len(targets))
    internal: list[str] = []
    for target, result, text in _lint_targets(targets, options, request, sink):
        progress.step()
        if result is None:
            summary.io_errors += 1
            _err(f"{target.path}: {text}")
            continue
        _count(summary, result, internal)
        if result.findings:  # from a worker process: one file's findings at a time
            sink(result.findings)
    progress.done()
    for message in internal:
        _err(f"internal error (please report): {message}")
    writer.close(summary)
    if request.output:
        out.close()
        if not request.quiet:
            click.echo(render_summary(summary, request.color), err=request.fmt != "text")
    elif not request.quiet and request.fmt != "text":
        click.echo(render_summary(summary, False), err=True)
    if summary.io_errors:
        return EXIT_USAGE
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _count(summary: Summary, result: FileResult, internal: list[str]) -> None:
    """Add one linted file's counts to the run's summary."""
    summary.files += 1
    summary.documents += result.documents
    summary.jobs += result.jobs
    summary.cronjobs += result.cronjobs
    summary.skipped += result.skipped
    internal.extend(result.internal_errors)


def _read_lines(file: str) -> list[str] | None:
    try:
        return Path(file).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def _tune_gc() -> None:
    """Collect cycles rarely: linting allocates millions of small acyclic objects (plain data from
    the loader), which reference counting frees; the cyclic collector's frequent passes over them
    cost 10-15% of a run. Objects alive at start-up are frozen out of those passes."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def fails(findings: list[Finding], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = Severity.parse(fail_on)
    return any(f.severity >= threshold for f in findings)


def lint_target(target: Target, options: LintOptions, stdin_filename: str = "<stdin>",
                sink=None) -> tuple[FileResult | None, str | None]:
    """Lint one file: (result, its text if it was read whole) or (None, error message) for an I/O problem.

    A regular UTF-8 file is parsed as it is read, never held whole. With ``sink`` the findings
    go to it document by document instead of into the result.
    """
    if target.error:
        return None, target.error
    name = stdin_filename if target.path == STDIN else target.path
    try:
        if target.path != STDIN:
            with open(target.path, "rb") as handle:
                scan = prescan_file(handle)
                if scan is not None and scan.problem is not None:
                    return undecodable_result(scan.problem, name, options), None
                if scan is not None:
                    handle.seek(0)
                    return lint_file(handle, scan, name, options, sink), None
        raw = read_bytes(target.path)  # standard input, or UTF-16: read whole
    except IsADirectoryError:
        return None, "is a directory"
    except OSError as exc:
        return None, exc.strerror or str(exc)
    text, problem = decode(raw)
    del raw  # the decoded text is all that is needed from here on
    if text is None:
        return undecodable_result(problem, name, options), None
    if sink is not None and target.path == STDIN:
        sink.stdin_lines = text.splitlines()  # standard input cannot be read again for code frames
    return lint_stream(text, name, options, sink), text


def _lint_targets(targets: list[Target], options: LintOptions, request: LintRequest,
                  sink=None) -> Iterator[tuple]:
    if request.jobs <= 1 or len(targets) < 2:
        for target in targets:
            result, text = lint_target(target, options, request.stdin_filename, sink)
            yield target, result, (text if result is not None else text)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=request.jobs, initializer=_init_worker, initargs=(options,)) as pool:
        chunk = max(1, min(64, len(targets) // (request.jobs * 8) or 1))
        for target, (result, text) in zip(targets, pool.map(_worker, targets, chunksize=chunk), strict=True):
            yield target, result, text


_WORKER_OPTIONS: list[LintOptions] = []


def _init_worker(options: LintOptions) -> None:
    _WORKER_OPTIONS[:] = [options]


def _worker(target: Target) -> tuple[FileResult | None, str | None]:
    result, text = lint_target(target, _WORKER_OPTIONS[0])
    return result, (text if result is None else None)


def report(request: LintRequest, findings: list[Finding], summary: Summary, options: LintOptions,
           files: list[str], sources: dict[str, list[str]], stream=None) -> None:
    """Render and emit the report: to --output, else to ``stream`` (stdout), then the summary line."""
    from jobcheck.report import REPORTERS, ReportContext, render, render_summary

    def source_lines(file: str) -> list[str] | None:
        return sources[file] if file in sources else _read_lines(file)

    ctx = ReportContext(color=request.color, show_source=request.show_source, source_lines=source_lines,
                        cwd=os.getcwd(), files=tuple(files))
    text = render(request.fmt, findings, summary, options.rules, ctx)
    if request.output:
        try:
            Path(request.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            _err(f"{request.output}: cannot write report: {exc.strerror}")
            summary.io_errors += 1
        if not request.quiet:
            click.echo(render_summary(summary, request.color), err=request.fmt != "text")
        return
    (stream or sys.stdout).write(text)
    if not request.quiet and not REPORTERS[request.fmt].includes_summary:
        click.echo(render_summary(summary, False), err=True)


class _Progress:
    """A one-line counter on stderr for long runs, only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.enabled = total >= PROGRESS_MIN_FILES and sys.stderr.isatty()

    def step(self) -> None:
        self.count += 1
        if self.enabled and self.count % 50 == 0:
            sys.stderr.write(f"\rjobcheck: {self.count}/{self.total} files")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 40 + "\r")
            sys.stderr.flush()
