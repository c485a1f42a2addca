"""Builders for the reporter tests' findings (imported by conftest and the tests)."""

from __future__ import annotations

from jobcheck import record
from jobcheck.finding import Finding, Severity

NASTY = "value \"50%: a,b\" <&> 'q' ünïcødé 日本 line1\nline2\r\nend %0A %25 ::x"
CONTROL = "bell\x07 esc\x1b[31m red nul\x00 del\x7f"

ROOT = "/work/checkout"


def finding(**kw) -> Finding:
    base = dict(
        file="deploy/job.yaml",
        line=3,
        column=5,
        rule="JC101",
        end_line=3,
        end_column=9,
        name="restart-policy-missing",
        severity=Severity.ERROR,
        message="restartPolicy is not set",
        field="spec.template.spec",
        document=0,
        kind="Job",
        namespace="batch",
        object="migrate",
        fix="Set restartPolicy to Never or OnFailure.",
    )
    base.update(kw)
    return Finding(**base)


def shifted(findings: list[Finding], by: int) -> list[Finding]:
    """The same findings after ``by`` lines were inserted above them."""
    return [
        record.replace(f, line=f.line + by, end_line=f.end_line + by if f.end_line else 0)
        for f in findings
    ]
