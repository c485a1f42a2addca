"""JC103, pod-level fields of ValidatePodSpec (podspec.py): one failing and one passing manifest per rule."""

from __future__ import annotations

import pytest

from jobcheck.lint.engine import lint_text
from tests.apiserver.helpers import cronjob, hits, job
from tests.apiserver.test_rules import LABEL, LABEL_VALUE, QNAME, SUBDOMAIN

T = "spec.template.spec"
WIN = "Forbidden: cannot be set for a windows pod"
IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
UNDERSCORE = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', "
              "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation "
              "is '[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?(\\.[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?)*')")


def _one(path: str, body: str) -> list[tuple[str, str]]:
    return [(f"{T}.{path}", f"{T}.{path}: {body}")]


FAILING = [
    ("deadline-zero", job(pod={"activeDeadlineSeconds": 0}), (1, 37),
     _one("activeDeadlineSeconds", "Invalid value: 0: must be between 1 and 2147483647, inclusive")),
    ("deadline-too-big", job(pod={"activeDeadlineSeconds": 2147483648}), (1, 27),
     _one("activeDeadlineSeconds", "Invalid value: 2147483648: must be between 1 and 2147483647, inclusive")),
    ("ephemeral", job(pod={"ephemeralContainers": [{"name": "dbg", "image": "busybox"}]}), (1, 37),
     _one("ephemeralContainers", "Forbidden: ephemeral containers not allowed in pod template")),
    ("dns-policy", job(pod={"dnsPolicy": "clusterfirst"}), (1, 37),
     _one("dnsPolicy", 'Unsupported value: "clusterfirst": supported values: "ClusterFirstWithHostNet", '
                       '"ClusterFirst", "Default", "None"')),
    ("dns-none-no-config", job(pod={"dnsPolicy": "None"}), (1, 37),
     _one("dnsConfig", "Required value: must provide `dnsConfig` when `dnsPolicy` is None")),
    ("dns-none-no-nameservers", job(pod={"dnsPolicy": "None", "dnsConfig": {"searches": ["a.b"]}}), (1, 37),
     _one("dnsConfig.nameservers",
          "Required value: must provide at least one DNS nameserver when `dnsPolicy` is None")),
    ("dns-four-nameservers", job(pod={"dnsConfig": {"nameservers": ["1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4"]}}),
     (1, 37),
     _one("dnsConfig.nameservers", 'Invalid value: ["1.1.1.1","1.0.0.1","8.8.8.8","8.8.4.4"]: must not have more '
                                   "than 3 nameservers")),
    ("dns-nameserver-ip", job(pod={"dnsConfig": {"nameservers": ["dns.local"]}}), (1, 37),
     _one("dnsConfig.nameservers[0]", f'Invalid value: "dns.local": {IP}')),
    ("dns-too-many-searches", job(pod={"dnsConfig": {"searches": [f"s{i}.local" for i in range(33)]}}), (1, 37),
     [(f"{T}.dnsConfig.searches", f"{T}.dnsConfig.searches: Invalid value: "
       + "[" + ",".join(f'"s{i}.local"' for i in range(33)) + "]: must not have more than 32 search paths")]),
    ("dns-search-list-long", job(pod={"dnsConfig": {"searches": ["a" * 63 + "." + "b" * 63] * 17}}), (1, 37),
     [(f"{T}.dnsConfig.searches", f"{T}.dnsConfig.searches: Invalid value: ["
       + ",".join([f'"{"a" * 63}.{"b" * 63}"'] * 17) + "]: must not have more than 2048 characters (including "
       "spaces) in the search list")]),
    ("dns-search-strict-1.32", job(pod={"dnsConfig": {"searches": ["_tcp.example.com."]}}), (1, 32),
     _one("dnsConfig.searches[0]", f'Invalid value: "_tcp.example.com": {SUBDOMAIN}')),
    ("dns-search-relaxed-1.33", job(pod={"dnsConfig": {"searches": ["Bad.Example"]}}), (1, 33),
     _one("dnsConfig.searches[0]", f'Invalid value: "Bad.Example": {UNDERSCORE}')),
    ("dns-option-name", job(pod={"dnsConfig": {"options": [{"value": "2"}]}}), (1, 37),
     [(f"{T}.dnsConfig.options[0].name", f"{T}.dnsConfig.options[0]: Required value: must not be empty")]),
    ("hostname", job(pod={"hostname": "my.host"}), (1, 37),
     _one("hostname", 'Invalid value: "my.host": must not contain dots')),
    ("subdomain", job(pod={"subdomain": "Sub"}), (1, 37), _one("subdomain", f'Invalid value: "Sub": {LABEL}')),
    ("service-account", job(pod={"serviceAccountName": "Builder"}), (1, 37),
     _one("serviceAccountName", f'Invalid value: "Builder": {SUBDOMAIN}')),
    ("priority-class", job(pod={"priorityClassName": "high_priority"}), (1, 37),
     _one("priorityClassName", f'Invalid value: "high_priority": {SUBDOMAIN}')),
    ("node-name", job(pod={"nodeName": "Node1"}), (1, 37), _one("nodeName", f'Invalid value: "Node1": {SUBDOMAIN}')),
    ("runtime-class", job(pod={"runtimeClassName": "gV"}), (1, 37),
     _one("runtimeClassName", f'Invalid value: "gV": {SUBDOMAIN}')),
    ("preemption", job(pod={"preemptionPolicy": "never"}), (1, 37),
     _one("preemptionPolicy",
          'Unsupported value: "never": supported values: "PreemptLowerPriority", "Never"')),
    ("node-selector-value", job(pod={"nodeSelector": {"disk": "fast ssd"}}), (1, 37),
     [(f"{T}.nodeSelector.disk", f'{T}.nodeSelector: Invalid value: "fast ssd": {LABEL_VALUE}')]),
    ("node-selector-key", job(pod={"nodeSelector": {"bad key": "x"}}), (1, 37),
     [(f"{T}.nodeSelector.bad key", f'{T}.nodeSelector: Invalid value: "bad key": {QNAME}')]),
    ("readiness-gate", job(pod={"readinessGates": [{"conditionType": "a/b/c"}]}), (1, 37),
     _one("readinessGates[0].conditionType",
          'Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, \'-\', \'_\' or \'.\', '
          "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
          "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain "
          "prefix and '/' (e.g. 'example.com/MyName')")),
    ("scheduling-gate-duplicate", job(pod={"schedulingGates": [{"name": "a.io/x"}, {"name": "a.io/x"}]}), (1, 37),
     [(f"{T}.schedulingGates[1].name", f'{T}.schedulingGates[1]: Duplicate value: "a.io/x"')]),
    ("host-network-port", job(pod={"hostNetwork": True},
                              container={"ports": [{"containerPort": 8080, "hostPort": 80}]}), (1, 37),
     _one("containers[0].ports[0].hostPort", "Invalid value: 80: must match `containerPort` when `hostNetwork` is true")),
    ("os-name-empty", job(pod={"os": {"name": ""}}), (1, 37), _one("os.name", "Required value: cannot be empty")),
    ("os-name-unknown", job(pod={"os": {"name": "Linux"}}), (1, 37),
     [(f"{T}.os.name", f'{T}.os: Unsupported value: "Linux": supported values: "linux", "windows"')]),
    ("linux-windows-options", job(pod={"os": {"name": "linux"}, "securityContext": {
        "windowsOptions": {"runAsUserName": "u"}}}), (1, 37),
     _one("securityContext.windowsOptions", "Forbidden: windows options cannot be set for a linux pod")),
    ("linux-container-windows-options", job(pod={"os": {"name": "linux"}}, container={
        "securityContext": {"windowsOptions": {"runAsUserName": "u"}}}), (1, 37),
     _one("containers[0].securityContext.windowsOptions", "Forbidden: windows options cannot be set for a linux pod")),
    ("windows-pod-fields", job(pod={"os": {"name": "windows"}, "hostPID": True, "hostIPC": True,
                                    "shareProcessNamespace": False, "hostUsers": True,
                                    "securityContext": {"runAsUser": 1000, "fsGroup": 2000,
                                                        "seccompProfile": {"type": "RuntimeDefault"},
                                                        "sysctls": [{"name": "kernel.shm_rmid_forced", "value": "1"}],
                                                        "supplementalGroups": [3000]}}), (1, 37),
     [(f"{T}.{p}", f"{T}.{p}: {WIN}") for p in (
         "hostPID", "hostIPC", "shareProcessNamespace", "hostUsers", "securityContext.runAsUser",
         "securityContext.fsGroup", "securityContext.seccompProfile", "securityContext.sysctls",
         "securityContext.supplementalGroups")]
     # ValidateHostSysctl runs whatever the OS: an IPC sysctl with hostIPC (test_pod_level.py).
     + _one("securityContext.sysctls[0].name",
            "Invalid value: \"kernel.shm_rmid_forced\": may not be specified when 'hostIPC' is true")),
    ("windows-container-fields", job(pod={"os": {"name": "windows"}}, container={"securityContext": {
        "privileged": False, "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]}, "runAsGroup": 1}}), (1, 37),
     [(f"{T}.containers[0].securityContext.{k}", f"{T}.containers[0].securityContext.{k}: {WIN}") for k in (
         "privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem", "capabilities", "runAsGroup")]),
    ("cronjob-path", cronjob(pod={"hostname": "a_b"}), (1, 37),
     [("spec.jobTemplate.spec.template.spec.hostname",
       f'spec.jobTemplate.spec.template.spec.hostname: Invalid value: "a_b": {LABEL}')]),
]

PASSING = [
    ("deadline-one", job(pod={"activeDeadlineSeconds": 1}), (1, 37)),
    ("deadline-max", job(pod={"activeDeadlineSeconds": 2147483647}), (1, 37)),
    ("no-ephemeral", job(pod={"ephemeralContainers": []}), (1, 37)),
    ("dns-policies", job(pod={"dnsPolicy": "ClusterFirstWithHostNet"}), (1, 37)),
    ("dns-policy-empty-defaulted", job(pod={"dnsPolicy": ""}), (1, 37)),
    ("dns-none", job(pod={"dnsPolicy": "None", "dnsConfig": {"nameservers": ["10.0.0.10"]}}), (1, 37)),
    ("dns-config", job(pod={"dnsConfig": {"nameservers": ["1.1.1.1", "2001:db8::1", "010.001.002.003"],
                                          "searches": ["svc.cluster.local."], "options": [{"name": "ndots"}]}}),
     (1, 37)),
    ("dns-32-searches", job(pod={"dnsConfig": {"searches": [f"s{i}.local" for i in range(32)]}}), (1, 37)),
    ("dns-search-relaxed", job(pod={"dnsConfig": {"searches": ["_tcp.example.com", "."]}}), (1, 33)),
    ("names", job(pod={"hostname": "worker-0", "subdomain": "workers", "serviceAccountName": "builder.ci",
                       "priorityClassName": "high", "nodeName": "node-1.example", "runtimeClassName": "gvisor",
                       "preemptionPolicy": "Never"}), (1, 37)),
    ("node-selector", job(pod={"nodeSelector": {"kubernetes.io/os": "linux", "tier": ""}}), (1, 37)),
    ("gates", job(pod={"readinessGates": [{"conditionType": "example.com/ready"}],
                       "schedulingGates": [{"name": "a.io/x"}, {"name": "a.io/y"}]}), (1, 37)),
    ("host-network-same-port", job(pod={"hostNetwork": True},
                                   container={"ports": [{"containerPort": 80, "hostPort": 80}, {"containerPort": 81}]}),
     (1, 37)),
    ("host-port-without-host-network", job(container={"ports": [{"containerPort": 8080, "hostPort": 80}]}), (1, 37)),
    ("linux", job(pod={"os": {"name": "linux"}, "hostPID": True, "securityContext": {"runAsUser": 1}}), (1, 37)),
    ("windows", job(pod={"os": {"name": "windows"}, "securityContext": {"windowsOptions": {"runAsUserName": "u"}},
                         "hostPID": False}, container={
        "securityContext": {"windowsOptions": {"runAsUserName": "ContainerUser"}}}), (1, 37)),
    # Gated fields are dropped by the server while their gate is off: nothing to forbid.
    ("windows-hostusers-1.32", job(pod={"os": {"name": "windows"}, "hostUsers": True}), (1, 32)),
    ("windows-apparmor-1.29", job(pod={"os": {"name": "windows"}, "securityContext": {
        "appArmorProfile": {"type": "RuntimeDefault"}}}), (1, 29)),
    ("windows-supplemental-policy-1.32", job(pod={"os": {"name": "windows"}, "securityContext": {
        "supplementalGroupsPolicy": "Merge"}}), (1, 32)),
]


@pytest.mark.parametrize("doc,version,expected", [c[1:] for c in FAILING], ids=[c[0] for c in FAILING])
def test_pod_field_rule_reports(doc, version, expected):
    assert sorted(hits(doc, version)) == sorted(expected)


@pytest.mark.parametrize("doc,version", [c[1:] for c in PASSING], ids=[c[0] for c in PASSING])
def test_pod_field_accepted(doc, version):
    assert hits(doc, version) == []


def test_windows_gated_fields_forbidden_once_served():
    doc = job(pod={"os": {"name": "windows"}, "securityContext": {"appArmorProfile": {"type": "RuntimeDefault"},
                                                                 "supplementalGroupsPolicy": "Merge"}})
    assert sorted(hits(doc, (1, 33))) == sorted(
        (f"{T}.securityContext.{k}", f"{T}.securityContext.{k}: {WIN}")
        for k in ("appArmorProfile", "supplementalGroupsPolicy"))


POSITIONS = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pos
spec:
  template:
    spec:
      restartPolicy: Never
      activeDeadlineSeconds: 0
      dnsPolicy: None
      hostname: my.host
      ephemeralContainers:
      - name: dbg
        image: busybox
      containers:
      - name: main
        image: busybox
"""


def test_positions_are_the_field_or_the_missing_fields_parent():
    found = sorted((f.line, f.column, f.message.split(": ")[0]) for f in lint_text(POSITIONS) if f.rule == "JC103")
    assert found == [
        (7, 5, f"{T}.dnsConfig"),  # missing: the parent key (spec)
        (9, 30, f"{T}.activeDeadlineSeconds"),
        (11, 17, f"{T}.hostname"),
        (12, 7, f"{T}.ephemeralContainers"),
    ]
