"""How field.Error prints a bad value, by release (messages.value_printing), and the JC103
messages whose value is a list or a named string.

Up to 1.33 ErrorBody prints a value that is not a plain string or number with its String()
method (core.ResourceName: bare) or else with %#v (``[]string{"a", "b"}``, ``[]int32{3, 2}``);
from 1.36 with json.Marshal (``["a","b"]``, a named string quoted). 1.34 and 1.35 are not pinned:
lists keep the JSON form there (the gap is written in docs/pod-validation-coverage.md), resource
names are not reported (tests/apiserver/test_pod_resources_names.py).
"""

from __future__ import annotations

import pytest

from jobcheck.kube.apiserver import messages as m
from jobcheck.lint.engine import lint_text
from tests.apiserver.helpers import hits, job

T = "spec.template.spec"
NS = ["1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4"]
PFP = "spec.podFailurePolicy.rules[0].onExitCodes.values"


def test_value_printing_by_release():
    assert [m.value_printing((1, minor)) for minor in range(27, 38)] == (
        [m.GO_SYNTAX] * 7 + [None, None] + [m.JSON_FORM] * 2
    )


@pytest.mark.parametrize("value,gotype,expected", [
    (["a", "b"], "[]string", '[]string{"a", "b"}'),
    (["tab\there", 'q"uote'], "[]string", '[]string{"tab\\there", "q\\"uote"}'),
    ([], "[]string", "[]string{}"),
    (None, "[]string", "[]string(nil)"),
    ([0, 3, 3, 2], "[]int32", "[]int32{0, 3, 3, 2}"),
    ([], "[]int32", "[]int32{}"),
    (None, "[]int32", "[]int32(nil)"),
    ({"b": "2", "a": "1"}, "map[string]string", 'map[string]string{"a":"1", "b":"2"}'),
])
def test_go_syntax_form(value, gotype, expected):
    """%#v, as fmt writes it: elements Go-quoted and comma-separated, map keys sorted."""
    assert m.go_value(m.typed(value, gotype, (1, 33))) == expected
    assert m.go_value(m.typed(value, gotype, (1, 27))) == expected


@pytest.mark.parametrize("value,gotype,expected", [
    (["a", "b"], "[]string", '["a","b"]'),
    (["<a>"], "[]string", '["\\u003ca\\u003e"]'),
    (None, "[]int32", "null"),
    ([0, 3], "[]int32", "[0,3]"),
    ({"b": "2", "a": "1"}, "map[string]string", '{"a":"1","b":"2"}'),
])
def test_json_form(value, gotype, expected):
    """From 1.36 json.Marshal; 1.34 and 1.35 (not pinned) keep the same form."""
    for version in ((1, 36), (1, 37), (1, 34), (1, 35)):
        assert m.go_value(m.typed(value, gotype, version)) == expected


def test_a_list_that_may_hold_a_credential_is_hidden_in_both_forms():
    token = "ghp_" + "a1B2" * 9
    assert m.go_value(m.typed(["x", token], "[]string", (1, 33))) == m.HIDDEN
    assert m.go_value(m.typed(["x", token], "[]string", (1, 37))) == m.HIDDEN


@pytest.mark.parametrize("version,stringer,expected", [
    ((1, 30), True, "a<b"), ((1, 33), True, "a<b"), ((1, 33), False, '"a<b"'),
    ((1, 34), True, None), ((1, 35), False, None),
    ((1, 36), True, '"a\\u003cb"'), ((1, 37), False, '"a\\u003cb"'),
])
def test_named_string_by_release(version, stringer, expected):
    """A named string: String() (bare) or %#v (quoted) up to 1.33, a JSON string from 1.36."""
    assert m.named("a<b", version, stringer=stringer) == expected


# --- the JC103 messages whose bad value is a list ---------------------------------------

def _dns(nameservers=None, searches=None) -> dict:
    config: dict = {}
    if nameservers is not None:
        config["nameservers"] = nameservers
    if searches is not None:
        config["searches"] = searches
    return job(pod={"dnsConfig": config})


def _exit_codes(values) -> dict:
    return job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore", "onExitCodes": {
        "operator": "NotIn", "values": values}}]}})


GO_NS = "[]string{" + ", ".join(f'"{n}"' for n in NS) + "}"
JSON_NS = "[" + ",".join(f'"{n}"' for n in NS) + "]"
SEARCHES = [f"s{i}.local" for i in range(33)]

FAILING = [
    # validatePodDNSConfig: Nameservers and Searches are []string
    ("nameservers-go", _dns(nameservers=NS), (1, 33),
     [(f"{T}.dnsConfig.nameservers",
       f"{T}.dnsConfig.nameservers: Invalid value: {GO_NS}: must not have more than 3 nameservers")]),
    ("nameservers-go-1.27", _dns(nameservers=NS), (1, 27),
     [(f"{T}.dnsConfig.nameservers",
       f"{T}.dnsConfig.nameservers: Invalid value: {GO_NS}: must not have more than 3 nameservers")]),
    ("nameservers-json", _dns(nameservers=NS), (1, 36),
     [(f"{T}.dnsConfig.nameservers",
       f"{T}.dnsConfig.nameservers: Invalid value: {JSON_NS}: must not have more than 3 nameservers")]),
    # not pinned: the JSON form is kept (docs/pod-validation-coverage.md says so)
    ("nameservers-unpinned", _dns(nameservers=NS), (1, 34),
     [(f"{T}.dnsConfig.nameservers",
       f"{T}.dnsConfig.nameservers: Invalid value: {JSON_NS}: must not have more than 3 nameservers")]),
    ("searches-go", _dns(searches=SEARCHES), (1, 30),
     [(f"{T}.dnsConfig.searches", f"{T}.dnsConfig.searches: Invalid value: []string{{"
       + ", ".join(f'"{s}"' for s in SEARCHES) + "}: must not have more than 32 search paths")]),
    ("search-list-go", _dns(searches=["a" * 63 + "." + "b" * 63] * 17), (1, 29),
     [(f"{T}.dnsConfig.searches", f"{T}.dnsConfig.searches: Invalid value: []string{{"
       + ", ".join([f'"{"a" * 63}.{"b" * 63}"'] * 17) + "}: must not have more than 2048 characters "
       "(including spaces) in the search list")]),
    # validatePodFailurePolicyRuleOnExitCodes: Values is []int32
    ("exit-codes-order-go", _exit_codes([3, 2]), (1, 33),
     [(PFP, f"{PFP}: Invalid value: []int32{{3, 2}}: must be ordered")]),
    ("exit-codes-order-json", _exit_codes([3, 2]), (1, 37),
     [(PFP, f"{PFP}: Invalid value: [3,2]: must be ordered")]),
    ("exit-codes-empty-go", _exit_codes([]), (1, 28),
     [(PFP, f"{PFP}: Invalid value: []int32{{}}: at least one value is required")]),
    ("exit-codes-null-go", _exit_codes(None), (1, 28),
     [(PFP, f"{PFP}: Invalid value: []int32(nil): at least one value is required")]),
    ("exit-codes-null-json", _exit_codes(None), (1, 36),
     [(PFP, f"{PFP}: Invalid value: null: at least one value is required")]),
]

PASSING = [
    ("nameservers-three", _dns(nameservers=NS[:3]), (1, 33)),
    ("searches-32", _dns(searches=SEARCHES[:32]), (1, 37)),
    ("exit-codes-ordered", _exit_codes([1, 2, 3]), (1, 33)),
]


@pytest.mark.parametrize("doc,version,expected", [c[1:] for c in FAILING], ids=[c[0] for c in FAILING])
def test_list_values_print_as_the_release_does(doc, version, expected):
    assert sorted(hits(doc, version)) == sorted(expected)


@pytest.mark.parametrize("doc,version", [c[1:] for c in PASSING], ids=[c[0] for c in PASSING])
def test_list_values_accepted(doc, version):
    assert hits(doc, version) == []


POSITIONS = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: pos
spec:
  podFailurePolicy:
    rules:
    - action: Ignore
      onExitCodes:
        operator: NotIn
        values: [3, 2]
  template:
    spec:
      restartPolicy: Never
      dnsConfig:
        nameservers: [1.1.1.1, 1.0.0.1, 8.8.8.8, 8.8.4.4]
      containers:
      - name: main
        image: busybox
"""


@pytest.mark.parametrize("version,expected", [
    ("1.33", [(11, 9, f"{PFP}: Invalid value: []int32{{3, 2}}: must be ordered"),
              (16, 9, f"{T}.dnsConfig.nameservers: Invalid value: {GO_NS}: must not have more than 3 nameservers")]),
    ("1.37", [(11, 9, f"{PFP}: Invalid value: [3,2]: must be ordered"),
              (16, 9, f"{T}.dnsConfig.nameservers: Invalid value: {JSON_NS}: must not have more than 3 "
                       "nameservers")]),
])
def test_positions_are_the_list_key(version, expected):
    found = sorted((f.line, f.column, f.message) for f in lint_text(POSITIONS, kubernetes_version=version)
                   if f.rule == "JC103")
    assert found == expected
