"""Run the checks over each Job and CronJob of a stream and turn hits into findings.

Order per document: loading problems (JC001/JC002), then per object the removed-API
check (JC003), the schema (JC101/JC102/JC104), the API server's own rules (JC103),
and the best-practice catalog; then suppressions.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import BinaryIO

from jobcheck.config import Config
from jobcheck.finding import Finding, Hit, Severity, finding_order, format_path
from jobcheck.kube.objects import Workload, get_in, is_batch_object, iter_objects
from jobcheck.lint import suppress
from jobcheck.lint.registry import CheckFn, check_function, load_rules
from jobcheck.rulemeta import Rule
from jobcheck.yaml.loader import Document, Problem, load_file, load_text
from jobcheck.yaml.positions import Positions
from jobcheck.yaml.prescan import Prescan, prescan_text, sources_by_line

# Served batch API versions for Job/CronJob, and where the older ones went.
REMOVED_APIS = {
    ("batch/v1beta1", "CronJob"): "1.25",
    ("batch/v2alpha1", "CronJob"): "1.21",
    ("batch/v2alpha1", "Job"): "1.21",
    ("batch/v1beta1", "Job"): "1.21",
}
BUILTIN_SCHEMA_RULES = ("JC101", "JC102", "JC104")


@dataclass
class LintOptions:
    rules: dict[str, Rule]  # every known rule by id
    active: frozenset[str]  # ids of the rules that run
    kubernetes_version: str
    strict: bool = True
    severity: dict[str, Severity] = field(default_factory=dict)  # overrides by id
    params: dict[str, dict] = field(default_factory=dict)  # merged parameters by id

    def rule(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def __getstate__(self) -> dict:
        # --jobs sends the options to worker processes; the compiled checks hold closures, which
        # do not pickle (spawn platforms), and each worker rebuilds them on first use.
        state = self.__dict__.copy()
        state.pop("checks", None)
        return state

    @cached_property
    def fix_hints(self) -> dict[str, str | None]:
        """Each rule's fix text, first paragraph on one line: the hint for findings whose check gave none."""
        hints = {}
        for rid, rule in self.rules.items():
            first = rule.fix.strip().split("\n\n", 1)[0]
            hints[rid] = " ".join(first.split()) or None
        return hints

    @cached_property
    def checks(self) -> list[tuple[str, CheckFn, dict]]:
        """The active rules that have a check to run, in id order: (id, function, parameters).

        Resolved once per run: each object then costs one call per rule. The parameters are
        one copy per rule that the checks only read.
        """
        functions = {rid: check_function(self.rules[rid]) for rid in sorted(self.active)}
        return [(rid, fn, dict(self.params.get(rid, {}))) for rid, fn in functions.items() if fn is not None]


@dataclass
class FileResult:
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0
    jobs: int = 0
    cronjobs: int = 0
    skipped: int = 0
    internal_errors: list[str] = field(default_factory=list)


class SelectionError(ValueError):
    """An unknown rule id, name or category in select/ignore/severity/params."""


def resolve_selector(token: str, rules: Mapping[str, Rule]) -> set[str]:
    """Rule ids matched by an id, an id prefix (``JC3``), a name, a category or ``ALL``."""
    if token.upper() == "ALL":
        return set(rules)
    ids = {rid for rid, r in rules.items() if token in (rid, r.name, r.category) or rid.startswith(token)}
    if not ids:
        raise SelectionError(f"no rule matches {token!r} (use an id such as JC306, a name, or a category)")
    return ids


def build_options(config: Config | None = None, kubernetes_version: str | None = None) -> LintOptions:
    """Resolve a configuration into the rule set, severities and parameters to run with."""
    from jobcheck.kube.schema import DEFAULT_VERSION, parse_version

    config = config or Config()
    rules = load_rules(config.rules_dirs)
    if config.select is None:
        active = {rid for rid, r in rules.items() if r.enabled}
    else:
        active = set().union(*(resolve_selector(t, rules) for t in config.select)) if config.select else set()
    for token in config.extend_select:
        active |= resolve_selector(token, rules)
    for token in config.ignore:
        active -= resolve_selector(token, rules)
    severity = {}
    for token, level in config.severity.items():
        for rid in resolve_selector(token, rules):
            severity[rid] = Severity.parse(level)
    params = {rid: dict(r.params) for rid, r in rules.items()}
    for token, values in config.params.items():
        for rid in resolve_selector(token, rules):
            unknown = set(values) - set(rules[rid].params)
            if unknown:
                raise SelectionError(f"rule {rid} has no parameter {', '.join(sorted(unknown))}")
            params[rid].update(values)
    version = kubernetes_version or config.kubernetes_version or DEFAULT_VERSION
    parse_version(version)  # raises ValueError for an unsupported version
    return LintOptions(rules, frozenset(active), version, config.strict, severity, params)


@cache
def default_options() -> LintOptions:
    """The options of a run with no configuration (built once)."""
    return build_options()


def lint_text(
    text: str,
    filename: str = "<string>",
    options: LintOptions | None = None,
    kubernetes_version: str | None = None,
) -> list[Finding]:
    """Lint one stream and return its findings, sorted."""
    if options is None:
        options = default_options() if kubernetes_version is None else build_options(kubernetes_version=kubernetes_version)
    return lint_stream(text, filename, options).findings


def undecodable_result(problem: Problem, filename: str, options: LintOptions) -> FileResult:
    """The result for a file that is not text (binary, not UTF-8): its one loading problem."""
    result = FileResult()
    _add_problem(result, problem, Document(0, None, Positions(), 1), filename, options)
    result.findings = [f for f in result.findings if f.rule in options.active]
    return result


def lint_stream(text: str, filename: str, options: LintOptions,
                sink: Callable[[list[Finding]], None] | None = None) -> FileResult:
    """Lint every document of one stream held in memory.

    Without ``sink`` the findings are returned sorted in ``result.findings``. With one, each
    document's findings are handed to it as soon as that document is done (sorted within it;
    unused-suppression findings come last), so a long stream is never held in memory.
    """
    scan = prescan_text(text)
    return _lint_documents(load_text(text, sources=sources_by_line(scan)), scan, filename, options, sink)


def lint_file(handle: BinaryIO, scan: Prescan, filename: str, options: LintOptions,
              sink: Callable[[list[Finding]], None] | None = None) -> FileResult:
    """lint_stream for a UTF-8 file parsed as it is read (``scan`` from jobcheck.yaml.prescan.prescan_file)."""
    return _lint_documents(load_file(handle, sources_by_line(scan) or None), scan, filename, options, sink)


def _lint_documents(documents: Iterable[Document], scan: Prescan, filename: str, options: LintOptions,
                    sink: Callable[[list[Finding]], None] | None) -> FileResult:
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

    for doc in documents:
        if doc.data is not None or doc.problems:
            result.documents += 1
        for problem in doc.problems:
            _add_problem(result, problem, doc, filename, options)
        if isinstance(doc.data, dict):
            for obj, path in iter_objects(doc.data):
                if not is_batch_object(obj):
                    result.skipped += 1
                    continue
                kind = obj["kind"]
                if kind == "Job":
                    result.jobs += 1
                else:
                    result.cronjobs += 1
                _lint_workload(result, Workload(kind, obj, path), doc, filename, options)
        elif doc.data is not None:
            what = "a list" if isinstance(doc.data, list) else f"a {type(doc.data).__name__} scalar"
            _add_problem(result, Problem("JC001", f"document is {what}, not a Kubernetes object (a mapping)",
                                         doc.line, 1), doc, filename, options)
        flush()
    if not result.documents and scan.blank:
        result.findings.append(_finding(options, "JC001", filename, 1, 1, 1, 1, "file is empty: no YAML documents",
                                        severity=Severity.INFO))
        flush()
    if directives and "JC000" in options.active:
        for d, message in suppress.unused(directives):
            result.findings.append(_finding(options, "JC000", filename, d.line, d.column, d.line, d.end_column, message))
        flush(suppressible=False)  # a directive cannot silence the report that it is unused
    if sink is None:
        collected.sort(key=finding_order)
        result.findings = collected
    return result


def _lint_workload(result: FileResult, w: Workload, doc: Document, filename: str,
                   options: LintOptions) -> None:
    if "apiVersion" not in w.data:
        # Without apiVersion nothing applies it (helm values files often carry a `kind:` key too):
        # one finding instead of a cascade.
        hit = Hit(w.path + ("apiVersion",), f"apiVersion: Required value: a {w.kind} needs apiVersion: batch/v1",
                  fix="Add apiVersion: batch/v1, or leave this file out if it is not a manifest.")
        result.findings.append(_hit_finding(options, "JC102", hit, w, doc, filename))
        return
    hits: list[tuple[str, Hit]] = []
    removed = _removed_api(w)
    if removed:
        hits.append(("JC003", removed))
    active = options.active
    if active.intersection(BUILTIN_SCHEMA_RULES) or "JC103" in active:
        from jobcheck.kube.schema import field_version_hits, is_valid, validate_schema

        strict_valid = is_valid(w, options.kubernetes_version, strict=True)  # one walk serves both layers
        valid = strict_valid if options.strict else None
        for hit in validate_schema(w, options.kubernetes_version, strict=options.strict, valid=valid):
            if removed and hit.path == w.path + ("apiVersion",):
                continue  # JC003 already says what to do with apiVersion
            hits.append((hit.rule or "JC102", hit))
        for hit in field_version_hits(w, options.kubernetes_version, strict_valid):
            hits.append((hit.rule or "JC104", hit))
    if "JC103" in active:
        from jobcheck.kube.apiserver import validate_api
        from jobcheck.kube.schema import parse_version

        for hit in validate_api(w, parse_version(options.kubernetes_version)):
            hits.append((hit.rule or "JC103", hit))
    for rid, check, params in options.checks:
        try:
            for hit in check(w, params):
                hits.append((hit.rule or rid, hit))
        except Exception as exc:  # a bug in a check must not stop the run
            if os.environ.get("JOBCHECK_DEBUG"):
                raise
            result.internal_errors.append(f"{filename}: rule {rid} failed on {w.kind} {w.name!r}: {exc!r}")
    # The schema and the server both say "Required" for some fields; the server's words win.
    server_paths = {hit.path for rid, hit in hits if rid == "JC103"}
    hits = [(rid, hit) for rid, hit in hits if not (rid == "JC102" and hit.path in server_paths)]
    ignored = _annotation_ignores(w)
    used: set[str] = set()
    for rid, hit in hits:
        if rid not in options.rules:
            continue
        if ignored is not None:
            code = _ignored_by(ignored, options.rules[rid])
            if code:
                used.add(code)
                continue
        result.findings.append(_hit_finding(options, rid, hit, w, doc, filename))
    if ignored and "JC000" in active:
        stale = sorted(c for c in ignored if c != "*" and c not in used)
        if stale:
            path = w.path + ("metadata", "annotations", suppress.ANNOTATION)
            hit = Hit(path, f"annotation {suppress.ANNOTATION} suppresses {', '.join(stale)}, which matches no finding")
            result.findings.append(_hit_finding(options, "JC000", hit, w, doc, filename))


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


def _removed_api(w: Workload) -> Hit | None:
    api = w.api_version
    if (api, w.kind) in REMOVED_APIS:
        since = REMOVED_APIS[(api, w.kind)]
        return Hit(
            w.path + ("apiVersion",),
            f"{api} {w.kind} is no longer served (removed in Kubernetes {since})",
            fix=f"Change apiVersion to batch/v1; the {w.kind} spec itself is compatible.",
        )
    return None


def _hit_finding(options: LintOptions, rid: str, hit: Hit, w: Workload, doc: Document,
                 filename: str) -> Finding:
    span, found = doc.positions.locate(doc.data, hit.path, on_key=hit.on_key)
    line, col, end_line, end_col = span.line, span.column, span.end_line, span.end_column
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
    return Finding(
        file=filename, line=line, column=col, rule=rid, end_line=end_line, end_column=end_col,
        name=rule.name, severity=severity, message=hit.message, field=format_path(hit.path),
        document=doc.index, kind=w.kind, namespace=w.namespace, object=w.name, fix=hit.fix or options.fix_hints.get(rid),
        source=doc.source,
    )


def _add_problem(result: FileResult, problem: Problem, doc: Document, filename: str, options: LintOptions) -> None:
    severity = Severity.parse(problem.severity) if problem.severity else None
    result.findings.append(_finding(
        options, problem.rule, filename, problem.line, problem.column,
        problem.end_line or problem.line, problem.end_column or problem.column + 1,
        problem.message, document=doc.index, source=doc.source, severity=severity,
    ))


def _finding(options: LintOptions, rid: str, filename: str, line: int, col: int, end_line: int, end_col: int,
             message: str, document: int = 0, source: str | None = None, severity: Severity | None = None) -> Finding:
    rule = options.rules.get(rid)
    sev = _first(options.severity.get(rid), severity, rule.severity if rule else Severity.ERROR)
    return Finding(
        file=filename, line=line, column=col, rule=rid, end_line=end_line, end_column=end_col,
        name=rule.name if rule else "", severity=sev, message=message, document=document, source=source,
    )


def _first(*levels: Severity | None) -> Severity:
    """The first severity that is set (INFO is 0, so ``or`` would skip it)."""
    return next(level for level in levels if level is not None)
