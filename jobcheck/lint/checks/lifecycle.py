"""Lifecycle checks: retries, deadlines, clean-up and suspension of Jobs and CronJobs.

JC201 (missing-ttl) and JC202 (missing-active-deadline) are declarative; the rest live here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

from jobcheck.finding import Hit, Severity
from jobcheck.kube.objects import Workload
from jobcheck.lint.checks import as_int, as_map, as_str

# What the API server fills in when the fields are omitted (pkg/apis/batch/v1/defaults.go).
DEFAULT_BACKOFF_LIMIT = 6
HISTORY_DEFAULTS = (("successfulJobsHistoryLimit", 3), ("failedJobsHistoryLimit", 1))


def backoff_limit(w: Workload, params: dict) -> Iterator[Hit]:
    """JC203: backoffLimit left to the implicit 6 (info) or above ``max`` (warning)."""
    spec = w.job_spec
    path = w.job_spec_path + ("backoffLimit",)
    if spec.get("backoffLimitPerIndex") is not None:
        return  # backoffLimit then defaults to MaxInt32 and the per-index limit governs retries
    if "backoffLimit" not in spec:
        yield Hit(
            path,
            f"backoffLimit is not set, so the Job retries failed pods up to the implicit "
            f"{DEFAULT_BACKOFF_LIMIT} times",
            severity=Severity.INFO,
        )
        return
    value = as_int(spec.get("backoffLimit"))
    limit = as_int(params["max"])
    if value is None or limit is None or value <= limit:
        return
    yield Hit(
        path,
        f"backoffLimit {value} is above {limit}: a failing Job keeps retrying for a long time",
        severity=Severity.WARNING,
    )


def parallelism_exceeds_completions(w: Workload, params: dict) -> Iterator[Hit]:
    """JC204: parallelism above completions; the extra pods are never started."""
    spec = w.job_spec
    parallelism = as_int(spec.get("parallelism"))
    completions = as_int(spec.get("completions"))
    if parallelism is None or completions is None or parallelism <= completions:
        return
    yield Hit(
        w.job_spec_path + ("parallelism",),
        f"parallelism {parallelism} is greater than completions {completions}: "
        f"at most {completions} pods ever run at once",
    )


def onfailure_loses_logs(w: Workload, params: dict) -> Iterator[Hit]:
    """JC205: restartPolicy OnFailure; the pod (and its logs) is deleted when backoffLimit is hit."""
    if w.pod_spec.get("restartPolicy") != "OnFailure":
        return
    limit = as_int(w.job_spec.get("backoffLimit"))
    shown = (
        f"backoffLimit {limit}" if limit is not None else f"the default backoffLimit {DEFAULT_BACKOFF_LIMIT}"
    )
    yield Hit(
        w.pod_spec_path + ("restartPolicy",),
        f'restartPolicy "OnFailure": when {shown} is reached the Job controller deletes the '
        f"failing pod, and its logs with it",
    )


# Kueue admits a Job by resuming it, so a Job for one of its queues is created suspended on
# purpose. The label is the documented form; older Kueue releases read an annotation of the same name.
KUEUE_QUEUE_NAME = "kueue.x-k8s.io/queue-name"


def _queued(meta: object) -> bool:
    """Whether Job metadata names a Kueue queue (label or annotation)."""
    meta = as_map(meta)
    return any(KUEUE_QUEUE_NAME in as_map(meta.get(part)) for part in ("labels", "annotations"))


def suspended(w: Workload, params: dict) -> Iterator[Hit]:
    """JC206: ``suspend: true`` on a Job, a CronJob, or a CronJob's jobTemplate; not on a Kueue Job."""
    if w.kind == "CronJob" and as_map(w.data.get("spec")).get("suspend") is True:
        yield Hit(
            w.cronjob_spec_path + ("suspend",),
            "CronJob has suspend: true, so it schedules no Jobs",
        )
    if w.job_spec.get("suspend") is not True:
        return
    if w.kind == "CronJob":
        job_meta = as_map(as_map(as_map(w.data.get("spec")).get("jobTemplate")).get("metadata"))
        what = "jobTemplate has suspend: true, so every Job it creates"
    else:
        job_meta, what = w.metadata, "Job has suspend: true, so it"
    if not _queued(job_meta):
        yield Hit(w.job_spec_path + ("suspend",), f"{what} starts no pods until resumed")


# A fixed starting point keeps the answer the same on every run.
_ANCHOR = datetime(2025, 1, 6, tzinfo=timezone.utc)


def ttl_defeats_history(w: Workload, params: dict) -> Iterator[Hit]:
    """JC207: a jobTemplate TTL that deletes finished Jobs before the history limits matter."""
    if w.kind != "CronJob":
        return
    spec = w.job_spec
    ttl = as_int(spec.get("ttlSecondsAfterFinished"))
    if ttl is None or ttl < 0:
        return
    cron_spec = as_map(w.data.get("spec"))
    kept = []
    for field, default in HISTORY_DEFAULTS:
        raw = cron_spec.get(field)
        limit = as_int(raw) if raw is not None else default
        if limit is not None and limit > 0:
            kept.append(f"{field} {limit}")
    if not kept:
        return  # history limits of 0 ask for no history: the TTL agrees with them
    path = w.job_spec_path + ("ttlSecondsAfterFinished",)
    limits = " and ".join(kept)
    if ttl == 0:
        yield Hit(
            path,
            f"ttlSecondsAfterFinished 0 deletes every Job as soon as it finishes, so {limits} keep nothing",
        )
        return
    schedule = as_str(cron_spec.get("schedule"))
    interval = schedule_interval(w)
    if interval is None or ttl >= interval:
        return
    from jobcheck.cron.describe import describe_duration  # the cron package only for CronJobs

    yield Hit(
        path,
        f"ttlSecondsAfterFinished {ttl} is shorter than the {describe_duration(interval)} between runs of "
        f'schedule "{schedule}": finished Jobs are deleted before the next run, so {limits} never fill',
    )


def schedule_interval(w: Workload) -> int | None:
    """The shortest gap in seconds between runs of the CronJob's schedule in its zone; None when it does
    not parse."""
    # Imported here, not at the top: a run over Jobs only never loads the cron package. The
    # schedule and zone come from the schedule checks' memo of the workload, which resolved them.
    from jobcheck.cron.analysis import shortest_interval
    from jobcheck.lint.checks.schedule import workload_schedule, workload_zone

    sched = workload_schedule(w)
    if sched is None:
        return None
    zone, name = workload_zone(w)
    if name is None and as_map(w.cronjob_spec).get("timeZone") is not None:
        return None  # an unusable timeZone is JC303's finding; no guess at the interval
    return shortest_interval(sched, zone, _ANCHOR, sample=9)
