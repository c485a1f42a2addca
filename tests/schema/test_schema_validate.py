"""JC101 / JC102: what validate_schema reports, where, and in which words."""

from __future__ import annotations

import pytest
from schema_samples import cronjob_doc, job_doc, validate_schema, workload

from jobcheck.kube.objects import iter_workloads
from jobcheck.kube.versions import SUPPORTED_VERSIONS

JOB_SPEC = ("spec", "jobTemplate", "spec")
POD_SPEC = JOB_SPEC + ("template", "spec")
C0 = POD_SPEC + ("containers", 0)


def hits(doc, version="1.37", strict=True):
    return list(validate_schema(workload(doc), version, strict))


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_realistic_documents_are_clean(version):
    assert hits(cronjob_doc(), version) == []
    # The Job's podFailurePolicy omits onPodConditions[].status (defaulted) and has a
    # rule without onPodConditions (required only by the 1.27 schema): both fine.
    assert hits(job_doc(), version) == []


def test_unknown_field_with_suggestion():
    doc = cronjob_doc()
    doc["spec"]["jobTemplate"]["spec"]["ttlSecondAfterFinished"] = 100
    (hit,) = hits(doc)
    assert hit.rule == "JC101"
    assert hit.path == JOB_SPEC + ("ttlSecondAfterFinished",)
    assert hit.on_key
    assert 'unknown field "spec.jobTemplate.spec.ttlSecondAfterFinished"' in hit.message
    assert "JobSpec" in hit.message
    assert 'did you mean "ttlSecondsAfterFinished"?' in hit.message
    assert "ttlSecondsAfterFinished" in hit.fix


def test_unknown_field_case_and_no_suggestion():
    doc = cronjob_doc()
    doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["ImagePullPolicy"] = "Always"
    doc["metadata"]["zzzqqq"] = 1
    by_path = {h.path: h for h in hits(doc)}
    assert 'did you mean "imagePullPolicy"?' in by_path[C0 + ("ImagePullPolicy",)].message
    other = by_path[("metadata", "zzzqqq")]
    assert "ObjectMeta" in other.message and "did you mean" not in other.message


def test_unknown_fields_are_not_reported_when_not_strict():
    doc = cronjob_doc()
    doc["spec"]["jobTemplate"]["spec"]["ttlSecondAfterFinished"] = 100
    assert hits(doc, strict=False) == []
    doc["spec"]["jobTemplate"]["spec"]["backoffLimit"] = "x"
    assert [h.rule for h in hits(doc, strict=False)] == ["JC102"]


def test_type_mismatch():
    doc = cronjob_doc()
    doc["spec"]["jobTemplate"]["spec"]["backoffLimit"] = "abc"
    (hit,) = hits(doc)
    assert hit.rule == "JC102"
    assert hit.path == JOB_SPEC + ("backoffLimit",)
    assert hit.message == 'spec.jobTemplate.spec.backoffLimit: expected integer, got string "abc"'


def test_yaml11_boolean_in_string_field():
    doc = cronjob_doc()
    doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"] = True
    (hit,) = hits(doc)
    assert hit.path == C0 + ("env", 0, "value")
    assert hit.message == (
        "spec.jobTemplate.spec.template.spec.containers[0].env[0].value: expected string, got an unquoted "
        "boolean (yes/no/on/off are booleans in YAML 1.1; quote it)"
    )
    assert hit.fix


def test_number_in_string_field_and_quoted_number():
    doc = job_doc()
    doc["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"] = 8080
    doc["spec"]["parallelism"] = "3"
    messages = sorted(h.message for h in hits(doc))
    assert messages == [
        'spec.parallelism: expected integer, got string "3" (a quoted number is a string; remove the quotes)',
        "spec.template.spec.containers[0].env[0].value: expected string, got an unquoted number (quote it)",
    ]


def test_type_error_in_a_string_field_never_echoes_the_value():
    # A numeric DB_PASSWORD: the field takes a string, so it may be a credential.
    doc = job_doc()
    doc["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"] = 84736251977
    (hit,) = hits(doc)
    assert hit.message.endswith("expected string, got an unquoted number (quote it)")
    assert "84736251977" not in hit.message and "8473625" not in hit.message


def test_type_error_in_a_numeric_field_masks_a_credential_shaped_string():
    doc = job_doc()
    doc["spec"]["backoffLimit"] = "https://admin:Hunter2Pw@db.example.com"
    (hit,) = hits(doc)
    assert "Hunter2Pw" not in hit.message and "admin" not in hit.message
    assert hit.message.startswith("spec.backoffLimit: expected integer, got string <value not shown")


def test_required_points_at_missing_field():
    doc = cronjob_doc()
    del doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][1]["name"]
    del doc["spec"]["schedule"]
    by_path = {h.path: h for h in hits(doc)}
    assert set(by_path) == {POD_SPEC + ("containers", 1, "name"), ("spec", "schedule")}
    assert (
        by_path[("spec", "schedule")].message
        == 'spec.schedule: Required value (CronJobSpec must have "schedule")'
    )
    assert all(h.rule == "JC102" for h in by_path.values())


def test_two_required_fields_missing_in_one_object():
    doc = job_doc()
    doc["spec"]["template"]["spec"]["containers"][0]["env"].append({"value": "x"})
    doc["spec"]["podFailurePolicy"]["rules"].append({})
    paths = sorted(h.path for h in hits(doc))
    assert paths == [
        ("spec", "podFailurePolicy", "rules", 2, "action"),
        ("spec", "template", "spec", "containers", 0, "env", 1, "name"),
    ]


@pytest.mark.parametrize("value", ["500m", 2, 0.5, "1Gi", None])
def test_quantity_accepts_strings_and_numbers(value):
    doc = cronjob_doc()
    doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["cpu"] = (
        value
    )
    assert hits(doc) == []


@pytest.mark.parametrize("value", ["metrics", 8080])
def test_int_or_string_accepts_both(value):
    doc = cronjob_doc()
    doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][1]["livenessProbe"]["httpGet"][
        "port"
    ] = value
    assert hits(doc) == []


@pytest.mark.parametrize(
    ("value", "described"),
    [(True, "boolean true"), (1.5, "number 1.5"), ([80], "array"), ({"a": 1}, "object")],
)
def test_int_or_string_rejects_others(value, described):
    doc = cronjob_doc()
    doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][1]["livenessProbe"]["httpGet"][
        "port"
    ] = value
    (hit,) = hits(doc)
    assert hit.message.endswith(f"expected integer or string, got {described}") or (
        f"expected integer or string, got {described} (" in hit.message
    )


def test_int32_range():
    doc = job_doc()
    doc["spec"]["completions"] = 2**31
    doc["spec"]["activeDeadlineSeconds"] = 2**31  # int64: fine
    (hit,) = hits(doc)
    assert hit.path == ("spec", "completions")
    assert (
        hit.message
        == "spec.completions: Invalid value: 2147483648: out of range for int32 (-2147483648 to 2147483647)"
    )


def test_best_match_gives_one_error_per_place():
    doc = job_doc()
    doc["apiVersion"] = 5  # fails both "type" and "enum"
    doc["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["cpu"] = [1]
    found = hits(doc)
    assert sorted(h.path for h in found) == [
        ("apiVersion",),
        ("spec", "template", "spec", "containers", 0, "resources", "limits", "cpu"),
    ]
    by_path = {h.path: h for h in found}
    assert (
        by_path[("apiVersion",)].message == 'apiVersion: Unsupported value: 5: supported values: "batch/v1"'
    )
    cpu = by_path[("spec", "template", "spec", "containers", 0, "resources", "limits", "cpu")]
    assert cpu.message.endswith("expected number or string, got array")


def test_enum_message():
    doc = job_doc()
    doc["apiVersion"] = "batch/v1beta1"
    (hit,) = hits(doc)
    assert hit.message == 'apiVersion: Unsupported value: "batch/v1beta1": supported values: "batch/v1"'


def test_null_means_unset():
    doc = cronjob_doc()
    doc["spec"]["jobTemplate"]["spec"]["backoffLimit"] = None
    doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]["volumes"] = None
    assert hits(doc) == []


def test_paths_are_absolute_in_lists():
    doc = {"apiVersion": "v1", "kind": "List", "items": [job_doc(), cronjob_doc()]}
    doc["items"][1]["spec"]["jobTemplate"]["spec"]["backoffLimit"] = "x"
    doc["items"][1]["spec"]["suspendd"] = True
    found = [h for w in iter_workloads(doc) for h in validate_schema(w, "1.37")]
    assert sorted(h.path for h in found) == [
        ("items", 1, "spec", "jobTemplate", "spec", "backoffLimit"),
        ("items", 1, "spec", "suspendd"),
    ]
    # Messages use the object-relative path, as the API server does.
    assert all("items[" not in h.message for h in found)
    assert any('did you mean "suspend"?' in h.message for h in found)
