"""JC105 (refused on every Job a CronJob creates), JC106 (the API server's create-time warnings) and
JC208 (accepted, but the Job cannot work): per case the message and the exact position, a passing
manifest, and the versions where the behaviour differs."""

from __future__ import annotations

import pytest

from jobcheck.config import Config
from jobcheck.lint.engine import build_options, lint_text
from tests.apiserver.test_rules import LABEL_VALUE, QNAME

LATER = "accepted on the CronJob, refused on every Job the CronJob creates: "
T = "spec.jobTemplate.spec.template"
FRACTION = "fractional byte value {} is invalid, must be an integer"
NAME = ("metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; "
        "a DNS label is recommended: [must not contain dots]")
_OPTIONS: dict = {}


def findings(text: str, version: str = "1.34", rules: tuple[str, ...] = ("JC105", "JC106", "JC208")):
    options = _OPTIONS.get(version)
    if options is None:
        options = _OPTIONS[version] = build_options(Config(select=("ALL",)), kubernetes_version=version)
    return sorted((f.line, f.column, f.rule, f.message) for f in lint_text(text, "t.yaml", options=options)
                  if f.rule in rules)


def cronjob(job_meta: str = "", pod_meta: str = "", pod: str = "", container: str = "", job: str = "",
            cron: str = "", name: str = "nightly") -> str:
    """A CronJob with blocks inserted at fixed places; line numbers below count from this layout."""
    return (
        "apiVersion: batch/v1\n"                      # 1
        "kind: CronJob\n"                             # 2
        "metadata:\n"                                 # 3
        f"  name: {name}\n"                           # 4
        "spec:\n"                                     # 5
        '  schedule: "0 3 * * *"\n'                   # 6
        + cron +
        "  jobTemplate:\n"
        + ("    metadata:\n" + job_meta if job_meta else "") +
        "    spec:\n"
        + job +
        "      template:\n"
        + ("        metadata:\n" + pod_meta if pod_meta else "") +
        "        spec:\n"
        "          restartPolicy: Never\n"
        + pod +
        "          containers:\n"
        "            - name: main\n"
        "              image: busybox:1.36\n"
        + container
    )


def job(pod: str = "", container: str = "", spec: str = "", name: str = "report", api: str = "batch/v1") -> str:
    return (
        f"apiVersion: {api}\n"                        # 1
        "kind: Job\n"                                 # 2
        "metadata:\n"                                 # 3
        f"  name: {name}\n"                           # 4
        "spec:\n"                                     # 5
        + spec +
        "  template:\n"
        "    spec:\n"
        "      restartPolicy: Never\n"
        + pod +
        "      containers:\n"
        "        - name: main\n"
        "          image: busybox:1.36\n"
        + container
    )


# --- JC105: what the CronJob create path lets through and every Job's create refuses ---------------

JOB_LABELS = ('{"batch.kubernetes.io/controller-uid":"<uid>","batch.kubernetes.io/job-name":"nightly-<minute>",'
              '"controller-uid":"<uid>","job-name":"%s"}')
LONG = "n" * 50

LATER_FAILING = [
    ("label-value", cronjob(job_meta="      labels:\n        owner: team a\n"), "1.34",
     [(10, 16, "JC105", LATER + f'metadata.labels: Invalid value: "team a": {LABEL_VALUE}')]),
    ("label-key", cronjob(job_meta="      labels:\n        -owner: a\n"), "1.27",
     [(10, 9, "JC105", LATER + f'metadata.labels: Invalid value: "-owner": {QNAME}')]),
    ("annotation-key", cronjob(job_meta="      annotations:\n        a/b/c: x\n"), "1.37",
     [(10, 9, "JC105", LATER + 'metadata.annotations: Invalid value: "a/b/c": a qualified name '
       + QNAME.removeprefix("name part ") + " with an optional DNS subdomain prefix and '/' "
       "(e.g. 'example.com/MyName')")]),
    ("annotation-size", cronjob(job_meta="      annotations:\n        big: " + "x" * (256 * 1024) + "\n"), "1.34",
     [(9, 7, "JC105", LATER + "metadata.annotations: Too long: may not be more than 262144 bytes")]),
    ("pod-job-name-label", cronjob(pod_meta="          labels:\n            job-name: fixed\n"), "1.34",
     [(12, 23, "JC105", LATER + "spec.template.metadata.labels[job-name]: Invalid value: "
       + JOB_LABELS % "fixed" + ": must be 'nightly-<minute>'")]),
    ("pod-uid-label", cronjob(pod_meta="          labels:\n            batch.kubernetes.io/controller-uid: x\n"),
     "1.27",
     [(12, 49, "JC105", LATER + "spec.template.metadata.labels[batch.kubernetes.io/controller-uid]: Invalid value: "
       + JOB_LABELS.replace('"batch.kubernetes.io/controller-uid":"<uid>"', '"batch.kubernetes.io/controller-uid":"x"')
       % "nightly-<minute>" + ": must be '<uid>'")]),
    ("indexed-hostname", cronjob(name=LONG, job="      completionMode: Indexed\n      completions: 10000\n"), "1.34",
     [(4, 9, "JC105", LATER + f'metadata.name: Invalid value: "{LONG}-<minute>": will not able to create pod with '
       f"invalid DNS label: {LONG}-<minute>-9999")]),
    ("indexed-hostname-dots", cronjob(name="my.cron", job="      completionMode: Indexed\n      completions: 2\n"),
     "1.27",
     [(4, 9, "JC105", LATER + 'metadata.name: Invalid value: "my.cron-<minute>": will not able to create pod with '
       "invalid DNS label: my.cron-<minute>-1")]),
]

LATER_PASSING = [
    ("labels-and-annotations", cronjob(
        job_meta="      labels:\n        owner: team-a\n      annotations:\n        example.com/note: any text\n"),
     "1.34"),
    ("pod-labels", cronjob(pod_meta="          labels:\n            app: report\n"), "1.34"),
    ("indexed-short-name", cronjob(name=LONG, job="      completionMode: Indexed\n      completions: 1000\n"), "1.34"),
    # The CronJob itself is refused (JC103): no second word about its Jobs' hostnames.
    ("indexed-name-refused", cronjob(name="n" * 53, job="      completionMode: Indexed\n      completions: 9\n"),
     "1.34"),
    ("job-not-cronjob", job(), "1.34"),
]


@pytest.mark.parametrize("text,version,expected", [c[1:] for c in LATER_FAILING], ids=[c[0] for c in LATER_FAILING])
def test_refused_on_every_job(text, version, expected):
    assert findings(text, version, ("JC105",)) == expected
    # The CronJob create path accepts all of these: no JC103 at those places.
    assert findings(text, version, ("JC103",)) == []


@pytest.mark.parametrize("text,version", [c[1:] for c in LATER_PASSING], ids=[c[0] for c in LATER_PASSING])
def test_every_job_accepted(text, version):
    assert findings(text, version, ("JC105",)) == []


def test_a_job_metadata_label_is_still_jc103():
    """On a Job the same label is refused at once: JC103, not JC105."""
    text = job().replace("  name: report\n", "  name: report\n  labels:\n    owner: team a\n")
    assert [f[2] for f in findings(text, "1.34", ("JC103", "JC105"))] == ["JC103"]


def test_secret_looking_label_value_is_not_printed():
    text = cronjob(job_meta="      labels:\n        api-token: s3cr3t value\n")
    (found,) = findings(text, "1.34", ("JC105",))
    assert "s3cr3t" not in found[3] and "<value not shown" in found[3]


# --- JC106: the API server's create-time warnings ----------------------------------------------------

C = f"{T}.spec.containers[0]"
NULL = "a null labelSelector results in matching no pod"
SOFT = ("In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, "
        "Kubernetes might not be able to track completedIndexes when a big number of indexes fail")
SPREAD = ("      topologySpreadConstraints:\n        - maxSkew: 1\n          topologyKey: kubernetes.io/hostname\n"
          "          whenUnsatisfiable: ScheduleAnyway\n")
ANTI_AFFINITY = ("      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
                 "            - topologyKey: kubernetes.io/hostname\n"
                 "          preferredDuringSchedulingIgnoredDuringExecution:\n            - weight: 10\n"
                 "              podAffinityTerm:\n                topologyKey: kubernetes.io/hostname\n")
SOFT_LIMITS = "      completionMode: Indexed\n      completions: 100001\n      parallelism: 10001\n"
GRACE = "      terminationGracePeriodSeconds: -5\n"
OVERHEAD = "      overhead:\n        memory: 100m\n        ephemeral-storage: 1.5\n        cpu: 250m\n"
EPHEMERAL = ("      volumes:\n        - name: scratch\n          ephemeral:\n            volumeClaimTemplate:\n"
             "              spec:\n                accessModes: [ReadWriteOnce]\n                resources:\n"
             "                  requests:\n                    storage: 1.5\n                  limits:\n"
             "                    storage: 2500m\n")
EPH = "spec.template.spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources"
DUP_ENV = "          env:\n            - name: A\n              value: one\n            - name: A\n              value: two\n"
WARN_FAILING = [
    ("fractional-memory-request", cronjob(container="              resources:\n                requests:\n"
                                                    "                  memory: 500m\n"), "1.34",
     [(17, 27, "JC106", f"{C}.resources.requests[memory]: " + FRACTION.format('"500m"'))]),
    ("fractional-storage-limit", job(container="          resources:\n            limits:\n"
                                               "              ephemeral-storage: 1.5\n"), "1.27",
     [(14, 34, "JC106", "spec.template.spec.containers[0].resources.limits[ephemeral-storage]: "
       + FRACTION.format('"1500m"'))]),
    ("duplicate-env", job(container="          env:\n            - name: A\n              value: one\n"
                                    "            - name: A\n              value: two\n"), "1.34",
     [(15, 15, "JC106", 'spec.template.spec.containers[0].env[1]: hides previous definition of "A", which may be '
       "dropped when using apply")]),
    ("duplicate-env-value-from", job(container="          env:\n            - name: A\n              value: one\n"
                                               "            - name: A\n              valueFrom:\n"
                                               "                fieldRef:\n                  fieldPath: "
                                               "metadata.name\n"), "1.34",
     [(15, 15, "JC106", 'spec.template.spec.containers[0].env[1]: hides previous definition of "A", which may be '
       "dropped when using apply")]),
    # kubernetes#122126 (merged for 1.30) added the apply hint; the 1.28-cycle warnings.go has the bare text.
    ("duplicate-env-1.29", job(container=DUP_ENV), "1.29",
     [(15, 15, "JC106", 'spec.template.spec.containers[0].env[1]: hides previous definition of "A"')]),
    ("duplicate-env-1.27", job(container=DUP_ENV), "1.27",
     [(15, 15, "JC106", 'spec.template.spec.containers[0].env[1]: hides previous definition of "A"')]),
    ("duplicate-env-1.30", job(container=DUP_ENV), "1.30",
     [(15, 15, "JC106", 'spec.template.spec.containers[0].env[1]: hides previous definition of "A", which may be '
       "dropped when using apply")]),
    ("node-selector-label", job(pod="      nodeSelector:\n        beta.kubernetes.io/arch: amd64\n"), "1.34",
     [(10, 9, "JC106", 'spec.template.spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use '
       '"kubernetes.io/arch" instead')]),
    ("node-affinity-label", job(pod=(
        "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
        "            nodeSelectorTerms:\n              - matchExpressions:\n"
        "                  - key: failure-domain.beta.kubernetes.io/zone\n"
        "                    operator: In\n                    values: [a]\n")), "1.34",
     [(14, 26, "JC106", "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
       "nodeSelectorTerms[0].matchExpressions[0].key: failure-domain.beta.kubernetes.io/zone is deprecated since "
       'v1.17; use "topology.kubernetes.io/zone" instead')]),
    ("preferred-affinity-label", job(pod=(
        "      affinity:\n        nodeAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n"
        "            - weight: 1\n              preference:\n                matchExpressions:\n"
        "                  - key: beta.kubernetes.io/instance-type\n"
        "                    operator: Exists\n")), "1.34",
     [(15, 26, "JC106", "spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution"
       "[0].preference.matchExpressions[0].key: beta.kubernetes.io/instance-type is deprecated since v1.17; use "
       '"node.kubernetes.io/instance-type" instead')]),
    ("spread-topology-key", job(pod=(
        "      topologySpreadConstraints:\n        - maxSkew: 1\n"
        "          topologyKey: failure-domain.beta.kubernetes.io/region\n"
        "          whenUnsatisfiable: DoNotSchedule\n          labelSelector:\n            matchLabels: {app: a}\n")),
     "1.34",
     [(11, 24, "JC106", "spec.template.spec.topologySpreadConstraints[0].topologyKey: "
       "failure-domain.beta.kubernetes.io/region is deprecated since v1.17; use \"topology.kubernetes.io/region\" "
       "instead")]),
    ("critical-pod", cronjob(pod_meta="          annotations:\n            "
                                      "scheduler.alpha.kubernetes.io/critical-pod: \"\"\n"), "1.34",
     [(12, 13, "JC106", f"{T}.metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in "
       'v1.16+; use the "priorityClassName" field instead')]),
    ("seccomp-pod", cronjob(pod_meta="          annotations:\n            "
                                     "seccomp.security.alpha.kubernetes.io/pod: runtime/default\n"), "1.27",
     [(12, 13, "JC106", f"{T}.metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in "
       'v1.27+; use the "seccompProfile" field instead')]),
    ("apparmor-1.30", cronjob(pod_meta="          annotations:\n            "
                                       "container.apparmor.security.beta.kubernetes.io/main: runtime/default\n"),
     "1.30",
     [(12, 13, "JC106", f"{T}.metadata.annotations[container.apparmor.security.beta.kubernetes.io/main]: "
       'deprecated since v1.30; use the "appArmorProfile" field instead')]),
    ("git-repo", job(pod="      volumes:\n        - name: src\n          gitRepo:\n"
                         "            repository: https://example.com/r.git\n"), "1.34",
     [(11, 11, "JC106", "spec.template.spec.volumes[0].gitRepo: deprecated in v1.11")]),
    ("cephfs-1.31", job(pod="      volumes:\n        - name: fs\n          cephfs:\n            monitors: [a]\n"),
     "1.31",
     [(11, 11, "JC106", "spec.template.spec.volumes[0].cephfs: deprecated in v1.28, non-functional in v1.31+")]),
    ("pull-secrets", job(pod="      imagePullSecrets:\n        - name: reg\n        - name: reg\n        - name: \"\"\n"),
     "1.34",
     [(11, 17, "JC106", 'spec.template.spec.imagePullSecrets[1].name: duplicate name "reg"'),
      (12, 17, "JC106", 'spec.template.spec.imagePullSecrets[2].name: invalid empty name ""')]),
    ("host-aliases", job(pod="      hostAliases:\n        - ip: 10.0.0.1\n          hostnames: [a]\n"
                             "        - ip: 10.0.0.1\n          hostnames: [b]\n"), "1.34",
     [(12, 15, "JC106", 'spec.template.spec.hostAliases[1].ip: duplicate ip "10.0.0.1"')]),
    ("spread-null-selector-1.28", job(pod=SPREAD), "1.28",
     [(10, 11, "JC106", "spec.template.spec.topologySpreadConstraints[0].labelSelector: " + NULL)]),
    ("anti-affinity-null-selectors", job(pod=ANTI_AFFINITY), "1.34",
     [(12, 15, "JC106", "spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution"
       "[0].labelSelector: " + NULL),
      (15, 15, "JC106", "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution"
       "[0].podAffinityTerm.labelSelector: " + NULL)]),
    ("indexed-soft-limits-1.28", cronjob(job=SOFT_LIMITS), "1.28", [(8, 5, "JC106", f"spec.jobTemplate.spec: {SOFT}")]),
    ("negative-grace-1.28", job(pod=GRACE), "1.28",
     [(9, 38, "JC106", "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are "
       "invalid and will be treated as 1")]),
    ("overhead-fractional-1.27", job(pod=OVERHEAD), "1.27",
     [(10, 17, "JC106", "spec.template.spec.overhead[memory]: " + FRACTION.format('"100m"')),
      (11, 28, "JC106", "spec.template.spec.overhead[ephemeral-storage]: " + FRACTION.format('"1500m"'))]),
    ("ephemeral-claim-fractional-1.28", job(pod=EPHEMERAL), "1.28",
     [(17, 30, "JC106", f"{EPH}.requests[storage]: " + FRACTION.format('"1500m"')),
      (19, 30, "JC106", f"{EPH}.limits[storage]: " + FRACTION.format('"2500m"'))]),
    ("ephemeral-claim-fractional-cronjob", cronjob(pod="".join("    " + line + "\n"
                                                               for line in EPHEMERAL.splitlines())), "1.37",
     [(20, 34, "JC106", f"{T}.spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources.requests[storage]: "
       + FRACTION.format('"1500m"')),
      (22, 34, "JC106", f"{T}.spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources.limits[storage]: "
       + FRACTION.format('"2500m"'))]),
    ("job-name-dots", job(name="report.v2"), "1.34", [(4, 9, "JC106", NAME)]),
    ("cronjob-name-dots", cronjob(name="nightly.v2"), "1.27", [(4, 9, "JC106", NAME)]),
]

WARN_PASSING = [
    ("whole-bytes", job(container="          resources:\n            requests:\n              memory: 0.5Gi\n"
                                  "              ephemeral-storage: 1e3\n            limits:\n"
                                  "              memory: 512Mi\n              cpu: 500m\n"), "1.34"),
    ("env-extends-itself", job(container="          env:\n            - name: P\n              value: /a\n"
                                         "            - name: P\n              value: $(P):/b\n"), "1.34"),
    ("current-node-label", job(pod="      nodeSelector:\n        kubernetes.io/arch: amd64\n"), "1.34"),
    ("apparmor-1.29", cronjob(pod_meta="          annotations:\n            "
                                       "container.apparmor.security.beta.kubernetes.io/main: runtime/default\n"),
     "1.29"),
    ("apparmor-with-field", cronjob(pod_meta="          annotations:\n            "
                                             "container.apparmor.security.beta.kubernetes.io/main: runtime/default\n",
                                    pod="          securityContext:\n            appArmorProfile:\n"
                                        "              type: RuntimeDefault\n"), "1.34"),
    ("seccomp-with-field", cronjob(pod_meta="          annotations:\n            "
                                            "seccomp.security.alpha.kubernetes.io/pod: runtime/default\n",
                                   pod="          securityContext:\n            seccompProfile:\n"
                                       "              type: RuntimeDefault\n"), "1.34"),
    # An annotation value the server refuses (ValidatePodSpecificAnnotations) gets no warning.
    ("seccomp-bad-value", cronjob(pod_meta="          annotations:\n            "
                                           "seccomp.security.alpha.kubernetes.io/pod: localhost/../x\n"), "1.34"),
    ("apparmor-bad-value", cronjob(pod_meta="          annotations:\n            "
                                            "container.apparmor.security.beta.kubernetes.io/main: strict\n"), "1.34"),
    ("cephfs-1.30", job(pod="      volumes:\n        - name: fs\n          cephfs:\n            monitors: [a]\n"),
     "1.30"),
    ("distinct-pull-secrets", job(pod="      imagePullSecrets:\n        - name: a\n        - name: b\n"), "1.34"),
    ("dns-label-name", job(name="report-v2"), "1.34"),
    ("spread-null-selector-1.27", job(pod=SPREAD), "1.27"),
    ("anti-affinity-null-selectors-1.27", job(pod=ANTI_AFFINITY), "1.27"),
    ("spread-with-selector", job(pod=SPREAD + "          labelSelector:\n            matchLabels: {app: a}\n"), "1.34"),
    ("indexed-soft-limits-1.27", cronjob(job=SOFT_LIMITS), "1.27"),
    ("indexed-below-soft-limits", cronjob(job=SOFT_LIMITS.replace("10001", "10000")), "1.34"),
    # Refused objects get no warnings: the server computes them only after validation passed.
    ("refused-by-validation", job(pod="      hostname: my.host\n",
                                  container="          resources:\n            requests:\n"
                                            "              memory: 500m\n"), "1.34"),
    ("refused-removed-api", job(api="batch/v1beta1", container="          resources:\n            requests:\n"
                                                               "              memory: 500m\n"), "1.34"),
    ("refused-schema", job(spec="  parallelism: many\n", container="          resources:\n            requests:\n"
                                                                     "              memory: 500m\n"), "1.34"),
    ("refused-name", job(name="Report.v2"), "1.34"),
    # A negative grace period and the claim template's storage: not read for 1.27 (silent there).
    ("negative-grace-1.27", job(pod=GRACE), "1.27"),
    ("ephemeral-claim-fractional-1.27", job(pod=EPHEMERAL), "1.27"),
    ("grace-zero", job(pod="      terminationGracePeriodSeconds: 0\n"), "1.37"),
    ("overhead-whole-bytes", job(pod="      overhead:\n        memory: 120Mi\n        ephemeral-storage: 1.5k\n"
                                     "        cpu: 250m\n"), "1.37"),
    ("ephemeral-claim-whole-bytes", job(pod=EPHEMERAL.replace("1.5\n", "1.5Gi\n").replace("2500m", "2G")), "1.37"),
]


@pytest.mark.parametrize("text,version,expected", [c[1:] for c in WARN_FAILING], ids=[c[0] for c in WARN_FAILING])
def test_api_server_warning(text, version, expected):
    assert findings(text, version, ("JC106",)) == expected
    assert findings(text, version, ("JC103", "JC102", "JC003")) == []  # warnings of an accepted object


@pytest.mark.parametrize("text,version", [c[1:] for c in WARN_PASSING], ids=[c[0] for c in WARN_PASSING])
def test_no_api_server_warning(text, version):
    assert findings(text, version, ("JC106",)) == []


def test_warning_severity_is_warning_and_refusal_error():
    text = cronjob(job_meta="      labels:\n        owner: team a\n",
                   container="              resources:\n                requests:\n                  memory: 1m\n")
    got = {f.rule: str(f.severity) for f in lint_text(text, "t.yaml", options=build_options(Config(select=("ALL",))))
           if f.rule in ("JC105", "JC106")}
    assert got == {"JC105": "error", "JC106": "warning"}


# --- JC208: accepted, but the Job cannot work --------------------------------------------------------

DEADLINE = ("activeDeadlineSeconds 0: the Job controller fails the Job (DeadlineExceeded) as soon as it starts, "
            "so no pod can finish")
PARALLEL = ("parallelism 0: the Job controller starts no pods, so the Job never makes progress until parallelism "
            "is raised")
TTL = ("ttlSecondsAfterFinished 600 never acts: successfulJobsHistoryLimit and failedJobsHistoryLimit are both 0, "
       "so the CronJob controller deletes each Job as soon as it finishes")
COMPLETIONS = "completions 0: the Job controller marks the Job Complete at once, without starting a pod"
NO_HISTORY = "  successfulJobsHistoryLimit: 0\n  failedJobsHistoryLimit: 0\n"

CANNOT_FAILING = [
    ("deadline-zero", job(spec="  activeDeadlineSeconds: 0\n"), [(6, 26, "JC208", DEADLINE)]),
    ("parallelism-zero", job(spec="  parallelism: 0\n"), [(6, 16, "JC208", PARALLEL)]),
    ("template-deadline-zero", cronjob(job="      activeDeadlineSeconds: 0\n"), [(9, 30, "JC208", DEADLINE)]),
    ("completions-zero", job(spec="  completions: 0\n"), [(6, 16, "JC208", COMPLETIONS)]),
    ("indexed-completions-zero", cronjob(job="      completionMode: Indexed\n      completions: 0\n"),
     [(10, 20, "JC208", COMPLETIONS)]),
    ("suspended-parallelism-zero", job(spec="  suspend: true\n  parallelism: 0\n"), [(7, 16, "JC208", PARALLEL)]),
    ("ttl-without-history", cronjob(cron=NO_HISTORY, job="      ttlSecondsAfterFinished: 600\n"),
     [(11, 32, "JC208", TTL)]),
]

CANNOT_PASSING = [
    ("deadline-one", job(spec="  activeDeadlineSeconds: 1\n")),
    ("parallelism-one", job(spec="  parallelism: 1\n")),
    ("completions-one", job(spec="  completions: 1\n")),
    ("ttl-zero-without-history", cronjob(cron=NO_HISTORY, job="      ttlSecondsAfterFinished: 0\n")),
    ("ttl-with-history", cronjob(cron="  successfulJobsHistoryLimit: 0\n",
                                 job="      ttlSecondsAfterFinished: 600\n")),
    ("no-history-no-ttl", cronjob(cron=NO_HISTORY)),
    ("ttl-on-a-job", job(spec="  ttlSecondsAfterFinished: 600\n")),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CANNOT_FAILING], ids=[c[0] for c in CANNOT_FAILING])
def test_cannot_run(text, expected):
    assert findings(text, "1.34", ("JC208",)) == expected
    assert findings(text, "1.34", ("JC103",)) == []  # all of these are accepted by the server


@pytest.mark.parametrize("text", [c[1] for c in CANNOT_PASSING], ids=[c[0] for c in CANNOT_PASSING])
def test_can_run(text):
    assert findings(text, "1.34", ("JC208",)) == []


def test_ttl_without_history_is_not_also_jc207():
    text = cronjob(cron=NO_HISTORY, job="      ttlSecondsAfterFinished: 600\n")
    assert [f[2] for f in findings(text, "1.34", ("JC207", "JC208"))] == ["JC208"]


# --- JC208: the Job is accepted, every pod it creates is refused ----------------------------------------
# A template is validated as written; each pod is defaulted (SetDefaults_Pod: a hostNetwork pod's unset
# hostPort takes its containerPort; templates no longer, from 1.28, kubernetes#117696) and prepared
# (pod strategy: matchLabelKeys merged into the selector, affinity 1.31+, spread 1.34+) first.

POD_JOB = "the Job is accepted, but the API server refuses every pod it creates: "
POD_CRON = "the CronJob is accepted, but the API server refuses every pod its Jobs create: "
SECOND = "        - name: sidecar\n          image: busybox:1.36\n          ports:\n            - containerPort: 9100\n"
HOSTNET_SAME_PORT = job(pod="      hostNetwork: true\n",
                        container="          ports:\n            - containerPort: 9100\n" + SECOND)
HOSTNET_ONE_EXPLICIT = job(pod="      hostNetwork: true\n",
                           container="          ports:\n            - containerPort: 9100\n"
                                     "              hostPort: 9100\n" + SECOND)
HOSTNET_INIT = job(pod="      hostNetwork: true\n      initContainers:\n        - name: setup\n"
                       "          image: busybox:1.36\n          ports:\n            - containerPort: 8080\n"
                       "            - containerPort: 8080\n")
HOSTNET_INIT_AND_MAIN = job(pod="      hostNetwork: true\n      initContainers:\n        - name: setup\n"
                                "          image: busybox:1.36\n          ports:\n            - containerPort: 9100\n",
                            container="          ports:\n            - containerPort: 9100\n")
LABELS = "          labels:\n            app: batch\n            tier: db\n"
ANTI = ("          affinity:\n            podAntiAffinity:\n"
        "              requiredDuringSchedulingIgnoredDuringExecution:\n"
        "                - topologyKey: kubernetes.io/hostname\n                  labelSelector:\n"
        "                    matchLabels:\n                      app: batch\n"
        "                  matchLabelKeys:\n                    - app\n")
PREFERRED = ("          affinity:\n            podAffinity:\n"
             "              preferredDuringSchedulingIgnoredDuringExecution:\n"
             "                - weight: 10\n                  podAffinityTerm:\n"
             "                    topologyKey: kubernetes.io/hostname\n                    labelSelector:\n"
             "                      matchExpressions:\n                        - key: app\n"
             "                          operator: Exists\n"
             "                    matchLabelKeys: [tier, app]\n")
SPREAD = ("          topologySpreadConstraints:\n            - maxSkew: 1\n"
          "              topologyKey: topology.kubernetes.io/zone\n              whenUnsatisfiable: ScheduleAnyway\n"
          "              labelSelector:\n                matchLabels:\n                  app: batch\n"
          "              matchLabelKeys:\n                - app\n")
BOTH = "exists in both matchLabelKeys and labelSelector"
ANTI_PATH = "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]"

POD_REFUSED_FAILING = [
    ("host-network-same-port-1.28", HOSTNET_SAME_PORT, "1.28",
     [(18, 15, "JC208", POD_JOB + 'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//9100"')]),
    ("host-network-same-port-1.37", HOSTNET_SAME_PORT, "1.37",
     [(18, 15, "JC208", POD_JOB + 'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//9100"')]),
    ("host-network-one-explicit", HOSTNET_ONE_EXPLICIT, "1.33",
     [(19, 15, "JC208", POD_JOB + 'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//9100"')]),
    ("host-network-init-container", HOSTNET_INIT, "1.30",
     [(15, 15, "JC208", POD_JOB + 'spec.initContainers[0].ports[1].hostPort: Duplicate value: "TCP//8080"')]),
    ("anti-affinity-label-key-1.31", cronjob(pod_meta=LABELS, pod=ANTI), "1.31",
     [(24, 23, "JC208", POD_CRON + f'{ANTI_PATH}[0]: Invalid value: "app": {BOTH}')]),
    ("anti-affinity-label-key-1.37", cronjob(pod_meta=LABELS, pod=ANTI), "1.37",
     [(24, 23, "JC208", POD_CRON + f'{ANTI_PATH}[0]: Invalid value: "app": {BOTH}')]),
    ("preferred-affinity-label-key", cronjob(pod_meta=LABELS, pod=PREFERRED), "1.35",
     [(26, 44, "JC208", POD_CRON + "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]"
       f'.podAffinityTerm[1]: Invalid value: "app": {BOTH}')]),
    ("spread-label-key-1.34", cronjob(pod_meta=LABELS, pod=SPREAD), "1.34",
     [(24, 19, "JC208", POD_CRON + f'spec.topologySpreadConstraints[0][0]: Invalid value: "app": {BOTH}')]),
]
POD_REFUSED_PASSING = [
    # 1.27 defaults the template as well: the server refuses the Job itself (JC103).
    ("host-network-same-port-1.27", HOSTNET_SAME_PORT, "1.27"),
    ("same-port-without-host-network", HOSTNET_SAME_PORT.replace("      hostNetwork: true\n", ""), "1.37"),
    ("host-network-other-protocol", HOSTNET_SAME_PORT.replace("containerPort: 9100\n        - name",
                                                              "containerPort: 9100\n"
                                                              "              protocol: UDP\n        - name"), "1.37"),
    ("host-network-init-and-main", HOSTNET_INIT_AND_MAIN, "1.37"),
    ("host-network-distinct-ports", HOSTNET_SAME_PORT.replace("9100\n        - name", "9101\n        - name"), "1.37"),
    # matchLabelKeys are dropped in 1.30 (JC104); no merge.
    ("anti-affinity-label-key-1.30", cronjob(pod_meta=LABELS, pod=ANTI), "1.30"),
    # The pod has no such label: nothing is merged.
    ("anti-affinity-key-not-a-label", cronjob(pod_meta="          labels:\n            tier: db\n", pod=ANTI), "1.37"),
    ("anti-affinity-no-labels", cronjob(pod=ANTI), "1.37"),
    # The selector does not name the key: after the merge it names it once.
    ("anti-affinity-selector-other-key", cronjob(pod_meta=LABELS, pod=ANTI.replace("app: batch", "tier: db")), "1.37"),
    # Until 1.33 the legacy spread check refuses the template itself (JC103), and nothing is merged.
    ("spread-label-key-1.33", cronjob(pod_meta=LABELS, pod=SPREAD), "1.33"),
    # A Job refused for another reason has no pods: JC103 only.
    ("refused-job", HOSTNET_SAME_PORT.replace("spec:\n  template:", "spec:\n  parallelism: -1\n  template:"), "1.37"),
]


@pytest.mark.parametrize("name,text,version,expected", POD_REFUSED_FAILING, ids=[c[0] for c in POD_REFUSED_FAILING])
def test_every_pod_refused(name, text, version, expected):
    assert findings(text, version, ("JC208",)) == expected
    assert findings(text, version, ("JC103", "JC102", "JC105")) == []  # the Job (or CronJob) is accepted


@pytest.mark.parametrize("name,text,version", POD_REFUSED_PASSING, ids=[c[0] for c in POD_REFUSED_PASSING])
def test_pods_not_refused(name, text, version):
    assert findings(text, version, ("JC208",)) == []


def test_refused_template_is_jc103_not_jc208():
    assert [f[2] for f in findings(HOSTNET_SAME_PORT, "1.27", ("JC103", "JC208"))] == ["JC103"]
    assert [f[2] for f in findings(cronjob(pod_meta=LABELS, pod=SPREAD), "1.33", ("JC103", "JC208"))] == ["JC103"]
    refused = HOSTNET_SAME_PORT.replace("spec:\n  template:", "spec:\n  parallelism: -1\n  template:")
    assert [f[2] for f in findings(refused, "1.37", ("JC103", "JC208"))] == ["JC103"]


# --- Odd shapes never crash any of the three ----------------------------------------------------------

def test_any_value_anywhere_never_crashes():
    import copy

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from jobcheck.kube.apiserver import messages as m
    from jobcheck.kube.apiserver.cronjob import validate_created_jobs
    from jobcheck.kube.apiserver.warnings import api_warnings
    from jobcheck.kube.objects import iter_workloads
    from jobcheck.lint.checks.cannotrun import cannot_run
    from tests.apiserver import helpers
    from tests.apiserver.test_robustness import _paths, _replace

    term = {"topologyKey": "kubernetes.io/hostname"}
    base = helpers.cronjob(
        cron={"successfulJobsHistoryLimit": 0, "failedJobsHistoryLimit": 0}, meta={"name": "a.b"},
        spec={"completionMode": "Indexed", "completions": 100001, "parallelism": 0, "activeDeadlineSeconds": 0,
              "ttlSecondsAfterFinished": 5},
        template_meta={"labels": {"job-name": "x"},
                       "annotations": {"seccomp.security.alpha.kubernetes.io/pod": "x"}},
        pod={"nodeSelector": {"beta.kubernetes.io/os": "linux"}, "imagePullSecrets": [{"name": "a"}, {"name": "a"}],
             "hostAliases": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.1"}],
             "volumes": [{"name": "v", "gitRepo": {"repository": "r"}},
                         {"name": "e", "ephemeral": {"volumeClaimTemplate": {"spec": {"resources": {
                             "requests": {"storage": "1m"}, "limits": {"storage": 0.5}}}}}}],
             "terminationGracePeriodSeconds": -1, "overhead": {"memory": "1m", "ephemeral-storage": 0.5},
             "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "failure-domain.beta.kubernetes.io/zone"}],
             "affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term],
                                              "preferredDuringSchedulingIgnoredDuringExecution": [
                                                  {"weight": 1, "podAffinityTerm": term}]},
                          "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                              "nodeSelectorTerms": [{"matchExpressions": [{"key": "beta.kubernetes.io/arch"}]}]}}}},
        container={"env": [{"name": "A"}, {"name": "A", "value": "x"}],
                   "resources": {"limits": {"memory": "1m", "ephemeral-storage": 1.5}}})
    base["spec"]["jobTemplate"]["metadata"] = {"labels": {"a": "b"}, "annotations": {"k": "v"}}
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=3), st.floats())
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=10)
    assert len(list(api_warnings(next(iter_workloads(base)), (1, 34)))) >= 10  # the base reaches every family

    @settings(max_examples=300, deadline=None)
    @given(st.data(), values)
    def run(data, value):
        doc = copy.deepcopy(base)
        _replace(doc, data.draw(st.sampled_from(list(_paths(doc)))), value)
        for w in iter_workloads(doc):
            list(api_warnings(w, (1, 34)))
            validate_created_jobs(m.Reporter(()), w.data, (1, 34))
            list(cannot_run(w, {}))

    run()


def test_pod_refusals_any_value_anywhere_never_crash():
    """The merge and the defaulting run on any shape the schema layer would refuse too."""
    import copy

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from jobcheck.kube.apiserver.podcreate import refused_pods
    from tests.apiserver import helpers
    from tests.apiserver.test_robustness import _paths, _replace

    term = {"topologyKey": "h", "labelSelector": {"matchLabels": {"a": "b"}, "matchExpressions": [{"key": "a"}]},
            "matchLabelKeys": ["a", "c"], "mismatchLabelKeys": ["c"]}
    base = helpers.job(
        template_meta={"labels": {"a": "b", "c": "d"}},
        pod={"hostNetwork": True,
             "initContainers": [{"name": "i", "image": "x", "ports": [{"containerPort": 1}, {"containerPort": 1}]}],
             "affinity": {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term],
                                          "preferredDuringSchedulingIgnoredDuringExecution": [
                                              {"weight": 1, "podAffinityTerm": copy.deepcopy(term)}]}},
             "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "z", "whenUnsatisfiable": "DoNotSchedule",
                                            "labelSelector": {"matchLabels": {"a": "b"}}, "matchLabelKeys": ["a"]}]},
        container={"ports": [{"containerPort": 1, "protocol": "TCP"}, {"containerPort": 1, "hostIP": ""}]})
    template = base["spec"]["template"]
    assert len(refused_pods(template, ("spec", "template"), (1, 37))) >= 4  # the base reaches every family
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=3), st.floats())
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=10)

    @settings(max_examples=300, deadline=None)
    @given(st.data(), values)
    def run(data, value):
        doc = copy.deepcopy(template)
        _replace(doc, data.draw(st.sampled_from(list(_paths(doc)))), value)
        for version in ((1, 28), (1, 37)):
            refused_pods(doc, ("spec", "template"), version)

    run()
