"""Run every registered check over each Job and CronJob of a stream and turn hits into findings.

Per document: its loading problems (reported by the rules whose check names their kind), then
per object the object checks in the registry's stage order (gate, schema, api, catalog; within
a stage by id). Two interactions are declared by the rules, not here: a hit from a gate check
ends the object, and a rule's ``hides`` drops the listed rules' hits at the places it reports.
Then the object's annotation and the file's comment suppressions, and the unused ones.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import timezone
from functools import lru_cache

from jobcheck import redact
from jobcheck.finding import Finding, Hit, Severity, finding_order, format_path
from jobcheck.kube.objects import Workload, get_in, is_batch_object, is_kube_object, iter_objects
from jobcheck.lint import cross, suppress
from jobcheck.lint.options import LintOptions, build_options, default_options
from jobcheck.record import dataclass, field
from jobcheck.rulemeta import Rule
from jobcheck.yaml.loader import HELM_TEMPLATE, ITEM, SYNTAX, Document, Problem, load_file, load_text
from jobcheck.yaml.positions import Positions
from jobcheck.yaml.prescan import Prescan, prescan_text, sources_by_line

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from datetime import datetime
    from typing import BinaryIO

# The loading-problem kind of the rule that reports a bug of jobcheck met on a file
# (rules/JC006-internal-error.yaml): a check, the loader or a fixer raised.
INTERNAL_ERROR = "internal-error"
MAX_KEPT_ERRORS = 10  # internal errors of one file kept with their tracebacks


@dataclass
class InternalError:
    """A bug of jobcheck met on one file: contained there, reported, exit code 2."""

    file: str
    reason: str  # one line: the exception's type and where it was raised, never a value
    traceback: str  # the whole traceback, for --verbose

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


def internal_error(file: str, exc: BaseException, stage: str) -> InternalError:
    """Describe ``exc`` raised by ``stage`` (a rule, the loader, a fixer) on ``file``.

    The reason names the exception's type, the stage and the innermost jobcheck function it
    came from; never its message, which may quote a manifest's value (a secret, a control
    character, a 5,000-digit number)."""
    import traceback  # only an internal error needs it (start-up time)

    where = ""
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        module = frame.f_globals.get("__name__", "")
        if module == "jobcheck" or module.startswith("jobcheck."):
            where = f"{module}:{frame.f_code.co_name}"
    reason = f"{type(exc).__name__} in {stage}" + (f" ({where})" if where else "")
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return InternalError(file, reason, text)


def _debugging() -> bool:
    """JOBCHECK_DEBUG=1: let internal errors raise (tests and bug hunts want the traceback)."""
    return bool(os.environ.get("JOBCHECK_DEBUG"))


@dataclass
class FileResult:
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0
    jobs: int = 0
    cronjobs: int = 0
    skipped: int = 0
    # Why documents were left alone (not a Kubernetes object, an unparseable non-manifest,
    # an object of another kind), one entry per document, for --verbose.
    skips: list[str] = field(default_factory=list)
    linted: int = 0  # Jobs and CronJobs plus documents reported on
    # Bugs of jobcheck met on this file (the first MAX_KEPT_ERRORS with their tracebacks; each one
    # is also the internal-error rule's finding) and how many there were.
    internal_errors: list[InternalError] = field(default_factory=list)
    internal_error_count: int = 0
    # What the selected cross-object rules collected of its objects, and the suppressions only their
    # findings could use (jobcheck.lint.cross): JSON values, judged once all files are linted.
    cross: cross.Records = field(default_factory=cross.Records)
    deferred: list[dict] = field(default_factory=list)
    # Per rule, the earliest ``Hit.holds_until`` of its findings, as its UTC minute ("YYYY-MM-DDTHH:MM",
    # rounded down): until when what they say of the clock holds (the result cache keeps a file's
    # dated findings that long). Text: a time zone read from a file does not pickle (--jobs).
    horizons: dict[str, str] = field(default_factory=dict)

    def hold(self, rid: str, until: datetime) -> None:
        """Note that a finding of ``rid`` holds until ``until`` (aware)."""
        minute = until.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M")
        self.horizons[rid] = min(self.horizons.get(rid, minute), minute)

    def keep(self, error: InternalError) -> None:
        """Count ``error``; keep it (a file failing on every object would hold a traceback each)."""
        self.internal_error_count += 1
        if len(self.internal_errors) < MAX_KEPT_ERRORS:
            self.internal_errors.append(error)

    def contain(self, error: InternalError, options: LintOptions, consequence: str, line: int = 1,
                column: int = 1, document: int = 0) -> None:
        """Record ``error`` and report it as the internal-error rule's finding at ``line``."""
        self.keep(error)
        rid = options.problem_rules.get(INTERNAL_ERROR)
        if rid is not None:
            self.findings.append(_finding(options, rid, error.file, line, column, line, column + 1,
                                          internal_error_message(error, consequence), document=document))


def internal_error_message(error: InternalError, consequence: str) -> str:
    """The internal-error finding's message: what failed, what was not done, what to do."""
    return f"internal error: {error.reason}; {consequence} (a bug of jobcheck: please report it; " \
           "--verbose shows the traceback)"


def lint_text(
    text: str,
    filename: str = "<string>",
    options: LintOptions | None = None,
    kubernetes_version: str | None = None,
) -> list[Finding]:
    """Lint one stream and return its findings, sorted."""
    if options is None:
        options = default_options() if kubernetes_version is None else build_options(kubernetes_version=kubernetes_version)
    result = lint_stream(text, filename, options)
    if result.cross or result.deferred:  # the stream is the whole run: its cross-object findings too
        found = [f for _, chunk in cross.finish([(filename, result.cross, result.deferred)], options) for f in chunk]
        result.findings = sorted(result.findings + found, key=finding_order)
    return result.findings


def undecodable_result(problem: Problem, filename: str, options: LintOptions, names_batch: bool = True) -> FileResult:
    """The result for a file that is not text (binary, not UTF-8): its one loading problem, when
    it is meant to be a manifest (``names_batch``, see jobcheck.yaml.prescan); else it is skipped."""
    result = FileResult()
    if not names_batch:
        result.skips.append(f"not text ({problem.message}) and names no Job or CronJob")
        return result
    result.linted += 1
    _add_problem(result, problem, Document(0, None, Positions(), 1), filename, options)
    result.findings = [f for f in result.findings if f.rule in options.active]
    return result


def lint_stream(text: str, filename: str, options: LintOptions,
                sink: Callable[[list[Finding]], None] | None = None, partial: bool = False) -> FileResult:
    """Lint every document of one stream held in memory.

    Without ``sink`` the findings are returned sorted in ``result.findings``. With one, each
    document's findings are handed to it as soon as that document is done (sorted within it;
    unused-suppression findings come last), so a long stream is never held in memory. ``partial``:
    the stream is a kustomize patch, whose objects are partial (``Workload.partial``).
    """
    scan = prescan_text(text)
    return _lint_documents(load_text(text, sources=sources_by_line(scan), stream_lists=True), scan, filename, options, sink, partial)


def lint_file(handle: BinaryIO, scan: Prescan, filename: str, options: LintOptions,
              sink: Callable[[list[Finding]], None] | None = None, partial: bool = False) -> FileResult:
    """lint_stream for a UTF-8 file parsed as it is read (``scan`` from jobcheck.yaml.prescan.prescan_file)."""
    if scan.whole is None:  # parsed from the file, which the pre-scan read to its end
        handle.seek(0)
    documents = load_file(handle, sources_by_line(scan) or None, data=scan.whole)
    return _lint_documents(documents, scan, filename, options, sink, partial)


def _lint_documents(documents: Iterable[Document], scan: Prescan, filename: str, options: LintOptions,
                    sink: Callable[[list[Finding]], None] | None, partial: bool = False) -> FileResult:
    result = FileResult()
    directives = suppress.parse_directive_lines(scan.directive_lines)
    collected: list[Finding] = []

    def flush(suppressible: bool = True) -> None:
        found = result.findings
        result.findings = []
        if directives and suppressible:
            found = suppress.apply(found, directives)
        found = sorted((f for f in found if f.rule in options.active), key=finding_order)
        if sink is None:
            collected.extend(found)
        elif found:
            sink(found)

    if scan.template is not None:
        # A Helm chart template is not YAML until helm renders it: one note, nothing parsed.
        line, col = scan.template
        result.documents += 1
        result.skips.append(f"line {line}: a Helm chart template, linted only as `helm template` output")
        problem = Problem(HELM_TEMPLATE, "a Helm chart template is not YAML until it is rendered: it is not "
                          "linted; lint the chart's output instead (helm template CHART | jobcheck lint -)",
                          line, col, line, col + 2)
        _add_problem(result, problem, Document(0, None, Positions(), 1), filename, options)
        flush()
        result.findings = collected
        return result
    broken = False  # a document of the file has a syntax error
    documents = iter(documents)
    while True:
        # The file's boundary: whatever the loader or the engine raises on a document ends the
        # file with an internal-error finding; what was linted before it is kept and reported.
        doc: Document | None = None
        try:
            doc = next(documents, None)
            if doc is None:
                break
            broken = _lint_document(result, doc, scan, directives, filename, options, partial, flush) or broken
        except Exception as exc:
            if _debugging():
                raise
            line, index = (doc.line, doc.index) if doc is not None else (1, 0)
            result.findings = []  # the failing document's findings are incomplete
            result.contain(internal_error(filename, exc, "the loader or the engine"), options,
                           "the rest of this file was not linted", line=line, document=index)
            flush(suppressible=False)
            broken = True  # its suppressions cannot be judged
            break
        flush()
    if not result.documents and scan.blank:
        result.skips.append("empty: no YAML documents")
    unused_rule = options.unused_suppression_rule
    # A file that does not parse was not linted as written: its suppressions cannot be judged.
    if directives and result.cross:
        result.cross = cross.suppressors(result.cross, directives)
    if directives and unused_rule and not broken:
        for d, message in suppress.unused(directives, options.inactive_codes):
            pending = cross.defer(d, result.cross, options) if result.cross else None
            if pending is not None:  # a cross-object finding may still use it: judged after the run
                result.deferred.append(pending)
                continue
            result.findings.append(_finding(options, unused_rule, filename, d.line, d.column, d.line, d.end_column,
                                            message))
        flush(suppressible=False)  # a directive cannot silence the report that it is unused
    if sink is None:
        collected.sort(key=finding_order)
        result.findings = collected
    return result


def _lint_document(result: FileResult, doc: Document, scan: Prescan, directives, filename: str,
                   options: LintOptions, partial: bool, flush: Callable[[], None]) -> bool:
    """Lint one document into ``result.findings``; return whether it has a syntax error."""
    broken = any(p.kind == SYNTAX for p in doc.problems)
    if doc.part:  # a part of a List read item by item: the List itself is a Kubernetes object
        if doc.part == ITEM and doc.data["items"].index == 0:
            result.documents += 1
        if directives:
            for data, positions in doc.scopes or ():
                suppress.block_keys(directives, data, positions)
        for problem in doc.problems:
            _add_problem(result, problem, doc, filename, options)
        if doc.part == ITEM:
            items = doc.data["items"]
            prefix = ("items", items.index)
            objects = ((obj, prefix + path) for obj, path in iter_objects(items[items.index]))
            _lint_objects(result, doc, filename, options, partial, flush, objects)
        return broken
    if doc.data is not None or doc.problems:
        result.documents += 1
    if is_kube_object(doc.data):
        if directives:
            suppress.block_keys(directives, doc.data, doc.positions)
        for problem in doc.problems:
            _add_problem(result, problem, doc, filename, options)
        _lint_objects(result, doc, filename, options, partial, flush)
    elif scan.names_batch and broken:
        # Meant to be a manifest, but it does not parse: that is JC001, not a skip.
        result.linted += 1
        for problem in doc.problems:
            _add_problem(result, problem, doc, filename, options)
    elif doc.data is not None or doc.problems:
        result.skips.append(f"document {doc.index + 1} {_not_an_object(doc)}")
    return broken


def _lint_objects(result: FileResult, doc: Document, filename: str, options: LintOptions, partial: bool,
                  flush: Callable[[], None], objects: Iterable[tuple[dict, tuple]] | None = None) -> None:
    """Lint each Job and CronJob of the document. The items of a ``List`` are handed on one by one
    (``flush``), as the documents of a stream are: a List of 100,000 Jobs never holds the
    findings of all of them (each item's lie on its own lines, after the item before). The loader
    hands a List's items on one by one too (``Document.part``): then ``objects`` are the item's."""
    for obj, path in iter_objects(doc.data) if objects is None else objects:
        if path and result.findings and not doc.problems:
            flush()
        if not is_batch_object(obj):
            result.skipped += 1
            result.skips.append(f"document {doc.index + 1}: {obj.get('kind')!s:.40} is not a Job or CronJob")
            continue
        kind = obj["kind"]
        if kind == "Job":
            result.jobs += 1
        else:
            result.cronjobs += 1
        result.linted += 1
        w = Workload(kind, obj, path, options.kubernetes_version, options.strict, options.now, partial)
        _lint_workload(result, w, doc, filename, options)


def _not_an_object(doc: Document) -> str:
    """Why a document is not linted: what it is instead of a Kubernetes object."""
    data = doc.data
    if data is None:
        return "does not parse, and the file names no Job or CronJob"
    if isinstance(data, list):
        return "is a list, not a Kubernetes object"
    if not isinstance(data, dict):
        return f"is a {type(data).__name__} scalar, not a Kubernetes object"
    missing = " and ".join(k for k in ("apiVersion", "kind") if not isinstance(data.get(k), str))
    return f"is a mapping without {missing}, not a Kubernetes object"


def _run_checks(w: Workload, options: LintOptions, filename: str,
                failed: list[InternalError]) -> list[tuple[str, Hit]]:
    """Every (rule id, hit) of the object's checks, in the registry's order; a check that raises
    goes to ``failed`` and the object's other checks still run."""
    hits: list[tuple[str, Hit]] = []
    gated = False
    for rid, stage, check, params in options.checks:
        if gated and stage != "gate":
            break  # a gate check reported: the object is not linted further
        found = len(hits)
        try:
            for hit in check(w, params):
                hits.append((rid, hit))
        except Exception as exc:  # the check's boundary: a bug in one check costs only its hits
            if _debugging():
                raise
            del hits[found:]
            failed.append(internal_error(filename, exc, f"rule {rid} {options.rules[rid].name}"))
            continue
        if stage == "gate" and len(hits) > found:
            gated = True
    if w.partial:  # a kustomize patch: what it leaves out, its base supplies
        hits = [(rid, hit) for rid, hit in hits if not hit.absent]
    for hider, hidden in options.hiders:
        places = {hit.path for rid, hit in hits if rid == hider}
        if places:
            hits = [(rid, hit) for rid, hit in hits if not (rid in hidden and hit.path in places)]
    return hits


def _lint_workload(result: FileResult, w: Workload, doc: Document, filename: str,
                   options: LintOptions) -> None:
    failed: list[InternalError] = []
    hits = _run_checks(w, options, filename, failed)
    for error in failed:
        result.keep(error)
        rid = options.problem_rules.get(INTERNAL_ERROR)
        if rid is not None:
            message = internal_error_message(error, "that rule was not checked on this object")
            result.findings.append(_hit_finding(options, rid, Hit(w.path, message), w, doc, filename))
    ignored = _annotation_ignores(w)
    used: set[str] = set()
    if options.cross_checks and not w.partial:
        used |= _collect(result, w, doc, filename, options, ignored)
    for rid, hit in hits:
        if ignored is not None:
            code = _ignored_by(ignored, options.rules[rid])
            if code:
                used.add(code)
                continue
        result.findings.append(_hit_finding(options, rid, hit, w, doc, filename))
        if hit.holds_until is not None:
            result.hold(rid, hit.holds_until)
    unused_rule = options.unused_suppression_rule
    if ignored and unused_rule:
        stale = sorted(c for c in ignored if c != "*" and c not in used and c not in options.inactive_codes)
        if stale:
            path = w.path + ("metadata", "annotations", suppress.ANNOTATION)
            hit = Hit(path, f"annotation {suppress.ANNOTATION} suppresses {', '.join(stale)}, which matches no finding")
            result.findings.append(_hit_finding(options, unused_rule, hit, w, doc, filename))


def _collect(result: FileResult, w: Workload, doc: Document, filename: str, options: LintOptions,
             ignored: set[str] | None) -> set[str]:
    """Run the cross-object rules' collect parts on ``w`` into ``result.cross``; return the
    annotation codes left for their finish to judge (not stale in this pass)."""
    deferred: set[str] = set()
    for rid, collect, _, params in options.cross_checks:
        try:
            found = collect(w, params)
        except Exception as exc:  # as a check's boundary: a bug costs this object its summary only
            if _debugging():
                raise
            error = internal_error(filename, exc, f"rule {rid} {options.rules[rid].name}")
            result.keep(error)
            problem_rid = options.problem_rules.get(INTERNAL_ERROR)
            if problem_rid is not None:
                message = internal_error_message(error, "this object was left out of that rule")
                result.findings.append(_hit_finding(options, problem_rid, Hit(w.path, message), w, doc, filename))
            continue
        if found is None:
            continue
        path, data = found
        at = _hit_finding(options, rid, Hit(path, ""), w, doc, filename)
        code = _ignored_by(ignored, options.rules[rid]) if ignored is not None else None
        annotation = None
        if code is not None and code != "*" and options.unused_suppression_rule:
            deferred.add(code)
            where = Hit(w.path + ("metadata", "annotations", suppress.ANNOTATION), "")
            annotation = _hit_finding(options, options.unused_suppression_rule, where, w, doc, filename)
        result.cross.append(cross.record(rid, data, at, code, annotation))
    return deferred


def _annotation_ignores(w: Workload) -> set[str] | None:
    annotations = w.metadata.get("annotations")
    if not isinstance(annotations, dict) or suppress.ANNOTATION not in annotations:
        return None
    codes = suppress.annotation_codes(annotations[suppress.ANNOTATION])
    return {"*"} if codes is None else set(codes)


def _ignored_by(ignored: set[str], rule: Rule) -> str | None:
    if "*" in ignored:
        return "*"
    for code in (rule.id, rule.name):
        if code in ignored:
            return code
    return None


def _hit_finding(options: LintOptions, rid: str, hit: Hit, w: Workload, doc: Document,
                 filename: str) -> Finding:
    line, col, end_line, end_col, found = doc.positions.locate_marks(doc.data, hit.path, hit.on_key)
    if hit.span is not None and found == len(hit.path) and not hit.on_key:
        value = doc.positions.value_span(doc.data, hit.path)
        if value is not None and value.line == value.end_line:
            # A quoted scalar spans two more columns than its value: the offsets start after the quote.
            raw = get_in(doc.data, hit.path)
            quote = 1 if isinstance(raw, str) and value.end_column - value.column >= len(raw) + 2 else 0
            line = end_line = value.line
            col = value.column + quote + hit.span[0]
            end_col = value.column + quote + max(hit.span[1], hit.span[0] + 1)
    rule = options.rules[rid]
    severity = options.severity.get(rid)
    if severity is None:
        severity = rule.severity if hit.severity is None else hit.severity
    # Positional, in the field order (jobcheck.finding.FIELD_ORDER): keyword arguments cost the
    # slotted dataclass's __init__ four times as much, once per finding.
    return Finding(
        filename, line, col, rid, end_line, end_col, rule.name, severity, hit.message, _field(hit.path),
        doc.index, w.kind, w.namespace, w.shown_name, hit.fix or options.fix_hints.get(rid), doc.source,
    )


def _add_problem(result: FileResult, problem: Problem, doc: Document, filename: str, options: LintOptions) -> None:
    rid = options.problem_rules.get(problem.kind)
    if rid is None:
        return  # no rule reports this kind of problem
    severity = Severity.parse(problem.severity) if problem.severity else None
    result.findings.append(_finding(
        options, rid, filename, problem.line, problem.column,
        problem.end_line or problem.line, problem.end_column or problem.column + 1,
        problem.report or problem.message, document=doc.index, source=doc.source, severity=severity,
    ))


def _finding(options: LintOptions, rid: str, filename: str, line: int, col: int, end_line: int, end_col: int,
             message: str, document: int = 0, source: str | None = None, severity: Severity | None = None) -> Finding:
    rule = options.rules.get(rid)
    sev = _first(options.severity.get(rid), severity, rule.severity if rule else Severity.ERROR)
    return Finding(  # positional, as in _hit_finding
        filename, line, col, rid, end_line, end_col, rule.name if rule else "", sev, message, "",
        document, "", "", "", None, source,
    )


def _first(*levels: Severity | None) -> Severity:
    """The first severity that is set (INFO is 0, so ``or`` would skip it)."""
    return next(level for level in levels if level is not None)


@lru_cache(maxsize=8192)
def _field(path: tuple) -> str:
    """A finding's field path, with a map key that may be a credential (a label key holding a URL
    with a password) not shown: the field goes into every output format."""
    if any(type(elem) is str and redact.looks_secret(elem) for elem in path):
        path = tuple("<key not shown>" if type(e) is str and redact.looks_secret(e) else e for e in path)
    return format_path(path)
