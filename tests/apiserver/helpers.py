"""Build manifests and collect JC103 hits as (path, message) pairs."""

from __future__ import annotations

import copy
import io

from ruamel.yaml import YAML

from jobcheck.finding import format_path
from jobcheck.kube.apiserver import validate_api
from jobcheck.kube.objects import iter_workloads

CONTAINER = {"name": "main", "image": "busybox"}


def job(spec: dict | None = None, meta: dict | None = None, pod: dict | None = None,
        template_meta: dict | None = None, container: dict | None = None) -> dict:
    pod_spec = {"restartPolicy": "Never", "containers": [dict(CONTAINER, **(container or {}))]}
    pod_spec.update(pod or {})
    template: dict = {"spec": pod_spec}
    if template_meta is not None:
        template["metadata"] = template_meta
    job_spec = {"template": template}
    job_spec.update(spec or {})
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": dict({"name": "pi"}, **(meta or {})),
            "spec": job_spec}


def cronjob(cron: dict | None = None, meta: dict | None = None, **job_args) -> dict:
    inner = job(**job_args)
    spec = {"schedule": "0 3 * * *", "jobTemplate": {"spec": inner["spec"]}}
    spec.update(cron or {})
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": dict({"name": "nightly"}, **(meta or {})),
            "spec": spec}


def load(text: str):
    return YAML(typ="safe").load(io.StringIO(text))


def hits(doc, version=(1, 37)) -> list[tuple[str, str]]:
    before = copy.deepcopy(doc)
    out = [(format_path(h.path), h.message) for w in iter_workloads(doc) for h in validate_api(w, version)]
    for w in iter_workloads(doc):
        for h in validate_api(w, version):
            assert h.fix and h.fix.endswith(".")
    assert doc == before, "validate_api must not mutate its input"
    return out
