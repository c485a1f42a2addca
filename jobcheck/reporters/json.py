"""The machine-readable report: one JSON object, schema in JSON_FORMAT.md (version 1)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from jobcheck.finding import Finding, Summary
from jobcheck.reporters.base import ReportContext
from jobcheck.rulemeta import Rule

FORMAT_VERSION = 1


def finding_dict(f: Finding) -> dict:
    """Return ``f`` as the JSON object JSON_FORMAT.md documents (unknown ends are null)."""
    return {
        "rule": f.rule,
        "name": f.name,
        "severity": str(f.severity),
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line or None,
        "end_column": f.end_column or None,
        "field": f.field,
        "document": f.document,
        "kind": f.kind,
        "namespace": f.namespace,
        "object": f.object,
        "fix": f.fix,
        "source": f.source,
    }


def render(findings: list[Finding], summary: Summary, rules: Mapping[str, Rule], ctx: ReportContext) -> str:
    """Return the report as indented JSON (ASCII only, so any output encoding can carry it)."""
    report = {
        "version": FORMAT_VERSION,
        "tool": {"name": "jobcheck", "version": ctx.tool_version},
        "findings": [finding_dict(f) for f in findings],
        "summary": summary.as_dict(),
    }
    return json.dumps(report, indent=2) + "\n"
