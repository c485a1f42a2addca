"""The fix transform: lint a stream, apply the fixes its rules allow, and hand back the new text.

``Fixer`` is what the driver calls for each input under ``--fix`` or ``--diff``. A file is
written only under --fix, only when a fix changed it, and only if nobody changed it since it
was read. Its encoding details (BOM, UTF-16, CRLF, final newline) are kept: edits work on the
decoded text and insert lines with the file's own line ending.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import accumulate

from jobcheck.discover import STDIN
from jobcheck.finding import Finding
from jobcheck.fix.edits import Edit, FixError, apply_edit, apply_edits, indent_step, plan, same_types
from jobcheck.fix.files import ChangedOnDisk, Refused, encode, split_encoding, unified_diff, write_atomic
from jobcheck.lint.engine import lint_stream
from jobcheck.lint.options import LintOptions
from jobcheck.yaml.loader import SYNTAX, load_text

# Verifying an edit re-reads its document, so many edits in one long document (a List of
# thousands of Jobs) would cost the document's size times their number: a run re-reads at most
# this many times the stream (or the floor, for short streams) and leaves the rest for the next.
FIX_WORK_FACTOR = 64
FIX_WORK_FLOOR = 4 << 20
_SHARED = re.compile(r"(?:^|[:,\[{-])[ \t]*\*[^\s,\]}]|<<[ \t]*:", re.MULTILINE)  # an alias or a merge key
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


@dataclass
class FixOutcome:
    text: str  # the fixed stream
    fixed: list[Finding] = field(default_factory=list)
    skipped: list[tuple[Finding, str]] = field(default_factory=list)  # fixable, but not written, and why
    pieces: list[tuple[str, str]] | None = None  # (old, new) text of each document, for the diff


def fixable(finding: Finding, options: LintOptions, unsafe: bool) -> bool:
    """Whether --fix may repair this finding: its rule names a fixer and its fix_safety allows it."""
    rule = options.rules.get(finding.rule)
    if rule is None or rule.fixer is None:
        return False
    return rule.fix_safety == "safe" or (unsafe and rule.fix_safety == "unsafe")


def fix_findings(text: str, findings: list[Finding], options: LintOptions) -> FixOutcome:
    """Apply the fixers of ``findings`` (all assumed fixable) to ``text`` one edit at a time.

    Edits are written into their own document's text (from its first line to the next
    document's): all of a document's edits at once, verified by one re-reading, or when they
    cannot be written together, one at a time within a budget. So the work grows with the
    stream, not with its square; the whole new stream is then loaded once and must hold exactly
    the edited documents.
    """
    outcome = FixOutcome(text)
    if "\n" not in text and "\r" in text:  # classic Mac line ends: fixed as LF lines, written back as CR
        fixed = fix_findings(text.replace("\r", "\n"), findings, options)
        fixed.text, fixed.pieces = fixed.text.replace("\n", "\r"), None
        return fixed
    if _OTHER_BREAKS.search(text):
        # YAML counts these as line breaks, so the loader's line numbers are not the lines
        # the edits would be written into.
        outcome.skipped = [(f, "the file has line breaks other than LF and CRLF (a lone CR, NEL, LS or PS)")
                           for f in findings]
        return outcome
    docs = list(load_text(text))
    if any(p.kind == SYNTAX for d in docs for p in d.problems):
        outcome.skipped = [(f, "the stream has YAML errors") for f in findings]
        return outcome
    # Each document's piece of the text, from the start of its first line to the start of the
    # next document's: the pieces concatenate to the text exactly, empty documents included.
    offsets = [0]
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    offsets[-1] = len(text)
    starts = [0] + [min(max(d.line - 1, 0), len(offsets) - 1) for d in docs[1:]] + [len(offsets) - 1]
    bounds = [offsets[k] for k in accumulate(starts, max)]
    segments: dict[int, str] = {}  # edited documents' texts
    step = indent_step(text)
    budget = [max(FIX_WORK_FACTOR * len(text), FIX_WORK_FLOOR)]  # characters re-read to verify edits
    for index, planned in _plans(findings, docs, options, outcome).items():
        own = text[bounds[index]: bounds[index + 1]]
        batch = list({(e.document, e.mapping, e.key): replace(e, document=0) for _, edits in planned
                      for e in edits}.values())
        budget[0] -= 2 * len(own)
        # An alias or merge key can carry one edit into another place, which only a one-by-one
        # verification notices (the text test may see one where there is none: then it is slower).
        together = apply_edits(own, batch, step) if len(batch) > 1 and not _SHARED.search(own) else None
        if together is not None:
            segments[index] = together
            outcome.fixed += [f for f, _ in planned]
        elif batch:
            segments[index] = _one_by_one(own, planned, step, budget, outcome)
        else:
            outcome.fixed += [f for f, _ in planned]  # already as the fixers want it
    if not segments:
        return outcome
    pieces = []
    for index in range(len(docs)):
        own = text[bounds[index]: bounds[index + 1]]
        pieces.append((own, segments.get(index, own)))
    new = "".join(b for _, b in pieces)
    if not _same_documents(new, docs, segments):
        outcome.skipped += [(f, "the fixed documents would not read back the same in the whole stream")
                            for f in outcome.fixed]
        outcome.fixed = []
        return outcome
    outcome.text, outcome.pieces = new, pieces
    return outcome


def _plans(findings: list[Finding], docs: list, options: LintOptions,
           outcome: FixOutcome) -> dict[int, list[tuple[Finding, list[Edit]]]]:
    """Each document's findings with the edits their fixers plan; the others go to
    ``outcome.skipped`` with the reason."""
    plans: dict[int, list[tuple[Finding, list[Edit]]]] = {}
    for finding in findings:
        rule, params = options.rules[finding.rule], options.params.get(finding.rule, {})
        index = finding.document
        try:
            if not 0 <= index < len(docs):
                raise FixError("the document is gone")
            edits = plan(finding, rule, docs[index].data, params)  # a fixer may refuse: FixError
            if edits is None:
                outcome.skipped.append((finding, "no automatic fix for this case"))
                continue
            if any(e.document != index for e in edits):
                raise FixError("the fix would edit another document")
        except FixError as exc:
            outcome.skipped.append((finding, str(exc)))
            continue
        plans.setdefault(index, []).append((finding, edits))
    return plans


def _one_by_one(own: str, planned: list[tuple[Finding, list[Edit]]], step: int, budget: list[int],
                outcome: FixOutcome) -> str:
    """One document's edits written and verified one at a time, while the run's budget lasts."""
    done: set = set()
    for finding, edits in planned:
        try:
            for edit in edits:
                key = (edit.mapping, edit.key)
                if key in done:
                    continue
                budget[0] -= 2 * len(own)
                if budget[0] < 0:
                    raise FixError("not fixed in this run: each edit is verified by re-reading its document, and "
                                   "this long document has used the run's budget (run --fix again)")
                own = apply_edit(own, replace(edit, document=0), step)
                done.add(key)
        except FixError as exc:
            outcome.skipped.append((finding, str(exc)))
            continue
        outcome.fixed.append(finding)
    return own


def _same_documents(new: str, docs: list, segments: dict[int, str]) -> bool:
    """Whether ``new`` loads as ``docs`` with each edited document as its own text loads alone."""
    expected = [d.data for d in docs]
    for index, own in segments.items():
        expected[index] = next(iter(load_text(own))).data
    after = list(load_text(new))
    if any(p.kind == SYNTAX for d in after for p in d.problems) or len(after) != len(expected):
        return False
    return all(a.data == b and same_types(a.data, b) for a, b in zip(after, expected, strict=True))


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
                note.output = unified_diff(text, outcome.text, name, outcome.pieces)
                note.changed = True
        elif path == STDIN:
            note.output = new_raw
        elif new_raw != raw:
            try:
                write_atomic(path, raw, new_raw)
            except ChangedOnDisk:
                note.error = f"{name}: changed on disk while being fixed; not overwritten"
                return note
            except Refused as exc:
                note.error = f"{name}: not fixed: {exc}"
                return note
            except OSError as exc:
                note.error = f"{name}: cannot write the fixed file: {exc.strerror or exc}"
                return note
        note.text = outcome.text
        if outcome.fixed and outcome.text != text:
            note.fixed, note.changed = len(outcome.fixed), True
        return note
