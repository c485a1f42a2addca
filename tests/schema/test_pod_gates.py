"""JC104 for pod-template fields behind a feature gate that is off by default, and the gate table itself.

The table (jobcheck/kube/gates.py) is checked against the shipped schemas and against the list of
fields the API server drops while a gate is off (``dropDisabledFields``, pkg/api/pod/util.go), written
down below as data. The behaviour is checked end to end: each gated field in a manifest, linted for
a release where its gate is off (JC104 at the field's key, with the exact message) and for the first
release where it is on (no JC104).
"""

from __future__ import annotations

import json
import textwrap
from functools import cache

import pytest

from jobcheck.config import Config
from jobcheck.data import data_dir
from jobcheck.kube import fieldversions, gates
from jobcheck.kube.apiserver import podfacts
from jobcheck.kube.versions import SUPPORTED_VERSIONS
from jobcheck.lint.engine import build_options, lint_text

SCHEMAS = data_dir("schemas")
C = "io.k8s.api.core.v1."


@cache
def definitions(version: str) -> dict:
    return json.loads((SCHEMAS / f"v{version}" / "job.json").read_text())["$defs"]


def has(version: str, definition: str, field: str) -> bool:
    return field in definitions(version).get(definition, {}).get("properties", {})


def rel(version: str) -> tuple[int, int]:
    return gates.release(version)


# ---------------------------------------------------------------------------
# The table, checked against the schemas and the sources

# What dropDisabledFields (pkg/api/pod/util.go, kubernetes/kubernetes, 1.35 snapshot) drops while
# a gate is off, as (definition, v1 field, gate). hostUsers sits in the internal SecurityContext
# but in the v1 PodSpec. Ephemeral containers are left out: a pod template cannot have them.
DROPPED_BY_DROP_DISABLED_FIELDS = (
    (C + "PodSpec", "hostUsers", "UserNamespacesSupport"),
    (C + "PodSecurityContext", "supplementalGroupsPolicy", "SupplementalGroupsPolicy"),
    (C + "PodSpec", "resources", "PodLevelResources"),  # dropDisabledPodLevelResources
    (C + "SecurityContext", "procMount", "ProcMountType"),  # dropDisabledProcMountField (reset to Default)
    (C + "TopologySpreadConstraint", "nodeTaintsPolicy", "NodeInclusionPolicyInPodTopologySpread"),
    (C + "TopologySpreadConstraint", "nodeAffinityPolicy", "NodeInclusionPolicyInPodTopologySpread"),
    (C + "TopologySpreadConstraint", "matchLabelKeys", "MatchLabelKeysInPodTopologySpread"),
    (C + "PodAffinityTerm", "matchLabelKeys", "MatchLabelKeysInPodAffinity"),
    (C + "PodAffinityTerm", "mismatchLabelKeys", "MatchLabelKeysInPodAffinity"),
    (C + "PodSpec", "resourceClaims", "DynamicResourceAllocation"),
    (C + "ResourceRequirements", "claims", "DynamicResourceAllocation"),
    (C + "VolumeProjection", "clusterTrustBundle", "ClusterTrustBundleProjection"),
    (C + "VolumeProjection", "podCertificate", "PodCertificateRequest"),
    (C + "PodSpec", "workloadRef", "GenericWorkload"),  # dropDisabledWorkloadRef
    (C + "Container", "resizePolicy", "InPlacePodVerticalScaling"),
    (C + "Container", "restartPolicy", "SidecarContainers"),  # init containers
    (C + "Container", "restartPolicy", "ContainerRestartRules"),  # dropContainerRestartRules
    (C + "Container", "restartPolicyRules", "ContainerRestartRules"),
    (C + "VolumeMount", "recursiveReadOnly", "RecursiveReadOnlyMounts"),
    (C + "PodSpec", "hostnameOverride", "HostnameOverride"),
    (C + "EnvVarSource", "fileKeyRef", "EnvFiles"),  # dropFileKeyRefInUse
    (C + "LifecycleHandler", "sleep", "PodLifecycleSleepAction"),  # dropPodLifecycleSleepAction
    (C + "Volume", "image", "ImageVolume"),  # dropImageVolumes (and the mounts naming them)
    (C + "PodSecurityContext", "seLinuxChangePolicy", "SELinuxChangePolicy"),  # dropSELinuxChangePolicy
    (C + "Lifecycle", "stopSignal", "ContainerStopSignals"),  # dropContainerStopSignals
    # Older snapshots (1.27): probes' terminationGracePeriodSeconds, schedulingGates, minDomains.
    (C + "Probe", "terminationGracePeriodSeconds", "ProbeTerminationGracePeriod"),
    (C + "PodSpec", "schedulingGates", "PodSchedulingReadiness"),
    (C + "TopologySpreadConstraint", "minDomains", "MinDomainsInPodTopologySpread"),
)


def test_every_dropped_field_in_a_supported_schema_is_in_the_table():
    table = {(e.definition, e.field, e.gate) for e in gates.GATED}
    for definition, field, gate in DROPPED_BY_DROP_DISABLED_FIELDS:
        if any(has(v, definition, field) for v in SUPPORTED_VERSIONS):
            assert (definition, field, gate) in table, (definition, field, gate)


# Fields first served in 1.37 and the gate their 1.37 OpenAPI description names ("requires the
# <gate> feature gate"). Their drop functions are newer than the util.go snapshot read, so the
# gate comes from the description (and the kubernetes.io page of the feature), not from util.go.
NEW_IN_1_37_GATES = {
    (C + "EmptyDirVolumeSource", "mode"): "EmptyDirVolumeMode",
    (C + "VolumeMount", "bindMountOptions"): "VolumeBindMountOptions",
    (C + "SecretVolumeSource", "defaultUser"): "AtomicWriteVolumeUserFields",
    (C + "ConfigMapVolumeSource", "defaultUser"): "AtomicWriteVolumeUserFields",
    (C + "DownwardAPIVolumeSource", "defaultUser"): "AtomicWriteVolumeUserFields",
    (C + "ProjectedVolumeSource", "defaultUser"): "AtomicWriteVolumeUserFields",
    (C + "KeyToPath", "user"): "AtomicWriteVolumeUserFields",
    (C + "DownwardAPIVolumeFile", "user"): "AtomicWriteVolumeUserFields",
    (C + "ClusterTrustBundleProjection", "user"): "AtomicWriteVolumeUserFields",
    (C + "PodCertificateProjection", "user"): "AtomicWriteVolumeUserFields",
    (C + "ServiceAccountTokenProjection", "user"): "AtomicWriteVolumeUserFields",
}
NEW_IN_1_37 = tuple(NEW_IN_1_37_GATES)
# Pod-template fields first served in 1.36/1.37 whose gate or stage is not pinned by a stored
# source: left out of the table on purpose (see docs/pod-validation-coverage.md).
NOT_PINNED = (
    (C + "PodSpec", "evictionResponders"),  # EvictionRequestAPI: stage not in a stored kube_features.go
    (C + "GRPCAction", "mode"),  # no gate named anywhere read
    (C + "HTTPGetAction", "protocol"),  # no gate named anywhere read
)


def test_new_fields_are_in_the_table_with_their_gate():
    table = {(e.definition, e.field): e.gate for e in gates.GATED}
    for key, gate in NEW_IN_1_37_GATES.items():
        assert table.get(key) == gate, key
    assert table.get((C + "PodSpec", "schedulingGroup")) == "GenericWorkload"
    for key in NOT_PINNED:
        assert key not in table, key


def test_new_fields_gates_match_the_openapi_descriptions():
    # The published 1.37 OpenAPI (kubernetes-validate, a dev dependency) keeps the field
    # descriptions the bundled schemas strip: each names the gate the table gives.
    kv = pytest.importorskip("kubernetes_validate")
    from pathlib import Path

    root = Path(kv.__file__).parent / "kubernetes-json-schema" / "v1.37.0-local-strict"
    if not root.is_dir():
        pytest.skip("no 1.37 schemas in this kubernetes-validate")
    for (definition, field), gate in NEW_IN_1_37_GATES.items():
        name = definition.rsplit(".", 1)[1].lower()
        doc = json.loads((root / f"{name}-v1.json").read_text())
        text = doc["properties"][field]["description"]
        assert "requires" in text and (f"{gate} feature gate" in text or f"{gate} featuregate" in text), (name, field)
        assert "alpha" in text.lower(), (name, field)
    for definition, field in NOT_PINNED:
        name = definition.rsplit(".", 1)[1].lower()
        text = json.loads((root / f"{name}-v1.json").read_text())["properties"][field].get("description", "")
        assert "feature gate" not in text and "featuregate" not in text, (name, field)


def test_every_gate_has_stages_and_one_end():
    for entry in gates.GATED:
        assert entry.gate in gates.STAGES, entry.gate
    for name, stage in gates.STAGES.items():
        on = podfacts.ON_BY_DEFAULT.get(name)
        assert (on is None) != (stage.off_through is None), f"{name}: on by default from, or checked up to"
        if stage.beta_off is not None:
            assert stage.alpha < stage.beta_off, name
        if on is not None:
            assert stage.alpha < on and (stage.beta_off is None or stage.beta_off < on), name
        else:
            assert stage.alpha <= stage.off_through, name


def test_the_gate_table_feeds_gate_on():
    # The pod validation (gate_on) and JC104 (stage_in) read one dict: they cannot disagree.
    for name in gates.STAGES:
        for version in SUPPORTED_VERSIONS:
            if gates.stage_in(name, version) is not None:
                assert not podfacts.gate_on(name, rel(version)), (name, version)
            elif podfacts.ON_BY_DEFAULT.get(name) is not None and rel(version) >= gates.STAGES[name].alpha:
                assert podfacts.gate_on(name, rel(version)), (name, version)


@pytest.mark.parametrize("gate", fieldversions.GATES, ids=lambda g: f"{g.gate}.{g.field}")
def test_gated_field_is_in_the_schema_where_the_gate_is_off(gate):
    assert any(gate.definition in definitions(v) for v in SUPPORTED_VERSIONS), gate.definition
    assert any(has(v, gate.definition, gate.field) for v in SUPPORTED_VERSIONS), gate.field
    for version in gate.alpha:
        assert has(version, gate.definition, gate.field), version
    served = [v for v in SUPPORTED_VERSIONS if has(v, gate.definition, gate.field)]
    on = podfacts.ON_BY_DEFAULT.get(gate.gate)
    if on is not None and served and rel(served[0]) > rel(SUPPORTED_VERSIONS[0]):
        # A field new in the supported range is never on by default before its schema has it.
        assert on >= rel(served[0]), (gate.gate, served[0])
    if on is not None and rel(SUPPORTED_VERSIONS[0]) <= on <= rel(SUPPORTED_VERSIONS[-1]):
        assert has(f"{on[0]}.{on[1]}", gate.definition, gate.field)


def test_schema_facts_the_windows_rest_on():
    assert not has("1.31", C + "PodSpec", "resources") and has("1.32", C + "PodSpec", "resources")
    assert not has("1.30", C + "Volume", "image") and has("1.31", C + "Volume", "image")
    assert not has("1.33", C + "Container", "restartPolicyRules") and has("1.34", C + "Container", "restartPolicyRules")
    assert has("1.27", C + "Container", "resizePolicy") and has("1.27", C + "SecurityContext", "procMount")
    assert has("1.35", C + "PodSpec", "workloadRef") and not has("1.36", C + "PodSpec", "workloadRef")
    assert not has("1.35", C + "PodSpec", "schedulingGroup") and has("1.36", C + "PodSpec", "schedulingGroup")
    for definition, field in NEW_IN_1_37:
        assert not has("1.36", definition, field) and has("1.37", definition, field), (definition, field)


def test_derived_off_windows():
    by = {(g.gate, g.field): g.alpha for g in fieldversions.GATES}
    assert by[("PodLevelResources", "resources")] == ("1.32", "1.33")
    assert by[("ImageVolume", "image")] == ("1.31", "1.32", "1.33", "1.34")
    assert by[("ProcMountType", "procMount")] == ("1.27", "1.28", "1.29", "1.30", "1.31", "1.32")
    assert by[("ContainerStopSignals", "stopSignal")] == ("1.33", "1.34", "1.35")  # 1.36+: not checked
    assert by[("MinDomainsInPodTopologySpread", "minDomains")] == ()  # on in every supported release
    assert gates.stage_in("ImageVolume", "1.32") == "alpha"
    assert gates.stage_in("ImageVolume", "1.33") == "beta"
    assert gates.stage_in("ImageVolume", "1.35") is None
    assert gates.stage_in("ContainerStopSignals", "1.36") is None
    assert by[("GenericWorkload", "workloadRef")] == ("1.35",)  # the schema drops it in 1.36
    assert by[("GenericWorkload", "schedulingGroup")] == ("1.36", "1.37")
    assert [gates.stage_in("GenericWorkload", v) for v in ("1.34", "1.35", "1.36", "1.37")] == [
        None, "alpha", "alpha", "beta"]
    for gate in ("EmptyDirVolumeMode", "VolumeBindMountOptions", "AtomicWriteVolumeUserFields"):
        assert [gates.stage_in(gate, v) for v in ("1.36", "1.37")] == [None, "alpha"], gate
    assert by[("AtomicWriteVolumeUserFields", "user")] == ("1.37",)
    assert by[("ImageVolume", "name")] == ("1.31", "1.32", "1.33", "1.34")  # the mounts of an image volume


# ---------------------------------------------------------------------------
# JC104 end to end

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: gated
spec:
  template:
    spec:
      restartPolicy: Never
{pod}"""

MAIN = """\
containers:
  - name: main
    image: busybox
"""


def manifest(pod: str, with_main: bool = True) -> str:
    body = textwrap.dedent(pod) + (MAIN if with_main else "")
    return JOB.format(pod=textwrap.indent(body, "      "))


def jc104(text: str, version: str) -> list:
    options = build_options(Config(select=("ALL",)), kubernetes_version=version)
    return [f for f in lint_text(text, "gated.yaml", options=options) if f.rule == "JC104"]


def position(text: str, key: str) -> tuple[int, int]:
    """Line and column of the key on the line marked ``# here``."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.rstrip().endswith("# here"):
            return number, line.index(key) + 1
    raise AssertionError("no # here marker")


def served(version: str, name: str, stage: str, gate: str, tail: str, effect: str = "silently drops it") -> str:
    return (
        f"{name} is served by Kubernetes {version} only behind the {stage} {gate} gate, off by default; "
        f"the API server {effect}. {tail}"
    )


P = "spec.template.spec."

# name, pod fragment, key, version where off, message there, version where on (None: no such release)
CASES = [
    ("hostUsers", "hostUsers: false  # here\n", "hostUsers", "1.32",
     served("1.32", P + 'hostUsers: "false"', "beta", "UserNamespacesSupport", "It is on by default from 1.33."),
     "1.33"),
    ("hostUsers-alpha", "hostUsers: false  # here\n", "hostUsers", "1.29",
     served("1.29", P + 'hostUsers: "false"', "alpha", "UserNamespacesSupport", "It is on by default from 1.33."),
     "1.33"),
    ("hostUsers-1.27", "hostUsers: false  # here\n", "hostUsers", "1.27",
     served("1.27", P + 'hostUsers: "false"', "alpha", "UserNamespacesStatelessPodsSupport",
            "It is on by default from 1.33."), "1.33"),
    ("pod-resources", "resources:  # here\n  limits:\n    cpu: '1'\n", "resources", "1.33",
     served("1.33", P + "resources", "alpha", "PodLevelResources", "It is on by default from 1.34."), "1.34"),
    ("hostnameOverride", "hostnameOverride: worker.example.com  # here\n", "hostnameOverride", "1.34",
     served("1.34", P + "hostnameOverride", "alpha", "HostnameOverride", "It is on by default from 1.35."), "1.35"),
    ("resourceClaims", "resourceClaims:  # here\n  - name: gpu\n    resourceClaimName: gpu-claim\n",
     "resourceClaims", "1.33",
     served("1.33", P + "resourceClaims", "beta", "DynamicResourceAllocation", "It is on by default from 1.34."),
     "1.34"),
    ("workloadRef", "workloadRef:  # here\n  name: w\n  podGroup: g\n", "workloadRef", "1.35",
     served("1.35", P + "workloadRef", "alpha", "GenericWorkload",
            "It is not on by default in any supported release."), None),
    ("supplementalGroupsPolicy", "securityContext:\n  supplementalGroupsPolicy: Strict  # here\n",
     "supplementalGroupsPolicy", "1.32",
     served("1.32", P + "securityContext.supplementalGroupsPolicy", "alpha", "SupplementalGroupsPolicy",
            "It is on by default from 1.33."), "1.33"),
    ("seLinuxChangePolicy", "securityContext:\n  seLinuxChangePolicy: MountOption  # here\n",
     "seLinuxChangePolicy", "1.32",
     served("1.32", P + "securityContext.seLinuxChangePolicy", "alpha", "SELinuxChangePolicy",
            "It is on by default from 1.33."), "1.33"),
    ("resizePolicy",
     MAIN + "    resizePolicy:  # here\n      - resourceName: cpu\n        restartPolicy: NotRequired\n",
     "resizePolicy", "1.32",
     served("1.32", P + "containers[0].resizePolicy", "alpha", "InPlacePodVerticalScaling",
            "It is on by default from 1.33."), "1.33"),
    ("sidecar-restartPolicy",
     "initContainers:\n  - name: proxy\n    image: envoy\n    restartPolicy: Always  # here\n",
     "restartPolicy", "1.28",
     served("1.28", P + "initContainers[0].restartPolicy", "alpha", "SidecarContainers",
            "It is on by default from 1.29."), "1.29"),
    ("init-restartPolicy-never",
     "initContainers:\n  - name: setup\n    image: busybox\n    restartPolicy: Never  # here\n",
     "restartPolicy", "1.34",
     served("1.34", P + 'initContainers[0].restartPolicy: "Never"', "alpha", "ContainerRestartRules",
            "It is on by default from 1.35."), "1.35"),
    ("container-restartPolicy", MAIN + "    restartPolicy: Never  # here\n", "restartPolicy", "1.34",
     served("1.34", P + "containers[0].restartPolicy", "alpha", "ContainerRestartRules",
            "It is on by default from 1.35."), "1.35"),
    ("restartPolicyRules",
     MAIN + "    restartPolicyRules:  # here\n      - action: Restart\n"
     "        exitCodes:\n          operator: In\n          values: [42]\n",
     "restartPolicyRules", "1.34",
     served("1.34", P + "containers[0].restartPolicyRules", "alpha", "ContainerRestartRules",
            "It is on by default from 1.35."), "1.35"),
    ("procMount", MAIN + "    securityContext:\n      procMount: Unmasked  # here\n", "procMount", "1.32",
     served("1.32", P + 'containers[0].securityContext.procMount: "Unmasked"', "beta", "ProcMountType",
            "It is on by default from 1.33.", effect="silently replaces it with Default"), "1.33"),
    ("stopSignal", MAIN + "    lifecycle:\n      stopSignal: SIGUSR1  # here\n", "stopSignal", "1.33",
     served("1.33", P + "containers[0].lifecycle.stopSignal", "alpha", "ContainerStopSignals",
            "It is not on by default in any release up to 1.35."), None),
    ("sleep", MAIN + "    lifecycle:\n      preStop:\n        sleep:  # here\n          seconds: 5\n", "sleep",
     "1.29",
     served("1.29", P + "containers[0].lifecycle.preStop.sleep", "alpha", "PodLifecycleSleepAction",
            "It is on by default from 1.30."), "1.30"),
    ("fileKeyRef",
     MAIN + "    env:\n      - name: TOKEN\n        valueFrom:\n          fileKeyRef:  # here\n"
     "            volumeName: config\n            path: env.txt\n            key: TOKEN\n",
     "fileKeyRef", "1.34",
     served("1.34", P + "containers[0].env[0].valueFrom.fileKeyRef", "alpha", "EnvFiles",
            "It is on by default from 1.35."), "1.35"),
    ("recursiveReadOnly",
     "volumes:\n  - name: data\n    emptyDir: {}\n" + MAIN
     + "    volumeMounts:\n      - name: data\n        mountPath: /data\n        readOnly: true\n"
     "        recursiveReadOnly: IfPossible  # here\n",
     "recursiveReadOnly", "1.30",
     served("1.30", P + "containers[0].volumeMounts[0].recursiveReadOnly", "alpha", "RecursiveReadOnlyMounts",
            "It is on by default from 1.31."), "1.31"),
    ("resources-claims", MAIN + "    resources:\n      claims:  # here\n        - name: gpu\n", "claims", "1.31",
     served("1.31", P + "containers[0].resources.claims", "alpha", "DynamicResourceAllocation",
            "It is on by default from 1.34."), "1.34"),
    ("image-volume", "volumes:\n  - name: tools\n    image:  # here\n      reference: quay.io/tools/kit:1.0\n",
     "image", "1.34",
     served("1.34", P + "volumes[0].image", "beta", "ImageVolume", "It is on by default from 1.35.",
            effect="silently drops the volume and its mounts"), "1.35"),
    ("clusterTrustBundle",
     "volumes:\n  - name: trust\n    projected:\n      sources:\n        - clusterTrustBundle:  # here\n"
     "            signerName: example.com/signer\n            path: ca.pem\n",
     "clusterTrustBundle", "1.35",
     served("1.35", P + "volumes[0].projected.sources[0].clusterTrustBundle", "beta",
            "ClusterTrustBundleProjection", "It is not on by default in any release up to 1.35."), None),
    ("podCertificate",
     "volumes:\n  - name: cert\n    projected:\n      sources:\n        - podCertificate:  # here\n"
     "            signerName: example.com/signer\n            keyType: ED25519\n",
     "podCertificate", "1.34",
     served("1.34", P + "volumes[0].projected.sources[0].podCertificate", "alpha", "PodCertificateRequest",
            "It is not on by default in any release up to 1.35."), None),
    ("pod-affinity-matchLabelKeys",
     "affinity:\n  podAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n"
     "      - topologyKey: zone\n        labelSelector:\n          matchLabels: {app: web}\n"
     "        matchLabelKeys: [pod-template-hash]  # here\n",
     "matchLabelKeys", "1.30",
     served("1.30", P + "affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].matchLabelKeys",
            "alpha", "MatchLabelKeysInPodAffinity", "It is on by default from 1.31."), "1.31"),
    ("pod-anti-affinity-mismatchLabelKeys",
     "affinity:\n  podAntiAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n"
     "      - weight: 10\n        podAffinityTerm:\n          topologyKey: zone\n"
     "          labelSelector:\n            matchLabels: {app: web}\n"
     "          mismatchLabelKeys: [tenant]  # here\n",
     "mismatchLabelKeys", "1.29",
     served("1.29", P + "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]."
            "podAffinityTerm.mismatchLabelKeys", "alpha", "MatchLabelKeysInPodAffinity",
            "It is on by default from 1.31."), "1.31"),
]

NONE = "It is not on by default in any supported release."
IGNORES = "ignores it"
MOUNT = "silently drops this mount with the volume"
IMAGE = "volumes:\n  - name: tools\n    image:\n      reference: quay.io/tools/kit:1.0\n"


def mount_named(name: str, version: str, stage: str, container: str) -> str:
    return (
        f'{P}{container}.volumeMounts[0].name: "{name}" names an image volume, which Kubernetes {version} serves '
        f"only behind the {stage} ImageVolume gate, off by default; the API server {MOUNT}. "
        "It is on by default from 1.35."
    )


# Fields first served in 1.36/1.37, and the mounts of an image volume.
CASES += [
    ("schedulingGroup-alpha", "schedulingGroup:  # here\n  podGroupName: workers\n", "schedulingGroup", "1.36",
     served("1.36", P + "schedulingGroup", "alpha", "GenericWorkload", NONE, IGNORES), None),
    ("schedulingGroup-beta", "schedulingGroup:  # here\n  podGroupName: workers\n", "schedulingGroup", "1.37",
     served("1.37", P + "schedulingGroup", "beta", "GenericWorkload", NONE, IGNORES), None),
    ("emptyDir-mode", "volumes:\n  - name: tmp\n    emptyDir:\n      mode: 1023  # here\n", "mode", "1.37",
     served("1.37", P + "volumes[0].emptyDir.mode", "alpha", "EmptyDirVolumeMode", NONE, IGNORES), None),
    ("bindMountOptions",
     "volumes:\n  - name: tmp\n    emptyDir: {}\n" + MAIN
     + "    volumeMounts:\n      - name: tmp\n        mountPath: /tmp\n        bindMountOptions: [noexec]  # here\n",
     "bindMountOptions", "1.37",
     served("1.37", P + "containers[0].volumeMounts[0].bindMountOptions", "alpha", "VolumeBindMountOptions", NONE,
            IGNORES), None),
    ("secret-defaultUser", "volumes:\n  - name: s\n    secret:\n      secretName: s\n      defaultUser: 1000  # here\n",
     "defaultUser", "1.37",
     served("1.37", P + "volumes[0].secret.defaultUser", "alpha", "AtomicWriteVolumeUserFields", NONE, IGNORES), None),
    ("configMap-defaultUser", "volumes:\n  - name: c\n    configMap:\n      name: c\n      defaultUser: 1000  # here\n",
     "defaultUser", "1.37",
     served("1.37", P + "volumes[0].configMap.defaultUser", "alpha", "AtomicWriteVolumeUserFields", NONE, IGNORES),
     None),
    ("downwardAPI-defaultUser", "volumes:\n  - name: d\n    downwardAPI:\n      defaultUser: 1000  # here\n",
     "defaultUser", "1.37",
     served("1.37", P + "volumes[0].downwardAPI.defaultUser", "alpha", "AtomicWriteVolumeUserFields", NONE, IGNORES),
     None),
    ("projected-defaultUser", "volumes:\n  - name: p\n    projected:\n      defaultUser: 1000  # here\n      sources: []\n",
     "defaultUser", "1.37",
     served("1.37", P + "volumes[0].projected.defaultUser", "alpha", "AtomicWriteVolumeUserFields", NONE, IGNORES),
     None),
    ("secret-item-user",
     "volumes:\n  - name: s\n    secret:\n      secretName: s\n      items:\n        - key: k\n          path: k\n"
     "          user: 1000  # here\n",
     "user", "1.37",
     served("1.37", P + "volumes[0].secret.items[0].user", "alpha", "AtomicWriteVolumeUserFields", NONE, IGNORES),
     None),
    ("downwardAPI-item-user",
     "volumes:\n  - name: d\n    downwardAPI:\n      items:\n        - path: labels\n"
     "          fieldRef: {fieldPath: metadata.labels}\n          user: 1000  # here\n",
     "user", "1.37",
     served("1.37", P + "volumes[0].downwardAPI.items[0].user", "alpha", "AtomicWriteVolumeUserFields", NONE,
            IGNORES), None),
    ("projected-configMap-item-user",
     "volumes:\n  - name: p\n    projected:\n      sources:\n        - configMap:\n            name: c\n"
     "            items:\n              - key: k\n                path: k\n                user: 1000  # here\n",
     "user", "1.37",
     served("1.37", P + "volumes[0].projected.sources[0].configMap.items[0].user", "alpha",
            "AtomicWriteVolumeUserFields", NONE, IGNORES), None),
    ("serviceAccountToken-user",
     "volumes:\n  - name: p\n    projected:\n      sources:\n        - serviceAccountToken:\n"
     "            path: token\n            user: 1000  # here\n",
     "user", "1.37",
     served("1.37", P + "volumes[0].projected.sources[0].serviceAccountToken.user", "alpha",
            "AtomicWriteVolumeUserFields", NONE, IGNORES), None),
]


def _with_main(pod: str) -> bool:
    return "containers:" not in pod


@pytest.mark.parametrize("name, pod, key, off, message, on", CASES, ids=[c[0] for c in CASES])
def test_gated_pod_field(name, pod, key, off, message, on):
    text = manifest(pod, _with_main(pod))
    line, column = position(text, key)
    found = jc104(text, off)
    assert [(f.line, f.column, f.message) for f in found] == [(line, column, message)]
    assert found[0].field == message.split(" ")[0].removesuffix(":"), found[0].field
    if on is not None:
        assert jc104(text, on) == [], on


@pytest.mark.parametrize(
    "pod, version",
    [
        ("hostUsers: true\n", "1.32"),  # the default: dropping it changes nothing
        ("hostUsers: 'false'\n", "1.32"),  # a string: the schema's finding (JC102), not a gate's
        (MAIN + "    securityContext:\n      procMount: Default\n", "1.30"),  # the value it is reset to
        ("initContainers:\n  - name: proxy\n    image: envoy\n    restartPolicy: Always\n", "1.34"),  # a sidecar
        (MAIN + "    restartPolicy: Never\n", "1.33"),  # before ContainerRestartRules existed: JC103's call
        ("resources: {}\n", "1.32"),  # empty: nothing is lost
        ("resources: null\n", "1.33"),
        (MAIN + "    lifecycle:\n      stopSignal: SIGUSR1\n", "1.36"),  # not checked after 1.35: say nothing
        ("topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: zone\n    whenUnsatisfiable: DoNotSchedule\n"
         "    minDomains: 2\n    labelSelector:\n      matchLabels: {app: web}\n", "1.27"),  # on in every release
    ],
    ids=["hostUsers-true", "hostUsers-string", "procMount-default", "sidecar-1.34", "container-restartPolicy-1.33", "empty",
         "null", "stopSignal-1.36", "minDomains"],
)
def test_not_reported(pod, version):
    text = manifest(pod, _with_main(pod))
    assert [(f.line, f.message) for f in jc104(text, version)] == []


@pytest.mark.parametrize(
    "pod, version, stage, container",
    [
        (IMAGE + MAIN + "    volumeMounts:\n      - name: tools  # here\n        mountPath: /tools\n",
         "1.34", "beta", "containers[0]"),
        (IMAGE + "initContainers:\n  - name: setup\n    image: busybox\n    volumeMounts:\n"
         "      - name: tools  # here\n        mountPath: /tools\n" + MAIN, "1.32", "alpha", "initContainers[0]"),
    ],
    ids=["container", "init-container"],
)
def test_mount_of_an_image_volume(pod, version, stage, container):
    # dropImageVolumes drops the image volume and every init and regular container's mount naming it.
    text = manifest(pod, with_main=False)
    line, column = position(text, "name")
    volume, mount = jc104(text, version)
    assert volume.message.startswith(P + "volumes[0].image is served by Kubernetes")
    assert (mount.line, mount.column, mount.message) == (line, column, mount_named("tools", version, stage, container))
    assert mount.field == P + container + ".volumeMounts[0].name"
    assert jc104(text, "1.35") == []
    # 1.30 has no image volumes at all: the schema's finding on the volume only, no gate on the mount.
    assert [f.field for f in jc104(text, "1.30")] == [P + "volumes[0].image"]


def test_mount_of_another_volume_is_not_reported():
    # Regression: a volume whose name is a list (unhashable) must not crash the set of image volume names.
    pod = (IMAGE + "  - name: data\n    emptyDir: {}\n  - name: [tools]\n    image: {reference: x}\n" + MAIN
           + "    volumeMounts:\n      - name: data\n        mountPath: /data\n"
           "      - name: [tools]\n        mountPath: /odd\n")
    found = jc104(manifest(pod, with_main=False), "1.34")
    assert [f.field for f in found] == [P + "volumes[0].image", P + "volumes[2].image"]


@pytest.mark.parametrize(
    "pod, version",
    [
        ("schedulingGroup: null\n", "1.37"),
        ("schedulingGroup: {}\n", "1.36"),
        ("volumes:\n  - name: tmp\n    emptyDir: {}\n", "1.37"),  # no mode: nothing to ignore
        ("volumes:\n  - name: tmp\n    emptyDir:\n      mode: null\n", "1.37"),
        ("volumes:\n  - name: tmp\n    emptyDir: {}\n" + MAIN
         + "    volumeMounts:\n      - name: tmp\n        mountPath: /tmp\n        bindMountOptions: []\n", "1.37"),
        ("volumes:\n  - name: s\n    secret:\n      secretName: s\n      items:\n        - key: k\n          path: k\n",
         "1.37"),
    ],
    ids=["schedulingGroup-null", "schedulingGroup-empty", "emptyDir-no-mode", "mode-null", "bindMountOptions-empty",
         "items-without-user"],
)
def test_new_fields_not_reported_when_unset(pod, version):
    assert jc104(manifest(pod, _with_main(pod)), version) == []


def test_new_fields_before_their_release_say_the_gate():
    # Not in the 1.36 schema: the schema's JC104, whose note names the gate the 1.37 field sits behind.
    text = manifest("volumes:\n  - name: tmp\n    emptyDir:\n      mode: 448  # here\n")
    line, column = position(text, "mode")
    (finding,) = jc104(text, "1.36")
    assert (finding.line, finding.column) == (line, column)
    assert finding.message == (
        P + "volumes[0].emptyDir.mode is not served by Kubernetes 1.36; it first appears in 1.37 (alpha "
        "EmptyDirVolumeMode gate in 1.37, not on by default in any supported release). The API server rejects or "
        "silently drops it, depending on field validation."
    )
    (finding,) = jc104(manifest("schedulingGroup:\n  podGroupName: g\n"), "1.35")
    assert "(GenericWorkload gate off by default in 1.36–1.37, alpha then beta, not on by default" in finding.message

def test_cronjob_template_fields_are_found():
    text = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: main
              image: busybox
              resizePolicy:  # here
                - resourceName: memory
                  restartPolicy: RestartContainer
"""
    line, column = position(text, "resizePolicy")
    (finding,) = jc104(text, "1.31")
    assert (finding.line, finding.column) == (line, column)
    assert finding.message.startswith(
        "spec.jobTemplate.spec.template.spec.containers[0].resizePolicy is served by Kubernetes 1.31 only behind "
        "the alpha InPlacePodVerticalScaling gate"
    )
    assert jc104(text, "1.33") == []


def test_several_fields_one_manifest_in_document_order():
    pod = (
        "hostUsers: false\n"
        "initContainers:\n  - name: proxy\n    image: envoy\n    restartPolicy: Always\n"
        + MAIN + "    securityContext:\n      procMount: Unmasked\n"
    )
    text = manifest(pod, with_main=False)
    found = jc104(text, "1.28")
    assert [f.message.split(" ")[0] for f in found] == [
        P + "hostUsers:",
        P + "initContainers[0].restartPolicy",
        P + "containers[0].securityContext.procMount:",
    ]
    assert [f.line for f in found] == sorted(f.line for f in found)


def test_job_spec_gate_message_unchanged_and_scheduling_says_supported():
    text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  scheduling: {}\n" + textwrap.indent(
        "template:\n  spec:\n    restartPolicy: Never\n" + textwrap.indent(MAIN, "    "), "  "
    )
    (finding,) = jc104(text, "1.37")
    assert finding.message.endswith("It is not on by default in any supported release.")
    assert "only behind the alpha WorkloadWithJob gate" in finding.message


@pytest.mark.parametrize(
    "pod",
    [
        "containers: main\n",
        "containers: [1, null, [], {securityContext: [], lifecycle: 3, env: {a: 1}, volumeMounts: [x]}]\n",
        "volumes: [null, 7, {name: v, projected: {sources: [1, {clusterTrustBundle: null}]}}]\n" + MAIN,
        "securityContext: []\naffinity: {podAffinity: [], podAntiAffinity: {requiredDuringSchedulingIgnored"
        "DuringExecution: 5, preferredDuringSchedulingIgnoredDuringExecution: [{podAffinityTerm: 1}]}}\n" + MAIN,
        "initContainers: {}\n" + MAIN,
        "volumes: [{name: a, emptyDir: 3}, {name: b, secret: {items: 5}}, {name: c, configMap: {items: [null, 1, []]}},"
        " {name: d, projected: {sources: [{serviceAccountToken: []}, {downwardAPI: {items: {}}}]}},"
        " {name: [e], projected: {sources: 4}}]\n"
        + MAIN + "    volumeMounts: [{name: {}}, {name: null}, 5]\n",
    ],
    ids=["containers-scalar", "container-items", "volumes", "security-and-affinity", "init-map", "volume-sources"],
)
def test_odd_shapes_are_the_schemas_business(pod):
    # Regression: the walk meets whatever the YAML holds; it must neither crash nor report a gate.
    text = manifest(pod, with_main=False)
    for version in ("1.28", "1.30", "1.34", "1.35", "1.37"):
        assert [f.message for f in jc104(text, version) if "only behind" in f.message] == []
