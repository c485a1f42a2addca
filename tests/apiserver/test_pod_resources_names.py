"""JC103, resource names (issue 12): ``validateResourceName`` and ``validateContainerResourceName``
on containers' requests and limits and on ``overhead`` (``validateOverhead`` runs the container
rules on it as limits), ``validatePodResourceName`` on pod-level resources, the other overhead
rules, and ``validateWindows`` for a container's procMount.

The rejected name is printed as the server's field.Error prints it: a plain string (%q) up to
1.28, a core.ResourceName printed with String() (bare) from 1.30 to 1.33, a JSON string
(quoted, ``<`` as ``\u003c``) from 1.36. 1.29 and 1.34-1.35 are not pinned (see containers.py
and messages.value_printing) and are not reported: those cases are listed below as well, so
that a change to the version table shows up here.
"""

from __future__ import annotations

import pytest

from jobcheck.kube.apiserver.containers import name_quoting, resource_name_errors, shown_resource_name
from jobcheck.lint.engine import lint_text
from tests.apiserver.helpers import cronjob, hits, job

T = "spec.template.spec"
C = f"{T}.containers[0]"
QNAME = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
STANDARD = "must be a standard resource type or fully qualified"
CONTAINERS = "must be a standard resource for containers"
EXTENDED = "doesn't follow extended resource name standard"
WINDOWS = "Forbidden: cannot be set for a windows pod"


def _limits(**limits) -> dict:
    return job(container={"resources": {"limits": dict({"memory": "1Gi"}, **limits)}})


def _requests(names: dict) -> dict:
    return job(container={"resources": {"requests": names}})


def _hit(path: str, body: str) -> tuple[str, str]:
    return (f"{C}.resources.{path.replace('[', '.').rstrip(']')}", f"{C}.resources.{path}: {body}")


QUOTED, BARE, JSON = (1, 28), (1, 33), (1, 37)
OH = f"{T}.overhead"

FAILING = [
    # --- validateContainerResourceName: a bare name that is not a container resource ---
    ("not-standard-quoted", _limits(gpu="1"), QUOTED,
     [_hit("limits[gpu]", f'Invalid value: "gpu": {STANDARD}'),
      _hit("limits[gpu]", f'Invalid value: "gpu": {CONTAINERS}')]),
    ("not-standard-bare", _limits(gpu="1"), BARE,
     [_hit("limits[gpu]", f"Invalid value: gpu: {STANDARD}"),
      _hit("limits[gpu]", f"Invalid value: gpu: {CONTAINERS}")]),
    ("not-standard-1.27", _limits(gpu="1"), (1, 27),
     [_hit("limits[gpu]", f'Invalid value: "gpu": {STANDARD}'),
      _hit("limits[gpu]", f'Invalid value: "gpu": {CONTAINERS}')]),
    ("not-standard-1.30", _limits(gpu="1"), (1, 30),
     [_hit("limits[gpu]", f"Invalid value: gpu: {STANDARD}"),
      _hit("limits[gpu]", f"Invalid value: gpu: {CONTAINERS}")]),
    # a standard resource name (quota) that a container may not request: one error only
    ("quota-name", _requests({"pods": "1", "requests.cpu": "1"}), BARE,
     [_hit("requests[pods]", f"Invalid value: pods: {CONTAINERS}"),
      _hit("requests[requests.cpu]", f"Invalid value: requests.cpu: {CONTAINERS}")]),
    ("quota-name-quoted", _requests({"limits.memory": "1Gi"}), QUOTED,
     [_hit("requests[limits.memory]", f'Invalid value: "limits.memory": {CONTAINERS}')]),
    # --- validateResourceName: qualified-name syntax, then the container rule still applies ---
    ("not-qualified", _limits(**{"my gpu": "1"}), QUOTED,
     [_hit("limits[my gpu]", f'Invalid value: "my gpu": {QNAME}'),
      _hit("limits[my gpu]", f'Invalid value: "my gpu": {CONTAINERS}')]),
    ("not-qualified-bare", _limits(**{"my gpu": "1"}), BARE,
     [_hit("limits[my gpu]", f"Invalid value: my gpu: {QNAME}"),
      _hit("limits[my gpu]", f"Invalid value: my gpu: {CONTAINERS}")]),
    # --- a prefixed name: native (kubernetes.io/) or extended, else refused ---
    ("requests-prefix", _limits(**{"requests.example.com/gpu": "1"}), BARE,
     [_hit("limits[requests.example.com/gpu]", f"Invalid value: requests.example.com/gpu: {EXTENDED}")]),
    ("bad-prefix", _limits(**{"example_com/gpu": "1"}), QUOTED,
     [_hit("limits[example_com/gpu]",
           "Invalid value: \"example_com/gpu\": prefix part a lowercase RFC 1123 subdomain must consist of lower "
           "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
           "'example.com', regex used for validation is "
           "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
      _hit("limits[example_com/gpu]", f'Invalid value: "example_com/gpu": {EXTENDED}')]),
    # init containers go through the same rule
    ("init-container", job(pod={"initContainers": [{"name": "init", "image": "busybox",
                                                    "resources": {"limits": {"gpu": "1"}}}]}), BARE,
     [(f"{T}.initContainers[0].resources.limits.gpu",
       f"{T}.initContainers[0].resources.limits[gpu]: Invalid value: gpu: {STANDARD}"),
      (f"{T}.initContainers[0].resources.limits.gpu",
       f"{T}.initContainers[0].resources.limits[gpu]: Invalid value: gpu: {CONTAINERS}")]),
    # --- from 1.36 a core.ResourceName prints as JSON: quoted, and "<" escaped unlike %q ---
    ("not-standard-json", _limits(gpu="1"), JSON,
     [_hit("limits[gpu]", f'Invalid value: "gpu": {STANDARD}'),
      _hit("limits[gpu]", f'Invalid value: "gpu": {CONTAINERS}')]),
    ("not-standard-1.36", _limits(gpu="1"), (1, 36),
     [_hit("limits[gpu]", f'Invalid value: "gpu": {STANDARD}'),
      _hit("limits[gpu]", f'Invalid value: "gpu": {CONTAINERS}')]),
    ("json-escapes", _requests({"a<b": "1"}), JSON,
     [_hit("requests[a<b]", f'Invalid value: "a\\u003cb": {QNAME}'),
      _hit("requests[a<b]", f'Invalid value: "a\\u003cb": {CONTAINERS}')]),
    ("go-quote-keeps-lt", _requests({"a<b": "1"}), QUOTED,
     [_hit("requests[a<b]", f'Invalid value: "a<b": {QNAME}'),
      _hit("requests[a<b]", f'Invalid value: "a<b": {CONTAINERS}')]),
    ("requests-prefix-json", _limits(**{"requests.example.com/gpu": "1"}), JSON,
     [_hit("limits[requests.example.com/gpu]", f'Invalid value: "requests.example.com/gpu": {EXTENDED}')]),
    # --- validatePodResourceName (pod-level resources, served from 1.34; names pinned from 1.36) ---
    ("pod-level-unsupported", job(pod={"resources": {"limits": {"ephemeral-storage": "1Gi", "cpu": "1"}}}), JSON,
     [(f"{T}.resources.limits.ephemeral-storage", f'{T}.resources.limits[ephemeral-storage]: Unsupported value: '
       '"ephemeral-storage": supported values: "cpu", "hugepages-", "memory"')]),
    ("pod-level-not-standard", job(pod={"resources": {"requests": {"gpu": "1", "memory": "1Gi"}}}), (1, 36),
     [(f"{T}.resources.requests.gpu", f'{T}.resources.requests[gpu]: Invalid value: "gpu": {STANDARD}')]),
    # --- validateOverhead: the container rules on overhead, as limits ---
    ("overhead-name", job(pod={"overhead": {"gpu": "1", "memory": "1Mi"}}), JSON,
     [(f"{OH}.gpu", f'{OH}.limits[gpu]: Invalid value: "gpu": {STANDARD}'),
      (f"{OH}.gpu", f'{OH}.limits[gpu]: Invalid value: "gpu": {CONTAINERS}')]),
    ("overhead-name-bare", job(pod={"overhead": {"gpu": "1", "memory": "1Mi"}}), BARE,
     [(f"{OH}.gpu", f"{OH}.limits[gpu]: Invalid value: gpu: {STANDARD}"),
      (f"{OH}.gpu", f"{OH}.limits[gpu]: Invalid value: gpu: {CONTAINERS}")]),
    ("overhead-name-quoted", job(pod={"overhead": {"example_com/gpu": "1", "cpu": "1"}}), (1, 27),
     [(f"{OH}.example_com/gpu",
       f'{OH}.limits[example_com/gpu]: Invalid value: "example_com/gpu": prefix part a lowercase RFC 1123 subdomain '
       "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
       "alphanumeric character (e.g. 'example.com', regex used for validation is "
       "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
      (f"{OH}.example_com/gpu", f'{OH}.limits[example_com/gpu]: Invalid value: "example_com/gpu": {EXTENDED}')]),
    ("overhead-hugepages-alone", job(pod={"overhead": {"hugepages-2Mi": "4Mi"}}), (1, 29),
     [(OH, f"{OH}: Forbidden: HugePages require cpu or memory")]),
    ("overhead-hugepages-indivisible", job(pod={"overhead": {"hugepages-2Mi": "3Mi", "cpu": "250m"}}), (1, 34),
     [(f"{OH}.hugepages-2Mi",
       f'{OH}.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi')]),
    ("overhead-extended-fraction", job(pod={"overhead": {"example.com/gpu": "500m", "cpu": "250m"}}), JSON,
     [(f"{OH}.example.com/gpu", f'{OH}.limits[example.com/gpu]: Invalid value: "500m": must be an integer')]),
    # --- validateWindows: a container's procMount, in every release (reset to Default, not dropped) ---
    ("windows-proc-mount", job(pod={"os": {"name": "windows"}}, container={"securityContext": {"procMount": "Default"}}),
     (1, 34), [(f"{C}.securityContext.procMount", f"{C}.securityContext.procMount: {WINDOWS}")]),
    ("windows-proc-mount-1.33", job(pod={"os": {"name": "windows"}},
                                    container={"securityContext": {"procMount": "Default"}}), (1, 33),
     [(f"{C}.securityContext.procMount", f"{C}.securityContext.procMount: {WINDOWS}")]),
    ("windows-proc-mount-1.27", job(pod={"os": {"name": "windows"}},
                                    container={"securityContext": {"procMount": "Default"}}), (1, 27),
     [(f"{C}.securityContext.procMount", f"{C}.securityContext.procMount: {WINDOWS}")]),
    # --- validateResizePolicy: resourceName is a core.ResourceName too (served from 1.33) ---
    ("resize-duplicate-1.33", job(container={"resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"},
                                                              {"resourceName": "cpu", "restartPolicy": "NotRequired"}]}),
     (1, 33), [(f"{C}.resizePolicy[1].resourceName", f"{C}.resizePolicy[1]: Duplicate value: cpu")]),
    # from 1.34 the printed form is not pinned: the quoted form of the newest source is kept
    ("resize-resource-1.34", job(container={"resizePolicy": [{"resourceName": "gpu", "restartPolicy": "NotRequired"}]}),
     (1, 34), [(f"{C}.resizePolicy[0].resourceName",
                f'{C}.resizePolicy: Unsupported value: "gpu": supported values: "cpu", "memory"')]),
]

PASSING = [
    ("standard", job(container={"resources": {
        "limits": {"cpu": "1", "memory": "1Gi", "ephemeral-storage": "1Gi", "hugepages-2Mi": "2Mi",
                   "example.com/gpu": "1", "kubernetes.io/custom": "1"},
        "requests": {"cpu": "500m", "memory": "1Gi", "hugepages-2Mi": "2Mi", "example.com/gpu": "1"}}}), QUOTED),
    ("standard-bare", job(container={"resources": {
        "limits": {"memory": "1Gi", "example.com/gpu": "1", "hugepages-1Gi": "1Gi"},
        "requests": {"memory": "1Gi", "example.com/gpu": "1", "hugepages-1Gi": "1Gi"}}}), BARE),
    # not pinned: the name's printed form changes in these releases (see containers.py)
    ("not-pinned-1.29", _limits(gpu="1"), (1, 29)),
    ("not-pinned-1.34", _limits(gpu="1"), (1, 34)),
    ("not-pinned-1.35", _requests({"a<b": "1"}), (1, 35)),
    ("pod-level-not-pinned-1.34", job(pod={"resources": {"limits": {"ephemeral-storage": "1Gi", "cpu": "1"}}}),
     (1, 34)),
    ("pod-level-not-pinned-1.35", job(pod={"resources": {"requests": {"gpu": "1", "memory": "1Gi"}}}), (1, 35)),
    ("overhead-name-not-pinned", job(pod={"overhead": {"gpu": "1", "memory": "1Mi"}}), (1, 29)),
    # an extended resource's fraction in overhead: its bad value is a resource.Quantity, whose
    # printing before 1.36 is not pinned (see podlevel._validate_overhead)
    ("overhead-extended-fraction-1.33", job(pod={"overhead": {"example.com/gpu": "500m", "cpu": "250m"}}), BARE),
    # accepted names and values
    ("pod-level-standard", job(pod={"resources": {"limits": {"cpu": "1", "memory": "1Gi", "hugepages-2Mi": "2Mi"}}}),
     JSON),
    ("overhead-standard", job(pod={"overhead": {"cpu": "250m", "memory": "120Mi", "hugepages-2Mi": "4Mi",
                                                 "example.com/gpu": "1", "kubernetes.io/x": "1"}}), JSON),
    ("overhead-ephemeral", job(pod={"overhead": {"ephemeral-storage": "1Gi"}}), QUOTED),
    # shapes the schema refuses (JC102) or the server cannot decode: no JC103 hit, no crash
    ("overhead-not-a-map", job(pod={"overhead": ["cpu", {"gpu": 1}]}), JSON),
    ("overhead-odd-values", job(pod={"overhead": {"cpu": None, "memory": [1], "example.com/gpu": {"a": 1}}}), JSON),
    # procMount on a linux pod, or a windows pod without it
    ("linux-proc-mount", job(pod={"os": {"name": "linux"}}, container={"securityContext": {"procMount": "Default"}}),
     (1, 34)),
    ("windows-no-proc-mount", job(pod={"os": {"name": "windows"}},
                                  container={"securityContext": {"windowsOptions": {"runAsUserName": "app"}}}),
     (1, 34)),
    ("windows-proc-mount-null", job(pod={"os": {"name": "windows"}}, container={"securityContext": {"procMount": None}}),
     (1, 34)),
]


@pytest.mark.parametrize("doc,version,expected", [c[1:] for c in FAILING], ids=[c[0] for c in FAILING])
def test_resource_name_rules_report(doc, version, expected):
    assert sorted(hits(doc, version)) == sorted(expected)


@pytest.mark.parametrize("doc,version", [c[1:] for c in PASSING], ids=[c[0] for c in PASSING])
def test_resource_name_rules_accept(doc, version):
    assert hits(doc, version) == []


def test_cronjob_templates_are_checked_too():
    doc = cronjob(container={"resources": {"limits": {"gpu": "1"}}})
    path = "spec.jobTemplate.spec.template.spec.containers[0].resources.limits"
    assert sorted(hits(doc, BARE)) == [
        (f"{path}.gpu", f"{path}[gpu]: Invalid value: gpu: {CONTAINERS}"),
        (f"{path}.gpu", f"{path}[gpu]: Invalid value: gpu: {STANDARD}"),
    ]


def test_name_quoting_by_release():
    assert [name_quoting((1, minor)) for minor in range(27, 38)] == [
        True, True, None, False, False, False, False, None, None, True, True,
    ]


@pytest.mark.parametrize("version,expected", [
    ((1, 27), '"a<b"'), ((1, 28), '"a<b"'), ((1, 29), None), ((1, 30), "a<b"), ((1, 33), "a<b"),
    ((1, 34), None), ((1, 35), None), ((1, 36), '"a\\u003cb"'), ((1, 37), '"a\\u003cb"'),
])
def test_shown_resource_name_by_release(version, expected):
    """%q of a string up to 1.28, String() of core.ResourceName 1.30-1.33, JSON from 1.36."""
    assert shown_resource_name("a<b", version) == expected


@pytest.mark.parametrize("name,expected", [
    ("cpu", []), ("hugepages-2Mi", []), ("requests.cpu", [("invalid", CONTAINERS)]),
    ("gpu", [("invalid", STANDARD), ("invalid", CONTAINERS)]),
    ("example.com/gpu", []), ("kubernetes.io/x", []),
    ("requests.example.com/gpu", [("invalid", EXTENDED)]),
])
def test_container_resource_name_classification(name, expected):
    assert resource_name_errors(name) == expected


@pytest.mark.parametrize("name,expected", [
    ("cpu", []), ("memory", []), ("hugepages-2Mi", []),
    ("ephemeral-storage", [("unsupported", "")]), ("example.com/gpu", [("unsupported", "")]),
    ("gpu", [("invalid", STANDARD)]),  # validateResourceName's error only: validatePodResourceName stops there
    ("my gpu", [("invalid", QNAME)]),
])
def test_pod_level_resource_name_classification(name, expected):
    """validatePodResourceName: reported from 1.36, where the name's printing is pinned (1.34 and
    1.35 serve pod-level resources but print the name in a form not pinned)."""
    assert resource_name_errors(name, pod_level=True) == expected


POSITIONS = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pos
spec:
  template:
    spec:
      restartPolicy: Never
      os:
        name: windows
      containers:
      - name: main
        image: busybox
        securityContext:
          procMount: Default
        resources:
          limits:
            memory: 1Gi
            gpu: "1"
"""


@pytest.mark.parametrize("version,expected", [
    ("1.33", [(15, 22, f"{C}.securityContext.procMount"), (19, 13, f"{C}.resources.limits[gpu]"),
              (19, 13, f"{C}.resources.limits[gpu]")]),
    ("1.34", [(15, 22, f"{C}.securityContext.procMount")]),
    ("1.37", [(15, 22, f"{C}.securityContext.procMount"), (19, 13, f"{C}.resources.limits[gpu]"),
              (19, 13, f"{C}.resources.limits[gpu]")]),
])
def test_positions_are_the_key_of_the_name(version, expected):
    found = sorted((f.line, f.column, f.message.split(": ")[0]) for f in lint_text(POSITIONS, kubernetes_version=version)
                   if f.rule == "JC103")
    assert found == expected


OVERHEAD = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pos
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
      overhead:
        gpu: "1"
        example.com/fpga: 500m
        hugepages-2Mi: 3Mi
"""


@pytest.mark.parametrize("version,expected", [
    # name rules at the key, quantity rules at the value, "require cpu or memory" at overhead
    ("1.37", [(12, 7, f"{OH}: Forbidden: HugePages require cpu or memory"),
              (13, 9, f'{OH}.limits[gpu]: Invalid value: "gpu": {CONTAINERS}'),
              (13, 9, f'{OH}.limits[gpu]: Invalid value: "gpu": {STANDARD}'),
              (14, 27, f'{OH}.limits[example.com/fpga]: Invalid value: "500m": must be an integer'),
              (15, 24, f'{OH}.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of '
                       'hugepages-2Mi')]),
    # 1.35: names and the Quantity value not pinned; the string-valued and Forbidden rules are
    ("1.35", [(12, 7, f"{OH}: Forbidden: HugePages require cpu or memory"),
              (15, 24, f'{OH}.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of '
                       'hugepages-2Mi')]),
])
def test_overhead_positions(version, expected):
    found = sorted((f.line, f.column, f.message) for f in lint_text(OVERHEAD, kubernetes_version=version)
                   if f.rule == "JC103")
    assert found == sorted(expected)
