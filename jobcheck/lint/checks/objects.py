"""Checks on what an object is before what it says: its apiVersion."""

from __future__ import annotations

from collections.abc import Iterator

from jobcheck.finding import Hit, render_path
from jobcheck.kube.apiversions import removed_in
from jobcheck.kube.objects import Workload


def missing_api_version(w: Workload, params: dict) -> Iterator[Hit]:
    """A Job or CronJob without apiVersion (a gate: nothing else is reported for the object).

    Only an item of a ``kind: List`` gets here: a top-level mapping without apiVersion is not a
    Kubernetes object (a helm values file with a ``kind:`` key, say) and the engine skips it.
    Nothing applies such an item: one finding instead of a cascade.
    """
    if "apiVersion" not in w.data:
        yield Hit(w.path + ("apiVersion",), f"apiVersion: Required value: a {w.kind} needs apiVersion: batch/v1",
                  fix="Add apiVersion: batch/v1, or leave this file out if it is not a manifest.")


def removed_api_version(w: Workload, params: dict) -> Iterator[Hit]:
    """An apiVersion the API server no longer serves for this kind."""
    api = w.api_version
    since = removed_in(api, w.kind)
    if since:
        yield Hit(
            w.path + ("apiVersion",),
            f"{api} {w.kind} is no longer served (removed in Kubernetes {since})",
            fix=f"Change apiVersion to batch/v1; the {w.kind} spec itself is compatible.",
        )


def live_object(w: Workload, params: dict) -> Iterator[Hit]:
    """An object exported from a cluster that the API server would refuse to create again as it
    is: it carries a resourceVersion (a create must not set one), or it is a Job whose generated
    selector and controller-uid labels name its own UID (a new Job gets a new one). One hit, at
    metadata, listing every server-written field to remove."""
    if not w.live:
        return
    fields = w.server_written()
    reasons = []
    if w.metadata.get("resourceVersion") is not None:
        reasons.append("a create must not set metadata.resourceVersion")
    if w.kind == "Job" and w.uid and any(f == ("spec", "selector") or f[-1].endswith("controller-uid") for f in fields):
        reasons.append("its generated selector and controller-uid labels name its own UID, not a new Job's")
    if not reasons:
        return
    where = ("metadata",) if isinstance(w.data.get("metadata"), dict) else ("status",)
    listed = ", ".join(render_path(f) for f in fields)
    yield Hit(
        w.path + where,
        f"{w.kind} {w.display_name} was exported from a cluster and would be refused if applied again "
        f"as it is ({'; '.join(reasons)}): remove {listed}",
        fix=f"Remove {listed}: the server writes them.",
    )
