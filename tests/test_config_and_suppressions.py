"""Configuration discovery and precedence, suppressions, custom rules and the rule docs commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobcheck.cli import main
from jobcheck.config import load_config

README = Path(__file__).resolve().parents[1] / "README.md"

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      backoffLimit: 10
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: python:3.12
"""


def lint(*args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(main, ["lint", "--format", "json", *args], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)["findings"], result.stderr


def rules_of(findings: list[dict]) -> set[str]:
    return {f["rule"] for f in findings}


def test_jobcheck_yaml_is_found_walking_up(tmp_path: Path) -> None:
    (tmp_path / ".jobcheck.yaml").write_text("ignore: [JC306, missing-requests]\nseverity: {JC305: error}\n")
    path = tmp_path / "deploy" / "cron.yaml"
    path.parent.mkdir()
    path.write_text(CRONJOB)
    _, findings, _ = lint(str(path))
    assert "JC306" not in rules_of(findings) and "JC401" not in rules_of(findings)
    assert {f["severity"] for f in findings if f["rule"] == "JC305"} == {"error"}


def test_pyproject_tool_section_and_cli_precedence(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.jobcheck]\nselect = ["JC203"]\n'
                                             'params = {JC203 = {max = 3}}\n')
    path = tmp_path / "cron.yaml"
    path.write_text(CRONJOB)
    _, findings, _ = lint(str(path))
    assert rules_of(findings) == {"JC203"}
    assert findings[0]["severity"] == "warning" and "10" in findings[0]["message"]
    _, findings, _ = lint(str(path), "--select", "JC306")  # the command line wins
    assert rules_of(findings) == {"JC306"}
    _, findings, _ = lint(str(path), "--no-config", "--select", "JC203")  # default max is not exceeded
    assert findings == []


@pytest.mark.parametrize("text, where", [
    ("select: [JC999]\n", "no rule matches"),
    ("fail-on: sometimes\n", ".jobcheck.yaml:1:1"),
    ("colour: true\n", ".jobcheck.yaml:1:1: unknown config key"),
    ("ignore: [JC306]\nseverity: loud\n", ".jobcheck.yaml:2:1"),
    ("params: {JC203: {maximum: 3}}\n", "no parameter maximum"),
    ("ignore: [JC306\n", ".jobcheck.yaml:2:1"),
])
def test_bad_config_is_a_usage_error_with_its_position(tmp_path: Path, text: str, where: str) -> None:
    (tmp_path / ".jobcheck.yaml").write_text(text)
    path = tmp_path / "cron.yaml"
    path.write_text(CRONJOB)
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 2
    assert where in result.stderr and "Traceback" not in result.output


def test_inline_line_above_file_and_annotation_suppressions(tmp_path: Path) -> None:
    text = CRONJOB.replace("      backoffLimit: 10\n", "      backoffLimit: 15  # jobcheck: ignore[JC203]\n")
    text = text.replace("spec:\n  schedule", "# jobcheck: ignore[concurrency-allow, JC305]\nspec:\n  schedule", 1)
    text = "# jobcheck: ignore-file[JC401]\n" + text
    text = text.replace("  name: report\n", "  name: report\n  annotations:\n    jobcheck.dev/ignore: \"JC402\"\n", 1)
    path = tmp_path / "s.yaml"
    path.write_text(text)
    _, findings, _ = lint(str(path), "--select", "JC305,JC306,JC401,JC402,JC203,JC000")
    assert findings == [], findings


def test_unused_suppressions_are_reported(tmp_path: Path) -> None:
    text = CRONJOB.replace("      backoffLimit: 10\n", "      backoffLimit: 10  # jobcheck: ignore[JC201]\n")
    text = text.replace("  name: report\n", "  name: report\n  annotations:\n    jobcheck.dev/ignore: JC999\n", 1)
    path = tmp_path / "u.yaml"
    path.write_text(text)
    _, findings, _ = lint(str(path), "--select", "JC000,JC201")
    lines = sorted((f["line"], f["rule"]) for f in findings)
    assert lines == [(6, "JC000"), (11, "JC000")]


def test_suppressing_a_rule_the_run_does_not_select_is_not_unused(tmp_path: Path) -> None:
    text = CRONJOB.replace("      backoffLimit: 10\n", "      backoffLimit: 10  # jobcheck: ignore[JC201, JC999]\n")
    text = text.replace("  name: report\n", "  name: report\n  annotations:\n    jobcheck.dev/ignore: missing-ttl\n", 1)
    path = tmp_path / "u.yaml"
    path.write_text(text)
    _, findings, _ = lint(str(path), "--select", "JC000")  # JC201 does not run: only the unknown JC999 is stale
    assert [(f["line"], f["message"]) for f in findings] == [(11, "suppression of JC999 matches no finding")]


def test_a_file_with_a_syntax_error_reports_no_unused_suppression(tmp_path: Path) -> None:
    text = CRONJOB.replace("      backoffLimit: 10\n", "      backoffLimit: 10  # jobcheck: ignore[JC203]\n")
    path = tmp_path / "broken.yaml"
    path.write_text(text + "  bad: [unclosed\n")
    _, findings, _ = lint(str(path))
    assert rules_of(findings) == {"JC001"}


@pytest.mark.parametrize("written, accepted", [("1.30", None), ('"1.30"', "1.30"), ("'1.29'", "1.29")])
def test_an_unquoted_kubernetes_version_gets_a_hint_to_quote_it(tmp_path: Path, written: str,
                                                                accepted: str | None) -> None:
    (tmp_path / ".jobcheck.yaml").write_text(f"strict: true\nkubernetes-version: {written}\n")
    path = tmp_path / "cron.yaml"
    path.write_text(CRONJOB)
    result = CliRunner().invoke(main, ["lint", "--format", "json", str(path)])
    if accepted is None:
        assert result.exit_code == 2
        assert ".jobcheck.yaml:2:21: kubernetes-version 1.3 is read as a number (1.30 unquoted is 1.3); quote it" in result.stderr
    else:
        assert result.exit_code in (0, 1), result.output
        assert load_config(tmp_path / ".jobcheck.yaml").kubernetes_version == accepted


def _readme_rule() -> str:
    text = README.read_text(encoding="utf-8")
    return re.search(r"# policy/jobcheck-rules/ACME001-team-label.yaml\n(.*?)```", text, re.DOTALL).group(1)


def test_the_readme_custom_rule_works(tmp_path: Path) -> None:
    rules = tmp_path / "policy"
    rules.mkdir()
    (rules / "ACME001-team-label.yaml").write_text(_readme_rule())
    bad, good = tmp_path / "bad.yaml", tmp_path / "good.yaml"
    bad.write_text(CRONJOB)
    good.write_text(CRONJOB.replace("  name: report\n", "  name: report\n  labels:\n    team: payments\n", 1))
    code, findings, _ = lint(str(bad), "--rules-dir", str(rules), "--select", "ACME001")
    assert code == 1 and [(f["rule"], f["line"], f["message"]) for f in findings] == \
        [("ACME001", 3, "CronJob report has no valid team label")]
    code, findings, _ = lint(str(good), "--rules-dir", str(rules), "--select", "custom")
    assert code == 0 and findings == []


def test_a_broken_custom_rule_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "X001-broken.yaml").write_text("id: X001\nname: broken\nseverity: loud\ncategory: custom\n"
                                                "summary: s\ncheck: {target: container, require: {field: a, present: true}}\n")
    path = tmp_path / "j.yaml"
    path.write_text(CRONJOB)
    result = CliRunner().invoke(main, ["lint", str(path), "--rules-dir", str(tmp_path)])
    assert result.exit_code == 2 and "X001-broken.yaml:3:1: severity" in result.stderr


def test_rules_listing_and_rule_docs() -> None:
    runner = CliRunner()
    listing = runner.invoke(main, ["rules"]).stdout
    assert re.search(r"^JC306\s+concurrency-allow\s+info\s+on\s+", listing, re.MULTILINE)
    as_json = json.loads(runner.invoke(main, ["rules", "--format", "json"]).stdout)
    assert {r["id"] for r in as_json} >= {"JC001", "JC306", "JC901"}
    doc = runner.invoke(main, ["rule", "concurrency-allow"]).stdout
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in doc
    assert runner.invoke(main, ["rule", "JC999"]).exit_code == 2


def test_output_file_gets_the_report_and_the_terminal_the_summary(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(CRONJOB)
    out = tmp_path / "report.sarif"
    result = CliRunner().invoke(main, ["lint", str(path), "--format", "sarif", "--output", str(out), "--fail-on", "warning"])
    assert result.exit_code == 1
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert "Checked 1 file" in result.output and '"$schema"' not in result.output


def test_tutorial_manifests_are_reported_where_it_matters(tmp_path: Path) -> None:
    """The issue's example: what users copy from tutorials, each at its exact line."""
    text = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: tutorial
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: dump
          image: postgres:16
          args: ["--file=/out/dump-$(date +%Y%m%d).sql"]
          envFrom:
            - secretRef:
                name: db
        - name: ok
          image: busybox:1.36
          command: ["sh", "-c", "echo $(date) > /tmp/x"]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tutorial-cron
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: c
              image: busybox:1.36
"""
    path = tmp_path / "t.yaml"
    path.write_text(text)
    _, findings, _ = lint(str(path))
    got = {(f["line"], f["rule"]) for f in findings}
    assert {(5, "JC201"), (10, "JC402"), (12, "JC801"), (14, "JC502"), (24, "JC306"), (32, "JC402")} <= got
    assert not [f for f in findings if f["rule"] == "JC801" and f["line"] == 18]


def test_the_readme_suppression_example_works(tmp_path: Path) -> None:
    section = README.read_text(encoding="utf-8").split("### Suppressions", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1)
    path = tmp_path / "nightly.yaml"
    path.write_text(example)
    _, findings, _ = lint(str(path), "--no-config", "--select", "JC000,JC202,JC305,JC306,JC307")
    assert findings == [], findings
    _, findings, _ = lint(str(path), "--no-config", "--select", "JC000,JC202,JC305,JC306,JC307,JC401")
    assert rules_of(findings) == {"JC401"}


BLOCKS = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      # jobcheck: ignore[JC307]
      backoffLimit: 3
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              # jobcheck: ignore[JC401]
              # jobcheck: ignore[JC402]
              image: python:3.12
"""


def test_a_comment_in_a_block_covers_that_block_key_only(tmp_path: Path) -> None:
    path = tmp_path / "blocks.yaml"
    # The containers' missing requests and limits are reported at the list item: the stacked
    # comments inside it silence them. JC307 is reported at the CronJob's spec:, an outer block.
    path.write_text(BLOCKS + "---\n" + BLOCKS.replace("ignore[JC307]", "ignore[JC202]"))
    _, findings, _ = lint(str(path), "--no-config", "--select", "JC000,JC202,JC307,JC401,JC402")
    assert sorted((f["document"], f["line"], f["rule"]) for f in findings) == [
        # Document 1: the comment under jobTemplate's spec: (line 8, where JC202 is) names JC307.
        (0, 5, "JC307"), (0, 8, "JC202"), (0, 9, "JC000"),
        # Document 2: the same comment names JC202 and silences it; JC307 stays at the outer spec:.
        (1, 24, "JC307"),
    ], findings


def test_config_exclude_is_relative_to_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".jobcheck.yaml").write_text('exclude: ["deploy/old/*"]\n')
    for name in ("old", "new"):
        (tmp_path / "deploy" / name).mkdir(parents=True)
        (tmp_path / "deploy" / name / "cron.yaml").write_text(CRONJOB)
    monkeypatch.chdir(tmp_path / "deploy")
    _, findings, _ = lint(".")
    assert {Path(f["file"]).parent.name for f in findings} == {"new"}
    _, findings, _ = lint(str(tmp_path / "deploy"))  # the same, given as an absolute path
    assert {Path(f["file"]).parent.name for f in findings} == {"new"}
    _, findings, _ = lint(".", "--exclude", "new/*")  # --exclude: relative to the working directory
    assert findings == []
