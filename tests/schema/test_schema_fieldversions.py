"""JC104: fields a version does not serve, or serves only behind an alpha gate off by default."""

from __future__ import annotations

import json

import pytest
from schema_samples import cronjob_doc, field_version_hits, job_doc, validate_schema, workload

from jobcheck.data import data_dir
from jobcheck.kube import fieldversions
from jobcheck.kube.versions import SUPPORTED_VERSIONS

SCHEMAS = data_dir("schemas")


def job_spec_fields(version: str) -> set[str]:
    schema = json.loads((SCHEMAS / f"v{version}" / "job.json").read_text())
    return set(schema["$defs"]["io.k8s.api.batch.v1.JobSpec"]["properties"])


def test_schema_facts_per_version():
    """What the published schemas show, which the gate table builds on."""
    assert "managedBy" not in job_spec_fields("1.29")
    assert "managedBy" in job_spec_fields("1.30")
    assert "successPolicy" not in job_spec_fields("1.29")
    assert "successPolicy" in job_spec_fields("1.30")
    for name in ("backoffLimitPerIndex", "maxFailedIndexes", "podReplacementPolicy"):
        assert name not in job_spec_fields("1.27")
        assert name in job_spec_fields("1.28")
    assert "scheduling" not in job_spec_fields("1.36")
    assert "scheduling" in job_spec_fields("1.37")


def test_fields_table_agrees_with_schemas():
    for version in SUPPORTED_VERSIONS:
        fields = job_spec_fields(version)
        for name in (
            "managedBy",
            "successPolicy",
            "backoffLimitPerIndex",
            "podReplacementPolicy",
            "scheduling",
        ):
            versions = fieldversions.versions_with(fieldversions.JOB_SPEC, name)
            assert (version in versions) == (name in fields), (version, name)
    assert fieldversions.versions_with(fieldversions.JOB_SPEC, "template") is None  # in every version


@pytest.mark.parametrize(
    "gate", fieldversions.GATES, ids=lambda g: f"{g.field}={g.value}" if g.value else g.field
)
def test_gated_fields_are_in_the_schema_while_alpha(gate):
    for version in gate.alpha:
        schema = json.loads((SCHEMAS / f"v{version}" / "job.json").read_text())
        assert gate.field in schema["$defs"][gate.definition]["properties"], version


def job_with(field: str, value) -> dict:
    doc = job_doc()
    doc["spec"][field] = value
    return doc


VALUES = {
    "managedBy": "example.com/queue",
    "successPolicy": {"rules": [{"succeededCount": 1}]},
    "backoffLimitPerIndex": 1,
    "maxFailedIndexes": 2,
    "podReplacementPolicy": "Failed",
}

# field -> (versions without it in the schema, versions where it is alpha/off, first fine version)
EXPECTED = {
    "managedBy": (("1.27", "1.28", "1.29"), ("1.30", "1.31"), "1.32"),
    "successPolicy": (("1.27", "1.28", "1.29"), ("1.30",), "1.31"),
    "backoffLimitPerIndex": (("1.27",), ("1.28",), "1.29"),
    "maxFailedIndexes": (("1.27",), ("1.28",), "1.29"),
    "podReplacementPolicy": (("1.27",), ("1.28",), "1.29"),
}


@pytest.mark.parametrize("field", sorted(EXPECTED))
def test_job_spec_field_per_version(field):
    absent, gated, fine_from = EXPECTED[field]
    w = workload(job_with(field, VALUES[field]))
    for version in SUPPORTED_VERSIONS:
        found = list(field_version_hits(w, version))
        schema_hits = list(validate_schema(w, version))
        assert schema_hits == [], (version, schema_hits)  # never JC101 as well
        if version in absent or version in gated:
            (hit,) = found
            assert hit.rule == "JC104"
            assert hit.path == ("spec", field)
            assert hit.on_key
            assert f"spec.{field} is" in hit.message
        else:
            assert found == [], version
    assert int(fine_from.split(".")[1]) == int(gated[-1].split(".")[1]) + 1


def test_managed_by_messages():
    w = workload(job_with("managedBy", "example.com/queue"))
    (hit,) = field_version_hits(w, "1.30")
    assert hit.message == (
        "spec.managedBy is served by Kubernetes 1.30 only behind the alpha JobManagedBy gate, off by default; "
        "the API server silently drops it. It is on by default from 1.32."
    )
    (hit,) = field_version_hits(w, "1.29")
    assert hit.message.startswith("spec.managedBy is not served by Kubernetes 1.29; it first appears in 1.30")
    assert "alpha JobManagedBy gate in 1.30–1.31, on by default from 1.32" in hit.message
    assert list(field_version_hits(w, "1.32")) == []


def test_cronjob_job_template_is_checked():
    doc = cronjob_doc()
    doc["spec"]["jobTemplate"]["spec"]["successPolicy"] = {"rules": [{"succeededCount": 1}]}
    w = workload(doc)
    (hit,) = field_version_hits(w, "1.30")
    assert hit.path == ("spec", "jobTemplate", "spec", "successPolicy")
    assert hit.message.startswith(
        "spec.jobTemplate.spec.successPolicy is served by Kubernetes 1.30 only behind"
    )
    (hit,) = field_version_hits(w, "1.29")
    assert "not served by Kubernetes 1.29" in hit.message
    assert list(validate_schema(w, "1.29")) == []


def test_fail_index_action_is_gated_in_128():
    doc = job_with("backoffLimitPerIndex", 1)
    doc["spec"]["podFailurePolicy"]["rules"][1]["action"] = "FailIndex"
    w = workload(doc)
    found = {h.path: h for h in field_version_hits(w, "1.28")}
    assert set(found) == {
        ("spec", "backoffLimitPerIndex"),
        ("spec", "podFailurePolicy", "rules", 1, "action"),
    }
    assert (
        '"FailIndex" is accepted by Kubernetes 1.28 only behind'
        in found[("spec", "podFailurePolicy", "rules", 1, "action")].message
    )
    assert list(field_version_hits(w, "1.29")) == []


def test_scheduling_is_alpha_in_137():
    w = workload(job_with("scheduling", {}))
    (hit,) = field_version_hits(w, "1.37")
    assert "WorkloadWithJob" in hit.message and "not on by default" in hit.message
    (hit,) = field_version_hits(w, "1.36")
    assert "first appears in 1.37" in hit.message


def test_pod_level_field_from_newer_version():
    doc = cronjob_doc()
    doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]["resources"] = {"limits": {"cpu": "1"}}
    w = workload(doc)
    (hit,) = field_version_hits(w, "1.31")
    assert hit.path[-1] == "resources" and "first appears in 1.32" in hit.message
    assert list(validate_schema(w, "1.31")) == []
    (hit,) = field_version_hits(w, "1.32")  # in the schema, but PodLevelResources is alpha (off)
    assert "alpha PodLevelResources gate" in hit.message
    assert list(field_version_hits(w, "1.34")) == []


def test_removed_field_stays_jc101_with_a_note():
    doc = job_doc()
    doc["spec"]["template"]["spec"]["workloadRef"] = {"name": "w", "podGroup": "g"}  # only in the 1.35 schema
    w = workload(doc)
    assert list(field_version_hits(w, "1.36")) == []
    (hit,) = validate_schema(w, "1.36")
    assert hit.rule == "JC101"
    assert "served up to Kubernetes 1.35" in hit.message
    assert list(validate_schema(w, "1.35")) == []


def test_typo_is_not_a_version_problem():
    w = workload(job_with("managedBi", "x"))
    assert list(field_version_hits(w, "1.29")) == []
    (hit,) = validate_schema(w, "1.37")
    assert hit.rule == "JC101" and 'did you mean "managedBy"?' in hit.message
