"""JC103, scheduling fields (scheduling.py): tolerations, affinity, topology spread constraints."""

from __future__ import annotations

import pytest

from jobcheck.lint.engine import lint_text
from tests.apiserver.helpers import hits, job
from tests.apiserver.test_rules import LABEL, LABEL_VALUE, QNAME

T = "spec.template.spec"
TOL = f"{T}.tolerations[0]"
NA = f"{T}.affinity.nodeAffinity"
REQ = f"{NA}.requiredDuringSchedulingIgnoredDuringExecution"
PA = f"{T}.affinity.podAffinity"
PAA = f"{T}.affinity.podAntiAffinity"
TSC = f"{T}.topologySpreadConstraints"
EMPTY_KEY = ["name part must be non-empty", QNAME]


def tol(**fields) -> dict:
    return job(pod={"tolerations": [fields]})


def node_req(*exprs: dict, fields: list | None = None) -> dict:
    term: dict = {"matchExpressions": list(exprs)}
    if fields is not None:
        term = {"matchFields": fields}
    return job(pod={"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [term]}}}})


def pod_term(**term) -> dict:
    return job(pod={"affinity": {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}})


def spread(*constraints: dict) -> dict:
    return job(pod={"topologySpreadConstraints": list(constraints)})


SPREAD = {"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule"}
TERM = {"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": {"app": "x"}}}
EXISTS_MSG = 'operator must be Exists when `key` is empty, which means "match all values and all keys"'

FAILING = [
    ("tol-key-syntax", tol(key="bad key", operator="Exists"), (1, 37),
     [(f"{TOL}.key", f'{TOL}.key: Invalid value: "bad key": {QNAME}')]),
    ("tol-empty-key-equal", tol(operator="Equal"), (1, 37),
     [(f"{TOL}.operator", f'{TOL}.operator: Invalid value: "Equal": {EXISTS_MSG}')]),
    ("tol-empty-key-no-operator", tol(effect="NoSchedule"), (1, 37),
     [(f"{TOL}.operator", f'{TOL}.operator: Invalid value: "": {EXISTS_MSG}')]),
    ("tol-exists-value", tol(key="k", operator="Exists", value="v"), (1, 37),
     [(f"{TOL}.value", f"{TOL}.operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'")]),
    ("tol-equal-bad-value", tol(key="k", operator="Equal", value="a b"), (1, 37),
     [(f"{TOL}.value", f'{TOL}.operator: Invalid value: "a b": {LABEL_VALUE}')]),
    ("tol-operator", tol(key="k", operator="exists"), (1, 37),
     [(f"{TOL}.operator", f'{TOL}.operator: Unsupported value: "exists": supported values: "Equal", "Exists"')]),
    ("tol-effect", tol(key="k", operator="Exists", effect="noschedule"), (1, 37),
     [(f"{TOL}.effect", f'{TOL}.effect: Unsupported value: "noschedule": supported values: "NoSchedule", '
                        '"PreferNoSchedule", "NoExecute"')]),
    ("tol-seconds-effect", tol(key="k", operator="Exists", effect="NoSchedule", tolerationSeconds=30), (1, 37),
     [(f"{TOL}.effect", f"{TOL}.effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when "
                        "`tolerationSeconds` is set")]),
    ("node-no-terms", job(pod={"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": []}}}}), (1, 37),
     [(f"{REQ}.nodeSelectorTerms",
       f"{REQ}.nodeSelectorTerms: Required value: must have at least one node selector term")]),
    ("node-in-no-values", node_req({"key": "zone", "operator": "In", "values": []}), (1, 37),
     [(f"{REQ}.nodeSelectorTerms[0].matchExpressions[0].values",
       f"{REQ}.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` "
       "is 'In' or 'NotIn'")]),
    ("node-exists-values", node_req({"key": "zone", "operator": "Exists", "values": ["a"]}), (1, 37),
     [(f"{REQ}.nodeSelectorTerms[0].matchExpressions[0].values",
       f"{REQ}.nodeSelectorTerms[0].matchExpressions[0].values: Forbidden: may not be specified when `operator` is "
       "'Exists' or 'DoesNotExist'")]),
    ("node-gt-two-values", node_req({"key": "cpus", "operator": "Gt", "values": ["1", "2"]}), (1, 37),
     [(f"{REQ}.nodeSelectorTerms[0].matchExpressions[0].values",
       f"{REQ}.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified single value "
       "when `operator` is 'Lt' or 'Gt'")]),
    ("node-operator", node_req({"key": "zone", "operator": "Equals", "values": ["a"]}), (1, 37),
     [(f"{REQ}.nodeSelectorTerms[0].matchExpressions[0].operator",
       f'{REQ}.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "Equals": not a valid selector '
       "operator")]),
    ("node-key", node_req({"key": "-zone", "operator": "Exists"}), (1, 37),
     [(f"{REQ}.nodeSelectorTerms[0].matchExpressions[0].key",
       f'{REQ}.nodeSelectorTerms[0].matchExpressions[0].key: Invalid value: "-zone": {QNAME}')]),
    ("node-field-key", node_req(fields=[{"key": "metadata.namespace", "operator": "In", "values": ["a"]}]),
     (1, 37),
     [(f"{REQ}.nodeSelectorTerms[0].matchFields[0].key",
       f'{REQ}.nodeSelectorTerms[0].matchFields[0].key: Invalid value: "metadata.namespace": not a valid field '
       "selector key")]),
    ("node-field-values", node_req(fields=[{"key": "metadata.name", "operator": "In", "values": ["a", "b"]}]),
     (1, 37),
     [(f"{REQ}.nodeSelectorTerms[0].matchFields[0].values",
       f"{REQ}.nodeSelectorTerms[0].matchFields[0].values: Required value: must be only one value when `operator` "
       "is 'In' or 'NotIn' for node field selector")]),
    ("node-preferred-weight", job(pod={"affinity": {"nodeAffinity": {
        "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 101, "preference": {}}]}}}), (1, 37),
     [(f"{NA}.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
       f"{NA}.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range "
       "1-100")]),
    ("pod-topology-missing", pod_term(labelSelector={"matchLabels": {"app": "x"}}), (1, 37),
     [(f"{PA}.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey",
       f"{PA}.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: {body}")
      for body in ["Required value: can not be empty"] + [f'Invalid value: "": {m}' for m in EMPTY_KEY]]),
    ("pod-selector", pod_term(topologyKey="zone", labelSelector={"matchExpressions": [
        {"key": "app", "operator": "In", "values": []}]}), (1, 37),
     [(f"{PA}.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values",
       f"{PA}.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values: Required "
       "value: must be specified when `operator` is 'In' or 'NotIn'")]),
    ("pod-namespace", pod_term(topologyKey="zone", namespaces=["Team_A"]), (1, 37),
     [(f"{PA}.requiredDuringSchedulingIgnoredDuringExecution[0].namespaces[0]",
       f'{PA}.requiredDuringSchedulingIgnoredDuringExecution[0].namespace: Invalid value: "Team_A": {LABEL}')]),
    ("anti-weight", job(pod={"affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 0, "podAffinityTerm": TERM}]}}}), (1, 37),
     [(f"{PAA}.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
       f"{PAA}.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range "
       "1-100")]),
    ("spread-skew", spread(dict(SPREAD, maxSkew=0)), (1, 37),
     [(f"{TSC}[0].maxSkew", f"{TSC}[0].maxSkew: Invalid value: 0: must be greater than zero")]),
    ("spread-topology", spread(dict(SPREAD, topologyKey="")), (1, 37),
     [(f"{TSC}[0].topologyKey", f"{TSC}[0].topologyKey: Required value: can not be empty")]),
    ("spread-when", spread(dict(SPREAD, whenUnsatisfiable="DoNotScheduled")), (1, 37),
     [(f"{TSC}[0].whenUnsatisfiable", f'{TSC}[0].whenUnsatisfiable: Unsupported value: "DoNotScheduled": '
                                      'supported values: "DoNotSchedule", "ScheduleAnyway"')]),
    ("spread-duplicate", spread(SPREAD, dict(SPREAD, maxSkew=2)), (1, 37),
     [(f"{TSC}[0].topologyKey", f"{TSC}[0].{{topologyKey, whenUnsatisfiable}}: Duplicate value: "
                                '"{topology.kubernetes.io/zone, DoNotSchedule}"')]),
    ("spread-min-domains", spread(dict(SPREAD, minDomains=0)), (1, 37),
     [(f"{TSC}[0].minDomains", f"{TSC}[0].minDomains: Invalid value: 0: must be greater than zero")]),
    ("spread-min-domains-anyway", spread(dict(SPREAD, minDomains=2, whenUnsatisfiable="ScheduleAnyway")), (1, 27),
     [(f"{TSC}[0].minDomains", f"{TSC}[0].minDomains: Invalid value: 2: can only use minDomains if "
                               "whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway")]),
    ("spread-node-policy", spread(dict(SPREAD, nodeTaintsPolicy="honor")), (1, 37),
     [(f"{TSC}[0].nodeTaintsPolicy",
       f'{TSC}[0].nodeTaintsPolicy: Unsupported value: "honor": supported values: "Honor", "Ignore"')]),
    # Until 1.33 (legacy rule); from 1.34 see test_pod_level.py spread-label-keys-*.
    ("spread-match-label-keys", spread(dict(SPREAD, labelSelector={"matchLabels": {"app": "x"}},
                                            matchLabelKeys=["app"])), (1, 33),
     [(f"{TSC}[0].matchLabelKeys[0]",
       f'{TSC}[0].matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector')]),
    ("spread-selector", spread(dict(SPREAD, labelSelector={"matchLabels": {"app": "a b"}})), (1, 37),
     [(f"{TSC}[0].labelSelector.matchLabels.app",
       f'{TSC}[0].labelSelector.matchLabels: Invalid value: "a b": {LABEL_VALUE}')]),
]

PASSING = [
    ("tolerations", job(pod={"tolerations": [
        {"operator": "Exists"},
        {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"},
        {"key": "dedicated", "value": "gpu"},
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
         "tolerationSeconds": 300}]}), (1, 37)),
    ("node-affinity", job(pod={"affinity": {"nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]},
                                  {"key": "gpu", "operator": "DoesNotExist"},
                                  {"key": "cpus", "operator": "Gt", "values": ["4"]}]},
            {"matchFields": [{"key": "metadata.name", "operator": "NotIn", "values": ["node-1"]}]}]},
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 1, "preference": {"matchExpressions": [{"key": "z", "operator": "In", "values": ["a b"]}]}},
            {"weight": 100, "preference": {}}]}}}), (1, 37)),
    ("pod-affinity", job(pod={"affinity": {
        "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [dict(TERM, namespaces=["team-a"])]},
        "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 50, "podAffinityTerm": TERM}]}}}), (1, 37)),
    ("spread", spread(SPREAD, dict(SPREAD, whenUnsatisfiable="ScheduleAnyway", nodeAffinityPolicy="Honor",
                                   labelSelector={"matchLabels": {"app": "x"}}, matchLabelKeys=["pod-template-hash"]),
                      dict(SPREAD, topologyKey="kubernetes.io/hostname", minDomains=3)), (1, 37)),
]


@pytest.mark.parametrize("doc,version,expected", [c[1:] for c in FAILING], ids=[c[0] for c in FAILING])
def test_scheduling_rule_reports(doc, version, expected):
    assert sorted(hits(doc, version)) == sorted(expected)


@pytest.mark.parametrize("doc,version", [c[1:] for c in PASSING], ids=[c[0] for c in PASSING])
def test_scheduling_accepted(doc, version):
    assert hits(doc, version) == []


POSITIONS = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pos
spec:
  template:
    spec:
      restartPolicy: Never
      tolerations:
      - key: k
        operator: Exists
        value: v
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: zone
        whenUnsatisfiable: DoNotSchedule
      - maxSkew: 1
        topologyKey: zone
        whenUnsatisfiable: DoNotSchedule
      containers:
      - name: main
        image: busybox
"""


def test_positions():
    found = sorted((f.line, f.column) for f in lint_text(POSITIONS) if f.rule == "JC103")
    assert found == [(12, 16), (15, 22)]


WRONG_TYPES = [
    {"tolerations": "all"}, {"tolerations": [None, 3, {"key": 5, "operator": ["Exists"]}]},
    {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": []}}},
    {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        "x", {"matchExpressions": ["y", {"key": 1, "operator": 2, "values": "z"}]}]}}}},
    {"affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 50, "podAffinityTerm": "x"}, "y"]}}},
    {"topologySpreadConstraints": ["x", 1, None]},
    {"securityContext": {"sysctls": "x", "seccompProfile": "y", "supplementalGroups": ["a"], "runAsUser": "0"}},
    {"dnsConfig": {"nameservers": "1.1.1.1", "searches": [1, 2], "options": "x"}, "dnsPolicy": 7},
    {"os": {"name": 1}, "hostname": 5, "activeDeadlineSeconds": "10"},
]


@pytest.mark.parametrize("pod", WRONG_TYPES, ids=range(len(WRONG_TYPES)))
def test_wrong_types_are_left_to_the_schema_layer(pod):
    # Minimal triggers: a value of the wrong type is neither a crash nor an API-server finding.
    assert hits(job(pod=pod)) == []
