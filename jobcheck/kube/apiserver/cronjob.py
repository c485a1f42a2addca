"""CronJob rules (``ValidateCronJobCreate``, ``validateCronJobSpec``, ``ValidateJobTemplateSpec``).

The schedule grammar and timeZone belong to JC301/JC303; here only a missing
schedule is reported. ``validate_created_jobs`` (rule JC105) says what the create path lets
through and ``ValidateJob`` then refuses in every Job the controller creates.
"""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver.defaults import defaulted_cronjob_spec
from jobcheck.kube.apiserver.job import UID, effective_name
from jobcheck.kube.apiserver.jobspec import validate_job_spec
from jobcheck.kube.apiserver.metadata import validate_annotations, validate_labels
from jobcheck.kube.apiserver.names import is_dns1123_label
from jobcheck.kube.apiserver.selector import selector_json
from jobcheck.kube.values import as_int, as_map
from jobcheck.record import replace

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


# What the controller does with a CronJob (pkg/controller/cronjob/utils.go, getJobFromTemplate2):
# each Job is named "<cronjob name>-<minutes since the epoch of its scheduled time>" and takes the
# jobTemplate's labels and annotations as its own; its spec is the jobTemplate's spec. The job
# strategy then adds the generated selector and pod labels, and ValidateJob checks what the
# CronJob create path never looked at: the Job's metadata, its generated labels, and the pod
# hostnames of an Indexed Job.
SCHEDULED_MINUTE = "<minute>"  # shown for the scheduled minute, which differs for every Job
SCHEDULED_MINUTE_DIGITS = 8  # minutes since 1970 have 8 digits from 1989 until the year 2160
LATER = "accepted on the CronJob, refused on every Job the CronJob creates: "
_SAMPLE_MINUTE = "9" * SCHEDULED_MINUTE_DIGITS
_GENERATED_POD_LABELS = (
    "controller-uid",
    "job-name",
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-name",
)


def validate_created_jobs(rep: m.Reporter, data: dict, version: tuple[int, int]) -> None:
    """What ``ValidateJob`` refuses in every Job the controller creates from the CronJob ``data``,
    beyond what ``ValidateCronJobCreate`` already refused: messages are the Job's, prefixed by
    ``LATER``, and placed on the CronJob's fields."""
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return
    template = spec.get("jobTemplate")
    if not isinstance(template, dict):
        return
    jt = ("spec", "jobTemplate")
    meta = template.get("metadata")
    found = m.Reporter(rep.base)
    if isinstance(meta, dict) and (meta.get("labels") or meta.get("annotations")):
        validate_labels(found, meta.get("labels"), ("metadata", "labels"), jt + ("metadata", "labels"))
        validate_annotations(
            found, meta.get("annotations"), ("metadata", "annotations"), jt + ("metadata", "annotations")
        )
    job_spec = template.get("spec")
    if isinstance(job_spec, dict):
        name, name_at = effective_name(as_map(data.get("metadata")))
        if name is not None:
            _generated_labels(found, job_spec, f"{name}-{SCHEDULED_MINUTE}", jt)
            _indexed_hostnames(found, job_spec, name, name_at, version)
    rep.hits.extend(replace(hit, message=LATER + hit.message) for hit in found.hits)


def _generated_labels(rep: m.Reporter, job_spec: dict, job_name: str, jt: tuple) -> None:
    """``validateGeneratedSelector``: the Job's name and UID go into these pod labels; a value the
    jobTemplate sets can equal neither (the name changes with every run, the UID is new)."""
    labels = as_map(as_map(as_map(job_spec.get("template")).get("metadata")).get("labels"))
    if not any(key in labels for key in _GENERATED_POD_LABELS):
        return
    full = {k: v for k, v in labels.items() if isinstance(k, str)}
    for key in _GENERATED_POD_LABELS:  # generateSelector adds the ones the template lacks
        full.setdefault(key, UID if "uid" in key else job_name)
    shown = m.go_json(full).replace(m.go_json(UID)[1:-1], UID)
    shown = shown.replace(m.go_json(SCHEDULED_MINUTE)[1:-1], SCHEDULED_MINUTE)
    for key in _GENERATED_POD_LABELS:
        if key in labels:
            expected = UID if "uid" in key else job_name
            rep.add(
                ("spec", "template", "metadata", "labels", m.Key(key)),
                f"Invalid value: {shown}: must be '{expected}'",
                f"Remove the {key} label from the jobTemplate's pod template: the server sets it on "
                "each Job's pods.",
                at=jt + ("spec", "template", "metadata", "labels", key),
            )


def _indexed_hostnames(
    rep: m.Reporter, job_spec: dict, name: str, name_at: tuple, version: tuple[int, int]
) -> None:
    """An Indexed Job's pods are named "<job name>-<index>", which must be a DNS label."""
    completions = as_int(job_spec.get("completions"))
    if job_spec.get("completionMode") != "Indexed" or completions is None or completions <= 0:
        return
    if len(name) > MAX_CRONJOB_NAME:
        return  # ValidateCronJobCreate refuses the CronJob itself (JC103)
    sample = f"{name}-{_SAMPLE_MINUTE}-{completions - 1}"
    if not is_dns1123_label(sample):
        return
    job_name = f"{name}-{SCHEDULED_MINUTE}"
    rep.add(
        ("metadata", "name"),
        m.invalid(
            job_name, f"will not able to create pod with invalid DNS label: {job_name}-{completions - 1}"
        ),
        f"Shorten the CronJob name (no dots) so that the name, a dash, the {SCHEDULED_MINUTE_DIGITS}-digit "
        "scheduled minute, a dash and the highest index fit in a 63-character DNS label.",
        at=name_at,
    )
