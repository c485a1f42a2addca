"""JUnit XML, for CI test-report views: one testsuite ``jobcheck``, one testcase per
object of each linted file (classname = file, name = object), one failure per
finding; clean files appear as passing testcases."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from jobcheck.finding import Finding, Summary
from jobcheck.report.base import ReportContext, helm_note, object_label
from jobcheck.rulemeta import Rule

# Characters XML 1.0 does not allow at all, even as references (section 2.2).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Return ``text`` with characters illegal in XML 1.0 shown as ``\\xNN``/``\\uNNNN``."""

    def escape(match: re.Match) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"

    return _ILLEGAL.sub(escape, text)


def _failure_body(f: Finding) -> str:
    where = f"{f.file}:{f.line}:{f.column}"
    if f.end_line:
        where += f"-{f.end_line}:{f.end_column}"
    lines = [f"{where}: {f.rule} {f.severity} {f.message}{helm_note(f)}"]
    if f.name:
        lines.append(f"rule: {f.name}")
    if f.field:
        lines.append(f"field: {f.field}")
    if f.fix:
        lines.append(f"help: {f.fix}")
    return "\n".join(lines)


def render(findings: list[Finding], summary: Summary, rules: Mapping[str, Rule], ctx: ReportContext) -> str:
    """Return the JUnit XML document (UTF-8 declared)."""
    # Insertion order keeps the findings' sorted order; clean files follow in ctx.files order.
    cases: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        cases.setdefault((f.file, object_label(f) or f.file), []).append(f)
    with_findings = {f.file for f in findings}
    for file in ctx.files:
        if file not in with_findings:
            cases.setdefault((file, file), [])

    failed = sum(1 for problems in cases.values() if problems)
    counts = {"tests": str(len(cases)), "failures": str(failed), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "jobcheck", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "jobcheck", **counts})
    for (file, name), problems in cases.items():
        case = ET.SubElement(suite, "testcase", {"classname": xml_text(file), "name": xml_text(name)})
        for f in problems:
            failure = ET.SubElement(
                case,
                "failure",
                {"type": xml_text(f.rule), "message": xml_text(f"{f.rule} {f.message}{helm_note(f)}")},
            )
            failure.text = xml_text(_failure_body(f))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
