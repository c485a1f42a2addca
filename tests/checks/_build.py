"""Small builders for Job and CronJob data, shared by the theme tests."""

from __future__ import annotations

import copy

from jobcheck.kube.objects import Workload, iter_workloads


def container(name: str = "main", **fields) -> dict:
    return {"name": name, "image": "registry.example.com/app:1.0.0", **fields}


def job(containers: list | None = None, pod: dict | None = None, init: list | None = None, **spec) -> dict:
    pod_spec = {"restartPolicy": "Never", "containers": containers or [container()], **(pod or {})}
    if init is not None:
        pod_spec["initContainers"] = init
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "j"},
        "spec": {**spec, "template": {"spec": pod_spec}},
    }


def cronjob(schedule: str = "0 3 * * *", job_spec: dict | None = None, **spec) -> dict:
    inner = copy.deepcopy((job_spec or job())["spec"])
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "c"},
        "spec": {"schedule": schedule, **spec, "jobTemplate": {"spec": inner}},
    }


def workload(data: dict) -> Workload:
    return next(iter_workloads(data))


def hits(check, data: dict, **params) -> list:
    return list(check(workload(data), params))
