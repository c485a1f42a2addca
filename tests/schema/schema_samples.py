"""Realistic Job/CronJob documents and helpers for the schema tests."""

from __future__ import annotations

import copy

from jobcheck.kube.objects import iter_workloads
from jobcheck.kube.schema import check_schema

_CRONJOB = {
    "apiVersion": "batch/v1",
    "kind": "CronJob",
    "metadata": {
        "name": "nightly-report",
        "namespace": "reports",
        "labels": {"app": "report", "team": "data"},
        "annotations": {"owner": "data-team"},
    },
    "spec": {
        "schedule": "30 2 * * *",
        "timeZone": "Europe/Berlin",
        "concurrencyPolicy": "Forbid",
        "startingDeadlineSeconds": 300,
        "successfulJobsHistoryLimit": 3,
        "failedJobsHistoryLimit": 1,
        "jobTemplate": {
            "metadata": {"labels": {"app": "report"}},
            "spec": {
                "backoffLimit": 2,
                "activeDeadlineSeconds": 3600,
                "ttlSecondsAfterFinished": 86400,
                "template": {
                    "metadata": {"labels": {"app": "report"}},
                    "spec": {
                        "restartPolicy": "OnFailure",
                        "serviceAccountName": "report",
                        "securityContext": {"runAsNonRoot": True, "runAsUser": 1000, "fsGroup": 2000},
                        "containers": [
                            {
                                "name": "report",
                                "image": "registry.example.com/report:1.4.2",
                                "imagePullPolicy": "IfNotPresent",
                                "command": ["/bin/report"],
                                "args": ["--date", "yesterday", "--out", "/data/out"],
                                "env": [
                                    {"name": "LOG_LEVEL", "value": "info"},
                                    {"name": "DB_HOST", "value": "db.internal"},
                                    {
                                        "name": "DB_PASSWORD",
                                        "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}},
                                    },
                                    {
                                        "name": "POD_NAME",
                                        "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}},
                                    },
                                ],
                                "resources": {
                                    "requests": {"cpu": "250m", "memory": "512Mi"},
                                    "limits": {"cpu": 1, "memory": "1Gi"},
                                },
                                "volumeMounts": [
                                    {"name": "data", "mountPath": "/data"},
                                    {"name": "config", "mountPath": "/etc/report", "readOnly": True},
                                ],
                                "securityContext": {
                                    "allowPrivilegeEscalation": False,
                                    "readOnlyRootFilesystem": True,
                                    "capabilities": {"drop": ["ALL"]},
                                },
                            },
                            {
                                "name": "uploader",
                                "image": "registry.example.com/uploader:2.0",
                                "args": ["/data/out"],
                                "env": [{"name": "BUCKET", "value": "reports"}],
                                "resources": {
                                    "requests": {"cpu": "100m", "memory": "128Mi"},
                                    "limits": {"memory": "256Mi"},
                                },
                                "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                                "ports": [{"containerPort": 8080, "name": "metrics"}],
                                "livenessProbe": {"httpGet": {"path": "/healthz", "port": "metrics"}},
                            },
                        ],
                        "volumes": [
                            {"name": "data", "emptyDir": {"sizeLimit": "2Gi"}},
                            {"name": "config", "configMap": {"name": "report-config", "defaultMode": 420}},
                        ],
                    },
                },
            },
        },
    },
}

_JOB = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": {"name": "migrate", "creationTimestamp": None},
    "spec": {
        "completions": 5,
        "parallelism": 2,
        "completionMode": "Indexed",
        "podFailurePolicy": {
            "rules": [
                {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]},
                {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [42]}},
            ]
        },
        "template": {
            "spec": {
                "restartPolicy": "Never",
                "initContainers": [
                    {"name": "wait", "image": "busybox:1.36", "command": ["sh", "-c", "true"]}
                ],
                "containers": [
                    {
                        "name": "migrate",
                        "image": "example/migrate:3",
                        "env": [{"name": "MODE", "value": "full"}],
                        "resources": {"limits": {"cpu": "500m", "memory": 268435456}},
                    }
                ],
                "tolerations": [{"key": "batch", "operator": "Exists", "effect": "NoSchedule"}],
            }
        },
    },
    "status": {},
}


def cronjob_doc() -> dict:
    """A fresh copy of a realistic CronJob (2 containers, env, resources, volumes)."""
    return copy.deepcopy(_CRONJOB)


def job_doc() -> dict:
    """A fresh copy of a realistic Indexed Job."""
    return copy.deepcopy(_JOB)


def workload(doc: dict):
    """The single Workload of ``doc``."""
    (w,) = list(iter_workloads(doc))
    return w


class Tagged:
    """A schema hit with the rule that reports its kind (unknown: JC101, invalid: JC102, unserved: JC104)."""

    def __init__(self, hit, rule: str) -> None:
        self.hit, self.rule = hit, rule

    def __getattr__(self, name: str):
        return getattr(self.hit, name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tagged) and (self.hit, self.rule) == (other.hit, other.rule)

    def __repr__(self) -> str:
        return f"{self.rule} {self.hit!r}"


def validate_schema(w, version: str = "1.37", strict: bool = True) -> list[Tagged]:
    """The unknown-field and schema-violation hits of check_schema, tagged by rule."""
    verdict = check_schema(w, version, strict)
    return [Tagged(h, "JC101") for h in verdict.unknown] + [Tagged(h, "JC102") for h in verdict.invalid]


def field_version_hits(w, version: str = "1.37") -> list[Tagged]:
    """The fields-not-in-version hits of check_schema, tagged by rule."""
    return [Tagged(h, "JC104") for h in check_schema(w, version).unserved]
