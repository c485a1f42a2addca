"""Pod-level rules of ``ValidatePodSpec`` beside podspec.py: ``ValidateHostAliases``,
``validateWindowsHostProcessPod``, ``validatePodResourceClaims`` (where served) and
``validateOverhead`` (the container resource rules on ``overhead``); pod-level
resources and container claim references are in podresources.py.

Each family looks at its field only when the manifest has it; the hostProcess rule reads the
containers' security contexts only when one of them, or the pod's, sets windowsOptions.
"""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.apiserver.containers import (
    hugepage_value_divisible,
    is_extended_name,
    resource_name_bodies,
)
from jobcheck.kube.apiserver.names import is_dns1123_label, is_dns1123_subdomain
from jobcheck.kube.apiserver.podresources import validate_pod_resources
from jobcheck.kube.apiserver.podspec import IP_ERROR, is_sloppy_ip, visit_containers
from jobcheck.kube.apiserver.quantity import QuantityError, quantity_from_yaml
from jobcheck.kube.values import as_list, as_map


def validate_pod_level(rep: m.Reporter, spec: dict, sp: tuple, version: tuple[int, int]) -> None:
    if "hostAliases" in spec:
        _validate_host_aliases(rep, spec["hostAliases"], sp + ("hostAliases",))
    windows, claims = _container_flags(spec)
    if windows:
        _validate_host_process(rep, spec, sp)
    if "resourceClaims" in spec and f.gate_on("DynamicResourceAllocation", version):
        _validate_resource_claims(rep, spec["resourceClaims"], sp + ("resourceClaims",))
    if claims or "resources" in spec:
        validate_pod_resources(rep, spec, sp, version)
    if "overhead" in spec:
        _validate_overhead(rep, spec["overhead"], sp + ("overhead",), version)


def _container_flags(spec: dict) -> tuple[bool, bool]:
    """One pass over the containers: does the pod (or a container) set windowsOptions, does a
    container reference resource claims? The usual pod: neither."""
    psc = spec.get("securityContext")
    windows = isinstance(psc, dict) and "windowsOptions" in psc
    claims = False
    for group in ("initContainers", "containers"):
        items = spec.get(group)
        if not isinstance(items, list):
            continue
        for ctr in items:
            if isinstance(ctr, dict):
                sc = ctr.get("securityContext")
                if isinstance(sc, dict) and "windowsOptions" in sc:
                    windows = True
                resources = ctr.get("resources")
                if isinstance(resources, dict) and "claims" in resources:
                    claims = True
    return windows, claims


def _validate_host_aliases(rep: m.Reporter, aliases: object, hp: tuple) -> None:
    for i, alias in enumerate(as_list(aliases)):
        if not isinstance(alias, dict):
            continue
        ip = alias.get("ip")
        if ip is None or isinstance(ip, str):
            ip = ip or ""
            if not is_sloppy_ip(ip):
                rep.add(
                    hp + (i, "ip"), m.invalid(ip, IP_ERROR), "Write the host alias's ip as an IP address."
                )
        for j, name in enumerate(as_list(alias.get("hostnames"))):
            if isinstance(name, str):
                for msg in is_dns1123_subdomain(name):
                    rep.add(
                        hp + (i, "hostnames", j),
                        m.invalid(name, msg),
                        "Write the host name as a DNS-1123 subdomain: lowercase letters, digits, '-' and '.'.",
                    )


def _validate_overhead(rep: m.Reporter, overhead: object, op: tuple, version: tuple[int, int]) -> None:
    """``validateOverhead``: ``ValidateContainerResourceRequirements`` on ``{limits: overhead}``
    (the server prints ``overhead.limits[<name>]``; positions are the name's key or value).

    Per name: the container resource name rules (where their printed name is pinned), a
    non-negative quantity, a whole number for an extended resource (its bad value is a
    resource.Quantity: reported only from 1.36, where it prints as a JSON string) and a whole
    number of pages for hugepages; then hugepages need cpu or memory beside them.
    """
    items = as_map(overhead)
    hugepages = False
    for name, raw in items.items():
        if not isinstance(name, str):
            continue
        lp, at = op + ("limits", m.Key(name)), op + (name,)
        if name not in ("cpu", "memory", "ephemeral-storage"):
            for body, _ in resource_name_bodies(name, version) or ():
                rep.add(lp, body, _OVERHEAD_NAME_FIX, at=at, on_key=True)
        is_hugepages = name.startswith("hugepages-")
        hugepages = hugepages or is_hugepages
        try:
            q = quantity_from_yaml(raw)
        except QuantityError:
            continue  # the server cannot decode the manifest
        if q is None:
            continue
        if q.negative:
            rep.add(
                lp,
                m.invalid(str(q), m.NEGATIVE),
                f"Use a non-negative {name} overhead, or leave overhead to the RuntimeClass.",
                at=at,
            )
        if (
            not q.whole_in_millis()
            and m.value_printing(version) == m.JSON_FORM
            and "/" in name
            and "kubernetes.io/" not in name
            and is_extended_name(name)
        ):
            rep.add(
                lp,
                f"Invalid value: {m.go_json(str(q))}: must be an integer",
                f"Use a whole number for the extended resource {name}.",
                at=at,
            )
        if is_hugepages and not hugepage_value_divisible(name, q):
            rep.add(
                lp,
                m.invalid(str(q), f"{q} is not positive integer multiple of {name}"),
                f"Give a whole number of pages: a multiple of {name[len('hugepages-') :]}.",
                at=at,
            )
    if hugepages and "cpu" not in items and "memory" not in items:
        rep.add(
            op,
            m.forbidden("HugePages require cpu or memory"),
            "Add a cpu or memory overhead beside the hugepages overhead, or leave overhead to the "
            "RuntimeClass.",
        )


_OVERHEAD_NAME_FIX = (
    "Name a resource a container may use: cpu, memory, ephemeral-storage, hugepages-<size>, or an "
    "extended resource with a domain prefix such as example.com/gpu."
)


def _host_process(sc: object) -> object:
    return as_map(as_map(sc).get("windowsOptions")).get("hostProcess")


def _validate_host_process(rep: m.Reporter, spec: dict, sp: tuple) -> None:
    """``validateWindowsHostProcessPod`` (its cluster-policy half depends on the API server's flags)."""
    pod_hp = _host_process(spec.get("securityContext"))
    containers = list(visit_containers(spec, sp))
    ctr_hps = [_host_process(ctr.get("securityContext")) for ctr, _ in containers]
    if not isinstance(pod_hp, bool) and not any(isinstance(h, bool) for h in ctr_hps):
        return
    count = 0
    for (_, cp), ctr_hp in zip(containers, ctr_hps, strict=True):
        if isinstance(pod_hp, bool) and isinstance(ctr_hp, bool) and pod_hp != ctr_hp:
            rep.add(
                cp + ("securityContext", "windowsOptions", "hostProcess"),
                m.invalid(
                    ctr_hp,
                    f"pod hostProcess value must be identical if both are specified, was {str(pod_hp).lower()}",
                ),
                "Set hostProcess the same way in the pod and in its containers, or only in the pod.",
            )
        if ctr_hp is True or (ctr_hp is None and pod_hp is True):
            count += 1
    if not count:
        return
    if count != len(containers):
        rep.add(
            sp,
            m.invalid(
                "",
                "If pod contains any hostProcess containers then all containers must be HostProcess containers",
            ),
            "Make every container a hostProcess container (set hostProcess: true in the pod's windowsOptions), "
            "or none.",
        )
        rep.mark_absent()
    if spec.get("hostNetwork") is not True:
        rep.add(
            sp + ("hostNetwork",),
            m.invalid(False, "hostNetwork must be true if pod contains any hostProcess containers"),
            "Set hostNetwork: true: hostProcess containers run in the node's network namespace.",
        )
        if "hostNetwork" not in spec:
            rep.mark_absent()


def _validate_resource_claims(rep: m.Reporter, claims: object, cp: tuple) -> None:
    """``validatePodResourceClaims`` for a template (no pod name: generated claim names are not checked)."""
    names: set[str] = set()
    for i, claim in enumerate(as_list(claims)):
        if not isinstance(claim, dict):
            continue
        path = cp + (i,)
        name = claim.get("name")
        if name is None or name == "":
            rep.add(path + ("name",), m.required(), "Name the pod's resource claim.")
        elif isinstance(name, str):
            if name in names:
                rep.add(path + ("name",), m.duplicate(name), "Give every resource claim a unique name.")
            else:
                for msg in is_dns1123_label(name):
                    rep.add(
                        path + ("name",),
                        m.invalid(name, msg),
                        "Use a DNS-1123 label as the claim name: at most 63 lowercase letters, digits and '-'.",
                    )
                names.add(name)
        claim_name, template_name = claim.get("resourceClaimName"), claim.get("resourceClaimTemplateName")
        if claim_name is not None and template_name is not None:
            rep.add(
                path,
                m.invalid(
                    m.OMIT,
                    "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified",
                ),
                "Set either resourceClaimName or resourceClaimTemplateName.",
            )
        if claim_name is None and template_name is None:
            rep.add(
                path,
                m.invalid(m.OMIT, "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`"),
                "Set resourceClaimName (an existing claim) or resourceClaimTemplateName (a claim per pod).",
            )
            rep.mark_absent()
        for key, value in (("resourceClaimName", claim_name), ("resourceClaimTemplateName", template_name)):
            if isinstance(value, str):
                for msg in is_dns1123_subdomain(value):
                    rep.add(
                        path + (key,),
                        m.invalid(value, msg),
                        f"Set {key} to the name of an object: a DNS-1123 subdomain.",
                    )
