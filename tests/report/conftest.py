"""Hand-built findings for the reporter tests, including the nasty ones: messages with
every character a format must escape, and paths with spaces, ``#``, ``%`` and non-ASCII."""

from __future__ import annotations

import pytest
from report_samples import CONTROL, NASTY, ROOT, finding

from jobcheck.finding import Finding, Severity, Summary
from jobcheck.report import ReportContext
from jobcheck.rulemeta import Rule


@pytest.fixture
def findings() -> list[Finding]:
    out = [
        finding(),
        finding(
            file="deploy dir/job #1.yaml",
            line=7,
            column=12,
            end_line=7,
            end_column=17,
            rule="JC306",
            name="concurrency-allow",
            severity=Severity.WARNING,
            message=NASTY,
            field="spec.concurrencyPolicy",
            kind="CronJob",
            namespace="ops",
            object="backup",
            fix="Use Forbid.\nOr Replace: 100% safe, really",
        ),
        # The same rule, object and field twice in one file: fingerprints must still differ.
        finding(
            file="deploy dir/job #1.yaml",
            line=9,
            column=1,
            end_line=0,
            end_column=0,
            rule="JC306",
            name="concurrency-allow",
            severity=Severity.WARNING,
            message="second",
            field="spec.concurrencyPolicy",
            kind="CronJob",
            namespace="ops",
            object="backup",
            fix=None,
        ),
        finding(
            file="x%y/ü:v,w.yaml",
            line=2,
            column=3,
            end_line=4,
            end_column=2,
            rule="JC501",
            name="image-latest",
            severity=Severity.INFO,
            message=CONTROL,
            field="spec.template.spec.containers[0].image",
            source="chart/templates/job.yaml",
        ),
        # A finding about the file as a whole: no object, no field.
        finding(
            file="broken.yaml",
            line=1,
            column=1,
            end_line=0,
            end_column=0,
            rule="JC001",
            name="yaml-syntax",
            message="could not parse: mapping values are not allowed here",
            field="",
            kind="",
            namespace="",
            object="",
            fix=None,
        ),
    ]
    return sorted(out)


@pytest.fixture
def summary(findings) -> Summary:
    s = Summary(files=4, documents=5, jobs=2, cronjobs=1, skipped=1)
    for f in findings:
        s.add(f)
    return s


@pytest.fixture
def rules() -> dict[str, Rule]:
    return {
        "JC101": Rule(
            id="JC101",
            name="restart-policy-missing",
            severity=Severity.ERROR,
            category="api",
            enabled=True,
            summary="Job pod template has no restartPolicy",
            what="Checks that a Job's pod template sets restartPolicy.",
            why="The API server rejects a Job whose pods would restart Always.",
            bad="kind: Job\n",
            good="kind: Job\nrestartPolicy: Never\n",
            fix="Set restartPolicy to Never or OnFailure.",
            references=("https://kubernetes.io/",),
        ),
        "JC306": Rule(
            id="JC306",
            name="concurrency-allow",
            severity=Severity.WARNING,
            category="schedule",
            enabled=True,
            summary="CronJob runs may overlap because concurrencyPolicy is Allow",
            what="Flags Allow.",
            why="Runs overlap.",
            bad="x: ```\n",
            good="y: 1\n",
            fix="Use Forbid.",
        ),
        "JC501": Rule(
            id="JC501",
            name="image-latest",
            severity=Severity.INFO,
            category="images",
            enabled=False,
            summary="image uses the latest tag",
        ),
        # JC001 is deliberately absent: reporters must cope with findings whose rule has no metadata.
    }


@pytest.fixture
def ctx() -> ReportContext:
    return ReportContext(
        cwd=ROOT,
        tool_version="9.9.9",
        files=("deploy/job.yaml", "deploy dir/job #1.yaml", "x%y/ü:v,w.yaml", "broken.yaml", "clean.yaml"),
    )
