"""JC103: one failing and one passing manifest per API-server rule, with exact paths and messages."""

from __future__ import annotations

import pytest

from tests.apiserver.helpers import cronjob, hits, job, load

SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
             "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation "
             "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
         "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
         "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
               "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
               "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
QNAME = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
         "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
         "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
ENV_STRICT = ("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
              "and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex "
              "used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")
ENV_RELAXED = "a valid environment variable name must consist only of printable ASCII characters other than '='"
NAME63 = "a" * 64
PFP = {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [42]}}]}
T = "spec.template.spec"
C = f"{T}.containers[0]"
CJ = "spec.jobTemplate.spec"

# (id, manifest, version, [(path, message), ...]) -- the complete list of hits expected.
FAILING = [
    # Defaulting: restartPolicy omitted is defaulted to Always and rejected as Required.
    ("restart-omitted", job(pod={"restartPolicy": None}), (1, 37),
     [(f"{T}.restartPolicy", f'{T}.restartPolicy: Required value: valid values: "OnFailure", "Never"')]),
    ("restart-always", job(pod={"restartPolicy": "Always"}), (1, 37),
     [(f"{T}.restartPolicy", f'{T}.restartPolicy: Required value: valid values: "OnFailure", "Never"')]),
    ("restart-other", job(pod={"restartPolicy": "never"}), (1, 37),
     [(f"{T}.restartPolicy",
       f'{T}.restartPolicy: Unsupported value: "never": supported values: "OnFailure", "Never"')]),
    ("restart-cronjob-path", cronjob(pod={"restartPolicy": None}), (1, 37),
     [(f"{CJ}.template.spec.restartPolicy",
       f'{CJ}.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"')]),
    # Names.
    ("job-name-subdomain", job(meta={"name": "My_Job"}), (1, 37),
     [("metadata.name", f'metadata.name: Invalid value: "My_Job": {SUBDOMAIN}')]),
    ("job-name-63", job(meta={"name": NAME63}), (1, 37),
     [("metadata.name",
       f'spec.template.labels: Invalid value: "{NAME63}": must be no more than 63 characters')]),
    ("name-required", job(meta={"name": None}), (1, 37),
     [("metadata.name", "metadata.name: Required value: name or generateName is required")]),
    ("generate-name-bad", job(meta={"name": None, "generateName": "Bad_"}), (1, 37),
     [("metadata.generateName", f'metadata.generateName: Invalid value: "Bad_": {SUBDOMAIN}')]),
    ("namespace-label", job(meta={"namespace": "team.a"}), (1, 37),
     [("metadata.namespace", 'metadata.namespace: Invalid value: "team.a": must not contain dots')]),
    ("indexed-hostname", job(meta={"name": "a" * 61}, spec={"completionMode": "Indexed", "completions": 11}),
     (1, 37),
     [("metadata.name", f'metadata.name: Invalid value: "{"a" * 61}": will not able to create pod with invalid '
                        f'DNS label: {"a" * 61}-10')]),
    ("indexed-hostname-dots", job(meta={"name": "a.b"}, spec={"completionMode": "Indexed", "completions": 2}),
     (1, 37),
     [("metadata.name", 'metadata.name: Invalid value: "a.b": will not able to create pod with invalid DNS '
                        "label: a.b-1")]),
    ("indexed-hostname-generate", job(meta={"name": None, "generateName": "g" * 60},
                                      spec={"completionMode": "Indexed", "completions": 1}), (1, 37),
     [("metadata.generateName", f'metadata.name: Invalid value: "{"g" * 58}xxxxx": will not able to create pod '
                                f'with invalid DNS label: {"g" * 58}xxxxx-0')]),
    ("cronjob-52", cronjob(meta={"name": "c" * 53}), (1, 37),
     [("metadata.name", f'metadata.name: Invalid value: "{"c" * 53}": must be no more than 52 characters')]),
    ("cronjob-52-generate", cronjob(meta={"name": None, "generateName": "c" * 48}), (1, 37),
     [("metadata.generateName",
       f'metadata.name: Invalid value: "{"c" * 48}xxxxx": must be no more than 52 characters')]),
    ("cronjob-subdomain", cronjob(meta={"name": "Nightly"}), (1, 37),
     [("metadata.name", f'metadata.name: Invalid value: "Nightly": {SUBDOMAIN}')]),
    # Numeric bounds.
    *[(f"negative-{f}", job(spec={f: -1, **extra}), (1, 37),
       [(f"spec.{f}", f"spec.{f}: Invalid value: -1: must be greater than or equal to 0")] + more)
      for f, extra, more in [
          ("parallelism", {}, []), ("completions", {}, []), ("activeDeadlineSeconds", {}, []),
          ("backoffLimit", {}, []), ("ttlSecondsAfterFinished", {}, []),
          ("backoffLimitPerIndex", {"completionMode": "Indexed", "completions": 2}, []),
          ("maxFailedIndexes", {"completionMode": "Indexed", "completions": 2, "backoffLimitPerIndex": 1}, []),
      ]],
    # completionMode and Indexed.
    ("completion-mode-value", job(spec={"completionMode": "indexed"}), (1, 37),
     [("spec.completionMode",
       'spec.completionMode: Unsupported value: "indexed": supported values: "NonIndexed", "Indexed"')]),
    ("indexed-needs-completions", job(spec={"completionMode": "Indexed", "parallelism": 2}), (1, 37),
     [("spec.completions", "spec.completions: Required value: when completion mode is Indexed")]),
    ("indexed-parallelism", job(spec={"completionMode": "Indexed", "completions": 3, "parallelism": 100001}),
     (1, 37),
     [("spec.parallelism", "spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 "
                           "when completion mode is Indexed")]),
    ("max-failed-gt-completions", job(spec={"completionMode": "Indexed", "completions": 3,
                                            "backoffLimitPerIndex": 1, "maxFailedIndexes": 4}), (1, 37),
     [("spec.maxFailedIndexes",
       "spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions")]),
    ("max-failed-gt-100000", job(spec={"completionMode": "Indexed", "completions": 100000,
                                       "backoffLimitPerIndex": 1, "maxFailedIndexes": 100001}), (1, 37),
     [("spec.maxFailedIndexes", "spec.maxFailedIndexes: Invalid value: 100001: must be less than or equal to "
                                "completions"),
      ("spec.maxFailedIndexes", "spec.maxFailedIndexes: Invalid value: 100001: must be less than or equal to "
                                "100000")]),
    ("high-completions", job(meta={"name": "p"}, spec={"completionMode": "Indexed", "completions": 100001,
                                                       "parallelism": 10001, "backoffLimitPerIndex": 1}), (1, 37),
     [("spec.maxFailedIndexes",
       "spec.maxFailedIndexes: Required value: must be specified when completions is above 100000"),
      ("spec.parallelism", "spec.parallelism: Invalid value: 10001: must be less than or equal to 10000 when "
                           "completions are above 100000 and used with backoff limit per index")]),
    ("high-completions-max-failed", job(spec={"completionMode": "Indexed", "completions": 200000,
                                              "backoffLimitPerIndex": 1, "maxFailedIndexes": 10001}), (1, 37),
     [("spec.maxFailedIndexes", "spec.maxFailedIndexes: Invalid value: 10001: must be less than or equal to "
                                "10000 when completions are above 100000 and used with backoff limit per index")]),
    ("per-index-nonindexed", job(spec={"backoffLimitPerIndex": 1}), (1, 37),
     [("spec.backoffLimitPerIndex", "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode")]),
    ("max-failed-nonindexed", job(spec={"maxFailedIndexes": 1, "backoffLimitPerIndex": 1}), (1, 37),
     [("spec.backoffLimitPerIndex", "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"),
      ("spec.maxFailedIndexes", "spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode")]),
    ("max-failed-without-per-index", job(spec={"completionMode": "Indexed", "completions": 2,
                                               "maxFailedIndexes": 1}), (1, 37),
     [("spec.backoffLimitPerIndex",
       "spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified")]),
    # podFailurePolicy.
    ("pfp-restart-onfailure", job(spec={"podFailurePolicy": PFP}, pod={"restartPolicy": "OnFailure"}), (1, 37),
     [(f"{T}.restartPolicy", f'{T}.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when '
                             "podFailurePolicy is specified")]),
    ("pfp-too-many", job(spec={"podFailurePolicy": {"rules": PFP["rules"] * 21}}), (1, 37),
     [("spec.podFailurePolicy.rules", "spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items")]),
    ("pfp-action-required", job(spec={"podFailurePolicy": {"rules": [{"onPodConditions": [
        {"type": "DisruptionTarget"}]}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0].action", 'spec.podFailurePolicy.rules[0].action: Required value: valid '
                                                'values: ["Count" "FailIndex" "FailJob" "Ignore"]')]),
    ("pfp-action-value", job(spec={"podFailurePolicy": {"rules": [{"action": "failjob", "onPodConditions": [
        {"type": "DisruptionTarget"}]}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0].action", 'spec.podFailurePolicy.rules[0].action: Unsupported value: '
                                                '"failjob": supported values: "Count", "FailIndex", "FailJob", '
                                                '"Ignore"')]),
    ("pfp-failindex", job(spec={"completionMode": "Indexed", "completions": 2, "podFailurePolicy": {"rules": [
        {"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [1]}}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0].action", 'spec.podFailurePolicy.rules[0].action: Invalid value: '
                                                '"FailIndex": requires the backoffLimitPerIndex to be set')]),
    ("pfp-both", job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore", "onExitCodes": {
        "operator": "In", "values": [1]}, "onPodConditions": [{"type": "DisruptionTarget"}]}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0]", "spec.podFailurePolicy.rules[0]: Invalid value: specifying both "
                                         "OnExitCodes and OnPodConditions is not supported")]),
    ("pfp-neither", job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore"}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0]", "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of "
                                         "OnExitCodes and OnPodConditions is required")]),
    ("pfp-operator", job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore", "onExitCodes": {
        "values": [1]}}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0].onExitCodes.operator", 'spec.podFailurePolicy.rules[0].onExitCodes.'
       'operator: Required value: valid values: ["In" "NotIn"]')]),
    ("pfp-operator-value", job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore", "onExitCodes": {
        "operator": "in", "values": [1]}}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0].onExitCodes.operator", 'spec.podFailurePolicy.rules[0].onExitCodes.'
       'operator: Unsupported value: "in": supported values: "In", "NotIn"')]),
    ("pfp-container-name", job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore", "onExitCodes": {
        "containerName": "other", "operator": "In", "values": [1]}}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0].onExitCodes.containerName", 'spec.podFailurePolicy.rules[0].onExitCodes.'
       'containerName: Invalid value: "other": must be one of the container or initContainer names in the pod '
       "template")]),
    ("pfp-values-empty", job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore", "onExitCodes": {
        "operator": "In", "values": []}}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0].onExitCodes.values", "spec.podFailurePolicy.rules[0].onExitCodes.values: "
       "Invalid value: []: at least one value is required")]),
    ("pfp-values-too-many", job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore", "onExitCodes": {
        "operator": "NotIn", "values": list(range(256))}}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0].onExitCodes.values", "spec.podFailurePolicy.rules[0].onExitCodes.values: "
       "Too many: 256: must have at most 255 items")]),
    ("pfp-values-zero-dup-order", job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore", "onExitCodes": {
        "operator": "In", "values": [0, 3, 3, 2]}}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0].onExitCodes.values[0]", "spec.podFailurePolicy.rules[0].onExitCodes."
       "values[0]: Invalid value: 0: must not be 0 for the In operator"),
      ("spec.podFailurePolicy.rules[0].onExitCodes.values[2]", "spec.podFailurePolicy.rules[0].onExitCodes."
       "values[2]: Duplicate value: 3"),
      ("spec.podFailurePolicy.rules[0].onExitCodes.values", "spec.podFailurePolicy.rules[0].onExitCodes.values: "
       "Invalid value: [0,3,3,2]: must be ordered")]),
    ("pfp-condition-type", job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [
        {"type": "Disruption Target"}]}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0].onPodConditions[0].type", "spec.podFailurePolicy.rules[0].onPodConditions"
       f'[0].type: Invalid value: "Disruption Target": {QNAME}')]),
    ("pfp-condition-status", job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [
        {"type": "DisruptionTarget", "status": "true"}]}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0].onPodConditions[0].status", "spec.podFailurePolicy.rules[0]."
       'onPodConditions[0].status: Unsupported value: "true": supported values: "False", "True", "Unknown"')]),
    ("pfp-condition-too-many", job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [
        {"type": "DisruptionTarget"}] * 21}]}}), (1, 37),
     [("spec.podFailurePolicy.rules[0].onPodConditions", "spec.podFailurePolicy.rules[0].onPodConditions: "
       "Too many: 21: must have at most 20 items")]),
    # podReplacementPolicy.
    ("replacement-with-pfp", job(spec={"podFailurePolicy": PFP, "podReplacementPolicy": "TerminatingOrFailed"}),
     (1, 37),
     [("spec.podReplacementPolicy", 'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": '
                                    'supported values: "Failed"')]),
    ("replacement-value", job(spec={"podReplacementPolicy": "Always"}), (1, 37),
     [("spec.podReplacementPolicy", 'spec.podReplacementPolicy: Unsupported value: "Always": supported values: '
                                    '"Failed", "TerminatingOrFailed"')]),
    # successPolicy.
    ("success-nonindexed", job(spec={"successPolicy": {"rules": [{"succeededCount": 1}]}}), (1, 37),
     [("spec.successPolicy", 'spec.successPolicy: Invalid value: {"rules":[{"succeededCount":1}]}: requires '
                             "indexed completion mode")]),
    ("success-no-rules", job(spec={"completionMode": "Indexed", "completions": 3, "successPolicy": {"rules": []}}),
     (1, 37),
     [("spec.successPolicy.rules", "spec.successPolicy.rules: Required value: at least one rules must be "
                                   "specified when the successPolicy is specified")]),
    ("success-too-many", job(spec={"completionMode": "Indexed", "completions": 3, "successPolicy": {
        "rules": [{"succeededCount": 1}] * 21}}), (1, 37),
     [("spec.successPolicy.rules", "spec.successPolicy.rules: Too many: 21: must have at most 20 items")]),
    ("success-empty-rule", job(spec={"completionMode": "Indexed", "completions": 3, "successPolicy": {
        "rules": [{}]}}), (1, 37),
     [("spec.successPolicy.rules[0]", "spec.successPolicy.rules[0]: Required value: at least one of "
                                      "succeededCount or succeededIndexes must be specified")]),
    *[(f"success-indexes-{i}", job(spec={"completionMode": "Indexed", "completions": 10, "successPolicy": {
        "rules": [{"succeededIndexes": text}]}}), (1, 37),
       [("spec.successPolicy.rules[0].succeededIndexes", "spec.successPolicy.rules[0].succeededIndexes: Invalid "
         f'value: "{text.replace(chr(34), "")}": error parsing succeededIndexes: {err}')])
      for i, (text, err) in enumerate([
          ("12", 'too large index: "12"'),
          ("3,2", "non-increasing order, previous: 3, current: 2"),
          ("1-1", "non-increasing order, previous: 1, current: 1"),
          ("0,x", 'cannot convert string to integer for index: "x"'),
          ("1-2-3", "the fragment \"1-2-3\" violates the requirement that an index interval can have at most "
                    "two parts separated by '-'"),
          ("0,,1", 'cannot convert string to integer for index: ""'),
      ])],
    ("success-count", job(spec={"completionMode": "Indexed", "completions": 3, "successPolicy": {
        "rules": [{"succeededIndexes": "0-1", "succeededCount": 4}]}}), (1, 37),
     [("spec.successPolicy.rules[0].succeededCount", "spec.successPolicy.rules[0].succeededCount: Invalid value: "
       "4: must be less than or equal to 3 (the number of specified completions)"),
      ("spec.successPolicy.rules[0].succeededCount", "spec.successPolicy.rules[0].succeededCount: Invalid value: "
       "4: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)")]),
    ("success-count-negative", job(spec={"completionMode": "Indexed", "completions": 3, "successPolicy": {
        "rules": [{"succeededCount": -1}]}}), (1, 37),
     [("spec.successPolicy.rules[0].succeededCount", "spec.successPolicy.rules[0].succeededCount: Invalid value: "
       "-1: must be greater than or equal to 0")]),
    # managedBy.
    ("managed-by-path", job(spec={"managedBy": "my-controller"}), (1, 37),
     [("spec.managedBy", 'spec.managedBy: Invalid value: "my-controller": must be a domain-prefixed path '
                         '(such as "acme.io/foo")')]),
    ("managed-by-host", job(spec={"managedBy": "Acme.io/foo"}), (1, 37),
     [("spec.managedBy", f'spec.managedBy: Invalid value: "Acme.io": {SUBDOMAIN}')]),
    ("managed-by-long", job(spec={"managedBy": "example.com/" + "x" * 60}), (1, 37),
     [("spec.managedBy", "spec.managedBy: Too long: may not be more than 63 bytes")]),
    ("managed-by-empty", job(spec={"managedBy": ""}), (1, 37),
     [("spec.managedBy", "spec.managedBy: Required value")]),
    # Selector / manualSelector.
    ("manual-no-selector", job(spec={"manualSelector": True}), (1, 37),
     [("spec.selector", "spec.selector: Required value")]),
    ("manual-selector-mismatch", job(spec={"manualSelector": True, "selector": {"matchLabels": {"app": "x"}}},
                                     template_meta={"labels": {"app": "y"}}), (1, 37),
     [("spec.template.metadata.labels", 'spec.template.metadata.labels: Invalid value: {"app":"y"}: `selector` '
                                        "does not match template `labels`")]),
    ("selector-not-generated", job(spec={"selector": {"matchLabels": {"app": "x"}}},
                                   template_meta={"labels": {"app": "x"}}), (1, 37),
     [("spec.selector", 'spec.selector: Invalid value: {"matchLabels":{"app":"x","batch.kubernetes.io/'
                        'controller-uid":"<uid>"}}: `selector` not auto-generated')]),
    ("selector-bad-operator", job(spec={"manualSelector": True, "selector": {"matchExpressions": [
        {"key": "app", "operator": "Equals", "values": ["x"]}]}}, template_meta={"labels": {"app": "x"}}), (1, 37),
     [("spec.selector.matchExpressions[0].operator", "spec.selector.matchExpressions[0].operator: Invalid value: "
       '"Equals": not a valid selector operator')]),
    ("template-job-name-conflict", job(template_meta={"labels": {"job-name": "other"}}), (1, 37),
     [("spec.template.metadata.labels.job-name", 'spec.template.metadata.labels[job-name]: Invalid value: '
       '{"job-name":"other"}: must be \'pi\'')]),
    ("cronjob-selector", cronjob(spec={"selector": {"matchLabels": {"a": "b"}}}), (1, 37),
     [(f"{CJ}.selector", f'{CJ}.selector: Invalid value: {{"matchLabels":{{"a":"b"}}}}: `selector` will be '
                         "auto-generated")]),
    ("cronjob-manual-selector", cronjob(spec={"manualSelector": True}), (1, 37),
     [(f"{CJ}.manualSelector", f'{CJ}.manualSelector: Unsupported value: true: supported values: "nil", '
                               '"false"')]),
    # Labels and annotations.
    ("meta-label-key", job(meta={"labels": {"-bad": "x"}}), (1, 37),
     [("metadata.labels.-bad", f'metadata.labels: Invalid value: "-bad": {QNAME}')]),
    ("meta-label-prefix", job(meta={"labels": {"Example.com/app": "x"}}), (1, 37),
     [("metadata.labels.Example.com/app", 'metadata.labels: Invalid value: "Example.com/app": prefix part '
                                          + SUBDOMAIN)]),
    ("template-label-value", job(template_meta={"labels": {"app": "a b"}}), (1, 37),
     [("spec.template.metadata.labels.app", f'spec.template.labels: Invalid value: "a b": {LABEL_VALUE}')]),
    ("template-label-value-long", cronjob(template_meta={"labels": {"app": "v" * 64}}), (1, 37),
     [(f"{CJ}.template.metadata.labels.app", f'{CJ}.template.labels: Invalid value: "{"v" * 64}": must be no '
                                             "more than 63 characters")]),
    ("annotation-key", job(template_meta={"annotations": {"a/b/c": "x"}}), (1, 37),
     [("spec.template.metadata.annotations.a/b/c", 'spec.template.annotations: Invalid value: "a/b/c": a '
       "qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
       "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
       "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. "
       "'example.com/MyName')")]),
    ("annotation-size", job(meta={"annotations": {"big": "x" * (256 * 1024)}}), (1, 37),
     [("metadata.annotations", "metadata.annotations: Too long: may not be more than 262144 bytes")]),
    # Containers.
    ("no-containers", job(pod={"containers": []}), (1, 37),
     [(f"{T}.containers", f"{T}.containers: Required value")]),
    ("container-name-required", job(container={"name": ""}), (1, 37),
     [(f"{C}.name", f"{C}.name: Required value")]),
    ("container-name-label", job(container={"name": "Main"}), (1, 37),
     [(f"{C}.name", f'{C}.name: Invalid value: "Main": {LABEL}')]),
    ("container-name-duplicate", job(pod={"initContainers": [{"name": "main", "image": "x"}]}), (1, 37),
     [(f"{T}.initContainers[0].name", f'{T}.initContainers[0].name: Duplicate value: "main"')]),
    ("image-required", job(container={"image": None}), (1, 37),
     [(f"{C}.image", f"{C}.image: Required value")]),
    ("env-strict", job(container={"env": [{"name": "1ST", "value": "x"}]}), (1, 31),
     [(f"{C}.env[0].name", f'{C}.env[0].name: Invalid value: "1ST": {ENV_STRICT}')]),
    ("env-strict-dots", job(container={"env": [{"name": "..x"}]}), (1, 31),
     [(f"{C}.env[0].name", f"{C}.env[0].name: Invalid value: \"..x\": must not start with '..'")]),
    ("env-relaxed", job(container={"env": [{"name": "A=B"}]}), (1, 32),
     [(f"{C}.env[0].name", f'{C}.env[0].name: Invalid value: "A=B": {ENV_RELAXED}')]),
    ("env-name-required", job(container={"env": [{"value": "x"}]}), (1, 37),
     [(f"{C}.env[0].name", f"{C}.env[0].name: Required value")]),
    ("envfrom-prefix", job(container={"envFrom": [{"prefix": "1_", "configMapRef": {"name": "c"}}]}), (1, 31),
     [(f"{C}.envFrom[0].prefix", f'{C}.envFrom[0].prefix: Invalid value: "1_": {ENV_STRICT}')]),
    # Ports, volumes, mounts.
    ("port-range", job(container={"ports": [{"containerPort": 70000}]}), (1, 37),
     [(f"{C}.ports[0].containerPort", f"{C}.ports[0].containerPort: Invalid value: 70000: must be between 1 and "
                                      "65535, inclusive")]),
    ("port-zero", job(container={"ports": [{"containerPort": 0}]}), (1, 37),
     [(f"{C}.ports[0].containerPort", f"{C}.ports[0].containerPort: Required value")]),
    ("port-name-dup", job(container={"ports": [{"name": "http", "containerPort": 80},
                                               {"name": "http", "containerPort": 81}]}), (1, 37),
     [(f"{C}.ports[1].name", f'{C}.ports[1].name: Duplicate value: "http"')]),
    ("port-name-syntax", job(container={"ports": [{"name": "HTTP", "containerPort": 80}]}), (1, 37),
     [(f"{C}.ports[0].name", f'{C}.ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric '
                             "characters (a-z, 0-9), and hyphens (-)"),
      (f"{C}.ports[0].name", f'{C}.ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)')]),
    ("port-protocol", job(container={"ports": [{"containerPort": 80, "protocol": "tcp"}]}), (1, 37),
     [(f"{C}.ports[0].protocol", f'{C}.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", '
                                 '"TCP", "UDP"')]),
    ("volume-name", job(pod={"volumes": [{"name": "Data", "emptyDir": {}}]}), (1, 37),
     [(f"{T}.volumes[0].name", f'{T}.volumes[0].name: Invalid value: "Data": {LABEL}')]),
    ("volume-dup", job(pod={"volumes": [{"name": "d", "emptyDir": {}}, {"name": "d", "emptyDir": {}}]}), (1, 37),
     [(f"{T}.volumes[1].name", f'{T}.volumes[1].name: Duplicate value: "d"')]),
    ("mount-undefined", job(container={"volumeMounts": [{"name": "data", "mountPath": "/d"}]}), (1, 37),
     [(f"{C}.volumeMounts[0].name", f'{C}.volumeMounts[0].name: Not found: "data"')]),
    ("mount-path-unique", job(pod={"volumes": [{"name": "d", "emptyDir": {}}]}, container={"volumeMounts": [
        {"name": "d", "mountPath": "/d"}, {"name": "d", "mountPath": "/d"}]}), (1, 37),
     [(f"{C}.volumeMounts[1].mountPath", f'{C}.volumeMounts[1].mountPath: Invalid value: "/d": must be unique')]),
    ("default-mode", job(pod={"volumes": [{"name": "s", "secret": {"secretName": "s", "defaultMode": 644}}]},
                         container={"volumeMounts": [{"name": "s", "mountPath": "/s"}]}), (1, 37),
     [(f"{T}.volumes[0].secret.defaultMode", f"{T}.volumes[0].secret.defaultMode: Invalid value: 644: must be a "
                                             "number between 0 and 0777 (octal), both inclusive"),
      (f"{C}.volumeMounts[0].name", f'{C}.volumeMounts[0].name: Not found: "s"')]),
    ("item-mode", job(pod={"volumes": [{"name": "c", "configMap": {"name": "c", "items": [
        {"key": "k", "path": "p", "mode": -1}]}}]}), (1, 37),
     [(f"{T}.volumes[0].configMap.items[0].mode", f"{T}.volumes[0].configMap.items[0].mode: Invalid value: -1: "
                                                  "must be a number between 0 and 0777 (octal), both inclusive")]),
    # Resources.
    ("request-over-limit", job(container={"resources": {"requests": {"cpu": "2000m"}, "limits": {"cpu": 1}}}),
     (1, 37),
     [(f"{C}.resources.requests.cpu", f'{C}.resources.requests: Invalid value: "2": must be less than or equal '
                                      "to cpu limit of 1")]),
    ("request-over-limit-binary", job(container={"resources": {"requests": {"memory": "1.5Gi"},
                                                               "limits": {"memory": "1024Mi"}}}), (1, 37),
     [(f"{C}.resources.requests.memory", f'{C}.resources.requests: Invalid value: "1536Mi": must be less than or '
                                         "equal to memory limit of 1Gi")]),
    ("request-over-limit-decimal", job(container={"resources": {"requests": {"memory": "1G"},
                                                                "limits": {"memory": "1e8"}}}), (1, 37),
     [(f"{C}.resources.requests.memory", f'{C}.resources.requests: Invalid value: "1G": must be less than or '
                                         "equal to memory limit of 100e6")]),
    ("quantity-invalid", job(container={"resources": {"limits": {"memory": "1GB"}}}), (1, 37),
     [(f"{C}.resources.limits.memory", f'{C}.resources.limits[memory]: Invalid value: "1GB": quantities must '
       "match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")]),
    ("quantity-suffix", job(container={"resources": {"limits": {"memory": "1e"}}}), (1, 37),
     [(f"{C}.resources.limits.memory", f'{C}.resources.limits[memory]: Invalid value: "1e": unable to parse '
                                       "quantity's suffix")]),
    ("quantity-negative", job(container={"resources": {"requests": {"cpu": "-100m"}}}), (1, 37),
     [(f"{C}.resources.requests.cpu", f'{C}.resources.requests[cpu]: Invalid value: "-100m": must be greater '
                                      "than or equal to 0")]),
    ("extended-equal", job(container={"resources": {"requests": {"example.com/gpu": 1},
                                                    "limits": {"example.com/gpu": 2}}}), (1, 37),
     [(f"{C}.resources.requests.example.com/gpu", f'{C}.resources.requests: Invalid value: "1": must be equal '
                                                  "to example.com/gpu limit of 2")]),
    ("extended-needs-limit", job(container={"resources": {"requests": {"example.com/gpu": 1}}}), (1, 37),
     [(f"{C}.resources.limits.example.com/gpu", f"{C}.resources.limits: Required value: Limit must be set for "
                                                "non overcommitable resources")]),
    ("extended-integer", job(container={"resources": {"limits": {"example.com/gpu": "500m"}}}), (1, 37),
     [(f"{C}.resources.limits.example.com/gpu", f'{C}.resources.limits[example.com/gpu]: Invalid value: "500m": '
                                                "must be an integer")]),
    # CronJob spec.
    ("schedule-required", cronjob(cron={"schedule": ""}), (1, 37),
     [("spec.schedule", "spec.schedule: Required value")]),
    ("starting-deadline", cronjob(cron={"startingDeadlineSeconds": -5}), (1, 37),
     [("spec.startingDeadlineSeconds", "spec.startingDeadlineSeconds: Invalid value: -5: must be greater than or "
                                       "equal to 0")]),
    ("concurrency", cronjob(cron={"concurrencyPolicy": "forbid"}), (1, 37),
     [("spec.concurrencyPolicy", 'spec.concurrencyPolicy: Unsupported value: "forbid": supported values: '
                                 '"Allow", "Forbid", "Replace"')]),
    ("history-successful", cronjob(cron={"successfulJobsHistoryLimit": -1}), (1, 37),
     [("spec.successfulJobsHistoryLimit", "spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater "
                                          "than or equal to 0")]),
    ("history-failed", cronjob(cron={"failedJobsHistoryLimit": -1}), (1, 37),
     [("spec.failedJobsHistoryLimit", "spec.failedJobsHistoryLimit: Invalid value: -1: must be greater than or "
                                      "equal to 0")]),
    ("cronjob-jobspec-prefix", cronjob(spec={"completions": -1}), (1, 37),
     [(f"{CJ}.completions", f"{CJ}.completions: Invalid value: -1: must be greater than or equal to 0")]),
]

PASSING = [
    ("minimal-job", job(), (1, 37)),
    ("only-completions", job(spec={"completions": 5}), (1, 37)),  # parallelism defaults to 1
    ("indexed-defaults-completions", job(spec={"completionMode": "Indexed"}), (1, 37)),  # both default to 1
    ("cronjob-no-concurrency", cronjob(), (1, 37)),  # defaulted to Allow
    ("cronjob-zero-limits", cronjob(cron={"successfulJobsHistoryLimit": 0, "failedJobsHistoryLimit": 0,
                                          "startingDeadlineSeconds": 0}), (1, 37)),
    ("zeros", job(spec={"parallelism": 0, "completions": 0, "activeDeadlineSeconds": 0, "backoffLimit": 0,
                        "ttlSecondsAfterFinished": 0}), (1, 37)),
    ("name-63", job(meta={"name": "a" * 63}), (1, 37)),
    ("long-name-manual-selector", job(meta={"name": "a" * 70}, spec={
        "manualSelector": True, "selector": {"matchLabels": {"app": "x"}}}, template_meta={"labels": {"app": "x"}}),
     (1, 37)),
    ("generate-name", job(meta={"name": None, "generateName": "pi-"}), (1, 37)),
    ("generate-name-long-job", job(meta={"name": None, "generateName": "g" * 70}), (1, 37)),
    ("indexed-hostname-fits", job(meta={"name": "a" * 61}, spec={"completionMode": "Indexed", "completions": 10}),
     (1, 37)),
    ("cronjob-name-52", cronjob(meta={"name": "c" * 52}), (1, 37)),
    ("cronjob-long-name-no-indexed-check", cronjob(meta={"name": "a.b"}, spec={"completionMode": "Indexed",
                                                                               "completions": 3}), (1, 37)),
    ("indexed-per-index", job(spec={"completionMode": "Indexed", "completions": 200000, "parallelism": 100,
                                    "backoffLimitPerIndex": 1, "maxFailedIndexes": 100}), (1, 37)),
    ("pfp-full", job(spec={"completionMode": "Indexed", "completions": 3, "backoffLimitPerIndex": 1,
                           "podReplacementPolicy": "Failed", "podFailurePolicy": {"rules": [
                               {"action": "FailIndex", "onExitCodes": {"containerName": "main", "operator": "In",
                                                                       "values": [1, 2, 42]}},
                               {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]},
                               {"action": "Count", "onPodConditions": [{"type": "example.com/Cond",
                                                                        "status": "Unknown"}]},
                               {"action": "FailJob", "onExitCodes": {"operator": "NotIn", "values": [0]}}]}}),
     (1, 37)),
    ("pfp-empty-rules", job(spec={"podFailurePolicy": {"rules": []}}), (1, 37)),
    ("success-policy", job(spec={"completionMode": "Indexed", "completions": 10, "successPolicy": {"rules": [
        {"succeededIndexes": "0,2-5,+9", "succeededCount": 6}, {"succeededCount": 10}]}}), (1, 37)),
    ("managed-by", job(spec={"managedBy": "kueue.x-k8s.io/multikueue"}), (1, 37)),
    ("replacement", job(spec={"podReplacementPolicy": "TerminatingOrFailed"}), (1, 37)),
    ("selector-matching-generated", job(spec={"selector": {"matchLabels": {"job-name": "pi"}}}), (1, 37)),
    ("template-job-name-same", job(template_meta={"labels": {"job-name": "pi", "app": "x"}}), (1, 37)),
    ("labels-ok", job(meta={"labels": {"example.com/app": "My_value.1", "empty": ""}},
                      template_meta={"annotations": {"Example.com/Note": "anything at all"}}), (1, 37)),
    ("env-ok", job(container={"env": [{"name": "MY_VAR.x-1"}], "envFrom": [{"prefix": "P_", "configMapRef": {"name": "c"}}]}), (1, 31)),
    ("env-relaxed-ok", job(container={"env": [{"name": "1 st"}]}), (1, 32)),
    ("ports-ok", job(container={"ports": [{"name": "http", "containerPort": 80, "protocol": "UDP"},
                                          {"name": "metrics-2", "containerPort": 65535, "hostPort": 8080}]}),
     (1, 37)),
    ("volumes-ok", job(pod={"volumes": [
        {"name": "s", "secret": {"secretName": "s", "defaultMode": 0o644, "items": [{"key": "k", "path": "p",
                                                                                      "mode": 0o777}]}},
        {"name": "p", "projected": {"defaultMode": 0, "sources": []}}, {"name": "e"}]},
        container={"volumeMounts": [{"name": "s", "mountPath": "/s"}, {"name": "e", "mountPath": "/e"}]}), (1, 37)),
    ("resources-ok", job(container={"resources": {
        "requests": {"cpu": "500m", "memory": "1Gi", "example.com/gpu": "2", "hugepages-2Mi": "2Mi"},
        "limits": {"cpu": 0.5, "memory": "1073741824", "example.com/gpu": 2, "hugepages-2Mi": "2048Ki"}}}), (1, 37)),
    ("init-container-not-duplicate", job(pod={"initContainers": [{"name": "setup", "image": "x"}]}), (1, 37)),
]

# A field the version does not serve is dropped by the server, so it is not validated (JC104 reports it).
VERSION_GATED = [
    ("success-policy-1.29", job(spec={"successPolicy": {"rules": []}}), (1, 29)),
    ("success-policy-1.30", job(spec={"successPolicy": {"rules": []}}), (1, 30)),
    ("managed-by-1.31", job(spec={"managedBy": "bad"}), (1, 31)),
    ("per-index-1.28", job(spec={"backoffLimitPerIndex": -1}), (1, 28)),
    ("replacement-1.28", job(spec={"podReplacementPolicy": "x"}), (1, 28)),
    ("pfp-1.25", job(spec={"podFailurePolicy": {"rules": [{}]}}, pod={"restartPolicy": "OnFailure"}), (1, 25)),
    ("env-relaxed-1.32", job(container={"env": [{"name": "1ST"}]}), (1, 32)),
]


@pytest.mark.parametrize("doc,version,expected", [c[1:] for c in FAILING], ids=[c[0] for c in FAILING])
def test_rule_reports(doc, version, expected):
    assert sorted(hits(doc, version)) == sorted(expected)


@pytest.mark.parametrize("doc,version", [c[1:] for c in PASSING + VERSION_GATED],
                         ids=[c[0] for c in PASSING + VERSION_GATED])
def test_accepted_manifest_has_no_hit(doc, version):
    assert hits(doc, version) == []


def test_yaml_loaded_manifest_and_list_prefix():
    doc = load("""
apiVersion: v1
kind: List
items:
- apiVersion: batch/v1
  kind: Job
  metadata: {name: pi}
  spec:
    completions: 3
    template:
      spec:
        containers: [{name: pi, image: perl}]
""")
    assert hits(doc) == [("items[0].spec.template.spec.restartPolicy",
                          'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"')]


def test_old_server_restart_policy_wording():
    assert hits(job(pod={"restartPolicy": "Always"}), (1, 19)) == [
        ("spec.template.spec.restartPolicy",
         'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"')]


def test_failindex_before_1_28_is_unknown_action():
    doc = job(spec={"podFailurePolicy": {"rules": [{"action": "FailIndex", "onExitCodes": {
        "operator": "In", "values": [1]}}]}})
    assert hits(doc, (1, 27)) == [(
        "spec.podFailurePolicy.rules[0].action",
        'spec.podFailurePolicy.rules[0].action: Unsupported value: "FailIndex": supported values: "Count", '
        '"FailJob", "Ignore"')]
    assert hits(doc, (1, 28)) == []  # gate off: the rule is dropped


def test_required_hit_points_at_missing_field():
    doc = job(spec={"completionMode": "Indexed", "parallelism": 2})
    (hit,) = [h for h in hits(doc)]
    assert hit[0] == "spec.completions"
