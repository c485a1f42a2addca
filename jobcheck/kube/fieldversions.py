"""Which Kubernetes versions serve which fields, and which fields sit behind gates off by default.

Two sources, kept apart on purpose:

* ``schemas/fields.json`` is generated from the published schemas by
  ``scripts/gen_schemas.py``: for each definition property whose presence varies
  between versions, the versions whose schema has it. It says what the API
  *accepts*.
* ``jobcheck.kube.gates`` is the one table of feature gates (their stages, from the
  Kubernetes sources) and of the fields the API server drops while a gate is off. A
  field can be in a version's schema and still be dropped without an error; no schema
  records that, so it cannot be generated. ``GATES`` below is derived from both.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import cache

from jobcheck.data import data_path
from jobcheck.finding import Hit, Path, format_path
from jobcheck.kube import gates as g
from jobcheck.kube.objects import Workload, get_in
from jobcheck.record import dataclass

JOB_SPEC = g.JOB_SPEC
POD_FAILURE_POLICY_RULE = g.POD_FAILURE_POLICY_RULE


@dataclass(frozen=True)
class Gate:
    """A field (or one value of a field) served behind a gate that is off by default in some versions."""

    definition: str  # the schema definition that has the property
    field: str  # the property name
    gate: str  # the feature gate's name
    alpha: tuple[str, ...]  # supported versions whose schema has the field and whose gate is off by default
    on_from: str | None  # first version where it is on by default (None: not yet known)
    value: object = None  # when only this value of the field is gated
    entry: g.GatedField | None = None


def _gate(entry: g.GatedField) -> Gate:
    from jobcheck.kube.versions import SUPPORTED_VERSIONS

    served = versions_with(entry.definition, entry.field)
    off = tuple(
        v for v in SUPPORTED_VERSIONS
        if g.stage_in(entry.gate, v) is not None and (served is None or v in served)
    )
    return Gate(entry.definition, entry.field, entry.gate, off, g.on_from_text(entry.gate), entry.value, entry)


def gate_for(definition: str, field: str, value: object = None) -> Gate | None:
    """Return the gate entry for ``definition.field`` (and ``value``, if value-gated), if off somewhere."""
    for gate in _gates():
        if gate.definition == definition and gate.field == field and gate.alpha:
            if gate.value is None or gate.value == value:
                return gate
    return None


@cache
def _table() -> dict:
    with open(os.path.join(data_path("schemas"), "fields.json"), encoding="utf-8") as fh:
        return json.load(fh)


def versions_with(definition: str, field: str) -> tuple[str, ...] | None:
    """Return the versions whose schema has ``definition.field``.

    None means "every version that has the definition" (the common case, not
    listed in fields.json). Roots are named ``Job`` and ``CronJob``.
    """
    versions = _table()["fields"].get(definition, {}).get(field)
    return tuple(versions) if versions is not None else None


def _minor(version: str) -> int:
    return int(version.split(".")[1])


def first_newer(definition: str, field: str, version: str) -> str | None:
    """Return the first version after ``version`` that serves a field ``version`` lacks, if any."""
    versions = versions_with(definition, field)
    if versions is None or version in versions:
        return None
    newer = [v for v in versions if _minor(v) > _minor(version)]
    return newer[0] if newer else None


def last_older(definition: str, field: str, version: str) -> str | None:
    """Return the last version before ``version`` that served a field ``version`` lacks, if any."""
    versions = versions_with(definition, field)
    if versions is None or version in versions:
        return None
    older = [v for v in versions if _minor(v) < _minor(version)]
    return older[-1] if older else None


def gate_note(gate: Gate) -> str:
    """Return how the gate evolves, as a sentence fragment."""
    off = gate.alpha
    span = off[0] if len(off) == 1 else f"{off[0]}–{off[-1]}"
    stages = {g.stage_in(gate.gate, v) for v in off}
    if stages == {"alpha"}:
        head = f"alpha {gate.gate} gate in {span}"
    elif stages == {"beta"}:
        head = f"beta {gate.gate} gate, off by default, in {span}"
    else:
        head = f"{gate.gate} gate off by default in {span}, alpha then beta"
    tail = g.when_on(gate.gate).removeprefix("It is ").rstrip(".")
    return f"{head}, {tail}"


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _message(w: Workload, path: Path, entry: g.GatedField, version: str, value: object = None) -> str:
    stage = g.stage_in(entry.gate, version)
    name = _relative(w, path)
    subject = f'{name}: "{_shown(value)}"' if value is not None else name
    return (
        f"{subject} is served by Kubernetes {version} only behind the {stage} {g.name_in(entry.gate, version)} gate, "
        f"off by default; the API server {entry.effect}. {g.when_on(entry.gate)}"
    )


def gated_hits(w: Workload, version: str, walk_pod: bool = True) -> Iterator[Hit]:
    """Yield hits for fields (or values) that ``version`` serves only behind a gate off by default.

    ``walk_pod=False``: the caller knows the pod template sets none of ``pod_gated_fields(version)``
    (the schema walk met none), and its walk is skipped."""
    dropped = g.dropped_in(version)
    if not dropped:
        return
    spec = w.job_spec
    base = w.job_spec_path
    for entry in dropped:
        if entry.definition == JOB_SPEC and entry.field in spec:
            yield Hit(base + (entry.field,), _message(w, base + (entry.field,), entry, version), on_key=True)
        elif entry.definition == POD_FAILURE_POLICY_RULE:
            rules = get_in(spec, ("podFailurePolicy", "rules"))
            for i, rule in enumerate(rules if isinstance(rules, list) else ()):
                if isinstance(rule, dict) and rule.get(entry.field) == entry.value:
                    path = base + ("podFailurePolicy", "rules", i, entry.field)
                    yield Hit(
                        path,
                        f'{_relative(w, path)}: "{entry.value}" is accepted by Kubernetes {version} only behind '
                        f"the {g.stage_in(entry.gate, version)} {entry.gate} gate, off by default; the API server "
                        f"silently drops this rule. {g.when_on(entry.gate)}",
                    )
    by_definition = _pod_entries(version) if walk_pod else None
    if by_definition:
        pod = get_in(spec, ("template", "spec"))
        if isinstance(pod, dict):
            yield from _pod_hits(w, pod, base + ("template", "spec"), by_definition, version)


@cache
def _pod_entries(version: str) -> dict[str, tuple[g.GatedField, ...]]:
    """The pod-template entries dropped in ``version`` whose field its schema has, by definition."""
    out: dict[str, list[g.GatedField]] = {}
    for entry in g.dropped_in(version):
        if entry.definition in (JOB_SPEC, POD_FAILURE_POLICY_RULE):
            continue
        served = versions_with(entry.definition, entry.field)
        if served is None or version in served:
            out.setdefault(entry.definition, []).append(entry)
    return {k: tuple(v) for k, v in out.items()}


@cache
def pod_gated_fields(version: str) -> dict[str, frozenset[str]]:
    """The fields ``gated_hits`` looks for in a pod template of ``version``, by definition."""
    return {definition: frozenset(e.field for e in entries) for definition, entries in _pod_entries(version).items()}


def _items(node: object) -> Iterator[tuple[int, dict]]:
    if isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, dict):
                yield i, item


def _pod_nodes(pod: dict, base: Path, needed: set[str]) -> Iterator[tuple[str, str | None, dict, Path]]:
    """Yield (definition, container list, object, path) for the parts of a pod spec ``needed`` names."""
    yield g.POD_SPEC, None, pod, base
    if g.POD_SECURITY_CONTEXT in needed and isinstance(pod.get("securityContext"), dict):
        yield g.POD_SECURITY_CONTEXT, None, pod["securityContext"], base + ("securityContext",)
    if needed & _CONTAINER_PARTS:
        for kind in ("initContainers", "containers"):
            for i, ctr in _items(pod.get(kind)):
                cp = base + (kind, i)
                yield g.CONTAINER, kind, ctr, cp
                sc = ctr.get("securityContext")
                if isinstance(sc, dict):
                    yield g.SECURITY_CONTEXT, kind, sc, cp + ("securityContext",)
                lc = ctr.get("lifecycle")
                if isinstance(lc, dict):
                    yield g.LIFECYCLE, kind, lc, cp + ("lifecycle",)
                    for hook in ("postStart", "preStop"):
                        if isinstance(lc.get(hook), dict):
                            yield g.LIFECYCLE_HANDLER, kind, lc[hook], cp + ("lifecycle", hook)
                if g.ENV_VAR_SOURCE in needed:
                    for j, env in _items(ctr.get("env")):
                        if isinstance(env.get("valueFrom"), dict):
                            yield g.ENV_VAR_SOURCE, kind, env["valueFrom"], cp + ("env", j, "valueFrom")
                if g.VOLUME_MOUNT in needed:
                    for j, mount in _items(ctr.get("volumeMounts")):
                        yield g.VOLUME_MOUNT, kind, mount, cp + ("volumeMounts", j)
                if isinstance(ctr.get("resources"), dict):
                    yield g.RESOURCE_REQUIREMENTS, kind, ctr["resources"], cp + ("resources",)
    if needed & _VOLUME_PARTS:
        for i, vol in _items(pod.get("volumes")):
            vp = base + ("volumes", i)
            yield g.VOLUME, None, vol, vp
            if needed & _SOURCE_PARTS:
                yield from _sources(vol, vp, _VOLUME_SOURCES)
            projected = vol.get("projected")
            if isinstance(projected, dict):
                for j, source in _items(projected.get("sources")):
                    sp = vp + ("projected", "sources", j)
                    yield g.VOLUME_PROJECTION, None, source, sp
                    if needed & _SOURCE_PARTS:
                        yield from _sources(source, sp, _PROJECTIONS)
    if g.POD_AFFINITY_TERM in needed and isinstance(pod.get("affinity"), dict):
        for kind in ("podAffinity", "podAntiAffinity"):
            terms = pod["affinity"].get(kind)
            if not isinstance(terms, dict):
                continue
            ap = base + ("affinity", kind)
            for i, term in _items(terms.get("requiredDuringSchedulingIgnoredDuringExecution")):
                yield g.POD_AFFINITY_TERM, None, term, ap + ("requiredDuringSchedulingIgnoredDuringExecution", i)
            for i, weighted in _items(terms.get("preferredDuringSchedulingIgnoredDuringExecution")):
                if isinstance(weighted.get("podAffinityTerm"), dict):
                    yield (
                        g.POD_AFFINITY_TERM, None, weighted["podAffinityTerm"],
                        ap + ("preferredDuringSchedulingIgnoredDuringExecution", i, "podAffinityTerm"),
                    )
    if g.TOPOLOGY_SPREAD_CONSTRAINT in needed:
        for i, tsc in _items(pod.get("topologySpreadConstraints")):
            yield g.TOPOLOGY_SPREAD_CONSTRAINT, None, tsc, base + ("topologySpreadConstraints", i)
    if g.PROBE in needed:
        for kind in ("initContainers", "containers"):
            for i, ctr in _items(pod.get(kind)):
                for probe in ("livenessProbe", "startupProbe"):
                    if isinstance(ctr.get(probe), dict):
                        yield g.PROBE, kind, ctr[probe], base + (kind, i, probe)


_CONTAINER_PARTS = {
    g.CONTAINER, g.SECURITY_CONTEXT, g.LIFECYCLE, g.LIFECYCLE_HANDLER, g.ENV_VAR_SOURCE, g.VOLUME_MOUNT,
    g.RESOURCE_REQUIREMENTS,
}
# volume (or projection) key -> (its definition, the definition of its "items")
_VOLUME_SOURCES = {
    "emptyDir": (g.EMPTY_DIR, None),
    "secret": (g.SECRET_VOLUME, g.KEY_TO_PATH),
    "configMap": (g.CONFIG_MAP_VOLUME, g.KEY_TO_PATH),
    "downwardAPI": (g.DOWNWARD_API_VOLUME, g.DOWNWARD_API_FILE),
    "projected": (g.PROJECTED_VOLUME, None),
}
_PROJECTIONS = {
    "secret": (None, g.KEY_TO_PATH),
    "configMap": (None, g.KEY_TO_PATH),
    "downwardAPI": (None, g.DOWNWARD_API_FILE),
    "clusterTrustBundle": (g.CLUSTER_TRUST_BUNDLE, None),
    "podCertificate": (g.POD_CERTIFICATE, None),
    "serviceAccountToken": (g.SERVICE_ACCOUNT_TOKEN, None),
}
_SOURCE_PARTS = {d for table in (_VOLUME_SOURCES, _PROJECTIONS) for pair in table.values() for d in pair if d}
_VOLUME_PARTS = {g.VOLUME, g.VOLUME_PROJECTION} | _SOURCE_PARTS


def _sources(holder: dict, path: Path, table: dict) -> Iterator[tuple[str, str | None, dict, Path]]:
    """The volume sources (or projections) of ``holder`` that ``table`` names, and their items."""
    for key, (definition, items) in table.items():
        source = holder.get(key)
        if not isinstance(source, dict):
            continue
        if definition is not None:
            yield definition, None, source, path + (key,)
        if items is not None:
            for k, item in _items(source.get("items")):
                yield items, None, item, path + (key, "items", k)


def _set(value: object) -> bool:
    """Whether a value survives as something the server would keep (null and empty drop nothing)."""
    return value is not None and value != {} and value != []


def _pod_hits(
    w: Workload, pod: dict, base: Path, by_definition: dict[str, tuple[g.GatedField, ...]], version: str
) -> Iterator[Hit]:
    named: dict[str, set] = {}  # volume source -> names of the volumes that set it
    for definition, kind, node, path in _pod_nodes(pod, base, set(by_definition)):
        for entry in by_definition.get(definition, ()):
            if entry.containers is not None and entry.containers != kind:
                continue
            value = node.get(entry.field)
            if not _set(value):
                continue
            if entry.names_volume is not None:
                if entry.names_volume not in named:
                    named[entry.names_volume] = _volume_names(pod, entry.names_volume)
                if isinstance(value, str) and value in named[entry.names_volume]:
                    yield Hit(path + (entry.field,), _mount_message(w, path + (entry.field,), entry, version, value),
                              on_key=True)
                continue
            if entry.value is not None and value != entry.value:
                continue
            if entry.other_than is not None and (value == entry.other_than or type(value) is not type(entry.other_than)):
                continue  # the value it becomes anyway, or a wrong type (the schema's finding, not ours)
            shown = value if (entry.value is not None or entry.other_than is not None) else None
            yield Hit(path + (entry.field,), _message(w, path + (entry.field,), entry, version, shown), on_key=True)


def _volume_names(pod: dict, source: str) -> set:
    """Names of the pod's volumes that set ``source`` (as the volume entry's own test reads it)."""
    return {v["name"] for _, v in _items(pod.get("volumes")) if isinstance(v.get("name"), str) and _set(v.get(source))}


def _mount_message(w: Workload, path: Path, entry: g.GatedField, version: str, name: str) -> str:
    return (
        f'{_relative(w, path)}: "{name}" names an {entry.names_volume} volume, which Kubernetes {version} serves '
        f"only behind the {g.stage_in(entry.gate, version)} {g.name_in(entry.gate, version)} gate, off by default; "
        f"the API server {entry.effect}. {g.when_on(entry.gate)}"
    )


def _relative(w: Workload, path: Path) -> str:
    return format_path(path[len(w.path) :])


@cache
def _gates() -> tuple[Gate, ...]:
    """``GATES``, built when first asked for: a schema finding on an unknown or newer field asks,
    most runs never do (~0.6 ms at start-up)."""
    return tuple(_gate(entry) for entry in g.GATED)


def __getattr__(name: str):
    if name == "GATES":  # every gated field, with the supported versions where it is off by default
        return _gates()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
