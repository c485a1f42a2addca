"""Pod-level resources and resource claim references, where the release serves them.

``validatePodResources`` (PodLevelResources, on by default from 1.34): claims are forbidden at
pod level, a pod request may not exceed its limit, and no container limit may exceed the pod's
limit for the same resource. The pod-level resource names (``validatePodResourceName``) go
through containers.validate_resource_names, which is silent where the server's printing of the
name is not pinned (1.34 and 1.35; reported from 1.36, as a JSON string). Not ported: the
comparison with the aggregate of container requests (it depends on defaulting and
init-container rules that are not settled here).

``validateResourceClaimNames`` (DynamicResourceAllocation, on by default from 1.34): a
container's ``resources.claims`` must name the pod's ``resourceClaims``, without repeats.
"""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.apiserver.containers import validate_resource_names
from jobcheck.kube.apiserver.names import is_dns1123_label
from jobcheck.kube.apiserver.quantity import Quantity, QuantityError, quantity_from_yaml
from jobcheck.kube.values import as_list, as_map

_OVERCOMMIT = ("cpu", "memory")  # at pod level the native resources that may differ from their limit


def validate_pod_resources(rep: m.Reporter, spec: dict, sp: tuple, version: tuple[int, int]) -> None:
    dra = f.gate_on("DynamicResourceAllocation", version)
    if "resources" in spec and f.gate_on("PodLevelResources", version):
        resources = spec["resources"]
        if isinstance(resources, dict):
            _pod_level(rep, spec, resources, sp + ("resources",))
            validate_resource_names(rep, resources, sp + ("resources",), version, pod_level=True)
    if dra:
        claim_names = None
        for group in ("containers", "initContainers"):
            for i, ctr in enumerate(as_list(spec.get(group))):
                resources = ctr.get("resources") if isinstance(ctr, dict) else None
                if isinstance(resources, dict) and resources.get("claims"):
                    if claim_names is None:
                        claim_names = [as_map(c).get("name") for c in as_list(spec.get("resourceClaims"))]
                        claim_names = {n for n in claim_names if isinstance(n, str) and n}
                    _claim_names(
                        rep, resources["claims"], claim_names, sp + (group, i, "resources", "claims")
                    )


def _quantity(raw: object) -> Quantity | None:
    try:
        return quantity_from_yaml(raw)
    except QuantityError:
        return None  # reported with the container resources' rules, or undecodable


def _pod_level(rep: m.Reporter, spec: dict, resources: dict, rp: tuple) -> None:
    if resources.get("claims") is not None:
        rep.add(
            rp + ("claims",),
            m.forbidden("claims cannot be set for Resources at pod-level"),
            "Move the claims to the containers' resources.claims.",
        )
    limits = {k: _quantity(v) for k, v in as_map(resources.get("limits")).items() if isinstance(k, str)}
    for name, raw in as_map(resources.get("requests")).items():
        request, limit = _quantity(raw), limits.get(name)
        if name in _OVERCOMMIT and request is not None and limit is not None and request.compare(limit) > 0:
            rep.add(
                rp + ("requests",),
                m.invalid(str(request), f"must be less than or equal to {name} limit of {limit}"),
                f"Lower the pod's {name} request to at most its limit, or raise the limit.",
                at=rp + ("requests", name),
            )
    for i, ctr in enumerate(as_list(spec.get("containers"))):
        for name, raw in as_map(as_map(as_map(ctr).get("resources")).get("limits")).items():
            pod_limit, ctr_limit = limits.get(name), _quantity(raw)
            if pod_limit is not None and ctr_limit is not None and ctr_limit.compare(pod_limit) > 0:
                rep.add(
                    rp + ("containers", i, m.Key(name), "limits"),
                    m.invalid(str(ctr_limit), f"must be less than or equal to pod limits of {pod_limit}"),
                    f"Lower the container's {name} limit to at most the pod's, or raise the pod's limit.",
                    at=rp[:-1] + ("containers", i, "resources", "limits", name),
                )


def _claim_names(rep: m.Reporter, claims: object, pod_claims: set, cp: tuple) -> None:
    """``validateResourceClaimNames``."""
    names: set[str] = set()
    for i, claim in enumerate(as_list(claims)):
        if not isinstance(claim, dict):
            continue
        name = claim.get("name")
        if name is None or name == "":
            rep.add(cp + (i,), m.required(), "Name one of the pod's resourceClaims.", at=cp + (i, "name"))
            continue
        if not isinstance(name, str):
            continue
        request = claim.get("request")
        request = request if isinstance(request, str) else ""
        if name in names:
            rep.add(cp + (i,), m.duplicate(name), "Reference each claim once.", at=cp + (i, "name"))
        else:
            key = name
            if request:
                for msg in is_dns1123_label(request):
                    rep.add(
                        cp + (i, "request"),
                        m.invalid(request, msg),
                        "Name the request with a DNS-1123 label.",
                    )
                key += "/" + request
            if key in names:
                rep.add(
                    cp + (i,), m.duplicate(key), "Reference each claim request once.", at=cp + (i, "name")
                )
            elif not request:
                for seen in sorted(names):
                    if "/" in seen and seen.split("/", 1)[0] == name:
                        rep.add(
                            cp + (i,),
                            m.duplicate(name),
                            "Reference the whole claim or some of its requests, not both.",
                            at=cp + (i, "name"),
                        )
            names.add(key)
        if name not in pod_claims:
            detail = "must be one of the names in pod.spec.resourceClaims" + (
                ": " + ", ".join(sorted(pod_claims)) if pod_claims else " which is empty"
            )
            rep.add(
                cp + (i,),
                f"{m.not_found(name)}: {detail}",
                "Add the claim to the pod's resourceClaims, or fix the name.",
                at=cp + (i, "name"),
            )
            rep.mark_absent()
