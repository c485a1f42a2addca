"""A container's own ``restartPolicy`` and ``restartPolicyRules`` (KEP-5307), by release.

Read from pkg/apis/core/validation/validation.go: ``validateContainers`` (regular containers),
``validateInitContainerRestartPolicy`` and ``validateContainerRestartPolicy``, in the newest
snapshot read (the 1.37 development line, commit 64149d12 of a mirror of kubernetes/kubernetes,
AIAgentSandox/kubernetes); its two list limits agree line for line with the kubernetes/kubernetes
patch of kubernetes#137136, which turned them from ``TooLong`` into ``TooMany``. Release facts:

- 1.28: the field exists; a regular container may not set it, an init container's is dropped
  (SidecarContainers off).
- 1.29-1.33: regular containers may not set it; init containers may set only ``Always``.
- 1.34: ContainerRestartRules is alpha (off): ``dropContainerRestartRules`` (pkg/api/pod/util.go)
  removes a regular container's policy, an init container's policy other than Always, and every
  rule before validation. Nothing is left to refuse; JC104 reports the dropped fields.
- 1.35 (ContainerRestartRules on by default): the rules below. RestartAllContainersOnContainerExits
  is alpha (off): the only action is ``Restart`` and a sidecar (init container with Always) may
  not have rules. The list limits are ``TooLong`` ("bytes").
- 1.36: RestartAllContainersOnContainerExits on by default (kube_features.go): the action
  ``RestartAllContainers`` is accepted and a sidecar's rules are validated like any other;
  kubernetes#137136 (CHANGELOG-1.36, v1.36.0-beta.0) prints the limits as ``TooMany`` ("items").
"""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f

FIELD_FROM = (1, 28)  # Container.restartPolicy is served from 1.28
RULES_ALPHA = (1, 34)  # ContainerRestartRules alpha (off): the fields are dropped (gates.STAGES)
MAX_RULES = 20
MAX_EXIT_CODES = 255
TOO_MANY_FROM = (1, 36)  # kubernetes#137136: TooLong -> TooMany
POLICIES = ("Always", "Never", "OnFailure")  # supportedContainerRestartPolicies, sets.List: sorted
OPERATORS = ("In", "NotIn")  # supportedContainerRestartPolicyOperators, sorted
ACTIONS = ("Restart",)
ACTIONS_WITH_RESTART_ALL = ("Restart", "RestartAllContainers")  # sorted
RULES_NEED_POLICY = "must specify restartPolicy when restart rules are used"
SIDECAR_RULES = "restartPolicyRules are not allowed for init containers with restart policy Always"
INIT_RESIZE_FROM = (1, 36)  # kubernetes#137458 (CHANGELOG-1.36, v1.36.0-beta.0)
INIT_RESIZE_RESTART = "must not be set to 'RestartContainer' for non-sidecar initContainers"

_FIX_POLICY = "Set the container's restartPolicy to Always, Never or OnFailure."


def validate_restart(rep: m.Reporter, ctr: dict, cp: tuple, init: bool, version: tuple[int, int]) -> None:
    """The container's restartPolicy and restartPolicyRules at ``cp`` in ``version``."""
    policy = ctr.get("restartPolicy")
    rules = ctr.get("restartPolicyRules")
    if version < FIELD_FROM or (policy is None and rules is None):
        return
    if f.gate_on("ContainerRestartRules", version):
        if init:
            _validate_init(rep, policy, rules, cp, version)
        else:
            _validate_rules(rep, policy, rules, cp, version)
    elif version < RULES_ALPHA and isinstance(policy, str):
        _validate_before_rules(rep, policy, cp, init, version)


def _validate_before_rules(
    rep: m.Reporter, policy: str, cp: tuple, init: bool, version: tuple[int, int]
) -> None:
    """1.28-1.33: regular containers may not set a policy, init containers only Always."""
    path = cp + ("restartPolicy",)
    if not init:
        rep.add(
            path,
            m.forbidden("may not be set for non-init containers"),
            "Remove restartPolicy from the container: only init containers (sidecars) may set it.",
        )
    elif policy != "Always" and f.gate_on("SidecarContainers", version):
        rep.add(
            path,
            m.not_supported(policy, ("Always",)),
            "Set the init container's restartPolicy to Always (a sidecar), or leave it out.",
        )


def _restart_all(version: tuple[int, int]) -> bool:
    return f.gate_on("RestartAllContainersOnContainerExits", version)


def _validate_init(
    rep: m.Reporter, policy: object, rules: object, cp: tuple, version: tuple[int, int]
) -> None:
    """``validateInitContainerRestartPolicy`` with ContainerRestartRules on."""
    if policy is None:
        if _length(rules):
            _rules_need_policy(rep, cp)
        return
    if policy == "Always" and not _restart_all(version):
        if _length(rules):
            rep.add(
                cp + ("restartPolicyRules",),
                m.forbidden(SIDECAR_RULES),
                "Remove restartPolicyRules from the sidecar (restartPolicy: Always): it restarts on every exit.",
            )
        return
    _validate_rules(rep, policy, rules, cp, version)


def _length(rules: object) -> int:
    return len(rules) if isinstance(rules, list) else 0


def _rules_need_policy(rep: m.Reporter, cp: tuple) -> None:
    rep.add(
        cp + ("restartPolicy",),
        m.required(RULES_NEED_POLICY),
        "Set the container's own restartPolicy (Always, Never or OnFailure) next to its restartPolicyRules.",
    )


def _validate_rules(
    rep: m.Reporter, policy: object, rules: object, cp: tuple, version: tuple[int, int]
) -> None:
    """``validateContainerRestartPolicy``."""
    if policy is None:
        if not _length(rules):
            return
        _rules_need_policy(rep, cp)
    elif isinstance(policy, str) and policy not in POLICIES:
        rep.add(cp + ("restartPolicy",), m.not_supported(policy, POLICIES), _FIX_POLICY)
    if not isinstance(rules, list):
        return  # absent, or not a list: the schema layer reports the type
    rp = cp + ("restartPolicyRules",)
    if len(rules) > MAX_RULES:
        rep.add(
            rp,
            _limit(len(rules), MAX_RULES, version),
            f"Give the container at most {MAX_RULES} restart rules.",
        )
    actions = ACTIONS_WITH_RESTART_ALL if _restart_all(version) else ACTIONS
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        ip = rp + (i,)
        action = rule.get("action", "")
        if action is None:
            action = ""
        if isinstance(action, str) and action not in actions:
            rep.add(
                ip + ("action",),
                m.not_supported(action, actions),
                "Set the rule's action to " + " or ".join(actions) + ".",
            )
        exit_codes = rule.get("exitCodes")
        if exit_codes is None:
            rep.add(
                ip + ("exitCodes",),
                m.required("must be specified"),
                "Give the rule exitCodes: an operator (In or NotIn) and the exit codes it matches.",
            )
            continue
        if not isinstance(exit_codes, dict):
            continue
        operator = exit_codes.get("operator", "")
        if operator is None:
            operator = ""
        if isinstance(operator, str) and operator not in OPERATORS:
            rep.add(
                ip + ("exitCodes", "operator"),
                m.not_supported(operator, OPERATORS),
                "Set exitCodes.operator to In or NotIn.",
            )
        values = exit_codes.get("values")
        if isinstance(values, list) and len(values) > MAX_EXIT_CODES:
            rep.add(
                ip + ("exitCodes", "values"),
                _limit(len(values), MAX_EXIT_CODES, version),
                f"List at most {MAX_EXIT_CODES} exit codes in a rule.",
            )


def _limit(actual: int, maximum: int, version: tuple[int, int]) -> str:
    return m.too_many(actual, maximum) if version >= TOO_MANY_FROM else m.too_long(maximum)


def validate_init_resize_restart(rep: m.Reporter, ctr: dict, cp: tuple, version: tuple[int, int]) -> None:
    """kubernetes#137458 (1.36+): a non-sidecar init container may not restart to resize.

    Called for an init container whose resizePolicy is served (InPlacePodVerticalScaling on).
    """
    if version < INIT_RESIZE_FROM or ctr.get("restartPolicy") == "Always":
        return
    policies = ctr.get("resizePolicy")
    if not isinstance(policies, list):
        return
    for j, entry in enumerate(policies):
        if isinstance(entry, dict) and entry.get("restartPolicy") == "RestartContainer":
            rep.add(
                cp + ("resizePolicy", j, "restartPolicy"),
                m.invalid("RestartContainer", INIT_RESIZE_RESTART),
                "Use restartPolicy: NotRequired in the init container's resizePolicy (or make it a sidecar "
                "with restartPolicy: Always): an init container that has run to completion is never resized.",
            )
