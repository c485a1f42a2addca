"""What the API server refuses on every pod the Job controller creates, after it accepted the Job.

A Job's (or a CronJob's jobTemplate's) pod template is validated as written. Each pod the Job
controller makes from it is first defaulted and prepared as a Pod, which the template never is,
and then validated again; two of those steps turn an accepted template into a refused pod:

- ``SetDefaults_Pod`` gives every unset hostPort of a ``hostNetwork: true`` pod its containerPort
  (``defaultHostNetworkPorts``, pkg/apis/core/v1/defaults.go); from 1.28 (kubernetes#117696) a
  template no longer gets that defaulting, so two ports with the same containerPort and protocol
  pass on the template and collide in ``checkHostPortConflicts`` on the pod (across the regular
  containers; within each init container). In 1.27 the template is defaulted too: JC103 says so.
- the pod strategy's ``PrepareForCreate`` (pkg/registry/core/pod/strategy.go) appends, for each
  ``matchLabelKeys`` key the pod's labels have, ``key In (value)`` to the term's labelSelector
  (``mismatchLabelKeys``: ``NotIn``), when the selector is not null: pod (anti-)affinity terms
  while MatchLabelKeysInPodAffinity is on (1.31+), spread constraints while
  MatchLabelKeysInPodTopologySpreadSelectorMerge is (1.34+). ``validateMatchLabelKeysAndMismatchLabelKeys``
  then refuses a matchLabelKeys key that the merged selector names twice: one the user's selector
  already names once. The pod's labels are taken from the template; the labels the Job controller
  adds (job-name, controller-uid and their batch.kubernetes.io/ forms) are not, so a key among them
  is not reported (a miss, never a false alarm).

Each refusal is returned as a hit on the template, with the message the server gives for the pod
(its path starts at the pod's ``spec``).
"""

from __future__ import annotations

from jobcheck.finding import Hit
from jobcheck.kube.apiserver import messages as m
from jobcheck.kube.apiserver import podfacts as f
from jobcheck.kube.apiserver.containers import (
    HOST_PORTS_DEFAULTED_IN_TEMPLATES_UNTIL,
    check_host_port_conflicts,
)
from jobcheck.kube.apiserver.scheduling import SPREAD_SELECTOR_MERGE_SINCE, _keys_in_selector_twice
from jobcheck.kube.values import as_list, as_map

FIX_HOST_PORTS = (
    "Give the ports different containerPorts (or protocols), or drop hostNetwork: on a hostNetwork pod "
    "each port's hostPort defaults to its containerPort, and two ports cannot bind the same one."
)
FIX_MERGED_KEY = (
    "Drop the key from matchLabelKeys or from the labelSelector: the server adds each matchLabelKeys "
    "key with the pod's own value to the pod's selector, so naming it in both names it twice."
)
_AFFINITIES = ("podAffinity", "podAntiAffinity")
_REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution"
_PREFERRED = "preferredDuringSchedulingIgnoredDuringExecution"


def refused_pods(template: dict, tp: tuple, version: tuple[int, int]) -> list[Hit]:
    """The errors the server gives each pod made from ``template`` (at ``tp``) but not the template."""
    spec = template.get("spec")
    if not isinstance(spec, dict):
        return []
    host_network = spec.get("hostNetwork") is True and version > HOST_PORTS_DEFAULTED_IN_TEMPLATES_UNTIL
    affinity = spec.get("affinity")
    spread = spec.get("topologySpreadConstraints")
    if not (host_network or affinity or spread):
        return []  # the common path: nothing the pod's defaulting or preparation changes
    rep = m.Reporter(tp)
    if host_network:
        _host_ports(rep, spec)
    if affinity or spread:
        labels = {
            k: v
            for k, v in as_map(as_map(template.get("metadata")).get("labels")).items()
            if isinstance(v, str)
        }
        if labels:
            if affinity and f.gate_on("MatchLabelKeysInPodAffinity", version):
                _affinity_terms(rep, as_map(affinity), labels)
            if (
                spread
                and version >= SPREAD_SELECTOR_MERGE_SINCE
                and f.gate_on("MatchLabelKeysInPodTopologySpread", version)
            ):
                for i, c in enumerate(as_list(spread)):
                    if isinstance(c, dict):
                        _merged_keys(
                            rep, c, ("spec", "topologySpreadConstraints", i), labels, with_mismatch=False
                        )
    return rep.hits


def _host_ports(rep: m.Reporter, spec: dict) -> None:
    """The hostPort conflicts that only the pod's defaulting creates (the template's own are JC103)."""
    groups = [("containers", as_list(spec.get("containers")), 0)]
    groups += [("initContainers", [c], i) for i, c in enumerate(as_list(spec.get("initContainers")))]
    for group, containers, start in groups:
        if not any(isinstance(c, dict) and c.get("ports") for c in containers):
            continue
        path = ("spec", group)
        as_written = m.Reporter(())
        check_host_port_conflicts(as_written, containers, path, start)
        written = {h.message for h in as_written.hits}
        defaulted = m.Reporter(rep.base)
        check_host_port_conflicts(defaulted, containers, path, start, defaulted=True)
        for h in defaulted.hits:
            if h.message not in written:
                h.fix = FIX_HOST_PORTS
                rep.hits.append(h)


def _affinity_terms(rep: m.Reporter, affinity: dict, labels: dict) -> None:
    for kind in _AFFINITIES:
        block = as_map(affinity.get(kind))
        for i, term in enumerate(as_list(block.get(_REQUIRED))):
            if isinstance(term, dict):
                _merged_keys(rep, term, ("spec", "affinity", kind, _REQUIRED, i), labels)
        for i, weighted in enumerate(as_list(block.get(_PREFERRED))):
            term = as_map(weighted).get("podAffinityTerm")
            if isinstance(term, dict):
                _merged_keys(rep, term, ("spec", "affinity", kind, _PREFERRED, i, "podAffinityTerm"), labels)


def _merged_keys(rep: m.Reporter, term: dict, path: tuple, labels: dict, with_mismatch: bool = True) -> None:
    """``applyLabelKeysToLabelSelector`` on a copy of the term's selector, then the server's check
    of keys named twice; only what the merge adds is reported."""
    selector = term.get("labelSelector")
    keys = [k for k in as_list(term.get("matchLabelKeys")) if isinstance(k, str) and k in labels]
    if not isinstance(selector, dict) or not keys:
        return  # a null selector is left alone; without a key to merge, the template's check is the pod's
    added = [{"key": k, "operator": "In", "values": [labels[k]]} for k in keys]
    if with_mismatch:
        added += [
            {"key": k, "operator": "NotIn", "values": [labels[k]]}
            for k in as_list(term.get("mismatchLabelKeys"))
            if isinstance(k, str) and k in labels
        ]
    merged = dict(selector)
    merged["matchExpressions"] = as_list(selector.get("matchExpressions")) + added
    as_written = m.Reporter(())
    _keys_in_selector_twice(as_written, term, selector, path)
    written = {h.message for h in as_written.hits}
    after = m.Reporter(rep.base)
    _keys_in_selector_twice(after, term, merged, path)
    for h in after.hits:
        if h.message not in written:
            h.fix = FIX_MERGED_KEY
            rep.hits.append(h)
