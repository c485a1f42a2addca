"""What the Kubernetes API server rejects on create beyond the OpenAPI schema.

``validate_api`` applies the server's defaults first (on copies of the few
defaulted values, never the manifest), validates only the fields the target
version serves, and yields one hit per server error with the server's wording.
Values of an unexpected type are skipped: the schema layer reports those.
"""

from __future__ import annotations

from collections.abc import Iterator

from jobcheck.finding import Hit
from jobcheck.kube.apiserver.cronjob import validate_cronjob
from jobcheck.kube.apiserver.job import validate_job
from jobcheck.kube.apiserver.messages import Reporter
from jobcheck.kube.apiserver.metadata import validate_object_meta
from jobcheck.kube.objects import Workload

__all__ = ["validate_api"]


def validate_api(w: Workload, version: tuple[int, int] = (1, 37)) -> Iterator[Hit]:
    """Yield a hit for every create-time API error of the Job or CronJob ``w``; of a live object
    (read from a cluster) the errors its own server-generated selector and labels would cause on a
    new object are left out (rule JC004 says what re-applying it would meet)."""
    rep = Reporter(tuple(w.path))
    meta = w.data.get("metadata")
    if isinstance(meta, dict):
        validate_object_meta(rep, meta)
    elif meta is None:
        validate_object_meta(rep, {})
    if w.kind == "Job":
        validate_job(rep, w.data, version, w.uid if w.live else None)
    elif w.kind == "CronJob":
        validate_cronjob(rep, w.data, version)
    yield from rep.hits
