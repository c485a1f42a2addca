"""Defaults a team keeps (what fails a build, the correctness gate) and per-file configuration."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobcheck.cli import main
from jobcheck.lint.registry import load_rules

JOB = textwrap.dedent(
    """\
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: report
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: busybox
              env:
                - name: DB_PASSWORD
                  valueFrom:
                    secretKeyRef:
                      name: db
                      key: password
              envFrom:
                - secretRef:
                    name: everything
    """
)


def lint(*args: str, cwd: Path | None = None) -> tuple[int, list[dict]]:
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = runner.invoke(main, ["lint", "--format", "json", *args])
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def by_rule(findings: list[dict]) -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = {}
    for f in findings:
        out.setdefault(f["rule"], []).append((f["line"], f["column"], f["severity"]))
    return out


@pytest.fixture
def job(tmp_path: Path) -> Path:
    path = tmp_path / "job.yaml"
    path.write_text(JOB)
    return path


def test_only_errors_fail_the_build_by_default(job: Path) -> None:
    code, findings = lint(str(job), "--no-config")
    severities = {f["severity"] for f in findings}
    assert "warning" in severities and "error" not in severities
    assert code == 0
    code, _ = lint(str(job), "--no-config", "--fail-on", "warning")
    assert code == 1


def test_one_secret_key_informs_a_whole_secret_warns(job: Path) -> None:
    _, findings = lint(str(job), "--no-config", "--select", "JC502")
    assert by_rule(findings)["JC502"] == [(15, 17, "info"), (19, 15, "warning")]


def test_a_configured_severity_still_wins_over_the_split(job: Path, tmp_path: Path) -> None:
    (tmp_path / ".jobcheck.yaml").write_text("severity:\n  JC502: error\n")
    _, findings = lint(str(job), "--select", "JC502")
    assert [s for _, _, s in by_rule(findings)["JC502"]] == ["error", "error"]


def test_correctness_selects_what_the_server_or_a_controller_refuses_or_mis_runs() -> None:
    rules = load_rules()
    chosen = {rid for rid, r in rules.items() if r.correctness}
    # Every error the API server raises is in it; no best practice is.
    assert {"JC001", "JC101", "JC102", "JC103", "JC301", "JC304"} <= chosen
    assert not chosen & {"JC201", "JC202", "JC306", "JC401", "JC402", "JC502", "JC603", "JC701"}
    bad = Path(__file__).resolve().parents[1] / "examples" / "report-job.yaml"
    code, findings = lint(str(bad), "--no-config", "--select", "correctness")
    assert findings and {f["rule"] for f in findings} <= chosen
    assert code == 1


def test_every_shipped_rule_says_why_it_has_its_severity() -> None:
    for rid, rule in load_rules().items():
        assert rule.severity_reason, f"{rid} has no severity_reason"
        first = rule.severity_reason.split(":", 1)[0].split(",", 1)[0].split(" ", 1)[0].lower()
        assert first in ("error", "warning", "info"), f"{rid}: the reason should open with the severity"
        assert first == str(rule.severity) or "info for" in rule.severity_reason.lower(), rid


def test_rule_docs_show_the_severity_reason() -> None:
    result = CliRunner().invoke(main, ["rule", "JC402"])
    assert result.exit_code == 0
    assert "## Default severity" in result.output and "LimitRange" in result.output


# --- each file with the nearest configuration above it ---------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for rel in ("job.yaml", "team/job.yaml", "team/sub/job.yaml", "team/sub/skipme.yaml", "other/job.yaml"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(JOB)
    (tmp_path / ".jobcheck.yaml").write_text("ignore: [JC701]\n")
    (tmp_path / "team" / ".jobcheck.yaml").write_text('select: [JC701]\nexclude: ["sub/skipme.yaml"]\n')
    return tmp_path


def files_by_rule(findings: list[dict]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in findings:
        out.setdefault(os.path.normpath(f["file"]), set()).add(f["rule"])
    return out


def test_a_directory_walk_uses_each_files_nearest_config(tree: Path) -> None:
    _, findings = lint(".", cwd=tree)
    seen = files_by_rule(findings)
    assert seen["team/job.yaml"] == {"JC701"} and seen["team/sub/job.yaml"] == {"JC701"}
    assert "JC701" not in seen["job.yaml"] and "JC701" not in seen["other/job.yaml"]
    assert "JC201" in seen["job.yaml"] and "JC201" in seen["other/job.yaml"]
    assert "team/sub/skipme.yaml" not in seen  # the nested config's exclude, relative to it


def test_explicit_files_and_jobs_2_agree(tree: Path) -> None:
    _, walked = lint(".", cwd=tree)
    _, parallel = lint(".", "--jobs", "2", cwd=tree)
    assert walked == parallel
    _, explicit = lint("team/sub/job.yaml", "job.yaml", cwd=tree)
    seen = files_by_rule(explicit)
    assert seen["team/sub/job.yaml"] == {"JC701"} and "JC701" not in seen["job.yaml"]


def test_a_file_without_config_above_it_gets_the_defaults_not_the_first_paths(tmp_path: Path, tree: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "job.yaml").write_text(JOB)
    _, findings = lint(str(tree / "team" / "job.yaml"), str(outside / "job.yaml"))
    seen = {Path(f["file"]).parent.name: set() for f in findings}
    for f in findings:
        seen[Path(f["file"]).parent.name].add(f["rule"])
    assert seen["team"] == {"JC701"}
    assert {"JC701", "JC201"} <= seen[outside.name]


def test_command_line_wins_and_config_flag_uses_one_file(tree: Path) -> None:
    _, findings = lint(".", "--ignore", "JC701", cwd=tree)
    assert "team/job.yaml" not in files_by_rule(findings)
    _, findings = lint(".", "--config", ".jobcheck.yaml", cwd=tree)
    seen = files_by_rule(findings)
    assert "JC201" in seen["team/job.yaml"] and "JC701" not in seen["team/job.yaml"]
    assert "team/sub/skipme.yaml" in seen


def test_a_broken_nested_config_is_a_usage_error(tree: Path) -> None:
    (tree / "other" / ".jobcheck.yaml").write_text("kubernetes-version: 1.30\n")
    code, _ = CliRunner().invoke(main, ["lint", str(tree)]).exit_code, None
    assert code == 2


def test_fix_uses_the_files_own_config(tree: Path) -> None:
    (tree / "team" / ".jobcheck.yaml").write_text("select: [JC201]\nparams:\n  missing-ttl: {default_ttl: 123}\n")
    result = CliRunner().invoke(main, ["lint", "--diff", str(tree / "team" / "job.yaml"), str(tree / "job.yaml")])
    assert "ttlSecondsAfterFinished: 123" in result.output
    assert result.output.count("ttlSecondsAfterFinished") == 2  # the root's default for the other file
