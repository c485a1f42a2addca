"""What the API server fills in before it validates, and which fields a version serves.

Nothing here mutates the manifest: ``defaulted_job_spec`` returns a shallow copy
of the job spec with only the top-level scalars the server defaults.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 13)
if TYPE_CHECKING:
    from typing import Any


MAX_INT32 = 2147483647

# Job spec fields and the first version whose default configuration keeps them
# (before that the feature gate is off and the registry strategy drops them).
_JOB_FIELD_SINCE = {
    "ttlSecondsAfterFinished": (1, 21),
    "completionMode": (1, 22),
    "podFailurePolicy": (1, 26),
    "backoffLimitPerIndex": (1, 29),
    "maxFailedIndexes": (1, 29),
    "podReplacementPolicy": (1, 29),
    "successPolicy": (1, 31),
    "managedBy": (1, 32),
}


def served(field: str, version: tuple[int, int]) -> bool:
    """Whether a job spec ``field`` survives create on ``version`` (unknown fields: yes)."""
    since = _JOB_FIELD_SINCE.get(field)
    return since is None or version >= since




def defaulted_job_spec(spec: dict, version: tuple[int, int]) -> dict:
    """A copy of the job spec's top level after field dropping and ``SetDefaults_Job``."""
    eff = {k: v for k, v in spec.items() if v is not None and served(k, version)}
    if "completions" not in eff and "parallelism" not in eff:
        eff["completions"] = 1
        eff["parallelism"] = 1
    elif "parallelism" not in eff:
        eff["parallelism"] = 1
    if "backoffLimit" not in eff:
        eff["backoffLimit"] = MAX_INT32 if "backoffLimitPerIndex" in eff else 6
    eff.setdefault("completionMode", "NonIndexed")
    eff.setdefault("suspend", False)
    eff.setdefault("manualSelector", False)
    if version >= (1, 29) and "podReplacementPolicy" not in eff:
        eff["podReplacementPolicy"] = "Failed" if "podFailurePolicy" in eff else "TerminatingOrFailed"
    return eff


def defaulted_restart_policy(pod_spec: dict) -> Any:
    """``SetDefaults_PodSpec``: an unset (or empty) restartPolicy becomes Always."""
    policy = pod_spec.get("restartPolicy")
    return "Always" if policy is None or policy == "" else policy


def defaulted_cronjob_spec(spec: dict) -> dict:
    """A copy of the CronJob spec's top level after ``SetDefaults_CronJob``."""
    eff = {k: v for k, v in spec.items() if v is not None}
    if eff.get("concurrencyPolicy") in (None, ""):
        eff["concurrencyPolicy"] = "Allow"
    eff.setdefault("suspend", False)
    eff.setdefault("successfulJobsHistoryLimit", 3)
    eff.setdefault("failedJobsHistoryLimit", 1)
    return eff


def condition_status(pattern: dict) -> Any:
    """onPodConditions[].status: empty is defaulted to True."""
    status = pattern.get("status")
    return "True" if status is None or status == "" else status
