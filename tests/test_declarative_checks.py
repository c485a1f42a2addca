"""The declarative check evaluator: every condition form, on present, missing and odd values."""

from __future__ import annotations

import pytest

from jobcheck.lint.declarative import compile_check, parse_field
from tests.checks._build import container, job, workload


def failures(require: dict, spec: dict, when: list | None = None, **params) -> list[str]:
    check = {"target": "job-spec", "require": require, "message": "{field} is {value}"}
    if when is not None:
        check["when"] = when
    return [hit.message for hit in compile_check(check)(workload(job(**spec)), params)]


@pytest.mark.parametrize(
    ("require", "spec", "fails"),
    [
        ({"field": "backoffLimit", "present": True}, {"backoffLimit": 3}, False),
        ({"field": "backoffLimit", "present": True}, {}, True),
        ({"field": "backoffLimit", "present": True}, {"backoffLimit": None}, True),
        ({"field": "backoffLimit", "present": False}, {}, False),
        ({"field": "completionMode", "equals": "Indexed"}, {"completionMode": "Indexed"}, False),
        ({"field": "completionMode", "equals": "Indexed"}, {"completionMode": "NonIndexed"}, True),
        ({"field": "completionMode", "equals": "Indexed"}, {}, True),
        ({"field": "completionMode", "one_of": ["Indexed", "NonIndexed"]}, {"completionMode": "Odd"}, True),
        ({"field": "completionMode", "one_of": ["Indexed", "NonIndexed"]}, {"completionMode": "Indexed"}, False),
        ({"field": "completionMode", "matches": "^Ind"}, {"completionMode": "Indexed"}, False),
        ({"field": "completionMode", "matches": "^Ind"}, {"completionMode": 5}, True),
        ({"field": "backoffLimit", "gt": 2}, {"backoffLimit": 3}, False),
        ({"field": "backoffLimit", "gt": 3}, {"backoffLimit": 3}, True),
        ({"field": "backoffLimit", "gte": 3}, {"backoffLimit": 3}, False),
        ({"field": "backoffLimit", "lt": 3}, {"backoffLimit": 3}, True),
        ({"field": "backoffLimit", "lte": 3}, {"backoffLimit": 3}, False),
        ({"field": "backoffLimit", "lte": 3}, {"backoffLimit": True}, True),  # a bool is not a number
        ({"field": "backoffLimit", "lte": 3}, {"backoffLimit": "2"}, True),
        ({"all": [{"field": "parallelism", "gte": 1}, {"field": "completions", "gte": 1}]},
         {"parallelism": 2, "completions": 0}, True),
        ({"any": [{"field": "parallelism", "gte": 1}, {"field": "completions", "gte": 1}]},
         {"parallelism": 2, "completions": 0}, False),
        ({"not": {"field": "suspend", "equals": True}}, {"suspend": True}, True),
        ({"not": {"field": "suspend", "equals": True}}, {}, False),
    ],
)
def test_condition_forms(require: dict, spec: dict, fails: bool) -> None:
    assert bool(failures(require, spec)) == fails


def test_parameters_are_read_at_run_time() -> None:
    require = {"field": "backoffLimit", "lte": {"param": "max"}}
    assert failures(require, {"backoffLimit": 5}, max=6) == []
    assert failures(require, {"backoffLimit": 5}, max=4) == ["spec.backoffLimit is 5"]


def test_when_gates_the_requirement_and_the_message_names_the_first_field() -> None:
    when = [{"field": "completionMode", "equals": "Indexed"}]
    require = {"all": [{"field": "completions", "present": True}, {"field": "parallelism", "present": True}]}
    assert failures(require, {"completionMode": "NonIndexed"}, when=when) == []
    assert failures(require, {"completionMode": "Indexed"}, when=when) == ["spec.completions is None"]


def test_container_targets_carry_the_container_name() -> None:
    check = {"target": "container", "require": {"field": "image", "matches": "@sha256:"},
             "message": '{value} of "{container}" in {kind} {name}'}
    manifest = job([container("app"), container("side", image="x@sha256:abc")])
    messages = [hit.message for hit in compile_check(check)(workload(manifest), {})]
    assert messages == ['registry.example.com/app:1.0.0 of "app" in Job ' + workload(manifest).name]


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("a.b[0].c", ("a", "b", 0, "c")),
        ("metadata.annotations[helm.sh/hook-delete-policy]", ("metadata", "annotations", "helm.sh/hook-delete-policy")),
        ("labels[app.kubernetes.io/name].x", ("labels", "app.kubernetes.io/name", "x")),
        ("containers[12]", ("containers", 12)),
    ],
)
def test_parse_field_addresses_keys_with_dots_in_brackets(text: str, path: tuple) -> None:
    assert parse_field(text) == path


def test_a_bracketed_key_condition_reads_the_map_key() -> None:
    cond = {"field": "selector.matchLabels[app.kubernetes.io/name]", "present": True}
    assert failures(cond, {"selector": {"matchLabels": {"app.kubernetes.io/name": "x"}}}) == []
    assert failures(cond, {"selector": {"matchLabels": {"app": "x"}}}) != []


@pytest.mark.parametrize(
    ("metadata", "shown"),
    [
        ({"name": "db-migrate"}, "Job db-migrate has"),
        ({"generateName": "schema-migrate-"}, "Job schema-migrate-* has"),
        ({"name": "", "generateName": "seed-"}, "Job seed-* has"),
        ({}, "Job (unnamed) has"),
    ],
)
def test_name_in_messages_reads_naturally_without_a_name(metadata: dict, shown: str) -> None:
    check = {"target": "object", "require": {"field": "spec.x", "present": True}, "message": "{kind} {name} has"}
    data = {**job(), "metadata": metadata}
    assert [hit.message for hit in compile_check(check)(workload(data), {})] == [shown]
