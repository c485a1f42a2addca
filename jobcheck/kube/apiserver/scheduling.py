"""Scheduling fields: ``ValidateTolerations``, ``validateAffinity`` and
``validateTopologySpreadConstraints``, as a create (not an update) sees them.

Pod affinity terms' ``matchLabelKeys`` and ``mismatchLabelKeys`` are checked once served
(MatchLabelKeysInPodAffinity, 1.31+). Their "exists in both matchLabelKeys and labelSelector"
differs from the spread constraints' rule of the same words: a Pod's selector has already got
the matchLabelKeys merged in when it is validated, so the rule looks for a key that the selector
names twice (matchLabels, then matchExpressions); a template is validated as written (nothing is
merged), so the error needs the user's selector itself to name the key twice. Spread constraints
follow the same rule from 1.34 (SPREAD_SELECTOR_MERGE_SINCE); until 1.33 any key both in their
matchLabelKeys and their labelSelector is refused, at the matchLabelKeys entry. Label values in
required node affinity terms are checked from 1.33, the release that started to validate them.
"""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.apiserver.names import (
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    is_valid_label_value,
)
from jobcheck.kube.apiserver.selector import validate_selector
from jobcheck.kube.values import as_int, as_list, as_map

# From 1.34 (kubernetes#129874, CHANGELOG-1.34 alpha; the MatchLabelKeysInPodTopologySpreadSelectorMerge
# gate, on by default) a spread constraint's matchLabelKeys are merged into a Pod's labelSelector and
# validated as pod affinity's are (validateMatchLabelKeysAndMismatchLabelKeys); before, the legacy
# validateMatchLabelKeysInTopologySpread refuses any key the selector also names.
SPREAD_SELECTOR_MERGE_SINCE = (1, 34)

# kubernetes#128119 (CHANGELOG-1.32, "Changelog since v1.31.0"): from 1.32 the "value must be
# empty" error of an Exists toleration names the value; before, its bad value was the whole
# core.Toleration, printed with %#v (a set tolerationSeconds as a pointer address).
TOLERATION_VALUE_FROM = (1, 32)
# ValidateTolerations of the 1.36 line (kubernetes/kubernetes@898b9f80) has a case for Lt and Gt:
# while TaintTolerationComparisonOperators is off (alpha since 1.35, still alpha in the 1.37
# kube_features.go) they are refused with all four operators listed. 1.35 is not pinned (no
# stored validation.go of that line): the two-operator list is kept there.
COMPARISON_OPERATORS = ("Lt", "Gt")
COMPARISON_LISTED_FROM = (1, 36)

FIX_KEY = "Use a valid label key: an optional DNS prefix and '/', then at most 63 alphanumeric characters, '-', '_' or '.'."
FIX_WEIGHT = "Set the weight between 1 and 100."


def _label_name(rep: m.Reporter, key: str, path: tuple) -> None:
    for msg in is_qualified_name(key):
        rep.add(path, m.invalid(key, msg), FIX_KEY)


def validate_scheduling(rep: m.Reporter, spec: dict, sp: tuple, version: tuple[int, int]) -> None:
    """Tolerations, affinity and topology spread constraints of one pod spec, where present."""
    if "tolerations" in spec:
        _validate_tolerations(rep, as_list(spec["tolerations"]), sp + ("tolerations",), version)
    affinity = spec.get("affinity")
    if isinstance(affinity, dict):
        ap = sp + ("affinity",)
        node = affinity.get("nodeAffinity")
        if isinstance(node, dict):
            _validate_node_affinity(rep, node, ap + ("nodeAffinity",), version >= NODE_AFFINITY_VALUES_FROM)
        for kind in ("podAffinity", "podAntiAffinity"):
            pod = affinity.get(kind)
            if isinstance(pod, dict):
                pp = ap + (kind,)
                req = "requiredDuringSchedulingIgnoredDuringExecution"
                for i, term in enumerate(as_list(pod.get(req))):
                    if isinstance(term, dict):
                        _validate_pod_affinity_term(rep, term, pp + (req, i), version)
                pref = "preferredDuringSchedulingIgnoredDuringExecution"
                for i, weighted in enumerate(as_list(pod.get(pref))):
                    if isinstance(weighted, dict):
                        _check_weight(rep, weighted, pp + (pref, i))
                        term = weighted.get("podAffinityTerm")
                        if term is None or isinstance(term, dict):
                            _validate_pod_affinity_term(
                                rep, term or {}, pp + (pref, i, "podAffinityTerm"), version
                            )
    if "topologySpreadConstraints" in spec:
        _validate_spread(
            rep, as_list(spec["topologySpreadConstraints"]), sp + ("topologySpreadConstraints",), version
        )


def _exists_value(tol: dict, key: str, value: str, effect: str, version: tuple[int, int]) -> object:
    """The bad value of "value must be empty when `operator` is 'Exists'" in ``version``."""
    if version >= TOLERATION_VALUE_FROM:
        return value
    if tol.get("tolerationSeconds") is not None:
        return m.OMIT  # %#v prints the pointer's address: not reproducible
    return m.go_struct("core.Toleration", [
        ("Key", key), ("Operator", "Exists"), ("Value", value), ("Effect", effect), ("TolerationSeconds", None),
    ])


def _operators_listed(operator: str, version: tuple[int, int]) -> tuple[str, ...]:
    if operator in COMPARISON_OPERATORS and version >= COMPARISON_LISTED_FROM:
        return f.TOLERATION_OPERATORS + COMPARISON_OPERATORS
    return f.TOLERATION_OPERATORS


def _validate_tolerations(rep: m.Reporter, tolerations: list, tp: tuple, version: tuple[int, int]) -> None:
    for i, tol in enumerate(tolerations):
        if not isinstance(tol, dict):
            continue
        path = tp + (i,)
        key, operator, value, effect = (tol.get(k) for k in ("key", "operator", "value", "effect"))
        if any(v is not None and not isinstance(v, str) for v in (key, operator, value, effect)):
            continue  # a value of the wrong type: the schema layer reports it
        key = key if isinstance(key, str) else ""
        operator = operator if isinstance(operator, str) else ""
        value = value if isinstance(value, str) else ""
        effect = effect if isinstance(effect, str) else ""
        if key:
            _label_name(rep, key, path + ("key",))
        if not key and operator != "Exists":
            rep.add(
                path + ("operator",),
                m.invalid(
                    operator,
                    'operator must be Exists when `key` is empty, which means "match all values '
                    'and all keys"',
                ),
                "Set a key, or use operator Exists to tolerate every taint.",
            )
        if tol.get("tolerationSeconds") is not None and effect != "NoExecute":
            rep.add(
                path + ("effect",),
                m.invalid(effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"),
                "Remove tolerationSeconds, or set the effect to NoExecute.",
            )
        if operator in ("Equal", ""):
            errs = is_valid_label_value(value)
            if errs:
                rep.add(
                    path + ("operator",),
                    m.invalid(value, ";".join(errs)),
                    "Use a valid label value as the toleration value.",
                    at=path + ("value",),
                )
        elif operator == "Exists":
            if value:
                rep.add(
                    path + ("operator",),
                    m.invalid(
                        _exists_value(tol, key, value, effect, version),
                        "value must be empty when `operator` is 'Exists'",
                    ),
                    "Remove the value, or use operator Equal.",
                    at=path + ("value",),
                )
        else:
            rep.add(
                path + ("operator",),
                m.not_supported(operator, _operators_listed(operator, version)),
                "Set the operator to Equal or Exists.",
            )
        if effect and effect not in f.TAINT_EFFECTS:
            rep.add(
                path + ("effect",),
                m.not_supported(effect, f.TAINT_EFFECTS),
                "Set the effect to NoSchedule, PreferNoSchedule or NoExecute, or leave it out to match all.",
            )


def validate_tolerations(rep: m.Reporter, tolerations: list, tp: tuple, version: tuple[int, int]) -> None:
    """``ValidateTolerations`` at server path ``tp`` (also used for the tolerations annotation)."""
    _validate_tolerations(rep, tolerations, tp, version)


def _check_weight(rep: m.Reporter, item: dict, path: tuple) -> None:
    weight = item.get("weight")
    if weight is None:
        weight = 0
    weight = as_int(weight)
    if weight is not None and not 1 <= weight <= 100:
        rep.add(path + ("weight",), m.invalid(weight, "must be in the range 1-100"), FIX_WEIGHT)


# ValidateNodeSelectorRequirement checks the label values of *required* node affinity terms from
# 1.33 (kubernetes#128212, milestone v1.33); preferred terms stay unchecked in every release.
NODE_AFFINITY_VALUES_FROM = (1, 33)


def _validate_node_affinity(rep: m.Reporter, node: dict, np: tuple, values: bool) -> None:
    req = node.get("requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(req, dict):
        rp = np + ("requiredDuringSchedulingIgnoredDuringExecution",)
        terms = as_list(req.get("nodeSelectorTerms"))
        if not terms:
            rep.add(
                rp + ("nodeSelectorTerms",),
                m.required("must have at least one node selector term"),
                "List at least one node selector term.",
            )
        for i, term in enumerate(terms):
            _validate_node_selector_term(rep, as_map(term), rp + ("nodeSelectorTerms", i), values)
    pref = "preferredDuringSchedulingIgnoredDuringExecution"
    for i, item in enumerate(as_list(node.get(pref))):
        if isinstance(item, dict):
            _check_weight(rep, item, np + (pref, i))
            _validate_node_selector_term(
                rep, as_map(item.get("preference")), np + (pref, i, "preference"), False
            )


def _validate_node_selector_term(rep: m.Reporter, term: dict, tp: tuple, values: bool) -> None:
    for j, req in enumerate(as_list(term.get("matchExpressions"))):
        if not isinstance(req, dict):
            continue
        rp = tp + ("matchExpressions", j)
        operator = req.get("operator")
        n = len(as_list(req.get("values")))
        if operator in ("In", "NotIn"):
            if n == 0:
                rep.add(
                    rp + ("values",),
                    m.required("must be specified when `operator` is 'In' or 'NotIn'"),
                    "List at least one value for In or NotIn.",
                )
        elif operator in ("Exists", "DoesNotExist"):
            if n:
                rep.add(
                    rp + ("values",),
                    m.forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
                    "Remove the values of an Exists or DoesNotExist expression.",
                )
        elif operator in ("Gt", "Lt"):
            if n != 1:
                rep.add(
                    rp + ("values",),
                    m.required("must be specified single value when `operator` is 'Lt' or 'Gt'"),
                    "Give Gt and Lt exactly one value, an integer.",
                )
        elif isinstance(operator, str) or operator is None:
            rep.add(
                rp + ("operator",),
                m.invalid(operator or "", "not a valid selector operator"),
                "Use one of the operators In, NotIn, Exists, DoesNotExist, Gt or Lt.",
            )
        key = req.get("key")
        if isinstance(key, str) or key is None:
            _label_name(rep, key or "", rp + ("key",))
        if values:
            for k, value in enumerate(as_list(req.get("values"))):
                if isinstance(value, str):
                    for msg in is_valid_label_value(value):
                        rep.add(
                            rp + ("values", k),
                            m.invalid(value, msg),
                            "Use a valid label value: at most 63 letters, digits, '-', '_' or '.', "
                            "starting and ending with a letter or digit.",
                        )
    for j, req in enumerate(as_list(term.get("matchFields"))):
        if not isinstance(req, dict):
            continue
        rp = tp + ("matchFields", j)
        operator = req.get("operator")
        values = as_list(req.get("values"))
        if operator in ("In", "NotIn"):
            if len(values) != 1:
                rep.add(
                    rp + ("values",),
                    m.required(
                        "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"
                    ),
                    "Give the node field selector exactly one value.",
                )
        elif isinstance(operator, str) or operator is None:
            rep.add(
                rp + ("operator",),
                m.invalid(operator or "", "not a valid selector operator"),
                "Use In or NotIn in a node field selector.",
            )
        key = req.get("key")
        if key != "metadata.name":
            if isinstance(key, str) or key is None:
                rep.add(
                    rp + ("key",),
                    m.invalid(key or "", "not a valid field selector key"),
                    "Node field selectors only support the key metadata.name.",
                )
        else:
            for k, value in enumerate(values):
                if isinstance(value, str):
                    for msg in is_dns1123_subdomain(value):
                        rep.add(rp + ("values", k), m.invalid(value, msg), "Use a node name.")


def _validate_pod_affinity_term(rep: m.Reporter, term: dict, tp: tuple, version: tuple[int, int]) -> None:
    for key in ("labelSelector", "namespaceSelector"):
        selector = term.get(key)
        if isinstance(selector, dict):
            validate_selector(rep, selector, tp + (key,))
    for k, name in enumerate(as_list(term.get("namespaces"))):
        if isinstance(name, str):
            for msg in is_dns1123_label(name):
                rep.add(
                    tp + ("namespace",),
                    m.invalid(name, msg),
                    "List namespace names (DNS-1123 labels).",
                    at=tp + ("namespaces", k),
                )
    if f.gate_on("MatchLabelKeysInPodAffinity", version) and (
        "matchLabelKeys" in term or "mismatchLabelKeys" in term
    ):
        _validate_label_keys(rep, term, tp)
    topology = term.get("topologyKey")
    if topology is None or isinstance(topology, str):
        topology = topology or ""
        if not topology:
            rep.add(
                tp + ("topologyKey",),
                m.required("can not be empty"),
                "Set topologyKey to a node label such as kubernetes.io/hostname.",
            )
        _label_name(rep, topology, tp + ("topologyKey",))


FIX_NO_SELECTOR = "Add a labelSelector (matchLabelKeys narrows it), or remove the keys."


def _validate_label_keys(rep: m.Reporter, term: dict, tp: tuple) -> None:
    """``validateMatchLabelKeysAndMismatchLabelKeys``: key names, a selector to narrow, no key in both."""
    selector = term.get("labelSelector")
    for field in ("matchLabelKeys", "mismatchLabelKeys"):
        keys = as_list(term.get(field))
        if not keys:
            continue
        if selector is None:
            rep.add(
                tp + (field,),
                m.forbidden("must not be specified when labelSelector is not set"),
                FIX_NO_SELECTOR,
            )
            rep.mark_absent()
            continue
        for j, key in enumerate(keys):
            if isinstance(key, str):
                _label_name(rep, key, tp + (field, j))
    if isinstance(selector, dict):
        _keys_in_selector_twice(rep, term, selector, tp)
    mismatch = {k for k in as_list(term.get("mismatchLabelKeys")) if isinstance(k, str)}
    for j, key in enumerate(as_list(term.get("matchLabelKeys"))):
        if isinstance(key, str) and key in mismatch:
            rep.add(
                tp + ("matchLabelKeys", j),
                m.invalid(key, "exists in both matchLabelKeys and mismatchLabelKeys"),
                "List the key in matchLabelKeys or in mismatchLabelKeys, not both.",
            )


def _keys_in_selector_twice(rep: m.Reporter, term: dict, selector: dict, tp: tuple) -> None:
    """``validateMatchLabelKeysAndMismatchLabelKeys``, step 2: a matchExpressions key that the selector
    already named (in matchLabels or an earlier expression) and that matchLabelKeys lists. The server
    indexes the term's own path with the key's place in matchLabelKeys (``<term>[i]``, the last place
    when a key is listed twice); the hit sits on that matchLabelKeys entry."""
    expressions = selector.get("matchExpressions")
    if not expressions:
        return
    places = {k: i for i, k in enumerate(as_list(term.get("matchLabelKeys"))) if isinstance(k, str)}
    if not places:
        return
    seen = {k for k in as_map(selector.get("matchLabels")) if isinstance(k, str)}
    for expression in as_list(expressions):
        key = as_map(expression).get("key")
        if not isinstance(key, str):
            continue
        if key in places and key in seen:
            i = places[key]
            rep.add(
                tp + (i,),
                m.invalid(key, "exists in both matchLabelKeys and labelSelector"),
                "Name the key once in the labelSelector, or drop it from matchLabelKeys.",
                at=tp + ("matchLabelKeys", i),
            )
        seen.add(key)


def _validate_spread(rep: m.Reporter, constraints: list, cp: tuple, version: tuple[int, int]) -> None:
    min_domains = f.gate_on("MinDomainsInPodTopologySpread", version)
    label_keys = f.gate_on("MatchLabelKeysInPodTopologySpread", version)
    inclusion = f.gate_on("NodeInclusionPolicyInPodTopologySpread", version)
    items = [c if isinstance(c, dict) else None for c in constraints]
    for i, c in enumerate(items):
        if c is None:
            continue  # not an object: the schema layer says so
        path = cp + (i,)
        skew = c.get("maxSkew")
        skew = 0 if skew is None else as_int(skew)
        if skew is not None and skew <= 0:
            rep.add(
                path + ("maxSkew",), m.invalid(skew, "must be greater than zero"), "Set maxSkew to 1 or more."
            )
        key = c.get("topologyKey")
        if key is None or key == "":
            rep.add(
                path + ("topologyKey",),
                m.required("can not be empty"),
                "Set topologyKey to a node label such as topology.kubernetes.io/zone.",
            )
        action = c.get("whenUnsatisfiable")
        if action is None or isinstance(action, str):
            action = action or ""
            if action not in f.WHEN_UNSATISFIABLE:
                rep.add(
                    path + ("whenUnsatisfiable",),
                    m.not_supported(action, f.WHEN_UNSATISFIABLE),
                    "Set whenUnsatisfiable to DoNotSchedule or ScheduleAnyway.",
                )
        for later in items[i + 1 :]:
            if (
                later is not None
                and later.get("topologyKey", "") == (key or "")
                and later.get("whenUnsatisfiable", "") == action
            ):
                rep.add(
                    path + ("{topologyKey, whenUnsatisfiable}",),
                    m.duplicate(f"{{{key or ''}, {action}}}"),
                    "Give each (topologyKey, whenUnsatisfiable) pair one constraint.",
                    at=path + ("topologyKey",),
                )
                break
        domains = c.get("minDomains")
        domains = as_int(domains) if domains is not None else None
        if domains is not None and min_domains:
            if domains <= 0:
                rep.add(
                    path + ("minDomains",),
                    m.invalid(domains, "must be greater than zero"),
                    "Set minDomains to 1 or more, or leave it out.",
                )
            if action != "DoNotSchedule":
                rep.add(
                    path + ("minDomains",),
                    m.invalid(
                        domains, f"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"
                    ),
                    "Use minDomains only with whenUnsatisfiable: DoNotSchedule.",
                )
        for key2 in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            policy = c.get(key2)
            if inclusion and isinstance(policy, str) and policy not in f.NODE_INCLUSION_POLICIES:
                rep.add(
                    path + (key2,),
                    m.not_supported(policy, f.NODE_INCLUSION_POLICIES),
                    f"Set {key2} to Honor or Ignore.",
                )
        selector = c.get("labelSelector")
        keys = as_list(c.get("matchLabelKeys"))
        if label_keys and keys and selector is None:
            rep.add(
                path + ("matchLabelKeys",),
                m.forbidden("must not be specified when labelSelector is not set"),
                FIX_NO_SELECTOR,
            )
            rep.mark_absent()
        if label_keys and keys and isinstance(selector, dict):
            used = {k for k in as_map(selector.get("matchLabels")) if isinstance(k, str)}
            used |= {as_map(e).get("key") for e in as_list(selector.get("matchExpressions"))}
            merged = version >= SPREAD_SELECTOR_MERGE_SINCE
            if merged:
                _keys_in_selector_twice(rep, c, selector, path)
            for j, name in enumerate(keys):
                if isinstance(name, str):
                    _label_name(rep, name, path + ("matchLabelKeys", j))
                    if name in used and not merged:
                        rep.add(
                            path + ("matchLabelKeys", j),
                            m.invalid(name, "exists in both matchLabelKeys and labelSelector"),
                            "Remove the key from matchLabelKeys or from the labelSelector.",
                        )
        if isinstance(selector, dict):
            validate_selector(rep, selector, path + ("labelSelector",))
