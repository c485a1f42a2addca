"""Scalars of any length resolve as Kubernetes resolves them, without Python's integer-string limit.

go-yaml v2 tries ``strconv.ParseInt``/``ParseUint`` (64 bits) and then ``ParseFloat``: an integer
beyond uint64 becomes a float64, and one beyond float64 (more than ~309 digits) a range error, so
the text stays a string. Python refuses ``int()`` of more than 4,300 decimal digits: the resolver
must decide from the digit count, never by converting.
"""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from jobcheck.cli import main
from jobcheck.lint.engine import lint_text
from jobcheck.yaml.loader import load_text
from jobcheck.yaml.scalars import resolve_plain, resolve_tagged
from jobcheck.yaml.tojson import to_json

BIG = "1" + "0" * 5000  # over Python's 4,300-digit conversion limit


@pytest.mark.parametrize("text,expected", [
    (BIG, BIG),                              # beyond float64: Go's range error keeps the text
    ("-" + BIG, "-" + BIG),
    ("+" + BIG, "+" + BIG),
    ("1" + "0" * 400, "1" + "0" * 400),       # just beyond float64 too
    ("1" + "0" * 300, 1e300),                # beyond uint64, within float64: a float
    ("0" * 5000 + "7", 7),                   # leading zeros: octal, any number of them
    ("0" * 5000 + "1.5", 1.5),
    ("0x" + "F" * 5000, "0x" + "F" * 5000),  # hex beyond uint64
    ("0o" + "7" * 5000, "0o" + "7" * 5000),
    ("0b" + "1" * 5000, "0b" + "1" * 5000),
    ("1_" * 3000 + "1", "1_" * 3000 + "1"),
    ("18446744073709551615", 18446744073709551615),  # the largest uint64 stays an integer
    ("18446744073709551616", 18446744073709551616.0),
])
def test_long_numbers_resolve_without_the_conversion_limit(text, expected):
    assert resolve_plain(text) == expected
    assert type(resolve_plain(text)) is type(expected)


@pytest.mark.parametrize("tag", ["int", "float"])
def test_a_tagged_long_number_is_a_tag_error_not_a_traceback(tag):
    value, error = resolve_tagged(f"tag:yaml.org,2002:{tag}", BIG)
    assert value == BIG and error and error.startswith("yaml: cannot decode !!str")


@pytest.mark.parametrize("text", ["0x_", "0b_", "+0b_", "-0b_", "0x__", "+0x_", "-0x_", "0o_", "+0b__"])
def test_prefixes_without_digits_are_strings(text):
    assert resolve_plain(text) == text
    doc = next(load_text(f"{text}: {text}\nv: [{text}]\n"))
    assert doc.data == {text: text, "v": [text]} and not doc.problems


def test_dump_writes_long_integers_as_kubernetes_does(tmp_path):
    path = tmp_path / "cm.yaml"
    path.write_text(f"apiVersion: v1\nkind: ConfigMap\ndata:\n  a: {BIG}\n  b: {'9' * 300}\n  c: 0x_\n")
    result = CliRunner().invoke(main, ["dump", str(path)])
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout)
    assert line["json"]["data"] == {"a": BIG, "b": float("1e300"), "c": "0x_"}
    key = "9" * 400  # a simple key has at most 1024 characters
    assert to_json(next(load_text(f"{key}: 1\n"))) == (json.dumps({key: 1}, separators=(",", ":")), None)


def test_lint_of_any_document_with_a_long_integer_finishes(tmp_path):
    text = (f"apiVersion: v1\nkind: ConfigMap\ndata: {{a: {BIG}}}\n---\n"
            f"apiVersion: batch/v1\nkind: Job\nmetadata: {{name: {BIG}}}\nspec:\n  backoffLimit: {BIG}\n"
            f"  template:\n    spec:\n      restartPolicy: Never\n      containers: [{{name: a, image: b}}]\n")
    findings = lint_text(text)
    assert any(f.field == "spec.backoffLimit" for f in findings)  # a string where an integer belongs


def test_a_megabyte_of_digits_resolves_in_linear_time():
    start = time.perf_counter()
    for text in ("1" * 1_000_000, "0x" + "1" * 1_000_000, "1" * 500_000 + "." + "1" * 500_000):
        assert isinstance(resolve_plain(text), str)
    assert time.perf_counter() - start < 3


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[+-]?(0[xXoObB])?[0-9a-fA-F_.eE+-]{0,40}", fullmatch=True), st.integers(0, 6000))
def test_any_number_like_text_resolves_to_a_bounded_value(text, zeros):
    for candidate in (text, text + "0" * zeros, text[:1] + "9" * zeros + text[1:]):
        if not candidate:
            continue
        value = resolve_plain(candidate)
        if isinstance(value, int) and not isinstance(value, bool):
            assert -(2**63) <= value < 2**64
        elif isinstance(value, float):
            assert value == value and abs(value) != float("inf")  # NaN and infinity come only from .nan/.inf
        else:
            assert value == candidate
