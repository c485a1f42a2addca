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
