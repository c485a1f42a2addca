"""Label selectors: syntax (``ValidateLabelSelector``) and matching (``LabelSelectorAsSelector``)."""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver.metadata import validate_labels
from jobcheck.kube.apiserver.names import is_qualified_name, is_valid_label_value
from jobcheck.kube.values import as_list, as_map

_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def validate_selector(rep: m.Reporter, selector: dict, path: tuple) -> None:
    validate_labels(rep, selector.get("matchLabels"), path + ("matchLabels",), path + ("matchLabels",))
    for i, req in enumerate(as_list(selector.get("matchExpressions"))):
        if not isinstance(req, dict):
            continue
        rp = path + ("matchExpressions", i)
        operator = req.get("operator")
        values = req.get("values")
        values = values if isinstance(values, list) else []
        if operator in ("In", "NotIn"):
            if not values:
                rep.add(
                    rp + ("values",),
                    m.required("must be specified when `operator` is 'In' or 'NotIn'"),
                    "List at least one value for the In/NotIn expression.",
                )
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                rep.add(
                    rp + ("values",),
                    m.forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
                    "Remove values from the Exists/DoesNotExist expression.",
                )
        elif isinstance(operator, str):
            rep.add(
                rp + ("operator",),
                m.invalid(operator, "not a valid selector operator"),
                "Use one of the operators In, NotIn, Exists or DoesNotExist.",
            )
        key = req.get("key")
        if isinstance(key, str):
            for msg in is_qualified_name(key):
                rep.add(rp + ("key",), m.invalid(key, msg), "Use a valid label key in the expression.")
        for j, value in enumerate(values):
            if isinstance(value, str):
                for msg in is_valid_label_value(value):
                    rep.add(
                        rp + ("values", j),
                        m.invalid(value, msg),
                        "Use a valid label value in the expression.",
                    )


def selector_matches(selector: dict, labels: dict) -> bool | None:
    """Whether ``selector`` selects ``labels``; None when the server could not build the selector."""
    match_labels = as_map(selector.get("matchLabels"))
    expressions = as_list(selector.get("matchExpressions"))
    for key, value in match_labels.items():
        if not isinstance(key, str) or not isinstance(value, str):
            return None
        if is_qualified_name(key) or is_valid_label_value(value):
            return None
        if labels.get(key) != value:
            return False
    for req in expressions:
        req = as_map(req)
        key, operator, values = req.get("key"), req.get("operator"), req.get("values")
        values = values if isinstance(values, list) else []
        if not isinstance(key, str) or operator not in _OPERATORS or is_qualified_name(key):
            return None
        if operator in ("In", "NotIn") and not values:
            return None
        if operator in ("Exists", "DoesNotExist") and values:
            return None
        if operator == "In" and not (key in labels and labels[key] in values):
            return False
        if operator == "NotIn" and key in labels and labels[key] in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def selector_json(selector: dict) -> dict:
    """The selector in ``metav1.LabelSelector`` field order (matchLabels first), empty parts omitted."""
    out = {}
    if selector.get("matchLabels"):
        out["matchLabels"] = selector["matchLabels"]
    if selector.get("matchExpressions"):
        out["matchExpressions"] = selector["matchExpressions"]
    return out
