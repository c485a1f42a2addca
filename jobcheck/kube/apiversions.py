"""Which batch API versions the API server still serves for Job and CronJob."""

from __future__ import annotations

# Versions no longer served, with the Kubernetes release that removed them.
REMOVED = {
    ("batch/v1beta1", "CronJob"): "1.25",
    ("batch/v2alpha1", "CronJob"): "1.21",
    ("batch/v2alpha1", "Job"): "1.21",
    ("batch/v1beta1", "Job"): "1.21",
}


def removed_in(api_version: object, kind: str) -> str | None:
    """The release that stopped serving ``api_version`` for ``kind``, or None if it is served."""
    return REMOVED.get((api_version, kind)) if isinstance(api_version, str) else None
