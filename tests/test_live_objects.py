"""Objects exported from a cluster (issue 11, part 4): the server's own fields are not errors, one
info finding (JC004) says what re-applying would meet, and a CronJob's Jobs are not blamed for the
CronJob's choices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobcheck.cli import main
from jobcheck.finding import Key
from jobcheck.kube.objects import iter_workloads
from jobcheck.lint.engine import lint_text
from jobcheck.lint.registry import RuleError, load_rule_file
from jobcheck.yaml.loader import load_text

EXPORT = Path(__file__).parent / "data" / "live" / "cronjob-export.yaml"
UID = "95052288-f609-11e8-aa53-42010a80021b"

# An exported Job as Kubernetes before 1.27 wrote it: controller-uid only, no batch.kubernetes.io/ labels.
EXPORTED_JOB = f"""\
apiVersion: batch/v1
kind: Job
metadata:
  creationTimestamp: "2026-12-02T08:09:25Z"
  labels:
    controller-uid: {UID}
    job-name: fail
  name: fail
  resourceVersion: "46534173"
  uid: {UID}
spec:
  backoffLimit: 0
  selector:
    matchLabels:
      controller-uid: {UID}
  template:
    metadata:
      labels:
        controller-uid: {UID}
        job-name: fail
    spec:
      containers:
      - image: alpine:3.20
        name: fail
      restartPolicy: Never
status:
  failed: 1
"""

OWNED_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: nightly-29413620
  ownerReferences:
  - apiVersion: batch/v1
    kind: CronJob
    name: nightly
    uid: 2f1c9a7e-5b3d-4e61-9a0c-7d8e1f2a3b4c
    controller: true
spec:
  template:
    spec:
      containers:
      - image: registry.example.com/report:1.4.2
        name: report
      restartPolicy: Never
"""


def workload(text: str):
    (w,) = iter_workloads(next(iter(load_text(text))).data)
    return w


def ids(findings, rule: str) -> list:
    return [f for f in findings if f.rule == rule]


def test_a_cluster_export_gives_no_error_and_one_info_per_refused_object() -> None:
    result = CliRunner().invoke(main, ["lint", "--format", "json", "--no-config", "-"],
                                input=EXPORT.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["severity"], f["line"]) for f in findings] == [("JC004", "info", 7), ("JC004", "info", 84)]
    job = findings[1]["message"]
    assert "a create must not set metadata.resourceVersion" in job
    assert "spec.selector" in job and "spec.template.metadata.labels[batch.kubernetes.io/controller-uid]" in job


def test_live_is_recognised_from_server_written_fields() -> None:
    w = workload(EXPORTED_JOB)
    assert w.live and w.uid == UID
    assert w.server_written() == [
        ("metadata", "uid"), ("metadata", "resourceVersion"), ("metadata", "creationTimestamp"),
        ("spec", "selector"),
        ("spec", "template", "metadata", "labels", Key("controller-uid")),
        ("spec", "template", "metadata", "labels", Key("job-name")),
        ("status",),
    ]
    assert not workload("apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec: {}\n").live
    assert workload("apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nstatus: {}\n").live


def test_owner_kinds() -> None:
    assert workload(OWNED_JOB).owner_kinds == {"CronJob"}
    assert workload(EXPORTED_JOB).owner_kinds == frozenset()


def test_jc103_checks_the_generated_selector_against_the_live_uid() -> None:
    assert ids(lint_text(EXPORTED_JOB), "JC103") == []
    # The same fields on a manifest that is not live: the server would generate a new UID.
    fresh = "\n".join(line for line in EXPORTED_JOB.splitlines()
                      if not line.lstrip().startswith(("uid:", "resourceVersion:", "creationTimestamp:")))
    fresh = fresh.split("status:")[0]
    messages = [f.message for f in ids(lint_text(fresh), "JC103")]
    assert any("`selector` not auto-generated" in m for m in messages)
    assert any("must be '<uid>'" in m for m in messages)


def test_jc103_still_reports_labels_that_do_not_match_the_live_uid() -> None:
    other = EXPORTED_JOB.replace(f"        controller-uid: {UID}", "        controller-uid: 0000", 1)
    messages = [f.message for f in ids(lint_text(other), "JC103")]
    assert any(f"must be '{UID}'" in m for m in messages), messages


def test_jc004_once_at_metadata_with_the_fields_to_remove() -> None:
    (finding,) = ids(lint_text(EXPORTED_JOB), "JC004")
    assert (finding.line, finding.column) == (3, 1)
    assert finding.message.startswith("Job fail was exported from a cluster and would be refused")
    assert "its generated selector and controller-uid labels name its own UID" in finding.message
    assert finding.message.endswith(
        "remove metadata.uid, metadata.resourceVersion, metadata.creationTimestamp, spec.selector, "
        "spec.template.metadata.labels[controller-uid], spec.template.metadata.labels[job-name], status")


def test_jc004_silent_when_nothing_would_be_refused() -> None:
    status_only = OWNED_JOB + "status:\n  active: 1\n"
    assert workload(status_only).live
    assert ids(lint_text(status_only), "JC004") == []


@pytest.mark.parametrize("rule", ["JC201", "JC202"])
def test_a_cronjobs_job_is_not_blamed_for_the_cronjobs_choices(rule: str) -> None:
    assert ids(lint_text(OWNED_JOB), rule) == []
    standalone = OWNED_JOB.replace("kind: CronJob", "kind: ReplicaSet")
    assert len(ids(lint_text(standalone), rule)) == 1
    unowned = "\n".join(line for line in OWNED_JOB.splitlines()[:4]) + "\n" + OWNED_JOB.split("    controller: true\n")[1]
    assert len(ids(lint_text(unowned), rule)) == 1


def test_skip_owned_by_must_list_kinds(tmp_path: Path) -> None:
    rule = tmp_path / "X001-x.yaml"
    rule.write_text("id: X001\nname: x\nseverity: info\ncategory: custom\nsummary: x\n"
                    "skip_owned_by: CronJob\ncheck: {python: 'a.b:c'}\n", encoding="utf-8")
    with pytest.raises(RuleError, match="skip_owned_by must be a list of kinds"):
        load_rule_file(rule)
    rule.write_text(rule.read_text(encoding="utf-8").replace("skip_owned_by: CronJob", "skip_owned_by: [CronJob]"),
                    encoding="utf-8")
    assert load_rule_file(rule).skip_owned_by == ("CronJob",)
