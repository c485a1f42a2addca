"""Memory stays flat along one stream (issue 13, target 5): what a document leaves behind must be
freed by reference counting when the next one starts. The command line collects cycles rarely
(jobcheck/cli/lint.py, _tune_gc), so garbage in reference cycles piles up for the whole stream:
an invalid schedule's CronError kept with its traceback (which reaches back to the frame holding
the list of errors, and through it the rule's frames and the Workload) grew a 20,000-document
stream by 0.34 KB a document."""

from __future__ import annotations

import gc

import pytest

from jobcheck.cron import k8s_schedule_errors
from jobcheck.lint.engine import lint_stream
from jobcheck.lint.options import default_options

BAD_SCHEDULES = (
    "61 * * * *",
    "a b",
    "TZ=UTC 0 0 * * *",
    "1-2-3 * * * *",
    "*/0 * * * *",
    "TZ=Mars/X 0 0 * * *",
    "",
)


def _cyclic_garbage(fn) -> int:
    """The objects in reference cycles that ``fn`` leaves behind."""
    gc.collect()
    gc.disable()
    try:
        fn()
        return gc.collect()
    finally:
        gc.enable()


@pytest.mark.parametrize("expr", BAD_SCHEDULES)
def test_schedule_errors_leave_no_reference_cycles(expr: str) -> None:
    errors = k8s_schedule_errors(expr)  # the same errors as before, without their tracebacks
    assert all(e.__traceback__ is None and e.__context__ is None for e in errors)
    assert _cyclic_garbage(lambda: k8s_schedule_errors(expr)) == 0


def _cronjobs(count: int) -> str:
    docs = []
    for i in range(count):
        schedule = BAD_SCHEDULES[i % (len(BAD_SCHEDULES) - 1)]
        docs.append(f"""\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: c{i}
spec:
  schedule: "{schedule}"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: c
              image: busybox:1.36
""")
    return "---\n".join(docs)


def test_a_stream_of_invalid_schedules_leaves_no_garbage_per_document() -> None:
    options = default_options()
    found: list = []
    lint_stream(_cronjobs(5), "warm.yaml", options, sink=found.extend)  # one-time set-up garbage
    found.clear()
    small = _cyclic_garbage(lambda: lint_stream(_cronjobs(10), "s.yaml", options, sink=found.extend))
    large = _cyclic_garbage(lambda: lint_stream(_cronjobs(200), "l.yaml", options, sink=found.extend))
    assert any(f.rule == "JC301" for f in found)  # the invalid schedules were reported
    assert large <= small, f"{large} objects in cycles after 200 documents, {small} after 10"
