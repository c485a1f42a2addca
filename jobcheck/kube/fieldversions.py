"""Which Kubernetes versions serve which fields, and which fields sit behind alpha gates.

Two sources, kept apart on purpose:

* ``schemas/fields.json`` is generated from the published schemas by
  ``scripts/gen_schemas.py``: for each definition property whose presence varies
  between versions, the versions whose schema has it. It says what the API
  *accepts*.
* ``GATES`` below is written by hand from the feature-gate stage tables
  (facts reference, section B). A field can be in a version's schema and still be
  behind an alpha gate that is off by default; the API server then drops it
  without an error. No schema records that, so it cannot be generated.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from jobcheck.data import data_dir
from jobcheck.finding import Hit, Path, format_path
from jobcheck.kube.objects import Workload, get_in

JOB_SPEC = "io.k8s.api.batch.v1.JobSpec"
POD_FAILURE_POLICY_RULE = "io.k8s.api.batch.v1.PodFailurePolicyRule"


@dataclass(frozen=True)
class Gate:
    """A field (or one value of a field) that is alpha, off by default, in some versions."""

    definition: str  # the schema definition that has the property
    field: str  # the property name
    gate: str  # the feature gate's name
    alpha: tuple[str, ...]  # versions where the gate exists and is off by default
    on_from: str | None  # first version where it is on by default (None: not yet known)
    value: str | None = None  # when only this value of the field is gated


# Facts reference, section B, restricted to the versions jobcheck supports (1.27+).
# podFailurePolicy was beta and on by default from 1.26, so it is not listed.
GATES: tuple[Gate, ...] = (
    Gate(JOB_SPEC, "backoffLimitPerIndex", "JobBackoffLimitPerIndex", ("1.28",), "1.29"),
    Gate(JOB_SPEC, "maxFailedIndexes", "JobBackoffLimitPerIndex", ("1.28",), "1.29"),
    Gate(POD_FAILURE_POLICY_RULE, "action", "JobBackoffLimitPerIndex", ("1.28",), "1.29", value="FailIndex"),
    Gate(JOB_SPEC, "podReplacementPolicy", "JobPodReplacementPolicy", ("1.28",), "1.29"),
    Gate(JOB_SPEC, "successPolicy", "JobSuccessPolicy", ("1.30",), "1.31"),
    Gate(JOB_SPEC, "managedBy", "JobManagedBy", ("1.30", "1.31"), "1.32"),
    # Alpha in 1.37 according to the +k8s:alpha tags in kubernetes/api; the release
    # is unverified (facts B), but the field is in the 1.37 schema and an alpha gate
    # is off by default, so warning is the safe side.
    Gate(JOB_SPEC, "scheduling", "WorkloadWithJob", ("1.37",), None),
)


def gate_for(definition: str, field: str, value: object = None) -> Gate | None:
    """Return the gate table entry for ``definition.field`` (and ``value``, if value-gated)."""
    for gate in GATES:
        if gate.definition == definition and gate.field == field:
            if gate.value is None or gate.value == value:
                return gate
    return None


@cache
def _table() -> dict:
    with open(data_dir("schemas") / "fields.json", encoding="utf-8") as fh:
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
    alpha = gate.alpha[0] if len(gate.alpha) == 1 else f"{gate.alpha[0]}–{gate.alpha[-1]}"
    when_on = (
        f"on by default from {gate.on_from}"
        if gate.on_from
        else "not on by default in any version jobcheck knows"
    )
    return f"alpha {gate.gate} gate in {alpha}, {when_on}"


def gated_hits(w: Workload, version: str) -> Iterator[Hit]:
    """Yield hits for fields (or values) that ``version`` serves only behind an alpha gate off by default."""
    spec = w.job_spec
    base = w.job_spec_path
    for gate in GATES:
        if version not in gate.alpha:
            continue
        tail = (
            f"It is on by default from {gate.on_from}."
            if gate.on_from
            else "It is not on by default in any version jobcheck knows."
        )
        if gate.definition == JOB_SPEC and gate.value is None and gate.field in spec:
            name = _relative(w, base + (gate.field,))
            yield Hit(
                base + (gate.field,),
                f"{name} is served by Kubernetes {version} only behind the alpha {gate.gate} gate, "
                f"off by default; the API server silently drops it. {tail}",
                on_key=True,
            )
        elif gate.definition == POD_FAILURE_POLICY_RULE:
            rules = get_in(spec, ("podFailurePolicy", "rules"))
            for i, rule in enumerate(rules if isinstance(rules, list) else ()):
                if isinstance(rule, dict) and rule.get(gate.field) == gate.value:
                    path = base + ("podFailurePolicy", "rules", i, gate.field)
                    yield Hit(
                        path,
                        f'{_relative(w, path)}: "{gate.value}" is accepted by Kubernetes {version} only behind '
                        f"the alpha {gate.gate} gate, off by default; the API server silently drops this rule. {tail}",
                            )


def _relative(w: Workload, path: Path) -> str:
    return format_path(path[len(w.path) :])
