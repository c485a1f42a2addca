"""Rules that exist only for a Job object: its name against the generated labels and pod
hostnames, and the generated selector (``validateGeneratedSelector``, ``ValidateJobSpec``)."""

from __future__ import annotations

from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver.jobspec import validate_job_spec
from jobcheck.kube.apiserver.names import is_dns1123_label, is_valid_label_value
from jobcheck.kube.apiserver.selector import selector_json, selector_matches, validate_selector
from jobcheck.kube.values import as_map

UID = "<uid>"  # the object UID the server assigns; it cannot be known from the manifest
MAX_GENERATED_PREFIX = 58  # generateName is cut to 58 characters before 5 random ones are added
GENERATED_SUFFIX = "xxxxx"


def effective_name(meta: dict) -> tuple[str | None, tuple]:
    """The name the server validates and where to report it: metadata.name, or a stand-in for the
    name generated from generateName (prefix cut to 58 characters plus 5 random characters)."""
    name = meta.get("name")
    if isinstance(name, str) and name:
        return name, ("metadata", "name")
    generate = meta.get("generateName")
    if isinstance(generate, str) and generate:
        return generate[:MAX_GENERATED_PREFIX] + GENERATED_SUFFIX, ("metadata", "generateName")
    return None, ("metadata", "name")


def _json(value: object, sort_keys: bool = True) -> str:
    return m.go_json(value, sort_keys=sort_keys).replace(m.go_json(UID)[1:-1], UID)


def validate_job(rep: m.Reporter, data: dict, version: tuple[int, int], uid: str | None = None) -> None:
    """``uid``: the UID a live object (read from a cluster) already has. The generated selector
    and controller-uid labels are then checked against it, as the server checks that object,
    rather than against the unknown UID of a new one."""
    uid = uid or UID
    meta = as_map(data.get("metadata"))
    spec = data.get("spec")
    if spec is None:
        spec = {}
    if not isinstance(spec, dict):
        return
    sp = ("spec",)
    eff = validate_job_spec(rep, spec, sp, version)
    name, name_at = effective_name(meta)
    _validate_indexed_hostname(rep, eff, name, name_at)
    generated = name_at[-1] == "generateName"
    template_labels = as_map(as_map(as_map(spec.get("template")).get("metadata")).get("labels"))
    labels = {k: v for k, v in template_labels.items() if isinstance(k, str)}
    manual = eff.get("manualSelector") is True
    prefixed = version >= (1, 27)
    selector = spec.get("selector")
    if not manual and name is not None:
        wanted = {"job-name": name, "controller-uid": uid}
        if prefixed:
            wanted.update({"batch.kubernetes.io/job-name": name, "batch.kubernetes.io/controller-uid": uid})
        for key, value in wanted.items():
            if key in labels:
                if labels[key] != value:
                    expected = name if "job-name" in key else uid
                    rep.add(
                        ("spec", "template", "metadata", "labels", m.Key(key)),
                        f"Invalid value: {_json(labels)}: must be '{expected}'",
                        f"Remove the {key} label from the pod template: the server sets it.",
                    )
            else:
                labels[key] = value
                if not generated and "job-name" in key:
                    for msg in is_valid_label_value(value):
                        body = m.invalid(value, msg)
                        if not any(
                            h.message == m.message(("spec", "template", "labels"), body) for h in rep.hits
                        ):
                            rep.add(
                                ("spec", "template", "labels"),
                                body,
                                "Shorten the Job name to at most 63 characters: it is copied into the "
                                "job-name label of every pod.",
                                at=name_at,
                            )
        merged = dict(selector) if isinstance(selector, dict) else {}
        if isinstance(selector, dict) or selector is None:
            match_labels = dict(as_map(merged.get("matchLabels")))
            match_labels.setdefault("batch.kubernetes.io/controller-uid", uid)
            merged["matchLabels"] = match_labels
            expected = {k: v for k, v in wanted.items()}
            if not prefixed:
                expected = {"job-name": name, "controller-uid": uid}
            if isinstance(selector, dict) and selector_matches(merged, expected) is False:
                rep.add(
                    ("spec", "selector"),
                    f"Invalid value: {_json(selector_json(merged), sort_keys=False)}: `selector` not auto-generated",
                    "Remove spec.selector (the server generates it), or set manualSelector: true and make "
                    "the selector match the template labels.",
                )
        selector = merged
    if selector is None:
        if manual:
            rep.add(
                ("spec", "selector"),
                m.required(),
                "Set spec.selector to match the pod template labels, or remove manualSelector: true.",
            )
        return
    if not isinstance(selector, dict):
        return
    if isinstance(spec.get("selector"), dict):
        validate_selector(rep, spec["selector"], ("spec", "selector"))
    if selector_matches(selector, labels) is False:
        rep.add(
            ("spec", "template", "metadata", "labels"),
            f"Invalid value: {_json(labels)}: `selector` does not match template `labels`",
            "Make the pod template labels satisfy spec.selector.",
            at=("spec", "template", "metadata", "labels"),
        )


def _validate_indexed_hostname(rep: m.Reporter, eff: dict, name: str | None, name_at: tuple) -> None:
    completions = eff.get("completions")
    if name is None or eff.get("completionMode") != "Indexed" or not isinstance(completions, int):
        return
    if isinstance(completions, bool) or completions <= 0:
        return
    hostname = f"{name}-{completions - 1}"
    if is_dns1123_label(hostname):
        rep.add(
            ("metadata", "name"),
            m.invalid(name, f"will not able to create pod with invalid DNS label: {hostname}"),
            "Shorten the Job name (no dots) so that the name, a dash and the highest index fit in a "
            "63-character DNS label: pod hostnames are <job-name>-<index>.",
            at=name_at,
        )
