"""Kustomize patches are partial objects: checked for what they say, never for what they leave
out (issue 11, part 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobcheck.cli import main
from jobcheck.discover import expand
from jobcheck.lint.registry import RuleError, load_rule_file

BASE_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: registry.example.com/migrate:2.3.0
"""

# No containers, restartPolicy, TTL, deadline or resources: the base has (or lacks) them.
PATCH = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  backofLimit: 2
  parallelism: -1
  template:
    spec:
      nodeSelector: {pool: batch}
"""


def _tree(root: Path) -> Path:
    (root / "base").mkdir()
    (root / "base" / "kustomization.yaml").write_text("resources: [job.yaml]\n")
    (root / "base" / "job.yaml").write_text(BASE_JOB)
    prod = root / "overlays" / "prod"
    prod.mkdir(parents=True)
    (prod / "kustomization.yaml").write_text(
        "resources: [../../base]\npatches:\n  - path: job-patch.yaml\n    target: {kind: Job}\n"
        "patchesStrategicMerge:\n  - more.yaml\n  - |-\n    apiVersion: batch/v1\n    kind: Job\n"
        "patchesJson6902:\n  - path: json-patch.yaml\n    target: {kind: Job, name: migrate}\n")
    (prod / "job-patch.yaml").write_text(PATCH)
    (prod / "more.yaml").write_text(PATCH.replace("backofLimit: 2", "ttlSecondsAfterFinished: 600"))
    (prod / "json-patch.yaml").write_text("- op: replace\n  path: /spec/backoffLimit\n  value: 1\n")
    (prod / "not-a-patch.yaml").write_text(PATCH)
    return root


def _findings(*args: str) -> list[tuple[str, str, int]]:
    result = CliRunner().invoke(main, ["lint", "--no-config", "--format", "json", "--select", "ALL", *args])
    assert "Traceback" not in result.output, result.output
    return sorted((Path(f["file"]).name, f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"])


def test_the_walk_marks_the_patches_a_kustomization_names(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    partial = {Path(t.path).name for t in expand([str(root)]) if t.partial}
    assert partial == {"job-patch.yaml", "more.yaml"}  # a JSON 6902 patch is a list, skipped anyway


def test_a_patch_reports_what_it_says_not_what_it_leaves_out(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    found = _findings(str(root / "overlays" / "prod" / "job-patch.yaml"))
    # the misspelt field and the value the server refuses; no Required value, no missing TTL,
    # deadline, backoff limit, requests or limits
    assert found == [("job-patch.yaml", "JC101", 6), ("job-patch.yaml", "JC103", 7)]


def test_a_walk_lints_patches_as_partial_and_the_rest_whole(tmp_path: Path) -> None:
    found = _findings(str(_tree(tmp_path)))
    by_file: dict[str, set[str]] = {}
    for name, rule, _line in found:
        by_file.setdefault(name, set()).add(rule)
    assert by_file["job-patch.yaml"] == {"JC101", "JC103"}
    assert by_file["more.yaml"] == {"JC103"}
    # the same content outside the kustomization's patches is a whole object
    assert {"JC201", "JC202", "JC203"} <= by_file["not-a-patch.yaml"]
    assert {"JC201", "JC202", "JC401", "JC402"} <= by_file["job.yaml"]
    assert "json-patch.yaml" not in by_file


def test_fix_does_not_complete_a_patch_with_what_its_base_supplies(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    patch = root / "overlays" / "prod" / "job-patch.yaml"
    result = CliRunner().invoke(main, ["lint", "--no-config", "--select", "ALL", "--diff", str(patch)])
    assert "ttlSecondsAfterFinished" not in result.stdout, result.stdout
    whole = root / "overlays" / "prod" / "not-a-patch.yaml"
    result = CliRunner().invoke(main, ["lint", "--no-config", "--select", "ALL", "--diff", str(whole)])
    assert "+  ttlSecondsAfterFinished" in result.stdout, result.stdout


def test_partial_must_be_check_or_skip(tmp_path: Path) -> None:
    rule = tmp_path / "X001-x.yaml"
    rule.write_text("id: X001\nname: x\nseverity: info\ncategory: custom\nsummary: x\n"
                    "partial: ignore\ncheck: {python: 'a.b:c'}\n", encoding="utf-8")
    with pytest.raises(RuleError, match="partial must be check or skip"):
        load_rule_file(rule)
    rule.write_text(rule.read_text(encoding="utf-8").replace("partial: ignore", "partial: skip"), encoding="utf-8")
    assert load_rule_file(rule).partial == "skip"
