"""The API server's create-time warnings for a Job or CronJob: accepted, but said back to the client.

Ported from the job and cronjob strategies' ``WarningsOnCreate`` (a name that is not a DNS label)
and ``pkg/api/pod/warnings.go`` (``GetWarningsForPodTemplate``, reached through
``WarningsForJobSpec``), with the server's field path and text. A warning comes back only with a
successful create; the API-server rules (JC103) say what is refused.

The null label selector warnings, the Indexed Job soft limits and the container port warnings
(hostIP without hostPort; duplicate, overlapping and ambiguous ports) come with 1.28
(CHANGELOG-1.28: kubernetes#117025, kubernetes#118420, kubernetes#113245). Release facts for the
rest, from the warnings.go snapshots at hand (kubernetes/kubernetes has one; copies of the source
tree at other points of its history fill in): a fractional memory or ephemeral-storage
``overhead`` is in a 1.25/1.26-era copy (glusterfs still "will be removed soon") and in every
later one, so in every supported release; a negative terminationGracePeriodSeconds and the
ephemeral claim template's fractional storage (``GetWarningsForPersistentVolumeClaimSpec``, whose
body was read in the same copy) are in a 1.28-cycle copy (cephfs "deprecated in v1.28", before
the port warnings of kubernetes#113245 merged), so from 1.28; whether 1.27 (kubernetes#115606,
which made a negative value count as 1) already warned was not read. Left out, because their
release could not be pinned: the projected volume paths that collide with a serviceAccountToken
path ("has duplicated path with ServiceAccountToken", later replaced by the "overlapping paths"
warnings of kubernetes#121968), duplicate port names (kubernetes#122170) and deprecated IP address
formats in dnsConfig nameservers and hostAliases.
"""

from __future__ import annotations

from collections.abc import Iterator

from jobcheck.finding import Hit, Key, render_path
from jobcheck.kube.apiserver.cronjob import MAX_CRONJOB_NAME
from jobcheck.kube.apiserver.job import effective_name
from jobcheck.kube.apiserver.messages import go_quote
from jobcheck.kube.apiserver.names import is_dns1123_label
from jobcheck.kube.apiserver.podfacts import gate_on
from jobcheck.kube.apiserver.podspec import visit_containers
from jobcheck.kube.apiserver.quantity import QuantityError, quantity_from_yaml
from jobcheck.kube.objects import Workload
from jobcheck.kube.values import as_int, as_list, as_map, as_str
from jobcheck.redact import LazyPattern

MAX_JOB_NAME = 63  # longer, the job-name label of its pods is refused (JC103)

# pkg/api/node: nodeapi.GetNodeLabelDeprecatedMessage
DEPRECATED_NODE_LABELS = {
    "beta.kubernetes.io/arch": 'deprecated since v1.14; use "kubernetes.io/arch" instead',
    "beta.kubernetes.io/os": 'deprecated since v1.14; use "kubernetes.io/os" instead',
    "failure-domain.beta.kubernetes.io/region": 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
    "failure-domain.beta.kubernetes.io/zone": 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
    "beta.kubernetes.io/instance-type": 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
}

DEPRECATED_ANNOTATIONS = (
    (
        "scheduler.alpha.kubernetes.io/critical-pod",
        'non-functional in v1.16+; use the "priorityClassName" field instead',
    ),
    ("security.alpha.kubernetes.io/sysctls", 'non-functional in v1.11+; use the "sysctls" field instead'),
    (
        "security.alpha.kubernetes.io/unsafe-sysctls",
        'non-functional in v1.11+; use the "sysctls" field instead',
    ),
)

# volume source -> (warning, first release of jobcheck's range that gives it in these words)
DEPRECATED_VOLUMES = {
    "photonPersistentDisk": ("deprecated in v1.11, non-functional in v1.16+", (1, 27)),
    "gitRepo": ("deprecated in v1.11", (1, 27)),
    "scaleIO": ("deprecated in v1.16, non-functional in v1.22+", (1, 27)),
    "flocker": ("deprecated in v1.22, non-functional in v1.25+", (1, 27)),
    "storageOS": ("deprecated in v1.22, non-functional in v1.25+", (1, 27)),
    "quobyte": ("deprecated in v1.22, non-functional in v1.25+", (1, 27)),
    "glusterfs": ("deprecated in v1.25, non-functional in v1.26+", (1, 27)),
    # Deprecated in 1.28; the "non-functional in v1.31+" wording is the one the sources show.
    "cephfs": ("deprecated in v1.28, non-functional in v1.31+", (1, 31)),
    "rbd": ("deprecated in v1.28, non-functional in v1.31+", (1, 31)),
}

SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"
SECCOMP_MESSAGE = 'non-functional in v1.27+; use the "seccompProfile" field instead'
APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
APPARMOR_MESSAGE = 'deprecated since v1.30; use the "appArmorProfile" field instead'
FRACTIONAL = "fractional byte value {} is invalid, must be an integer"
BYTE_RESOURCES = ("memory", "ephemeral-storage")
# Digits with no suffix or a whole-unit suffix: a whole number of bytes, never a fractional warning.
_WHOLE_BYTES = LazyPattern(r"[0-9]+(?:Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?")
NAME_WARNING = (
    "this is used in Pod names and hostnames, which can result in surprising behavior; "
    "a DNS label is recommended: "
)

NULL_SELECTOR = "a null labelSelector results in matching no pod"
NULL_SELECTOR_SINCE = (1, 28)
INDEXED_SOFT_LIMITS_SINCE = (1, 28)
# A negative terminationGracePeriodSeconds and the ephemeral claim template's fractional storage:
# both in a 1.28-cycle copy of warnings.go; 1.27 not read (see the module docstring).
NEGATIVE_GRACE_SINCE = (1, 28)
EPHEMERAL_STORAGE_SINCE = (1, 28)
NEGATIVE_GRACE = "must be >= 0; negative values are invalid and will be treated as 1"
# Container port warnings: kubernetes#113245, listed in the 1.28 release notes (CHANGELOG-1.28).
PORT_WARNINGS_SINCE = (1, 28)
# The duplicate env warning gained ", which may be dropped when using apply" with kubernetes#122126
# (release note NONE, so in no CHANGELOG; merged on master after 2023-12-18, once v1.29.0 was out):
# 1.30 on. The 1.28-cycle copy of warnings.go prints the bare form, kept for 1.27-1.29.
ENV_APPLY_HINT_SINCE = (1, 30)
ENV_APPLY_HINT = ", which may be dropped when using apply"
COMPLETIONS_SOFT_LIMIT = 100_000
PARALLELISM_SOFT_LIMIT = 10_000
INDEXED_SOFT_LIMITS = (
    "In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, "
    "Kubernetes might not be able to track completedIndexes when a big number of indexes fail"
)

FIX_NULL_SELECTOR = "Set a labelSelector that matches the pods to count, or remove the term."
FIX_SOFT_LIMITS = "Lower completions to at most 100000 or parallelism to at most 10000, or split the Job."
FIX_NAME = "Use a DNS label as the name (no dots): it becomes part of pod names and hostnames."
FIX_NODE_LABEL = "Use the node label the warning names instead of the deprecated one."
FIX_ANNOTATION = "Remove the annotation and use the field the warning names."
FIX_VOLUME = (
    "Replace the volume with a supported volume type (a CSI driver, or an init container for gitRepo)."
)
FIX_FRACTIONAL = 'Give the byte quantity as a whole number of bytes, for example "512Mi" instead of "0.5m".'
FIX_GRACE = "Set terminationGracePeriodSeconds to 0 or more: a negative value counts as 1 second."
FIX_ENV = "Define each environment variable once per container; kubectl apply may drop one of the duplicates."
FIX_DUPLICATE = "Remove the duplicate entry."
FIX_EMPTY_SECRET = "Name the image pull secret, or remove the empty entry."
FIX_HOST_IP = "Set hostPort with hostIP, or remove hostIP: without a hostPort it does nothing."
FIX_PORT_DUPLICATE = "Declare each containerPort/protocol once in the pod (or give each a distinct hostPort)."
FIX_PORT_AMBIGUOUS = (
    "Give both entries a hostIP, or neither: one bound to all addresses and one to an IP is undefined."
)


class _Out:
    """Collects warnings as hits: ``server`` is the path the server prints (relative to the object)
    and ``at`` the same place in the document (relative to the object too)."""

    __slots__ = ("base", "hits")

    def __init__(self, base: tuple) -> None:
        self.base = base
        self.hits: list[Hit] = []

    def add(
        self,
        server: tuple,
        text: str,
        fix: str,
        at: tuple | None = None,
        on_key: bool = False,
        absent: bool = False,
    ) -> None:
        where = at if at is not None else tuple(str(e) if isinstance(e, Key) else e for e in server)
        message = f"{render_path(server)}: {text}"
        self.hits.append(Hit(self.base + where, message, fix=fix, on_key=on_key, absent=absent))


def api_warnings(w: Workload, version: tuple[int, int]) -> Iterator[Hit]:
    """Yield one hit per create-time warning the API server returns for the Job or CronJob ``w``."""
    out = _Out(tuple(w.path))
    _name(out, w)
    if version >= INDEXED_SOFT_LIMITS_SINCE:
        _indexed_soft_limits(out, w)
    template = w.template
    if template:
        rel = tuple(w.template_path[len(w.path) :])
        _pod_template(out, template, rel, version)
    yield from out.hits


def _name(out: _Out, w: Workload) -> None:
    name, name_at = effective_name(w.metadata)
    if name is None:
        return
    limit = MAX_CRONJOB_NAME if w.kind == "CronJob" else MAX_JOB_NAME
    if len(name) > limit:
        return  # refused (JC103): the server returns no warnings then
    msgs = is_dns1123_label(name)
    if msgs:
        out.add(("metadata", "name"), NAME_WARNING + "[" + " ".join(msgs) + "]", FIX_NAME, at=name_at)


def _indexed_soft_limits(out: _Out, w: Workload) -> None:
    """``WarningsForJobSpec``: completions above 10^5 with parallelism above 10^4 (both 0 when unset)."""
    spec = w.job_spec
    if spec.get("completionMode") != "Indexed":
        return
    completions = as_int(spec.get("completions")) or 0
    parallelism = as_int(spec.get("parallelism")) or 0
    if completions > COMPLETIONS_SOFT_LIMIT and parallelism > PARALLELISM_SOFT_LIMIT:
        out.add(tuple(w.job_spec_path[len(w.path) :]), INDEXED_SOFT_LIMITS, FIX_SOFT_LIMITS)


def _null_selectors(out: _Out, spec: dict, affinity: object, sp: tuple) -> None:
    """Spread constraints and pod (anti-)affinity terms without a labelSelector match no pod. Terms
    that also set matchLabelKeys or mismatchLabelKeys are left out: the server's word on those
    depends on the release and may be a refusal."""
    for i, tsc in enumerate(as_list(spec.get("topologySpreadConstraints"))):
        if isinstance(tsc, dict) and tsc.get("labelSelector") is None and not tsc.get("matchLabelKeys"):
            out.add(
                sp + ("topologySpreadConstraints", i, "labelSelector"),
                NULL_SELECTOR,
                FIX_NULL_SELECTOR,
                absent=True,
            )
    for kind in ("podAffinity", "podAntiAffinity"):
        terms = as_map(as_map(affinity).get(kind))
        if not terms:
            continue
        kp = sp + ("affinity", kind)
        required = "requiredDuringSchedulingIgnoredDuringExecution"
        for i, term in enumerate(as_list(terms.get(required))):
            if _null_selector(term):
                out.add(kp + (required, i, "labelSelector"), NULL_SELECTOR, FIX_NULL_SELECTOR, absent=True)
        preferred = "preferredDuringSchedulingIgnoredDuringExecution"
        for i, weighted in enumerate(as_list(terms.get(preferred))):
            if isinstance(weighted, dict) and _null_selector(weighted.get("podAffinityTerm")):
                out.add(
                    kp + (preferred, i, "podAffinityTerm", "labelSelector"),
                    NULL_SELECTOR,
                    FIX_NULL_SELECTOR,
                    absent=True,
                )


def _null_selector(term: object) -> bool:
    return (
        isinstance(term, dict)
        and term.get("labelSelector") is None
        and not term.get("matchLabelKeys")
        and not term.get("mismatchLabelKeys")
    )


def _pod_template(out: _Out, template: dict, tp: tuple, version: tuple[int, int]) -> None:
    spec = as_map(template.get("spec"))
    sp = tp + ("spec",)
    annotations = as_map(as_map(template.get("metadata")).get("annotations"))
    ap = tp + ("metadata", "annotations")

    for key in as_map(spec.get("nodeSelector")):
        if isinstance(key, str) and key in DEPRECATED_NODE_LABELS:
            out.add(sp + ("nodeSelector", Key(key)), DEPRECATED_NODE_LABELS[key], FIX_NODE_LABEL, on_key=True)
    affinity = spec.get("affinity")
    if affinity:
        node = as_map(as_map(affinity).get("nodeAffinity"))
        np = sp + ("affinity", "nodeAffinity")
        required = as_map(node.get("requiredDuringSchedulingIgnoredDuringExecution"))
        tsp = np + ("requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
        for i, term in enumerate(as_list(required.get("nodeSelectorTerms"))):
            _node_selector_term(out, term, tsp + (i,))
        psp = np + ("preferredDuringSchedulingIgnoredDuringExecution",)
        for i, term in enumerate(as_list(node.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            _node_selector_term(out, as_map(term).get("preference"), psp + (i, "preference"))
    for i, tsc in enumerate(as_list(spec.get("topologySpreadConstraints"))):
        key = as_str(as_map(tsc).get("topologyKey"))
        if key in DEPRECATED_NODE_LABELS:
            out.add(
                sp + ("topologySpreadConstraints", i, "topologyKey"),
                f"{key} is {DEPRECATED_NODE_LABELS[key]}",
                FIX_NODE_LABEL,
            )

    if version >= NULL_SELECTOR_SINCE and (affinity or spec.get("topologySpreadConstraints")):
        _null_selectors(out, spec, affinity, sp)

    if annotations:
        for key, text in DEPRECATED_ANNOTATIONS:
            if key in annotations:
                out.add(ap + (Key(key),), text, FIX_ANNOTATION, on_key=True)

    volumes = spec.get("volumes")
    if volumes:
        for i, volume in enumerate(as_list(volumes)):
            if not isinstance(volume, dict):
                continue
            for source, (text, since) in DEPRECATED_VOLUMES.items():
                if volume.get(source) is not None and version >= since:
                    out.add(sp + ("volumes", i, source), text, FIX_VOLUME)
            if "ephemeral" in volume and version >= EPHEMERAL_STORAGE_SINCE:
                _ephemeral_claim(out, volume["ephemeral"], sp + ("volumes", i, "ephemeral"))

    aliases = as_list(spec.get("hostAliases"))
    if len(aliases) > 1:
        seen: set[str] = set()
        for i, alias in enumerate(aliases):
            ip = as_str(as_map(alias).get("ip"))
            if not ip:
                continue  # an empty or missing ip is refused (JC103)
            if ip in seen:
                out.add(sp + ("hostAliases", i, "ip"), f"duplicate ip {go_quote(ip)}", FIX_DUPLICATE)
            seen.add(ip)
    secrets = as_list(spec.get("imagePullSecrets"))
    if secrets:
        seen = set()
        for i, item in enumerate(secrets):
            if not isinstance(item, dict):
                continue
            name = item.get("name")
            name = name if isinstance(name, str) else "" if name is None else None
            if name is None:
                continue
            if len(secrets) > 1 and name in seen:
                out.add(
                    sp + ("imagePullSecrets", i, "name"), f"duplicate name {go_quote(name)}", FIX_DUPLICATE
                )
            seen.add(name)
        for i, item in enumerate(secrets):
            if isinstance(item, dict) and item.get("name") in (None, ""):
                out.add(sp + ("imagePullSecrets", i, "name"), 'invalid empty name ""', FIX_EMPTY_SECRET)

    overhead = spec.get("overhead")
    if overhead and isinstance(overhead, dict):
        for resource in BYTE_RESOURCES:  # warnings.go's order: memory, then ephemeral-storage
            if resource in overhead:
                _fractional(out, overhead[resource], sp + ("overhead", Key(resource)))

    security = as_map(spec.get("securityContext"))
    if (
        annotations
        and SECCOMP_POD in annotations
        and security.get("seccompProfile") is None
        and _seccomp_ok(annotations[SECCOMP_POD])
    ):
        out.add(ap + (Key(SECCOMP_POD),), SECCOMP_MESSAGE, FIX_ANNOTATION, on_key=True)
    pod_apparmor = security.get("appArmorProfile") is not None
    apparmor = gate_on("AppArmorFields", version)

    env_hint = ENV_APPLY_HINT if version >= ENV_APPLY_HINT_SINCE else ""
    for container, cp in visit_containers(spec, sp):
        _container(out, container, cp, annotations, ap, apparmor and not pod_apparmor, env_hint)

    if version >= PORT_WARNINGS_SINCE:
        _ports(out, spec, sp)

    grace = spec.get("terminationGracePeriodSeconds")
    if type(grace) is int and grace < 0 and version >= NEGATIVE_GRACE_SINCE:
        out.add(sp + ("terminationGracePeriodSeconds",), NEGATIVE_GRACE, FIX_GRACE)


def _ephemeral_claim(out: _Out, ephemeral: object, ep: tuple) -> None:
    """``GetWarningsForPersistentVolumeClaimSpec`` on the claim template: a fractional storage
    request, then a fractional storage limit."""
    template = as_map(ephemeral).get("volumeClaimTemplate")
    resources = as_map(as_map(as_map(template).get("spec")).get("resources"))
    if not resources:
        return
    rp = ep + ("volumeClaimTemplate", "spec", "resources")
    for kind in ("requests", "limits"):
        values = resources.get(kind)
        if isinstance(values, dict) and "storage" in values:
            _fractional(out, values["storage"], rp + (kind, Key("storage")))


def _fractional(out: _Out, value: object, path: tuple) -> None:
    """The "fractional byte value" warning for a byte quantity that is not a whole number of bytes."""
    if type(value) is int or (type(value) is str and _WHOLE_BYTES.fullmatch(value)):
        return  # the common spellings ("512Mi", "1G", 1024) are whole bytes: no parse
    try:
        q = quantity_from_yaml(value)
    except QuantityError:
        return  # refused (JC103)
    if q is None or q.negative or q.whole_in_millis():
        return
    out.add(path, FRACTIONAL.format(go_quote(str(q))), FIX_FRACTIONAL)


def _seccomp_ok(value: object) -> bool:
    """Whether ``ValidateSeccompProfile`` accepts the annotation's value (else the object is refused,
    and the server says nothing more)."""
    if value in ("runtime/default", "docker/default", "unconfined"):
        return True
    if not isinstance(value, str) or not value.startswith("localhost/"):
        return False
    path = value[len("localhost/") :]
    return not path.startswith("/") and ".." not in path.split("/")


def _apparmor_ok(value: object) -> bool:
    """Whether ``ValidateAppArmorProfileFormat`` accepts the annotation's value."""
    return value in ("", "runtime/default", "unconfined") or (
        isinstance(value, str) and value.startswith("localhost/")
    )


def _node_selector_term(out: _Out, term: object, tp: tuple) -> None:
    for j, expr in enumerate(as_list(as_map(term).get("matchExpressions"))):
        key = as_str(as_map(expr).get("key"))
        if key in DEPRECATED_NODE_LABELS:
            out.add(
                tp + ("matchExpressions", j, "key"), f"{key} is {DEPRECATED_NODE_LABELS[key]}", FIX_NODE_LABEL
            )


def _container(
    out: _Out,
    c: dict,
    cp: tuple,
    annotations: dict,
    ap: tuple,
    apparmor: bool,
    env_hint: str = ENV_APPLY_HINT,
) -> None:
    if annotations:
        name = c.get("name")
        if isinstance(name, str):
            sc = as_map(c.get("securityContext"))
            key = SECCOMP_CONTAINER_PREFIX + name
            if key in annotations and sc.get("seccompProfile") is None and _seccomp_ok(annotations[key]):
                out.add(ap + (Key(key),), SECCOMP_MESSAGE, FIX_ANNOTATION, on_key=True)
            key = APPARMOR_PREFIX + name
            if (
                apparmor
                and key in annotations
                and sc.get("appArmorProfile") is None
                and _apparmor_ok(annotations[key])
            ):
                out.add(ap + (Key(key),), APPARMOR_MESSAGE, FIX_ANNOTATION, on_key=True)

    resources = c.get("resources")
    if resources and isinstance(resources, dict):
        for resource in BYTE_RESOURCES:  # warnings.go's order: memory limit and request, then storage's
            for kind in ("limits", "requests"):
                values = resources.get(kind)
                if not isinstance(values, dict) or resource not in values:
                    continue
                _fractional(out, values[resource], cp + ("resources", kind, Key(resource)))

    env = c.get("env")
    if isinstance(env, list) and len(env) > 1:
        seen: set[str] = set()
        for i, item in enumerate(env):
            if not isinstance(item, dict):
                continue
            name = item.get("name")
            if not isinstance(name, str):
                continue
            if name not in seen:
                seen.add(name)
                continue
            ref = f"$({name})"
            value = item.get("value")
            value = value if isinstance(value, str) else ""
            if item.get("valueFrom") is not None or value == ref or ref not in value:
                out.add(
                    cp + ("env", i),
                    f"hides previous definition of {go_quote(name)}{env_hint}",
                    FIX_ENV,
                )


def _ports(out: _Out, spec: dict, sp: tuple) -> None:
    """The container port warnings of ``warningsForPodSpecAndMeta``: hostIP without hostPort, and
    ports of the same containerPort/protocol across the init and regular containers (duplicate,
    overlapping when either has no hostPort, dangerously ambiguous when the hostPorts match and
    only one sets a hostIP). Protocol defaults to TCP, hostPort to 0 (not from containerPort in a
    template from 1.28)."""
    seen: dict[tuple, list[tuple]] = {}
    for container, cp in visit_containers(spec, sp):
        ports = container.get("ports")
        if not ports:
            continue
        for j, port in enumerate(as_list(ports)):
            if not isinstance(port, dict):
                continue
            cport = as_int(port.get("containerPort"))
            hport = port.get("hostPort")
            hport = 0 if hport is None else as_int(hport)
            protocol = port.get("protocol")
            protocol = "TCP" if protocol in (None, "") else as_str(protocol)
            hip = port.get("hostIP")
            hip = "" if hip is None else as_str(hip)
            name = port.get("name")
            name = "" if name is None else as_str(name)
            if cport is None or hport is None or protocol is None or hip is None or name is None:
                continue  # not a value the server decodes (refused)
            pp = cp + ("ports", j)
            if hip and hport == 0:
                shown = (
                    f"{{Name:{name} HostPort:{hport} ContainerPort:{cport} "
                    f"Protocol:{protocol} HostIP:{hip}}}"
                )
                out.add(pp, f"hostIP set without hostPort: {shown}", FIX_HOST_IP)
            key = (cport, protocol)
            for other_path, other_hport, other_hip in seen.get(key, ()):
                other = render_path(other_path)
                if hip == other_hip and hport == other_hport:
                    out.add(pp, f"duplicate port definition with {other}", FIX_PORT_DUPLICATE)
                elif hport == 0 or other_hport == 0:
                    out.add(pp, f"overlapping port definition with {other}", FIX_PORT_DUPLICATE)
                elif hport == other_hport and (hip == "") != (other_hip == ""):
                    out.add(pp, f"dangerously ambiguous port definition with {other}", FIX_PORT_AMBIGUOUS)
            seen.setdefault(key, []).append((pp, hport, hip))
