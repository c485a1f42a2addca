"""``jobcheck lint``: options in, one call to the driver, exit code out.

Everything that belongs to a process rather than to the library lives here: configuration
found from the working directory, where the report goes, the summary on the terminal,
progress, garbage-collector tuning and the exit code.
"""

from __future__ import annotations

import functools
import gc
import os
import sys

from jobcheck.cli.common import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, echo, error, split_tokens
from jobcheck.record import dataclass
from jobcheck.report import REPORTERS

PROGRESS_MIN_FILES = 200


@dataclass(frozen=True)
class LintRequest:
    """The options of one ``jobcheck lint``, as the command line gave them."""

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
    verbose: bool = False
    respect_gitignore: bool = True
    default_excludes: bool = True
    cache: bool = True


def resolve_config(request: LintRequest):
    """The run's configuration: the file nearest the first path, with the command line's on top.
    It gives what belongs to the whole run (fail-on, the walks' excludes) and lints the files that
    have no nearer configuration of their own (see ``file_options``)."""
    from jobcheck.config import Config, find_config, load_config
    from jobcheck.discover import STDIN

    config = Config()
    if request.config_path:
        from pathlib import Path  # only with --config (start-up: pathlib costs ~4 ms)

        config = load_config(Path(request.config_path))
    elif not request.no_config:
        first = next((p for p in request.paths if p != STDIN), ".")
        found = find_config(first)
        if found is not None:
            config = load_config(found)
    return with_command_line(config, request)


def with_command_line(config, request: LintRequest):
    """``config`` with the command line's settings on top."""
    return config.merged(
        select=request.select,
        extend_select=config.extend_select + request.extend_select,
        ignore=config.ignore + request.ignore,
        kubernetes_version=request.kubernetes_version,
        rules_dirs=config.rules_dirs + request.rules_dirs,
        fail_on=request.fail_on,
        strict=request.strict,
    )


def lint_command(request: LintRequest) -> int:
    """Run one ``jobcheck lint`` and return its exit code."""
    from jobcheck.config import ConfigError, note_listing
    from jobcheck.discover import STDIN, expand
    from jobcheck.finding import Severity
    from jobcheck.lint.options import SelectionError, build_options
    from jobcheck.lint.registry import RuleError
    from jobcheck.report import ReportContext, open_report, render_summary
    from jobcheck.run import SourceLines, run

    _tune_gc()
    try:
        config = resolve_config(request)
        options = build_options(config)
    except (ConfigError, RuleError, SelectionError, ValueError) as exc:
        error(str(exc))
        return EXIT_USAGE
    transform = None
    if request.fix or request.diff:
        from jobcheck.fix.transform import Fixer

        transform = Fixer(options, write=request.fix, unsafe=request.unsafe_fixes)
    # --exclude is relative to the working directory, a config file's exclude to that file's directory.
    config_dir = os.path.dirname(os.path.abspath(config.path)) if config.path else "."
    per_directory = not (request.config_path or request.no_config)
    walked: dict = {}  # find_config's memo, told what the walks listed (config.note_listing)
    targets = list(expand(request.paths, request.exclude, respect_gitignore=request.respect_gitignore,
                          default_excludes=request.default_excludes, exclude_from=(config_dir, config.exclude),
                          skipped=_print_skipped if request.verbose else None, notice=_print_skipped,
                          listed=functools.partial(note_listing, walked) if per_directory else None))
    if request.output and _is_an_input(request.output, targets):
        error(f"{request.output}: is one of the inputs; the report would overwrite it (choose another --output)")
        return EXIT_USAGE
    per_file, rules = options, options.rules
    if per_directory:
        try:
            targets, per_file, rules = file_options(targets, config, options, request, walked)
        except (ConfigError, RuleError, SelectionError, ValueError) as exc:
            error(str(exc))
            return EXIT_USAGE
    # Under --fix, standard input's fixed stream goes to standard output, so the report cannot.
    to_stderr = request.fix and STDIN in request.paths
    try:
        out = open(request.output, "w", encoding="utf-8") if request.output else (sys.stderr if to_stderr else sys.stdout)
    except OSError as exc:
        error(f"{request.output}: cannot write report: {exc.strerror}")
        return EXIT_USAGE
    # Only --show-source code frames read source lines: other runs keep none (standard input would
    # otherwise be held line by line).
    sources = SourceLines() if request.show_source and request.fmt == "text" else None
    ctx = ReportContext(color=request.color, show_source=request.show_source,
                        source_lines=sources if sources is not None else (lambda _file: None),
                        cwd=os.getcwd())
    report = _Discard() if request.diff else open_report(request.fmt, out, ctx, rules)
    progress = _Progress(len(targets))
    totals = run(targets, per_file, report, stdin_name=request.stdin_filename, transform=transform,
                 jobs=request.jobs or available_cpus(), sources=sources, message=error, output=_write_stdout,
                 progress=progress.step, skipped=_print_skipped if request.verbose else None,
                 verbose=request.verbose, cache=_open_cache(request))
    progress.done()
    summary = totals.summary
    if request.output:
        out.close()
    if request.diff:
        if not request.quiet:
            echo(f"Would fix {_plural(totals.fixed, 'finding')} in {_plural(totals.fixed_files, 'file')}", err=True)
        return EXIT_USAGE if summary.io_errors or summary.internal_errors else (
            EXIT_FINDINGS if totals.changed else EXIT_CLEAN)
    if not request.quiet:
        if request.output:
            echo(render_summary(summary, request.color), err=request.fmt != "text")
        elif not REPORTERS[request.fmt].includes_summary:
            echo(render_summary(summary, False), err=True)
        if request.fix:
            echo(f"Fixed {_plural(totals.fixed, 'finding')} in {_plural(totals.fixed_files, 'file')}", err=True)
    if summary.io_errors or summary.internal_errors:  # an input not read, or not fully linted
        return EXIT_USAGE
    fail_on = config.fail_on or "error"
    if fail_on == "never":
        return EXIT_CLEAN
    threshold = Severity.parse(fail_on)
    failing = any(count for level, count in summary.by_severity.items() if Severity.parse(level) >= threshold)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def file_options(targets: list, config, options, request: LintRequest, walked: dict | None = None):
    """Each file linted with the configuration nearest above it, as ruff does: a file under a
    directory with its own ``.jobcheck.yaml`` (or ``[tool.jobcheck]``) takes that one, whole (no
    merging with the run's), with the command line on top, and that file's ``exclude``. Returns the
    targets left, the options to lint them with, and every rule these options know (for reports).
    ``walked`` is ``find_config``'s memo, which the walks that found the targets may have filled."""
    from jobcheck.config import Config, find_config, load_config
    from jobcheck.discover import STDIN, excluded
    from jobcheck.lint.options import build_options
    from jobcheck.run import FileOptions

    run_config = os.path.realpath(config.path) if config.path else None
    nearest: dict[str, str | None] = {}  # directory as named -> its config file (real path), or None
    walked = {} if walked is None else walked  # find_config's memo: each directory above the files is looked at once
    built: dict[str, tuple] = {}  # config file -> (config, options)
    kept, by_path = [], {}
    for target in targets:
        if target.path == STDIN or target.error:
            kept.append(target)
            continue
        directory = os.path.dirname(target.path)  # made absolute once a directory: abspath is ~2 us
        path = nearest.get(directory, nearest)
        if path is nearest:
            found = find_config(os.path.abspath(directory), walked)
            path = nearest[directory] = os.path.realpath(found) if found is not None else None
        if path == run_config:
            kept.append(target)
            continue
        if path not in built:  # None: no configuration above this file, only the command line
            from pathlib import Path

            own = with_command_line(load_config(Path(path)) if path else Config(), request)
            built[path] = (own, build_options(own))
        own, own_options = built[path]
        if own.exclude and path and excluded(os.path.relpath(os.path.abspath(target.path), os.path.dirname(path)), own.exclude):
            continue
        kept.append(target)
        by_path[target.path] = own_options
    if not by_path:
        return kept, options, options.rules
    rules = dict(options.rules)
    for _, own_options in built.values():
        rules.update(own_options.rules)
    return kept, FileOptions(options, by_path), rules


def _open_cache(request: LintRequest):
    """The result cache of this run (``jobcheck.cache``), or None: ``--no-cache``, a fix or a
    diff (the files change), or only standard input to lint."""
    from jobcheck.discover import STDIN

    files = [p for p in request.paths if p != STDIN]
    if not request.cache or request.fix or request.diff or not files:
        return None
    from jobcheck.cache import Cache, cache_dir

    return Cache(cache_dir(files))


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity, which containers and ``taskset`` narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def parse_jobs(value: str) -> int | str:
    """``--jobs N``, with ``0`` or ``auto`` for one process per available CPU; the message of the
    usage error as a string when it is not one."""
    text = str(value).strip().lower()
    if text == "auto":
        return 0
    try:
        jobs = int(text)
    except ValueError:
        return f"{value!r} is not a number of processes (1-64), 0 or auto"
    if not 0 <= jobs <= 64:
        return f"{jobs} is not in the range 0-64 (0 or auto: one per available CPU)"
    return jobs


def make_request(paths, fmt, output, kubernetes_version, fail_on, select, extend_select, ignore, exclude,
                 rules_dir, config_path, no_config, strict, show_source, color, jobs, stdin_filename, quiet,
                 fix, unsafe_fixes, show_diff, respect_gitignore, default_excludes, no_cache,
                 verbose) -> LintRequest:
    """The request of the command line's values, as click or the fast path (``jobcheck.cli.fast``)
    parsed them (``jobs`` already a number)."""
    return LintRequest(
        paths=tuple(paths), fmt=fmt, output=output, kubernetes_version=kubernetes_version, fail_on=fail_on,
        select=split_tokens(select), extend_select=split_tokens(extend_select) or (),
        ignore=split_tokens(ignore) or (), exclude=tuple(exclude), rules_dirs=tuple(rules_dir),
        config_path=config_path, no_config=no_config, strict=strict, show_source=show_source,
        color=_want_color(color, output), jobs=jobs, stdin_filename=stdin_filename, quiet=quiet, fix=fix,
        unsafe_fixes=unsafe_fixes, diff=show_diff, verbose=verbose,
        respect_gitignore=respect_gitignore, default_excludes=default_excludes, cache=not no_cache,
    )


class _Discard:
    """--diff prints diffs, not a report."""

    def add(self, file: str, findings: list) -> None:
        pass

    def close(self, summary) -> None:
        pass


def _is_an_input(output: str, targets: list) -> bool:
    """Whether the report file is one of the files to lint, under any name (same device and inode)."""
    try:
        info = os.stat(output)
    except OSError:
        return False  # a new file cannot be an input
    for target in targets:
        try:  # standard input may be the report file too (``- -o m.yaml < m.yaml``)
            other = os.fstat(sys.stdin.fileno()) if target.path == "-" else os.stat(target.path)
        except (OSError, ValueError, AttributeError):
            continue
        if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
            return True
    return False


def _print_skipped(name: str, reason: str) -> None:
    echo(f"{name}: skipped: {reason}", err=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _write_stdout(data: bytes | str) -> None:
    if isinstance(data, str):
        sys.stdout.write(data)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _tune_gc() -> None:
    """Collect cycles rarely: linting allocates millions of small acyclic objects (plain data from
    the loader), which reference counting frees; the cyclic collector's frequent passes over them
    cost 10-15% of a run. Objects alive at start-up are frozen out of those passes. A process
    setting, so it is made here and not in the library."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


class _Progress:
    """A one-line counter on stderr for long runs, only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        self.enabled = total >= PROGRESS_MIN_FILES and sys.stderr.isatty()

    def step(self, done: int, total: int) -> None:
        if self.enabled and done % 50 == 0:
            sys.stderr.write(f"\rjobcheck: {done}/{total} files")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 40 + "\r")
            sys.stderr.flush()


def _want_color(flag: bool | None, output: str | None) -> bool:
    if flag is not None:
        return flag
    if output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
