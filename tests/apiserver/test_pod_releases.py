"""Release-dependent pod template rules (issue 12, the last gaps): per case the server's message,
the exact position, a passing manifest, and the releases where the behaviour differs.

Container port warnings (JC106): ``warningsForPodSpecAndMeta`` in ``pkg/api/pod/warnings.go``,
added by kubernetes#113245, listed in the 1.28 release notes; silent in 1.27.
"""

from __future__ import annotations

import pytest

from tests.apiserver.test_later_and_warnings import cronjob, findings, job

P = "spec.template.spec.containers[0].ports"
CP = "spec.jobTemplate.spec.template.spec.containers[0].ports"


def ports(*items: str, indent: int = 10) -> str:
    """A ``ports`` block for the main container; each item is the text after '- ' (one line or
    several joined by newlines, already indented for the continuation lines)."""
    pad = " " * indent
    return f"{pad}ports:\n" + "".join(f"{pad}  - {item}\n" for item in items)


def cont(*lines: str, indent: int = 10) -> str:
    """Continuation lines of a list item at ``indent`` (aligned after '- ')."""
    return "\n".join(" " * (indent + 4) + line for line in lines)


HOST_IP_ONLY = job(container=ports("containerPort: 80\n" + cont("hostIP: 10.0.0.1")))
DUPLICATE = job(container=ports("containerPort: 8080", "containerPort: 8080"))
OVERLAP = job(container=ports("containerPort: 53\n" + cont("hostPort: 5353"), "containerPort: 53"))
AMBIGUOUS = job(container=ports(
    "containerPort: 90\n" + cont("hostPort: 9090"),
    "containerPort: 90\n" + cont("hostPort: 9090", "hostIP: 10.0.0.2"),
))
# An init container's port and a regular container's port are compared too (the server visits
# init containers first); the CronJob prints its own, longer path.
INIT_AND_MAIN = cronjob(
    pod="          initContainers:\n"
        "            - name: setup\n"
        "              image: busybox:1.36\n"
        "              ports:\n"
        "                - containerPort: 7000\n"
        "                  name: admin\n",
    container=ports("containerPort: 7000", indent=14),
)

PORT_FAILING = [
    ("host-ip-without-host-port", HOST_IP_ONLY, "1.28",
     [(13, 15, "JC106", f"{P}[0]: hostIP set without hostPort: "
       "{Name: HostPort:0 ContainerPort:80 Protocol:TCP HostIP:10.0.0.1}")]),
    ("host-ip-without-host-port-newest", HOST_IP_ONLY, "1.37",
     [(13, 15, "JC106", f"{P}[0]: hostIP set without hostPort: "
       "{Name: HostPort:0 ContainerPort:80 Protocol:TCP HostIP:10.0.0.1}")]),
    ("duplicate-port", DUPLICATE, "1.34",
     [(14, 15, "JC106", f"{P}[1]: duplicate port definition with {P}[0]")]),
    ("overlapping-port", OVERLAP, "1.30",
     [(15, 15, "JC106", f"{P}[1]: overlapping port definition with {P}[0]")]),
    ("ambiguous-port", AMBIGUOUS, "1.37",
     [(15, 15, "JC106", f"{P}[1]: dangerously ambiguous port definition with {P}[0]")]),
    ("init-and-main-port", INIT_AND_MAIN, "1.35",
     [(22, 19, "JC106", f"{CP}[0]: duplicate port definition with "
       "spec.jobTemplate.spec.template.spec.initContainers[0].ports[0]")]),
]

PORT_PASSING = [
    # kubernetes#113245 is a 1.28 change: 1.27 says nothing.
    ("host-ip-1.27", HOST_IP_ONLY, "1.27"),
    ("duplicate-1.27", DUPLICATE, "1.27"),
    ("host-ip-with-host-port", job(container=ports("containerPort: 80\n" + cont("hostPort: 8080", "hostIP: 10.0.0.1"))),
     "1.37"),
    ("other-protocol", job(container=ports("containerPort: 53", "containerPort: 53\n" + cont("protocol: UDP"))), "1.37"),
    ("distinct-host-ports", job(container=ports(
        "containerPort: 53\n" + cont("hostPort: 5353"), "containerPort: 53\n" + cont("hostPort: 5354"))), "1.37"),
    ("both-host-ips", job(container=ports(
        "containerPort: 90\n" + cont("hostPort: 9090", "hostIP: 10.0.0.1"),
        "containerPort: 90\n" + cont("hostPort: 9090", "hostIP: 10.0.0.2"))), "1.37"),
    # Two equal hostPorts in one container are refused (JC103, checkHostPortConflicts): no warning then.
    ("refused-host-port-conflict", job(container=ports(
        "containerPort: 90\n" + cont("hostPort: 9090"), "containerPort: 90\n" + cont("hostPort: 9090"))), "1.37"),
]


@pytest.mark.parametrize("name,text,version,expected", PORT_FAILING, ids=[c[0] for c in PORT_FAILING])
def test_port_warnings(name, text, version, expected):
    assert findings(text, version, rules=("JC103", "JC106")) == expected


@pytest.mark.parametrize("name,text,version", PORT_PASSING, ids=[c[0] for c in PORT_PASSING])
def test_port_warnings_silent(name, text, version):
    assert findings(text, version, rules=("JC106",)) == []


def test_refused_port_conflict_is_an_error_not_a_warning():
    text = PORT_PASSING[-1][1]
    assert [f[2] for f in findings(text, "1.37", rules=("JC103", "JC106"))] == ["JC103"]


@pytest.mark.parametrize("block", [
    "          ports: 5\n",
    "          ports: {a: 1}\n",
    "          ports:\n            - [1, 2]\n            - containerPort: true\n              hostIP: [x]\n"
    "            - containerPort: 80\n              hostIP: 1.2.3.4\n              name: {x: 1}\n",
])
def test_port_warnings_bad_shapes_are_quiet(block):
    # Values the server cannot decode are refused there (JC101/JC102/JC103): no warning, no crash.
    assert findings(job(container=block), "1.37", rules=("JC106",)) == []


# --- lifecycle sleep in 1.32 (JC103): PodLifecycleSleepActionAllowZero alpha (off), kubernetes#127094 ---
# validateSleepAction still refuses 0 there, with a hint about the gate in the merged code's words
# (the stored validation.go, branch taken with the gate off; the KEP words it differently);
# 1.30-1.31 give the message without the hint, 1.33+ accept 0.

SLEEP_HINT = ". Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep."


def sleep_job(seconds: int, grace: str = "") -> str:
    return job(pod=grace, container="          lifecycle:\n            preStop:\n              sleep:\n"
               f"                seconds: {seconds}\n")


SLEEP = "spec.template.spec.containers[0].lifecycle.preStop.sleep"
SLEEP_FAILING = [
    ("sleep-zero-1.32", sleep_job(0), "1.32",
     [(14, 15, "JC103", f"{SLEEP}: Invalid value: 0: must be greater than 0 and less than "
       f"terminationGracePeriodSeconds (30){SLEEP_HINT}")]),
    ("sleep-too-long-1.32", sleep_job(45, "      terminationGracePeriodSeconds: 40\n"), "1.32",
     [(15, 15, "JC103", f"{SLEEP}: Invalid value: 45: must be greater than 0 and less than "
       f"terminationGracePeriodSeconds (40){SLEEP_HINT}")]),
    ("sleep-zero-1.31", sleep_job(0), "1.31",
     [(14, 15, "JC103", f"{SLEEP}: Invalid value: 0: must be greater than 0 and less than "
       "terminationGracePeriodSeconds (30)")]),
]
SLEEP_PASSING = [
    ("sleep-1.32", sleep_job(5), "1.32"),
    ("sleep-at-grace-1.32", sleep_job(30), "1.32"),
    ("sleep-zero-1.33", sleep_job(0), "1.33"),
]


@pytest.mark.parametrize("name,text,version,expected", SLEEP_FAILING, ids=[c[0] for c in SLEEP_FAILING])
def test_sleep_by_release(name, text, version, expected):
    assert [f for f in findings(text, version, rules=("JC103",)) if "sleep" in f[3]] == expected


@pytest.mark.parametrize("name,text,version", SLEEP_PASSING, ids=[c[0] for c in SLEEP_PASSING])
def test_sleep_accepted(name, text, version):
    assert findings(text, version, rules=("JC103",)) == []


# --- message wordings that changed between releases (JC103) -----------------------------------------
# validateResizePolicy: "pod `restartPolicy`" in the 1.37 development line (validation.go of a mirror,
# AIAgentSandox/kubernetes 64149d12); the stored 1.33-line validation.go has the older text, kept for
# 1.33-1.36 (the change's release is not pinned). validateHostUsers: kubernetes#132868 (CHANGELOG-1.34)
# names the field ("when `hostUsers` is false") and refuses volumeDevices from 1.34.

C0 = "spec.template.spec.containers[0]"
RESIZE = job(container="          resizePolicy:\n            - resourceName: memory\n"
                       "              restartPolicy: RestartContainer\n")
HOST_USERS_NET = job(pod="      hostUsers: false\n      hostNetwork: true\n")
PVC = "      volumes:\n        - name: raw\n          persistentVolumeClaim:\n            claimName: raw\n"
DEVICES = "          volumeDevices:\n            - name: raw\n              devicePath: /dev/xvda\n"
HOST_USERS_DEVICES = job(pod="      hostUsers: false\n" + PVC, container=DEVICES)
HOST_USERS_INIT_DEVICES = job(pod="      hostUsers: false\n" + PVC + "      initContainers:\n"
                                  "        - name: fetch\n          image: busybox:1.36\n"
                              + DEVICES)

WORDING_FAILING = [
    ("resize-never-1.36", RESIZE, "1.36",
     [(14, 30, "JC103", f"{C0}.resizePolicy: Invalid value: \"RestartContainer\": must be 'NotRequired' when "
       "`restartPolicy` is 'Never'")]),
    ("resize-never-1.37", RESIZE, "1.37",
     [(14, 30, "JC103", f"{C0}.resizePolicy: Invalid value: \"RestartContainer\": must be 'NotRequired' when pod "
       "`restartPolicy` is 'Never'")]),
    ("host-users-network-1.33", HOST_USERS_NET, "1.33",
     [(10, 20, "JC103", "spec.template.spec.hostNetwork: Forbidden: when `pod.Spec.HostUsers` is false")]),
    ("host-users-network-1.34", HOST_USERS_NET, "1.34",
     [(10, 20, "JC103", "spec.template.spec.hostNetwork: Forbidden: when `hostUsers` is false")]),
    ("host-users-network-1.37", HOST_USERS_NET, "1.37",
     [(10, 20, "JC103", "spec.template.spec.hostNetwork: Forbidden: when `hostUsers` is false")]),
    ("host-users-devices-1.34", HOST_USERS_DEVICES, "1.34",
     [(17, 11, "JC103", f"{C0}.volumeDevices: Forbidden: when `hostUsers` is false")]),
    ("host-users-devices-1.37", HOST_USERS_DEVICES, "1.37",
     [(17, 11, "JC103", f"{C0}.volumeDevices: Forbidden: when `hostUsers` is false")]),
    ("host-users-init-devices-1.35", HOST_USERS_INIT_DEVICES, "1.35",
     [(17, 11, "JC103", "spec.template.spec.initContainers[0].volumeDevices: Forbidden: when `hostUsers` is false")]),
]
WORDING_PASSING = [
    ("resize-on-failure-1.37", RESIZE.replace("restartPolicy: Never", "restartPolicy: OnFailure"), "1.37"),
    ("resize-not-required-1.37", RESIZE.replace("RestartContainer", "NotRequired"), "1.37"),
    # The devices rule is kubernetes#132868's: 1.33 accepts them with hostUsers: false.
    ("host-users-devices-1.33", HOST_USERS_DEVICES, "1.33"),
    ("host-users-true-devices-1.37", HOST_USERS_DEVICES.replace("hostUsers: false", "hostUsers: true"), "1.37"),
    ("devices-without-host-users-1.37", job(pod=PVC, container=DEVICES), "1.37"),
    ("host-users-empty-devices-1.37", job(pod="      hostUsers: false\n" + PVC,
                                          container="          volumeDevices: []\n"), "1.37"),
]


@pytest.mark.parametrize("name,text,version,expected", WORDING_FAILING, ids=[c[0] for c in WORDING_FAILING])
def test_wording_by_release(name, text, version, expected):
    assert findings(text, version, rules=("JC103",)) == expected


@pytest.mark.parametrize("name,text,version", WORDING_PASSING, ids=[c[0] for c in WORDING_PASSING])
def test_wording_cases_accepted(name, text, version):
    assert findings(text, version, rules=("JC103",)) == []


def test_host_users_devices_odd_shapes_never_crash():
    for devices in ("5", "{a: 1}", "[1, null]", "null"):
        text = job(pod="      hostUsers: false\n", container=f"          volumeDevices: {devices}\n")
        findings(text, "1.37", rules=("JC103",))  # refused or accepted, never a traceback
