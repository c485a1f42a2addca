"""JC103, container fields of the pod template (containers.py and the env/probe parts of probes.py).

Each failing case: the server's field path and message, and the release where it applies;
each passing case stays clean. Positions are checked on a YAML text at the end.
"""

from __future__ import annotations

import pytest

from jobcheck.lint.engine import lint_text
from tests.apiserver.helpers import hits, job

T = "spec.template.spec"
C = f"{T}.containers[0]"
C1 = f"{T}.containers[1]"
I0 = f"{T}.initContainers[0]"
NO_SOURCE = "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"
SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
             "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
CONFIG_KEY = ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
              "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
RESOURCES = ('"limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", '
             '"requests.ephemeral-storage", "requests.memory"')
SIZES = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei"
PVC = {"name": "data", "persistentVolumeClaim": {"claimName": "data"}}
EMPTY = {"name": "scratch", "emptyDir": {}}
EXEC = {"exec": {"command": ["true"]}}


def one(path: str, body: str, at: str | None = None) -> list[tuple[str, str]]:
    return [(at or path, f"{path}: {body}")]


def env(value_from: dict) -> dict:
    return {"env": [{"name": "A", "valueFrom": value_from}]}


def init(**fields) -> dict:
    return job(pod={"initContainers": [dict({"name": "init", "image": "busybox"}, **fields)]})


def two(first: dict, second: dict, **pod) -> dict:
    return job(pod=dict(pod, containers=[dict({"name": "a", "image": "busybox"}, **first),
                                         dict({"name": "b", "image": "busybox"}, **second)]))


def sleep(seconds, **pod) -> dict:
    return job(container={"lifecycle": {"preStop": {"sleep": {"seconds": seconds}}}}, pod=pod)


FAILING = [
    # validateContainerCommon
    ("termination-message-policy", job(container={"terminationMessagePolicy": "file"}), (1, 27),
     one(f"{C}.terminationMessagePolicy", 'Unsupported value: "file": supported values: "File", '
         '"FallbackToLogsOnError"')),
    ("image-pull-policy", job(container={"imagePullPolicy": "always"}), (1, 37),
     one(f"{C}.imagePullPolicy", 'Unsupported value: "always": supported values: "Always", "IfNotPresent", '
         '"Never"')),
    ("init-image-pull-policy", init(imagePullPolicy="Sometimes"), (1, 30),
     one(f"{I0}.imagePullPolicy", 'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", '
         '"Never"')),
    # validateEnvVarValueFrom: no source, up to 1.33
    ("env-no-source", job(container=env({})), (1, 33), one(f"{C}.env[0].valueFrom", f'Invalid value: "": {NO_SOURCE}')),
    ("env-no-source-1.27", job(container=env({"secretKeyRef": None})), (1, 27),
     one(f"{C}.env[0].valueFrom", f'Invalid value: "": {NO_SOURCE}')),
    # EnvFiles on (1.35+): fileKeyRef is a source, and the message names it
    ("env-no-source-1.37", job(container=env({})), (1, 37),
     one(f"{C}.env[0].valueFrom", 'Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, '
         '`configMapKeyRef`, `secretKeyRef` or `fileKeyRef`')),
    # validateContainerResourceFieldSelector
    ("resource-ref-resource", job(container=env({"resourceFieldRef": {"resource": "limits.gpu"}})), (1, 37),
     one(f"{C}.env[0].valueFrom.resourceFieldRef.resource",
         f'Unsupported value: "limits.gpu": supported values: {RESOURCES}')),
    ("resource-ref-required", job(container=env({"resourceFieldRef": {"containerName": "main"}})), (1, 37),
     one(f"{C}.env[0].valueFrom.resourceFieldRef.resource", "Required value")),
    ("resource-ref-cpu-divisor", job(container=env({"resourceFieldRef": {"resource": "limits.cpu",
                                                                          "divisor": "2"}})), (1, 37),
     one(f"{C}.env[0].valueFrom.resourceFieldRef.divisor",
         'Invalid value: "limits.cpu": only divisor\'s values 1m and 1 are supported with the cpu resource')),
    ("resource-ref-memory-divisor", job(container=env({"resourceFieldRef": {"resource": "requests.memory",
                                                                             "divisor": "1024"}})), (1, 37),
     one(f"{C}.env[0].valueFrom.resourceFieldRef.divisor",
         f"Invalid value: \"requests.memory\": only divisor's values {SIZES} are supported with the memory resource")),
    ("resource-ref-storage-divisor", job(container=env({"resourceFieldRef": {"resource": "limits.ephemeral-storage",
                                                                              "divisor": "1m"}})), (1, 37),
     one(f"{C}.env[0].valueFrom.resourceFieldRef.divisor",
         f"Invalid value: \"limits.ephemeral-storage\": only divisor's values {SIZES} are supported with the "
         "local ephemeral storage resource")),
    ("resource-ref-hugepages-divisor", job(container=env({"resourceFieldRef": {"resource": "limits.hugepages-2Mi",
                                                                                "divisor": "2Mi"}})), (1, 37),
     one(f"{C}.env[0].valueFrom.resourceFieldRef.divisor",
         f"Invalid value: \"limits.hugepages-2Mi\": only divisor's values {SIZES} are supported with the "
         "hugepages resource")),
    # validateConfigMapKeySelector / validateSecretKeySelector
    ("config-map-key-name", job(container=env({"configMapKeyRef": {"name": "My_Config", "key": "k"}})), (1, 37),
     one(f"{C}.env[0].valueFrom.configMapKeyRef.name", f'Invalid value: "My_Config": {SUBDOMAIN}')),
    ("config-map-key-no-name", job(container=env({"configMapKeyRef": {"key": "k"}})), (1, 37),
     one(f"{C}.env[0].valueFrom.configMapKeyRef.name", f'Invalid value: "": {SUBDOMAIN}',
         at=f"{C}.env[0].valueFrom.configMapKeyRef")),
    ("secret-key-required", job(container=env({"secretKeyRef": {"name": "s", "key": ""}})), (1, 37),
     one(f"{C}.env[0].valueFrom.secretKeyRef.key", "Required value")),
    ("secret-key-syntax", job(container=env({"secretKeyRef": {"name": "s", "key": "a/b"}})), (1, 37),
     one(f"{C}.env[0].valueFrom.secretKeyRef.key", f'Invalid value: "a/b": {CONFIG_KEY}')),
    ("secret-key-dotdot", job(container=env({"secretKeyRef": {"name": "s", "key": "..k"}})), (1, 37),
     one(f"{C}.env[0].valueFrom.secretKeyRef.key", "Invalid value: \"..k\": must not start with '..'")),
    ("config-map-key-dot", job(container=env({"configMapKeyRef": {"name": "c", "key": "."}})), (1, 37),
     one(f"{C}.env[0].valueFrom.configMapKeyRef.key", "Invalid value: \".\": must not be '.'")),
    # ValidateVolumeDevices
    ("device-not-found", job(container={"volumeDevices": [{"name": "disk", "devicePath": "/dev/xvda"}]},
                             pod={"volumes": [PVC]}), (1, 37),
     one(f"{C}.volumeDevices[0].name", 'Not found: "disk"')),
    ("device-not-pvc", job(container={"volumeDevices": [{"name": "scratch", "devicePath": "/dev/xvda"}]},
                           pod={"volumes": [EMPTY]}), (1, 37),
     one(f"{C}.volumeDevices[0].name", 'Invalid value: "scratch": can only use volume source type of '
         "PersistentVolumeClaim or Ephemeral for block mode")),
    ("device-path-required", job(container={"volumeDevices": [{"name": "data"}]}, pod={"volumes": [PVC]}), (1, 37),
     one(f"{C}.volumeDevices[0].devicePath", "Required value")),
    ("device-backsteps", job(container={"volumeDevices": [{"name": "data", "devicePath": "/dev/../xvda"}]},
                             pod={"volumes": [PVC]}), (1, 37),
     one(f"{C}.volumeDevices[0].devicePath", "Invalid value: \"/dev/../xvda\": can not contain backsteps ('..')")),
    ("device-unique", job(container={"volumeDevices": [{"name": "data", "devicePath": "/dev/a"},
                                                       {"name": "data", "devicePath": "/dev/a"}]},
                          pod={"volumes": [PVC]}), (1, 37),
     one(f"{C}.volumeDevices[1].name", 'Invalid value: "data": must be unique')
     + one(f"{C}.volumeDevices[1].devicePath", 'Invalid value: "/dev/a": must be unique')),
    ("device-and-mount", job(container={"volumeDevices": [{"name": "data", "devicePath": "/data"}],
                                        "volumeMounts": [{"name": "data", "mountPath": "/data"}]},
                             pod={"volumes": [PVC]}), (1, 37),
     one(f"{C}.volumeDevices[0].name", 'Invalid value: "data": must not already exist in volumeMounts')
     + one(f"{C}.volumeDevices[0].devicePath", 'Invalid value: "/data": must not already exist as a path in '
           "volumeMounts")
     + one(f"{C}.volumeMounts[0].name", 'Invalid value: "data": must not already exist in volumeDevices')
     + one(f"{C}.volumeMounts[0].mountPath", 'Invalid value: "/data": must not already exist as a path in '
           "volumeDevices")),
    # ValidateVolumeMounts: subPath, subPathExpr, mountPropagation, recursiveReadOnly
    ("sub-path-absolute", job(container={"volumeMounts": [{"name": "scratch", "mountPath": "/s", "subPath": "/x"}]},
                              pod={"volumes": [EMPTY]}), (1, 37),
     one(f"{C}.volumeMounts.subPath", 'Invalid value: "/x": must be a relative path',
         at=f"{C}.volumeMounts[0].subPath")),
    ("sub-path-backstep", job(container={"volumeMounts": [{"name": "scratch", "mountPath": "/s",
                                                           "subPath": "a/../../b"}]}, pod={"volumes": [EMPTY]}),
     (1, 37), one(f"{C}.volumeMounts.subPath", "Invalid value: \"a/../../b\": must not contain '..'",
                  at=f"{C}.volumeMounts[0].subPath")),
    ("sub-path-expr-exclusive", job(container={"volumeMounts": [{"name": "scratch", "mountPath": "/s", "subPath": "a",
                                                                 "subPathExpr": "$(POD)"}]}, pod={"volumes": [EMPTY]}),
     (1, 37), one(f"{C}.volumeMounts[0].subPathExpr",
                  'Invalid value: "$(POD)": subPathExpr and subPath are mutually exclusive')),
    ("sub-path-expr-absolute", job(container={"volumeMounts": [{"name": "scratch", "mountPath": "/s",
                                                                "subPathExpr": "/$(POD)"}]}, pod={"volumes": [EMPTY]}),
     (1, 27), one(f"{C}.volumeMounts.subPathExpr", 'Invalid value: "/$(POD)": must be a relative path',
                  at=f"{C}.volumeMounts[0].subPathExpr")),
    ("mount-propagation", job(container={"volumeMounts": [{"name": "scratch", "mountPath": "/s",
                                                           "mountPropagation": "Shared"}]}, pod={"volumes": [EMPTY]}),
     (1, 37), one(f"{C}.volumeMounts.mountPropagation", 'Unsupported value: "Shared": supported values: '
                  '"Bidirectional", "HostToContainer", "None"', at=f"{C}.volumeMounts[0].mountPropagation")),
    ("mount-bidirectional", job(container={"volumeMounts": [{"name": "scratch", "mountPath": "/s",
                                                             "mountPropagation": "Bidirectional"}],
                                           "securityContext": {"privileged": False}}, pod={"volumes": [EMPTY]}),
     (1, 37), one(f"{C}.volumeMounts.mountPropagation", "Forbidden: Bidirectional mount propagation is available "
                  "only to privileged containers", at=f"{C}.volumeMounts[0].mountPropagation")),
    ("recursive-read-only-needs-read-only", job(container={"volumeMounts": [{"name": "scratch", "mountPath": "/s",
                                                                             "recursiveReadOnly": "Enabled"}]},
                                                pod={"volumes": [EMPTY]}), (1, 31),
     one(f"{C}.volumeMounts.recursiveReadOnly", "Forbidden: may only be specified when readOnly is true",
         at=f"{C}.volumeMounts[0].recursiveReadOnly")),
    ("recursive-read-only-propagation", job(container={"volumeMounts": [
        {"name": "scratch", "mountPath": "/s", "readOnly": True, "recursiveReadOnly": "IfPossible",
         "mountPropagation": "HostToContainer"}]}, pod={"volumes": [EMPTY]}), (1, 37),
     one(f"{C}.volumeMounts.recursiveReadOnly", "Forbidden: may only be specified when mountPropagation is None "
         "or not specified", at=f"{C}.volumeMounts[0].recursiveReadOnly")),
    ("recursive-read-only-value", job(container={"volumeMounts": [{"name": "scratch", "mountPath": "/s",
                                                                   "readOnly": True, "recursiveReadOnly": "true"}]},
                                      pod={"volumes": [EMPTY]}), (1, 37),
     one(f"{C}.volumeMounts.recursiveReadOnly", 'Unsupported value: "true": supported values: "Disabled", '
         '"Enabled", "IfPossible"', at=f"{C}.volumeMounts[0].recursiveReadOnly")),
    # validateResizePolicy, from 1.33
    ("resize-resource", job(container={"resizePolicy": [{"resourceName": "gpu", "restartPolicy": "NotRequired"}]}),
     (1, 33), one(f"{C}.resizePolicy", 'Unsupported value: gpu: supported values: "cpu", "memory"',
                  at=f"{C}.resizePolicy[0].resourceName")),  # a core.ResourceName: %s until 1.33
    ("resize-policy-value", job(container={"resizePolicy": [{"resourceName": "cpu", "restartPolicy": "Restart"}]},
                                pod={"restartPolicy": "OnFailure"}), (1, 37),
     one(f"{C}.resizePolicy", 'Unsupported value: "Restart": supported values: "NotRequired", "RestartContainer"',
         at=f"{C}.resizePolicy[0].restartPolicy")),
    ("resize-duplicate", job(container={"resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"},
                                                         {"resourceName": "cpu", "restartPolicy": "NotRequired"}]}),
     (1, 37), one(f"{C}.resizePolicy[1]", 'Duplicate value: "cpu"', at=f"{C}.resizePolicy[1].resourceName")),
    ("resize-never", job(container={"resizePolicy": [{"resourceName": "memory",
                                                      "restartPolicy": "RestartContainer"}]}), (1, 36),
     one(f"{C}.resizePolicy", "Invalid value: \"RestartContainer\": must be 'NotRequired' when `restartPolicy` is "
         "'Never'", at=f"{C}.resizePolicy[0].restartPolicy")),
    ("resize-required", job(container={"resizePolicy": [{"restartPolicy": "NotRequired"}]}), (1, 37),
     one(f"{C}.resizePolicy", "Required value", at=f"{C}.resizePolicy[0].resourceName")),
    # container restartPolicy
    ("container-restart-policy", job(container={"restartPolicy": "Always"}), (1, 28),
     one(f"{C}.restartPolicy", "Forbidden: may not be set for non-init containers")),
    ("init-restart-policy", init(restartPolicy="OnFailure"), (1, 29),
     one(f"{I0}.restartPolicy", 'Unsupported value: "OnFailure": supported values: "Always"')
     # the existing probes rule needs no probe here: nothing else is reported
     ),
    # checkHostPortConflicts
    ("host-port-conflict", two({"ports": [{"containerPort": 80, "hostPort": 8080}]},
                               {"ports": [{"containerPort": 81, "hostPort": 8080, "protocol": "TCP"}]}), (1, 37),
     one(f"{C1}.ports[0].hostPort", 'Duplicate value: "TCP//8080"')),
    ("host-port-conflict-in-container", job(container={"ports": [
        {"containerPort": 80, "hostPort": 9000, "protocol": "UDP", "hostIP": "10.0.0.1"},
        {"containerPort": 81, "hostPort": 9000, "protocol": "UDP", "hostIP": "10.0.0.1"}]}), (1, 27),
     one(f"{C}.ports[1].hostPort", 'Duplicate value: "UDP/10.0.0.1/9000"')),
    # validateResourceRequirements: hugepages
    ("hugepages-multiple", job(container={"resources": {"limits": {"hugepages-2Mi": "3Mi", "memory": "1Gi"},
                                                        "requests": {"hugepages-2Mi": "3Mi"}}}), (1, 27),
     one(f"{C}.resources.limits[hugepages-2Mi]", 'Invalid value: "3Mi": 3Mi is not positive integer multiple of '
         "hugepages-2Mi", at=f"{C}.resources.limits.hugepages-2Mi")
     + one(f"{C}.resources.requests[hugepages-2Mi]", 'Invalid value: "3Mi": 3Mi is not positive integer multiple '
           "of hugepages-2Mi", at=f"{C}.resources.requests.hugepages-2Mi")),
    ("hugepages-bad-page-size", job(container={"resources": {"limits": {"hugepages-big": "2", "cpu": "1"}}}),
     (1, 37), one(f"{C}.resources.limits[hugepages-big]", 'Invalid value: "2": 2 is not positive integer multiple '
                  "of hugepages-big", at=f"{C}.resources.limits.hugepages-big")),
    ("hugepages-need-cpu-or-memory", job(container={"resources": {"limits": {"hugepages-1Gi": "2Gi"}}}), (1, 37),
     one(f"{C}.resources", "Forbidden: HugePages require cpu or memory")),
    # probes: terminationGracePeriodSeconds
    ("probe-grace-readiness", job(container={"readinessProbe": dict(EXEC, terminationGracePeriodSeconds=10)}),
     (1, 37), one(f"{C}.readinessProbe.terminationGracePeriodSeconds",
                  "Invalid value: 10: must not be set for readinessProbes")),
    ("probe-grace-zero", job(container={"livenessProbe": dict(EXEC, terminationGracePeriodSeconds=0)}), (1, 27),
     one(f"{C}.livenessProbe.terminationGracePeriodSeconds", "Invalid value: 0: must be greater than 0")),
    ("probe-grace-readiness-negative", job(container={"readinessProbe": dict(EXEC, terminationGracePeriodSeconds=-1)}),
     (1, 37), one(f"{C}.readinessProbe.terminationGracePeriodSeconds", "Invalid value: -1: must be greater than 0")
     + one(f"{C}.readinessProbe.terminationGracePeriodSeconds",
           "Invalid value: -1: must not be set for readinessProbes")),
    # lifecycle sleep: 1 second up to the pod's grace period (1.30, 1.31); 0 allowed from 1.33
    ("sleep-zero-1.30", sleep(0), (1, 30),
     one(f"{C}.lifecycle.preStop.sleep",
         "Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30)")),
    ("sleep-too-long-1.31", sleep(31), (1, 31),
     one(f"{C}.lifecycle.preStop.sleep",
         "Invalid value: 31: must be greater than 0 and less than terminationGracePeriodSeconds (30)")),
    ("sleep-too-long", sleep(120, terminationGracePeriodSeconds=60), (1, 37),
     one(f"{C}.lifecycle.preStop.sleep",
         "Invalid value: 120: must be non-negative and less than terminationGracePeriodSeconds (60)")),
    ("sleep-negative", sleep(-1), (1, 33),
     one(f"{C}.lifecycle.preStop.sleep",
         "Invalid value: -1: must be non-negative and less than terminationGracePeriodSeconds (30)")),
]

PASSING = [
    ("defaulted-policies", job(container={"terminationMessagePolicy": "", "imagePullPolicy": ""}), (1, 37)),
    ("valid-policies", job(container={"terminationMessagePolicy": "FallbackToLogsOnError",
                                      "imagePullPolicy": "IfNotPresent"}), (1, 37)),
    # 1.34 adds fileKeyRef and its message is not read: no report; 1.35+ the same
    ("env-no-source-1.34", job(container=env({})), (1, 34)),
    ("env-unknown-source", job(container=env({"fileKeyRef": {"path": "a.env", "key": "A", "volumeName": "v"}})),
     (1, 33)),
    ("env-sources", job(container={"env": [
        {"name": "A", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}}},
        {"name": "B", "valueFrom": {"resourceFieldRef": {"resource": "requests.memory", "divisor": "1Mi",
                                                         "containerName": "main"}}},
        {"name": "C", "valueFrom": {"resourceFieldRef": {"resource": "limits.hugepages-2Mi", "divisor": "1Ki"}}},
        {"name": "D", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "0.001"}}},
        {"name": "E", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": 0}}},
        {"name": "F", "valueFrom": {"configMapKeyRef": {"name": "app.config", "key": "LOG_LEVEL"}}},
        {"name": "G", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pass.word_1-x", "optional": True}}},
    ]}), (1, 37)),
    ("devices", job(container={"volumeDevices": [{"name": "data", "devicePath": "/dev/xvda"},
                                                 {"name": "eph", "devicePath": "/dev/xvdb"}],
                               "volumeMounts": [{"name": "scratch", "mountPath": "/scratch"}]},
                    pod={"volumes": [PVC, EMPTY, {"name": "eph", "ephemeral": {"volumeClaimTemplate": {
                        "spec": {"accessModes": ["ReadWriteOnce"], "volumeMode": "Block",
                                 "resources": {"requests": {"storage": "1Gi"}}}}}}]}), (1, 37)),
    ("mounts", job(container={"volumeMounts": [
        {"name": "scratch", "mountPath": "/a", "subPath": "x/y", "mountPropagation": "HostToContainer"},
        {"name": "scratch", "mountPath": "/b", "subPathExpr": "$(POD_NAME)", "mountPropagation": "None"},
        {"name": "scratch", "mountPath": "/c", "mountPropagation": "Bidirectional"},
        {"name": "scratch", "mountPath": "/d", "readOnly": True, "recursiveReadOnly": "Enabled"},
        {"name": "scratch", "mountPath": "/e", "recursiveReadOnly": "Disabled", "subPath": "a..b/c"}],
        "securityContext": {"privileged": True}}, pod={"volumes": [EMPTY]}), (1, 37)),
    # RecursiveReadOnlyMounts is off by default in 1.30: the field is dropped
    ("recursive-read-only-1.30", job(container={"volumeMounts": [{"name": "scratch", "mountPath": "/s",
                                                                  "recursiveReadOnly": "Enabled"}]},
                                     pod={"volumes": [EMPTY]}), (1, 30)),
    ("resize", job(container={"resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"},
                                               {"resourceName": "memory", "restartPolicy": "RestartContainer"}]},
                   pod={"restartPolicy": "OnFailure"}), (1, 37)),
    # InPlacePodVerticalScaling is alpha (off) before 1.33: resizePolicy is dropped
    ("resize-1.32", job(container={"resizePolicy": [{"resourceName": "gpu", "restartPolicy": "Restart"}]}), (1, 32)),
    # the field does not exist in 1.27; from 1.35 ContainerRestartRules changes the rules (not ported)
    ("container-restart-policy-1.27", job(container={"restartPolicy": "Always"}), (1, 27)),
    ("container-restart-policy-1.35", job(container={"restartPolicy": "Never"}), (1, 35)),
    # ContainerRestartRules is alpha (off) in 1.34: dropContainerRestartRules removes a regular
    # container's restartPolicy before validation (JC104 reports it); 1.35+: test_pod_restart_rules.py
    ("container-restart-policy-1.34", job(container={"restartPolicy": "Never"}), (1, 34)),
    ("sidecar", init(restartPolicy="Always"), (1, 29)),
    # SidecarContainers is off by default in 1.28: an init container's restartPolicy is dropped
    ("init-restart-policy-1.28", init(restartPolicy="OnFailure"), (1, 28)),
    ("host-ports", two({"ports": [{"containerPort": 80, "hostPort": 8080}, {"containerPort": 53, "hostPort": 53,
                                                                          "protocol": "UDP"}]},
                       {"ports": [{"containerPort": 81, "hostPort": 8081},
                                  {"containerPort": 53, "hostPort": 53, "protocol": "TCP"},
                                  {"containerPort": 82, "hostPort": 8080, "hostIP": "10.0.0.2"}]}), (1, 37)),
    # init containers run one at a time: the same host port in two of them, or in an init and a
    # regular container, is fine
    ("host-ports-init", job(pod={"initContainers": [
        {"name": "i1", "image": "busybox", "ports": [{"containerPort": 80, "hostPort": 8080}]},
        {"name": "i2", "image": "busybox", "ports": [{"containerPort": 80, "hostPort": 8080}]}]},
        container={"ports": [{"containerPort": 80, "hostPort": 8080}]}), (1, 37)),
    ("hugepages", job(container={"resources": {"limits": {"hugepages-2Mi": "4Mi", "cpu": "1"},
                                               "requests": {"hugepages-2Mi": "4194304", "memory": "1Gi"}}}), (1, 37)),
    ("hugepages-zero", job(container={"resources": {"limits": {"hugepages-2Mi": "0", "memory": "1Gi"}}}), (1, 37)),
    ("probe-grace", job(container={"livenessProbe": dict(EXEC, terminationGracePeriodSeconds=5),
                                   "startupProbe": dict(EXEC, terminationGracePeriodSeconds=1)}), (1, 37)),
    ("sleep", sleep(5), (1, 30)),
    ("sleep-zero", sleep(0), (1, 33)),
    ("sleep-at-grace", sleep(60, terminationGracePeriodSeconds=60), (1, 37)),
    # PodLifecycleSleepAction is off by default in 1.29 (dropped); 1.32: test_pod_releases.py
    ("sleep-1.29", sleep(0), (1, 29)),
]


@pytest.mark.parametrize("doc,version,expected", [c[1:] for c in FAILING], ids=[c[0] for c in FAILING])
def test_container_rule_reports(doc, version, expected):
    assert sorted(hits(doc, version)) == sorted(expected)


@pytest.mark.parametrize("doc,version", [c[1:] for c in PASSING], ids=[c[0] for c in PASSING])
def test_container_rule_accepts(doc, version):
    assert hits(doc, version) == []


def test_secret_key_selector_never_prints_a_credential():
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    doc = job(container=env({"secretKeyRef": {"name": "s", "key": token + "/x"}}))
    found = hits(doc)
    assert found and all(token not in message for _, message in found)


POSITIONS = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pos
spec:
  template:
    spec:
      restartPolicy: Never
      volumes:
      - name: scratch
        emptyDir: {}
      containers:
      - name: main
        image: busybox
        imagePullPolicy: always
        volumeMounts:
        - name: scratch
          mountPath: /s
          subPath: /abs
        env:
        - name: A
          valueFrom:
            configMapKeyRef:
              key: k
        lifecycle:
          preStop:
            sleep:
              seconds: 99
        ports:
        - containerPort: 80
          hostPort: 80
      - name: side
        image: busybox
        ports:
        - containerPort: 81
          hostPort: 80
"""


def test_positions():
    found = sorted((f.line, f.column) for f in lint_text(POSITIONS) if f.rule == "JC103")
    # imagePullPolicy value, subPath value, the configMapKeyRef (name missing), sleep, hostPort value
    assert found == [(15, 26), (19, 20), (23, 13), (27, 13), (36, 21)]


WRONG_TYPES = [
    {"terminationMessagePolicy": 3, "imagePullPolicy": ["Always"]},
    {"volumeDevices": "x"}, {"volumeDevices": [None, {"name": ["x"], "devicePath": 3}]},
    {"volumeMounts": [{"name": ["x"], "mountPath": {}, "subPath": 5, "mountPropagation": 1,
                       "recursiveReadOnly": True}]},
    {"resizePolicy": "x"}, {"resizePolicy": [None, {"resourceName": 1, "restartPolicy": []}]},
    {"restartPolicy": None},
    {"ports": [{"containerPort": 80, "hostPort": "80"}, {"containerPort": 81, "hostPort": 80, "protocol": ["TCP"]}]},
    {"env": [{"name": "A", "valueFrom": {"resourceFieldRef": {"resource": 5, "divisor": "x!"}}},
             {"name": "B", "valueFrom": {"configMapKeyRef": {"name": 3, "key": 4}}},
             {"name": "C", "valueFrom": {"resourceFieldRef": "x", "secretKeyRef": None}}]},
    {"lifecycle": {"preStop": {"sleep": {"seconds": "5"}}}, "readinessProbe": dict(EXEC,
                                                                                   terminationGracePeriodSeconds="5")},
]


@pytest.mark.parametrize("container", WRONG_TYPES, ids=range(len(WRONG_TYPES)))
def test_wrong_types_are_left_to_the_schema_layer(container):
    assert hits(job(container=container)) == []
