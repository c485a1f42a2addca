from __future__ import annotations

from jobcheck.lint.checks import resources
from tests.checks._build import container, cronjob, hits, job

C0 = ("spec", "template", "spec", "containers", 0)


def test_missing_requests_both_and_one() -> None:
    [hit] = hits(resources.missing_requests, job())
    assert hit.path == C0 + ("resources", "requests")
    assert "cpu or memory request" in hit.message
    one = job([container(resources={"requests": {"cpu": "100m"}})])
    [hit] = hits(resources.missing_requests, one)
    assert hit.path == C0 + ("resources", "requests", "memory")


def test_a_limit_alone_satisfies_the_request() -> None:
    data = job([container(resources={"limits": {"cpu": "1", "memory": "1Gi"}})])
    assert hits(resources.missing_requests, data) == []


def test_init_containers_are_checked_and_named() -> None:
    ok = {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"memory": "1Gi"}}
    data = job([container(resources=ok)], init=[container("setup")])
    [hit] = hits(resources.missing_requests, data)
    assert hit.path[:5] == ("spec", "template", "spec", "initContainers", 0)
    assert 'init container "setup"' in hit.message


def test_missing_limits_memory_and_optional_cpu() -> None:
    data = job([container(resources={"limits": {"cpu": "1"}})])
    [hit] = hits(resources.missing_limits, data, require_cpu_limit=False)
    assert hit.path == C0 + ("resources", "limits", "memory")
    mem_only = job([container(resources={"limits": {"memory": "1Gi"}})])
    assert hits(resources.missing_limits, mem_only, require_cpu_limit=False) == []
    [hit] = hits(resources.missing_limits, mem_only, require_cpu_limit=True)
    assert hit.path == C0 + ("resources", "limits", "cpu")
    [hit] = hits(resources.missing_limits, job(), require_cpu_limit=True)
    assert hit.path == C0 + ("resources", "limits") and "cpu or memory limit" in hit.message


def test_odd_types_do_not_crash() -> None:
    data = job([container(resources="lots"), "not a container", container("x", resources={"limits": []})])
    assert len(hits(resources.missing_limits, data)) == 2
    assert len(hits(resources.missing_requests, cronjob(job_spec=data))) == 2
