"""Container probes, lifecycle hooks and env sources: ``validateProbe``, ``validateHandler``,
the init-container restrictions of ``validateInitContainers``, ``validateEnvVarValueFrom`` and
the source count of ``ValidateEnvFrom``.

Values are read after the server's defaults (probe thresholds of 0 become their defaults, an
httpGet path of "" becomes "/", its scheme HTTP). An env var's value is never printed: the
server itself prints "" there.
"""

from __future__ import annotations

from functools import lru_cache

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.apiserver.names import (
    is_dns1123_label,
    is_relaxed_env_var_name,
    is_valid_port_name,
    max_len_error,
    name_is_dns_subdomain,
    regex_error,
)
from jobcheck.kube.apiserver.quantity import QuantityError, quantity_from_yaml
from jobcheck.kube.values import as_int, as_list, as_map
from jobcheck.redact import LazyPattern

_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
_LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
_NON_NEGATIVE = (
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
)
_HEADER_FMT = "[-A-Za-z0-9]+"
_HEADER_RE = LazyPattern(_HEADER_FMT)
_HEADER_MSG = regex_error(
    "a valid HTTP header must consist of alphanumeric characters or '-'", _HEADER_FMT, "X-Header-Name"
)
_ENV_SOURCES = ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")
# Field paths the downward API converts for v1 (ConvertDownwardAPIFieldLabel), without subscripts.
_CONVERTIBLE = frozenset(
    (
        "metadata.name", "metadata.namespace", "metadata.uid", "metadata.labels", "metadata.annotations",
        "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName",
        "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    )
)  # fmt: skip
_ENV_SOURCE_SET = frozenset(_ENV_SOURCES)
_BEHAVIOUR_KEYS = frozenset(("lifecycle", *_PROBES, "env", "envFrom"))
INIT_FORBIDDEN = "may not be set for init containers without restartPolicy=Always"
NO_ENV_SOURCE = "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"
# With EnvFiles on (1.35+), validateEnvVarValueFrom counts fileKeyRef as a source and names it
# (opts.AllowEnvFilesValidation: useAllowEnvFilesValidation, pkg/api/pod/util.go, is the gate on
# a create). In 1.34 (EnvFiles alpha, off) dropFileKeyRefInUse removes fileKeyRef first (JC104);
# the 1.34 wording of the no-source message was not read, so 1.34 is left silent there.
NO_ENV_SOURCE_FILES = (
    "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`"
)
_NO_ENV_SOURCE_UNTIL = (1, 33)
_ENV_FILE_SOURCES = frozenset((*_ENV_SOURCES, "fileKeyRef"))
# validContainerResourceFieldPathExpressions, as sets.List prints them (sorted).
RESOURCE_FIELD_PATHS = (
    "limits.cpu", "limits.ephemeral-storage", "limits.memory",
    "requests.cpu", "requests.ephemeral-storage", "requests.memory",
)  # fmt: skip
_HUGEPAGES_PREFIXES = ("requests.hugepages-", "limits.hugepages-")
_SIZE_DIVISORS = frozenset(
    ("1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei")
)
_SIZE_DIVISOR_LIST = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei"
# resource -> (allowed divisors, message) of validateContainerResourceDivisor
_DIVISORS = {
    "cpu": (frozenset(("1m", "1")), "only divisor's values 1m and 1 are supported with the cpu resource"),
    "memory": (
        _SIZE_DIVISORS,
        f"only divisor's values {_SIZE_DIVISOR_LIST} are supported with the memory resource",
    ),
    "ephemeral-storage": (
        _SIZE_DIVISORS,
        f"only divisor's values {_SIZE_DIVISOR_LIST} are supported with the local ephemeral storage resource",
    ),
}
_HUGEPAGES_DIVISOR_MSG = (
    f"only divisor's values {_SIZE_DIVISOR_LIST} are supported with the hugepages resource"
)
_CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+"
_CONFIG_KEY_RE = LazyPattern(_CONFIG_KEY_FMT)
_CONFIG_KEY_MSG = regex_error(
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
    _CONFIG_KEY_FMT,
    "key.name",
    "KEY_NAME",
    "key-name",
)


def validate_container_behaviour(
    rep: m.Reporter, ctr: dict, cp: tuple, init: bool, version: tuple[int, int], grace: int | None = 30
) -> None:
    """Probes and lifecycle (or, for a plain init container, their absence) and env sources.

    ``grace`` is the pod's terminationGracePeriodSeconds after defaulting (None when invalid):
    a lifecycle sleep may not last longer.
    """
    if _BEHAVIOUR_KEYS.isdisjoint(ctr):
        return
    sidecar = init and ctr.get("restartPolicy") == "Always" and f.gate_on("SidecarContainers", version)
    if init and not sidecar:
        if f.gate_on("SidecarContainers", version):
            for key in ("lifecycle", *_PROBES):
                if ctr.get(key) is not None:
                    rep.add(
                        cp + (key,),
                        m.forbidden(INIT_FORBIDDEN),
                        f"Remove {key} from the init container, or make it a sidecar with restartPolicy: Always.",
                    )
    else:
        lifecycle = ctr.get("lifecycle")
        if isinstance(lifecycle, dict):
            sleep = _sleep_rule(version, grace)
            for hook in ("postStart", "preStop"):
                handler = lifecycle.get(hook)
                if isinstance(handler, dict) and (sleep is not None or "sleep" not in handler):
                    _validate_handler(rep, handler, cp + ("lifecycle", hook), _LIFECYCLE_HANDLERS, sleep)
        for key in _PROBES:
            probe = ctr.get(key)
            if isinstance(probe, dict):
                _validate_probe(rep, probe, cp + (key,), key)
    if "env" in ctr:
        for i, env in enumerate(as_list(ctr["env"])):
            if type(env) is not dict or len(env) < 2:
                continue  # a name alone: nothing to count
            source = env.get("valueFrom")
            if isinstance(source, dict):
                _validate_value_from(rep, env, source, cp + ("env", i, "valueFrom"), version)
    if "envFrom" in ctr:
        for i, env_from in enumerate(as_list(ctr["envFrom"])):
            if isinstance(env_from, dict):
                _validate_env_from(rep, env_from, cp + ("envFrom",), i)


def _sleep_rule(version: tuple[int, int], grace: int | None) -> tuple[int, bool, str] | None:
    """(grace period, zero allowed, message) of ``validateSleepAction`` in ``version``; None when not ported.

    Before PodLifecycleSleepAction is on (1.30) the field is dropped. In 1.32 (kubernetes#127094,
    PodLifecycleSleepActionAllowZero alpha, off) zero is still refused, with a hint about the gate
    in the merged code's words (not the KEP's): read in the stored validation.go of the 1.33 line
    and of the 1.37 development line, the branch taken while the gate is off, and the same text a
    1.32 API server printed (zalando-incubator/kubernetes-on-aws#9426, May 2025).
    """
    if grace is None or not f.gate_on("PodLifecycleSleepAction", version):
        return None
    if f.gate_on("PodLifecycleSleepActionAllowZero", version):
        return grace, True, f"must be non-negative and less than terminationGracePeriodSeconds ({grace})"
    detail = f"must be greater than 0 and less than terminationGracePeriodSeconds ({grace})"
    if version >= _SLEEP_ZERO_HINT_FROM:
        detail += _SLEEP_ZERO_HINT
    return grace, False, detail


_SLEEP_ZERO_HINT_FROM = (1, 32)
_SLEEP_ZERO_HINT = ". Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep."


def _validate_probe(rep: m.Reporter, probe: dict, pp: tuple, kind: str) -> None:
    _validate_handler(rep, probe, pp, _PROBE_HANDLERS)
    for key, value in probe.items():
        if type(value) is int and value < 0 and key in _NON_NEGATIVE:
            rep.add(pp + (key,), m.invalid(value, m.NEGATIVE), f"Set {key} to 0 or more.")
    if "terminationGracePeriodSeconds" in probe:
        grace = probe["terminationGracePeriodSeconds"]
        if type(grace) is int and grace <= 0:
            rep.add(
                pp + ("terminationGracePeriodSeconds",),
                m.invalid(grace, "must be greater than 0"),
                "Set the probe's terminationGracePeriodSeconds to 1 or more, or leave it out.",
            )
        if kind == "readinessProbe" and type(grace) is int:
            rep.add(
                pp + ("terminationGracePeriodSeconds",),
                m.invalid(grace, "must not be set for readinessProbes"),
                "Remove terminationGracePeriodSeconds from the readiness probe: a failing readiness "
                "probe never kills the container.",
            )
    success = as_int(probe.get("successThreshold"))
    if kind != "readinessProbe" and success not in (None, 0, 1):
        rep.add(
            pp + ("successThreshold",),
            m.invalid(success, "must be 1"),
            "Liveness and startup probes succeed once: set successThreshold to 1 or leave it out.",
        )


def _validate_handler(
    rep: m.Reporter, handler: dict, hp: tuple, kinds: tuple[str, ...], sleep: tuple | None = None
) -> None:
    present = [k for k in handler if k in kinds]
    if len(present) == 1:  # the usual case: no need to order the handlers as the server does
        kind = present[0]
        action = handler[kind]
        if isinstance(action, dict):
            _validate_action(rep, kind, action, hp + (kind,), sleep)
        if action is not None:
            return
    count = 0
    for kind in kinds:
        action = handler.get(kind)
        if action is None:
            continue
        if count:
            rep.add(
                hp + (kind,),
                m.forbidden("may not specify more than 1 handler type"),
                "Give the probe or hook exactly one handler: exec, httpGet, tcpSocket or grpc.",
            )
            continue
        count += 1
        if isinstance(action, dict):
            _validate_action(rep, kind, action, hp + (kind,), sleep)
    if not count:
        rep.add(
            hp,
            m.required("must specify a handler type"),
            "Give the probe or hook a handler: exec, httpGet, tcpSocket or grpc.",
        )


def _validate_port(rep: m.Reporter, port: object, path: tuple) -> None:
    if isinstance(port, bool):
        return
    if isinstance(port, int):
        if not 1 <= port <= 65535:
            rep.add(
                path,
                m.invalid(port, "must be between 1 and 65535, inclusive"),
                "Use a port between 1 and 65535.",
            )
    elif isinstance(port, str):
        for msg in is_valid_port_name(port):
            rep.add(
                path, m.invalid(port, msg), "Use a port number, or the name of one of the container's ports."
            )


def _validate_action(rep: m.Reporter, kind: str, action: dict, ap: tuple, sleep: tuple | None = None) -> None:
    if kind == "sleep":
        seconds = action.get("seconds", 0)
        if sleep is None or type(seconds) is not int:
            return
        grace, zero, detail = sleep
        if seconds > grace or seconds < 0 or (seconds == 0 and not zero):
            rep.add(
                ap,
                m.invalid(seconds, detail),
                f"Sleep for at most the pod's terminationGracePeriodSeconds ({grace})"
                + (" and not a negative time." if zero else ", and at least 1 second."),
            )
    elif kind == "exec":
        if not as_list(action.get("command")):
            rep.add(ap + ("command",), m.required(), "Give the exec handler a command.")
    elif kind == "httpGet":
        _validate_port(rep, action.get("port"), ap + ("port",))
        scheme = action.get("scheme")
        if isinstance(scheme, str) and scheme and scheme not in ("HTTP", "HTTPS"):
            rep.add(
                ap + ("scheme",),
                m.not_supported(scheme, ("HTTP", "HTTPS")),
                "Set the scheme to HTTP or HTTPS (uppercase).",
            )
        for j, header in enumerate(as_list(action.get("httpHeaders"))):
            name = as_map(header).get("name")
            if isinstance(name, str) and not _HEADER_RE.fullmatch(name):
                rep.add(
                    ap + ("httpHeaders",),
                    m.invalid(name, _HEADER_MSG),
                    "Use a header name of letters, digits and '-'.",
                    at=ap + ("httpHeaders", j, "name"),
                )
    elif kind in ("tcpSocket", "grpc"):
        port = action.get("port")
        if kind == "grpc" and isinstance(port, str):
            return  # an int32 field: the schema layer reports a string
        _validate_port(rep, port, ap + ("port",))


def _validate_value_from(
    rep: m.Reporter, env: dict, source: dict, vp: tuple, version: tuple[int, int]
) -> None:
    files = f.gate_on("EnvFiles", version)
    if not (_ENV_FILE_SOURCES if files else _ENV_SOURCE_SET).issuperset(source):
        return  # a source this release does not serve (fileKeyRef before 1.35: dropped, JC104)
    count = len(source) if None not in source.values() else sum(v is not None for v in source.values())
    file_ref = source.get("fileKeyRef")
    if isinstance(file_ref, dict):
        _validate_file_key_ref(rep, file_ref, vp + ("fileKeyRef",))
    field_ref = source.get("fieldRef")
    if isinstance(field_ref, dict):
        _validate_field_ref(rep, field_ref, vp + ("fieldRef",), version)
    resource_ref = source.get("resourceFieldRef")
    if isinstance(resource_ref, dict):
        _validate_resource_ref(rep, resource_ref, vp + ("resourceFieldRef",))
    for kind in ("configMapKeyRef", "secretKeyRef"):
        selector = source.get(kind)
        if isinstance(selector, dict):
            _validate_key_selector(rep, selector, vp + (kind,))
    value = env.get("value")
    if not count:
        if files:
            rep.add(
                vp,
                m.invalid("", NO_ENV_SOURCE_FILES),
                "Give valueFrom a source: fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef or fileKeyRef.",
            )
        elif version <= _NO_ENV_SOURCE_UNTIL:
            rep.add(
                vp,
                m.invalid("", NO_ENV_SOURCE),
                "Give valueFrom a source: fieldRef, resourceFieldRef, configMapKeyRef or secretKeyRef.",
            )
    elif isinstance(value, str) and value:
        rep.add(
            vp,
            m.invalid("", "may not be specified when `value` is not empty"),
            "Use either value or valueFrom for the variable, not both.",
        )
    elif count > 1:
        rep.add(
            vp,
            m.invalid("", "may not have more than one field specified at a time"),
            "Give valueFrom exactly one source.",
        )


def _validate_file_key_ref(rep: m.Reporter, ref: dict, rp: tuple) -> None:
    """``validateFileKeySelector`` (EnvFiles on, 1.35+): key, volumeName and path.

    The check that volumeName names an emptyDir volume of the pod (``validateFileKeyRefVolumes``)
    is not ported: its release is not pinned.
    """
    rep.required_and_valid(rp + ("key",), ref.get("key"), is_relaxed_env_var_name,
                           "Set the key: the variable's name in the env file.",
                           "Use a key of printable ASCII characters other than '='.")
    rep.required_and_valid(rp + ("volumeName",), ref.get("volumeName"), is_dns1123_label,
                           "Name the emptyDir volume that holds the env file.",
                           "Name a volume of the pod: a DNS-1123 label (lowercase letters, digits and '-').")
    path = ref.get("path")
    if path is None or path == "":
        rep.add(rp + ("path",), m.required(), "Set the path of the env file inside the volume.")
    elif isinstance(path, str) and ".." in path.split("/"):
        rep.add(rp + ("path",), m.invalid(path, "must not contain '..'"), "Remove '..' from the path.")


def _validate_field_ref(rep: m.Reporter, ref: dict, rp: tuple, version: tuple[int, int]) -> None:
    api = ref.get("apiVersion")
    if api not in (None, "", "v1"):
        return
    path = ref.get("fieldPath")
    if path is None or path == "":
        rep.add(rp + ("fieldPath",), m.required(), "Set fieldPath, such as metadata.name.")
        return
    if not isinstance(path, str) or path not in _CONVERTIBLE:
        return
    if path == "status.hostIPs" and not f.gate_on("PodHostIPs", version):
        return  # not convertible before the gate: another message
    allowed = f.env_field_paths(version)
    if path not in allowed:
        rep.add(
            rp + ("fieldPath",),
            m.not_supported(path, allowed),
            "Use a field the downward API offers to env vars; labels and annotations need a key "
            "(metadata.labels['app']).",
        )


def _validate_resource_ref(rep: m.Reporter, ref: dict, rp: tuple) -> None:
    """``validateContainerResourceFieldSelector`` for an env var (containerName is optional there)."""
    resource = ref.get("resource")
    if resource is None or resource == "":
        rep.add(rp + ("resource",), m.required(), "Set resource, such as limits.memory.")
        resource = ""
    elif not isinstance(resource, str):
        return
    elif resource not in RESOURCE_FIELD_PATHS and not resource.startswith(_HUGEPAGES_PREFIXES):
        rep.add(
            rp + ("resource",),
            m.not_supported(resource, RESOURCE_FIELD_PATHS),
            "Use limits.* or requests.* of cpu, memory, ephemeral-storage or hugepages-<size>.",
        )
    if ref.get("divisor") is None:
        return
    try:
        divisor = quantity_from_yaml(ref["divisor"])
    except QuantityError:
        return  # not a quantity: the request does not decode, the schema layer reports it
    if divisor is None or not divisor.value:
        return  # an unset (zero) divisor is defaulted
    text = str(divisor)
    allowed, detail = _DIVISORS.get(resource.partition(".")[2], (None, ""))
    if resource.partition(".")[0] in ("limits", "requests") and allowed is not None and text not in allowed:
        rep.add(
            rp + ("divisor",),
            m.invalid(resource, detail),
            "Use a divisor the resource supports, such as 1 or 1Mi.",
        )
    if resource.startswith(_HUGEPAGES_PREFIXES) and text not in _SIZE_DIVISORS:
        rep.add(
            rp + ("divisor",),
            m.invalid(resource, _HUGEPAGES_DIVISOR_MSG),
            "Use a divisor the resource supports, such as 1 or 1Mi.",
        )


@lru_cache(maxsize=4096)
def _config_key_errors(key: str) -> tuple[str, ...]:
    """``IsConfigMapKey`` (memoised: the same keys recur across documents)."""
    errs = []
    if len(key.encode()) > 253:
        errs.append(max_len_error(253))
    if not _CONFIG_KEY_RE.fullmatch(key):
        errs.append(_CONFIG_KEY_MSG)
    if key == ".":
        errs.append("must not be '.'")
    elif key == "..":
        errs.append("must not be '..'")
    elif key.startswith(".."):
        errs.append("must not start with '..'")
    return tuple(errs)


def _validate_key_selector(rep: m.Reporter, selector: dict, sp: tuple) -> None:
    """``validateConfigMapKeySelector`` / ``validateSecretKeySelector``: name and key syntax."""
    name = selector.get("name")
    if name is None or isinstance(name, str):
        for msg in name_is_dns_subdomain(name or "", False):
            rep.add(
                sp + ("name",),
                m.invalid(name or "", msg),
                "Name the object to read (a DNS subdomain: lowercase letters, digits, '-' and '.').",
                at=None if name is not None else sp,
            )
    key = selector.get("key")
    if key is None or key == "":
        rep.add(sp + ("key",), m.required(), "Set the key to read.")
    elif isinstance(key, str):
        for msg in _config_key_errors(key):
            rep.add(sp + ("key",), m.invalid(key, msg), "Use a key of letters, digits, '-', '_' and '.'.")


def _validate_env_from(rep: m.Reporter, env_from: dict, ep: tuple, i: int) -> None:
    count = 0
    for key in ("configMapRef", "secretRef"):
        ref = env_from.get(key)
        if ref is None:
            continue
        count += 1
        name = as_map(ref).get("name")
        if name is None or name == "":
            rep.add(ep + (i, key, "name"), m.required(), f"Name the {key[:-3]} to read.")
        elif isinstance(name, str):
            for msg in name_is_dns_subdomain(name, True):
                rep.add(
                    ep + (i, key, "name"),
                    m.invalid(name, msg),
                    "Use the name of the object (a DNS subdomain).",
                )
    if count == 0 and all(k == "prefix" for k in env_from):
        rep.add(
            ep,
            m.invalid("", "must specify one of: `configMapRef` or `secretRef`"),
            "Give the envFrom entry a configMapRef or a secretRef.",
            at=ep + (i,),
        )
    elif count > 1:
        rep.add(
            ep,
            m.invalid("", "may not have more than one field specified at a time"),
            "Split the entry: one envFrom item per ConfigMap or Secret.",
            at=ep + (i,),
        )
