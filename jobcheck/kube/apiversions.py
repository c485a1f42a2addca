"""Which batch API versions the API server still serves for Job and CronJob."""

from __future__ import annotations

# Versions no longer served, with the Kubernetes release that removed them.
REMOVED = {
    ("batch/v1beta1", "CronJob"): "1.25",
    ("batch/v2alpha1", "CronJob"): "1.21",
    ("batch/v2alpha1", "Job"): "1.21",
    ("batch/v1beta1", "Job"): "1.21",
}


def removed_in(api_version: object, kind: object) -> str | None:
    """The release that stopped serving ``api_version`` for ``kind``, or None if it is served.

    Either may be any YAML value (``apiVersion: 5``, ``kind: [1]``): only strings are looked up.
    """
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return None
    return REMOVED.get((api_version, kind))
