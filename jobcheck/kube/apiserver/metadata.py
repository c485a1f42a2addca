"""Object metadata rules: names, namespace, label and annotation syntax (``ValidateObjectMeta``)."""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver.names import (
    is_qualified_name,
    is_valid_label_value,
    name_is_dns_label,
    name_is_dns_subdomain,
)
from jobcheck.redact import name_looks_secret

TOTAL_ANNOTATION_SIZE = 256 * 1024

FIX_LABEL_KEY = (
    "Use a label key of at most 63 alphanumeric characters, '-', '_' or '.', starting and ending "
    "with an alphanumeric character, optionally prefixed by a DNS subdomain and '/'."
)
FIX_LABEL_VALUE = (
    "Use a label value of at most 63 characters: empty, or alphanumeric characters, '-', '_' "
    "or '.' starting and ending with an alphanumeric character."
)
FIX_ANNOTATION_KEY = (
    "Use an annotation key of at most 63 alphanumeric characters, '-', '_' or '.', optionally "
    "prefixed by a DNS subdomain and '/'."
)
FIX_ANNOTATION_SIZE = "Shrink the annotations: keys and values together must stay within 256 KiB."


def validate_labels(rep: m.Reporter, labels: object, server_path: tuple, data_path: tuple) -> None:
    """``ValidateLabels``: every key a qualified name, every value a label value."""
    if not isinstance(labels, dict):
        return
    for key, value in labels.items():
        if not isinstance(key, str):
            continue
        for msg in is_qualified_name(key):
            rep.add(server_path, m.invalid(key, msg), FIX_LABEL_KEY, at=data_path + (key,), on_key=True)
        if isinstance(value, str):
            for msg in is_valid_label_value(value):
                shown = m.Hidden(value) if name_looks_secret(key) else value  # `api-token: ...`
                rep.add(server_path, m.invalid(shown, msg), FIX_LABEL_VALUE, at=data_path + (key,))


def validate_annotations(rep: m.Reporter, annotations: object, server_path: tuple, data_path: tuple) -> None:
    """``ValidateAnnotations``: keys are qualified names (case-insensitive), total size ≤ 256 KiB."""
    if not isinstance(annotations, dict):
        return
    total = 0
    for key, value in annotations.items():
        if not isinstance(key, str):
            continue
        for msg in is_qualified_name(key.lower()):
            rep.add(server_path, m.invalid(key, msg), FIX_ANNOTATION_KEY, at=data_path + (key,), on_key=True)
        total += len(key.encode()) + (len(value.encode()) if isinstance(value, str) else 0)
    if total > TOTAL_ANNOTATION_SIZE:
        rep.add(server_path, m.too_long(TOTAL_ANNOTATION_SIZE), FIX_ANNOTATION_SIZE, at=data_path)


def validate_object_meta(rep: m.Reporter, meta: dict, server_path: tuple = ("metadata",)) -> None:
    """Name or generateName (DNS subdomain), namespace (DNS label), labels, annotations."""
    name = meta.get("name")
    generate = meta.get("generateName")
    if isinstance(generate, str) and generate:
        for msg in name_is_dns_subdomain(generate, True):
            rep.add(
                server_path + ("generateName",),
                m.invalid(generate, msg),
                "Make generateName a lowercase DNS-1123 subdomain prefix (letters, digits, '-', '.').",
            )
    if name is None or name == "":
        if generate is None or generate == "":
            rep.add(
                server_path + ("name",),
                m.required("name or generateName is required"),
                "Set metadata.name (or metadata.generateName when creating with kubectl create).",
            )
    elif isinstance(name, str):
        for msg in name_is_dns_subdomain(name, False):
            rep.add(
                server_path + ("name",),
                m.invalid(name, msg),
                "Use a lowercase DNS-1123 subdomain as the name: lowercase letters, digits, '-' and '.', "
                "starting and ending with a letter or digit, at most 253 characters.",
            )
    namespace = meta.get("namespace")
    if isinstance(namespace, str) and namespace:
        for msg in name_is_dns_label(namespace, False):
            rep.add(
                server_path + ("namespace",),
                m.invalid(namespace, msg),
                "Use a lowercase DNS-1123 label as the namespace (at most 63 letters, digits and '-').",
            )
    validate_labels(rep, meta.get("labels"), server_path + ("labels",), server_path + ("labels",))
    validate_annotations(
        rep, meta.get("annotations"), server_path + ("annotations",), server_path + ("annotations",)
    )
