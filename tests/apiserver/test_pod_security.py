"""JC103, security contexts (securitycontext.py): pod and container rules, by version where they differ."""

from __future__ import annotations

import pytest

from jobcheck.lint.engine import lint_text
from tests.apiserver.helpers import hits, job
from tests.apiserver.test_rules import SUBDOMAIN

T = "spec.template.spec"
PSC = f"{T}.securityContext"
CSC = f"{T}.containers[0].securityContext"
ID = "must be between 0 and 2147483647, inclusive"
SYSCTL_RE = "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"


def psc(**fields) -> dict:
    return job(pod={"securityContext": fields})


def csc(**fields) -> dict:
    return job(container={"securityContext": fields})


def one(path: str, body: str, at: str | None = None) -> list[tuple[str, str]]:
    return [(at or path, f"{path}: {body}")]


FAILING = [
    ("pod-run-as-user", psc(runAsUser=-1), (1, 37), one(f"{PSC}.runAsUser", f"Invalid value: -1: {ID}")),
    ("pod-run-as-group", psc(runAsGroup=-5), (1, 37), one(f"{PSC}.runAsGroup", f"Invalid value: -5: {ID}")),
    ("pod-fs-group", psc(fsGroup=4294967296), (1, 27), one(f"{PSC}.fsGroup", f"Invalid value: 4294967296: {ID}")),
    ("pod-supplemental", psc(supplementalGroups=[1, -1]), (1, 37),
     one(f"{PSC}.supplementalGroups[1]", f"Invalid value: -1: {ID}")),
    ("share-pid-host-pid", job(pod={"shareProcessNamespace": True, "hostPID": True}), (1, 37),
     one(f"{PSC}.shareProcessNamespace", "Invalid value: true: ShareProcessNamespace and HostPID cannot both be "
         "enabled", at=f"{T}.shareProcessNamespace")),
    ("host-users-host-network", job(pod={"hostUsers": False, "hostNetwork": True, "hostPID": True}), (1, 33),
     one(f"{T}.hostNetwork", "Forbidden: when `pod.Spec.HostUsers` is false")
     + one(f"{T}.HostPID", "Forbidden: when `pod.Spec.HostUsers` is false", at=f"{T}.hostPID")),
    ("fs-group-policy", psc(fsGroupChangePolicy="always"), (1, 37),
     one(f"{PSC}.fsGroupChangePolicy",
         'Unsupported value: "always": supported values: "Always", "OnRootMismatch"')),
    ("sysctl-name", psc(sysctls=[{"name": "Net.Core", "value": "1"}]), (1, 37),
     one(f"{PSC}.sysctls[0].name", f'Invalid value: "Net.Core": must have at most 253 characters and match regex '
                                   f"{SYSCTL_RE}")),
    ("sysctl-duplicate", psc(sysctls=[{"name": "net.core.somaxconn"}, {"name": "net.core.somaxconn"}]), (1, 37),
     one(f"{PSC}.sysctls[1].name", 'Duplicate value: "net.core.somaxconn"')),
    ("seccomp-type-missing", psc(seccompProfile={}), (1, 37),
     one(f"{PSC}.seccompProfile.type", "Required value: type is required when seccompProfile is set")),
    ("seccomp-type", psc(seccompProfile={"type": "runtime/default"}), (1, 37),
     one(f"{PSC}.seccompProfile.type", 'Unsupported value: "runtime/default": supported values: "Localhost", '
                                       '"RuntimeDefault", "Unconfined"')),
    ("seccomp-localhost-missing", csc(seccompProfile={"type": "Localhost"}), (1, 37),
     one(f"{CSC}.seccompProfile.localhostProfile", "Required value: must be set when seccomp type is Localhost")),
    ("seccomp-localhost-absolute", csc(seccompProfile={"type": "Localhost", "localhostProfile": "/etc/p.json"}),
     (1, 37), one(f"{CSC}.seccompProfile.localhostProfile", 'Invalid value: "/etc/p.json": must be a relative path')),
    ("seccomp-localhost-backstep", csc(seccompProfile={"type": "Localhost", "localhostProfile": "a/../../p.json"}),
     (1, 37), one(f"{CSC}.seccompProfile.localhostProfile", "Invalid value: \"a/../../p.json\": must not contain "
                                                             "'..'")),
    ("seccomp-profile-not-localhost", csc(seccompProfile={"type": "RuntimeDefault", "localhostProfile": "p.json"}),
     (1, 37), one(f"{CSC}.seccompProfile.localhostProfile",
                  "Invalid value: can only be set when seccomp type is Localhost")),
    ("apparmor-localhost-missing", psc(appArmorProfile={"type": "Localhost"}), (1, 30),
     one(f"{PSC}.appArmorProfile.localhostProfile", "Required value: must be set when AppArmor type is Localhost")),
    ("apparmor-padded", csc(appArmorProfile={"type": "Localhost", "localhostProfile": " k8s-x "}), (1, 37),
     one(f"{CSC}.appArmorProfile.localhostProfile", 'Invalid value: " k8s-x ": must not be padded with whitespace')),
    ("apparmor-profile-not-localhost", csc(appArmorProfile={"type": "Unconfined", "localhostProfile": "p"}),
     (1, 37), one(f"{CSC}.appArmorProfile.localhostProfile",
                  'Invalid value: "p": can only be set when AppArmor type is Localhost')),
    ("apparmor-type", csc(appArmorProfile={"type": "unconfined"}), (1, 37),
     one(f"{CSC}.appArmorProfile.type", 'Unsupported value: "unconfined": supported values: "Localhost", '
                                        '"RuntimeDefault", "Unconfined"')),
    ("supplemental-policy", psc(supplementalGroupsPolicy="merge"), (1, 33),
     one(f"{PSC}.supplementalGroupsPolicy", 'Unsupported value: "merge": supported values: "Merge", "Strict"')),
    ("ctr-run-as-user", csc(runAsUser=-1000), (1, 37), one(f"{CSC}.runAsUser", f"Invalid value: -1000: {ID}")),
    ("ctr-run-as-group", csc(runAsGroup=-1), (1, 37), one(f"{CSC}.runAsGroup", f"Invalid value: -1: {ID}")),
    ("escalation-privileged", csc(allowPrivilegeEscalation=False, privileged=True), (1, 37),
     one(CSC, "Invalid value: cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
         at=f"{CSC}.allowPrivilegeEscalation")),
    ("escalation-sys-admin", csc(allowPrivilegeEscalation=False, capabilities={"add": ["NET_ADMIN", "CAP_SYS_ADMIN"]}),
     (1, 37), one(CSC, "Invalid value: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` "
                       "CAP_SYS_ADMIN", at=f"{CSC}.capabilities.add[1]")),
    ("init-container-context", job(pod={"initContainers": [{"name": "init", "image": "busybox",
                                                            "securityContext": {"runAsUser": -1}}]}), (1, 37),
     one(f"{T}.initContainers[0].securityContext.runAsUser", f"Invalid value: -1: {ID}")),
    ("windows-gmsa-name", psc(windowsOptions={"gmsaCredentialSpecName": "My_Spec"}), (1, 37),
     one(f"{PSC}.windowsOptions.gmsaCredentialSpecName", f'Invalid value: "My_Spec": {SUBDOMAIN}')),
    ("windows-gmsa-empty", csc(windowsOptions={"gmsaCredentialSpec": ""}), (1, 37),
     one(f"{CSC}.windowsOptions.gmsaCredentialSpec", 'Invalid value: "": gmsaCredentialSpec cannot be an empty '
                                                     "string")),
    ("windows-user-empty", csc(windowsOptions={"runAsUserName": ""}), (1, 37),
     one(f"{CSC}.windowsOptions.runAsUserName", 'Invalid value: "": runAsUserName cannot be an empty string')),
    ("windows-user-backslashes", csc(windowsOptions={"runAsUserName": "a\\b\\c"}), (1, 37),
     one(f"{CSC}.windowsOptions.runAsUserName",
         'Invalid value: "a\\\\b\\\\c": runAsUserName cannot contain more than one backslash')),
    ("windows-user-control", csc(windowsOptions={"runAsUserName": "a\tb"}), (1, 37),
     one(f"{CSC}.windowsOptions.runAsUserName",
         'Invalid value: "a\\tb": runAsUserName cannot contain control characters')),
]

PASSING = [
    ("ids", psc(runAsUser=0, runAsGroup=2147483647, fsGroup=1000, supplementalGroups=[0, 65534]), (1, 37)),
    # Between 2^31 and 2^32-1 the releases disagree (int32 in the spec, uint32 in a newer apimachinery):
    # not reported, a miss rather than a false alarm.
    ("id-uint32", csc(runAsUser=3000000000), (1, 37)),
    ("share-pid", job(pod={"shareProcessNamespace": True, "hostPID": False}), (1, 37)),
    ("host-users-gate-off", job(pod={"hostUsers": False, "hostNetwork": True}), (1, 32)),
    ("host-users-true", job(pod={"hostUsers": True, "hostNetwork": True}), (1, 37)),
    ("fs-group-policy", psc(fsGroupChangePolicy="OnRootMismatch"), (1, 37)),
    ("sysctls", psc(sysctls=[{"name": "net.core.somaxconn", "value": "1024"}, {"name": "kernel/shm_rmid_forced"}]),
     (1, 37)),
    ("seccomp", psc(seccompProfile={"type": "RuntimeDefault"}), (1, 37)),
    ("seccomp-localhost", csc(seccompProfile={"type": "Localhost", "localhostProfile": "profiles/audit.json"}),
     (1, 37)),
    ("apparmor", csc(appArmorProfile={"type": "Localhost", "localhostProfile": "k8s-apparmor-example"}), (1, 37)),
    ("apparmor-gate-off", psc(appArmorProfile={"type": "Localhost"}), (1, 29)),
    ("supplemental-policy-gate-off", psc(supplementalGroupsPolicy="merge"), (1, 32)),
    ("supplemental-policy", psc(supplementalGroupsPolicy="Strict"), (1, 37)),
    # ProcMountType is off by default up to 1.32 (beta off 1.31-1.32, on from 1.33): the server
    # resets procMount to Default there (JC104 reports it).
    ("proc-mount-dropped", csc(procMount="Unmasked"), (1, 32)),
    ("escalation", csc(allowPrivilegeEscalation=False, privileged=False, capabilities={"add": ["SYS_ADMIN"]}),
     (1, 37)),
    ("privileged", csc(allowPrivilegeEscalation=True, privileged=True, capabilities={"add": ["CAP_SYS_ADMIN"]}),
     (1, 37)),
    ("windows-options", csc(windowsOptions={"gmsaCredentialSpecName": "webapp", "runAsUserName": "DOMAIN\\user"}),
     (1, 37)),
]


@pytest.mark.parametrize("doc,version,expected", [c[1:] for c in FAILING], ids=[c[0] for c in FAILING])
def test_security_rule_reports(doc, version, expected):
    assert sorted(hits(doc, version)) == sorted(expected)


@pytest.mark.parametrize("doc,version", [c[1:] for c in PASSING], ids=[c[0] for c in PASSING])
def test_security_accepted(doc, version):
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
      shareProcessNamespace: true
      hostPID: true
      securityContext:
        seccompProfile: {}
      containers:
      - name: main
        image: busybox
        securityContext:
          allowPrivilegeEscalation: false
          privileged: true
"""


def test_positions():
    found = sorted((f.line, f.column) for f in lint_text(POSITIONS) if f.rule == "JC103")
    # shareProcessNamespace's value; the missing seccomp type at its parent key; the escalation flag.
    assert found == [(9, 30), (12, 9), (17, 37)]
