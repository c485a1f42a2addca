"""Documents as Kubernetes' YAML converter reads them: agreement with sigs.k8s.io/yaml, case by case.

tests/data/yaml-k8s-public.jsonl holds the real converter's answers (../shared/tools/yaml-oracle,
seed 1): ``json`` is what YAMLToJSON makes of the text, ``error`` its refusal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobcheck.yaml.loader import float32_text, load_text
from jobcheck.yaml.scalars import resolve_plain, resolve_tagged
from jobcheck.yaml.tojson import convert_stream, float_text, to_json

VECTORS = Path(__file__).parent / "data" / "yaml-k8s-public.jsonl"
CASES = [json.loads(line) for line in VECTORS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _first(text: str) -> tuple[str | None, str | None]:
    """YAMLToJSON reads the first document only; an empty stream is null."""
    documents = convert_stream(text.encode("utf-8"))
    return documents[0][1:] if documents else ("null", None)


def test_every_vector_agrees_with_the_converter():
    assert len(CASES) == 500
    disagreements = []
    for case in CASES:
        json_text, error = _first(case["yaml"])
        if json_text != case["json"] or (error is None) != (case["error"] is None):
            disagreements.append((case["yaml"], json_text, error, case["json"], case["error"]))
    assert disagreements == []


def test_refusals_outside_syntax_carry_the_converters_words():
    for case in CASES:
        error = _first(case["yaml"])[1]
        if case["error"] and not case["error"].startswith("yaml: ") or case["error"] and "decode" in case["error"]:
            # The converter quotes the text it cannot decode; jobcheck never prints a value that
            # may be a credential, so that one word differs (docs/limits.md, "Secrets").
            expected = re.sub(r" `.*` as ", " value as ", case["error"], flags=re.S)
            assert error == expected, case["yaml"]


def test_the_crashing_scalars_of_issue_11_are_strings_and_octal_is_420():
    for text in ("0x_", "0b_", "+0b_", "-0b_", "0x__", "0o", "0o_", "+0x_", "-0o_", "0X_", "0B_"):
        assert resolve_plain(text) == text
    assert resolve_plain("0o644") == resolve_plain("0644") == resolve_plain("0O644") == 420
    assert _first("defaultMode: 0o644") == ('{"defaultMode":420}', None)


def test_tags_are_applied_as_go_yaml_does():
    assert resolve_tagged("tag:yaml.org,2002:binary", "aGVsbG8=") == ("hello", None)
    assert resolve_tagged("tag:yaml.org,2002:binary", "4oI=") == ("\ufffd\ufffd", None)  # Go: one per bad byte
    assert resolve_tagged("tag:yaml.org,2002:float", "1") == (1.0, None)
    assert resolve_tagged("tag:yaml.org,2002:timestamp", "2024-02-29")[1] is None
    assert resolve_tagged("tag:yaml.org,2002:timestamp", "2023-02-29")[1] == (
        "yaml: cannot decode !!str `2023-02-29` as a !!timestamp")
    assert resolve_tagged("tag:yaml.org,2002:int", "1.5")[1] == "yaml: cannot decode !!float `1.5` as a !!int"
    # ... which the loader words without the text, since it may be a credential.
    assert _first("password: !!int Tag5ecretPw")[1] == "yaml: cannot decode !!str value as a !!int"
    assert resolve_tagged("!custom", "3") == ("3", None)


def test_keys_and_numbers_are_written_as_go_writes_them():
    # answers of the converter (yaml-oracle) for cases outside the public vectors
    assert _first("1e7: 1") == ('{"1e+07":1}', None)
    assert _first("v: 1e-400") == ('{"v":0}', None)
    assert _first("v: .5_5") == ('{"v":0.55}', None)
    assert _first("v: 0b-1") == ('{"v":-1}', None)
    assert _first('v: "a\\bb\\fc\\u2028<>&\\u0001"') == ('{"v":"a\\u0008b\\u000cc\\u2028\\u003c\\u003e\\u0026\\u0001"}',
                                                     None)
    assert _first("a: 1\n<<: {a: 2}") == ('{"a":2}', None)  # go-yaml v2 merges where << stands
    assert _first("9223372036854775808: x")[1] == (
        'Unsupported map key of type: uint64, key: 0x8000000000000000, value: "x"')
    assert [float_text(x) for x in (1e21, 1e-7, 1.5e-7, -0.0, 123456789.0, 1e20)] == [
        "1e+21", "1e-7", "1.5e-7", "-0", "123456789", "100000000000000000000"]
    assert [float32_text(x) for x in (0.1, 1e6, 1e5, 1e-5, 1e39, float("nan"))] == [
        "0.1", "1e+06", "100000", "1e-05", ".inf", ".nan"]


def test_duplicate_keys_are_not_refused():
    doc = next(load_text("a: 1\na: 2\n"))
    assert doc.problems and to_json(doc) == ('{"a":2}', None)


def test_a_colon_inside_a_flow_scalar_reads_as_go_yaml_reads_it_with_either_parser():
    for pure in (False, True):
        docs = list(load_text("a: 1\n---\nv: [12:30, {a:1}]\n---\nb: 2\n", pure=pure))
        assert [d.data for d in docs] == [{"a": 1}, {"v": ["12:30", {"a:1": None}]}, {"b": 2}]


_PIECES = st.sampled_from(["0", "1", "9", "_", "x", "X", "b", "B", "o", "O", "e", "E", ".", "+", "-", ":", " ",
                           "inf", "nan", "y", "~", "<<", "!!int ", "!!float ", "!!binary ", "!!timestamp ",
                           "&a ", "*a", "[", "]", "{", "}", ",", "? ", ": ", "\n", "\n  ", "- ", "#", "'", '"',
                           "\t", "2024-01-01", "T", "Z", "\ufeff", "\x00", "\\", "é"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=24).map("".join))
def test_no_input_crashes_the_loader_or_the_converter(text: str):
    for pure in (False, True):
        for doc in load_text(text, pure=pure):
            json_text, error = to_json(doc)
            assert (json_text is None) != (error is None)
            if json_text is not None:
                json.loads(json_text)
    convert_stream(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=400, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_no_plain_or_tagged_scalar_crashes_resolution(text: str):
    resolve_plain(text)
    for tag in ("int", "float", "bool", "null", "timestamp", "binary", "str"):
        resolve_tagged("tag:yaml.org,2002:" + tag, text)
