"""What the scheduler counts as a pod's request, for cpu and memory, from a pod template.

``PodRequests`` of k8s.io/component-helpers/resource (the scheduler's fit and the quota use it)
after the API server's defaulting of the pod:

- a container's request of a resource it only limits is the limit (``SetDefaults_Pod``); the same
  holds at pod level (``spec.resources``);
- regular containers and restartable init containers (sidecars, ``restartPolicy: Always``) add
  up; each other init container needs its own request plus the sidecars started before it; per
  resource the pod needs the larger of the two (``AggregateContainerRequests``);
- a pod-level request of cpu or memory replaces the containers' aggregate for that resource;
- ``spec.overhead`` is added last.

cpu is given in millicores (rounded up, as ``MilliValue``), memory in bytes (rounded up, as
``Value``), held to int64. Quantities that do not parse are left out: the API server would refuse them, and
the lint rules report them.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from jobcheck.kube.apiserver.quantity import QuantityError, quantity_from_yaml
from jobcheck.kube.values import as_list, as_map

RESOURCES = ("cpu", "memory")


_INT64_MAX = 2**63 - 1
_CAP = Decimal(2**63)  # above any int64 result, small enough that sums and * 1000 stay exact


def _value(raw: Any) -> Decimal | None:
    """The quantity's value held to [0, 2**63] (``1e999999`` is a valid quantity; a negative one
    the server refuses), so that the arithmetic below is bounded."""
    try:
        quantity = quantity_from_yaml(raw)
    except QuantityError:
        return None
    if quantity is None:
        return None
    value = quantity.value
    return Decimal(0) if value <= 0 else min(value, _CAP)


def _requests(resources: Any) -> dict[str, Decimal]:
    """The requests of one ``resources`` block after defaulting: a limit stands in for a missing request."""
    block = as_map(resources)
    out: dict[str, Decimal] = {}
    limits, requests = as_map(block.get("limits")), as_map(block.get("requests"))
    for name in RESOURCES:
        raw = requests[name] if name in requests else limits.get(name)
        value = _value(raw) if raw is not None else None
        if value is not None:
            out[name] = value
    return out


def _add(total: dict[str, Decimal], more: dict[str, Decimal]) -> None:
    for name, value in more.items():
        total[name] = total.get(name, Decimal(0)) + value


def _max(total: dict[str, Decimal], other: dict[str, Decimal]) -> None:
    for name, value in other.items():
        if name not in total or value > total[name]:
            total[name] = value


def pod_requests(pod_spec: Any) -> dict[str, int]:
    """``{"cpu": millicores, "memory": bytes}`` the scheduler reserves for one pod of ``pod_spec``."""
    spec = as_map(pod_spec)
    total: dict[str, Decimal] = {}
    for ctr in as_list(spec.get("containers")):
        _add(total, _requests(as_map(ctr).get("resources")))
    sidecars: dict[str, Decimal] = {}
    init_peak: dict[str, Decimal] = {}
    for ctr in as_list(spec.get("initContainers")):
        own = _requests(as_map(ctr).get("resources"))
        if as_map(ctr).get("restartPolicy") == "Always":
            _add(total, own)
            _add(sidecars, own)
            step = dict(sidecars)
        else:
            step = dict(own)
            _add(step, sidecars)
        _max(init_peak, step)
    _max(total, init_peak)
    total.update(_requests(spec.get("resources")))  # pod-level requests win for cpu and memory
    overhead = as_map(spec.get("overhead"))
    _add(total, {n: v for n in RESOURCES if n in overhead and (v := _value(overhead[n])) is not None})
    return {
        "cpu": _ceil(total.get("cpu", Decimal(0)) * 1000),
        "memory": _ceil(total.get("memory", Decimal(0))),
    }


def _ceil(value: Decimal) -> int:
    """Rounded up, and held to int64 as the Go values are (``1e999999`` is a valid quantity)."""
    if value <= 0:
        return 0
    if value >= _INT64_MAX:
        return _INT64_MAX
    return int(math.ceil(value))
