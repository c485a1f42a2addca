"""JC103 never crashes on odd shapes, keeps Go quantity semantics, and stays cheap."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobcheck.kube.apiserver.messages import go_quote
from jobcheck.kube.apiserver.quantity import QuantityError, parse_quantity
from tests.apiserver.helpers import cronjob, hits, job

scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=3), st.floats(allow_nan=True))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)
KEYS = ["metadata", "spec", "template", "containers", "resources", "limits", "requests", "podFailurePolicy",
        "rules", "successPolicy", "selector", "labels", "volumes", "env", "ports", "jobTemplate", "completionMode"]


def _replace(doc, path, value):
    cur = doc
    for key in path[:-1]:
        cur = cur[key]
    cur[path[-1]] = value


def _paths(doc, prefix=()):
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


BASE = job(spec={"podFailurePolicy": {"rules": [{"action": "Ignore", "onExitCodes": {"values": [1]}}]},
                 "completionMode": "Indexed", "completions": 2, "successPolicy": {"rules": [{"succeededCount": 1}]},
                 "selector": {"matchLabels": {"a": "b"}}},
           pod={"volumes": [{"name": "v", "secret": {"defaultMode": 1}}]},
           container={"env": [{"name": "A"}], "ports": [{"containerPort": 1}],
                      "resources": {"limits": {"cpu": "1"}, "requests": {"cpu": "1"}}},
           template_meta={"labels": {"a": "b"}, "annotations": {"k": "v"}})


@settings(max_examples=300, deadline=None)
@given(st.data(), values)
def test_any_value_anywhere_never_crashes(data, value):
    import copy

    for base in (BASE, cronjob(spec=BASE["spec"])):
        doc = copy.deepcopy(base)
        path = data.draw(st.sampled_from(list(_paths(doc))))
        _replace(doc, path, value)
        hits(doc)


@pytest.mark.parametrize("doc", [{"kind": "Job"}, {"kind": "Job", "spec": None, "metadata": None},
                                 {"kind": "CronJob", "spec": []}, {"kind": "Job", "metadata": "x", "spec": {
                                     "template": {"spec": {"containers": "x", "volumes": {}}}}}])
def test_degenerate_objects(doc):
    hits(doc)


@pytest.mark.parametrize("text,canonical", [
    ("2000m", "2"), ("1.5", "1500m"), ("1024Mi", "1Gi"), ("0.5Gi", "512Mi"), ("1000", "1k"), ("1500000", "1500k"),
    ("1e3", "1e3"), ("1e8", "100e6"), ("100m", "100m"), ("0.0000000001", "1n"), ("+1", "+1"), ("-0.5", "-500m"),
    (" 1Gi ", "1Gi"), ("1.5Gi", "1536Mi"), ("0", "0"), ("500Mi", "500Mi"), ("2048Ki", "2Mi"), ("1.", "1."),  # Go keeps an already-short input as is
])
def test_quantity_canonical_form(text, canonical):
    assert str(parse_quantity(text)) == canonical


@pytest.mark.parametrize("text,error", [
    ("", "quantities must match"), ("1GB", "quantities must match"), ("abc", "quantities must match"),
    ("1e", "unable to parse quantity's suffix"), ("1Gi5", "unable to parse quantity's suffix"),
])
def test_quantity_errors(text, error):
    with pytest.raises(QuantityError, match=error.replace("'", ".")):
        parse_quantity(text)


def test_quantity_comparison_is_exact():
    assert parse_quantity("1Gi").value == parse_quantity("1073741824").value
    assert parse_quantity("1G").value < parse_quantity("1Gi").value
    assert parse_quantity("0.1").value == parse_quantity("100m").value


def test_go_quote():
    assert go_quote('a"b\\c\n\x01é') == '"a\\"b\\\\c\\n\\x01é"'


def test_cheap_enough_for_thousands_of_documents():
    doc = BASE
    start = time.perf_counter()
    for _ in range(2000):
        hits(doc)
    assert time.perf_counter() - start < 10  # generous bound: a few ms per document at most
