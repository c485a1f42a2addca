"""GitLab Code Quality: the fields GitLab documents as required (description, check_name,
fingerprint, severity, location.path, location.lines.begin) and Code Climate's type/categories."""

from __future__ import annotations

import json

from report_samples import finding, shifted

from jobcheck.report import render

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
CATEGORIES = {
    "Bug Risk",
    "Clarity",
    "Compatibility",
    "Complexity",
    "Duplication",
    "Performance",
    "Security",
    "Style",
}


def issues(findings, summary, rules, ctx) -> list[dict]:
    report = json.loads(render("gitlab", findings, summary, rules, ctx))
    assert isinstance(report, list)
    return report


def test_required_fields(findings, summary, rules, ctx):
    report = issues(findings, summary, rules, ctx)
    assert len(report) == len(findings)
    for issue in report:
        for key in ("description", "check_name", "fingerprint", "severity"):
            assert isinstance(issue[key], str) and issue[key], key
        assert issue["severity"] in SEVERITIES
        assert isinstance(issue["location"]["path"], str)
        begin = issue["location"]["lines"]["begin"]
        assert isinstance(begin, int) and begin >= 1
        assert issue["type"] == "issue"
        assert issue["categories"] and set(issue["categories"]) <= CATEGORIES
        assert issue["engine_name"] == "jobcheck"


def test_content(findings, summary, rules, ctx):
    report = issues(findings, summary, rules, ctx)
    by_check = {}
    for issue in report:
        by_check.setdefault(issue["check_name"], []).append(issue)
    first = by_check["JC101"][0]
    assert first["description"] == "restartPolicy is not set (JC101 restart-policy-missing)"
    assert first["severity"] == "major"
    assert first["location"] == {"path": "deploy/job.yaml", "lines": {"begin": 3}}
    assert first["content"]["body"].startswith("Set restartPolicy to Never or OnFailure.")
    assert {i["severity"] for i in by_check["JC306"]} == {"minor"}
    (image,) = by_check["JC501"]
    assert image["severity"] == "info"
    assert image["location"] == {"path": "x%y/ü:v,w.yaml", "lines": {"begin": 2, "end": 4}}
    assert image["categories"] == ["Security"]
    assert image["description"].endswith(" [from chart/templates/job.yaml] (JC501 image-latest)")
    (syntax,) = by_check["JC001"]  # no rule metadata
    assert syntax["categories"] == ["Bug Risk"]
    assert "content" not in syntax


def test_paths_are_relative_to_the_project_dir(summary, rules, ctx):
    (issue,) = issues([finding(file="/work/checkout/k8s/job.yaml")], summary, rules, ctx)
    assert issue["location"]["path"] == "k8s/job.yaml"


def test_a_finding_without_a_line_still_has_a_valid_begin(summary, rules, ctx):
    (issue,) = issues([finding(line=0, column=0, end_line=0, end_column=0)], summary, rules, ctx)
    assert issue["location"]["lines"] == {"begin": 1}


def test_fingerprints_unique_and_stable(findings, summary, rules, ctx):
    first = [i["fingerprint"] for i in issues(findings, summary, rules, ctx)]
    assert len(set(first)) == len(first)
    assert [i["fingerprint"] for i in issues(findings, summary, rules, ctx)] == first
    assert [i["fingerprint"] for i in issues(shifted(findings, 3), summary, rules, ctx)] == first


def test_empty_report_is_an_empty_array(summary, rules, ctx):
    assert render("gitlab", [], summary, rules, ctx) == "[]\n"
