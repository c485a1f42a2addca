"""The one driver: inputs → read once → (fix transform) → engine → report, file after file.

``run`` is the only loop over inputs; ``lint_input`` is what it does to each one, the same in
this process and in ``--jobs`` workers. The driver knows no command line: it takes the targets,
the options, an open report, an optional fix transform and callbacks for messages, standard
output and progress, and returns the totals the caller turns into an exit code.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator

from jobcheck.discover import STDIN, Target, read_bytes
from jobcheck.finding import Columns, Finding, Summary
from jobcheck.lint.engine import (
    FileResult,
    InternalError,
    internal_error,
    lint_file,
    lint_stream,
    undecodable_result,
)
from jobcheck.lint.options import LintOptions
from jobcheck.record import dataclass, field, replace
from jobcheck.report import Report
from jobcheck.report.escape import printable
from jobcheck.yaml.loader import decode
from jobcheck.yaml.prescan import names_batch, prescan_file

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from jobcheck.cache import Cache, Probe, Stored
    from jobcheck.fix.transform import FixNote
    from jobcheck.lint.cross import Records

MAX_TOLD_ERRORS = 5  # internal errors of one file told on the terminal (all are findings)
MAX_KEPT_ERRORS = 100  # internal errors kept in the totals of a run (all are counted)
MAX_CACHED_FINDINGS = 2000  # a file with more is not cached (its findings would be held until its end)

# A fix transform: (path, reported name, raw bytes, decoded text or None, partial: a kustomize
# patch) -> a note with the text to lint from then on (jobcheck.fix.transform.Fixer is the one
# jobcheck has).
Transform = Callable[[str, str, bytes, "str | None", bool, LintOptions], "FixNote"]


@dataclass
class Outcome:
    """What linting one input produced, and what the parent needs of it."""

    path: str  # as given ("-" for standard input)
    name: str  # as reported
    result: FileResult | None = None  # None: the input could not be read
    error: str | None = None  # why it could not be read
    lines: list[str] | None = None  # its lines, when it cannot be read again for code frames (stdin)
    fix: FixNote | None = None
    cached: tuple[str, str, dict] | None = None  # the cache entry a --jobs worker stored (Cache.keep)
    chunks: Iterable[Columns] = ()  # a stored result's findings (jobcheck.cache.Stored), read as reported
    stored: Stored | None = None  # the stored result it is


@dataclass
class Totals:
    """A run's counts, the summary included."""

    summary: Summary = field(default_factory=Summary)
    fixed: int = 0  # findings fixed
    fixed_files: int = 0
    changed: bool = False  # some fix changed an input
    internal_errors: list[InternalError] = field(default_factory=list)  # bugs met, each contained to its file


class SourceLines:
    """Source lines for code frames: files are read again from disk (the last one kept), and
    texts that cannot be read again (standard input) are kept whole."""

    def __init__(self) -> None:
        self.kept: dict[str, list[str]] = {}
        self.last: tuple[str, list[str] | None] | None = None

    def keep(self, name: str, lines: list[str]) -> None:
        self.kept[name] = lines

    def __call__(self, file: str) -> list[str] | None:
        if file in self.kept:
            return self.kept[file]
        if self.last is None or self.last[0] != file:
            try:
                with open(file, encoding="utf-8-sig") as fh:  # Path.read_text, without pathlib
                    lines = fh.read().splitlines()
            except (OSError, UnicodeDecodeError):
                lines = None
            self.last = (file, lines)
        return self.last[1]


def lint_input(target: Target, options: LintOptions, stdin_name: str = "<stdin>",
               transform: Transform | None = None, sink: Callable[[list[Finding]], None] | None = None,
               sources: SourceLines | None = None) -> Outcome:
    """Read one input once and lint it, after the fix transform when there is one.

    A regular UTF-8 file without a transform is parsed as it is read, never held whole. With
    ``sink`` the findings go to it document by document instead of into the result.

    This is the input's boundary: whatever raises here (the pre-scan, decoding, a fixer, the
    engine outside a document) becomes the input's internal-error finding, never the run's end.
    The engine contains what a check or a document raises itself (jobcheck.lint.engine).
    """
    name = stdin_name if target.path == STDIN else target.path
    outcome = Outcome(target.path, name)
    try:
        return _lint_input(outcome, target, options, transform, sink, sources)
    except Exception as exc:
        if os.environ.get("JOBCHECK_DEBUG"):
            raise
        return _failed(outcome, options, internal_error(name, exc, "the driver"))


def _failed(outcome: Outcome, options: LintOptions, error: InternalError) -> Outcome:
    """``outcome`` for an input that raised: only its internal-error finding, nothing written."""
    outcome.result = FileResult(linted=1)
    outcome.result.contain(error, options, "this file was not linted")
    outcome.error = None
    return outcome


def _lint_input(outcome: Outcome, target: Target, options: LintOptions, transform: Transform | None,
                sink: Callable[[list[Finding]], None] | None, sources: SourceLines | None) -> Outcome:
    name = outcome.name
    if target.error:
        outcome.error = target.error
        return outcome
    # Standard input, or a FIFO or device named on the command line: read once, never reopened.
    stream = target.path == STDIN or not (target.regular or os.path.isfile(target.path))
    try:
        if not stream and transform is None:
            # Unbuffered: most files are read whole by the pre-scan's one read, and a buffer costs
            # an ioctl and an lseek per file; a larger one is parsed through a buffer.
            with open(target.path, "rb", buffering=0) as raw:
                scan = prescan_file(raw)
                if scan is not None and scan.problem is not None:
                    outcome.result = undecodable_result(scan.problem, name, options, scan.names_batch)
                    return outcome
                if scan is not None:
                    handle = raw if scan.whole is not None else io.BufferedReader(raw)
                    outcome.result = lint_file(handle, scan, name, options, sink, target.partial)
                    return outcome
        raw = read_bytes(target.path)  # standard input, UTF-16, or a file to fix: read whole
    except IsADirectoryError:
        outcome.error = "is a directory"
        return outcome
    except OSError as exc:
        outcome.error = exc.strerror or str(exc)
        return outcome
    text, problem = decode(raw)
    meant = text is not None or names_batch(raw.decode("utf-8", "replace"))
    failed_fix: InternalError | None = None
    if transform is not None:
        try:
            outcome.fix = transform(target.path, name, raw, text, target.partial, options)
        except Exception as exc:  # a fixer's bug: the input is left as it is, and linted as it is
            if os.environ.get("JOBCHECK_DEBUG"):
                raise
            failed_fix = internal_error(name, exc, "a fixer")
            # Standard input under --fix is passed through, as when nothing is fixed.
            from jobcheck.fix.transform import FixNote

            passed = raw if target.path == STDIN and getattr(transform, "write", False) else None
            outcome.fix = FixNote(text, output=passed)
        text = outcome.fix.text
    del raw  # the decoded text is all that is needed from here on
    if text is None:
        outcome.result = undecodable_result(problem, name, options, meant)
    else:
        if stream and sources is not None:  # kept before linting: a streamed report shows its code frames at once
            outcome.lines = text.splitlines()
            sources.keep(name, outcome.lines)
        outcome.result = lint_stream(text, name, options, sink, target.partial)
    if failed_fix is not None:
        outcome.result.contain(failed_fix, options, "the file was not fixed (it is left unchanged)")
    return outcome


def options_for(path: str, memo: dict | None = None) -> LintOptions | None:
    """The options ``jobcheck lint`` lints the file at ``path`` with when the command line adds
    nothing: those of the configuration nearest above it (``.jobcheck.yaml`` or
    ``[tool.jobcheck]``), else the defaults. Returns None when that configuration's ``exclude``
    leaves the file out. ``memo`` (config file or None -> (config, options)) keeps options built
    once; raises ``ConfigError``, ``RuleError``, ``SelectionError`` or ValueError as ``lint`` does."""
    from jobcheck.config import Config, find_config, load_config
    from jobcheck.discover import excluded
    from jobcheck.lint.options import build_options

    memo = {} if memo is None else memo
    found = find_config(os.path.dirname(os.path.abspath(path)))
    key = os.path.realpath(found) if found is not None else None
    if key not in memo:
        from pathlib import Path  # a configuration was found (start-up: pathlib costs ~4 ms)

        config = load_config(Path(key)) if key else Config()
        memo[key] = (config, build_options(config))
    config, options = memo[key]
    if key and config.exclude and excluded(os.path.relpath(os.path.abspath(path), os.path.dirname(key)), config.exclude):
        return None
    return options


def lint_text(text: str, name: str, options: LintOptions, partial: bool = False) -> FileResult:
    """Lint a document held in memory (an editor's buffer) as ``jobcheck lint -`` lints standard
    input, reported under ``name``; returns the file's result, findings sorted. An internal error
    is contained to the text, as ``lint_input`` contains it to its input."""
    outcome = Outcome(name, name)
    try:
        return lint_stream(text, name, options, partial=partial)
    except Exception as exc:
        if os.environ.get("JOBCHECK_DEBUG"):
            raise
        return _failed(outcome, options, internal_error(name, exc, "the driver")).result


def lint_cached(target: Target, options: LintOptions, cache: Cache, stdin_name: str = "<stdin>",
                sink: Callable[[list[Finding]], None] | None = None, sources: SourceLines | None = None,
                probe: Probe | None = None) -> Outcome:
    """``lint_input`` through the result cache: an unchanged regular file linted before under the
    same settings gets its stored result (all its findings at once, in the order the report would
    have had them); another is linted, its findings collected on their way to ``sink``, and stored.
    With ``probe``, the entry was looked up already and missed: the file is linted and stored.
    Standard input, FIFOs and fixes never come here (``_cacheable``)."""
    name = target.path
    if probe is None:
        probe = cache.probe(target.path, name, target.partial, options)
        if probe is not None:
            hit = cache.load(probe, options)
            if hit is not None:
                return Outcome(target.path, name, result=hit.result, chunks=hit.chunks, stored=hit)
    found: list[Finding] | None = []
    spill = None

    def collect(findings: list[Finding]) -> None:
        nonlocal found, spill
        if found is not None:
            found.extend(findings)
            if len(found) > MAX_CACHED_FINDINGS:
                # A long stream's findings are not held (its memory stays flat): they go to a stream
                # file of the cache as they come, or, when it cannot be written, it is not kept.
                if spill is None and probe is not None:
                    spill = cache.spill(probe, options)
                found = [] if spill is not None and spill.add(found) else None
        if sink is not None:
            sink(findings)

    outcome = lint_input(target, options, stdin_name, None, collect, sources)
    if probe is not None and outcome.result is not None and found is not None:
        outcome.cached = cache.store(probe, target.path, name, options, outcome.result,
                                     found + outcome.result.findings, spill)
    elif spill is not None:
        spill.discard()
    return outcome


def _cacheable(target: Target, transform: Transform | None, cache: Cache | None) -> bool:
    return cache is not None and transform is None and target.path != STDIN and not target.error


@dataclass(frozen=True)
class FileOptions:
    """The options each input is linted with: ``default``, or for the paths in ``by_path`` those
    of the configuration nearest above them (as ruff does)."""

    default: LintOptions
    by_path: dict[str, LintOptions] = field(default_factory=dict)

    def __call__(self, target: Target) -> LintOptions:
        return self.by_path.get(target.path, self.default) if self.by_path else self.default


def run(targets: list[Target], options: LintOptions | FileOptions, report: Report, *, stdin_name: str = "<stdin>",
        transform: Transform | None = None, jobs: int = 1, sources: SourceLines | None = None,
        message: Callable[[str], None] = lambda _: None, output: Callable[[bytes | str], None] = lambda _: None,
        progress: Callable[[int, int], None] | None = None,
        skipped: Callable[[str, str], None] | None = None, verbose: bool = False,
        cache: Cache | None = None) -> Totals:
    """Lint every target into ``report`` and close it; return the totals.

    With ``cache`` (``jobcheck.cache``), regular files go through it (``lint_cached``); the report
    does not tell a stored result from a fresh one.

    ``message`` gets each line for the user's terminal (unreadable inputs, fixes left alone,
    internal errors, with their tracebacks when ``verbose``), ``output`` what a fix puts on
    standard output, ``progress`` (done, total), ``skipped`` (name, reason) for each input in
    which nothing was linted.
    """
    totals = Totals()
    summary = totals.summary
    pick = options if isinstance(options, FileOptions) else FileOptions(options)
    told = message

    def message(text: str) -> None:  # names and values from inputs reach a terminal: escaped
        told("\n".join(printable(line) for line in text.split("\n")))

    if skipped is not None:
        skip = skipped

        def skipped(name: str, reason: str) -> None:
            skip(printable(name), printable(reason))

    def add(name: str, findings: list[Finding]) -> None:
        summary.add_all(findings)
        report.add(name, findings)

    add_columns = getattr(report, "add_columns", None)  # a report that writes stored columns as they are
    add_json = getattr(report, "add_json", None)  # and the text it wrote of them before (the JSON report)
    take = getattr(report, "take", None) if cache is not None else None
    if take is not None:
        report.record()  # what it writes of each file is kept with the file's entry (Cache.keep_json)

    def add_stored(name: str, columns: Columns) -> None:
        summary.add_columns(columns)
        if add_columns is not None:
            add_columns(name, columns)
        else:
            report.add(name, columns.findings())

    gathered: list[tuple[str, Records, list[dict]]] = []  # for the cross-object rules, in input order
    for done, outcome in enumerate(_outcomes(targets, pick, stdin_name, transform, jobs, add, sources, cache), 1):
        if progress is not None:
            progress(done, len(targets))
        note = outcome.fix
        if note is not None:
            for line in note.messages:
                message(line)
            if note.output is not None:
                output(note.output)
            if note.error:
                summary.io_errors += 1
                message(note.error)
            totals.fixed += note.fixed
            totals.fixed_files += bool(note.fixed)
            totals.changed = totals.changed or note.changed
        if outcome.result is None:
            summary.io_errors += 1
            message(f"{outcome.path}: {outcome.error}")
            if take is not None:
                take()
            continue
        result = outcome.result
        summary.files += 1
        summary.documents += result.documents
        summary.jobs += result.jobs
        summary.cronjobs += result.cronjobs
        summary.skipped += result.skipped
        _tell_internal_errors(result, totals, message, verbose)
        if skipped is not None and not result.linted:
            skipped(outcome.name, skip_reason(result))
        if sources is not None and outcome.lines is not None:
            sources.keep(outcome.name, outcome.lines)
        stored = outcome.stored
        text = cache.json_text(stored) if stored is not None and add_json is not None and cache is not None else None
        if text is not None:  # as the JSON report wrote it the last time
            for columns in outcome.chunks:
                summary.add_columns(columns)
            add_json(outcome.name, text)
        else:
            for columns in outcome.chunks:  # a stored result's, chunk by chunk
                add_stored(outcome.name, columns)
        add(outcome.name, result.findings)  # empty when they went to the report as they came
        if result.cross or result.deferred:
            gathered.append((outcome.name, result.cross, result.deferred))
        written = take() if take is not None else None
        if outcome.cached is not None and cache is not None:
            cache.keep(*outcome.cached, written)  # a worker's entry, written by the parent with the rest
        elif written and stored is not None and text is None:
            cache.keep_json(stored, written)
    if gathered:  # the cross-object rules judge every file's summaries once, after the last file
        if take is not None:
            report.record(False)  # their findings belong to no file's entry (up to MAX_TAKEN held for nothing)
        _finish_cross(gathered, pick.default, add, totals, message, verbose,
                      cache.memo() if cache is not None else None)
    report.close(summary)
    if cache is not None:
        cache.save()  # once, after the report
    return totals


def _finish_cross(gathered: list[tuple[str, Records, list[dict]]], options: LintOptions,
                  add: Callable[[str, list[Finding]], None], totals: Totals, message: Callable[[str], None],
                  verbose: bool, memo: dict | None) -> None:
    """Report the cross-object rules' findings; a bug in them is contained as any other (an
    internal-error finding on the first file that took part, exit code 2), never the run's end."""
    from jobcheck.lint.cross import finish

    try:
        for name, findings in finish(gathered, options, memo):  # chunk by chunk, as they are made
            add(name, findings)
    except Exception as exc:
        if os.environ.get("JOBCHECK_DEBUG"):
            raise
        name = gathered[0][0]
        failed = FileResult()
        failed.contain(internal_error(name, exc, "the rules that see every object"), options,
                       "they were not all checked")
        add(name, failed.findings)
        _tell_internal_errors(failed, totals, message, verbose)


def _tell_internal_errors(result: FileResult, totals: Totals, message: Callable[[str], None], verbose: bool) -> None:
    """Count a file's internal errors and tell the terminal (their findings may be in a report
    file, or nowhere under --diff); a file that fails on every object gets a few lines, not one each."""
    errors = result.internal_errors
    if not errors:
        return
    totals.summary.internal_errors += result.internal_error_count
    for error in errors:
        if len(totals.internal_errors) < MAX_KEPT_ERRORS:
            totals.internal_errors.append(error)
    for error in errors[:MAX_TOLD_ERRORS]:
        message(f"{error}: internal error (a bug of jobcheck: please report it)")
        if verbose and error.traceback:
            message(error.traceback.rstrip("\n"))
    more = result.internal_error_count - min(len(errors), MAX_TOLD_ERRORS)
    if more:
        message(f"{errors[0].file}: {more} more internal error{'s' * (more > 1)}")


def skip_reason(result: FileResult) -> str:
    """Why nothing of an input was linted, in a few words."""
    if not result.skips:
        return "no documents"
    more = len(result.skips) - 1
    return result.skips[0] + (f" (and {more} more document{'s' * (more > 1)} not linted)" if more else "")


def _outcomes(targets: list[Target], options: FileOptions, stdin_name: str, transform: Transform | None,
              jobs: int, add: Callable[[str, list[Finding]], None], sources: SourceLines | None,
              cache: Cache | None = None) -> Iterator[Outcome]:
    if jobs <= 1 or len(targets) < 2:
        for target in targets:
            name = stdin_name if target.path == STDIN else target.path
            sink = lambda found, name=name: add(name, found)  # noqa: E731
            if _cacheable(target, transform, cache):
                yield lint_cached(target, options(target), cache, stdin_name, sink, sources)
            else:
                yield lint_input(target, options(target), stdin_name, transform, sink, sources)
        return
    if cache is None or transform is not None:
        yield from _parallel(targets, options, stdin_name, transform, jobs, sources is not None)
        return
    # The parent looks every file up (a stat, its bytes hashed only when the stat changed): the
    # stored results are decoded one by one as their turn comes (never all held), and only the
    # rest go to workers, which send their entries back with their outcomes.
    stored: dict[int, Probe] = {}
    misses: list[Target] = []
    probes: list[Probe | None] = []
    for i, target in enumerate(targets):
        probe = None
        if _cacheable(target, transform, cache):
            probe = cache.probe(target.path, target.path, target.partial, options(target))
            if probe is not None and probe.entry is not None:
                stored[i] = probe
                continue
        misses.append(target)
        probes.append(probe)
    if len(misses) > 1:
        linted = _parallel(misses, options, stdin_name, transform, jobs, sources is not None, cache, probes)
    else:  # not worth a pool
        _init_worker(options, stdin_name, transform, sources is not None, cache)
        linted = (_worker((t, p)) for t, p in zip(misses, probes, strict=True))
    for i, target in enumerate(targets):
        if i not in stored:
            yield next(linted)
            continue
        probe = stored.pop(i)
        hit = cache.load(probe, options(target))
        if hit is not None:
            yield Outcome(target.path, target.path, result=hit.result, chunks=hit.chunks, stored=hit)
        else:  # an entry that does not read back: linted here, and stored again
            _init_worker(options, stdin_name, transform, sources is not None, cache)
            yield _worker((target, replace(probe, entry=None)))


def _parallel(targets: list[Target], options: FileOptions, stdin_name: str, transform: Transform | None,
              jobs: int, keep_lines: bool = False, cache: Cache | None = None,
              probes: list[Probe | None] | None = None) -> Iterator[Outcome]:
    """The outcomes of ``--jobs N`` workers, in input order.

    The inputs go out in batches of about the same size in bytes (``_batches``), the largest files
    first, and an idle worker takes the next batch: no worker sits idle while another still has a
    queue of its own. The parent only puts the outcomes back in input order and reports them.

    A worker contains what raises on its inputs (``lint_input``); what fails around it (a worker
    that dies, an outcome that does not come back) becomes an internal-error outcome of the inputs
    it had, and a broken pool is replaced for the inputs still to come."""
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    batches = _batches(targets, jobs)
    workers = min(jobs, len(batches))
    of_index = {i: b for b, batch in enumerate(batches) for i in batch}

    def pool_of(n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=n, mp_context=_fork_context(), initializer=_init_worker,
                                   initargs=(options, stdin_name, transform, keep_lines, cache))

    def failed(target: Target, exc: BaseException) -> Outcome:
        name = stdin_name if target.path == STDIN else target.path
        return _failed(Outcome(target.path, name), options(target), internal_error(name, exc, "a worker process"))

    def alone(target: Target) -> Outcome:
        """One input in a pool of its own: when a pool broke, this tells which input broke it."""
        with pool_of(1) as single:
            try:
                return single.submit(_worker_chunk, [(target, None)]).result()[0]
            except Exception as exc:
                return failed(target, exc)

    def submit(numbers: list[int]) -> dict[int, Future]:
        return {b: pool.submit(_worker_chunk, [(targets[i], probes[i] if probes else None) for i in batches[b]])
                for b in numbers}

    pool = pool_of(workers)
    futures = submit(list(range(len(batches))))
    ready: dict[int, Outcome] = {}  # outcomes that came back before their turn
    try:
        for i in range(len(targets)):
            if i not in ready:
                b = of_index[i]
                batch = batches[b]
                try:
                    outcomes = futures.pop(b).result()
                except BrokenProcessPool:
                    # A worker died (a crash, a signal, os._exit): every input in flight lost its
                    # outcome. Those of this batch run again one by one, the rest in a new pool
                    # (the batches that came back whole are kept).
                    pool.shutdown(wait=False, cancel_futures=True)
                    outcomes = [alone(targets[j]) for j in batch]
                    lost = [n for n, f in futures.items() if not f.done() or f.cancelled() or f.exception() is not None]
                    pool = pool_of(workers)
                    futures.update(submit(lost))
                except Exception as exc:  # an outcome that did not come back (pickling)
                    outcomes = [failed(targets[j], exc) for j in batch]
                ready.update(zip(batch, outcomes, strict=True))
            yield ready.pop(i)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


FIXED_COST = 4096  # what one input costs besides its bytes (opening, the pre-scan, the engine), in bytes


def _batches(targets: list[Target], jobs: int) -> list[list[int]]:
    """The targets' indexes in batches of about 1/(32 x jobs) of the run's bytes each, largest
    first: a file larger than that is a batch of its own, and those go first, largest first (none
    is left to hold up the end of the run); the smaller files follow in input order, grouped so a
    batch amortizes the cost of sending it. Sizes are only read, never the files."""
    sizes = [_size(t) + FIXED_COST for t in targets]
    budget = max(1, sum(sizes) // (jobs * 32))
    large = sorted((i for i, size in enumerate(sizes) if size >= budget), key=lambda i: (-sizes[i], i))
    batches = [[i] for i in large]
    batch: list[int] = []
    weight = 0
    taken = set(large)
    for i, size in enumerate(sizes):
        if i in taken:
            continue
        if batch and weight + size > budget:
            batches.append(batch)
            batch, weight = [], 0
        batch.append(i)
        weight += size
    if batch:
        batches.append(batch)
    return batches


def _size(target: Target) -> int:
    if target.path == STDIN or target.error:
        return 0
    try:
        return os.stat(target.path).st_size
    except OSError:
        return 0


def _fork_context():
    """Workers forked on Linux start with everything the parent imported (no re-import, no
    pickled options): safe while the parent runs one thread. Elsewhere, the platform's default."""
    import sys
    import threading

    if sys.platform == "linux" and threading.active_count() == 1:
        import multiprocessing

        return multiprocessing.get_context("fork")
    return None


_WORKER: list = []


def _init_worker(options: FileOptions, stdin_name: str, transform: Transform | None, keep_lines: bool = False,
                 cache: Cache | None = None) -> None:
    _WORKER[:] = [options, stdin_name, transform, keep_lines, cache]


def _worker_chunk(items: list[tuple[Target, Probe | None]]) -> list[Outcome]:
    return [_worker(item) for item in items]


def _worker(item: tuple[Target, Probe | None]) -> Outcome:
    """``lint_input`` as ``run`` calls it in process: findings come document by document, in the
    order the report gets them from ``--jobs 1`` (a document's unused suppressions after its other
    findings), then whatever the result holds itself (an undecodable file's one problem)."""
    options, stdin_name, transform, keep_lines, cache = _WORKER
    target, probe = item
    found: list[Finding] = []
    # A stream's lines come back with the outcome for --show-source (the parent cannot reread it).
    sources = SourceLines() if keep_lines else None
    if probe is not None and cache is not None:  # looked up by the parent, and missed
        outcome = lint_cached(target, options(target), cache, stdin_name, found.extend, sources, probe)
    else:
        outcome = lint_input(target, options(target), stdin_name, transform, found.extend, sources)
    if outcome.result is not None:
        found += outcome.result.findings
        outcome.result.findings = found
    return outcome
