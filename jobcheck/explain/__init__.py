"""``jobcheck explain``: say in plain words what a cron schedule (or a CronJob) does in Kubernetes.

- ``build``: the explanations as plain dicts (the JSON output), from ``jobcheck.cron``'s analysis;
- ``messages``: every sentence, in English and Korean;
- ``render``: the text layout;
- ``manifests``: reading the CronJobs out of files;
- ``command``: arguments in, output and a ``Status`` out (the command line picks the exit code).
"""

from __future__ import annotations

from jobcheck.explain.build import explain_expression, explain_workload
from jobcheck.explain.command import Status, run_explain
from jobcheck.explain.messages import MESSAGES
from jobcheck.explain.render import caret_line, render_text

__all__ = [
    "MESSAGES",
    "Status",
    "caret_line",
    "explain_expression",
    "explain_workload",
    "render_text",
    "run_explain",
]
