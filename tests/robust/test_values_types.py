"""Any value of any type anywhere in a Job or CronJob: findings, never a traceback.

A seeded type-mutation sweep replaces every value (and key) of the examples, in turn, by each
of a set of values of every YAML type and extreme size, and lints the result with every rule
selected. ``JOBCHECK_DEBUG`` (set in conftest) makes a failing check raise instead of being
contained, so a crash fails the test. The distinct crashes found that way have their own tests.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest

from jobcheck.config import Config
from jobcheck.kube.apiversions import removed_in
from jobcheck.kube.fastschema import FORMATS
from jobcheck.lint.engine import lint_stream, lint_text
from jobcheck.lint.options import build_options
from jobcheck.yaml.loader import load_text
from jobcheck.yaml.tojson import convert_stream

REPO = Path(__file__).resolve().parents[2]
BIG = "1" + "0" * 5000
# YAML texts, one per kind of trouble: null, numbers at and beyond every range, non-finite floats,
# empty and huge strings, containers where scalars belong, non-string keys, quantities at the edge.
MUTANTS = ["null", "0", "-1", str(2**70), "1e400", ".inf", "-.inf", ".nan", '""', "[]", "{}",
           json.dumps("x" * 10000), "true", BIG, json.dumps(BIG), "0x_", "9223372036854775808",
           "-9223372036854775809", "[1, {a: b}]", "{null: 1}", "{1: 2}", "[[1]]", "'8Ei'",
           "'1e9223372036854775806'"]
KEYS = ["null", "1", "true", "9223372036854775808", "[1, 2]"]


def _emit(value) -> str:
    """Flow-style YAML for plain data; a _Raw is written as it is."""
    if isinstance(value, _Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_emit(k)}: {_emit(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_emit(v) for v in value) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    return json.dumps(value, ensure_ascii=False)


class _Raw:
    def __init__(self, text: str):
        self.text = text

    def __hash__(self) -> int:
        return hash(self.text)

    def __eq__(self, other) -> bool:
        return isinstance(other, _Raw) and other.text == self.text


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


def _replace(value, path, new, key=False):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {(new if key and not rest and k == head else k): (_replace(v, rest, new, key) if k == head and (rest or not key) else v)
                for k, v in value.items()}
    out = list(value)
    out[head] = _replace(value[head], rest, new, key)
    return out


def _mutants(data):
    for path in _paths(data):
        for text in MUTANTS:
            yield _emit(_replace(data, path, _Raw(text))) + "\n"
        if path and isinstance(path[-1], str):
            for text in KEYS:
                yield _emit(_replace(data, path, _Raw(text), key=True)) + "\n"


@pytest.mark.parametrize("example", sorted(p.name for p in (REPO / "examples").glob("*.yaml")))
def test_type_mutation_sweep_over_the_examples(example):
    options = build_options(Config(select=["ALL"]))
    lax = build_options(Config(select=["ALL"], strict=False), kubernetes_version="1.27")
    data = next(load_text((REPO / "examples" / example).read_text(encoding="utf-8"))).data
    slowest = 0.0
    count = 0
    for text in _mutants(data):
        for opts in (options, lax) if count % 4 == 0 else (options,):
            start = time.perf_counter()
            for finding in lint_stream(text, "m.yaml", opts).findings:
                json.dumps(finding.message, allow_nan=False)
            slowest = max(slowest, time.perf_counter() - start)
        convert_stream(text.encode("utf-8"))
        count += 1
    assert count > 500
    assert slowest < 2, f"one mutant took {slowest:.2f} s"


# The crashes and wrong answers the sweep found, each with its minimal trigger.


@pytest.mark.parametrize("api,kind", [(5, "Job"), ("batch/v1beta1", ["Job"]), (["x"], {"a": 1}), (None, None),
                                      ("batch/v1beta1", 1.5)])
def test_removed_in_takes_any_value(api, kind):
    assert removed_in(api, kind) is None
    assert removed_in("batch/v1beta1", "CronJob") == "1.25"


def test_an_integral_float_is_range_checked_like_an_integer():
    int32 = FORMATS["int32"]
    assert not int32(1e20) and not int32(-1e20)  # 99999999999999999999 loads as 1e+20
    assert int32(2.0) and int32(2.5) and int32(float("inf")) and int32(float("nan"))  # the type decides those
    findings = lint_text("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\nspec:\n"
                         "  schedule: '0 3 * * *'\n  successfulJobsHistoryLimit: 99999999999999999999\n"
                         "  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, "
                         "containers: [{name: a, image: 'b:1'}]}}}}\n")
    assert any(f.field == "spec.successfulJobsHistoryLimit" and "out of range for int32" in f.message
               for f in findings)


def test_a_number_too_large_to_be_a_number_is_not_called_quoted():
    findings = lint_text("apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec:\n"
                         f"  backoffLimit: {'9' * 400}\n  activeDeadlineSeconds: '12'\n"
                         "  template: {spec: {restartPolicy: Never, containers: [{name: a, image: 'b:1'}]}}\n")
    by_field = {f.field: f for f in findings}
    assert "read as a string" in by_field["spec.backoffLimit"].message
    assert "quoted" not in by_field["spec.backoffLimit"].message
    assert "remove the quotes" in by_field["spec.activeDeadlineSeconds"].message
