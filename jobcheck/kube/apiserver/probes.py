"""Container probes, lifecycle hooks and env sources: ``validateProbe``, ``validateHandler``,
the init-container restrictions of ``validateInitContainers``, ``validateEnvVarValueFrom`` and
the source count of ``ValidateEnvFrom``.

Values are read after the server's defaults (probe thresholds of 0 become their defaults, an
httpGet path of "" becomes "/", its scheme HTTP). An env var's value is never printed: the
server itself prints "" there.
"""

from __future__ import annotations

import re

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.apiserver.names import is_valid_port_name, name_is_dns_subdomain, regex_error
from jobcheck.kube.values import as_int, as_list, as_map

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
_HEADER_RE = re.compile(_HEADER_FMT)
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


def validate_container_behaviour(
    rep: m.Reporter, ctr: dict, cp: tuple, init: bool, version: tuple[int, int]
) -> None:
    """Probes and lifecycle (or, for a plain init container, their absence) and env sources."""
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
            for hook in ("postStart", "preStop"):
                handler = lifecycle.get(hook)
                if isinstance(handler, dict) and "sleep" not in handler:
                    _validate_handler(rep, handler, cp + ("lifecycle", hook), _LIFECYCLE_HANDLERS)
        for key in _PROBES:
            probe = ctr.get(key)
            if isinstance(probe, dict):
                _validate_probe(rep, probe, cp + (key,), key != "readinessProbe")
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


def _validate_probe(rep: m.Reporter, probe: dict, pp: tuple, single_success: bool) -> None:
    _validate_handler(rep, probe, pp, _PROBE_HANDLERS)
    for key, value in probe.items():
        if type(value) is int and value < 0 and key in _NON_NEGATIVE:
            rep.add(pp + (key,), m.invalid(value, m.NEGATIVE), f"Set {key} to 0 or more.")
    success = as_int(probe.get("successThreshold"))
    if single_success and success not in (None, 0, 1):
        rep.add(
            pp + ("successThreshold",),
            m.invalid(success, "must be 1"),
            "Liveness and startup probes succeed once: set successThreshold to 1 or leave it out.",
        )


def _validate_handler(rep: m.Reporter, handler: dict, hp: tuple, kinds: tuple[str, ...]) -> None:
    present = [k for k in handler if k in kinds]
    if len(present) == 1:  # the usual case: no need to order the handlers as the server does
        kind = present[0]
        action = handler[kind]
        if isinstance(action, dict):
            _validate_action(rep, kind, action, hp + (kind,))
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
            _validate_action(rep, kind, action, hp + (kind,))
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


def _validate_action(rep: m.Reporter, kind: str, action: dict, ap: tuple) -> None:
    if kind == "exec":
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
    if not _ENV_SOURCE_SET.issuperset(source):
        return  # a source this table does not know (fileKeyRef, ...): counted differently by release
    count = len(source) if None not in source.values() else sum(v is not None for v in source.values())
    field_ref = source.get("fieldRef")
    if isinstance(field_ref, dict):
        _validate_field_ref(rep, field_ref, vp + ("fieldRef",), version)
    value = env.get("value")
    if count and isinstance(value, str) and value:
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
