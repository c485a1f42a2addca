"""Pod spec fields of ``ValidatePodSpec`` outside containers and volumes: DNS, names, host
namespaces, node selection syntax, the deadline, and the ``os`` field's restrictions.

Every check looks at its field only when the manifest has it, so a pod spec that sets none
of these costs a few dictionary lookups.
"""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.apiserver.metadata import validate_labels
from jobcheck.kube.apiserver.names import (
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    regex_error,
)
from jobcheck.kube.values import as_int, as_list, as_map
from jobcheck.redact import LazyPattern

FIX_SUBDOMAIN = "Use a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', at most 253 characters."
FIX_LABEL = "Use a DNS-1123 label: at most 63 lowercase letters, digits and '-'."
IP_ERROR = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"

_UNDERSCORE_LABEL_FMT = "[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?"
_UNDERSCORE_FMT = _UNDERSCORE_LABEL_FMT + "(\\." + _UNDERSCORE_LABEL_FMT + ")*"
_UNDERSCORE_MSG = regex_error(
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', "
    "and must start and end with an alphanumeric character",
    _UNDERSCORE_FMT,
    "example.com",
)


_UNDERSCORE_RE = LazyPattern(_UNDERSCORE_FMT)


def _is_subdomain_with_underscore(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append("must be no more than 253 characters")
    if not _UNDERSCORE_RE.fullmatch(value):
        errs.append(_UNDERSCORE_MSG)
    return errs


def is_sloppy_ip(value: str) -> bool:
    """Whether ``netutils.ParseIPSloppy`` accepts ``value`` (IPv4 parts may have leading zeros)."""
    parts = value.split(".")
    if len(parts) == 4 and all(p.isascii() and p.isdigit() for p in parts):
        return all(int(p) <= 255 for p in parts)
    if ":" not in value or "%" in value:
        return False
    import ipaddress  # ~1 ms at start-up: for a dnsConfig nameserver that may be IPv6 only

    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


_POD_FIELDS = frozenset(
    (
        "hostNetwork", "dnsPolicy", "nodeSelector", "dnsConfig", "readinessGates", "schedulingGates",
        "serviceAccountName", "nodeName", "priorityClassName", "activeDeadlineSeconds", "hostname",
        "subdomain", "runtimeClassName", "preemptionPolicy", "os",
    )
)  # fmt: skip


def validate_pod_fields(rep: m.Reporter, spec: dict, sp: tuple, version: tuple[int, int]) -> None:
    """The pod-level fields of ``ValidatePodSpec`` (not containers, volumes or security contexts)."""
    if _POD_FIELDS.isdisjoint(spec):
        return  # the usual pod spec: containers, restartPolicy, volumes and the like
    get = spec.get
    if get("hostNetwork") is True:
        _validate_host_network_ports(rep, spec, sp)
    policy = get("dnsPolicy")
    if not isinstance(policy, str) or not policy:
        policy = "ClusterFirst"  # the server's default
    elif policy not in f.DNS_POLICIES:
        rep.add(
            sp + ("dnsPolicy",),
            m.not_supported(policy, f.DNS_POLICIES),
            "Set dnsPolicy to ClusterFirst, ClusterFirstWithHostNet, Default or None.",
        )
    if "nodeSelector" in spec:
        validate_labels(rep, get("nodeSelector"), sp + ("nodeSelector",), sp + ("nodeSelector",))
    if policy == "None" or "dnsConfig" in spec:
        _validate_dns_config(rep, get("dnsConfig"), policy, sp + ("dnsConfig",), version)
    for i, gate in enumerate(as_list(get("readinessGates"))):
        ctype = as_map(gate).get("conditionType")
        if isinstance(ctype, str):
            for msg in is_qualified_name(ctype):
                rep.add(
                    sp + ("readinessGates", i, "conditionType"),
                    m.invalid(ctype, msg),
                    "Use a qualified name (an optional DNS prefix and '/', then a name) as the condition type.",
                )
    seen: set[str] = set()
    for i, gate in enumerate(as_list(get("schedulingGates"))):
        name = as_map(gate).get("name")
        if isinstance(name, str):
            at = sp + ("schedulingGates", i, "name")
            for msg in is_qualified_name(name):
                rep.add(sp + ("schedulingGates", i), m.invalid(name, msg), "Use a qualified name.", at=at)
            if name in seen:
                rep.add(
                    sp + ("schedulingGates", i), m.duplicate(name), "List each scheduling gate once.", at=at
                )
            seen.add(name)
    for key in ("serviceAccountName", "nodeName", "priorityClassName"):
        value = get(key)
        if isinstance(value, str) and value:
            for msg in is_dns1123_subdomain(value):
                rep.add(
                    sp + (key,),
                    m.invalid(value, msg),
                    f"Set {key} to the name of an object: {FIX_SUBDOMAIN[4:]}",
                )
    deadline = as_int(get("activeDeadlineSeconds"))
    if deadline is not None and not 1 <= deadline <= f.MAX_INT32:
        rep.add(
            sp + ("activeDeadlineSeconds",),
            m.invalid(deadline, f"must be between 1 and {f.MAX_INT32}, inclusive"),
            "Set the pod's activeDeadlineSeconds to at least 1, or leave it out (the Job's own "
            "activeDeadlineSeconds bounds the whole Job).",
        )
    for key in ("hostname", "subdomain"):
        value = get(key)
        if isinstance(value, str) and value:
            for msg in is_dns1123_label(value):
                rep.add(sp + (key,), m.invalid(value, msg), f"Set {key} to {FIX_LABEL[4:]}")
    runtime = get("runtimeClassName")
    if isinstance(runtime, str) and runtime:
        for msg in is_dns1123_subdomain(runtime):
            rep.add(sp + ("runtimeClassName",), m.invalid(runtime, msg), FIX_SUBDOMAIN)
    preemption = get("preemptionPolicy")
    if isinstance(preemption, str):
        if not preemption:
            rep.add(sp + ("preemptionPolicy",), m.required(), "Set preemptionPolicy or leave it out.")
        elif preemption not in f.PREEMPTION_POLICIES:
            rep.add(
                sp + ("preemptionPolicy",),
                m.not_supported(preemption, f.PREEMPTION_POLICIES),
                "Set preemptionPolicy to PreemptLowerPriority or Never.",
            )
    if "os" in spec:
        _validate_os(rep, spec, sp, version)


def validate_template_only(rep: m.Reporter, spec: dict, sp: tuple) -> None:
    """What ``ValidatePodTemplateSpec`` adds for a template: no ephemeral containers."""
    if as_list(spec.get("ephemeralContainers")):
        rep.add(
            sp + ("ephemeralContainers",),
            m.forbidden("ephemeral containers not allowed in pod template"),
            "Remove ephemeralContainers: they can only be added to a running pod (kubectl debug).",
        )


def _validate_host_network_ports(rep: m.Reporter, spec: dict, sp: tuple) -> None:
    for i, ctr in enumerate(as_list(spec.get("containers"))):
        for j, port in enumerate(as_list(as_map(ctr).get("ports"))):
            port = as_map(port)
            host, container = as_int(port.get("hostPort")), as_int(port.get("containerPort"))
            if host and container is not None and host != container:
                rep.add(
                    sp + ("containers", i, "ports", j, "hostPort"),
                    m.invalid(host, "must match `containerPort` when `hostNetwork` is true"),
                    "With hostNetwork, leave hostPort out or set it equal to containerPort.",
                )


def _validate_dns_config(rep: m.Reporter, config: object, policy: str, dp: tuple, version: tuple) -> None:
    if config is not None and not isinstance(config, dict):
        return
    nameservers = as_list(as_map(config).get("nameservers"))
    if policy == "None":
        if config is None:
            rep.add(
                dp,
                m.required("must provide `dnsConfig` when `dnsPolicy` is None"),
                "With dnsPolicy None, set dnsConfig with at least one nameserver.",
            )
            return
        if not nameservers:
            rep.add(
                dp + ("nameservers",),
                m.required("must provide at least one DNS nameserver when `dnsPolicy` is None"),
                "With dnsPolicy None, list at least one nameserver in dnsConfig.",
            )
            return
    if config is None:
        return
    if len(nameservers) > f.MAX_DNS_NAMESERVERS:
        rep.add(
            dp + ("nameservers",),
            m.invalid(
                m.typed(nameservers, "[]string", version),
                f"must not have more than {f.MAX_DNS_NAMESERVERS} nameservers",
            ),
            "List at most 3 nameservers.",
        )
    for i, ns in enumerate(nameservers):
        if isinstance(ns, str) and not is_sloppy_ip(ns):
            rep.add(
                dp + ("nameservers", i), m.invalid(ns, IP_ERROR), "Write the nameserver as an IP address."
            )
    searches = as_list(config.get("searches"))
    if searches and all(isinstance(s, str) for s in searches):
        if len(searches) > f.MAX_DNS_SEARCH_PATHS:
            rep.add(
                dp + ("searches",),
                m.invalid(
                    m.typed(searches, "[]string", version),
                    f"must not have more than {f.MAX_DNS_SEARCH_PATHS} search paths",
                ),
                "List at most 32 search domains.",
            )
        if len(" ".join(searches).encode()) > f.MAX_DNS_SEARCH_LIST_CHARS:
            rep.add(
                dp + ("searches",),
                m.invalid(
                    m.typed(searches, "[]string", version),
                    f"must not have more than {f.MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) "
                    "in the search list",
                ),
                "Shorten the search list to at most 2048 characters.",
            )
        relaxed = f.gate_on("RelaxedDNSSearchValidation", version)
        for i, search in enumerate(searches):
            if relaxed and search == ".":
                continue
            trimmed = search[:-1] if search.endswith(".") else search
            msgs = _is_subdomain_with_underscore(trimmed) if relaxed else is_dns1123_subdomain(trimmed)
            for msg in msgs:
                rep.add(
                    dp + ("searches", i), m.invalid(trimmed, msg), "Write each search domain as a DNS name."
                )
    for i, option in enumerate(as_list(config.get("options"))):
        if isinstance(option, dict) and not option.get("name"):
            rep.add(
                dp + ("options", i),
                m.required("must not be empty"),
                "Give every DNS option a name.",
                at=dp + ("options", i, "name"),
            )


# validateWindows: what a windows pod may not set. (field, gate or None). A container's
# procMount applies in every release: with ProcMountType off (before 1.33)
# dropDisabledProcMountField resets a set procMount to Default rather than dropping it, so
# validateWindows still sees it set.
_WINDOWS_POD_SC = (
    ("appArmorProfile", "AppArmorFields"),
    ("seLinuxOptions", None),
    ("seccompProfile", None),
    ("fsGroup", None),
    ("fsGroupChangePolicy", None),
    ("sysctls", None),
    ("runAsUser", None),
    ("runAsGroup", None),
    ("supplementalGroups", None),
    ("supplementalGroupsPolicy", "SupplementalGroupsPolicy"),
    ("seLinuxChangePolicy", "SELinuxChangePolicy"),
)
_WINDOWS_CONTAINER_SC = (
    ("appArmorProfile", "AppArmorFields"),
    ("seLinuxOptions", None),
    ("seccompProfile", None),
    ("capabilities", None),
    ("readOnlyRootFilesystem", None),
    ("privileged", None),
    ("allowPrivilegeEscalation", None),
    ("procMount", None),
    ("runAsUser", None),
    ("runAsGroup", None),
)
FIX_WINDOWS = "Remove this Linux-only setting from the windows pod, or set spec.os.name to linux."
FIX_LINUX = "Remove windowsOptions from the linux pod, or set spec.os.name to windows."


def _set(value: object) -> bool:
    """Whether a field counts as set on the server: present, not null, and (lists) not empty."""
    return value is not None and value != []


def visit_containers(spec: dict, sp: tuple):
    """``VisitContainersWithPath`` order: init containers, then containers (with their paths)."""
    for group in ("initContainers", "containers"):
        for i, ctr in enumerate(as_list(spec.get(group))):
            if isinstance(ctr, dict):
                yield ctr, sp + (group, i)


def _validate_os(rep: m.Reporter, spec: dict, sp: tuple, version: tuple[int, int]) -> None:
    pod_os = spec.get("os")
    if not isinstance(pod_os, dict):
        return
    name = pod_os.get("name")
    if name is None or name == "":
        rep.add(sp + ("os", "name"), m.required("cannot be empty"), "Set os.name to linux or windows.")
        return
    if not isinstance(name, str):
        return
    if name not in f.OS_NAMES:
        rep.add(
            sp + ("os",),
            m.not_supported(name, f.OS_NAMES),
            "Set os.name to linux or windows.",
            at=sp + ("os", "name"),
        )
        return
    psc = as_map(spec.get("securityContext"))
    if name == "linux":
        if _set(psc.get("windowsOptions")):
            rep.add(
                sp + ("securityContext", "windowsOptions"),
                m.forbidden("windows options cannot be set for a linux pod"),
                FIX_LINUX,
            )
        for ctr, cp in visit_containers(spec, sp):
            if _set(as_map(ctr.get("securityContext")).get("windowsOptions")):
                rep.add(
                    cp + ("securityContext", "windowsOptions"),
                    m.forbidden("windows options cannot be set for a linux pod"),
                    FIX_LINUX,
                )
        return
    body = m.forbidden("cannot be set for a windows pod")
    for key, gate in _WINDOWS_POD_SC:
        if _set(psc.get(key)) and (gate is None or f.gate_on(gate, version)):
            rep.add(sp + ("securityContext", key), body, FIX_WINDOWS)
    if spec.get("hostUsers") is not None and f.gate_on("UserNamespacesSupport", version):
        rep.add(sp + ("hostUsers",), body, FIX_WINDOWS)
    for key in ("hostPID", "hostIPC"):
        if spec.get(key) is True:
            rep.add(sp + (key,), body, FIX_WINDOWS)
    if spec.get("shareProcessNamespace") is not None:
        rep.add(sp + ("shareProcessNamespace",), body, FIX_WINDOWS)
    for ctr, cp in visit_containers(spec, sp):
        csc = ctr.get("securityContext")
        if isinstance(csc, dict):
            for key, gate in _WINDOWS_CONTAINER_SC:
                if _set(csc.get(key)) and (gate is None or f.gate_on(gate, version)):
                    rep.add(cp + ("securityContext", key), body, FIX_WINDOWS)
