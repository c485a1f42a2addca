"""JC103, pod-level rules of ValidatePodTemplateSpec (issue 12, part 1): volumes by type
(volumes.py), template annotations (annotations.py), hostAliases, Windows hostProcess and
resource claims (podlevel.py), host sysctls and seLinuxChangePolicy (securitycontext.py),
matchLabelKeys (scheduling.py).

Each case: the manifest, the Kubernetes version, and the exact (field path of the hit, server
message) pairs; a passing manifest per rule, and the versions where a rule does not apply yet.
"""

from __future__ import annotations

import json

import pytest

from jobcheck.kube.apiserver import validate_api
from jobcheck.kube.objects import iter_workloads
from jobcheck.lint.engine import lint_text
from tests.apiserver.helpers import cronjob, hits, job
from tests.apiserver.test_rules import LABEL, LABEL_VALUE, QNAME, SUBDOMAIN

T = "spec.template.spec"
A = "spec.template.annotations"
MA = "spec.template.metadata.annotations"
IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
MODE = "must be a number between 0 and 0777 (octal), both inclusive"
MORE = "Forbidden: may not specify more than 1 volume type"
NO_SELECTOR = "Forbidden: must not be specified when labelSelector is not set"
HOST_PATH_TYPES = '"", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"'


def _one(path: str, body: str, at: str | None = None) -> tuple[str, str]:
    """A hit reported at ``T.at`` (default: the server path) with the server's ``T.path: body``."""
    return (f"{T}.{at or path}", f"{T}.{path}: {body}")


def _vol(**source) -> dict:
    return job(pod={"volumes": [dict({"name": "v"}, **source)]})


def _affinity_term(**term) -> dict:
    return job(pod={"affinity": {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        dict({"topologyKey": "topology.kubernetes.io/zone"}, **term)]}}})


def _node_affinity(values: list, preferred: bool = False) -> dict:
    term = {"matchExpressions": [{"key": "pool", "operator": "In", "values": values}]}
    if preferred:
        return job(pod={"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 1, "preference": term}]}}})
    return job(pod={"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [term]}}}})


def _annotated(annotations: dict, **job_args) -> dict:
    return job(template_meta={"annotations": annotations}, **job_args)


REQ = "requiredDuringSchedulingIgnoredDuringExecution[0]"
TWICE = {"matchLabels": {"app": "x"}, "matchExpressions": [{"key": "app", "operator": "In", "values": ["x"]}]}


def _req(name: str, requests: dict, **fields) -> dict:
    return dict({"name": name, "image": "busybox", "resources": {"requests": requests}}, **fields)


# Regular containers add up (1100m, 768Mi), the sidecar adds to them (512Mi), and the plain init
# container needs its own request plus the sidecars before it (2 cpu): the aggregate is the larger.
AGGREGATE = job(pod={
    "resources": {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "4", "memory": "4Gi"}},
    "containers": [_req("a", {"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "1Gi"}),
                   _req("b", {"cpu": "600m", "memory": "256Mi"})],
    "initContainers": [_req("s", {"memory": "512Mi"}, restartPolicy="Always"), _req("i", {"cpu": "2"})]})
def _spread(**fields) -> dict:
    return job(pod={"topologySpreadConstraints": [dict(
        {"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule"}, **fields)]})


HOST_NETWORK_PORTS = job(pod={"hostNetwork": True, "containers": [
    {"name": "a", "image": "busybox", "ports": [{"containerPort": 80}]},
    {"name": "b", "image": "busybox", "ports": [{"containerPort": 80, "hostPort": 0},
                                                {"containerPort": 53, "protocol": "UDP"}]}],
    "initContainers": [{"name": "i", "image": "busybox", "ports": [{"containerPort": 80}, {"containerPort": 80}]}]})

FAILING = [
    # --- ValidateVolumes / validateVolumeSource ---
    ("volume-two-sources", job(pod={"volumes": [{"name": "v", "emptyDir": {}, "configMap": {"name": "c"}}]},
                               container={"volumeMounts": [{"name": "v", "mountPath": "/v"}]}), (1, 37),
     [_one("volumes[0].configMap", MORE),
      _one("containers[0].volumeMounts[0].name", 'Not found: "v"')]),
    ("volume-second-source-server-names", job(pod={"volumes": [
        {"name": "a", "secret": {"secretName": "s"}, "downwardAPI": {}},
        {"name": "b", "emptyDir": {}, "cephfs": {"monitors": ["m:6789"]}}]}), (1, 27),
     [_one("volumes[0].downwarAPI", MORE, at="volumes[0].downwardAPI"),
      _one("volumes[1].cephFS", MORE, at="volumes[1].cephfs")]),
    ("emptydir-negative-size", _vol(emptyDir={"sizeLimit": "-1Gi"}), (1, 37),
     [_one("volumes[0].emptyDir.sizeLimit", "Forbidden: SizeLimit field must be a valid resource quantity")]),
    ("hostpath-no-path", _vol(hostPath={"type": "Directory"}), (1, 37),
     [_one("volumes[0].hostPath.path", "Required value")]),
    ("hostpath-backsteps", _vol(hostPath={"path": "/var/../etc"}), (1, 37),
     [_one("volumes[0].hostPath.path", "Invalid value: \"/var/../etc\": must not contain '..'")]),
    ("hostpath-type", _vol(hostPath={"path": "/data", "type": "Dir"}), (1, 37),
     [_one("volumes[0].hostPath.type", f'Unsupported value: "Dir": supported values: {HOST_PATH_TYPES}')]),
    ("secret-no-name", _vol(secret={"defaultMode": 0o400}), (1, 37),
     [_one("volumes[0].secret.secretName", "Required value")]),
    ("configmap-items", _vol(configMap={"items": [{"key": "", "path": "/abs"}, {"key": "k", "path": "a/../b"},
                                                  {"key": "k", "path": "..data", "mode": 0o1000}]}), (1, 37),
     [_one("volumes[0].configMap.name", "Required value"),
      _one("volumes[0].configMap.items[0].key", "Required value"),
      _one("volumes[0].configMap.items[0].path", 'Invalid value: "/abs": must be a relative path'),
      _one("volumes[0].configMap.items[1].path", "Invalid value: \"a/../b\": must not contain '..'"),
      _one("volumes[0].configMap.items[2].path", "Invalid value: \"..data\": must not start with '..'"),
      _one("volumes[0].configMap.items[2].mode", f"Invalid value: 512: {MODE}")]),
    ("pvc-no-claim", _vol(persistentVolumeClaim={"readOnly": True}), (1, 37),
     [_one("volumes[0].persistentVolumeClaim.claimName", "Required value")]),
    ("nfs", _vol(nfs={"server": "", "path": "exports"}), (1, 37),
     [_one("volumes[0].nfs.server", "Required value"),
      _one("volumes[0].nfs.path", 'Invalid value: "exports": must be an absolute path')]),
    ("nfs-no-path", _vol(nfs={"server": "nas"}), (1, 37),
     [_one("volumes[0].nfs.path", "Required value"),
      _one("volumes[0].nfs.path", 'Invalid value: "": must be an absolute path')]),
    # validateDownwardAPIVolumeFile prints the source's path, not the item's.
    ("downward-no-ref", _vol(downwardAPI={"items": [{"path": "labels"}]}), (1, 37),
     [_one("volumes[0].downwardAPI", "Required value: one of fieldRef and resourceFieldRef is required",
           at="volumes[0].downwardAPI.items[0]")]),
    ("downward-two-refs-and-mode", _vol(downwardAPI={"items": [{
        "path": "x", "fieldRef": {"fieldPath": "metadata.name"},
        "resourceFieldRef": {"containerName": "main", "resource": "limits.cpu"}, "mode": 0o1000}]}), (1, 37),
     [_one("volumes[0].downwardAPI",
           'Invalid value: "resource": fieldRef and resourceFieldRef can not be specified simultaneously',
           at="volumes[0].downwardAPI.items[0]"),
      _one("volumes[0].downwardAPI.mode", f"Invalid value: 512: {MODE}",
           at="volumes[0].downwardAPI.items[0].mode")]),
    ("downward-path", _vol(downwardAPI={"items": [{"fieldRef": {"fieldPath": "metadata.name"}},
                                                  {"path": "/etc/name", "fieldRef": {"fieldPath": "metadata.name"}}]}),
     (1, 37),
     [_one("volumes[0].downwardAPI.path", "Required value", at="volumes[0].downwardAPI.items[0].path"),
      _one("volumes[0].downwardAPI.path", 'Invalid value: "/etc/name": must be a relative path',
           at="volumes[0].downwardAPI.items[1].path")]),
    ("downward-field-path", _vol(downwardAPI={"items": [{"path": "node", "fieldRef": {"fieldPath": "spec.nodeName"}},
                                                       {"path": "none", "fieldRef": {"apiVersion": "v1"}}]}), (1, 37),
     [_one("volumes[0].downwardAPI.fieldRef.fieldPath",
           'Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", '
           '"metadata.name", "metadata.namespace", "metadata.uid"', at="volumes[0].downwardAPI.items[0].fieldRef.fieldPath"),
      _one("volumes[0].downwardAPI.fieldRef.fieldPath", "Required value",
           at="volumes[0].downwardAPI.items[1].fieldRef.fieldPath")]),
    ("downward-resource-no-container", _vol(downwardAPI={"items": [
        {"path": "mem", "resourceFieldRef": {"resource": "limits.memory"}}]}), (1, 37),
     [_one("volumes[0].downwardAPI.resourceFieldRef.containerName", "Required value",
           at="volumes[0].downwardAPI.items[0].resourceFieldRef.containerName")]),
    ("projected-downward-resource", _vol(projected={"sources": [{"downwardAPI": {"items": [
        {"path": "gpu", "resourceFieldRef": {"containerName": "main", "resource": "limits.nvidia.com/gpu"}},
        {"path": "none", "resourceFieldRef": {"containerName": "main"}}]}}]}), (1, 37),
     [_one("volumes[0].projected.sources[0].downwardAPI.resourceFieldRef.resource",
           'Unsupported value: "limits.nvidia.com/gpu": supported values: "limits.cpu", "limits.ephemeral-storage", '
           '"limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
           at="volumes[0].projected.sources[0].downwardAPI.items[0].resourceFieldRef.resource"),
      _one("volumes[0].projected.sources[0].downwardAPI.resourceFieldRef.resource", "Required value",
           at="volumes[0].projected.sources[0].downwardAPI.items[1].resourceFieldRef.resource")]),
    ("projected-duplicate-paths", _vol(projected={"sources": [
        {"secret": {"name": "s", "items": [{"key": "a", "path": "p"}]}},
        {"configMap": {"name": "c", "items": [{"key": "b", "path": "p"}]}},
        {"downwardAPI": {"items": [{"path": "p", "fieldRef": {"fieldPath": "metadata.name"}}]}}]}), (1, 37),
     [_one("volumes[0].projected", 'Invalid value: "c": conflicting duplicate paths',
           at="volumes[0].projected.sources[1].configMap.items[0].path"),
      _one("volumes[0].projected", 'Invalid value: "p": conflicting duplicate paths',
           at="volumes[0].projected.sources[2].downwardAPI.items[0].path")]),
    ("projected-two-kinds-in-a-source", _vol(projected={"sources": [
        {"secret": {"name": "s"}, "configMap": {"name": "c"}}]}), (1, 37),
     [_one("volumes[0].projected.sources[0]", "Forbidden: may not specify more than 1 volume type per source")]),
    ("projected-no-names", _vol(projected={"sources": [{"secret": {}}, {"configMap": {"optional": True}}]}), (1, 37),
     [_one("volumes[0].projected.sources[0].secret.name", "Required value"),
      _one("volumes[0].projected.sources[1].configMap.name", "Required value")]),
    ("token-short-expiry", _vol(projected={"sources": [
        {"serviceAccountToken": {"path": "token", "expirationSeconds": 60}}]}), (1, 37),
     [_one("volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds",
           "Invalid value: 60: may not specify a duration less than 10 minutes")]),
    ("token-long-expiry", _vol(projected={"sources": [
        {"serviceAccountToken": {"path": "token", "expirationSeconds": 4294967297}}]}), (1, 37),
     [_one("volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds",
           "Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds")]),
    ("token-path", _vol(projected={"sources": [{"serviceAccountToken": {"audience": "vault"}},
                                               {"serviceAccountToken": {"path": "/token"}}]}), (1, 37),
     [_one("volumes[0].projected.path", "Required value",
           at="volumes[0].projected.sources[0].serviceAccountToken.path"),
      _one("volumes[0].projected.path", 'Invalid value: "/token": must be a relative path',
           at="volumes[0].projected.sources[1].serviceAccountToken.path")]),
    ("csi-driver", _vol(csi={"driver": "CSI_Driver"}), (1, 37),
     [_one("volumes[0].csi.driver", f'Invalid value: "CSI_Driver": {SUBDOMAIN}')]),
    ("csi-no-driver", _vol(csi={"readOnly": True}), (1, 37),
     [_one("volumes[0].csi.driver", "Required value"),
      _one("volumes[0].csi.driver", f'Invalid value: "": {SUBDOMAIN}')]),
    ("csi-driver-too-long", _vol(csi={"driver": "d" * 64}), (1, 37),
     [_one("volumes[0].csi.driver", "Too long: may not be more than 63 bytes")]),
    ("csi-secret-ref", _vol(csi={"driver": "secrets-store.csi.k8s.io", "nodePublishSecretRef": {"name": "Bad_Name"}}),
     (1, 37),
     [_one("volumes[0].csi.name", f'Invalid value: "Bad_Name": {SUBDOMAIN}',
           at="volumes[0].csi.nodePublishSecretRef.name")]),
    ("csi-secret-ref-no-name", _vol(csi={"driver": "d.example.com", "nodePublishSecretRef": {}}), (1, 37),
     [_one("volumes[0].csi.nodePublishSecretRef.name", "Required value")]),
    ("ephemeral-no-template", _vol(ephemeral={}), (1, 37),
     [_one("volumes[0].ephemeral.volumeClaimTemplate", "Required value")]),
    ("ephemeral-empty-claim", _vol(ephemeral={"volumeClaimTemplate": {"spec": {}}}), (1, 37),
     [_one("volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes",
           "Required value: at least 1 access mode is required"),
      _one("volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]", "Required value",
           at="volumes[0].ephemeral.volumeClaimTemplate.spec.resources.requests.storage")]),
    ("ephemeral-access-modes", _vol(ephemeral={"volumeClaimTemplate": {"spec": {
        "accessModes": ["ReadWriteOnce", "ReadWriteOncePod", "RWX"], "resources": {"requests": {"storage": "1Gi"}}}}}),
     (1, 37),
     [_one("volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes",
           'Unsupported value: "RWX": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", '
           '"ReadWriteOncePod"'),
      _one("volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes",
           "Forbidden: may not use ReadWriteOncePod with other access modes")]),
    ("ephemeral-claim-template", _vol(ephemeral={"volumeClaimTemplate": {
        "metadata": {"name": "scratch", "labels": {"tier": "fast disk"}},
        "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "Fast_SSD", "volumeMode": "block",
                 "resources": {"requests": {"storage": "0"}}}}}), (1, 37),
     [_one("volumes[0].ephemeral.volumeClaimTemplate.metadata.name", "Forbidden: cannot be set"),
      _one("volumes[0].ephemeral.volumeClaimTemplate.metadata.labels", f'Invalid value: "fast disk": {LABEL_VALUE}',
           at="volumes[0].ephemeral.volumeClaimTemplate.metadata.labels.tier"),
      _one("volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]",
           'Invalid value: "0": must be greater than zero',
           at="volumes[0].ephemeral.volumeClaimTemplate.spec.resources.requests.storage"),
      _one("volumes[0].ephemeral.volumeClaimTemplate.spec.storageClassName", f'Invalid value: "Fast_SSD": {SUBDOMAIN}'),
      _one("volumes[0].ephemeral.volumeClaimTemplate.spec.volumeMode",
           'Unsupported value: "block": supported values: "Block", "Filesystem"')]),
    ("image-volume", job(pod={"volumes": [
        {"name": "both", "emptyDir": {}, "image": {"reference": "registry.example/data:1"}},
        {"name": "policy", "image": {"reference": "registry.example/data:1", "pullPolicy": "always"}}]}), (1, 35),
     [_one("volumes[0].image", MORE),
      _one("volumes[1].image.pullPolicy", 'Unsupported value: "always": supported values: "Always", "IfNotPresent", '
           '"Never"')]),
    # --- ValidatePodSpecificAnnotations ---
    ("mirror-annotation", _annotated({"kubernetes.io/config.mirror": "x"}), (1, 37),
     [(f"{MA}.kubernetes.io/config.mirror",
       f'{A}[kubernetes.io/config.mirror]: Invalid value: "x": must set spec.nodeName if mirror pod annotation is set')]),
    ("tolerations-annotation", _annotated({"scheduler.alpha.kubernetes.io/tolerations": json.dumps(
        [{"key": "a b", "operator": "Exists", "value": "x"}, {"operator": "Equal"}])}), (1, 37),
     [(f"{MA}.scheduler.alpha.kubernetes.io/tolerations",
       f'{A}.scheduler.alpha.kubernetes.io/tolerations[0].key: Invalid value: "a b": {QNAME}'),
      (f"{MA}.scheduler.alpha.kubernetes.io/tolerations",
       f'{A}.scheduler.alpha.kubernetes.io/tolerations[0].operator: Invalid value: "x": value must be empty when '
       "`operator` is 'Exists'"),
      (f"{MA}.scheduler.alpha.kubernetes.io/tolerations",
       f'{A}.scheduler.alpha.kubernetes.io/tolerations[1].operator: Invalid value: "Equal": operator must be Exists '
       'when `key` is empty, which means "match all values and all keys"')]),
    ("deletion-cost", _annotated({"controller.kubernetes.io/pod-deletion-cost": "+10"}), (1, 37),
     [(f"{MA}.controller.kubernetes.io/pod-deletion-cost",
       f'{A}[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+10": must be a 32bit integer')]),
    ("deletion-cost-leading-zero", _annotated({"controller.kubernetes.io/pod-deletion-cost": "007"}), (1, 27),
     [(f"{MA}.controller.kubernetes.io/pod-deletion-cost",
       f'{A}[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "007": must be a 32bit integer')]),
    ("deletion-cost-overflow", _annotated({"controller.kubernetes.io/pod-deletion-cost": "2147483648"}), (1, 37),
     [(f"{MA}.controller.kubernetes.io/pod-deletion-cost",
       f'{A}[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "2147483648": must be a 32bit integer')]),
    ("seccomp-annotation", _annotated({"seccomp.security.alpha.kubernetes.io/pod": "default",
                                       "container.seccomp.security.alpha.kubernetes.io/main": "localhost/../x.json"}),
     (1, 37),
     [(f"{MA}.seccomp.security.alpha.kubernetes.io/pod",
       f'{A}.seccomp.security.alpha.kubernetes.io/pod: Invalid value: "default": must be a valid seccomp profile'),
      (f"{MA}.container.seccomp.security.alpha.kubernetes.io/main",
       f"{A}.container.seccomp.security.alpha.kubernetes.io/main: Invalid value: \"../x.json\": must not contain '..'")]),
    ("seccomp-annotation-absolute", _annotated({"seccomp.security.alpha.kubernetes.io/pod": "localhost//p.json"}),
     (1, 37),
     [(f"{MA}.seccomp.security.alpha.kubernetes.io/pod",
       f'{A}.seccomp.security.alpha.kubernetes.io/pod: Invalid value: "/p.json": must be a relative path')]),
    ("apparmor-annotation", _annotated({"container.apparmor.security.beta.kubernetes.io/sidecar": "runtime/default",
                                        "container.apparmor.security.beta.kubernetes.io/main": "default"}), (1, 37),
     [(f"{MA}.container.apparmor.security.beta.kubernetes.io/sidecar",
       f'{A}[container.apparmor.security.beta.kubernetes.io/sidecar]: Invalid value: "sidecar": container not found'),
      (f"{MA}.container.apparmor.security.beta.kubernetes.io/main",
       f'{A}[container.apparmor.security.beta.kubernetes.io/main]: Invalid value: "default": invalid AppArmor '
       'profile name: "default"')]),
    # --- validateSeccompAnnotationsAndFields / validateAppArmorAnnotationsAndFieldsMatchOnCreate ---
    ("seccomp-field-disagrees", _annotated(
        {"seccomp.security.alpha.kubernetes.io/pod": "unconfined",
         "container.seccomp.security.alpha.kubernetes.io/main": "localhost/b.json"},
        pod={"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}},
        container={"securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "a.json"}}}),
     (1, 37),
     [_one("securityContext.seccompProfile.type", "Forbidden: seccomp type in annotation and field must match"),
      _one("containers[0].securityContext.seccompProfile.localhostProfile",
           "Forbidden: seccomp profile in annotation and field must match")]),
    ("apparmor-field-disagrees", _annotated(
        {"container.apparmor.security.beta.kubernetes.io/main": "unconfined"},
        pod={"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}}), (1, 30),
     [_one("containers[0].securityContext.appArmorProfile.type",
           "Forbidden: apparmor type in annotation and field must match")]),
    ("apparmor-localhost-disagrees", _annotated(
        {"container.apparmor.security.beta.kubernetes.io/main": "localhost/other"},
        container={"securityContext": {"appArmorProfile": {"type": "Localhost", "localhostProfile": "mine"}}}),
     (1, 34),
     [_one("containers[0].securityContext.appArmorProfile.localhostProfile",
           "Forbidden: apparmor profile in annotation and field must match")]),
    # --- ValidateHostSysctl, validateSELinuxChangePolicy ---
    ("sysctl-host-network", job(pod={"hostNetwork": True, "securityContext": {"sysctls": [
        {"name": "net.ipv4.ip_local_port_range", "value": "1024 65535"}]}}), (1, 29),
     [_one("securityContext.sysctls[0].name",
           "Invalid value: \"net.ipv4.ip_local_port_range\": may not be specified when 'hostNetwork' is true")]),
    ("sysctl-host-ipc", job(pod={"hostIPC": True, "securityContext": {"sysctls": [
        {"name": "kernel.sem", "value": "250"}, {"name": "fs.mqueue.msg_max", "value": "10"},
        {"name": "kernel.msgmax", "value": "8192"}]}}), (1, 37),
     [_one(f"securityContext.sysctls[{i}].name",
           f"Invalid value: \"{n}\": may not be specified when 'hostIPC' is true")
      for i, n in enumerate(("kernel.sem", "fs.mqueue.msg_max", "kernel.msgmax"))]),
    ("selinux-change-policy", job(pod={"securityContext": {"seLinuxChangePolicy": "MountOption"}}), (1, 33),
     [_one("securityContext.seLinuxChangePolicy", 'Unsupported value: "MountOption": supported values: "Recursive"')]),
    ("selinux-change-policy-windows", job(pod={"os": {"name": "windows"},
                                               "securityContext": {"seLinuxChangePolicy": "Recursive"}}), (1, 34),
     [_one("securityContext.seLinuxChangePolicy", "Forbidden: cannot be set for a windows pod")]),
    # --- ValidateHostAliases ---
    ("host-aliases", job(pod={"hostAliases": [{"ip": "10.0.0.300", "hostnames": ["Foo_bar"]},
                                              {"hostnames": ["ok.local"]}]}), (1, 37),
     [_one("hostAliases[0].ip", f'Invalid value: "10.0.0.300": {IP}'),
      _one("hostAliases[0].hostnames[0]", f'Invalid value: "Foo_bar": {SUBDOMAIN}'),
      _one("hostAliases[1].ip", f'Invalid value: "": {IP}')]),
    # --- validateOverhead (the server prints the container rules' limits path) ---
    ("overhead-negative", job(pod={"overhead": {"cpu": "-250m", "memory": "120Mi"}}), (1, 37),
     [_one("overhead.limits[cpu]", 'Invalid value: "-250m": must be greater than or equal to 0', at="overhead.cpu")]),
    # --- validateWindowsHostProcessPod ---
    ("host-process-mismatch", job(pod={"hostNetwork": True, "securityContext": {"windowsOptions": {"hostProcess": True}}},
                                  container={"securityContext": {"windowsOptions": {"hostProcess": False}}}), (1, 37),
     [_one("containers[0].securityContext.windowsOptions.hostProcess",
           "Invalid value: false: pod hostProcess value must be identical if both are specified, was true")]),
    ("host-process-partial", job(pod={"initContainers": [{"name": "init", "image": "busybox"}]},
                                 container={"securityContext": {"windowsOptions": {"hostProcess": True}}}), (1, 27),
     [(T, f'{T}: Invalid value: "": If pod contains any hostProcess containers then all containers must be '
          "HostProcess containers"),
      _one("hostNetwork", "Invalid value: false: hostNetwork must be true if pod contains any hostProcess containers")]),
    # --- validatePodResourceClaims (served from 1.34) ---
    ("resource-claims", job(pod={"resourceClaims": [
        {"name": "gpu"}, {"name": "gpu", "resourceClaimName": "c"},
        {"name": "Bad", "resourceClaimName": "c", "resourceClaimTemplateName": "t"},
        {"resourceClaimTemplateName": "Bad_T"}]}), (1, 34),
     [_one("resourceClaims[0]", "Invalid value: must specify one of: `resourceClaimName`, `resourceClaimTemplateName`"),
      _one("resourceClaims[1].name", 'Duplicate value: "gpu"'),
      _one("resourceClaims[2].name", f'Invalid value: "Bad": {LABEL}'),
      _one("resourceClaims[2]",
           "Invalid value: at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified"),
      _one("resourceClaims[3].name", "Required value"),
      _one("resourceClaims[3].resourceClaimTemplateName", f'Invalid value: "Bad_T": {SUBDOMAIN}')]),
    # --- validatePodResources (served from 1.34) ---
    ("pod-resources", job(pod={"resources": {"claims": [{"name": "gpu"}], "requests": {"cpu": "2"},
                                             "limits": {"cpu": "1", "memory": "1Gi"}}},
                          container={"resources": {"limits": {"memory": "2Gi", "cpu": "500m"}}}), (1, 34),
     [_one("resources.claims", "Forbidden: claims cannot be set for Resources at pod-level"),
      _one("resources.requests", 'Invalid value: "2": must be less than or equal to cpu limit of 1',
           at="resources.requests.cpu"),
      _one("resources.containers[0][memory].limits", 'Invalid value: "2Gi": must be less than or equal to pod limits '
           "of 1Gi", at="containers[0].resources.limits.memory")]),
    # --- checkHostPortConflicts after 1.27's hostNetwork defaulting (hostPort = containerPort) ---
    ("host-network-ports-1.27", HOST_NETWORK_PORTS, (1, 27),
     [_one("containers[1].ports[0].hostPort", 'Duplicate value: "TCP//80"', at="containers[1].ports[0]"),
      _one("initContainers[0].ports[1].hostPort", 'Duplicate value: "TCP//80"', at="initContainers[0].ports[1]")]),
    ("host-network-explicit-and-defaulted-1.27", job(pod={"hostNetwork": True}, container={"ports": [
        {"containerPort": 8080, "hostPort": 8080}, {"containerPort": 8080, "protocol": "TCP"}]}), (1, 27),
     [_one("containers[0].ports[1].hostPort", 'Duplicate value: "TCP//8080"', at="containers[0].ports[1]")]),
    # --- validatePodResourceConsistency: pod requests cover the containers' aggregate (from 1.34) ---
    ("pod-requests-below-aggregate", AGGREGATE, (1, 34),
     [_one("resources.requests[cpu]", 'Invalid value: "1": must be greater than or equal to aggregate container '
           "requests of 2", at="resources.requests.cpu"),
      _one("resources.requests[memory]", 'Invalid value: "1Gi": must be greater than or equal to aggregate '
           "container requests of 1280Mi", at="resources.requests.memory")]),
    ("pod-requests-below-regular-sum", job(pod={"resources": {"requests": {"cpu": "1"}}, "containers": [
        _req("a", {"cpu": "500m"}), _req("b", {"cpu": 0.75})]}), (1, 37),
     [_one("resources.requests[cpu]", 'Invalid value: "1": must be greater than or equal to aggregate container '
           "requests of 1250m", at="resources.requests.cpu")]),
    # --- validateResourceClaimNames (served from 1.34) ---
    ("container-claims", job(pod={"resourceClaims": [{"name": "gpu", "resourceClaimName": "g"},
                                                     {"name": "nic", "resourceClaimName": "n"}],
                                  "initContainers": [{"name": "init", "image": "busybox",
                                                      "resources": {"claims": [{"name": "nic", "request": "Fast"}]}}]},
                             container={"resources": {"claims": [{"name": "gpu"}, {"name": "gpu"}, {"name": "tpu"},
                                                                 {"name": ""}]}}), (1, 34),
     [_one("containers[0].resources.claims[1]", 'Duplicate value: "gpu"', at="containers[0].resources.claims[1].name"),
      _one("containers[0].resources.claims[2]",
           'Not found: "tpu": must be one of the names in pod.spec.resourceClaims: gpu, nic',
           at="containers[0].resources.claims[2].name"),
      _one("containers[0].resources.claims[3]", "Required value", at="containers[0].resources.claims[3].name"),
      _one("initContainers[0].resources.claims[0].request", f'Invalid value: "Fast": {LABEL}')]),
    ("container-claims-overlap", job(container={"resources": {"claims": [
        {"name": "gpu", "request": "a"}, {"name": "gpu", "request": "a"}, {"name": "gpu"}]}}), (1, 37),
     [_one("containers[0].resources.claims[0]",
           'Not found: "gpu": must be one of the names in pod.spec.resourceClaims which is empty',
           at="containers[0].resources.claims[0].name"),
      _one("containers[0].resources.claims[1]", 'Duplicate value: "gpu/a"', at="containers[0].resources.claims[1].name"),
      _one("containers[0].resources.claims[1]",
           'Not found: "gpu": must be one of the names in pod.spec.resourceClaims which is empty',
           at="containers[0].resources.claims[1].name"),
      _one("containers[0].resources.claims[2]", 'Duplicate value: "gpu"', at="containers[0].resources.claims[2].name"),
      _one("containers[0].resources.claims[2]",
           'Not found: "gpu": must be one of the names in pod.spec.resourceClaims which is empty',
           at="containers[0].resources.claims[2].name")]),
    # --- pod affinity matchLabelKeys / mismatchLabelKeys (served from 1.31), spread matchLabelKeys ---
    ("affinity-label-keys-no-selector", _affinity_term(matchLabelKeys=["app"], mismatchLabelKeys=["tenant"]), (1, 31),
     [_one(f"affinity.podAffinity.{REQ}.matchLabelKeys", NO_SELECTOR),
      _one(f"affinity.podAffinity.{REQ}.mismatchLabelKeys", NO_SELECTOR)]),
    ("affinity-label-keys", _affinity_term(labelSelector={"matchLabels": {"app": "x"}},
                                           matchLabelKeys=["bad key", "tenant"], mismatchLabelKeys=["tenant"]), (1, 37),
     [_one(f"affinity.podAffinity.{REQ}.matchLabelKeys[0]", f'Invalid value: "bad key": {QNAME}'),
      _one(f"affinity.podAffinity.{REQ}.matchLabelKeys[1]",
           'Invalid value: "tenant": exists in both matchLabelKeys and mismatchLabelKeys')]),
    # "exists in both matchLabelKeys and labelSelector": a template is not merged, so only a key the
    # selector itself names twice counts; the server indexes the term's path with the key's place.
    ("affinity-label-keys-in-selector-twice", _affinity_term(labelSelector=TWICE, matchLabelKeys=["tier", "app"]),
     (1, 31),
     [_one(f"affinity.podAffinity.{REQ}[1]", 'Invalid value: "app": exists in both matchLabelKeys and labelSelector',
           at=f"affinity.podAffinity.{REQ}.matchLabelKeys[1]")]),
    ("anti-affinity-preferred-label-keys-in-expressions-twice", job(pod={"affinity": {"podAntiAffinity": {
        "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 5, "podAffinityTerm": {
            "topologyKey": "kubernetes.io/hostname", "matchLabelKeys": ["app", "app"],
            "labelSelector": {"matchExpressions": [{"key": "app", "operator": "Exists"},
                                                   {"key": "app", "operator": "In", "values": ["x"]}]}}}]}}}),
     (1, 37),
     [_one("affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm[1]",
           'Invalid value: "app": exists in both matchLabelKeys and labelSelector',
           at="affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm."
              "matchLabelKeys[1]")]),
    # --- ValidateNodeSelectorRequirement: label values of required terms (from 1.33) ---
    ("node-affinity-values", _node_affinity(["batch", "gpu pool"]), (1, 33),
     [_one("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
           ".matchExpressions[0].values[1]", f'Invalid value: "gpu pool": {LABEL_VALUE}')]),
    ("spread-label-keys-no-selector", job(pod={"topologySpreadConstraints": [
        {"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
         "matchLabelKeys": ["pod-template-hash"]}]}), (1, 27),
     [_one("topologySpreadConstraints[0].matchLabelKeys", NO_SELECTOR)]),
    # From 1.34 (kubernetes#129874) a spread constraint's keys follow pod affinity's rule: only a key
    # the template's selector names twice is refused, at the constraint's path indexed by its place.
    ("spread-label-keys-in-selector-twice-1.34", _spread(labelSelector=TWICE, matchLabelKeys=["app"]), (1, 34),
     [_one("topologySpreadConstraints[0][0]", 'Invalid value: "app": exists in both matchLabelKeys and labelSelector',
           at="topologySpreadConstraints[0].matchLabelKeys[0]")]),
    ("spread-label-keys-in-selector-twice-1.33", _spread(labelSelector=TWICE, matchLabelKeys=["app"]), (1, 33),
     [_one("topologySpreadConstraints[0].matchLabelKeys[0]",
           'Invalid value: "app": exists in both matchLabelKeys and labelSelector')]),
    ("cronjob-path", cronjob(pod={"volumes": [{"name": "v", "hostPath": {}}]}), (1, 37),
     [("spec.jobTemplate.spec.template.spec.volumes[0].hostPath.path",
       "spec.jobTemplate.spec.template.spec.volumes[0].hostPath.path: Required value")]),
]

PASSING = [
    ("volumes-common", job(pod={"volumes": [
        {"name": "scratch", "emptyDir": {"sizeLimit": "1Gi", "medium": "Memory"}},
        {"name": "no-source"},  # defaulted to emptyDir by the server
        {"name": "host", "hostPath": {"path": "/var/log", "type": "DirectoryOrCreate"}},
        {"name": "host-unset-type", "hostPath": {"path": "/data", "type": ""}},
        {"name": "secret", "secret": {"secretName": "s", "items": [{"key": "k", "path": "dir/file"}]}},
        {"name": "cm", "configMap": {"name": "c", "items": [{"key": "k", "path": "k8s..d/file"}]}},
        {"name": "claim", "persistentVolumeClaim": {"claimName": "data"}},
        {"name": "nfs", "nfs": {"server": "10.0.0.2", "path": "/exports"}},
        {"name": "downward", "downwardAPI": {"items": [
            {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
            {"path": "cpu", "resourceFieldRef": {"containerName": "main", "resource": "limits.cpu"}},
            {"path": "huge", "resourceFieldRef": {"containerName": "main", "resource": "limits.hugepages-2Mi"}},
            {"path": "app", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels['app']"}}]}},
        {"name": "projected", "projected": {"sources": [
            {"secret": {"name": "s", "items": [{"key": "a", "path": "a"}]}},
            {"configMap": {"name": "c", "items": [{"key": "b", "path": "b"}]}},
            {"downwardAPI": {"items": [{"path": "name", "fieldRef": {"fieldPath": "metadata.name"}}]}},
            {"serviceAccountToken": {"path": "token", "audience": "vault"}},
            {"serviceAccountToken": {"path": "token2", "expirationSeconds": 600}}]}},
        {"name": "csi", "csi": {"driver": "Secrets-Store.csi.k8s.io", "nodePublishSecretRef": {"name": "creds"}}},
        {"name": "eph", "ephemeral": {"volumeClaimTemplate": {
            "metadata": {"labels": {"type": "scratch"}, "annotations": {"a.io/b": "c"}, "creationTimestamp": None},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "fast-ssd", "volumeMode": "Filesystem",
                     "resources": {"requests": {"storage": "1Gi"}}}}}},
        {"name": "gated", "image": {"reference": "registry.example/data:1"}},
        {"name": "null-source", "emptyDir": None, "configMap": {"name": "c"}}]},
        container={"volumeMounts": [{"name": "scratch", "mountPath": "/s"}, {"name": "cm", "mountPath": "/c"}]}),
     (1, 37)),
    # Before 1.35 (ImageVolume off by default: beta off in 1.33 and 1.34) an image volume is
    # dropped with its mounts: nothing to report.
    ("image-volume-dropped-1.34", job(pod={"volumes": [
        {"name": "Bad_Name", "emptyDir": {}, "image": {"reference": "r", "pullPolicy": "always"}}]},
        container={"volumeMounts": [{"name": "Bad_Name", "mountPath": "/data"}]}), (1, 34)),
    ("annotations", _annotated({"kubernetes.io/config.mirror": "x",
                                "controller.kubernetes.io/pod-deletion-cost": "-2147483648",
                                "seccomp.security.alpha.kubernetes.io/pod": "runtime/default",
                                "container.seccomp.security.alpha.kubernetes.io/main": "localhost/profiles/a.json",
                                "container.apparmor.security.beta.kubernetes.io/main": "localhost/k8s-apparmor",
                                "container.apparmor.security.beta.kubernetes.io/init": ""},
                               pod={"nodeName": "node-1", "initContainers": [{"name": "init", "image": "busybox"}]}),
     (1, 37)),
    ("tolerations-annotation", _annotated({"scheduler.alpha.kubernetes.io/tolerations": json.dumps(
        [{"key": "dedicated", "operator": "Equal", "value": "batch", "effect": "NoSchedule"},
         {"operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60}])}), (1, 37)),
    ("deletion-costs", _annotated({"controller.kubernetes.io/pod-deletion-cost": "0"}), (1, 37)),
    ("deletion-cost-max", _annotated({"controller.kubernetes.io/pod-deletion-cost": "2147483647"}), (1, 37)),
    ("seccomp-field-agrees", _annotated(
        {"seccomp.security.alpha.kubernetes.io/pod": "docker/default",
         "container.seccomp.security.alpha.kubernetes.io/main": "localhost/a.json"},
        pod={"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}},
        container={"securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "a.json"}}}),
     (1, 37)),
    ("apparmor-field-agrees", _annotated(
        {"container.apparmor.security.beta.kubernetes.io/main": "localhost/mine"},
        container={"securityContext": {"appArmorProfile": {"type": "Localhost", "localhostProfile": "mine"}}}),
     (1, 37)),
    # The appArmorProfile field is dropped before 1.30: nothing to compare the annotation with.
    ("apparmor-field-dropped-1.29", _annotated(
        {"container.apparmor.security.beta.kubernetes.io/main": "unconfined"},
        pod={"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}}), (1, 29)),
    ("apparmor-windows-skipped", _annotated(
        {"container.apparmor.security.beta.kubernetes.io/main": "unconfined"},
        container={"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}}, pod={"os": {"name": "linux"}}),
     (1, 29)),
    ("sysctls-other-namespace", job(pod={"hostNetwork": True, "hostIPC": False, "securityContext": {"sysctls": [
        {"name": "kernel.shm_rmid_forced", "value": "1"}, {"name": "net/ipv4/ip_forward", "value": "1"}]}}),
     (1, 37)),
    ("sysctls-host-ipc-net", job(pod={"hostIPC": True, "securityContext": {"sysctls": [
        {"name": "net.ipv4.ping_group_range", "value": "0 1"}]}}), (1, 37)),
    ("sysctl-host-network-1.28", job(pod={"hostNetwork": True, "securityContext": {"sysctls": [
        {"name": "net.ipv4.ip_local_port_range", "value": "1024 65535"}]}}), (1, 28)),
    ("selinux-recursive", job(pod={"securityContext": {"seLinuxChangePolicy": "Recursive"}}), (1, 34)),
    # Before 1.33 the field is dropped (SELinuxChangePolicy off by default).
    ("selinux-dropped-1.32", job(pod={"os": {"name": "windows"},
                                      "securityContext": {"seLinuxChangePolicy": "MountOption"}}), (1, 32)),
    ("overhead", job(pod={"runtimeClassName": "kata", "overhead": {"cpu": "250m", "memory": "120Mi"}}), (1, 37)),
    ("host-aliases", job(pod={"hostAliases": [{"ip": "127.0.0.1", "hostnames": ["foo.local", "bar"]},
                                              {"ip": "2001:db8::1"}]}), (1, 37)),
    ("host-process", job(pod={"hostNetwork": True, "os": {"name": "windows"},
                              "securityContext": {"windowsOptions": {"hostProcess": True}},
                              "initContainers": [{"name": "init", "image": "busybox",
                                                  "securityContext": {"windowsOptions": {"hostProcess": True}}}]}),
     (1, 37)),
    ("host-process-false", job(container={"securityContext": {"windowsOptions": {"hostProcess": False}}}), (1, 37)),
    ("resource-claims", job(pod={"resourceClaims": [{"name": "gpu", "resourceClaimTemplateName": "gpu-template"},
                                                    {"name": "shared", "resourceClaimName": "shared-gpu"}]}), (1, 34)),
    # From 1.28 a template's hostPorts are not defaulted (kubernetes#117696): nothing to conflict.
    ("host-network-ports-1.28", HOST_NETWORK_PORTS, (1, 28)),
    ("host-network-ports-1.37", HOST_NETWORK_PORTS, (1, 37)),
    ("host-network-distinct-ports-1.27", job(pod={"hostNetwork": True, "initContainers": [
        {"name": "i", "image": "busybox", "ports": [{"containerPort": 80}]}]},
        container={"ports": [{"containerPort": 80}, {"containerPort": 80, "protocol": "UDP"}]}), (1, 27)),
    ("no-host-network-ports-1.27", job(pod={"containers": HOST_NETWORK_PORTS["spec"]["template"]["spec"][
        "containers"]}), (1, 27)),
    ("pod-requests-cover-aggregate", job(pod={"resources": {"requests": {"cpu": "2", "memory": "1280Mi"}},
                                              **{k: v for k, v in AGGREGATE["spec"]["template"]["spec"].items()
                                                 if k in ("containers", "initContainers")}}), (1, 37)),
    # PodLevelResources is off by default before 1.34: the field is dropped.
    ("pod-requests-below-aggregate-1.33", AGGREGATE, (1, 33)),
    # A resource only the containers request: the pod's would be "0" in the snapshot read, but the
    # fix of kubernetes#132449 is not read: silent.
    ("container-only-resource", job(pod={"resources": {"requests": {"cpu": "1"}}, "containers": [
        _req("a", {"cpu": "1", "memory": "1Gi", "ephemeral-storage": "1Gi"})]}), (1, 37)),
    # Containers with limits only: a template's requests are not defaulted from its limits.
    ("container-limits-only", job(pod={"resources": {"requests": {"cpu": "1"}}, "containers": [
        {"name": "a", "image": "busybox", "resources": {"limits": {"cpu": "1"}}},
        {"name": "b", "image": "busybox", "resources": {"limits": {"cpu": "1"}}}]}), (1, 37)),
    # DynamicResourceAllocation is off by default before 1.34: the field is dropped.
    ("resource-claims-dropped-1.33", job(pod={"resourceClaims": [{"name": "Bad"}]}), (1, 33)),
    ("affinity-label-keys", _affinity_term(labelSelector={"matchLabels": {"app": "x"}},
                                           matchLabelKeys=["pod-template-hash"], mismatchLabelKeys=["tenant"]),
     (1, 37)),
    ("pod-resources", job(pod={"resources": {"requests": {"cpu": "500m", "memory": "1Gi"},
                                             "limits": {"cpu": "1", "memory": "1Gi"}}},
                          container={"resources": {"limits": {"cpu": "1", "memory": "512Mi"}}}), (1, 34)),
    # PodLevelResources and DynamicResourceAllocation are off by default before 1.34: the fields are dropped.
    ("pod-resources-dropped-1.33", job(pod={"resources": {"claims": [{"name": "x"}], "requests": {"cpu": "2"},
                                                          "limits": {"cpu": "1"}}},
                                       container={"resources": {"claims": [{"name": "nowhere"}]}}), (1, 33)),
    ("container-claims", job(pod={"resourceClaims": [{"name": "gpu", "resourceClaimTemplateName": "t"}]},
                             container={"resources": {"claims": [{"name": "gpu", "request": "a"},
                                                                 {"name": "gpu", "request": "b"}]}}), (1, 34)),
    # MatchLabelKeysInPodAffinity is off by default before 1.31: the fields are dropped.
    ("affinity-label-keys-dropped-1.30", _affinity_term(matchLabelKeys=["bad key"]), (1, 30)),
    ("spread-label-keys-in-selector-once-1.34", _spread(labelSelector={"matchLabels": {"app": "x"}},
                                                        matchLabelKeys=["app"]), (1, 34)),
    # Named once in the selector: accepted for the template (each Pod gets the key merged in later).
    ("affinity-label-keys-in-selector-once", _affinity_term(labelSelector={"matchLabels": {"app": "x"}},
                                                            matchLabelKeys=["app"]), (1, 37)),
    ("affinity-label-keys-expression-twice-not-listed", _affinity_term(labelSelector=TWICE,
                                                                       matchLabelKeys=["tier"]), (1, 37)),
    ("affinity-label-keys-in-selector-twice-1.30", _affinity_term(labelSelector=TWICE, matchLabelKeys=["app"]),
     (1, 30)),
    ("node-affinity-values-1.32", _node_affinity(["gpu pool"]), (1, 32)),
    ("node-affinity-preferred-values", _node_affinity(["gpu pool"], preferred=True), (1, 37)),
    ("spread-label-keys", job(pod={"topologySpreadConstraints": [
        {"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
         "labelSelector": {"matchLabels": {"app": "x"}}, "matchLabelKeys": ["pod-template-hash"]}]}), (1, 37)),
]


@pytest.mark.parametrize("doc,version,expected", [c[1:] for c in FAILING], ids=[c[0] for c in FAILING])
def test_pod_level_rule_reports(doc, version, expected):
    assert sorted(hits(doc, version)) == sorted(expected)


@pytest.mark.parametrize("doc,version", [c[1:] for c in PASSING], ids=[c[0] for c in PASSING])
def test_pod_level_accepted(doc, version):
    assert hits(doc, version) == []


def test_a_volume_with_an_error_is_not_offered_to_mounts():
    doc = job(pod={"volumes": [{"name": "cfg", "configMap": {}}]},
              container={"volumeMounts": [{"name": "cfg", "mountPath": "/cfg"}]})
    assert sorted(hits(doc)) == [
        _one("containers[0].volumeMounts[0].name", 'Not found: "cfg"'),
        _one("volumes[0].configMap.name", "Required value"),
    ]


POSITIONS = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pos
spec:
  template:
    metadata:
      annotations:
        controller.kubernetes.io/pod-deletion-cost: "+1"
    spec:
      restartPolicy: Never
      hostNetwork: true
      securityContext:
        sysctls:
        - name: net.core.somaxconn
          value: "1024"
      hostAliases:
      - ip: "300.1.1.1"
      volumes:
      - name: logs
        hostPath:
          path: /var/../log
      - name: cfg
        configMap: {}
      containers:
      - name: main
        image: busybox
"""


def test_positions_are_the_field_or_the_missing_fields_parent():
    found = sorted((f.line, f.column, f.message.split(": ")[0]) for f in lint_text(POSITIONS) if f.rule == "JC103")
    assert found == [
        (9, 53, f"{A}[controller.kubernetes.io/pod-deletion-cost]"),
        (15, 17, f"{T}.securityContext.sysctls[0].name"),
        (18, 13, f"{T}.hostAliases[0].ip"),
        (22, 17, f"{T}.volumes[0].hostPath.path"),
        (24, 9, f"{T}.volumes[1].configMap.name"),  # missing: the parent key (configMap)
    ]


def test_what_a_kustomize_base_may_supply_is_marked_absent():
    """A patch (a partial object) is silent on hits marked absent: here every hit is about a
    field or an item the patch may leave to its base."""
    doc = job(
        template_meta={"annotations": {"kubernetes.io/config.mirror": "x",
                                       "container.apparmor.security.beta.kubernetes.io/base-only": "runtime/default"}},
        pod={"volumes": [{"name": "n", "nfs": {"server": "nas"}}],
             "resourceClaims": [{"name": "gpu"}],
             "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                                            "matchLabelKeys": ["app"]}],
             "initContainers": [{"name": "init", "image": "busybox"}]},
        container={"securityContext": {"windowsOptions": {"hostProcess": True}},
                   "resources": {"claims": [{"name": "tpu"}]}})
    found = [h for w in iter_workloads(doc) for h in validate_api(w, (1, 34))]
    assert len(found) == 9
    assert all(h.absent for h in found), [h.message for h in found if not h.absent]


def test_explicit_values_are_not_left_to_the_base():
    doc = job(pod={"hostNetwork": False, "volumes": [{"name": "n", "nfs": {"server": "nas", "path": "rel"}}]},
              container={"securityContext": {"windowsOptions": {"hostProcess": True}}})
    found = {h.message.split(": ")[0]: h.absent for w in iter_workloads(doc) for h in validate_api(w, (1, 37))}
    assert found == {f"{T}.hostNetwork": False, f"{T}.volumes[0].nfs.path": False}


def test_unhashable_values_where_names_are_expected_do_not_crash():
    """Regressions (fuzzing): a list as a downward fieldPath or as a resource claim name."""
    assert hits(_vol(downwardAPI={"items": [{"path": "x", "fieldRef": {"fieldPath": ["spec.nodeName"]}}]})) == []
    doc = job(pod={"resourceClaims": [{"name": ["gpu"], "resourceClaimName": "c"}]},
              container={"resources": {"claims": [{"name": "gpu"}]}})
    assert hits(doc, (1, 34)) == [_one(
        "containers[0].resources.claims[0]",
        'Not found: "gpu": must be one of the names in pod.spec.resourceClaims which is empty',
        at="containers[0].resources.claims[0].name")]


HOST_PORTS_YAML = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: agent
spec:
  template:
    spec:
      restartPolicy: Never
      hostNetwork: true
      containers:
        - name: a
          image: busybox
          ports:
            - containerPort: 9100
        - name: b
          image: busybox
          ports:
            - name: metrics
              containerPort: 9100
"""


def test_defaulted_host_port_conflict_is_reported_at_the_port():
    """1.27 defaults the hostPort the manifest leaves out: the hit sits on the port item."""
    from jobcheck.config import Config
    from jobcheck.lint.engine import build_options

    def found(version: str) -> list:
        options = build_options(Config(select=("JC103",)), kubernetes_version=version)
        return [(f.line, f.column, f.message) for f in lint_text(HOST_PORTS_YAML, "t.yaml", options=options)]

    assert found("1.27") == [(18, 15, f'{T}.containers[1].ports[0].hostPort: Duplicate value: "TCP//9100"')]
    assert found("1.28") == []


AGGREGATE_YAML = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: sized
spec:
  template:
    spec:
      restartPolicy: Never
      resources:
        requests:
          memory: 256Mi
      containers:
        - name: a
          image: busybox
          resources:
            requests:
              memory: 200Mi
        - name: b
          image: busybox
          resources:
            requests:
              memory: 100Mi
"""


def test_pod_request_below_aggregate_is_reported_at_the_pod_request():
    from jobcheck.config import Config
    from jobcheck.lint.engine import build_options

    def found(version: str) -> list:
        options = build_options(Config(select=("JC103", "JC104")), kubernetes_version=version)
        return [(f.line, f.column, f.rule, f.message)
                for f in lint_text(AGGREGATE_YAML, "t.yaml", options=options)]

    assert found("1.34") == [(11, 19, "JC103", f'{T}.resources.requests[memory]: Invalid value: "256Mi": must be '
                              "greater than or equal to aggregate container requests of 300Mi")]
    assert [f[2] for f in found("1.33")] == ["JC104"]  # dropped while PodLevelResources is off


AFFINITY_TWICE_YAML = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: spread
spec:
  template:
    spec:
      restartPolicy: Never
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: kubernetes.io/hostname
              matchLabelKeys: [app]
              labelSelector:
                matchLabels: {app: x}
                matchExpressions:
                  - {key: app, operator: Exists}
      containers:
        - name: a
          image: busybox
"""


def test_label_key_named_twice_is_reported_at_the_match_label_key():
    from jobcheck.config import Config
    from jobcheck.lint.engine import build_options

    options = build_options(Config(select=("JC103",)), kubernetes_version="1.37")
    found = [(f.line, f.column, f.message) for f in lint_text(AFFINITY_TWICE_YAML, "t.yaml", options=options)]
    assert found == [(13, 32, f"{T}.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0][0]: "
                              'Invalid value: "app": exists in both matchLabelKeys and labelSelector')]
