"""``jobcheck lint --fix`` / ``--diff``: lint, apply the fixers, write atomically or print a diff.

A file is written only under --fix, only when a fix changed it, and only if nobody changed it
since it was read. Its encoding details (BOM, UTF-16, CRLF, final newline) are kept: edits work
on the decoded text and insert lines with the file's own line ending.
"""

from __future__ import annotations

import difflib
import os
import stat
import sys
import tempfile
from dataclasses import dataclass, field

import click

from jobcheck.config import Config
from jobcheck.discover import STDIN, expand, read_bytes
from jobcheck.finding import Finding, Summary
from jobcheck.fix.edits import FixError, apply_edit, plan
from jobcheck.lint.engine import FileResult, LintOptions, lint_stream, undecodable_result
from jobcheck.run import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, LintRequest, fails, report
from jobcheck.yaml.loader import decode, load_text

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass
class FixOutcome:
    text: str  # the fixed stream
    fixed: list[Finding] = field(default_factory=list)
    skipped: list[tuple[Finding, str]] = field(default_factory=list)  # fixable, but not written, and why


def fixable(finding: Finding, options: LintOptions, unsafe: bool) -> bool:
    """Whether --fix may repair this finding: its rule names a fixer and its fix_safety allows it."""
    rule = options.rules.get(finding.rule)
    if rule is None or rule.fixer is None:
        return False
    return rule.fix_safety == "safe" or (unsafe and rule.fix_safety == "unsafe")


def fix_findings(text: str, findings: list[Finding], options: LintOptions) -> FixOutcome:
    """Apply the fixers of ``findings`` (all assumed fixable) to ``text`` one edit at a time."""
    outcome = FixOutcome(text)
    docs = {d.index: d.data for d in load_text(text)}
    done: set = set()
    for finding in findings:
        rule, params = options.rules[finding.rule], options.params.get(finding.rule, {})
        edits = plan(finding, rule, docs.get(finding.document), params)
        if edits is None:
            outcome.skipped.append((finding, "no automatic fix for this case"))
            continue
        try:
            for edit in edits:
                key = (edit.document, edit.mapping, edit.key)
                if key not in done:
                    outcome.text = apply_edit(outcome.text, edit)
                    done.add(key)
        except FixError as exc:
            outcome.skipped.append((finding, str(exc)))
            continue
        outcome.fixed.append(finding)
    return outcome


def fix_stream(text: str, filename: str, options: LintOptions, unsafe: bool = False) -> FixOutcome:
    """Lint one stream and apply every fix the rules' fix safety allows."""
    result = lint_stream(text, filename, options)
    todo = [f for f in result.findings if fixable(f, options, unsafe)]
    if not todo:
        return FixOutcome(text)
    return fix_findings(text, todo, options)


# --- bytes ------------------------------------------------------------------------------------------

def split_encoding(raw: bytes) -> tuple[bytes, str]:
    """The BOM (or b"") and the codec to write the text back exactly as it was encoded."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return bom, codec
    return b"", "utf-8"


def encode(text: str, bom: bytes, codec: str) -> bytes:
    return bom + text.encode(codec)


class ChangedOnDisk(Exception):
    """The file changed between reading and writing; it was left alone."""


def write_atomic(path: str, expected: bytes, data: bytes) -> None:
    """Replace ``path`` with ``data`` via a temporary file in the same directory, keeping the mode.

    Raises ChangedOnDisk (and writes nothing) if the file no longer holds ``expected``.
    """
    real = os.path.realpath(path)  # replace a symlink's target, not the link
    info = os.stat(real)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(real), prefix=f".{os.path.basename(real)}.", suffix=".jobcheck")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        with open(real, "rb") as handle:
            if handle.read() != expected:
                raise ChangedOnDisk(path)
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def unified_diff(old: str, new: str, name: str) -> str:
    """A ``git diff``-style unified diff, ``\\ No newline at end of file`` included."""
    def lines(text: str) -> list[str]:
        parts = text.split("\n")
        return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])

    label = name[2:] if name.startswith("./") else name
    out = []
    for line in difflib.unified_diff(lines(old), lines(new), f"a/{label.lstrip('/')}", f"b/{label.lstrip('/')}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


# --- the command ------------------------------------------------------------------------------------

def _err(message: str) -> None:
    click.echo(f"jobcheck: {message}", err=True)


def run_fix(request: LintRequest, config: Config, options: LintOptions) -> int:
    """--fix or --diff over every target; returns the exit code."""
    summary = Summary()
    findings: list[Finding] = []
    files: list[str] = []
    fixed_count = fixed_files = 0
    changed = False
    stdin_fixed = False
    for target in expand(request.paths, config.exclude):
        name = request.stdin_filename if target.path == STDIN else target.path
        try:
            if target.error:
                raise OSError(target.error)
            raw = read_bytes(target.path)
        except IsADirectoryError:
            summary.io_errors += 1
            _err(f"{target.path}: is a directory")
            continue
        except OSError as exc:
            summary.io_errors += 1
            _err(f"{target.path}: {exc.strerror or exc}")
            continue
        text, problem = decode(raw)
        if text is None:
            result = undecodable_result(problem, name, options)
            if target.path == STDIN and request.fix:
                _write_stdout(raw)
                stdin_fixed = True
        else:
            outcome = fix_stream(text, name, options, request.unsafe_fixes)
            for finding, why in outcome.skipped:
                if not why.startswith("no automatic fix"):
                    _err(f"{name}:{finding.line}:{finding.column}: {finding.rule} not fixed: {why}")
            bom, codec = split_encoding(raw)
            new_raw = encode(outcome.text, bom, codec) if outcome.text != text else raw
            if request.diff:
                if new_raw != raw:
                    sys.stdout.write(unified_diff(text, outcome.text, name))
                    changed = True
            elif target.path == STDIN:
                _write_stdout(new_raw)
                stdin_fixed = True
            elif new_raw != raw:
                try:
                    write_atomic(target.path, raw, new_raw)
                except ChangedOnDisk:
                    _err(f"{name}: changed on disk while being fixed; not overwritten")
                    summary.io_errors += 1
                    outcome = FixOutcome(text)
                except OSError as exc:
                    _err(f"{name}: cannot write the fixed file: {exc.strerror or exc}")
                    summary.io_errors += 1
                    outcome = FixOutcome(text)
            if outcome.fixed and outcome.text != text:
                fixed_count += len(outcome.fixed)
                fixed_files += 1
            result = lint_stream(outcome.text, name, options)
        files.append(name)
        _count(summary, result)
        findings.extend(result.findings)
    if request.diff:
        if not request.quiet:
            click.echo(f"Would fix {_plural(fixed_count, 'finding')} in {_plural(fixed_files, 'file')}", err=True)
        return EXIT_USAGE if summary.io_errors else (EXIT_FINDINGS if changed else EXIT_CLEAN)
    findings.sort()
    for finding in findings:
        summary.add(finding)
    if stdin_fixed:  # stdout carries the fixed stream; the report goes to stderr
        report(request, findings, summary, options, files, {}, stream=sys.stderr)
    else:
        report(request, findings, summary, options, files, {})
    if not request.quiet:
        click.echo(f"Fixed {_plural(fixed_count, 'finding')} in {_plural(fixed_files, 'file')}", err=True)
    if summary.io_errors:
        return EXIT_USAGE
    return EXIT_FINDINGS if fails(findings, config.fail_on or "warning") else EXIT_CLEAN


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _count(summary: Summary, result: FileResult) -> None:
    summary.files += 1
    summary.documents += result.documents
    summary.jobs += result.jobs
    summary.cronjobs += result.cronjobs
    summary.skipped += result.skipped


def _write_stdout(data: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
