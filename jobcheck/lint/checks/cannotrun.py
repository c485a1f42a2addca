"""JC208: Job settings the API server accepts but with which the Job cannot do its work.

Facts from the controllers: ``pastActiveDeadline`` (pkg/controller/job) fails a started Job once
its run time reaches activeDeadlineSeconds, which 0 always is; ``manageJob`` keeps at most
``parallelism`` pods active, so 0 starts none; ``syncJob`` counts a Job complete once its
succeeded pods reach ``completions``, which 0 is from the start; the CronJob controller deletes finished Jobs beyond
the history limits each time one of its Jobs changes (``cleanupFinishedJobs``), so with both
limits at 0 a finished Job is gone before a TTL could act.

And the pods the API server refuses although it accepted the Job's template
(``kube.apiserver.podcreate``): the Job exists, but every pod the Job controller creates for it
is refused, so it never runs a pod.
"""

from __future__ import annotations

from collections.abc import Iterator

from jobcheck.finding import Hit
from jobcheck.kube.apiserver.podcreate import refused_pods
from jobcheck.kube.objects import Workload
from jobcheck.kube.versions import DEFAULT_VERSION, parse_version
from jobcheck.lint.checks import as_int, as_map
from jobcheck.lint.checks.apiserver import refused

POD_REFUSED = {
    "Job": "the Job is accepted, but the API server refuses every pod it creates: ",
    "CronJob": "the CronJob is accepted, but the API server refuses every pod its Jobs create: ",
}


def cannot_run(w: Workload, params: dict) -> Iterator[Hit]:
    spec = w.job_spec
    sp = w.job_spec_path
    yield from _refused_pods(w, spec, sp)
    if as_int(spec.get("activeDeadlineSeconds")) == 0:
        yield Hit(
            sp + ("activeDeadlineSeconds",),
            "activeDeadlineSeconds 0: the Job controller fails the Job (DeadlineExceeded) as soon as it "
            "starts, so no pod can finish",
        )
    if as_int(spec.get("parallelism")) == 0:
        yield Hit(
            sp + ("parallelism",),
            "parallelism 0: the Job controller starts no pods, so the Job never makes progress until "
            "parallelism is raised",
        )
    if as_int(spec.get("completions")) == 0:
        yield Hit(
            sp + ("completions",),
            "completions 0: the Job controller marks the Job Complete at once, without starting a pod",
        )
    if w.kind != "CronJob":
        return
    ttl = as_int(spec.get("ttlSecondsAfterFinished"))
    if ttl is None or ttl <= 0:
        return  # at 0 the TTL controller and the CronJob controller both delete at once
    cron = as_map(w.data.get("spec"))
    if (
        as_int(cron.get("successfulJobsHistoryLimit")) == 0
        and as_int(cron.get("failedJobsHistoryLimit")) == 0
    ):
        yield Hit(
            sp + ("ttlSecondsAfterFinished",),
            f"ttlSecondsAfterFinished {ttl} never acts: successfulJobsHistoryLimit and failedJobsHistoryLimit "
            "are both 0, so the CronJob controller deletes each Job as soon as it finishes",
        )


def _refused_pods(w: Workload, spec: dict, sp: tuple) -> list[Hit]:
    template = spec.get("template")
    if not isinstance(template, dict):
        return []
    version = parse_version(w.kubernetes_version or DEFAULT_VERSION)
    hits = refused_pods(template, tuple(sp) + ("template",), version)
    if not hits or refused(w, version):  # a refused Job has no pods: the refusal comes first (JC103)
        return []
    prefix = POD_REFUSED.get(w.kind, POD_REFUSED["Job"])
    return [Hit(h.path, prefix + h.message, h.fix) for h in hits]
