"""Pod-level resources and resource claim references, where the release serves them.

``validatePodResources`` (PodLevelResources, on by default from 1.34): claims are forbidden at
pod level, a pod request may not exceed its limit, and no container limit may exceed the pod's
limit for the same resource. The pod-level resource names (``validatePodResourceName``) go
through containers.validate_resource_names, which is silent where the server's printing of the
name is not pinned (1.34 and 1.35; reported from 1.36, as a JSON string).

``validatePodResourceConsistency`` also wants each pod-level request to cover the aggregate of the
containers' requests (``AggregateContainerRequests``: regular containers and sidecars summed, at
least the largest init-container step). A template is not defaulted (the pod-level defaulting is in
``SetDefaults_Pod``), so the server compares what the manifest says. Ported for the resources the
pod-level requests name; not for a resource only the containers request: the snapshot read
compares it with a pod request of "0" (kubernetes#132449), and how the fix of that issue changed
the rule, and from which release, was not read.

``validateResourceClaimNames`` (DynamicResourceAllocation, on by default from 1.34): a
container's ``resources.claims`` must name the pod's ``resourceClaims``, without repeats.
"""

from __future__ import annotations

from decimal import MAX_EMAX, MIN_EMIN, Context

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.apiserver.containers import validate_resource_names
from jobcheck.kube.apiserver.names import is_dns1123_label
from jobcheck.kube.apiserver.quantity import Quantity, QuantityError, quantity_from_yaml
from jobcheck.kube.values import as_list, as_map

# Sums of quantities: 60 significant digits at any exponent (a quantity keeps its exponent apart, so
# "1e999999" costs what "1" costs); beyond that a sum would be rounded, not expanded.
_SUM = Context(prec=60, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])
_OVERCOMMIT = ("cpu", "memory")  # at pod level the native resources that may differ from their limit


def validate_pod_resources(rep: m.Reporter, spec: dict, sp: tuple, version: tuple[int, int]) -> None:
    dra = f.gate_on("DynamicResourceAllocation", version)
    if "resources" in spec and f.gate_on("PodLevelResources", version):
        resources = spec["resources"]
        if isinstance(resources, dict):
            _pod_level(rep, spec, resources, sp + ("resources",))
            _aggregate_requests(rep, spec, resources, sp + ("resources",))
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


def _add(total: dict[str, Quantity], name: str, q: Quantity) -> None:
    """``addResourceList`` for one resource: the sum keeps the format of its first non-zero term."""
    have = total.get(name)
    if have is None:
        total[name] = q
    else:
        fmt = have.format if have.value else q.format
        total[name] = Quantity(_SUM.add(have.value, q.value), fmt)


def _requests(ctr: object, names: set) -> dict[str, Quantity]:
    """A container's requests of the named resources (undecodable quantities are left out)."""
    out: dict[str, Quantity] = {}
    for name, raw in as_map(as_map(as_map(ctr).get("resources")).get("requests")).items():
        if name in names:
            q = _quantity(raw)
            if q is not None:
                out[name] = q
    return out


def aggregate_container_requests(spec: dict, names: set) -> dict[str, Quantity]:
    """``AggregateContainerRequests`` of a pod spec as written, for the resources in ``names``:
    regular containers and restartable init containers (sidecars) add up; each other init container
    needs its own request plus the sidecars started before it; the result is the larger of the two."""
    total: dict[str, Quantity] = {}
    for ctr in as_list(spec.get("containers")):
        for name, q in _requests(ctr, names).items():
            _add(total, name, q)
    sidecars: dict[str, Quantity] = {}
    init_peak: dict[str, Quantity] = {}
    for ctr in as_list(spec.get("initContainers")):
        own = _requests(ctr, names)
        if isinstance(ctr, dict) and ctr.get("restartPolicy") == "Always":
            for name, q in own.items():
                _add(total, name, q)
                _add(sidecars, name, q)
            step = dict(sidecars)
        else:
            step = {}
            for source in (own, sidecars):
                for name, q in source.items():
                    _add(step, name, q)
        for name, q in step.items():  # maxResourceList
            if name not in init_peak or q.compare(init_peak[name]) > 0:
                init_peak[name] = q
    for name, q in init_peak.items():
        if name not in total or q.compare(total[name]) > 0:
            total[name] = q
    return total


def _aggregate_requests(rep: m.Reporter, spec: dict, resources: dict, rp: tuple) -> None:
    """``validatePodResourceConsistency``: a pod-level request below the containers' aggregate."""
    requests = {}
    for name, raw in as_map(resources.get("requests")).items():
        if isinstance(name, str):
            q = _quantity(raw)
            if q is not None:
                requests[name] = q
    if not requests:
        return
    for name, total in aggregate_container_requests(spec, set(requests)).items():
        pod = requests[name]
        if total.compare(pod) > 0:
            rep.add(
                rp + ("requests", m.Key(name)),
                m.invalid(str(pod), f"must be greater than or equal to aggregate container requests of {total}"),
                f"Raise the pod's {name} request to at least the containers' total ({total}), or lower theirs.",
                at=rp + ("requests", name),
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
