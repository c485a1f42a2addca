"""Pod template annotations the server reads: ``ValidatePodSpecificAnnotations`` and the two
annotation/field agreement checks that ``ValidatePodTemplateSpec`` runs on a template
(``validateSeccompAnnotationsAndFields``, ``validateAppArmorAnnotationsAndFieldsMatchOnCreate``).

Covered: the mirror pod annotation, the tolerations annotation (when its JSON decodes as Go
would decode it), the pod deletion cost, the seccomp and AppArmor annotations.
A template without annotations costs one lookup.
"""

from __future__ import annotations

import json

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.apiserver.podspec import visit_containers
from jobcheck.kube.apiserver.scheduling import validate_tolerations
from jobcheck.kube.values import as_list, as_map
from jobcheck.redact import LazyPattern

MIRROR = "kubernetes.io/config.mirror"
DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
TOLERATIONS = "scheduler.alpha.kubernetes.io/tolerations"
SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/"
APPARMOR_CONTAINER = "container.apparmor.security.beta.kubernetes.io/"
LOCALHOST = "localhost/"
_INT = LazyPattern(r"-?[0-9]+")
_MAX_INT32 = 2147483647


def validate_pod_annotations(
    rep: m.Reporter, annotations: object, spec: dict, tp: tuple, version: tuple[int, int]
) -> None:
    """Template annotations at server path ``tp + (annotations,)``, data ``tp + (metadata, annotations)``."""
    if not isinstance(annotations, dict) or not annotations:
        return
    ap, dp = tp + ("annotations",), tp + ("metadata", "annotations")
    if MIRROR in annotations and not spec.get("nodeName"):
        value = annotations[MIRROR]
        rep.add(
            ap + (m.Key(MIRROR),),
            m.invalid(
                value if isinstance(value, str) else "",
                "must set spec.nodeName if mirror pod annotation is set",
            ),
            f"Remove the {MIRROR} annotation: only the kubelet creates mirror pods.",
            at=dp + (MIRROR,),
        )
        rep.mark_absent()
    cost = annotations.get(DELETION_COST)
    if isinstance(cost, str) and not _is_deletion_cost(cost):
        rep.add(
            ap + (m.Key(DELETION_COST),),
            m.invalid(cost, "must be a 32bit integer"),
            "Write the deletion cost as a decimal 32-bit integer without '+' or leading zeros.",
            at=dp + (DELETION_COST,),
        )
    tolerations = annotations.get(TOLERATIONS)
    if isinstance(tolerations, str) and tolerations:
        _tolerations_annotation(rep, tolerations, ap + (TOLERATIONS,), dp + (TOLERATIONS,), version)
    names = None
    seccomp = apparmor = False
    for key, value in annotations.items():
        if not isinstance(key, str) or not isinstance(value, str) or "security" not in key:
            continue  # every annotation below has "security" in its key: one test for the rest
        if key == SECCOMP_POD or key.startswith(SECCOMP_CONTAINER):
            seccomp = True
            _seccomp_annotation(rep, value, ap + (key,), dp + (key,))
        elif key.startswith(APPARMOR_CONTAINER):
            apparmor = True
            if names is None:
                names = _container_names(spec)
            name = key[len(APPARMOR_CONTAINER) :]
            if name not in names:
                rep.add(
                    ap + (m.Key(key),),
                    m.invalid(name, "container not found"),
                    "Name a container (or init container) of this pod after the annotation's '/'.",
                    at=dp + (key,),
                )
                rep.mark_absent()
            if value not in ("", "runtime/default", "unconfined") and not value.startswith(LOCALHOST):
                rep.add(
                    ap + (m.Key(key),),
                    m.invalid(value, f"invalid AppArmor profile name: {m.go_quote(value)}"),
                    "Use runtime/default, unconfined or localhost/<profile>.",
                    at=dp + (key,),
                )
    if seccomp:
        _seccomp_match(rep, annotations, spec, tp + ("spec",))
    if apparmor and f.gate_on("AppArmorFields", version):
        _apparmor_match(rep, annotations, spec, tp + ("spec",))


_TOLERATION_STRINGS = frozenset(("key", "operator", "value", "effect"))


def _tolerations_annotation(
    rep: m.Reporter, text: str, path: tuple, at: tuple, version: tuple[int, int]
) -> None:
    """``ValidateTolerationsInPodAnnotations``, for JSON that Go decodes the same way: a list of
    objects with exactly the toleration fields (lower case) and their types. Anything else is
    skipped: its decode error is Go's own text."""
    try:
        items = json.loads(text)
    except ValueError:
        return
    if not isinstance(items, list):
        return
    for item in items:
        if not isinstance(item, dict):
            return
        for k, v in item.items():
            if k in _TOLERATION_STRINGS:
                if not isinstance(v, str):
                    return
            elif k == "tolerationSeconds":
                if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
                    return
            else:
                return
    sub = m.Reporter(rep.base)
    validate_tolerations(sub, items, path, version)
    for hit in sub.hits:
        hit.path = rep.base + at  # inside the annotation's value: its position
        rep.hits.append(hit)


def _is_deletion_cost(value: str) -> bool:
    """``GetDeletionCostFromPodAnnotations``: no '+', no leading zeros, a 32-bit integer."""
    if not value or not (value[0] == "-" or value == "0" or "1" <= value[0] <= "9"):
        return False
    if not value.isascii() or not _INT.fullmatch(value):
        return False
    return -_MAX_INT32 - 1 <= int(value) <= _MAX_INT32


def _seccomp_annotation(rep: m.Reporter, value: str, path: tuple, at: tuple) -> None:
    """``ValidateSeccompProfile`` on an annotation value."""
    if value in ("runtime/default", "docker/default", "unconfined"):
        return
    fix = "Use runtime/default, unconfined or localhost/<relative path>; better, use securityContext.seccompProfile."
    if value.startswith(LOCALHOST):
        rest = value[len(LOCALHOST) :]
        if rest.startswith("/"):
            rep.add(path, m.invalid(rest, "must be a relative path"), fix, at=at)
        if ".." in rest.split("/"):
            rep.add(path, m.invalid(rest, "must not contain '..'"), fix, at=at)
        return
    rep.add(path, m.invalid(value, "must be a valid seccomp profile"), fix, at=at)


def _container_names(spec: dict) -> set:
    names = set()
    for group in ("initContainers", "containers", "ephemeralContainers"):
        for ctr in as_list(spec.get(group)):
            name = as_map(ctr).get("name")
            if isinstance(name, str):
                names.add(name)
    return names


FIX_SECCOMP_MATCH = (
    "Make the seccomp annotation and securityContext.seccompProfile agree, or drop the annotation."
)
FIX_APPARMOR_MATCH = (
    "Make the AppArmor annotation and securityContext.appArmorProfile agree, or drop the annotation."
)


def _seccomp_match(rep: m.Reporter, annotations: dict, spec: dict, sp: tuple) -> None:
    psc = as_map(spec.get("securityContext"))
    profile = psc.get("seccompProfile")
    if isinstance(profile, dict) and isinstance(annotations.get(SECCOMP_POD), str):
        _seccomp_agree(rep, annotations[SECCOMP_POD], profile, sp + ("securityContext", "seccompProfile"))
    for ctr, cp in visit_containers(spec, sp):
        profile = as_map(ctr.get("securityContext")).get("seccompProfile")
        name = ctr.get("name")
        if not isinstance(profile, dict) or not isinstance(name, str):
            continue
        value = annotations.get(SECCOMP_CONTAINER + name)
        if isinstance(value, str):
            _seccomp_agree(rep, value, profile, cp + ("securityContext", "seccompProfile"))


def _seccomp_agree(rep: m.Reporter, value: str, profile: dict, path: tuple) -> None:
    kind = profile.get("type")
    body = m.forbidden("seccomp type in annotation and field must match")
    if kind == "Unconfined" and value != "unconfined":
        rep.add(path + ("type",), body, FIX_SECCOMP_MATCH)
    elif kind == "RuntimeDefault" and value not in ("runtime/default", "docker/default"):
        rep.add(path + ("type",), body, FIX_SECCOMP_MATCH)
    elif kind == "Localhost":
        if not value.startswith(LOCALHOST):
            rep.add(path + ("type",), body, FIX_SECCOMP_MATCH)
        elif value[len(LOCALHOST) :] != profile.get("localhostProfile"):
            rep.add(
                path + ("localhostProfile",),
                m.forbidden("seccomp profile in annotation and field must match"),
                FIX_SECCOMP_MATCH,
            )


def _apparmor_match(rep: m.Reporter, annotations: dict, spec: dict, sp: tuple) -> None:
    if as_map(spec.get("os")).get("name") == "windows":
        return
    pod_profile = as_map(spec.get("securityContext")).get("appArmorProfile")
    for ctr, cp in visit_containers(spec, sp):
        profile = as_map(ctr.get("securityContext")).get("appArmorProfile")
        if profile is None:
            profile = pod_profile
        name = ctr.get("name")
        if not isinstance(profile, dict) or not isinstance(name, str):
            continue
        value = annotations.get(APPARMOR_CONTAINER + name)
        if not isinstance(value, str):
            continue
        path = cp + ("securityContext", "appArmorProfile")
        kind = profile.get("type")
        body = m.forbidden("apparmor type in annotation and field must match")
        if kind == "Unconfined" and value != "unconfined":
            rep.add(path + ("type",), body, FIX_APPARMOR_MATCH)
        elif kind == "RuntimeDefault" and value != "runtime/default":
            rep.add(path + ("type",), body, FIX_APPARMOR_MATCH)
        elif kind == "Localhost":
            if not value.startswith(LOCALHOST):
                rep.add(path + ("type",), body, FIX_APPARMOR_MATCH)
            elif value[len(LOCALHOST) :] != profile.get("localhostProfile"):
                rep.add(
                    path + ("localhostProfile",),
                    m.forbidden("apparmor profile in annotation and field must match"),
                    FIX_APPARMOR_MATCH,
                )
