"""LintOptions travel to --jobs worker processes, which spawn platforms do by pickling."""

from __future__ import annotations

import pickle

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
