"""Job spec rules (``validateJobSpec``): bounds, completion mode, per-index backoff,
podFailurePolicy, successPolicy, podReplacementPolicy, managedBy and restartPolicy.

Shared by a Job's ``spec`` and a CronJob's ``spec.jobTemplate.spec``; ``sp`` is
the server path of the job spec relative to the object.
"""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver.defaults import condition_status, defaulted_job_spec, defaulted_restart_policy
from jobcheck.kube.apiserver.names import domain_prefixed_path_errors, is_qualified_name
from jobcheck.kube.apiserver.pod import validate_pod_template
from jobcheck.kube.values import as_int, as_list, as_map

MAX_PARALLELISM_INDEXED = 100_000
MAX_FAILED_INDEXES = 100_000
COMPLETIONS_SOFT_LIMIT = 100_000
PARALLELISM_HIGH_COMPLETIONS = 10_000
MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10_000
MAX_PFP_RULES = 20
MAX_EXIT_CODES = 255
MAX_CONDITION_PATTERNS = 20
MAX_MANAGED_BY = 63
MAX_SUCCEEDED_INDEXES = 64 * 1024
MAX_SUCCESS_RULES = 20

_NONNEGATIVE = (
    "parallelism",
    "completions",
    "activeDeadlineSeconds",
    "backoffLimit",
    "ttlSecondsAfterFinished",
    "backoffLimitPerIndex",
    "maxFailedIndexes",
)
_FIX_NONNEGATIVE = "Use 0 or a positive number for {0}."


def _go_list(values: tuple[str, ...]) -> str:
    """Go's ``%q`` of a string slice: ``["A" "B"]``."""
    return "[" + " ".join(m.go_quote(v) for v in values) + "]"


def validate_job_spec(rep: m.Reporter, spec: dict, sp: tuple, version: tuple[int, int]) -> dict:
    """Report the job spec's errors; return the defaulted copy of its top level."""
    eff = defaulted_job_spec(spec, version)
    for name in _NONNEGATIVE:
        value = as_int(eff.get(name))
        if value is not None and value < 0:
            rep.add(sp + (name,), m.invalid(value, m.NEGATIVE), _FIX_NONNEGATIVE.format(name))
    completions = as_int(eff.get("completions"))
    parallelism = as_int(eff.get("parallelism"))
    per_index = eff.get("backoffLimitPerIndex")
    max_failed = as_int(eff.get("maxFailedIndexes"))
    if "maxFailedIndexes" in eff and per_index is None:
        rep.add(
            sp + ("backoffLimitPerIndex",),
            m.required("when maxFailedIndexes is specified"),
            "Set backoffLimitPerIndex, or remove maxFailedIndexes.",
        )
    if "managedBy" in eff and isinstance(eff["managedBy"], str):
        _validate_managed_by(rep, eff["managedBy"], sp + ("managedBy",))
    mode = eff.get("completionMode")
    if isinstance(mode, str):
        if mode not in ("NonIndexed", "Indexed"):
            rep.add(
                sp + ("completionMode",),
                m.not_supported(mode, ("NonIndexed", "Indexed")),
                "Set completionMode to NonIndexed or Indexed (case-sensitive).",
            )
        if mode == "Indexed":
            _validate_indexed(rep, eff, sp, completions, parallelism, max_failed)
        if mode == "NonIndexed":
            for name in ("backoffLimitPerIndex", "maxFailedIndexes"):
                value = eff.get(name)
                if value is not None:
                    rep.add(
                        sp + (name,),
                        m.invalid(value, "requires indexed completion mode"),
                        f"Set completionMode: Indexed, or remove {name}.",
                    )
    pfp = eff.get("podFailurePolicy")
    if isinstance(pfp, dict):
        _validate_pod_failure_policy(rep, pfp, eff, spec, sp + ("podFailurePolicy",), version)
    success = eff.get("successPolicy")
    if isinstance(success, dict):
        if mode != "Indexed":
            rep.add(
                sp + ("successPolicy",),
                m.invalid(success, "requires indexed completion mode"),
                "Set completionMode: Indexed, or remove successPolicy.",
            )
        else:
            _validate_success_policy(rep, success, completions, sp + ("successPolicy",))
    replacement = spec.get("podReplacementPolicy") if "podReplacementPolicy" in eff else None
    if isinstance(replacement, str):
        if "podFailurePolicy" in eff:
            if replacement != "Failed":
                rep.add(
                    sp + ("podReplacementPolicy",),
                    m.not_supported(replacement, ("Failed",)),
                    "With a podFailurePolicy, set podReplacementPolicy to Failed or leave it out.",
                )
        elif replacement not in ("Failed", "TerminatingOrFailed"):
            rep.add(
                sp + ("podReplacementPolicy",),
                m.not_supported(replacement, ("Failed", "TerminatingOrFailed")),
                "Set podReplacementPolicy to Failed or TerminatingOrFailed.",
            )

    template = spec.get("template")
    if template is None:
        template = {}
    if isinstance(template, dict):
        tp = sp + ("template",)
        validate_pod_template(rep, template, tp, version)
        pod_spec = template.get("spec")
        if pod_spec is None:
            pod_spec = {}
        if isinstance(pod_spec, dict):
            _validate_restart_policy(
                rep, pod_spec, "podFailurePolicy" in eff, tp + ("spec", "restartPolicy"), version
            )
    return eff


def _validate_restart_policy(
    rep: m.Reporter, pod_spec: dict, has_pfp: bool, path: tuple, version: tuple[int, int]
) -> None:
    policy = defaulted_restart_policy(pod_spec)
    if not isinstance(policy, str):
        return
    fix = (
        "Set restartPolicy to Never (or OnFailure) in the pod template: a Job's pods may not restart Always."
    )
    if policy == "Always":
        if version >= (1, 20):
            rep.add(path, m.required('valid values: "OnFailure", "Never"'), fix)
        else:
            rep.add(path, m.not_supported(policy, ("OnFailure", "Never")), fix)
    elif policy not in ("OnFailure", "Never"):
        rep.add(path, m.not_supported(policy, ("OnFailure", "Never")), fix)
    elif has_pfp and policy != "Never":
        rep.add(
            path,
            m.invalid(policy, 'only "Never" is supported when podFailurePolicy is specified'),
            "Set restartPolicy: Never, which a podFailurePolicy requires.",
        )


def _validate_managed_by(rep: m.Reporter, value: str, path: tuple) -> None:
    fix = (
        "Set managedBy to a domain-prefixed path such as example.com/my-controller (at most 63 characters), "
        "or leave it out for kubernetes.io/job-controller."
    )
    for bad, msg in domain_prefixed_path_errors(value):
        rep.add(path, m.required() if not value else m.invalid(bad, msg), fix)
    if len(value) > MAX_MANAGED_BY:
        rep.add(path, m.too_long(MAX_MANAGED_BY), fix)


def _validate_indexed(
    rep: m.Reporter,
    eff: dict,
    sp: tuple,
    completions: int | None,
    parallelism: int | None,
    max_failed: int | None,
) -> None:
    if eff.get("completions") is None:
        rep.add(
            sp + ("completions",),
            m.required("when completion mode is Indexed"),
            "Set completions: an Indexed Job needs the number of indexes.",
        )
    if parallelism is not None and parallelism > MAX_PARALLELISM_INDEXED:
        rep.add(
            sp + ("parallelism",),
            m.invalid(
                parallelism,
                f"must be less than or equal to {MAX_PARALLELISM_INDEXED} when completion mode is Indexed",
            ),
            f"Lower parallelism to at most {MAX_PARALLELISM_INDEXED}.",
        )
    if completions is not None and max_failed is not None and max_failed > completions:
        rep.add(
            sp + ("maxFailedIndexes",),
            m.invalid(max_failed, "must be less than or equal to completions"),
            "Lower maxFailedIndexes to at most completions.",
        )
    if max_failed is not None and max_failed > MAX_FAILED_INDEXES:
        rep.add(
            sp + ("maxFailedIndexes",),
            m.invalid(max_failed, f"must be less than or equal to {MAX_FAILED_INDEXES}"),
            f"Lower maxFailedIndexes to at most {MAX_FAILED_INDEXES}.",
        )
    if (
        completions is not None
        and completions > COMPLETIONS_SOFT_LIMIT
        and eff.get("backoffLimitPerIndex") is not None
    ):
        suffix = f"when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"
        if eff.get("maxFailedIndexes") is None:
            rep.add(
                sp + ("maxFailedIndexes",),
                m.required(f"must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"),
                f"Set maxFailedIndexes (at most {MAX_FAILED_INDEXES_HIGH_COMPLETIONS}).",
            )
        if parallelism is not None and parallelism > PARALLELISM_HIGH_COMPLETIONS:
            rep.add(
                sp + ("parallelism",),
                m.invalid(
                    parallelism, f"must be less than or equal to {PARALLELISM_HIGH_COMPLETIONS} {suffix}"
                ),
                f"Lower parallelism to at most {PARALLELISM_HIGH_COMPLETIONS}.",
            )
        if max_failed is not None and max_failed > MAX_FAILED_INDEXES_HIGH_COMPLETIONS:
            rep.add(
                sp + ("maxFailedIndexes",),
                m.invalid(
                    max_failed,
                    f"must be less than or equal to {MAX_FAILED_INDEXES_HIGH_COMPLETIONS} {suffix}",
                ),
                f"Lower maxFailedIndexes to at most {MAX_FAILED_INDEXES_HIGH_COMPLETIONS}.",
            )


def _container_names(spec: dict) -> set[str]:
    pod = as_map(as_map(spec.get("template")).get("spec"))
    names = set()
    for group in ("containers", "initContainers"):
        for ctr in as_list(pod.get(group)):
            name = as_map(ctr).get("name")
            if isinstance(name, str):
                names.add(name)
    return names


def _validate_pod_failure_policy(
    rep: m.Reporter, pfp: dict, eff: dict, spec: dict, pp: tuple, version: tuple[int, int]
) -> None:
    rules = pfp.get("rules")
    if not isinstance(rules, list):
        return
    if len(rules) > MAX_PFP_RULES:
        rep.add(
            pp + ("rules",),
            m.too_many(len(rules), MAX_PFP_RULES),
            f"Merge rules: a podFailurePolicy has at most {MAX_PFP_RULES}.",
        )
    actions = (
        ("Count", "FailIndex", "FailJob", "Ignore") if version >= (1, 28) else ("Count", "FailJob", "Ignore")
    )
    names = _container_names(spec)
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        rp = pp + ("rules", i)
        action = rule.get("action")
        if action == "FailIndex" and (1, 28) <= version < (1, 29):
            continue  # the gate is off: the server drops FailIndex rules
        if action is None or action == "":
            rep.add(
                rp + ("action",),
                m.required(f"valid values: {_go_list(actions)}"),
                "Set the rule's action: Count, FailIndex, FailJob or Ignore.",
            )
        elif action == "FailIndex" and version >= (1, 28):
            if eff.get("backoffLimitPerIndex") is None:
                rep.add(
                    rp + ("action",),
                    m.invalid(action, "requires the backoffLimitPerIndex to be set"),
                    "Set backoffLimitPerIndex (with completionMode: Indexed), or use another action.",
                )
        elif isinstance(action, str) and action not in actions:
            rep.add(
                rp + ("action",),
                m.not_supported(action, actions),
                "Use one of the actions Count, FailIndex, FailJob or Ignore (case-sensitive).",
            )
        on_exit = rule.get("onExitCodes")
        conditions = rule.get("onPodConditions")
        if isinstance(on_exit, dict):
            _validate_on_exit_codes(rep, on_exit, rp + ("onExitCodes",), names, version)
        if isinstance(conditions, list) and conditions:
            _validate_on_pod_conditions(rep, conditions, rp + ("onPodConditions",))
        has_conditions = isinstance(conditions, list) and len(conditions) > 0
        if on_exit is not None and has_conditions:
            rep.add(
                rp,
                m.invalid(m.OMIT, "specifying both OnExitCodes and OnPodConditions is not supported"),
                "Split the rule in two: one with onExitCodes, one with onPodConditions.",
            )
        if on_exit is None and not has_conditions:
            rep.add(
                rp,
                m.invalid(m.OMIT, "specifying one of OnExitCodes and OnPodConditions is required"),
                "Give the rule onExitCodes or onPodConditions.",
            )


def _validate_on_exit_codes(
    rep: m.Reporter, req: dict, ep: tuple, names: set[str], version: tuple[int, int]
) -> None:
    operator = req.get("operator")
    if operator is None or operator == "":
        rep.add(
            ep + ("operator",),
            m.required(f"valid values: {_go_list(('In', 'NotIn'))}"),
            "Set operator to In or NotIn.",
        )
    elif isinstance(operator, str) and operator not in ("In", "NotIn"):
        rep.add(
            ep + ("operator",), m.not_supported(operator, ("In", "NotIn")), "Set operator to In or NotIn."
        )
    container = req.get("containerName")
    if isinstance(container, str) and container not in names:
        rep.add(
            ep + ("containerName",),
            m.invalid(container, "must be one of the container or initContainer names in the pod template"),
            "Name a container or init container of the pod template, or leave containerName out.",
        )
    values = req.get("values")
    if values is not None and not isinstance(values, list):
        return
    vp = ep + ("values",)
    if not values:
        rep.add(
            vp,
            m.invalid(m.typed(values, "[]int32", version), "at least one value is required"),
            "List at least one exit code.",
        )
        return
    if len(values) > MAX_EXIT_CODES:
        rep.add(vp, m.too_many(len(values), MAX_EXIT_CODES), f"List at most {MAX_EXIT_CODES} exit codes.")
    seen: set[int] = set()
    ordered = True
    previous = None
    for j, value in enumerate(values):
        value = as_int(value)
        if value is None:
            return
        if operator == "In" and value == 0:
            rep.add(
                vp + (j,),
                m.invalid(0, "must not be 0 for the In operator"),
                "Remove exit code 0: it means success and cannot match a failure with the In operator.",
            )
        if value in seen:
            rep.add(vp + (j,), m.duplicate(value), "List each exit code once.")
        seen.add(value)
        if previous is not None and previous > value:
            ordered = False
        previous = value
    if not ordered:
        rep.add(
            vp,
            m.invalid(m.typed(values, "[]int32", version), "must be ordered"),
            "List the exit codes in ascending order.",
        )


def _validate_on_pod_conditions(rep: m.Reporter, patterns: list, cp: tuple) -> None:
    if len(patterns) > MAX_CONDITION_PATTERNS:
        rep.add(
            cp,
            m.too_many(len(patterns), MAX_CONDITION_PATTERNS),
            f"List at most {MAX_CONDITION_PATTERNS} pod condition patterns.",
        )
    for j, pattern in enumerate(patterns):
        if not isinstance(pattern, dict):
            continue
        ctype = pattern.get("type")
        if ctype is None:
            ctype = ""
        if isinstance(ctype, str):
            for msg in is_qualified_name(ctype):
                rep.add(
                    cp + (j, "type"),
                    m.invalid(ctype, msg),
                    "Use a pod condition type such as DisruptionTarget (a qualified name).",
                )
        status = condition_status(pattern)
        if isinstance(status, str) and status not in ("True", "False", "Unknown"):
            rep.add(
                cp + (j, "status"),
                m.not_supported(status, ("False", "True", "Unknown")),
                "Set status to True, False or Unknown, or leave it out for True.",
            )


def parse_indexes(text: str, completions: int) -> tuple[int, str | None]:
    """``validateIndexesFormat``: (number of indexes, error) for an interval list like ``1,3-5``."""
    if not text:
        return 0, None
    last = None
    total = 0
    for interval in text.split(","):
        limits = interval.split("-")
        if len(limits) > 2:
            return 0, (
                f"the fragment {m.go_quote(interval)} violates the requirement that an index interval "
                "can have at most two parts separated by '-'"
            )
        first = _atoi(limits[0])
        if first is None:
            return 0, f"cannot convert string to integer for index: {m.go_quote(limits[0])}"
        if first >= completions:
            return 0, f"too large index: {m.go_quote(limits[0])}"
        if last is not None and last >= first:
            return 0, f"non-increasing order, previous: {last}, current: {first}"
        total += 1
        last = first
        if len(limits) > 1:
            second = _atoi(limits[1])
            if second is None:
                return 0, f"cannot convert string to integer for index: {m.go_quote(limits[1])}"
            if second >= completions:
                return 0, f"too large index: {m.go_quote(limits[1])}"
            if last >= second:
                return 0, f"non-increasing order, previous: {last}, current: {second}"
            total += second - first
            last = second
    return total, None


def _atoi(text: str) -> int | None:
    """Go ``strconv.Atoi``: optional sign, ASCII digits, int64 range."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


def _validate_success_policy(rep: m.Reporter, policy: dict, completions: int | None, pp: tuple) -> None:
    rules = policy.get("rules")
    if rules is not None and not isinstance(rules, list):
        return
    rules = rules or []
    if not rules:
        rep.add(
            pp + ("rules",),
            m.required("at least one rules must be specified when the successPolicy is specified"),
            "Add at least one success rule, or remove successPolicy.",
        )
    if len(rules) > MAX_SUCCESS_RULES:
        rep.add(
            pp + ("rules",),
            m.too_many(len(rules), MAX_SUCCESS_RULES),
            f"Keep at most {MAX_SUCCESS_RULES} success rules.",
        )
    if completions is None:
        return
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        rp = pp + ("rules", i)
        indexes = rule.get("succeededIndexes")
        count = rule.get("succeededCount")
        if indexes is None and count is None:
            rep.add(
                rp,
                m.required("at least one of succeededCount or succeededIndexes must be specified"),
                "Give the rule succeededIndexes, succeededCount, or both.",
            )
        total = 0
        if isinstance(indexes, str):
            if len(indexes.encode()) > MAX_SUCCEEDED_INDEXES:
                rep.add(
                    rp + ("succeededIndexes",),
                    m.too_long(MAX_SUCCEEDED_INDEXES),
                    "Shorten succeededIndexes by merging neighbouring indexes into intervals.",
                )
            total, err = parse_indexes(indexes, completions)
            if err:
                rep.add(
                    rp + ("succeededIndexes",),
                    m.invalid(indexes, f"error parsing succeededIndexes: {err}"),
                    "Write succeededIndexes as ascending, non-overlapping indexes or intervals below "
                    "completions, such as 0,2-4.",
                )
        count = as_int(count)
        if count is not None:
            cp = rp + ("succeededCount",)
            if count < 0:
                rep.add(cp, m.invalid(count, m.NEGATIVE), _FIX_NONNEGATIVE.format("succeededCount"))
            if count > completions:
                rep.add(
                    cp,
                    m.invalid(
                        count,
                        f"must be less than or equal to {completions} (the number of specified completions)",
                    ),
                    "Lower succeededCount to at most completions.",
                )
            if isinstance(indexes, str) and count > total:
                rep.add(
                    cp,
                    m.invalid(
                        count,
                        f"must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)",
                    ),
                    "Lower succeededCount to at most the number of indexes listed in succeededIndexes.",
                )
