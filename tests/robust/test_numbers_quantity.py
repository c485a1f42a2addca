"""Quantities of any size or exponent: Kubernetes' semantics, bounded work, no traceback.

``resource.ParseQuantity`` reads an ``e`` exponent with ``strconv.ParseInt(s, 10, 64)`` (an
exponent outside int64 is the suffix error) and keeps ``int32(parsed)``: the exponent wraps to
32 bits. jobcheck keeps values as exact decimals (coefficient and exponent) so that no exponent
is ever expanded into an integer.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobcheck.kube.apiserver.quantity import QuantityError, parse_quantity, quantity_from_yaml
from jobcheck.lint.engine import lint_text

MAX_INT64 = 2**63 - 1


@pytest.mark.parametrize("text,value,canonical", [
    ("8Ei", MAX_INT64, str(MAX_INT64)),                  # 2^63: capped at int64, as the server caps BinarySI
    ("-8Ei", -MAX_INT64, str(-MAX_INT64)),
    ("9999999999999999999999Ei", MAX_INT64, str(MAX_INT64)),
    ("1.5Ki", 1536, "1536"),                               # binary, not a multiple of 1Ki: no suffix
    ("1e4294967296", 1, "1e4294967296"),                   # 2^32 wraps to exponent 0; Go keeps the short text
    ("1e9223372036854775806", Decimal("0.01"), "10e-3"),   # int64 max - 1 wraps to exponent -2
    ("1e-9223372036854775806", 100, "100"),                # wraps to exponent 2
    ("1e2147483647", Decimal("1e2147483647"), "10e2147483646"),
    ("1e-2147483647", Decimal("1e-9"), "1e-9"),            # rounded up to a nano
    ("1e" + "0" * 5000 + "3", 1000, "1e" + "0" * 5000 + "3"),
    ("1" + "0" * 5000, Decimal("1e5000"), "100"),          # DecimalSI has no suffix for 10^4998: Go prints none
])
def test_extreme_quantities(text, value, canonical):
    q = parse_quantity(text)
    assert q.value == value
    assert str(q) == canonical


@pytest.mark.parametrize("text", ["1e9223372036854775808", "1e-9223372036854775809", "1e" + "9" * 5000, "1e+"])
def test_an_exponent_outside_int64_is_the_suffix_error(text):
    with pytest.raises(QuantityError, match="unable to parse quantity's suffix"):
        parse_quantity(text)


def test_huge_exponents_cost_what_small_ones_cost():
    texts = ["1e2147483647", "-1e2147483647", "1e-2147483648", "123.456e2147483000", "1e9223372036854775806",
             "9" * 5000 + "e2147483647", "0." + "0" * 5000 + "1e-2147483647"]
    start = time.perf_counter()
    for text in texts:
        q = parse_quantity(text)
        str(q), q.negative, q.whole_in_millis(), q.compare(parse_quantity("1"))
    assert time.perf_counter() - start < 1


def test_comparisons_across_exponents_are_exact():
    big, small = parse_quantity("1e2147483647"), parse_quantity("8Ei")
    assert big.compare(small) == 1 and small.compare(big) == -1
    assert parse_quantity("1e3").compare(parse_quantity("1k")) == 0
    assert parse_quantity("1" + "0" * 5000).compare(parse_quantity("1e5000")) == 0


def test_whole_in_millis_follows_milli_value():
    assert parse_quantity("2").whole_in_millis()
    assert parse_quantity("1e2147483647").whole_in_millis()
    assert not parse_quantity("1500m").whole_in_millis()
    assert not parse_quantity("1n").whole_in_millis()  # MilliValue rounds 1n up to 1m
    assert not parse_quantity("-1.5").whole_in_millis()


def test_quantity_from_yaml_numbers():
    assert quantity_from_yaml(18446744073709551615).value == 18446744073709551615
    assert quantity_from_yaml(1e300).value == Decimal("1e300")
    assert quantity_from_yaml(float("inf")) is None and quantity_from_yaml(float("nan")) is None


QUANTITY_CHARS = "0123456789.+-eEinumkKMGTP "


@settings(max_examples=400, deadline=None)
@given(st.text(QUANTITY_CHARS, min_size=0, max_size=30) | st.from_regex(r"[+-]?[0-9]{0,30}(\.[0-9]{0,30})?[eE][+-]?[0-9]{1,30}", fullmatch=True))
def test_any_quantity_text_parses_or_is_a_quantity_error(text):
    try:
        q = parse_quantity(text)
    except QuantityError:
        return
    str(q), q.negative, q.whole_in_millis()
    assert q.compare(q) == 0


def _job_with(resources: str) -> str:
    return (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers:\n      - name: a\n        image: b:1\n"
        f"        resources: {resources}\n"
    )


@pytest.mark.parametrize("resources", [
    "{limits: {nvidia.com/gpu: 8Ei}, requests: {nvidia.com/gpu: 8Ei}}",
    "{limits: {ephemeral-storage: '1e9223372036854775806'}}",
    "{limits: {memory: '1e2147483647'}, requests: {memory: '1e-2147483647'}}",
    f"{{requests: {{cpu: '{'1' * 5000}'}}}}",
    f"{{requests: {{cpu: {'1' * 5000}}}}}",
    "{limits: {cpu: '1e9223372036854775808'}}",
])
def test_lint_of_extreme_quantities_is_quick(resources):
    start = time.perf_counter()
    lint_text(_job_with(resources))
    assert time.perf_counter() - start < 3


def test_a_request_over_its_limit_is_found_across_wrapped_exponents():
    # 1e4294967297 is 10 for the server (exponent 2^32 + 1 wraps to 1): a limit of 5 is exceeded.
    findings = lint_text(_job_with("{limits: {cpu: '5'}, requests: {cpu: '1e4294967297'}}"))
    assert any("must be less than or equal to cpu limit" in f.message for f in findings)
