"""What the API server says beyond a refusal on create: the refusal that comes later, for every
Job a CronJob creates (JC105), and the warnings it returns with a successful create (JC106)."""

from __future__ import annotations

from jobcheck.finding import Hit
from jobcheck.kube.apiserver import validate_api
from jobcheck.kube.apiserver.cronjob import validate_created_jobs
from jobcheck.kube.apiserver.messages import Reporter
from jobcheck.kube.apiserver.warnings import api_warnings
from jobcheck.kube.apiversions import removed_in
from jobcheck.kube.objects import Workload
from jobcheck.kube.versions import DEFAULT_VERSION, parse_version
from jobcheck.lint.checks.schema import verdict


def rejected_when_job_is_created(w: Workload, params: dict) -> list[Hit]:
    """JC105: what the CronJob create path lets through and every Job the controller creates meets."""
    if w.kind != "CronJob":
        return []
    rep = Reporter(tuple(w.path))
    validate_created_jobs(rep, w.data, parse_version(w.kubernetes_version or DEFAULT_VERSION))
    return rep.hits


def api_server_warning(w: Workload, params: dict) -> list[Hit]:
    """JC106: the warnings the API server returns when it creates the Job or CronJob.

    The server returns warnings only with a successful create (``rest.BeforeCreate`` computes them
    after validation passed), so an object it refuses gets none: the refusal is what to fix first.
    """
    version = parse_version(w.kubernetes_version or DEFAULT_VERSION)
    hits = list(api_warnings(w, version))
    if not hits or refused(w, version):  # most objects have no warning: the refusal test is skipped
        return []
    return hits


def refused(w: Workload, version: tuple[int, int]) -> bool:
    """Whether the API server refuses to create ``w``: an API version it no longer serves, a schema
    violation (an unknown field too under strict field validation), or a validation error."""
    if removed_in(w.api_version, w.kind):
        return True
    schema = verdict(w)
    if schema.invalid or (w.strict and schema.unknown):
        return True
    return next(iter(validate_api(w, version)), None) is not None
