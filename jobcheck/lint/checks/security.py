"""Security-context checks.

JC601 (privileged), JC602 (privilege-escalation), JC604 (writable-root-filesystem) and JC608
(automount-service-account-token) are declarative; the ones that combine pod and container
levels or walk lists live here.
"""

from __future__ import annotations

from collections.abc import Iterator

from jobcheck.finding import Hit
from jobcheck.kube.objects import Container, Workload
from jobcheck.lint.checks import as_int, as_list, as_map, as_str, container_label

HOST_NAMESPACES = (("hostNetwork", "network"), ("hostPID", "process ID"), ("hostIPC", "IPC"))


def runs_as_root(w: Workload, params: dict) -> Iterator[Hit]:
    """JC603: a container that may run as root, or is told to (runAsUser 0).

    The container's securityContext overrides the pod's. A non-zero runAsUser is enough on its
    own; otherwise runAsNonRoot: true is needed. A pod-level cause is reported once, at the pod
    field, however many containers inherit it.
    """
    pod_sc = as_map(w.pod_spec.get("securityContext"))
    pod_sc_path = w.pod_spec_path + ("securityContext",)
    seen: set = set()
    for c in w.containers():
        hit = _root_hit(c, pod_sc, pod_sc_path)
        if hit is not None and hit.path not in seen:
            seen.add(hit.path)
            yield hit


def _root_hit(c: Container, pod_sc: dict, pod_sc_path: tuple) -> Hit | None:
    sc = as_map(c.data.get("securityContext"))
    sc_path = c.path + ("securityContext",)
    who = container_label(c.name, c.init)

    if "runAsUser" in sc:
        uid, uid_path, uid_owner = as_int(sc.get("runAsUser")), sc_path + ("runAsUser",), who
    else:
        uid, uid_path, uid_owner = as_int(pod_sc.get("runAsUser")), pod_sc_path + ("runAsUser",), "the pod"
    if uid == 0:
        return Hit(
            uid_path,
            f"runAsUser 0 of {uid_owner} runs {who if uid_owner == who else 'its containers'} as root",
        )

    if "runAsNonRoot" in sc:
        non_root, nr_path, nr_owner = sc.get("runAsNonRoot"), sc_path + ("runAsNonRoot",), who
    else:
        non_root, nr_path, nr_owner = pod_sc.get("runAsNonRoot"), pod_sc_path + ("runAsNonRoot",), "the pod"
    if non_root is True or (uid is not None and uid > 0):
        return None
    if non_root is False:
        return Hit(nr_path, f"runAsNonRoot: false on {nr_owner} lets {who} run as root")
    return Hit(
        sc_path + ("runAsNonRoot",),
        f"{who} may run as root: neither it nor the pod sets runAsNonRoot: true or a non-zero runAsUser",
    )


def host_namespaces(w: Workload, params: dict) -> Iterator[Hit]:
    """JC605: hostNetwork, hostPID or hostIPC set to true."""
    for field, what in HOST_NAMESPACES:
        if w.pod_spec.get(field) is True:
            yield Hit(
                w.pod_spec_path + (field,), f"{field}: true shares the node's {what} namespace with the pod"
            )


def hostpath_volume(w: Workload, params: dict) -> Iterator[Hit]:
    """JC606: a volume of type hostPath."""
    for i, vol in enumerate(as_list(w.pod_spec.get("volumes"))):
        vol = as_map(vol)
        if "hostPath" not in vol:
            continue
        name = as_str(vol.get("name")) or f"#{i}"
        host = as_str(as_map(vol.get("hostPath")).get("path"))
        where = f' mounts host path "{host}"' if host else " is a hostPath volume"
        yield Hit(w.pod_spec_path + ("volumes", i, "hostPath"), f'volume "{name}"{where}')


def added_capabilities(w: Workload, params: dict) -> Iterator[Hit]:
    """JC607: a Linux capability added beyond the ``allowed`` list (NET_BIND_SERVICE)."""
    allowed = {_cap(a) for a in as_list(params.get("allowed")) if isinstance(a, str)}
    for c in w.containers():
        caps = as_map(as_map(c.data.get("securityContext")).get("capabilities"))
        for j, cap in enumerate(as_list(caps.get("add"))):
            if not isinstance(cap, str) or _cap(cap) in allowed:
                continue
            yield Hit(
                c.path + ("securityContext", "capabilities", "add", j),
                f'{container_label(c.name, c.init)} adds capability "{cap}"',
            )


def _cap(name: str) -> str:
    name = name.strip().upper()
    return name[4:] if name.startswith("CAP_") else name
