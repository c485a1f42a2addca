"""JC103, a container's own restartPolicy and restartPolicyRules (restartrules.py), the resize
policy of a non-sidecar init container, and env valueFrom.fileKeyRef (probes.py), by release.

Each failing case: the server's field path and message, and the release where it applies;
each passing case stays clean. Positions are checked on a YAML text at the end.
"""

from __future__ import annotations

import pytest

from jobcheck.kube import gates
from jobcheck.kube.apiserver import podfacts, restartrules
from jobcheck.lint.engine import lint_text
from tests.apiserver.helpers import hits, job

T = "spec.template.spec"
C = f"{T}.containers[0]"
I0 = f"{T}.initContainers[0]"
RULE = {"action": "Restart", "exitCodes": {"operator": "In", "values": [42]}}
NEED_POLICY = "Required value: must specify restartPolicy when restart rules are used"
POLICIES = 'supported values: "Always", "Never", "OnFailure"'
RELAXED_ENV = ("a valid environment variable name must consist only of printable ASCII characters other "
               "than '='")


def one(path: str, body: str, at: str | None = None) -> list[tuple[str, str]]:
    return [(at or path, f"{path}: {body}")]


def ctr(**fields) -> dict:
    return job(container=fields)


def init(pod: dict | None = None, **fields) -> dict:
    return job(pod=dict(pod or {}, initContainers=[dict({"name": "init", "image": "busybox"}, **fields)]))


def rules(n: int = 1, **rule) -> list:
    return [dict(RULE, **rule) for _ in range(n)]


def file_ref(ref: dict, **env) -> dict:
    volumes = [{"name": "envdir", "emptyDir": {}}]
    return job(pod={"volumes": volumes},
               container={"env": [dict({"name": "A", "valueFrom": {"fileKeyRef": ref}}, **env)]})


FILE_REF = {"volumeName": "envdir", "path": "config.env", "key": "LOG_LEVEL"}
RESIZE_RESTART = [{"resourceName": "cpu", "restartPolicy": "RestartContainer"}]

FAILING = [
    # 1.28-1.33: a regular container may not set restartPolicy
    ("container-policy-1.33", ctr(restartPolicy="Always"), (1, 33),
     one(f"{C}.restartPolicy", "Forbidden: may not be set for non-init containers")),
    # validateContainerRestartPolicy (ContainerRestartRules on from 1.35)
    ("rules-without-policy", ctr(restartPolicyRules=rules()), (1, 35), one(f"{C}.restartPolicy", NEED_POLICY)),
    ("policy-unsupported", ctr(restartPolicy="Sometimes"), (1, 35),
     one(f"{C}.restartPolicy", f'Unsupported value: "Sometimes": {POLICIES}')),
    ("policy-empty", ctr(restartPolicy=""), (1, 37), one(f"{C}.restartPolicy", f'Unsupported value: "": {POLICIES}')),
    # RestartAllContainersOnContainerExits is alpha (off) in 1.35, on from 1.36
    ("action-restart-all-1.35", ctr(restartPolicy="Never", restartPolicyRules=rules(action="RestartAllContainers")),
     (1, 35), one(f"{C}.restartPolicyRules[0].action",
                  'Unsupported value: "RestartAllContainers": supported values: "Restart"')),
    ("action-unsupported-1.36", ctr(restartPolicy="Never", restartPolicyRules=rules(action="Complete")), (1, 36),
     one(f"{C}.restartPolicyRules[0].action",
         'Unsupported value: "Complete": supported values: "Restart", "RestartAllContainers"')),
    ("action-missing", ctr(restartPolicy="Never", restartPolicyRules=[{"exitCodes": RULE["exitCodes"]}]), (1, 37),
     one(f"{C}.restartPolicyRules[0].action",
         'Unsupported value: "": supported values: "Restart", "RestartAllContainers"')),
    ("exit-codes-missing", ctr(restartPolicy="Never", restartPolicyRules=[{"action": "Restart"}]), (1, 35),
     one(f"{C}.restartPolicyRules[0].exitCodes", "Required value: must be specified")),
    ("exit-codes-null", ctr(restartPolicy="OnFailure", restartPolicyRules=[{"action": "Restart", "exitCodes": None}]),
     (1, 37), one(f"{C}.restartPolicyRules[0].exitCodes", "Required value: must be specified")),
    ("operator-unsupported", ctr(restartPolicy="Never", restartPolicyRules=rules(exitCodes={"operator": "Equals"})),
     (1, 35), one(f"{C}.restartPolicyRules[0].exitCodes.operator",
                  'Unsupported value: "Equals": supported values: "In", "NotIn"')),
    ("operator-missing", ctr(restartPolicy="Never", restartPolicyRules=rules(exitCodes={"values": [1]})), (1, 37),
     one(f"{C}.restartPolicyRules[0].exitCodes.operator", 'Unsupported value: "": supported values: "In", "NotIn"')),
    # the list limits: TooLong ("bytes") in 1.35, TooMany from 1.36 (kubernetes#137136)
    ("too-many-rules-1.35", ctr(restartPolicy="Never", restartPolicyRules=rules(21)), (1, 35),
     one(f"{C}.restartPolicyRules", "Too long: may not be more than 20 bytes")),
    ("too-many-rules-1.36", ctr(restartPolicy="Never", restartPolicyRules=rules(21)), (1, 36),
     one(f"{C}.restartPolicyRules", "Too many: 21: must have at most 20 items")),
    ("too-many-exit-codes-1.35",
     ctr(restartPolicy="Never", restartPolicyRules=rules(exitCodes={"operator": "NotIn", "values": list(range(256))})),
     (1, 35), one(f"{C}.restartPolicyRules[0].exitCodes.values", "Too long: may not be more than 255 bytes")),
    ("too-many-exit-codes-1.37",
     ctr(restartPolicy="Never", restartPolicyRules=rules(exitCodes={"operator": "In", "values": list(range(300))})),
     (1, 37), one(f"{C}.restartPolicyRules[0].exitCodes.values", "Too many: 300: must have at most 255 items")),
    # validateInitContainerRestartPolicy
    ("init-policy-1.29", init(restartPolicy="Never"), (1, 29),
     one(f"{I0}.restartPolicy", 'Unsupported value: "Never": supported values: "Always"')),
    ("init-rules-without-policy", init(restartPolicyRules=rules()), (1, 35), one(f"{I0}.restartPolicy", NEED_POLICY)),
    ("init-policy-unsupported", init(restartPolicy="Sometimes"), (1, 36),
     one(f"{I0}.restartPolicy", f'Unsupported value: "Sometimes": {POLICIES}')),
    ("init-rules-invalid", init(restartPolicy="Never", restartPolicyRules=[{"action": "Restart"}]), (1, 37),
     one(f"{I0}.restartPolicyRules[0].exitCodes", "Required value: must be specified")),
    ("sidecar-rules-1.35", init(restartPolicy="Always", restartPolicyRules=rules()), (1, 35),
     one(f"{I0}.restartPolicyRules",
         "Forbidden: restartPolicyRules are not allowed for init containers with restart policy Always")),
    ("sidecar-rules-1.36", init(restartPolicy="Always", restartPolicyRules=rules(exitCodes={"operator": "Is"})),
     (1, 36), one(f"{I0}.restartPolicyRules[0].exitCodes.operator",
                  'Unsupported value: "Is": supported values: "In", "NotIn"')),
    # kubernetes#137458 (1.36+): RestartContainer resize policy on a non-sidecar init container
    ("init-resize-restart", init(pod={"restartPolicy": "OnFailure"}, resizePolicy=RESIZE_RESTART), (1, 36),
     one(f"{I0}.resizePolicy[0].restartPolicy", 'Invalid value: "RestartContainer": must not be set to '
         "'RestartContainer' for non-sidecar initContainers")),
    ("init-never-resize-restart",
     init(pod={"restartPolicy": "OnFailure"}, restartPolicy="Never",
          resizePolicy=[{"resourceName": "memory", "restartPolicy": "NotRequired"}] + RESIZE_RESTART), (1, 37),
     one(f"{I0}.resizePolicy[1].restartPolicy", 'Invalid value: "RestartContainer": must not be set to '
         "'RestartContainer' for non-sidecar initContainers")),
    # validateFileKeySelector and the source count (EnvFiles on from 1.35)
    ("file-key-ref-empty", file_ref({}), (1, 35), [
        (f"{C}.env[0].valueFrom.fileKeyRef.{k}", f"{C}.env[0].valueFrom.fileKeyRef.{k}: Required value")
        for k in ("key", "volumeName", "path")]),
    ("file-key-ref-invalid", file_ref({"volumeName": "Env_Dir", "path": "a/../b.env", "key": "A=B"}), (1, 37), [
        (f"{C}.env[0].valueFrom.fileKeyRef.key", f'{C}.env[0].valueFrom.fileKeyRef.key: Invalid value: "A=B": '
         f"{RELAXED_ENV}"),
        (f"{C}.env[0].valueFrom.fileKeyRef.volumeName", f'{C}.env[0].valueFrom.fileKeyRef.volumeName: Invalid value: '
         '"Env_Dir": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and '
         "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
         "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
        (f"{C}.env[0].valueFrom.fileKeyRef.path",
         f"{C}.env[0].valueFrom.fileKeyRef.path: Invalid value: \"a/../b.env\": must not contain '..'")]),
    ("file-key-ref-with-value", file_ref(FILE_REF, value="x"), (1, 35),
     one(f"{C}.env[0].valueFrom", 'Invalid value: "": may not be specified when `value` is not empty')),
    ("file-key-ref-and-secret",
     job(container={"env": [{"name": "A", "valueFrom": {"fileKeyRef": FILE_REF,
                                                        "secretKeyRef": {"name": "s", "key": "k"}}}]}), (1, 37),
     one(f"{C}.env[0].valueFrom", 'Invalid value: "": may not have more than one field specified at a time')),
]

PASSING = [
    ("rules", ctr(restartPolicy="Never", restartPolicyRules=rules(20, exitCodes={"operator": "In",
                                                                             "values": list(range(1, 256))})),
     (1, 35)),
    ("policy-only", ctr(restartPolicy="OnFailure"), (1, 35)),
    ("restart-all", ctr(restartPolicy="Never", restartPolicyRules=rules(action="RestartAllContainers")), (1, 36)),
    ("init-never", init(restartPolicy="Never", restartPolicyRules=rules()), (1, 35)),
    ("init-on-failure", init(restartPolicy="OnFailure"), (1, 37)),
    ("sidecar", init(restartPolicy="Always"), (1, 35)),
    ("sidecar-rules-1.36", init(restartPolicy="Always", restartPolicyRules=rules(action="RestartAllContainers")),
     (1, 36)),
    # ContainerRestartRules is alpha (off) in 1.34: dropContainerRestartRules removes the rules, a regular
    # container's policy and an init container's policy other than Always (JC104 reports them)
    ("rules-1.34", ctr(restartPolicyRules=[{"action": "Jump"}] * 25), (1, 34)),
    ("init-policy-1.34", init(restartPolicy="OnFailure", restartPolicyRules=rules()), (1, 34)),
    ("sidecar-1.34", init(restartPolicy="Always"), (1, 34)),
    # before the field: the schema layer's call
    ("container-policy-1.27", ctr(restartPolicy="Always"), (1, 27)),
    # the init resize rule is new in 1.36; sidecars may restart to resize
    ("init-resize-restart-1.35", init(pod={"restartPolicy": "OnFailure"}, resizePolicy=RESIZE_RESTART), (1, 35)),
    ("sidecar-resize-restart", init(pod={"restartPolicy": "OnFailure"}, restartPolicy="Always",
                                    resizePolicy=RESIZE_RESTART), (1, 37)),
    ("init-resize-not-required", init(resizePolicy=[{"resourceName": "cpu", "restartPolicy": "NotRequired"}]),
     (1, 37)),
    ("file-key-ref", file_ref(dict(FILE_REF, optional=True)), (1, 35)),
    ("file-key-ref-relaxed-key", file_ref(dict(FILE_REF, key="1.log-level")), (1, 37)),
    # EnvFiles is alpha (off) in 1.34: dropFileKeyRefInUse removes fileKeyRef (JC104)
    ("file-key-ref-1.34", file_ref({"path": "../x"}), (1, 34)),
]


@pytest.mark.parametrize("doc,version,expected", [c[1:] for c in FAILING], ids=[c[0] for c in FAILING])
def test_restart_rule_reports(doc, version, expected):
    assert sorted(hits(doc, version)) == sorted(expected)


@pytest.mark.parametrize("doc,version", [c[1:] for c in PASSING], ids=[c[0] for c in PASSING])
def test_restart_rule_accepts(doc, version):
    assert hits(doc, version) == []


def test_release_facts_agree_with_the_gate_table():
    # the module's releases are the gate table's: the alpha release drops, the on release validates
    assert restartrules.RULES_ALPHA == gates.STAGES["ContainerRestartRules"].alpha
    assert podfacts.ON_BY_DEFAULT["ContainerRestartRules"] == (1, 35)
    assert gates.STAGES["RestartAllContainersOnContainerExits"].alpha == (1, 35)
    assert podfacts.ON_BY_DEFAULT["RestartAllContainersOnContainerExits"] == restartrules.TOO_MANY_FROM
    assert podfacts.ON_BY_DEFAULT["EnvFiles"] == (1, 35)


POSITIONS = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pos
spec:
  template:
    spec:
      restartPolicy: OnFailure
      initContainers:
      - name: setup
        image: busybox
        restartPolicyRules:
        - action: Restart
          exitCodes:
            operator: In
            values: [3]
        resizePolicy:
        - resourceName: cpu
          restartPolicy: RestartContainer
      containers:
      - name: main
        image: busybox
        restartPolicy: Never
        restartPolicyRules:
        - action: Retry
          exitCodes:
            operator: Has
            values: [42]
        - action: Restart
        env:
        - name: A
          valueFrom:
            fileKeyRef:
              volumeName: envdir
              path: ../config.env
"""


def test_positions():
    found = sorted((f.line, f.column) for f in lint_text(POSITIONS) if f.rule == "JC103")
    # the init container's rules without its restartPolicy (its key), the init resize policy value,
    # the action value, the operator value, the second rule (exitCodes missing), the fileKeyRef
    # (key missing), the path value
    assert found == [(10, 9), (19, 26), (25, 19), (27, 23), (29, 11), (33, 13), (35, 21)]


WRONG_TYPES = [
    {"restartPolicy": 5},
    {"restartPolicy": "Never", "restartPolicyRules": "x"},
    {"restartPolicy": "Never", "restartPolicyRules": {"action": "Restart"}},
    {"restartPolicy": "Never", "restartPolicyRules": [None, 3, {"action": 5, "exitCodes": "x"}]},
    {"restartPolicy": "Never", "restartPolicyRules": [{"action": "Restart", "exitCodes": {"operator": 3,
                                                                                           "values": "x"}}]},
    {"restartPolicy": ["Never"], "restartPolicyRules": []},
    {"env": [{"name": "A", "valueFrom": {"fileKeyRef": {"volumeName": 3, "path": ["p"], "key": {"k": 1}}}}]},
    {"env": [{"name": "A", "valueFrom": {"fileKeyRef": "x"}}]},
]


@pytest.mark.parametrize("container", WRONG_TYPES, ids=range(len(WRONG_TYPES)))
def test_wrong_types_are_left_to_the_schema_layer(container):
    for version in ((1, 34), (1, 35), (1, 36), (1, 37)):
        assert hits(job(container=container), version) == []


def test_a_policy_that_is_not_a_string_is_left_to_the_schema_layer_before_1_34():
    assert hits(job(container={"restartPolicy": 5}), (1, 33)) == []
    assert hits(init(restartPolicy=["Never"]), (1, 33)) == []
