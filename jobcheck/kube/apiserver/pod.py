"""Pod template rules the API server enforces (a subset of ``ValidatePodTemplateSpec``).

Covered here: template labels and annotations, containers (presence, names, image,
env names, envFrom prefix, ports, volume mounts, resources) and volumes (names, file
modes); beside it, podspec.py (pod-level fields, ``os``), securitycontext.py,
scheduling.py, containers.py and mounts.py (the other container fields) and probes.py.
Only what the server really rejects after defaulting; the coverage table is
docs/pod-validation-coverage.md.
"""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver.annotations import validate_pod_annotations
from jobcheck.kube.apiserver.containers import (
    check_host_port_conflicts,
    host_ports_defaulted,
    validate_container_fields,
    validate_hugepages,
    validate_resource_names,
)
from jobcheck.kube.apiserver.metadata import validate_annotations, validate_labels
from jobcheck.kube.apiserver.names import (
    is_dns1123_label,
    is_env_var_name,
    is_qualified_name,
    is_relaxed_env_var_name,
    is_valid_port_name,
    is_valid_port_num,
)
from jobcheck.kube.apiserver.podlevel import validate_pod_level
from jobcheck.kube.apiserver.podspec import validate_pod_fields, validate_template_only
from jobcheck.kube.apiserver.probes import validate_container_behaviour
from jobcheck.kube.apiserver.quantity import QuantityError, quantity_from_yaml
from jobcheck.kube.apiserver.scheduling import validate_scheduling
from jobcheck.kube.apiserver.securitycontext import (
    host_users,
    validate_container_security_context,
    validate_pod_security_context,
)
from jobcheck.kube.apiserver.volumes import validate_volumes
from jobcheck.kube.values import as_int, as_list, as_map

_PROTOCOLS = ("SCTP", "TCP", "UDP")  # sorted, as the server lists them

FIX_ENV = {
    False: "Rename the variable: letters, digits, '_', '-' and '.', not starting with a digit "
    "(Kubernetes 1.32+ also accepts any printable ASCII except '=').",
    True: "Rename the variable using printable ASCII characters other than '='.",
}


def relaxed_env(version: tuple[int, int]) -> bool:
    """RelaxedEnvironmentVariableValidation is on by default from 1.32."""
    return version >= (1, 32)


def validate_pod_template(rep: m.Reporter, template: dict, tp: tuple, version: tuple[int, int]) -> None:
    """Validate a pod template at server path ``tp`` (``spec.template`` or ``spec.jobTemplate.spec.template``)."""
    meta = as_map(template.get("metadata"))
    validate_labels(rep, meta.get("labels"), tp + ("labels",), tp + ("metadata", "labels"))
    validate_annotations(
        rep, meta.get("annotations"), tp + ("annotations",), tp + ("metadata", "annotations")
    )
    spec = template.get("spec")
    if spec is None:
        spec = {}
    if isinstance(spec, dict):
        validate_pod_annotations(rep, meta.get("annotations"), spec, tp, version)
        validate_pod_spec(rep, spec, tp + ("spec",), version)
        if "ephemeralContainers" in spec:
            validate_template_only(rep, spec, tp + ("spec",))


# Keys of a pod spec that podspec.py, securitycontext.py or scheduling.py look at: a pod spec
# with none of them (containers, restartPolicy, volumes only) skips the three at once.
_POD_LEVEL = frozenset(
    (
        "hostNetwork", "dnsPolicy", "nodeSelector", "dnsConfig", "readinessGates", "schedulingGates",
        "serviceAccountName", "nodeName", "priorityClassName", "activeDeadlineSeconds", "hostname",
        "subdomain", "runtimeClassName", "preemptionPolicy", "os", "securityContext", "hostPID",
        "hostIPC", "shareProcessNamespace", "hostUsers", "tolerations", "affinity",
        "topologySpreadConstraints",
    )
)  # fmt: skip


def validate_pod_spec(rep: m.Reporter, spec: dict, sp: tuple, version: tuple[int, int]) -> None:
    volumes = validate_volumes(rep, spec.get("volumes"), sp + ("volumes",), version)
    containers = spec.get("containers")
    if containers is None or containers == []:
        rep.add(sp + ("containers",), m.required(), "Add at least one container to the pod template.")
    names: set[str] = set()
    users = host_users(spec, version)
    grace = _grace_period(spec)
    defaulted = host_ports_defaulted(spec, version)
    for group, items in (("containers", containers), ("initContainers", spec.get("initContainers"))):
        for i, ctr in enumerate(as_list(items)):
            if not isinstance(ctr, dict):
                continue
            init = group == "initContainers"
            _validate_container(rep, ctr, sp + (group, i), volumes, version)
            validate_container_fields(rep, ctr, sp + (group, i), init, spec, volumes, version)
            validate_container_behaviour(rep, ctr, sp + (group, i), init, version, grace)
            if init and "ports" in ctr:  # init containers run one by one: each is checked alone
                check_host_port_conflicts(rep, [ctr], sp + (group,), i, defaulted)
            if "securityContext" in ctr:
                validate_container_security_context(
                    rep, ctr["securityContext"], sp + (group, i, "securityContext"), users, version
                )
            name = ctr.get("name")
            if isinstance(name, str) and name:
                if name in names:  # unique across containers and init containers
                    rep.add(
                        sp + (group, i, "name"),
                        m.duplicate(name),
                        "Give every container and init container a unique name.",
                    )
                names.add(name)
    check_host_port_conflicts(rep, as_list(containers), sp + ("containers",), defaulted=defaulted)
    validate_pod_level(rep, spec, sp, version)
    if not _POD_LEVEL.isdisjoint(spec):
        validate_pod_fields(rep, spec, sp, version)
        validate_pod_security_context(rep, spec, sp, version)
        validate_scheduling(rep, spec, sp, version)


def _grace_period(spec: dict) -> int | None:
    """The pod's terminationGracePeriodSeconds after defaulting (30), None when it is not a valid count."""
    grace = spec.get("terminationGracePeriodSeconds")
    if grace is None:
        return 30
    grace = as_int(grace)
    return grace if grace is not None and grace >= 0 else None


def _validate_container(
    rep: m.Reporter, ctr: dict, cp: tuple, volumes: set[str], version: tuple[int, int]
) -> None:
    rep.required_and_valid(cp + ("name",), ctr.get("name"), is_dns1123_label,
                           "Give the container a name (a DNS-1123 label).",
                           "Use a DNS-1123 label as the container name: at most 63 lowercase letters, digits and '-'.")
    image = ctr.get("image")
    if image is None or image == "":
        rep.add(cp + ("image",), m.required(), "Set the container image.")
    relaxed = relaxed_env(version)
    check_env = is_relaxed_env_var_name if relaxed else is_env_var_name
    for i, env in enumerate(as_list(ctr.get("env"))):
        if not isinstance(env, dict):
            continue
        env_name = env.get("name")
        if env_name is None or env_name == "":
            rep.add(cp + ("env", i, "name"), m.required(), "Give the environment variable a name.")
        elif isinstance(env_name, str):
            for msg in check_env(env_name):
                rep.add(cp + ("env", i, "name"), m.invalid(env_name, msg), FIX_ENV[relaxed])
    for i, env_from in enumerate(as_list(ctr.get("envFrom"))):
        prefix = as_map(env_from).get("prefix")
        if isinstance(prefix, str) and prefix:
            for msg in check_env(prefix):
                rep.add(
                    cp + ("envFrom", i, "prefix"),
                    m.invalid(prefix, msg),
                    "Change the prefix so that every resulting name is a valid environment variable name.",
                )
    if ctr.get("ports"):  # an absent or empty list has nothing to check: no paths to build
        _validate_ports(rep, ctr["ports"], cp + ("ports",))
    if ctr.get("volumeMounts"):
        _validate_mounts(rep, ctr["volumeMounts"], cp + ("volumeMounts",), volumes)
    resources = ctr.get("resources")
    if isinstance(resources, dict):
        _validate_resources(rep, resources, cp + ("resources",))
        validate_resource_names(rep, resources, cp + ("resources",), version)


def _validate_ports(rep: m.Reporter, ports: object, pp: tuple) -> None:
    names: set[str] = set()
    for i, port in enumerate(as_list(ports)):
        if not isinstance(port, dict):
            continue
        path = pp + (i,)
        name = port.get("name")
        if isinstance(name, str) and name:
            msgs = is_valid_port_name(name)
            for msg in msgs:
                rep.add(
                    path + ("name",),
                    m.invalid(name, msg),
                    "Use a port name of at most 15 lowercase letters, digits and single '-', with at least "
                    "one letter.",
                )
            if not msgs:
                if name in names:
                    rep.add(
                        path + ("name",), m.duplicate(name), "Give every port of the container a unique name."
                    )
                names.add(name)
        number = port.get("containerPort")
        if number is None or number == 0:
            rep.add(
                path + ("containerPort",), m.required(), "Set containerPort to a port between 1 and 65535."
            )
        elif as_int(number) is not None:
            for msg in is_valid_port_num(number):
                rep.add(
                    path + ("containerPort",),
                    m.invalid(number, msg),
                    "Set containerPort to a port between 1 and 65535.",
                )
        host = as_int(port.get("hostPort"))
        if host:
            for msg in is_valid_port_num(host):
                rep.add(
                    path + ("hostPort",), m.invalid(host, msg), "Set hostPort to a port between 1 and 65535."
                )
        protocol = port.get("protocol")
        if isinstance(protocol, str) and protocol and protocol not in _PROTOCOLS:
            rep.add(
                path + ("protocol",),
                m.not_supported(protocol, _PROTOCOLS),
                "Set protocol to TCP, UDP or SCTP (uppercase), or leave it out for TCP.",
            )


def _validate_mounts(rep: m.Reporter, mounts: object, mp: tuple, volumes: set[str]) -> None:
    seen: set[str] = set()
    for i, mount in enumerate(as_list(mounts)):
        if not isinstance(mount, dict):
            continue
        path = mp + (i,)
        name = mount.get("name")
        if name is None or isinstance(name, str):
            name = name or ""
            if not name:
                rep.add(path + ("name",), m.required(), "Name the volume to mount.")
            if name not in volumes:
                rep.add(
                    path + ("name",),
                    m.not_found(name),
                    "Mount a volume that is defined (and valid) in the pod template's volumes.",
                )
        mount_path = mount.get("mountPath")
        if mount_path is None or isinstance(mount_path, str):
            mount_path = mount_path or ""
            if not mount_path:
                rep.add(path + ("mountPath",), m.required(), "Set the mountPath.")
            if mount_path in seen:
                rep.add(
                    path + ("mountPath",),
                    m.invalid(mount_path, "must be unique"),
                    "Mount each path of the container only once.",
                )
            seen.add(mount_path)


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def _is_extended(name: str) -> bool:
    return (
        not _is_native(name)
        and not name.startswith("requests.")
        and not is_qualified_name("requests." + name)
    )


def _overcommit_allowed(name: str) -> bool:
    return _is_native(name) and not _is_hugepages(name)


def _validate_resources(rep: m.Reporter, resources: dict, rp: tuple) -> None:
    limits: dict = {}
    sections = {}
    hugepages = False
    # Runs for every resource of every container, nearly always clean: a path is built only for a
    # message, and a name without "/" (cpu, memory) is native, so neither extended nor capped.
    for section in ("limits", "requests"):
        parsed = {}
        for res, raw in as_map(resources.get(section)).items():
            if not isinstance(res, str):
                continue
            if res.startswith("hugepages-"):
                hugepages = True
            try:
                q = quantity_from_yaml(raw)
            except QuantityError as err:
                rep.add(
                    rp + (section, m.Key(res)),
                    m.invalid(raw if isinstance(raw, str) else str(raw), str(err)),
                    "Write the quantity as a number with an optional suffix, such as 500m, 2, 128Mi or 1Gi.",
                )
                continue
            if q is None:
                continue
            if q.negative:
                rep.add(
                    rp + (section, m.Key(res)),
                    m.invalid(str(q), m.NEGATIVE),
                    f"Use a non-negative {section[:-1]} for {res}.",
                )
            if "/" in res and _is_extended(res) and not q.whole_in_millis():
                rep.add(
                    rp + (section, m.Key(res)),
                    m.invalid(str(q), "must be an integer"),
                    f"Use a whole number for the extended resource {res}.",
                )
            parsed[res] = q
        sections[section] = parsed
    if hugepages:
        validate_hugepages(rep, resources, rp, sections)
    limits = sections["limits"]
    for res, req in sections["requests"].items():
        limit = limits.get(res)
        if limit is not None:
            order = req.compare(limit)
            if order and not _overcommit_allowed(res):
                rep.add(
                    rp + ("requests",),
                    m.invalid(str(req), f"must be equal to {res} limit of {limit}"),
                    f"Set the {res} request equal to its limit: this resource cannot be overcommitted.",
                    at=rp + ("requests", res),
                )
            elif order > 0:
                rep.add(
                    rp + ("requests",),
                    m.invalid(str(req), f"must be less than or equal to {res} limit of {limit}"),
                    f"Lower the {res} request to at most the limit, or raise the limit.",
                    at=rp + ("requests", res),
                )
        elif not _overcommit_allowed(res) and res not in as_map(resources.get("limits")):
            rep.add(
                rp + ("limits",),
                m.required("Limit must be set for non overcommitable resources"),
                f"Set a {res} limit equal to the request.",
                at=rp + ("limits", res),
            )
