"""A typical infrastructure repository, linted as a directory walk and as pre-commit's file list.

`tests/data/realistic-repo` holds what such a repository holds beside its Jobs: an Ansible playbook,
a GitHub workflow, a docker-compose file, JSON with comments, a pre-commit hook list, a Helm chart
(templates and values), a kustomize base with an overlay's patches, a `kubectl get` export of a
Job its CronJob owns, a Kueue Job, Helm and Argo CD hooks, odd scalars, a JSON CronJob, a
kuttl/chainsaw test step with its assertion, a `node_modules` folder and a .gitignore'd folder (both with broken Jobs that are not the user's),
and a few real broken manifests. Only the real problems may be reported, each at its place.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from jobcheck.cli import main

REPO = Path(__file__).parent / "data" / "realistic-repo"

# Every finding, at default settings: (file, line, column, rule, severity).
EXPECTED = {
    # A template is not linted; one note says what to lint instead.
    ("charts/reports/templates/cronjob.yaml", 4, 9, "JC005", "info"),
    # A cluster export: the server-set fields are not errors, one note says what to remove to
    # re-apply it, and the CronJob's choices (TTL, deadline) are not blamed on its Job.
    ("exports/cluster-export.yaml", 9, 3, "JC004", "info"),
    # The misspelt TTL: unknown to the server, so the Job also has no TTL.
    ("jobs/broken/backup.yaml", 7, 3, "JC101", "error"),
    ("jobs/broken/backup.yaml", 6, 1, "JC201", "warning"),
    ("jobs/broken/backup.yaml", 12, 22, "JC103", "error"),  # restartPolicy Always
    ("jobs/broken/backup.yaml", 17, 18, "JC701", "warning"),  # :latest
    ("jobs/broken/backup.yaml", 20, 22, "JC501", "error"),  # a committed secret access key
    ("jobs/broken/backup.yaml", 22, 22, "JC102", "error"),  # an env value that is a number
    # A CronJob of an API long gone, with a TZ= prefix the server refuses; its best-practice
    # gaps are informed about, one warning for the requests it lacks.
    ("jobs/broken/report-cron.yaml", 1, 13, "JC003", "error"),
    ("jobs/broken/report-cron.yaml", 6, 14, "JC302", "error"),
    ("jobs/broken/report-cron.yaml", 5, 1, "JC305", "info"),
    ("jobs/broken/report-cron.yaml", 5, 1, "JC306", "info"),
    ("jobs/broken/report-cron.yaml", 5, 1, "JC307", "info"),
    ("jobs/broken/report-cron.yaml", 8, 5, "JC202", "info"),
    ("jobs/broken/report-cron.yaml", 8, 5, "JC203", "info"),
    ("jobs/broken/report-cron.yaml", 13, 15, "JC401", "warning"),
    ("jobs/broken/report-cron.yaml", 13, 15, "JC402", "info"),
    ("jobs/broken/report-cron.yaml", 13, 15, "JC602", "info"),
    ("jobs/broken/report-cron.yaml", 13, 15, "JC603", "info"),
    ("jobs/broken/report-cron.yaml", 13, 15, "JC604", "info"),
    # A Job manifest cut off in the middle of a string.
    ("jobs/broken/syntax.yaml", 11, 1, "JC001", "error"),
    # A kustomize patch: checked for what it says (an hour of 25), never for what it leaves out.
    ("k8s/overlays/prod/schedule-patch.yaml", 7, 17, "JC301", "error"),
}


def lint(args: list[str], cwd: Path) -> tuple[int, dict]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["lint", "--no-config", "--format", "json", *args])
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def found(report: dict) -> set[tuple]:
    return {(os.path.normpath(f["file"]), f["line"], f["column"], f["rule"], f["severity"]) for f in report["findings"]}


def precommit_files() -> list[str]:
    """What pre-commit passes for `types_or: [yaml, json]`: the tracked files, so neither
    node_modules nor what .gitignore ignores, but hidden folders (.github) included."""
    files = []
    for root, dirs, names in os.walk(REPO):
        rel_root = os.path.relpath(root, REPO)
        dirs[:] = sorted(d for d in dirs if d not in ("node_modules", "generated"))
        for name in sorted(names):
            if name.endswith((".yaml", ".yml", ".json")):
                files.append(os.path.normpath(os.path.join(rel_root, name)))
    return files


def test_the_directory_walk_reports_exactly_the_real_problems() -> None:
    code, report = lint(["."], REPO)
    assert found(report) == EXPECTED
    assert len(report["findings"]) == len(EXPECTED)  # nothing reported twice
    assert code == 1  # errors fail the build
    summary = report["summary"]
    assert summary["io_errors"] == 0 and summary["jobs"] == 7 and summary["cronjobs"] == 4


def test_precommits_file_list_reports_the_same() -> None:
    files = precommit_files()
    assert ".github/workflows/ci.yml" in files and "config/tsconfig.json" in files
    assert "e2e/nightly/01-assert.yaml" in files
    assert not any("node_modules" in f or f.startswith("generated") for f in files)
    code, report = lint(files, REPO)
    assert found(report) == EXPECTED
    assert code == 1
    _, parallel = lint(["--jobs", "2", *files], REPO)
    assert parallel["findings"] == report["findings"]


def test_what_is_not_the_users_is_left_alone_unless_asked_for() -> None:
    _, report = lint([".", "--no-default-excludes", "--no-respect-gitignore"], REPO)
    extra = {(f, rule) for f, _, _, rule, _ in found(report) - EXPECTED}
    assert ("node_modules/left-pad/k8s/job.yaml", "JC103") in extra
    assert ("generated/job.yaml", "JC103") in extra


def test_the_correctness_gate_keeps_only_refusals_and_mis_runs() -> None:
    code, report = lint([".", "--select", "correctness", "--fail-on", "warning"], REPO)
    assert found(report) == {f for f in EXPECTED if f[3] in {
        "JC001", "JC003", "JC004", "JC101", "JC102", "JC103", "JC301", "JC302"}}
    assert code == 1


def test_the_healthy_part_passes_at_default_settings() -> None:
    healthy = [f for f in precommit_files() if "broken" not in f and "overlays" not in f]
    code, report = lint(healthy, REPO)
    assert {f["severity"] for f in report["findings"]} == {"info"}
    assert code == 0
