"""What travels between --jobs worker processes and the parent by pickling: LintOptions out (on
spawn platforms), findings back."""

from __future__ import annotations

import pickle

from jobcheck import record
from jobcheck.finding import Finding, Severity
from jobcheck.lint.engine import build_options, lint_stream

MANIFEST = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: j
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
          securityContext:
            privileged: true
"""


def test_options_pickle_after_their_checks_are_compiled() -> None:
    options = build_options()
    before = lint_stream(MANIFEST, "j.yaml", options).findings  # compiles the checks
    assert options.checks
    copy = pickle.loads(pickle.dumps(options))
    assert [c[:2] for c in copy.checks] == [c[:2] for c in options.checks]
    assert lint_stream(MANIFEST, "j.yaml", copy).findings == before
    assert any(f.rule == "JC601" for f in before)  # a declarative rule ran in both


def test_findings_pickle_as_their_field_values() -> None:
    findings = lint_stream(MANIFEST, "j.yaml", build_options()).findings
    findings.append(Finding("j.yaml", 1, 1, "JC000", 0, 0, "n", Severity.INFO, "m", "", 0, "", "", "", None, None))
    copies = pickle.loads(pickle.dumps(findings))
    assert [record.values(f) for f in copies] == [record.values(f) for f in findings]
    assert all(type(c.severity) is Severity for c in copies)
    # The compact form: the class and a tuple, no per-object dict of slot names.
    cls, values = findings[0].__reduce__()
    assert cls is Finding and values == record.values(findings[0])


def test_the_engine_builds_findings_in_the_field_order() -> None:
    """The engine passes a finding's fields positionally (jobcheck.finding.FIELD_ORDER): a
    reordered Finding would put values in the wrong fields, which this pins."""
    from jobcheck.finding import FIELD_ORDER

    assert FIELD_ORDER == ("file", "line", "column", "rule", "end_line", "end_column", "name", "severity",
                           "message", "field", "document", "kind", "namespace", "object", "fix", "source")
    text = MANIFEST.replace("  name: j\n", "  name: j\n  namespace: ns\n")
    finding = next(f for f in lint_stream(text, "j.yaml", build_options()).findings if f.rule == "JC601")
    assert (finding.file, finding.kind, finding.namespace, finding.object) == ("j.yaml", "Job", "ns", "j")
    assert finding.field.endswith("securityContext.privileged") and finding.severity in Severity
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (14, 25, 14, 29)
    assert finding.name == "privileged" and finding.message.startswith("container \"app\"")
    assert finding.document == 0 and finding.source is None and finding.fix
