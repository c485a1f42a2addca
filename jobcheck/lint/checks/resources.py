"""Resource checks: requests and limits of every container, init containers included.

These are Python rather than declarative because Kubernetes copies a limit into an unset
request (so a limit alone satisfies JC401) and because JC402's CPU part is switched by a
parameter, which conditions cannot express.
"""

from __future__ import annotations

from collections.abc import Iterator

from jobcheck.finding import Hit
from jobcheck.kube.objects import Workload
from jobcheck.lint.checks import as_map, container_label

RESOURCES = ("cpu", "memory")


def missing_requests(w: Workload, params: dict) -> Iterator[Hit]:
    """JC401: a container with neither a request nor a limit for cpu or memory."""
    for c in w.containers():
        res = as_map(c.data.get("resources"))
        requests, limits = as_map(res.get("requests")), as_map(res.get("limits"))
        missing = [r for r in RESOURCES if r not in requests and r not in limits]
        if not missing:
            continue
        path = c.path + ("resources", "requests") + ((missing[0],) if len(missing) == 1 else ())
        yield Hit(path, f"{container_label(c.name, c.init)} has no {' or '.join(missing)} request")


def missing_limits(w: Workload, params: dict) -> Iterator[Hit]:
    """JC402: a container without a memory limit (and a cpu limit if ``require_cpu_limit``)."""
    wanted = ("cpu", "memory") if params.get("require_cpu_limit") is True else ("memory",)
    for c in w.containers():
        limits = as_map(as_map(c.data.get("resources")).get("limits"))
        missing = [r for r in wanted if r not in limits]
        if not missing:
            continue
        path = c.path + ("resources", "limits") + ((missing[0],) if len(missing) == 1 else ())
        yield Hit(path, f"{container_label(c.name, c.init)} has no {' or '.join(missing)} limit")
