"""Container fields of ``validateContainerCommon``, ``validateContainers`` and
``validateInitContainers`` that pod.py does not check: terminationMessagePolicy,
imagePullPolicy, resizePolicy, ``checkHostPortConflicts`` and the hugepages rules of
``validateResourceRequirements``; volumeMounts and volumeDevices are in mounts.py, the
container restartPolicy and restartPolicyRules in restartrules.py.

Read from pkg/apis/core/validation/validation.go (snapshot of the 1.33 line, cross-checked
with an older one); a rule whose feature gate is off by default in the selected release is
not applied, because the server drops the field before validation (podfacts.ON_BY_DEFAULT).
"""

from __future__ import annotations

from decimal import ROUND_CEILING

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.apiserver.mounts import text, validate_mounts_and_devices
from jobcheck.kube.apiserver.names import is_qualified_name
from jobcheck.kube.apiserver.quantity import Quantity, QuantityError, parse_quantity
from jobcheck.kube.apiserver.restartrules import validate_init_resize_restart, validate_restart
from jobcheck.kube.values import as_int, as_list, as_map

_KEYS = frozenset(
    (
        "terminationMessagePolicy",
        "imagePullPolicy",
        "volumeDevices",
        "volumeMounts",
        "resizePolicy",
        "restartPolicy",
        "restartPolicyRules",
    )
)
TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")  # listed in this order, not sorted
PULL_POLICIES = ("Always", "IfNotPresent", "Never")  # sets.List: sorted
RESIZE_RESOURCES = ("cpu", "memory")  # sorted
RESIZE_POLICIES = ("NotRequired", "RestartContainer")  # sorted


def validate_container_fields(
    rep: m.Reporter, ctr: dict, cp: tuple, init: bool, spec: dict, volumes: set[str], version: tuple[int, int]
) -> None:
    """The container checks of this module for the container at ``cp``."""
    if _KEYS.isdisjoint(ctr):
        return
    policy = ctr.get("terminationMessagePolicy")
    if isinstance(policy, str) and policy and policy not in TERMINATION_MESSAGE_POLICIES:
        rep.add(
            cp + ("terminationMessagePolicy",),
            m.not_supported(policy, TERMINATION_MESSAGE_POLICIES),
            "Set terminationMessagePolicy to File or FallbackToLogsOnError, or leave it out.",
        )
    pull = ctr.get("imagePullPolicy")
    if isinstance(pull, str) and pull and pull not in PULL_POLICIES:
        rep.add(
            cp + ("imagePullPolicy",),
            m.not_supported(pull, PULL_POLICIES),
            "Set imagePullPolicy to Always, IfNotPresent or Never (capitalised), or leave it out.",
        )
    if "volumeMounts" in ctr or "volumeDevices" in ctr:
        validate_mounts_and_devices(rep, ctr, cp, spec, volumes, version)
    if "resizePolicy" in ctr and f.gate_on("InPlacePodVerticalScaling", version):
        _validate_resize_policy(
            rep, ctr["resizePolicy"], cp + ("resizePolicy",), spec.get("restartPolicy"), version
        )
        if init:
            validate_init_resize_restart(rep, ctr, cp, version)
    if "restartPolicy" in ctr or "restartPolicyRules" in ctr:
        validate_restart(rep, ctr, cp, init, version)


def _validate_resize_policy(
    rep: m.Reporter, policies: object, rp: tuple, pod_restart: object, version: tuple[int, int]
) -> None:
    """``validateResizePolicy`` (the server names the list, not the item, for most errors).

    resourceName is a core.ResourceName: printed unquoted where name_quoting says so (1.33);
    from 1.34 (not pinned) it keeps the quoted form of the newest source.
    """
    quoted = name_quoting(version) is not False
    seen: set = set()
    for i, entry in enumerate(as_list(policies)):
        if not isinstance(entry, dict):
            continue
        ip = rp + (i,)
        name = text(entry.get("resourceName"))
        policy = text(entry.get("restartPolicy"))
        if name is None or policy is None:
            continue
        if name in seen:
            rep.add(
                ip,
                f"Duplicate value: {_shown(name, quoted)}",
                "List each resource once in resizePolicy.",
                at=ip + ("resourceName",),
            )
        seen.add(name)
        if not name:
            rep.add(rp, m.required(), "Set resourceName to cpu or memory.", at=ip + ("resourceName",))
        elif name not in RESIZE_RESOURCES:
            rep.add(
                rp,
                f"Unsupported value: {_shown(name, quoted)}: supported values: "
                + ", ".join(m.go_quote(v) for v in RESIZE_RESOURCES),
                "Set resourceName to cpu or memory.",
                at=ip + ("resourceName",),
            )
        if not policy:
            rep.add(
                rp,
                m.required(),
                "Set restartPolicy to NotRequired or RestartContainer.",
                at=ip + ("restartPolicy",),
            )
        elif policy not in RESIZE_POLICIES:
            rep.add(
                rp,
                m.not_supported(policy, RESIZE_POLICIES),
                "Set restartPolicy to NotRequired or RestartContainer.",
                at=ip + ("restartPolicy",),
            )
        if pod_restart == "Never" and policy != "NotRequired":
            rep.add(
                rp,
                m.invalid(policy, _resize_never_detail(version)),
                "Use restartPolicy: NotRequired in resizePolicy: the pod never restarts its containers.",
                at=ip + ("restartPolicy",),
            )


# The NotRequired-with-Never detail names the *pod* restartPolicy in the 1.37 development line
# (validation.go of AIAgentSandox/kubernetes at 64149d12), not in the stored kubernetes/kubernetes
# validation.go of the 1.33/1.34 line (000f2605). The PR between them is not pinned, so 1.34-1.36
# keep the older wording, the one source read for them.
_RESIZE_NEVER_POD_WORDING_FROM = (1, 37)


def _resize_never_detail(version: tuple[int, int]) -> str:
    if version >= _RESIZE_NEVER_POD_WORDING_FROM:
        return "must be 'NotRequired' when pod `restartPolicy` is 'Never'"
    return "must be 'NotRequired' when `restartPolicy` is 'Never'"


# Until 1.27 SetDefaults_PodSpec gave every port of a hostNetwork pod spec, templates included, an
# unset hostPort equal to its containerPort (defaultHostNetworkPorts, pkg/apis/core/v1/defaults.go).
# From 1.28 (kubernetes#117696) only SetDefaults_Pod does it, and a template is validated as
# written; the DefaultHostNetworkHostPortsInPodTemplates gate, off by default, brings the old way back.
HOST_PORTS_DEFAULTED_IN_TEMPLATES_UNTIL = (1, 27)


def host_ports_defaulted(spec: dict, version: tuple[int, int]) -> bool:
    """Whether the server gives this template's unset hostPorts their containerPort before validating."""
    return spec.get("hostNetwork") is True and version <= HOST_PORTS_DEFAULTED_IN_TEMPLATES_UNTIL


def check_host_port_conflicts(
    rep: m.Reporter, containers: list, path: tuple, start: int = 0, defaulted: bool = False
) -> None:
    """``checkHostPortConflicts``: one protocol/hostIP/hostPort per list of containers.

    ``start`` is the index of the first container in the list (init containers are checked
    one by one, each on its own). ``defaulted``: an unset (or 0) hostPort takes the containerPort,
    as the server's defaulting does first (``host_ports_defaulted``); such a hit is reported at the
    port, the hostPort being absent from the manifest.
    """
    seen: set[str] = set()
    for ci, ctr in enumerate(containers, start):
        if not isinstance(ctr, dict) or "ports" not in ctr:
            continue
        for pi, port in enumerate(as_list(ctr["ports"])):
            if not isinstance(port, dict):
                continue
            host = as_int(port.get("hostPort"))
            at = None
            if defaulted and not host and port.get("hostPort", 0) in (None, 0):
                host = as_int(port.get("containerPort"))
                at = path + (ci, "ports", pi)
            protocol = text(port.get("protocol"))
            host_ip = text(port.get("hostIP"))
            if not host or protocol is None or host_ip is None:
                continue
            key = f"{protocol or 'TCP'}/{host_ip}/{host}"  # the protocol defaults to TCP
            if key in seen:
                rep.add(
                    path + (ci, "ports", pi, "hostPort"),
                    m.duplicate(key),
                    "Use a different hostPort (or protocol or hostIP): another container of the pod already "
                    "binds it.",
                    at=at,
                )
            seen.add(key)


_HUGEPAGES_PREFIX = "hugepages-"
_INT64_DIGITS = 19


def hugepage_value_divisible(name: str, quantity: Quantity) -> bool:
    """``IsHugePageResourceValueDivisible``: the value (rounded up) is a whole number of pages.

    A quantity too large for an int64, or negative (rounded otherwise, and reported as negative
    anyway), is taken as divisible: the check stays bounded whatever the exponent.
    """
    try:
        page = parse_quantity(name[len(_HUGEPAGES_PREFIX) :])
    except QuantityError:
        return False  # the page size is not a quantity: never divisible
    if page.value <= 0 or not page.whole_in_millis() or page.value.adjusted() >= _INT64_DIGITS:
        return page.value.adjusted() >= _INT64_DIGITS
    value = quantity.value
    if quantity.negative or value.adjusted() >= _INT64_DIGITS:
        return True
    whole = value.to_integral_value(rounding=ROUND_CEILING)
    page_whole = page.value.to_integral_value(rounding=ROUND_CEILING)
    return whole % page_whole == 0


def validate_hugepages(rep: m.Reporter, resources: dict, rp: tuple, parsed: dict) -> None:
    """The hugepages rules of ``validateResourceRequirements``, for resources that name hugepages.

    ``parsed`` maps section -> name -> Quantity.
    """
    names = [
        n for section in ("limits", "requests") for n in as_map(resources.get(section)) if isinstance(n, str)
    ]
    for section in ("limits", "requests"):
        for name, quantity in parsed.get(section, {}).items():
            if name.startswith(_HUGEPAGES_PREFIX) and not hugepage_value_divisible(name, quantity):
                rep.add(
                    rp + (section, m.Key(name)),
                    m.invalid(str(quantity), f"{quantity} is not positive integer multiple of {name}"),
                    f"Request a whole number of pages: a multiple of {name[len(_HUGEPAGES_PREFIX) :]}.",
                )
    if "cpu" not in names and "memory" not in names:
        rep.add(
            rp,
            m.forbidden("HugePages require cpu or memory"),
            "Also request or limit cpu or memory in a container that uses hugepages.",
        )


# --- Resource names: validateResourceName, validateContainerResourceName, validatePodResourceName ---
#
# The server prints a rejected name as field.Error prints its BadValue (messages.value_printing),
# and the value's Go type changed once: up to 1.28 validateResourceName and
# validateContainerResourceName take a plain string (printed with %q); kubernetes#120592
# (opened 2023-09, after 1.28) made them take core.ResourceName, a named string with a String()
# method: printed bare up to 1.33, as a JSON string (quoted) from 1.36 (validation.go at
# kubernetes/kubernetes@898b9f80, of the 1.36 line, still passes core.ResourceName to every name
# rule). Not reported where the form is not pinned: 1.29 (whether #120592 merged before the 1.29
# freeze: it is in no release note read) and 1.34-1.35 (kubernetes#132314). The rules
# themselves (which names are refused) are the same in every release.
_NAME_TAKES_STRING_UNTIL = (1, 28)
_NAME_NOT_PINNED = frozenset(((1, 29),))

# helper.standardResources (pkg/apis/core/helper/helpers.go); IsStandardResourceName also
# accepts the hugepages-/requests.hugepages- prefixes (IsQuotaHugePageResourceName).
_STANDARD_RESOURCES = frozenset(
    (
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
        "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
        "pods", "quotas", "services", "replicationcontrollers", "secrets", "configmaps",
        "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports",
        "services.loadbalancers",
    )
)  # fmt: skip
_STANDARD_CONTAINER_RESOURCES = frozenset(("cpu", "memory", "ephemeral-storage"))
# resourcehelper.SupportedPodLevelResources (component-helpers): cpu and memory, and from the
# release that serves pod-level resources by default (1.34; kubernetes#130577 merged in 1.33)
# any hugepages- name; the list printed is sets.List of {cpu, memory, "hugepages-"} (the same
# in the newest component-helpers read).
_POD_LEVEL_RESOURCES = ("cpu", "hugepages-", "memory")


def shown_resource_name(name: str, version: tuple[int, int]) -> str | None:
    """A rejected resource name as the server prints it in ``version`` (None: not pinned)."""
    if version <= _NAME_TAKES_STRING_UNTIL:
        return m.go_value(name)
    if version in _NAME_NOT_PINNED:
        return None
    return m.named(name, version, stringer=True)


def name_quoting(version: tuple[int, int]) -> bool | None:
    """Whether the server quotes a rejected resource name (None: not pinned for ``version``)."""
    shown = shown_resource_name("x", version)
    return None if shown is None else shown != "x"


def _shown(name: str, quoted: bool) -> str:
    value = m.go_value(name)
    return value if quoted or value == m.HIDDEN else name


def resource_name_errors(name: str, pod_level: bool = False) -> list[tuple[str, str]]:
    """(kind, detail) of each error the server gives for resource name ``name``.

    kind is "invalid" or "unsupported" (the latter: pod level, detail empty). Container names
    follow ``validateContainerResourceName``, pod-level names ``validatePodResourceName``.
    """
    errs = [("invalid", msg) for msg in is_qualified_name(name)]
    bare = "/" not in name
    if not errs and bare and name not in _STANDARD_RESOURCES and not _is_quota_hugepages(name):
        errs.append(("invalid", "must be a standard resource type or fully qualified"))
    if pod_level:
        if errs:
            return errs
        if name not in ("cpu", "memory") and not name.startswith(_HUGEPAGES_PREFIX):
            errs.append(("unsupported", ""))
        return errs
    if bare:
        if name not in _STANDARD_CONTAINER_RESOURCES and not name.startswith(_HUGEPAGES_PREFIX):
            errs.append(("invalid", "must be a standard resource for containers"))
    elif "kubernetes.io/" not in name and not is_extended_name(name):
        errs.append(("invalid", "doesn't follow extended resource name standard"))
    return errs


def _is_quota_hugepages(name: str) -> bool:
    return name.startswith(_HUGEPAGES_PREFIX) or name.startswith("requests.hugepages-")


def is_extended_name(name: str) -> bool:
    """``IsExtendedResourceName`` for a name with a '/' that is not native."""
    return not name.startswith("requests.") and not is_qualified_name("requests." + name)


def resource_name_bodies(
    name: str, version: tuple[int, int], pod_level: bool = False
) -> list[tuple[str, str]] | None:
    """(error body, fix) of each error the server gives for resource name ``name`` in
    ``version``; None when the name is refused but its printed form is not pinned there."""
    errs = resource_name_errors(name, pod_level)
    if not errs:
        return []
    shown = shown_resource_name(name, version)
    if shown is None:
        return None
    out = []
    for kind, detail in errs:
        if kind == "unsupported":
            body = f"Unsupported value: {shown}: supported values: " + ", ".join(
                m.go_quote(v) for v in _POD_LEVEL_RESOURCES
            )
            out.append((body, "Set only cpu, memory or hugepages-<size> in the pod-level resources."))
        else:
            out.append((f"Invalid value: {shown}: {detail}", _NAME_FIX[pod_level]))
    return out


def validate_resource_names(
    rep: m.Reporter, resources: dict, rp: tuple, version: tuple[int, int], pod_level: bool = False
) -> None:
    """The resource name rules for ``resources.limits`` and ``resources.requests`` at ``rp``.

    Reported at the key; skipped where the printed form of the name is not pinned.
    """
    known = ("cpu", "memory") if pod_level else _STANDARD_CONTAINER_RESOURCES
    for section in ("limits", "requests"):
        for name in as_map(resources.get(section)):
            if not isinstance(name, str) or name in known:
                continue
            path = rp + (section, m.Key(name))
            for body, fix in resource_name_bodies(name, version, pod_level) or ():
                rep.add(path, body, fix, on_key=True)


_NAME_FIX = {
    False: "Use cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource with a "
    "domain prefix such as example.com/gpu.",
    True: "Use cpu, memory or hugepages-<size> at pod level.",
}
