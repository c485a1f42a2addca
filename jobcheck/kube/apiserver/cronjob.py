"""CronJob rules (``ValidateCronJobCreate``, ``validateCronJobSpec``, ``ValidateJobTemplateSpec``).

The schedule grammar and timeZone belong to JC301/JC303; here only a missing
schedule is reported.
"""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver.defaults import defaulted_cronjob_spec
from jobcheck.kube.apiserver.job import effective_name
from jobcheck.kube.apiserver.jobspec import validate_job_spec
from jobcheck.kube.apiserver.selector import selector_json
from jobcheck.kube.values import as_int, as_map

MAX_CRONJOB_NAME = 52  # 63 minus the 11 characters of "-<minutes since epoch>"
_POLICIES = ("Allow", "Forbid", "Replace")


def validate_cronjob(rep: m.Reporter, data: dict, version: tuple[int, int]) -> None:
    name, name_at = effective_name(as_map(data.get("metadata")))
    if name is not None and len(name) > MAX_CRONJOB_NAME:
        rep.add(
            ("metadata", "name"),
            m.invalid(name, f"must be no more than {MAX_CRONJOB_NAME} characters"),
            "Shorten the CronJob name to at most 52 characters (generateName: 47): the controller "
            "appends an 11-character suffix to name each Job.",
            at=name_at,
        )
    spec = data.get("spec")
    if spec is None:
        spec = {}
    if not isinstance(spec, dict):
        return
    eff = defaulted_cronjob_spec(spec)
    schedule = eff.get("schedule")
    if schedule is None or schedule == "":
        rep.add(
            ("spec", "schedule"), m.required(), 'Set spec.schedule to a cron expression such as "0 3 * * *".'
        )
    for field in ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        value = as_int(eff.get(field))
        if value is not None and value < 0:
            rep.add(("spec", field), m.invalid(value, m.NEGATIVE), f"Use 0 or a positive number for {field}.")
    policy = eff.get("concurrencyPolicy")
    if isinstance(policy, str) and policy not in _POLICIES:
        rep.add(
            ("spec", "concurrencyPolicy"),
            m.not_supported(policy, _POLICIES),
            "Set concurrencyPolicy to Allow, Forbid or Replace (case-sensitive).",
        )
    template = spec.get("jobTemplate")
    if template is None:
        template = {}
    if not isinstance(template, dict):
        return
    job_spec = template.get("spec")
    if job_spec is None:
        job_spec = {}
    if not isinstance(job_spec, dict):
        return
    sp = ("spec", "jobTemplate", "spec")
    validate_job_spec(rep, job_spec, sp, version)
    selector = job_spec.get("selector")
    if isinstance(selector, dict):
        rep.add(
            sp + ("selector",),
            f"Invalid value: {m.go_json(selector_json(selector), sort_keys=False)}: `selector` will be auto-generated",
            "Remove the selector from the jobTemplate: the server generates one for every Job.",
        )
    if job_spec.get("manualSelector") is True:
        rep.add(
            sp + ("manualSelector",),
            m.not_supported(True, ("nil", "false")),
            "Remove manualSelector from the jobTemplate (a CronJob cannot use a manual selector).",
        )
