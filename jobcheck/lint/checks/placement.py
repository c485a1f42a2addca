"""Placement checks: where the pods of a Job may run."""

from __future__ import annotations

from collections.abc import Iterator

from jobcheck.finding import Hit
from jobcheck.kube.objects import Workload

PLACEMENT_FIELDS = ("nodeSelector", "affinity", "tolerations")


def no_node_placement(w: Workload, params: dict) -> Iterator[Hit]:
    """JC901: a pod template with no nodeSelector, affinity or tolerations."""
    spec = w.pod_spec
    if any(spec.get(f) for f in PLACEMENT_FIELDS):
        return
    yield Hit(
        w.pod_spec_path + ("nodeSelector",),
        "pod template has no nodeSelector, affinity or tolerations, so its pods may land on any node",
    )
