"""Feature gates and the fields they hide: the one table of version knowledge for gated fields.

Per gate, ``STAGES`` gives the release that introduced it (alpha, off by default), the release
where it turned beta while still off (if any), and, for a gate that is not yet on by default,
the last release checked. The release where a gate is *on by default* is read from
``podfacts.ON_BY_DEFAULT`` (the dict the pod validation already reads through ``gate_on``), so
the two can never disagree.

Source of every stage: the ``defaultVersionedKubernetesFeatureGates`` table of
kubernetes/kubernetes ``pkg/features/kube_features.go`` (1.35 snapshot), cross-checked with the
stage tables of kubernetes/website ``content/en/docs/reference/command-line-tools-reference/
feature-gates/<gate>.md``. Where the two disagree, kube_features.go wins (the website copies
of ImageVolume, ProcMountType and SELinuxChangePolicy were older than the code). Gates of fields
first served in 1.36/1.37 come from newer sources, named at their entry: no stored
kube_features.go or util.go is newer than 1.35 (docs/pod-validation-coverage.md lists the gaps).

``GATED`` lists the fields (or one value of a field) that the API server drops before
validation while their gate is off: ``dropDisabledFields`` in ``pkg/api/pod/util.go`` for the
pod template, the job strategy's ``dropDisabledFields`` for the Job spec. Whether a version's
schema has the field at all comes from ``schemas/fields.json``; the table never repeats it.
tests/schema/test_pod_gates.py checks the table against the shipped schemas and against the
list of fields ``dropDisabledFields`` drops.
"""

from __future__ import annotations

from functools import cache

from jobcheck.kube.apiserver.podfacts import ON_BY_DEFAULT
from jobcheck.record import dataclass

Release = tuple[int, int]


@dataclass(frozen=True)
class Stage:
    """When a gate exists and is off by default."""

    alpha: Release  # first release with the gate, off by default
    beta_off: Release | None = None  # first release where it is beta but still off by default
    off_through: Release | None = None  # not yet on by default: the last release checked


# gate -> stages (kube_features.go, 1.35 snapshot, unless said otherwise). On by default from:
# podfacts.ON_BY_DEFAULT.
STAGES: dict[str, Stage] = {
    # Job spec (facts reference, section B).
    "JobBackoffLimitPerIndex": Stage((1, 28)),  # alpha 1.28, beta on 1.29, GA 1.33
    "JobPodReplacementPolicy": Stage((1, 28)),  # alpha 1.28, beta on 1.29, GA 1.34
    "JobSuccessPolicy": Stage((1, 30)),  # alpha 1.30, beta on 1.31, GA 1.33
    "JobManagedBy": Stage((1, 30)),  # alpha 1.30-1.31, beta on 1.32, GA 1.35
    # +k8s:alpha(since: "1.37") tags in kubernetes/api; release unverified (facts B, open items).
    "WorkloadWithJob": Stage((1, 37), off_through=(1, 37)),
    # Pod template (pkg/api/pod/util.go dropDisabledFields).
    "UserNamespacesSupport": Stage((1, 25), beta_off=(1, 30)),  # beta on 1.33
    "SupplementalGroupsPolicy": Stage((1, 31)),  # beta on 1.33, GA 1.35
    "PodLevelResources": Stage((1, 32)),  # beta on 1.34
    "ProcMountType": Stage((1, 12), beta_off=(1, 31)),  # beta on 1.33
    "InPlacePodVerticalScaling": Stage((1, 27)),  # beta on 1.33, GA 1.35
    "SidecarContainers": Stage((1, 28)),  # beta on 1.29, GA 1.33
    "ContainerRestartRules": Stage((1, 34)),  # beta on 1.35
    "RecursiveReadOnlyMounts": Stage((1, 30)),  # beta on 1.31, GA 1.33
    "HostnameOverride": Stage((1, 34)),  # beta on 1.35
    "EnvFiles": Stage((1, 34)),  # beta on 1.35
    "PodLifecycleSleepAction": Stage((1, 29)),  # beta on 1.30, GA 1.34
    "ImageVolume": Stage((1, 31), beta_off=(1, 33)),  # beta on 1.35
    "SELinuxChangePolicy": Stage((1, 32)),  # beta on 1.33
    "ContainerStopSignals": Stage((1, 33), off_through=(1, 35)),  # alpha from 1.33
    "DynamicResourceAllocation": Stage((1, 26), beta_off=(1, 32)),  # GA (on) 1.34
    "ClusterTrustBundleProjection": Stage((1, 29), beta_off=(1, 33), off_through=(1, 35)),
    "PodCertificateRequest": Stage((1, 34), beta_off=(1, 35), off_through=(1, 35)),
    # PodSpec.workloadRef (1.35), then PodSpec.schedulingGroup (1.36-): alpha 1.35-1.36, beta but
    # still off 1.37 (the scheduler's defaultVersionedKubernetesFeatureGates of a 1.37 snapshot;
    # kubernetes.io "PodGroup scheduling": beta since 1.37, disabled by default).
    "GenericWorkload": Stage((1, 35), beta_off=(1, 37), off_through=(1, 37)),
    # Alpha in 1.37, off by default: the 1.37 OpenAPI descriptions of the fields ("This field is
    # alpha and requires ... feature gate") and the kubernetes.io pages' feature state
    # ("Alpha since Kubernetes v1.37, disabled by default"). Their kube_features.go entries are not
    # in a stored snapshot; nothing is known past 1.37.
    "EmptyDirVolumeMode": Stage((1, 37), off_through=(1, 37)),  # emptyDir.mode (KEP-5502)
    "VolumeBindMountOptions": Stage((1, 37), off_through=(1, 37)),  # volumeMounts[].bindMountOptions
    "AtomicWriteVolumeUserFields": Stage((1, 37), off_through=(1, 37)),  # defaultUser, user (KEP-5936)
    "MatchLabelKeysInPodAffinity": Stage((1, 29)),  # beta on 1.31, GA 1.33
    # On by default in every supported release; listed so the drop list is complete.
    "MatchLabelKeysInPodTopologySpread": Stage((1, 25)),  # beta on 1.27
    "MinDomainsInPodTopologySpread": Stage((1, 24)),  # beta on 1.27 (1.25-1.26 beta off)
    "NodeInclusionPolicyInPodTopologySpread": Stage((1, 25)),  # beta on 1.26, GA 1.33
    "PodSchedulingReadiness": Stage((1, 26)),  # beta on 1.27, GA 1.30
    "ProbeTerminationGracePeriod": Stage((1, 21)),  # beta on 1.22 (1.21 alpha), GA 1.28
    # Validation only (no field dropped): restartPolicyRules' RestartAllContainers action.
    "RestartAllContainersOnContainerExits": Stage((1, 35)),  # beta on 1.36 (kube_features.go)
}

# gate -> (first release of its current name, the name before). UserNamespacesStatelessPodsSupport
# (alpha 1.25-1.27) was superseded by UserNamespacesSupport in 1.28 (website feature-gates page;
# pkg/api/pod/util.go of 1.27 drops hostUsers under the old name).
FORMER_NAMES: dict[str, tuple[Release, str]] = {
    "UserNamespacesSupport": ((1, 28), "UserNamespacesStatelessPodsSupport"),
}


def name_in(gate: str, version: str) -> str:
    """The gate's name as ``version``'s API server knows it."""
    former = FORMER_NAMES.get(gate)
    return former[1] if former is not None and release(version) < former[0] else gate


JOB_SPEC = "io.k8s.api.batch.v1.JobSpec"
POD_FAILURE_POLICY_RULE = "io.k8s.api.batch.v1.PodFailurePolicyRule"
_CORE = "io.k8s.api.core.v1."
POD_SPEC = _CORE + "PodSpec"
POD_SECURITY_CONTEXT = _CORE + "PodSecurityContext"
CONTAINER = _CORE + "Container"
SECURITY_CONTEXT = _CORE + "SecurityContext"
LIFECYCLE = _CORE + "Lifecycle"
LIFECYCLE_HANDLER = _CORE + "LifecycleHandler"
ENV_VAR_SOURCE = _CORE + "EnvVarSource"
VOLUME_MOUNT = _CORE + "VolumeMount"
RESOURCE_REQUIREMENTS = _CORE + "ResourceRequirements"
VOLUME = _CORE + "Volume"
VOLUME_PROJECTION = _CORE + "VolumeProjection"
POD_AFFINITY_TERM = _CORE + "PodAffinityTerm"
TOPOLOGY_SPREAD_CONSTRAINT = _CORE + "TopologySpreadConstraint"
PROBE = _CORE + "Probe"
EMPTY_DIR = _CORE + "EmptyDirVolumeSource"
SECRET_VOLUME = _CORE + "SecretVolumeSource"
CONFIG_MAP_VOLUME = _CORE + "ConfigMapVolumeSource"
DOWNWARD_API_VOLUME = _CORE + "DownwardAPIVolumeSource"
PROJECTED_VOLUME = _CORE + "ProjectedVolumeSource"
KEY_TO_PATH = _CORE + "KeyToPath"
DOWNWARD_API_FILE = _CORE + "DownwardAPIVolumeFile"
CLUSTER_TRUST_BUNDLE = _CORE + "ClusterTrustBundleProjection"
POD_CERTIFICATE = _CORE + "PodCertificateProjection"
SERVICE_ACCOUNT_TOKEN = _CORE + "ServiceAccountTokenProjection"


@dataclass(frozen=True)
class GatedField:
    """A field the server drops while ``gate`` is off (only ``value``, or any value but ``other_than``)."""

    definition: str
    field: str
    gate: str
    value: object = None  # only this value is dropped
    other_than: object = None  # every value but this one is dropped (or changed to it)
    containers: str | None = None  # Container only: "initContainers" or "containers"
    effect: str = "silently drops it"
    # VolumeMount "name" only: the mount is dropped when it names a volume with this source set.
    names_volume: str | None = None


GATED: tuple[GatedField, ...] = (
    GatedField(JOB_SPEC, "backoffLimitPerIndex", "JobBackoffLimitPerIndex"),
    GatedField(JOB_SPEC, "maxFailedIndexes", "JobBackoffLimitPerIndex"),
    GatedField(POD_FAILURE_POLICY_RULE, "action", "JobBackoffLimitPerIndex", value="FailIndex"),
    GatedField(JOB_SPEC, "podReplacementPolicy", "JobPodReplacementPolicy"),
    GatedField(JOB_SPEC, "successPolicy", "JobSuccessPolicy"),
    GatedField(JOB_SPEC, "managedBy", "JobManagedBy"),
    GatedField(JOB_SPEC, "scheduling", "WorkloadWithJob"),
    # Pod template.
    GatedField(POD_SPEC, "hostUsers", "UserNamespacesSupport", other_than=True),
    GatedField(POD_SPEC, "resources", "PodLevelResources"),
    GatedField(POD_SPEC, "hostnameOverride", "HostnameOverride"),
    GatedField(POD_SPEC, "resourceClaims", "DynamicResourceAllocation"),
    GatedField(POD_SPEC, "workloadRef", "GenericWorkload"),
    GatedField(POD_SPEC, "schedulingGates", "PodSchedulingReadiness"),
    GatedField(POD_SECURITY_CONTEXT, "supplementalGroupsPolicy", "SupplementalGroupsPolicy"),
    GatedField(POD_SECURITY_CONTEXT, "seLinuxChangePolicy", "SELinuxChangePolicy"),
    GatedField(CONTAINER, "resizePolicy", "InPlacePodVerticalScaling"),
    GatedField(CONTAINER, "restartPolicy", "SidecarContainers", containers="initContainers"),
    GatedField(CONTAINER, "restartPolicy", "ContainerRestartRules", other_than="Always",
               containers="initContainers"),
    GatedField(CONTAINER, "restartPolicy", "ContainerRestartRules", containers="containers"),
    GatedField(CONTAINER, "restartPolicyRules", "ContainerRestartRules"),
    GatedField(SECURITY_CONTEXT, "procMount", "ProcMountType", other_than="Default",
               effect="silently replaces it with Default"),
    GatedField(LIFECYCLE, "stopSignal", "ContainerStopSignals"),
    GatedField(LIFECYCLE_HANDLER, "sleep", "PodLifecycleSleepAction"),
    GatedField(ENV_VAR_SOURCE, "fileKeyRef", "EnvFiles"),
    GatedField(VOLUME_MOUNT, "recursiveReadOnly", "RecursiveReadOnlyMounts"),
    GatedField(RESOURCE_REQUIREMENTS, "claims", "DynamicResourceAllocation"),
    GatedField(VOLUME, "image", "ImageVolume", effect="silently drops the volume and its mounts"),
    # dropImageVolumes also drops every init and regular container's mount naming an image volume.
    GatedField(VOLUME_MOUNT, "name", "ImageVolume", names_volume="image",
               effect="silently drops this mount with the volume"),
    GatedField(VOLUME_PROJECTION, "clusterTrustBundle", "ClusterTrustBundleProjection"),
    GatedField(VOLUME_PROJECTION, "podCertificate", "PodCertificateRequest"),
    GatedField(POD_AFFINITY_TERM, "matchLabelKeys", "MatchLabelKeysInPodAffinity"),
    GatedField(POD_AFFINITY_TERM, "mismatchLabelKeys", "MatchLabelKeysInPodAffinity"),
    GatedField(TOPOLOGY_SPREAD_CONSTRAINT, "matchLabelKeys", "MatchLabelKeysInPodTopologySpread"),
    GatedField(TOPOLOGY_SPREAD_CONSTRAINT, "minDomains", "MinDomainsInPodTopologySpread"),
    GatedField(TOPOLOGY_SPREAD_CONSTRAINT, "nodeAffinityPolicy", "NodeInclusionPolicyInPodTopologySpread"),
    GatedField(TOPOLOGY_SPREAD_CONSTRAINT, "nodeTaintsPolicy", "NodeInclusionPolicyInPodTopologySpread"),
    GatedField(PROBE, "terminationGracePeriodSeconds", "ProbeTerminationGracePeriod"),
    # Fields first served in 1.36/1.37 whose gate is named by the 1.37 OpenAPI description or the
    # kubernetes.io page of the feature. Their drop functions are newer than the util.go snapshot
    # read (1.35), so the message says only that the server ignores them, not how.
    GatedField(POD_SPEC, "schedulingGroup", "GenericWorkload", effect="ignores it"),
    GatedField(EMPTY_DIR, "mode", "EmptyDirVolumeMode", effect="ignores it"),
    GatedField(VOLUME_MOUNT, "bindMountOptions", "VolumeBindMountOptions", effect="ignores it"),
    *(
        GatedField(definition, field, "AtomicWriteVolumeUserFields", effect="ignores it")
        for definition, field in (
            (SECRET_VOLUME, "defaultUser"),
            (CONFIG_MAP_VOLUME, "defaultUser"),
            (DOWNWARD_API_VOLUME, "defaultUser"),
            (PROJECTED_VOLUME, "defaultUser"),
            (KEY_TO_PATH, "user"),
            (DOWNWARD_API_FILE, "user"),
            (CLUSTER_TRUST_BUNDLE, "user"),
            (POD_CERTIFICATE, "user"),
            (SERVICE_ACCOUNT_TOKEN, "user"),
        )
    ),
)


def release(version: str) -> Release:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def on_from(gate: str) -> Release | None:
    """The first release where ``gate`` is on by default (None: not in any release checked)."""
    return ON_BY_DEFAULT.get(gate)


def stage_in(gate: str, version: str) -> str | None:
    """``"alpha"`` or ``"beta"`` when ``gate`` exists and is off by default in ``version``, else None.

    None also for a gate not yet on whose state in ``version`` was not checked (after
    ``off_through``): jobcheck says nothing rather than guess.
    """
    stage = STAGES.get(gate)
    if stage is None:
        return None
    v = release(version)
    first_on = on_from(gate)
    if v < stage.alpha or (first_on is not None and v >= first_on):
        return None
    if first_on is None and (stage.off_through is None or v > stage.off_through):
        return None
    return "beta" if stage.beta_off is not None and v >= stage.beta_off else "alpha"


def _fmt(r: Release) -> str:
    return f"{r[0]}.{r[1]}"


def on_from_text(gate: str) -> str | None:
    first = on_from(gate)
    return _fmt(first) if first else None


def _supported() -> tuple[str, ...]:
    from jobcheck.kube.versions import SUPPORTED_VERSIONS

    return SUPPORTED_VERSIONS


def when_on(gate: str) -> str:
    """How the gate's default evolves after it is off, as a sentence ("It is on by default from 1.32.")."""
    first = on_from_text(gate)
    if first:
        return f"It is on by default from {first}."
    stage = STAGES[gate]
    last = _supported()[-1]
    if stage.off_through is not None and _fmt(stage.off_through) != last:
        return f"It is not on by default in any release up to {_fmt(stage.off_through)}."
    return "It is not on by default in any supported release."


@cache
def dropped_in(version: str) -> tuple[GatedField, ...]:
    """The table's entries whose gate is off by default in ``version`` (the field may still be absent)."""
    return tuple(g for g in GATED if stage_in(g.gate, version) is not None)
