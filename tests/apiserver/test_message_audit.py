"""Are JC103's messages the API server's? An audit against the 1.36-line source, by release.

The wording below is spelled out from the Go source, not taken from jobcheck, so these tests fail
when a message drifts:

- error types: ``ErrorBody``, ``String()``, ``TooLong``, ``TooMany`` and ``NotSupported`` in
  staging apimachinery ``pkg/util/validation/field/errors.go`` at kubernetes/kubernetes@898b9f80
  (whose CHANGELOG-1.36.md lists v1.36.0-alpha.1 only);
- name and value helpers: ``IsDNS1123Label``, ``IsDNS1123Subdomain``, ``IsValidPortName``,
  ``IsConfigMapKey``, ``MaxLenError``, ``RegexError`` in ``pkg/util/validation/validation.go``
  (the newest stored version) and their callers in ``pkg/apis/core/validation/validation.go`` at
  898b9f80;
- the toleration "value must be empty" error: its bad value is the value from kubernetes#128119
  (first released in 1.32.0, CHANGELOG-1.32 "Changelog since v1.31.0"), the whole core.Toleration
  printed with ``%#v`` before (the PR shows the old output).

What could not be pinned is written in docs/pod-validation-coverage.md ("Message wording by
release"): these tests assert the same text in every release where no change was found.
"""

from __future__ import annotations

import pytest

from jobcheck.kube.apiserver import messages as m
from jobcheck.lint.engine import lint_text
from tests.apiserver.helpers import hits, job

T = "spec.template.spec"
C = f"{T}.containers[0]"
AUDITED = [(1, 33), (1, 34), (1, 35), (1, 36), (1, 37)]

DNS_LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS_SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
    "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
CONFIG_KEY = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
    "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
)


# --- error types (errors.go) -------------------------------------------------------------

def test_error_type_wording():
    assert m.required() == "Required value"
    assert m.required("must be specified") == "Required value: must be specified"
    assert m.invalid("x", "d") == 'Invalid value: "x": d'
    assert m.invalid(-1, "d") == "Invalid value: -1: d"
    assert m.invalid(True, "d") == "Invalid value: true: d"
    assert m.invalid(m.OMIT, "d") == "Invalid value: d"
    assert m.not_supported("x", ["A", "B"]) == 'Unsupported value: "x": supported values: "A", "B"'
    assert m.not_supported("x", []) == 'Unsupported value: "x"'
    assert m.duplicate("a") == 'Duplicate value: "a"'
    assert m.not_found("a") == 'Not found: "a"'
    assert m.forbidden("may not be set") == "Forbidden: may not be set"
    assert m.forbidden("") == "Forbidden"


@pytest.mark.parametrize("maximum,expected", [
    (262144, "Too long: may not be more than 262144 bytes"),
    (1, "Too long: may not be more than 1 byte"),
])
def test_too_long_never_prints_the_value(maximum, expected):
    """TooLong: BadValue "<value omitted>", not printed (Required, Forbidden, TooLong print no value)."""
    assert m.too_long(maximum) == expected


@pytest.mark.parametrize("actual,maximum,expected", [
    (21, 20, "Too many: 21: must have at most 20 items"),
    (2, 1, "Too many: 2: must have at most 1 item"),
])
def test_too_many_prints_the_count(actual, maximum, expected):
    assert m.too_many(actual, maximum) == expected


# --- typical failing manifests, by release -----------------------------------------------

TYPICAL = [
    ("container-name", job(container={"name": "Main_1"}),
     [(f"{C}.name", f'{C}.name: Invalid value: "Main_1": {DNS_LABEL}')]),
    ("container-name-dots", job(container={"name": "a.b"}),
     [(f"{C}.name", f'{C}.name: Invalid value: "a.b": must not contain dots')]),
    ("container-name-long", job(container={"name": "x" * 64}),
     [(f"{C}.name", f'{C}.name: Invalid value: "{"x" * 64}": must be no more than 63 characters')]),
    ("service-account", job(pod={"serviceAccountName": "Bad_SA"}),
     [(f"{T}.serviceAccountName", f'{T}.serviceAccountName: Invalid value: "Bad_SA": {DNS_SUBDOMAIN}')]),
    ("port-name", job(container={"ports": [{"containerPort": 80, "name": "HTTP--x-"}]}),
     [(f"{C}.ports[0].name", f'{C}.ports[0].name: Invalid value: "HTTP--x-": ' + detail)
      for detail in ("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                     "must not contain consecutive hyphens", "must not begin or end with a hyphen")]),
    ("port-name-digits", job(container={"ports": [{"containerPort": 80, "name": "1234567890123456"}]}),
     [(f"{C}.ports[0].name", f'{C}.ports[0].name: Invalid value: "1234567890123456": ' + detail)
      for detail in ("must be no more than 15 characters", "must contain at least one letter (a-z)")]),
    ("config-key", job(container={"env": [{"name": "A", "valueFrom": {"configMapKeyRef": {
        "name": "cm", "key": "bad key"}}}]}),
     [(f"{C}.env[0].valueFrom.configMapKeyRef.key",
       f'{C}.env[0].valueFrom.configMapKeyRef.key: Invalid value: "bad key": {CONFIG_KEY}')]),
    ("pull-policy", job(container={"imagePullPolicy": "Sometimes"}),
     [(f"{C}.imagePullPolicy",
       f'{C}.imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"')]),
    ("image-required", job(container={"image": ""}),
     [(f"{C}.image", f"{C}.image: Required value")]),
    ("duplicate-container", job(pod={"containers": [{"name": "a", "image": "x"}, {"name": "a", "image": "x"}]}),
     [(f"{T}.containers[1].name", f'{T}.containers[1].name: Duplicate value: "a"')]),
    ("mount-not-found", job(container={"volumeMounts": [{"name": "nope", "mountPath": "/d"}]}),
     [(f"{C}.volumeMounts[0].name", f'{C}.volumeMounts[0].name: Not found: "nope"')]),
    ("forbidden", job(pod={"initContainers": [{"name": "i", "image": "x", "livenessProbe": {
        "exec": {"command": ["true"]}}}]}),
     [(f"{T}.initContainers[0].livenessProbe",
       f"{T}.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without "
       "restartPolicy=Always")]),
]


@pytest.mark.parametrize("version", AUDITED, ids=[f"1.{v[1]}" for v in AUDITED])
@pytest.mark.parametrize("doc,expected", [c[1:] for c in TYPICAL], ids=[c[0] for c in TYPICAL])
def test_typical_messages_read_as_the_server_writes_them(doc, expected, version):
    assert sorted(hits(doc, version)) == sorted(expected)


def test_the_passing_twins_are_clean():
    for doc in (job(container={"name": "main-1", "ports": [{"containerPort": 80, "name": "http-2"}],
                               "imagePullPolicy": "IfNotPresent",
                               "env": [{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "k.1"}}}]}),
                job(pod={"serviceAccountName": "runner.v2"})):
        for version in AUDITED:
            assert hits(doc, version) == []


# --- the toleration value: kubernetes#128119 ---------------------------------------------

TOL = f"{T}.tolerations[0]"
EXISTS_DETAIL = "value must be empty when `operator` is 'Exists'"


def _exists(**extra) -> dict:
    return job(pod={"tolerations": [dict({"key": "pool", "operator": "Exists", "value": "build"}, **extra)]})


@pytest.mark.parametrize("version,shown", [
    ((1, 27), 'core.Toleration{Key:"pool", Operator:"Exists", Value:"build", Effect:"NoSchedule", '
              "TolerationSeconds:(*int64)(nil)}"),
    ((1, 31), 'core.Toleration{Key:"pool", Operator:"Exists", Value:"build", Effect:"NoSchedule", '
              "TolerationSeconds:(*int64)(nil)}"),
    ((1, 32), '"build"'),
    ((1, 37), '"build"'),
])
def test_exists_toleration_value_by_release(version, shown):
    """Up to 1.31 the bad value is the whole core.Toleration (%#v); from 1.32 its value."""
    assert hits(_exists(effect="NoSchedule"), version) == [
        (f"{TOL}.value", f"{TOL}.operator: Invalid value: {shown}: {EXISTS_DETAIL}")]


def test_exists_toleration_with_seconds_before_1_32_omits_the_pointer():
    """A set tolerationSeconds prints as a pointer address up to 1.31: the value is left out."""
    doc = _exists(effect="NoExecute", tolerationSeconds=30)
    assert hits(doc, (1, 31)) == [(f"{TOL}.value", f"{TOL}.operator: Invalid value: {EXISTS_DETAIL}")]
    assert hits(doc, (1, 32)) == [(f"{TOL}.value", f'{TOL}.operator: Invalid value: "build": {EXISTS_DETAIL}')]


def test_exists_toleration_without_value_is_clean_in_every_release():
    doc = job(pod={"tolerations": [{"key": "pool", "operator": "Exists", "effect": "NoSchedule"}]})
    for version in ((1, 27), (1, 31), (1, 32), (1, 37)):
        assert hits(doc, version) == []


def test_exists_toleration_struct_escapes_like_go():
    doc = job(pod={"tolerations": [{"operator": "Exists", "value": 'a"b'}]})
    assert hits(doc, (1, 30)) == [(f"{TOL}.value", f'{TOL}.operator: Invalid value: core.Toleration{{Key:"", '
                                   'Operator:"Exists", Value:"a\\"b", Effect:"", TolerationSeconds:(*int64)(nil)}: '
                                   f"{EXISTS_DETAIL}")]


POSITION = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pos
spec:
  template:
    spec:
      restartPolicy: Never
      tolerations:
      - key: pool
        operator: Exists
        value: build
      containers:
      - name: main
        image: busybox
"""


@pytest.mark.parametrize("version", ["1.31", "1.37"])
def test_exists_toleration_position(version):
    found = [(f.line, f.column) for f in lint_text(POSITION, kubernetes_version=version) if f.rule == "JC103"]
    assert found == [(12, 16)]


# --- Lt and Gt tolerations while TaintTolerationComparisonOperators is off ------------------

@pytest.mark.parametrize("version,listed", [
    ((1, 35), '"Equal", "Exists"'),
    ((1, 36), '"Equal", "Exists", "Lt", "Gt"'),
    ((1, 37), '"Equal", "Exists", "Lt", "Gt"'),
])
@pytest.mark.parametrize("operator", ["Lt", "Gt"])
def test_comparison_operator_lists_four_operators_from_1_36(operator, version, listed):
    """The 1.36-line ValidateTolerations refuses Lt/Gt (gate alpha, off) listing all four operators."""
    doc = job(pod={"tolerations": [{"key": "cpus", "operator": operator, "value": "4"}]})
    assert hits(doc, version) == [
        (f"{TOL}.operator", f'{TOL}.operator: Unsupported value: "{operator}": supported values: {listed}')]


def test_other_unknown_operators_keep_two():
    doc = job(pod={"tolerations": [{"key": "cpus", "operator": "lt", "value": "4"}]})
    assert hits(doc, (1, 37)) == [
        (f"{TOL}.operator", f'{TOL}.operator: Unsupported value: "lt": supported values: "Equal", "Exists"')]
