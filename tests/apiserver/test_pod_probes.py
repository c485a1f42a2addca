"""JC103, probes, lifecycle hooks, init containers and env sources (probes.py)."""

from __future__ import annotations

import pytest

from jobcheck.lint.engine import lint_text
from tests.apiserver.helpers import hits, job

T = "spec.template.spec"
C = f"{T}.containers[0]"
I0 = f"{T}.initContainers[0]"
EXEC = {"exec": {"command": ["true"]}}
PORT_LETTER = "must contain at least one letter (a-z)"
HEADER = ("a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for "
          "validation is '[-A-Za-z0-9]+')")
FIELDS = ('"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", '
          '"status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"')
INIT = "Forbidden: may not be set for init containers without restartPolicy=Always"


def init(**fields) -> dict:
    return job(pod={"initContainers": [dict({"name": "init", "image": "busybox"}, **fields)]})


def one(path: str, body: str, at: str | None = None) -> list[tuple[str, str]]:
    return [(at or path, f"{path}: {body}")]


FAILING = [
    ("probe-no-handler", job(container={"livenessProbe": {"periodSeconds": 5}}), (1, 37),
     one(f"{C}.livenessProbe", "Required value: must specify a handler type")),
    ("probe-two-handlers", job(container={"readinessProbe": {"exec": {"command": ["true"]},
                                                             "tcpSocket": {"port": 80}}}), (1, 37),
     one(f"{C}.readinessProbe.tcpSocket", "Forbidden: may not specify more than 1 handler type")),
    ("probe-exec-command", job(container={"startupProbe": {"exec": {"command": []}}}), (1, 37),
     one(f"{C}.startupProbe.exec.command", "Required value")),
    ("probe-success-threshold", job(container={"livenessProbe": dict(EXEC, successThreshold=3)}), (1, 37),
     one(f"{C}.livenessProbe.successThreshold", "Invalid value: 3: must be 1")),
    ("startup-success-threshold", job(container={"startupProbe": dict(EXEC, successThreshold=2)}), (1, 37),
     one(f"{C}.startupProbe.successThreshold", "Invalid value: 2: must be 1")),
    ("probe-negative", job(container={"readinessProbe": dict(EXEC, initialDelaySeconds=-1)}), (1, 37),
     one(f"{C}.readinessProbe.initialDelaySeconds", "Invalid value: -1: must be greater than or equal to 0")),
    ("probe-port-range", job(container={"livenessProbe": {"tcpSocket": {"port": 70000}}}), (1, 37),
     one(f"{C}.livenessProbe.tcpSocket.port", "Invalid value: 70000: must be between 1 and 65535, inclusive")),
    ("probe-port-name", job(container={"livenessProbe": {"httpGet": {"port": "8080"}}}), (1, 37),
     one(f"{C}.livenessProbe.httpGet.port", f'Invalid value: "8080": {PORT_LETTER}')),
    ("probe-grpc-port", job(container={"livenessProbe": {"grpc": {"port": 0}}}), (1, 37),
     one(f"{C}.livenessProbe.grpc.port", "Invalid value: 0: must be between 1 and 65535, inclusive")),
    ("probe-scheme", job(container={"readinessProbe": {"httpGet": {"port": 80, "scheme": "https"}}}), (1, 37),
     one(f"{C}.readinessProbe.httpGet.scheme", 'Unsupported value: "https": supported values: "HTTP", "HTTPS"')),
    ("probe-header", job(container={"readinessProbe": {"httpGet": {"port": 80, "httpHeaders": [
        {"name": "X Bad", "value": "1"}]}}}), (1, 37),
     one(f"{C}.readinessProbe.httpGet.httpHeaders", f'Invalid value: "X Bad": {HEADER}',
         at=f"{C}.readinessProbe.httpGet.httpHeaders[0].name")),
    ("lifecycle-no-handler", job(container={"lifecycle": {"preStop": {}}}), (1, 37),
     one(f"{C}.lifecycle.preStop", "Required value: must specify a handler type")),
    ("init-probe", init(readinessProbe=EXEC), (1, 29), one(f"{I0}.readinessProbe", INIT)),
    ("init-lifecycle", init(lifecycle={"preStop": EXEC}, restartPolicy="OnFailure"), (1, 37),
     one(f"{I0}.lifecycle", INIT)),
    ("sidecar-probe-checked", init(restartPolicy="Always", livenessProbe=dict(EXEC, successThreshold=2)), (1, 37),
     one(f"{I0}.livenessProbe.successThreshold", "Invalid value: 2: must be 1")),
    ("env-value-and-from", job(container={"env": [{"name": "A", "value": "s3cr3t",
                                                   "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}),
     (1, 37), one(f"{C}.env[0].valueFrom", 'Invalid value: "": may not be specified when `value` is not empty')),
    ("env-two-sources", job(container={"env": [{"name": "A", "valueFrom": {
        "secretKeyRef": {"name": "s", "key": "k"}, "configMapKeyRef": {"name": "c", "key": "k"}}}]}), (1, 37),
     one(f"{C}.env[0].valueFrom", 'Invalid value: "": may not have more than one field specified at a time')),
    ("env-field-path", job(container={"env": [{"name": "A", "valueFrom": {"fieldRef": {
        "fieldPath": "status.phase"}}}]}), (1, 37),
     one(f"{C}.env[0].valueFrom.fieldRef.fieldPath", f'Unsupported value: "status.phase": supported values: {FIELDS}')),
    ("env-field-path-1.28", job(container={"env": [{"name": "A", "valueFrom": {"fieldRef": {
        "fieldPath": "spec.restartPolicy"}}}]}), (1, 28),
     one(f"{C}.env[0].valueFrom.fieldRef.fieldPath", "Unsupported value: \"spec.restartPolicy\": supported values: "
         + FIELDS.replace(' "status.hostIPs",', ""))),
    ("env-field-path-empty", job(container={"env": [{"name": "A", "valueFrom": {"fieldRef": {"fieldPath": ""}}}]}),
     (1, 37), one(f"{C}.env[0].valueFrom.fieldRef.fieldPath", "Required value")),
    ("env-from-no-source", job(container={"envFrom": [{"prefix": "P_"}]}), (1, 37),
     one(f"{C}.envFrom", 'Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
         at=f"{C}.envFrom[0]")),
    ("env-from-two-sources", job(container={"envFrom": [{"configMapRef": {"name": "c"}, "secretRef": {"name": "s"}}]}),
     (1, 37), one(f"{C}.envFrom", 'Invalid value: "": may not have more than one field specified at a time',
                  at=f"{C}.envFrom[0]")),
    ("env-from-name", job(container={"envFrom": [{"secretRef": {"name": ""}}]}), (1, 37),
     one(f"{C}.envFrom[0].secretRef.name", "Required value")),
]

PASSING = [
    ("probes", job(container={
        "livenessProbe": dict(EXEC, successThreshold=1, periodSeconds=0),
        "readinessProbe": {"httpGet": {"port": "http", "path": "", "scheme": "HTTPS",
                                       "httpHeaders": [{"name": "X-Probe", "value": "1"}]}, "successThreshold": 3},
        "startupProbe": {"grpc": {"port": 9090}, "failureThreshold": 30},
        "lifecycle": {"preStop": {"sleep": {"seconds": 5}}, "postStart": {"tcpSocket": {"port": 80}}}}), (1, 37)),
    ("sidecar", init(restartPolicy="Always", livenessProbe=EXEC, lifecycle={"preStop": EXEC}), (1, 37)),
    # Before 1.29 the sidecar gate is off and the old wording is not ported: nothing reported.
    ("init-probe-1.28", init(readinessProbe=EXEC), (1, 28)),
    ("env", job(container={"env": [
        {"name": "A", "value": ""},
        {"name": "B", "valueFrom": {"fieldRef": {"fieldPath": "status.hostIPs"}}},
        {"name": "C", "value": "", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
        {"name": "D", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}}]}), (1, 37)),
    ("env-host-ips-1.28", job(container={"env": [{"name": "B", "valueFrom": {"fieldRef": {
        "fieldPath": "status.hostIPs"}}}]}), (1, 28)),
    ("env-from", job(container={"envFrom": [{"configMapRef": {"name": "c"}, "prefix": "C_"},
                                            {"secretRef": {"name": "s", "optional": True}}]}), (1, 37)),
]


@pytest.mark.parametrize("doc,version,expected", [c[1:] for c in FAILING], ids=[c[0] for c in FAILING])
def test_probe_and_env_rule_reports(doc, version, expected):
    assert sorted(hits(doc, version)) == sorted(expected)


@pytest.mark.parametrize("doc,version", [c[1:] for c in PASSING], ids=[c[0] for c in PASSING])
def test_probe_and_env_accepted(doc, version):
    assert hits(doc, version) == []


def test_env_value_is_never_printed():
    doc = job(container={"env": [{"name": "TOKEN", "value": "hunter2-secret",
                                  "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]})
    assert all("hunter2" not in message for _, message in hits(doc))


POSITIONS = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pos
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: init
        image: busybox
        livenessProbe:
          exec: {command: ["true"]}
      containers:
      - name: main
        image: busybox
        readinessProbe:
          periodSeconds: 5
"""


def test_positions():
    found = sorted((f.line, f.column) for f in lint_text(POSITIONS) if f.rule == "JC103")
    assert found == [(12, 9), (17, 9)]


WRONG_TYPES = [
    {"livenessProbe": "x"}, {"livenessProbe": {"exec": "x", "periodSeconds": "5"}},
    {"readinessProbe": {"httpGet": {"port": [1], "scheme": 3, "httpHeaders": "h"}}},
    {"lifecycle": {"preStop": "x", "postStart": []}},
    {"env": ["A", {"name": "B", "valueFrom": "x"}, {"name": "C", "valueFrom": {"fieldRef": "x"}}]},
    {"envFrom": "x"}, {"envFrom": [None, {"secretRef": {"name": 5}}]},
]


@pytest.mark.parametrize("container", WRONG_TYPES, ids=range(len(WRONG_TYPES)))
def test_wrong_types_are_left_to_the_schema_layer(container):
    assert hits(job(container=container)) == []
