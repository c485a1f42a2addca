"""The scheduler's request of a pod (component-helpers PodRequests after the API server's defaults)."""

from __future__ import annotations

import pytest

from jobcheck.kube.podrequests import pod_requests

Mi = 2**20


def ctr(cpu=None, memory=None, *, limits=None, restart=None) -> dict:
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}
    c = {"name": "c", "image": "i", "resources": {"requests": requests}}
    if limits:
        c["resources"]["limits"] = limits
    if restart:
        c["restartPolicy"] = restart
    return c


@pytest.mark.parametrize("spec, expected", [
    ({}, {"cpu": 0, "memory": 0}),
    # regular containers add up
    ({"containers": [ctr("100m", "64Mi"), ctr("200m", "64Mi")]}, {"cpu": 300, "memory": 128 * Mi}),
    # a limit alone stands in for the request (SetDefaults_Pod); a request beats its limit
    ({"containers": [ctr(limits={"cpu": "1", "memory": "1Gi"})]}, {"cpu": 1000, "memory": 1024 * Mi}),
    ({"containers": [ctr("250m", limits={"cpu": "1", "memory": "1Gi"})]}, {"cpu": 250, "memory": 1024 * Mi}),
    # an init container needs its own request; the pod needs the larger of init and regular
    ({"initContainers": [ctr("2", "10Mi")], "containers": [ctr("100m", "128Mi")]}, {"cpu": 2000, "memory": 128 * Mi}),
    # sidecar (restartPolicy Always) then init: 200m + 100m regular side, 500m + 100m during init
    ({"initContainers": [ctr("100m", restart="Always"), ctr("500m")], "containers": [ctr("200m")]},
     {"cpu": 600, "memory": 0}),
    # init then sidecar: the sidecar starts after the init container, so 500m alone
    ({"initContainers": [ctr("500m"), ctr("100m", restart="Always")], "containers": [ctr("200m")]},
     {"cpu": 500, "memory": 0}),
    # overhead is added last
    ({"containers": [ctr("100m", "64Mi")], "overhead": {"cpu": "250m", "memory": "120Mi"}},
     {"cpu": 350, "memory": 184 * Mi}),
    # pod-level requests replace the containers' aggregate, resource by resource
    ({"containers": [ctr("100m", "64Mi")], "resources": {"requests": {"cpu": "1"}}}, {"cpu": 1000, "memory": 64 * Mi}),
    ({"containers": [ctr("100m", "64Mi")], "resources": {"limits": {"memory": "1Gi"}}}, {"cpu": 100, "memory": 1024 * Mi}),
    ({"containers": [ctr("100m")], "resources": {"requests": {"cpu": "2"}}, "overhead": {"cpu": "100m"}},
     {"cpu": 2100, "memory": 0}),
    # rounding up: a tenth of a millicore is a millicore, 1500m bytes are 2 bytes
    ({"containers": [ctr("0.0001", "1500m")]}, {"cpu": 1, "memory": 2}),
    # quantities the server refuses are left out; numbers are quantities; huge ones are held to int64
    ({"containers": [ctr("lots", "1Gi"), ctr(2, 1024)]}, {"cpu": 2000, "memory": 1024 * Mi + 1024}),
    ({"containers": [ctr("1e999999")]}, {"cpu": 2**63 - 1, "memory": 0}),
    # shapes that are not a pod spec never raise
    ({"containers": "x", "initContainers": [None, 3], "resources": [1], "overhead": "x"}, {"cpu": 0, "memory": 0}),
])
def test_pod_requests(spec, expected) -> None:
    assert pod_requests(spec) == expected


def test_not_a_mapping() -> None:
    assert pod_requests(None) == {"cpu": 0, "memory": 0}
    assert pod_requests([1, 2]) == {"cpu": 0, "memory": 0}
