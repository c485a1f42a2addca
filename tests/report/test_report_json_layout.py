"""The hand-laid JSON of a finding is byte-identical to json.dumps(indent=2) of the same object."""

from __future__ import annotations

import json

import pytest

from jobcheck.finding import Finding, Severity
from jobcheck.report.json import finding_dict, finding_json

FINDINGS = [
    Finding('dir with space/a "b".yaml', 1, 2, "JC101", 1, 3, "unknown-field", Severity.ERROR,
            'quote " backslash \\ newline \n unicode é \u2028 control \x1b <&>', "spec.x", 3, "Job", "ns", "o",
            "Fix it.", "chart/templates/job.yaml"),
    Finding("b.yaml", 2, 2, "JC2"),
]


@pytest.mark.parametrize("finding", FINDINGS)
def test_finding_json_matches_json_dumps(finding: Finding) -> None:
    expected = "    " + json.dumps(finding_dict(finding), indent=2).replace("\n", "\n    ")
    assert finding_json(finding) == expected


def test_finding_json_shared_parts_stay_per_finding() -> None:
    """The rule's and the object's lines are kept between findings: findings that share one but
    not the other (severity overridden per hit, another object, a fix hint or not) still get
    their own values, at the report's indent and at any other."""
    base = FINDINGS[0]
    variants = [
        base,
        Finding("a.yaml", 7, 1, "JC101", 7, 9, "unknown-field", Severity.INFO, "m", "spec.y", 0, "Job", "ns", "o"),
        Finding("a.yaml", 8, 1, "JC101", 8, 9, "unknown-field", Severity.WARNING, "m", "spec.y", 1, "CronJob", "", "p",
                "Fix it.", None),
        Finding("a.yaml", 9, 1, "JC102", 0, 0, "other", Severity.ERROR, "m", "", 1, "CronJob", "", "p", "Fix it.", None),
        base,
    ]
    for finding in variants + variants:
        for prefix in ("    ", "  "):
            expected = prefix + json.dumps(finding_dict(finding), indent=2).replace("\n", "\n" + prefix)
            assert finding_json(finding, prefix) == expected
