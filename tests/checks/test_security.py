from __future__ import annotations

from jobcheck.lint.checks import security
from tests.checks._build import container, cronjob, hits, job

POD = ("spec", "template", "spec")
C0 = POD + ("containers", 0)


def test_runs_as_root_without_any_setting_points_at_the_container_field() -> None:
    [hit] = hits(security.runs_as_root, job())
    assert hit.path == C0 + ("securityContext", "runAsNonRoot")


def test_run_as_user_zero_at_either_level() -> None:
    [hit] = hits(security.runs_as_root, job([container(securityContext={"runAsUser": 0})]))
    assert hit.path == C0 + ("securityContext", "runAsUser")
    data = job([container("a"), container("b")], pod={"securityContext": {"runAsUser": 0}})
    [hit] = hits(security.runs_as_root, data)  # reported once for both containers
    assert hit.path == POD + ("securityContext", "runAsUser")


def test_container_settings_override_the_pod() -> None:
    pod_false = {"securityContext": {"runAsNonRoot": False}}
    assert (
        hits(security.runs_as_root, job([container(securityContext={"runAsNonRoot": True})], pod=pod_false))
        == []
    )
    [hit] = hits(security.runs_as_root, job(pod=pod_false))
    assert hit.path == POD + ("securityContext", "runAsNonRoot")
    pod_root = {"securityContext": {"runAsUser": 0}}
    assert (
        hits(security.runs_as_root, job([container(securityContext={"runAsUser": 1000})], pod=pod_root)) == []
    )


def test_non_root_settings_pass() -> None:
    assert hits(security.runs_as_root, job(pod={"securityContext": {"runAsNonRoot": True}})) == []
    assert hits(security.runs_as_root, job(pod={"securityContext": {"runAsUser": 10001}})) == []


def test_runs_as_root_covers_init_containers_and_cronjobs() -> None:
    data = cronjob(
        job_spec=job([container(securityContext={"runAsNonRoot": True})], init=[container("setup")])
    )
    [hit] = hits(security.runs_as_root, data)
    assert "initContainers" in hit.path and 'init container "setup"' in hit.message


def test_host_namespaces_each_reported() -> None:
    data = job(pod={"hostNetwork": True, "hostPID": True, "hostIPC": False})
    assert [h.path[-1] for h in hits(security.host_namespaces, data)] == ["hostNetwork", "hostPID"]


def test_hostpath_volumes() -> None:
    volumes = [
        {"name": "tmp", "emptyDir": {}},
        {"name": "sock", "hostPath": {"path": "/var/run/docker.sock"}},
        {"hostPath": None},
        "junk",
    ]
    found = hits(security.hostpath_volume, job(pod={"volumes": volumes}))
    assert [h.path for h in found] == [POD + ("volumes", 1, "hostPath"), POD + ("volumes", 2, "hostPath")]
    assert '"/var/run/docker.sock"' in found[0].message


def test_added_capabilities_beyond_the_allowed_list() -> None:
    caps = {"capabilities": {"add": ["NET_BIND_SERVICE", "cap_net_bind_service", "SYS_ADMIN", 7, "ALL"]}}
    found = hits(
        security.added_capabilities, job([container(securityContext=caps)]), allowed=["NET_BIND_SERVICE"]
    )
    assert [h.path[-1] for h in found] == [2, 4]
    assert '"SYS_ADMIN"' in found[0].message


def test_security_checks_survive_odd_types() -> None:
    data = job(
        [container(securityContext="root"), container("b", securityContext={"capabilities": "all"})],
        pod={"securityContext": [], "volumes": {"a": 1}},
    )
    assert len(hits(security.runs_as_root, data)) == 2
    assert hits(security.hostpath_volume, data) == []
    assert hits(security.added_capabilities, data, allowed=None) == []
