"""Helpers for the --fix tests.

The fix safety each fixer is designed for is pinned here (``INTENDED_SAFETY``), with the reason;
``test_rule_files_declare_fix_safety`` checks that the rule files, which --fix reads, agree.
"""

from __future__ import annotations

import difflib

from jobcheck import record
from jobcheck.lint.engine import LintOptions, build_options, lint_stream

INTENDED_SAFETY = {
    "JC003": "safe",  # batch/v1 serves the same spec
    "JC103": "safe",  # the server rejects any restartPolicy but Never/OnFailure; Never always works
    "JC201": "safe",  # only deletes a Job that already finished, after the TTL
    "JC305": "unsafe",  # moves every run to UTC
    "JC306": "unsafe",  # skips runs that would have overlapped
    "JC307": "safe",  # only stops a run that is already 200 s late
    "JC602": "unsafe",  # setuid programs in the image stop working
}


def options_for(*rule_ids: str, params: dict | None = None) -> LintOptions:
    """Options that run only ``rule_ids``, with ``params`` over the rule files' defaults."""
    opts = record.replace(build_options(), active=frozenset(rule_ids))
    for rid, values in (params or {}).items():
        opts.params[rid] = {**opts.params.get(rid, {}), **values}
    return opts


def rules_found(text: str, options: LintOptions) -> list[str]:
    return [f.rule for f in lint_stream(text, "t.yaml", options).findings]


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """(removed, added) lines of the diff; every other line is byte-identical."""
    removed, added = [], []
    for line in difflib.ndiff(old.split("\n"), new.split("\n")):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added
