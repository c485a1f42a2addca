"""Version facts of the core pod validation, as data: one table, read by every pod module.

A pod field served only behind a feature gate that is off by default is dropped by the API
server before validation (``dropDisabledPodFields``), so its rules apply only from the
release where the gate is on by default. A validation relaxation behind a gate applies from
the same point.
"""

from __future__ import annotations

# gate -> first release (major, minor) where it is on by default, from the stage tables of
# kubernetes/website content/en/docs/reference/command-line-tools-reference/feature-gates/<gate>.md
# and pkg/features/kube_features.go. jobcheck/kube/gates.py reads this dict (with each gate's
# alpha release) for JC104; a gate absent here is off by default in every release.
ON_BY_DEFAULT: dict[str, tuple[int, int]] = {
    # Job spec fields (facts reference, section B): alpha 1.28, beta (on) 1.29.
    "JobBackoffLimitPerIndex": (1, 29),
    "JobPodReplacementPolicy": (1, 29),
    # spec.successPolicy: alpha 1.30, beta (on) 1.31, GA 1.33.
    "JobSuccessPolicy": (1, 31),
    # spec.managedBy: alpha 1.30-1.31, beta (on) 1.32, GA 1.35.
    "JobManagedBy": (1, 32),
    # pod-level resources: alpha 1.32-1.33, beta (on) 1.34.
    "PodLevelResources": (1, 34),
    # securityContext.procMount: alpha 1.12-1.30, beta off 1.31-1.32, beta on from 1.33 (kube_features.go).
    "ProcMountType": (1, 33),
    # containers' resizePolicy: alpha 1.27-1.32, beta (on) 1.33, GA 1.35.
    "InPlacePodVerticalScaling": (1, 33),
    # restartPolicy on regular containers, non-Always on init containers, restartPolicyRules:
    # alpha 1.34, beta (on) 1.35.
    "ContainerRestartRules": (1, 35),
    # volumeMounts[].recursiveReadOnly: alpha 1.30, beta (on) 1.31, GA 1.33.
    "RecursiveReadOnlyMounts": (1, 31),
    # hostnameOverride: alpha 1.34, beta (on) 1.35.
    "HostnameOverride": (1, 35),
    # env[].valueFrom.fileKeyRef: alpha 1.34, beta (on) 1.35.
    "EnvFiles": (1, 35),
    # lifecycle handlers' sleep: alpha 1.29, beta (on) 1.30, GA 1.34.
    "PodLifecycleSleepAction": (1, 30),
    # volumes[].image: alpha 1.31-1.32, beta off 1.33-1.34, beta on from 1.35 (kube_features.go).
    "ImageVolume": (1, 35),
    # securityContext.seLinuxChangePolicy: alpha 1.32, beta (on) 1.33.
    "SELinuxChangePolicy": (1, 33),
    # resourceClaims, resources.claims: alpha 1.26-1.31, beta off 1.32-1.33, GA (on) 1.34.
    "DynamicResourceAllocation": (1, 34),
    # pod (anti-)affinity terms' matchLabelKeys/mismatchLabelKeys: alpha 1.29-1.30, beta (on) 1.31, GA 1.33.
    "MatchLabelKeysInPodAffinity": (1, 31),
    # schedulingGates: alpha 1.26, beta (on) 1.27, GA 1.30.
    "PodSchedulingReadiness": (1, 27),
    # probes' terminationGracePeriodSeconds: alpha 1.21, beta (on) 1.22, GA 1.28.
    "ProbeTerminationGracePeriod": (1, 22),
    # securityContext.appArmorProfile: beta (on) 1.30, GA 1.31.
    "AppArmorFields": (1, 30),
    # dnsConfig.searches may hold '_' and a lone '.': alpha 1.32, beta (on) 1.33, GA 1.34.
    "RelaxedDNSSearchValidation": (1, 33),
    # hostUsers: alpha 1.25-1.29, beta off 1.30-1.32, beta on from 1.33.
    "UserNamespacesSupport": (1, 33),
    # securityContext.supplementalGroupsPolicy: alpha 1.31-1.32, beta (on) from 1.33.
    "SupplementalGroupsPolicy": (1, 33),
    # restartPolicy: Always on an init container (a sidecar): alpha 1.28, beta (on) 1.29, GA 1.33.
    "SidecarContainers": (1, 29),
    # status.hostIPs in the downward API: alpha 1.28, beta (on) 1.29, GA 1.30.
    "PodHostIPs": (1, 29),
    # Always on in the supported range, listed so that every gated rule reads this table:
    # topologySpreadConstraints' minDomains (beta on 1.27), matchLabelKeys (beta on 1.27),
    # nodeAffinityPolicy/nodeTaintsPolicy (beta on 1.26); 32 searches/2048 chars (1.26).
    "MinDomainsInPodTopologySpread": (1, 27),
    "MatchLabelKeysInPodTopologySpread": (1, 27),
    "NodeInclusionPolicyInPodTopologySpread": (1, 26),
    "ExpandedDNSConfig": (1, 26),
    # a sleep of 0 seconds: alpha 1.32, beta (on) 1.33, GA 1.34.
    "PodLifecycleSleepActionAllowZero": (1, 33),
    # restartPolicyRules' action RestartAllContainers, and rules on a sidecar: alpha 1.35, beta (on)
    # 1.36 (kube_features.go, 1.37 development line). Not dropped while off: refused by validation.
    "RestartAllContainersOnContainerExits": (1, 36),
}


def gate_on(gate: str, version: tuple[int, int]) -> bool:
    """Whether ``gate`` is on by default in ``version`` (unknown gates are off)."""
    first = ON_BY_DEFAULT.get(gate)
    return first is not None and version >= first


_ENV_FIELD_PATHS = (
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
)  # validEnvDownwardAPIFieldPathExpressions, sorted as sets.List prints it


def env_field_paths(version: tuple[int, int]) -> tuple[str, ...]:
    """The fieldRef paths an env var may read (without subscripts), in ``version``."""
    if gate_on("PodHostIPs", version):
        return _ENV_FIELD_PATHS
    return tuple(p for p in _ENV_FIELD_PATHS if p != "status.hostIPs")


# IsValidUserID / IsValidGroupID: 0..MaxInt32 for the pod spec in every supported release
# (kubernetes#138574 kept the spec on int32). A newer apimachinery snapshot reads uint32, so
# only values outside both ranges are reported: negatives and values above 2^32 - 1.
ID_MAX = 2147483647
ID_REPORT_ABOVE = 0xFFFFFFFF

MAX_INT32 = 2147483647
MAX_DNS_NAMESERVERS = 3
MAX_DNS_SEARCH_PATHS = 32
MAX_DNS_SEARCH_LIST_CHARS = 2048

DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
OS_NAMES = ("linux", "windows")  # sets.List: sorted
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
TOLERATION_OPERATORS = ("Equal", "Exists")
NODE_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")
WHEN_UNSATISFIABLE = ("DoNotSchedule", "ScheduleAnyway")  # sorted
NODE_INCLUSION_POLICIES = ("Honor", "Ignore")  # sorted
SECCOMP_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
APPARMOR_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
PROC_MOUNT_TYPES = ("Default", "Unmasked")
FS_GROUP_CHANGE_POLICIES = ("Always", "OnRootMismatch")  # sorted
SUPPLEMENTAL_GROUPS_POLICIES = ("Merge", "Strict")  # sorted
PREEMPTION_POLICIES = ("PreemptLowerPriority", "Never")
