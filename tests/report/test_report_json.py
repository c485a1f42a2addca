from __future__ import annotations

import json
import re
from pathlib import Path

from report_samples import NASTY

from jobcheck.report import render

FINDING_KEYS = [
    "rule",
    "name",
    "severity",
    "message",
    "file",
    "line",
    "column",
    "end_line",
    "end_column",
    "field",
    "document",
    "kind",
    "namespace",
    "object",
    "fix",
    "source",
]
FORMAT_DOC = Path(__file__).parents[2] / "jobcheck" / "report" / "JSON_FORMAT.md"


def report(findings, summary, rules, ctx) -> dict:
    out = render("json", findings, summary, rules, ctx)
    assert out.endswith("\n") and out.isascii()
    return json.loads(out)


def test_top_level(findings, summary, rules, ctx):
    data = report(findings, summary, rules, ctx)
    assert list(data) == ["version", "tool", "findings", "summary"]
    assert data["version"] == 1
    assert data["tool"] == {"name": "jobcheck", "version": "9.9.9"}
    assert data["summary"] == summary.as_dict()


def test_findings(findings, summary, rules, ctx):
    data = report(findings, summary, rules, ctx)
    assert len(data["findings"]) == len(findings)
    for f, item in zip(findings, data["findings"], strict=True):
        assert list(item) == FINDING_KEYS
        assert item["rule"] == f.rule and item["file"] == f.file and item["message"] == f.message
        assert item["severity"] == str(f.severity)
        assert (item["line"], item["column"]) == (f.line, f.column)
        assert item["end_line"] == (f.end_line or None) and item["end_column"] == (f.end_column or None)
    assert any(item["message"] == NASTY for item in data["findings"])
    helm = [item for item in data["findings"] if item["source"]]
    assert [item["source"] for item in helm] == ["chart/templates/job.yaml"]


def test_the_format_document_describes_every_key(findings, summary, rules, ctx):
    doc = FORMAT_DOC.read_text(encoding="utf-8")
    assert "version 1" in doc
    documented = set(re.findall(r"^\| `([a-z_.]+)`", doc, re.M))
    for row in re.findall(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)+) \|", doc, re.M):
        documented |= set(re.findall(r"`([a-z_]+)`", row))
    data = report(findings, summary, rules, ctx)
    assert set(FINDING_KEYS) <= documented
    assert {"version", "tool.name", "tool.version", "findings", "summary"} <= documented
    assert set(data["summary"]) <= documented


def test_empty(summary, rules, ctx):
    data = report([], summary, rules, ctx)
    assert data["findings"] == []
