"""JUnit XML, for CI test-report views: one testsuite ``jobcheck``, one testcase per
object of each linted file (classname = file, name = object), one failure per
finding; clean files appear as passing testcases."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from jobcheck.finding import Finding, Summary
from jobcheck.report.base import ReportContext, SortedRun, helm_note, object_label
from jobcheck.report.escape import printable
from jobcheck.rulemeta import Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import TextIO

# Characters XML 1.0 does not allow at all, even as references (section 2.2), beyond those
# ``printable`` escapes (the controls and bidirectional controls a CI page would show raw).
_NONCHARACTERS = re.compile("[\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Return ``text`` with characters illegal in XML 1.0, controls and bidirectional controls
    shown as ``\\xNN``/``\\uNNNN`` (tab and line breaks kept)."""
    text = printable(text, keep="\t\r\n")
    if text.isascii():  # the noncharacters are not: no pattern to run
        return text
    return _NONCHARACTERS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
    out = io.StringIO()
    write(out, SortedRun.of(findings, ctx.cwd), summary, rules, ctx)
    return out.getvalue()


def write(out: TextIO, run: SortedRun, summary: Summary, rules: Mapping[str, Rule], ctx: ReportContext) -> None:
    """Write the JUnit XML document of ``run`` to ``out``: one testcase per object of a file,
    in the findings' order, then the clean files. The counts come first in the document, so
    the testcases are written to a spooled temporary file (on disk past 1 MB) and copied after."""
    with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8") as body:
        tests, failed = 0, 0
        with_findings: set[str] = set()
        key = None
        failures = _Failures()
        for f in run.findings:
            here = (f.file, object_label(f) or f.file)
            if here != key:
                if key is not None:
                    body.write(_CASE_END)
                failures.file(f.file)
                body.write(f'    <testcase classname="{failures.file_attrib}" name="{_attrib(xml_text(here[1]))}">')
                key = here
                tests, failed = tests + 1, failed + 1
                with_findings.add(f.file)
            body.write(failures(f))
        if key is not None:
            body.write(_CASE_END)
        for file in ctx.files:  # the clean files pass
            if file not in with_findings:
                name = _attrib(xml_text(file))
                body.write(f'    <testcase classname="{name}" name="{name}" />\n')
                tests += 1
        counts = {"tests": str(tests), "failures": str(failed), "errors": "0", "skipped": "0"}
        root = ET.Element("testsuites", {"name": "jobcheck", **counts})
        suite = ET.SubElement(root, "testsuite", {"name": "jobcheck", **counts})
        if tests:
            ET.SubElement(suite, _PLACE)
        ET.indent(root)
        head, _, tail = ET.tostring(root, encoding="unicode").partition(f"    <{_PLACE} />\n")
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + head)
        body.seek(0)
        shutil.copyfileobj(body, out)
        out.write(tail + "\n")


_PLACE = "jobcheck-testcases"  # where the testcases go in the suite's layout


# A testcase written as ``ET.indent(case, level=2)`` and ``ET.tostring`` lay it out inside the suite
# (its third level), with ElementTree's own escaping of attribute values and text, without
# building elements: a test holds the two together on many findings.
_attrib = ET._escape_attrib  # type: ignore[attr-defined]
_cdata = ET._escape_cdata  # type: ignore[attr-defined]
_CASE_END = "\n    </testcase>\n"


class _Failures:
    """The ``<failure>`` element of a finding inside its testcase, as ``ET.tostring`` writes it with
    ``type=xml_text(f.rule)``, ``message=xml_text(...)`` and text ``xml_text(_failure_body(f))``.
    ``xml_text`` and both escapes replace characters one by one, so each part of the message and
    the body is escaped alone, and what depends only on the file or the rule is escaped once."""

    def __init__(self) -> None:
        self.file_attrib = self.file_cdata = ""
        self.rules: dict[tuple, tuple[str, str, str, str]] = {}
        self.fixes: dict[str, str] = {}

    def file(self, file: str) -> None:
        text = xml_text(file)
        self.file_attrib, self.file_cdata = _attrib(text), _cdata(text)

    def __call__(self, f: Finding) -> str:
        key = (f.rule, f.name, f.severity)
        parts = self.rules.get(key)
        if parts is None:
            if len(self.rules) > 4096:
                self.rules.clear()
            rule = xml_text(f.rule)
            parts = self.rules[key] = (
                f'\n      <failure type="{_attrib(rule)}" message="{_attrib(rule)} ',
                _cdata(f": {rule} {f.severity} "),
                f"\nrule: {_cdata(xml_text(f.name))}" if f.name else "",
            )
        opening, middle, name = parts
        message = xml_text(f.message + helm_note(f))
        where = f":{f.line}:{f.column}-{f.end_line}:{f.end_column}" if f.end_line else f":{f.line}:{f.column}"
        text = f'{opening}{_attrib(message)}">{self.file_cdata}{where}{middle}{_cdata(message)}{name}'
        if f.field:
            text += f"\nfield: {_cdata(xml_text(f.field))}"
        if f.fix:
            fix = self.fixes.get(f.fix)
            if fix is None:
                if len(self.fixes) > 4096:
                    self.fixes.clear()
                fix = self.fixes[f.fix] = f"\nhelp: {_cdata(xml_text(f.fix))}"
            text += fix
        return text + "</failure>"
