"""The fix transform: lint a stream, apply the fixes its rules allow, and hand back the new text.

``Fixer`` is what the driver calls for each input under ``--fix`` or ``--diff``. A file is
written only under --fix, only when a fix changed it, and only if nobody changed it since it
was read. Its encoding details (BOM, UTF-16, CRLF, final newline) are kept: edits work on the
decoded text and insert lines with the file's own line ending.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jobcheck.discover import STDIN
from jobcheck.finding import Finding
from jobcheck.fix.edits import FixError, apply_edit, plan
from jobcheck.fix.files import ChangedOnDisk, encode, split_encoding, unified_diff, write_atomic
from jobcheck.lint.engine import lint_stream
from jobcheck.lint.options import LintOptions
from jobcheck.yaml.loader import load_text


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
        try:
            edits = plan(finding, rule, docs.get(finding.document), params)  # a fixer may refuse: FixError
            if edits is None:
                outcome.skipped.append((finding, "no automatic fix for this case"))
                continue
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


def fix_stream(text: str, filename: str, options: LintOptions, unsafe: bool = False,
               partial: bool = False) -> FixOutcome:
    """Lint one stream and apply every fix the rules' fix safety allows (``partial``: a kustomize
    patch, never completed with what its base supplies)."""
    result = lint_stream(text, filename, options, partial=partial)
    todo = [f for f in result.findings if fixable(f, options, unsafe)]
    if not todo:
        return FixOutcome(text)
    return fix_findings(text, todo, options)


@dataclass
class FixNote:
    """What fixing one input did."""

    text: str | None  # the text to lint from here on: fixed, or as it was when nothing was written
    fixed: int = 0  # findings fixed in it
    changed: bool = False  # the fixes changed the input
    output: bytes | str | None = None  # for standard output: the fixed stdin stream, or the diff
    messages: list[str] = field(default_factory=list)  # fixable findings left alone, and why
    error: str | None = None  # the fixed file could not be written


@dataclass(frozen=True)
class Fixer:
    """The fix transform of one run: ``--fix`` writes (standard input goes to standard output),
    ``--diff`` only describes."""

    options: LintOptions
    write: bool  # --fix; otherwise --diff
    unsafe: bool = False

    def __call__(self, path: str, name: str, raw: bytes, text: str | None, partial: bool = False,
                 options: LintOptions | None = None) -> FixNote:
        """Fix one input read as ``raw`` and decoded as ``text`` (None: not text); ``partial``: a
        kustomize patch; ``options``: the file's own, when its configuration is not the run's."""
        if text is None:  # nothing to fix; standard input still passes through
            return FixNote(None, output=raw if self.write and path == STDIN else None)
        outcome = fix_stream(text, name, options or self.options, self.unsafe, partial)
        note = FixNote(text)
        note.messages = [f"{name}:{f.line}:{f.column}: {f.rule} not fixed: {why}"
                         for f, why in outcome.skipped if not why.startswith("no automatic fix")]
        bom, codec = split_encoding(raw)
        new_raw = encode(outcome.text, bom, codec) if outcome.text != text else raw
        if not self.write:
            if new_raw != raw:
                note.output = unified_diff(text, outcome.text, name)
                note.changed = True
        elif path == STDIN:
            note.output = new_raw
        elif new_raw != raw:
            try:
                write_atomic(path, raw, new_raw)
            except ChangedOnDisk:
                note.error = f"{name}: changed on disk while being fixed; not overwritten"
                return note
            except OSError as exc:
                note.error = f"{name}: cannot write the fixed file: {exc.strerror or exc}"
                return note
        note.text = outcome.text
        if outcome.fixed and outcome.text != text:
            note.fixed, note.changed = len(outcome.fixed), True
        return note
