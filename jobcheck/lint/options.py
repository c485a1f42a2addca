"""What a lint run runs with: the rules, which of them are selected, severities and parameters.

``build_options`` resolves a configuration into ``LintOptions``; the rule registry says what
each rule's check is, and ``LintOptions`` turns that into the plan the engine follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache, cached_property

from jobcheck.config import Config, check_params
from jobcheck.finding import Severity
from jobcheck.lint.registry import (
    STAGES,
    CheckFn,
    cross_object_check,
    load_rules,
    object_checks,
    problem_kinds,
    reports_unused_suppressions,
)
from jobcheck.record import dataclass, field
from jobcheck.rulemeta import Rule


class SelectionError(ValueError):
    """An unknown rule id, name or category in select/ignore/severity/params."""


@dataclass
class LintOptions:
    rules: dict[str, Rule]  # every known rule by id
    active: frozenset[str]  # ids of the rules that run
    kubernetes_version: str
    strict: bool = True
    severity: dict[str, Severity] = field(default_factory=dict)  # overrides by id
    params: dict[str, dict] = field(default_factory=dict)  # merged parameters by id
    now: datetime | None = None  # the instant schedules are looked at from (None: the current minute)

    def __getstate__(self) -> dict:
        # --jobs sends the options to worker processes; the compiled checks hold closures, which
        # do not pickle (spawn platforms), and each worker rebuilds them on first use.
        state = self.__dict__.copy()
        for name in ("checks", "fix_hints", "problem_rules", "hiders", "cross_checks"):
            state.pop(name, None)
        return state

    @cached_property
    def fix_hints(self) -> dict[str, str | None]:
        """Each rule's fix text, first paragraph on one line: the hint for findings whose check gave none."""
        hints = {}
        for rid, rule in self.rules.items():
            first = rule.fix.strip().split("\n\n", 1)[0]
            hints[rid] = " ".join(first.split()) or None
        return hints

    @cached_property
    def checks(self) -> list[tuple[str, str, CheckFn, dict]]:
        """The object checks to run, in stage order then id order: (id, stage, function, parameters).

        A gate check runs even when its rule is not selected: it decides whether the object is
        linted at all (its findings are still reported only when selected). Resolved once per
        run, so each object costs one call per check; the parameters are one copy per rule
        that the checks only read.
        """
        plan = []
        for rid in sorted(self.rules):
            for stage, fn in object_checks(self.rules[rid]):
                if rid in self.active or stage == "gate":
                    plan.append((STAGES.index(stage), rid, stage, fn))
        plan.sort(key=lambda item: (item[0], item[1]))
        return [(rid, stage, fn, dict(self.params.get(rid, {}))) for _, rid, stage, fn in plan]

    @cached_property
    def cross_checks(self) -> tuple[tuple[str, object, object, dict], ...]:
        """The selected cross-object rules (jobcheck.lint.cross): (id, collect, finish, parameters)."""
        out = []
        for rid in sorted(self.active):
            fns = cross_object_check(self.rules[rid])
            if fns is not None:
                out.append((rid, fns[0], fns[1], dict(self.params.get(rid, {}))))
        return tuple(out)

    @cached_property
    def problem_rules(self) -> dict[str, str]:
        """The rule id that reports each kind of loading problem."""
        return {kind: rid for rid, rule in sorted(self.rules.items()) for kind in problem_kinds(rule)}

    @cached_property
    def unused_suppression_rule(self) -> str | None:
        """The selected rule that reports suppressions matching nothing, if any."""
        return next((rid for rid in sorted(self.active) if reports_unused_suppressions(self.rules[rid])), None)

    @cached_property
    def inactive_codes(self) -> frozenset[str]:
        """Ids and names of the known rules this run does not select: suppressing them is not stale."""
        return frozenset(c for rid, r in self.rules.items() if rid not in self.active for c in (rid, r.name))

    @cached_property
    def hiders(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """(rule, rules it hides) for the selected rules that hide others' hits at their places."""
        return tuple((rid, frozenset(self.rules[rid].hides)) for rid in sorted(self.active) if self.rules[rid].hides)


CORRECTNESS = "correctness"


def resolve_selector(token: str, rules: Mapping[str, Rule]) -> set[str]:
    """Rule ids matched by an id, an id prefix (``JC3``), a name, a category, ``correctness``
    (what the API server or a controller refuses or mis-runs) or ``ALL``."""
    if token.upper() == "ALL":
        return set(rules)
    if token == CORRECTNESS:
        return {rid for rid, r in rules.items() if r.correctness}
    ids = {rid for rid, r in rules.items() if token in (rid, r.name, r.category) or rid.startswith(token)}
    if not ids:
        raise SelectionError(f"no rule matches {token!r} (use an id such as JC306, a name, or a category)")
    return ids


def build_options(config: Config | None = None, kubernetes_version: str | None = None) -> LintOptions:
    """Resolve a configuration into the rule set, severities and parameters to run with."""
    from jobcheck.kube.versions import DEFAULT_VERSION, parse_version

    config = config or Config()
    rules = load_rules(config.rules_dirs)
    if config.select is None:
        active = {rid for rid, r in rules.items() if r.enabled}
    else:
        active = set().union(*(resolve_selector(t, rules) for t in config.select)) if config.select else set()
    for token in config.extend_select:
        active |= resolve_selector(token, rules)
    for token in config.ignore:
        active -= resolve_selector(token, rules)
    severity = {}
    for token, level in config.severity.items():
        for rid in resolve_selector(token, rules):
            severity[rid] = Severity.parse(level)
    check_params(config, rules, lambda token: resolve_selector(token, rules))  # names and types, with positions
    params = {rid: dict(r.params) for rid, r in rules.items()}
    for token, values in config.params.items():
        for rid in resolve_selector(token, rules):
            params[rid].update(values)
    version = kubernetes_version or config.kubernetes_version or DEFAULT_VERSION
    parse_version(version)  # raises ValueError for an unsupported version
    return LintOptions(rules, frozenset(active), version, config.strict, severity, params)


@cache
def default_options() -> LintOptions:
    """The options of a run with no configuration (built once)."""
    return build_options()
