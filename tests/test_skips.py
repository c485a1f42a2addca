"""What jobcheck leaves alone: documents that are not Kubernetes objects, and files that do not
parse and are not meant to be manifests (issue 11, part 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobcheck.cli import main

BROKEN_JOB = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: [report\n"

NOT_MANIFESTS = {
    "playbook.yaml": ("- hosts: all\n  tasks:\n    - name: run the job\n      command: kubectl apply -f job.yaml\n",
                      "document 1 is a list, not a Kubernetes object"),
    "patch.json": ('[{"op": "replace", "path": "/spec/schedule", "value": "0 * * * *"}]\n',
                   "document 1 is a list, not a Kubernetes object"),
    ".pre-commit-hooks.yaml": ("- id: jobcheck\n  entry: jobcheck lint\n", "is a list"),
    "scalar.yaml": ("just a string\n", "document 1 is a str scalar, not a Kubernetes object"),
    "values.yaml": ("image: {repository: descheduler}\nkind: CronJob\nschedule: '*/2 * * * *'\n",
                    "document 1 is a mapping without apiVersion, not a Kubernetes object"),
    "workflow.yml": ("name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
                     "mapping without apiVersion and kind"),
    "compose.yaml": ("services:\n  web:\n    image: nginx\n", "mapping without apiVersion and kind"),
    "tsconfig.json": ('{\n  // the compiler\n  "compilerOptions": {"strict": true,},\n}\n',
                      "document 1 does not parse, and the file names no Job or CronJob"),
    "broken-values.yaml": ("replicas: [1, 2\n", "does not parse"),
    "empty.yaml": ("", "empty: no YAML documents"),
    "binary.json": (b"\x7fELF\x00\x00\x01", "not text"),
}


def lint(*args: str) -> tuple[int, dict, str]:
    result = CliRunner().invoke(main, ["lint", "--format", "json", "--no-config", *args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, json.loads(result.stdout), result.stderr


def write(root: Path, name: str, content: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(NOT_MANIFESTS))
def test_a_non_manifest_gives_no_finding_and_verbose_says_why(tmp_path: Path, name: str) -> None:
    content, reason = NOT_MANIFESTS[name]
    path = write(tmp_path, name, content)
    code, report, stderr = lint("--verbose", "--extend-select", "ALL", str(path))
    assert (code, report["findings"]) == (0, [])
    assert f"{path}: skipped: " in stderr and reason in stderr, stderr


def test_without_verbose_skips_are_silent(tmp_path: Path) -> None:
    path = write(tmp_path, "compose.yaml", NOT_MANIFESTS["compose.yaml"][0])
    code, report, stderr = lint(str(path))
    assert code == 0 and "skipped" not in stderr


@pytest.mark.parametrize("content, line", [
    (BROKEN_JOB, 5),
    ('{"apiVersion": "batch/v1", "kind": "CronJob", // why\n "spec": {}}\n', 2),
    ("kind: CronJob\nspec: [\n", 3),
    ("apiVersion: batch/v1\nkind: Job\n---\na: [\n", 5),  # the broken document is not the Job
])
def test_an_unparseable_manifest_still_gets_jc001(tmp_path: Path, content: str, line: int) -> None:
    path = write(tmp_path, "job.yaml", content)
    code, report, stderr = lint("--verbose", "--select", "JC001", str(path))
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("JC001", line)]
    assert "skipped" not in stderr


def test_an_undecodable_manifest_still_gets_jc001(tmp_path: Path) -> None:
    path = write(tmp_path, "job.yaml", b"apiVersion: batch/v1\nkind: Job\nmetadata: {name: caf\xe9}\n")
    code, report, _ = lint("--select", "JC001", str(path))
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("JC001", 3)]


def test_kubernetes_objects_in_a_mixed_stream_are_still_linted(tmp_path: Path) -> None:
    path = write(tmp_path, "mixed.yaml", "- a\n---\nname: x\n---\napiVersion: batch/v1\nkind: Job\nkind: Job\n")
    code, report, stderr = lint("--verbose", "--select", "JC002", str(path))
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("JC002", 7)]
    assert "skipped" not in stderr  # a Job was linted: the file is not skipped


def test_duplicate_keys_in_a_non_manifest_are_not_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "values.yaml", "kind: CronJob\nimage: a\nimage: b\n")
    assert lint("--select", "JC002", str(path))[1]["findings"] == []


def test_a_list_item_without_apiversion_still_hits_the_gate(tmp_path: Path) -> None:
    # Inside a kind: List (a Kubernetes object) a Job item is meant to be applied.
    path = write(tmp_path, "list.yaml", "apiVersion: v1\nkind: List\nitems:\n  - kind: Job\n    metadata: {name: j}\n")
    assert [f["rule"] for f in lint(str(path))[1]["findings"]] == ["JC102"]


def test_verbose_names_objects_of_other_kinds(tmp_path: Path) -> None:
    path = write(tmp_path, "d.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n")
    assert "Deployment is not a Job or CronJob" in lint("-v", str(path))[2]


def test_standard_input_is_skipped_the_same_way() -> None:
    result = CliRunner().invoke(main, ["lint", "--no-config", "-v", "-"], input="- a\n")
    assert result.exit_code == 0 and "<stdin>: skipped: document 1 is a list" in result.stderr
