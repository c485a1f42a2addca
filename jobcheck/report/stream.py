"""Incremental writers for the formats that can be written as findings arrive (text, json).

They produce exactly the bytes the whole-report renderers do, so a run over one long stream
never holds its findings, or the report, in memory.
"""

from __future__ import annotations

import json
from typing import TextIO

from jobcheck.finding import Finding, Summary
from jobcheck.report import text as text_report
from jobcheck.report.base import ReportContext
from jobcheck.report.json import FORMAT_VERSION, finding_json


class TextStream:
    def __init__(self, out: TextIO, ctx: ReportContext) -> None:
        self.out, self.ctx = out, ctx
        self.sep = "\n\n" if ctx.show_source else "\n"
        self.any = False

    def add(self, findings: list[Finding]) -> None:
        for f in findings:
            self.out.write((self.sep if self.any else "") + text_report.format_finding(f, self.ctx))
            self.any = True

    def close(self, summary: Summary) -> None:
        line = text_report.render_summary(summary, self.ctx.color)
        self.out.write((self.sep if self.any else "") + line + "\n")


class JsonStream:
    def __init__(self, out: TextIO, ctx: ReportContext) -> None:
        self.out, self.ctx = out, ctx
        self.head = {"version": FORMAT_VERSION, "tool": {"name": "jobcheck", "version": ctx.tool_version},
                     "findings": []}
        self.any = False

    def add(self, findings: list[Finding]) -> None:
        if not findings:
            return
        if not self.any:
            self.out.write(json.dumps(self.head, indent=2)[: -len("[]\n}")] + "[\n")
        else:
            self.out.write(",\n")
        self.out.write(",\n".join(map(finding_json, findings)))
        self.any = True

    def close(self, summary: Summary) -> None:
        tail = {"summary": summary.as_dict()}
        if not self.any:
            self.out.write(json.dumps({**self.head, **tail}, indent=2) + "\n")
        else:
            self.out.write("\n  ],\n" + json.dumps(tail, indent=2)[2:] + "\n")


STREAMS = {"text": TextStream, "json": JsonStream}
