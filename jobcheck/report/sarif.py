"""SARIF 2.1.0 (OASIS), as read by GitHub code scanning and SARIF viewers."""

from __future__ import annotations

import io
import itertools
from collections.abc import Mapping
from json.encoder import encode_basestring_ascii as _quote

from jobcheck.finding import Finding, Severity, Summary
from jobcheck.report.base import (
    Fingerprints,
    ReportContext,
    SortedRun,
    artifact_uri,
    helm_note,
    json_text,
    root_uri,
)
from jobcheck.rulemeta import Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import TextIO

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/jobcheck/jobcheck"
SRCROOT = "%SRCROOT%"
# Versioned so a future change of what identifies a finding does not silently
# collide with fingerprints stored by earlier runs.
FINGERPRINT_KEY = "jobcheck/v1"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _fence(code: str) -> str:
    # A fence longer than any backtick run inside the example.
    longest, run = 0, 0
    for ch in code:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return f"{fence}yaml\n{code.rstrip()}\n{fence}"


def _help(rule: Rule) -> dict:
    sections = [
        ("What it does", rule.what.strip()),
        ("Why is this bad?", rule.why.strip()),
        ("Example", rule.bad),
        ("Use instead", rule.good),
        ("How to fix", rule.fix.strip()),
    ]
    text, markdown = [], []
    for title, body in sections:
        if not body.strip():
            continue
        code = title in ("Example", "Use instead")
        text.append(f"{title}\n{body.rstrip() if code else body}")
        markdown.append(f"## {title}\n\n{_fence(body) if code else body}")
    if rule.references:
        text.append("References\n" + "\n".join(str(r) for r in rule.references))
        markdown.append("## References\n\n" + "\n".join(f"- <{r}>" for r in rule.references))
    return {
        "text": "\n\n".join(text) or rule.summary or rule.id,
        "markdown": "\n\n".join(markdown) or rule.summary or rule.id,
    }


def rule_descriptor(rule_id: str, rule: Rule | None, name: str) -> dict:
    """Return the reportingDescriptor of one rule (a bare one when no metadata is known)."""
    if rule is None:
        return {"id": rule_id, **({"name": name} if name else {})}
    descriptor: dict = {"id": rule.id, "name": rule.name}
    if rule.summary:
        descriptor["shortDescription"] = {"text": rule.summary}
    full = "\n\n".join(part.strip() for part in (rule.what, rule.why) if part.strip())
    if full:
        descriptor["fullDescription"] = {"text": full}
    descriptor["help"] = _help(rule)
    descriptor["helpUri"] = rule.help_uri
    descriptor["defaultConfiguration"] = {"enabled": rule.enabled, "level": LEVEL[rule.severity]}
    descriptor["properties"] = {"tags": [rule.category] if rule.category else []}
    return descriptor


def _region(f: Finding) -> dict | None:
    if f.line < 1:
        return None
    region = {"startLine": f.line}
    if f.column >= 1:
        region["startColumn"] = f.column
    # Finding.end_column is exclusive, as SARIF's endColumn is ("the character
    # following the end of the region"), so it is passed through unchanged.
    if f.end_line >= f.line:
        region["endLine"] = f.end_line
        if f.end_column >= 1 and (f.end_line > f.line or f.end_column > f.column >= 1):
            region["endColumn"] = f.end_column
    return region


def _logical_locations(f: Finding) -> list[dict]:
    out = []
    obj = ""
    if f.kind or f.object:
        obj = "/".join(p for p in (f.kind, f.namespace, f.object) if p)
        out.append({"name": f.object or f.kind, "fullyQualifiedName": obj, "kind": "object"})
    if f.field:
        fqn = f"{obj}:{f.field}" if obj else f.field
        out.insert(0, {"name": f.field, "fullyQualifiedName": fqn, "kind": "property"})
    return out


def _result(f: Finding, rule_index: int, fingerprint: str, cwd: str) -> dict:
    uri, relative = artifact_uri(f.file, cwd)
    artifact: dict = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = SRCROOT
    physical: dict = {"artifactLocation": artifact}
    region = _region(f)
    if region:
        physical["region"] = region
    location: dict = {"physicalLocation": physical}
    logical = _logical_locations(f)
    if logical:
        location["logicalLocations"] = logical
    properties: dict = {"document": f.document}
    if f.fix:
        properties["fix"] = f.fix
    if f.source:
        properties["helmSource"] = f.source
    return {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": f.message + helm_note(f)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": properties,
    }


def render(findings: list[Finding], summary: Summary, rules: Mapping[str, Rule], ctx: ReportContext) -> str:
    """Return a SARIF 2.1.0 log with one run; ``tool.driver.rules`` lists the rules that fired."""
    out = io.StringIO()
    write(out, SortedRun.of(findings, ctx.cwd), summary, rules, ctx)
    return out.getvalue()


def write(out: TextIO, run: SortedRun, summary: Summary, rules: Mapping[str, Rule], ctx: ReportContext) -> None:
    """Write the SARIF log of ``run`` to ``out``: the head, then each result as it is read, then
    the tail, so a run of a million findings is never one JSON value in memory."""
    rule_ids = sorted(run.fired)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    descriptors = [rule_descriptor(r, rules.get(r), run.fired[r]) for r in rule_ids]
    sarif_run = {
        "tool": {
            "driver": {
                "name": "jobcheck",
                "version": ctx.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [{"executionSuccessful": not (summary.io_errors or summary.internal_errors)}],
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri(ctx.cwd)}},
        # Columns count characters of the decoded text, i.e. code points.
        "columnKind": "unicodeCodePoints",
        "results": [],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [sarif_run]}
    prints = Fingerprints(ctx.cwd, run.per_object)
    text = _ResultText(ctx.cwd, index)
    results = iter(run.findings)
    first = next(results, None)
    if first is None:
        out.write(json_text(log) + "\n")
        return
    # The log with an empty results array, cut where the results go: json.dumps lays out
    # nested values exactly as it lays out the whole, so each result is dumped alone and
    # indented to its depth (the fourth level: log, runs, run, results).
    head, tail = json_text(log).rsplit('"results": []', 1)
    out.write(head + '"results": [\n')
    sep = ""
    for f in itertools.chain((first,), results):
        out.write(sep + _INDENT + text(f, prints(f)))
        sep = ",\n"
    out.write("\n" + _INDENT[:-2] + "]" + tail + "\n")


_INDENT = " " * 8


class _ResultText:
    """``json_text(_result(f, index[f.rule], fingerprint, cwd), _INDENT)``, byte for byte (a test holds
    the two together on many findings), written straight from the finding's fields through the C
    string encoder: what depends only on the file (the artifact location), on the rule (id, index,
    level) or on the object and field (the logical locations) is laid out once and reused, since
    tens of thousands of findings share a few of each. A result with a surrogate (``\\ud`` in the
    text) is laid out again from its dict, which escapes it visibly (``json_text``)."""

    def __init__(self, cwd: str, index: dict[str, int]) -> None:
        self.cwd, self.index = cwd, index
        self.file: str | None = None
        self.artifact = ""
        self.rules: dict[tuple, str] = {}
        self.object: tuple | None = None
        self.object_name = ""
        self.after_field, self.object_alone = _LOGICAL_END, _AFTER_LOCATION  # the lines after the property, or in its place
        self.tails: dict[tuple, str] = {}

    def __call__(self, f: Finding, fingerprint: str) -> str:
        if f.file != self.file:
            uri, relative = artifact_uri(f.file, self.cwd)
            artifact: dict = {"uri": uri}
            if relative:
                artifact["uriBaseId"] = SRCROOT
            self.file = f.file
            self.artifact = _LOCATION + json_text(artifact, _I16)  # percent-encoded: ASCII
        key = (f.rule, f.severity)
        head = self.rules.get(key)
        if head is None:
            head = self.rules[key] = (
                f'{{\n{_I10}"ruleId": {_quote(f.rule)},\n{_I10}"ruleIndex": {self.index[f.rule]},\n'
                f'{_I10}"level": {_quote(LEVEL[f.severity])},\n{_I10}"message": {{\n{_I12}"text": '
            )
        key = (f.kind, f.namespace, f.object)
        if key != self.object:  # an object's findings come together
            self.object = key
            self.object_name, self.after_field, self.object_alone = "", _LOGICAL_END, _AFTER_LOCATION
            if f.kind or f.object:
                self.object_name = "/".join(p for p in key if p)
                element = (
                    f'{{\n{_I18}"name": {_quote(f.object or f.kind)},\n{_I18}"fullyQualifiedName": '
                    f'{_quote(self.object_name)},\n{_I18}"kind": "object"\n{_I16}}}{_LOGICAL_END}'
                )
                self.after_field = f",\n{_I16}{element}"
                self.object_alone = _LOGICAL + element
        if f.field:
            fqn = f"{self.object_name}:{f.field}" if self.object_name else f.field
            logical = f"{_PROPERTY_NAME}{_quote(f.field)}{_FQN}{_quote(fqn)}{_PROPERTY}{self.after_field}"
        else:
            logical = self.object_alone
        key = (f.fix, f.source)
        tail = self.tails.get(key)
        if tail is None:
            if len(self.tails) > 256:
                self.tails.clear()
            tail = ""
            if f.fix:
                tail += f',\n{_I12}"fix": {_quote(f.fix)}'
            if f.source:
                tail += f',\n{_I12}"helmSource": {_quote(f.source)}'
            tail = self.tails[key] = tail + f"\n{_I10}}}\n{_INDENT}}}"
        line = f.line
        if line >= 1:
            region = f"{_START_LINE}{line}"
            if f.column >= 1:
                region = f"{region}{_START_COLUMN}{f.column}"
            end_line = f.end_line
            if end_line >= line:
                region = f"{region}{_END_LINE}{end_line}"
                if f.end_column >= 1 and (end_line > line or f.end_column > f.column >= 1):
                    region = f"{region}{_END_COLUMN}{f.end_column}"
            region += _REGION_END
        else:
            region = _NO_REGION
        message = _quote(f.message + helm_note(f))
        text = f"{head}{message}{self.artifact}{region}{logical}{_quote(fingerprint)}{_DOCUMENT}{f.document}{tail}"
        if "\\ud" in text:
            return json_text(_result(f, self.index[f.rule], fingerprint, self.cwd), _INDENT)
        return text


_I10, _I12, _I14, _I16, _I18 = (" " * n for n in (10, 12, 14, 16, 18))
# The fixed stretches of a result's layout, between the values.
_LOCATION = f'\n{_I10}}},\n{_I10}"locations": [\n{_I12}{{\n{_I14}"physicalLocation": {{\n{_I16}"artifactLocation": '
_START_LINE = f',\n{_I16}"region": {{\n{_I18}"startLine": '
_START_COLUMN = f',\n{_I18}"startColumn": '
_END_LINE = f',\n{_I18}"endLine": '
_END_COLUMN = f',\n{_I18}"endColumn": '
_AFTER_LOCATION = f"\n{_I12}}}\n{_I10}],\n{_I10}\"partialFingerprints\": {{\n{_I12}\"{FINGERPRINT_KEY}\": "
_REGION_END = f"\n{_I16}}}\n{_I14}}}"
_NO_REGION = f"\n{_I14}}}"
_LOGICAL = f',\n{_I14}"logicalLocations": [\n{_I16}'
_PROPERTY_NAME = f'{_LOGICAL}{{\n{_I18}"name": '
_FQN = f',\n{_I18}"fullyQualifiedName": '
_PROPERTY = f',\n{_I18}"kind": "property"\n{_I16}}}'
_LOGICAL_END = f"\n{_I14}]{_AFTER_LOCATION}"
_DOCUMENT = f'\n{_I10}}},\n{_I10}"properties": {{\n{_I12}"document": '
