"""explain on hostile CronJobs: no exception, valid JSON, escaped terminal text (issue 16)."""

from __future__ import annotations

import json
import unicodedata

import pytest
from click.testing import CliRunner

from jobcheck.cli import main
from jobcheck.explain import explain_workload, render_text, run_explain
from jobcheck.explain.render import caret_line
from jobcheck.explain.safe import json_safe, visible
from jobcheck.kube.objects import iter_workloads

START = "2026-03-01T00:00:00Z"


def _strict_loads(text: str):
    def bad(value):
        raise AssertionError(f"non-finite number {value} in JSON")

    return json.loads(text, parse_constant=bad)


def _cronjob(**spec) -> dict:
    base = {"schedule": "0 2 * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}}
    base.update(spec)
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "nightly"}, "spec": base}


HOSTILE = [
    {"startingDeadlineSeconds": 10**5000},  # 'Exceeds the limit (4300 digits)' when formatted
    {"startingDeadlineSeconds": 1 << 63},
    {"jobTemplate": {"spec": {"activeDeadlineSeconds": 10**5000, "template": {}}}},
    {"schedule": 10**5000},
    {"schedule": float("nan")},
    {"schedule": float("inf"), "timeZone": float("-inf")},
    {"schedule": ["0 2 * * *"]},
    {"schedule": {1: 2, None: True}},
    {"schedule": True},
    {"schedule": "0 2 * * *\udcff"},
    {"timeZone": "Europe/\udcffBerlin"},
    {"schedule": "@every 2562047h47m16.854775808s"},
    {"schedule": "0-99999999999999999999 * * * *"},
    {"schedule": "*/0 * * * *"},
    {"schedule": "*/99999999999999999999 * * * *"},
    {"schedule": "TZ=\x00 * * * * *"},
    {"schedule": "x" * 10_000},
]


@pytest.mark.parametrize("spec", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_explain_workload_never_raises_and_outputs_stay_valid(spec, lang):
    (w,) = list(iter_workloads(_cronjob(**spec)))
    result = explain_workload(w, start=START, lang=lang)
    text = render_text(result, lang)
    text.encode("utf-8")  # no lone surrogate reaches the terminal
    data = json.dumps(json_safe(result), ensure_ascii=False, allow_nan=False)
    data.encode("utf-8")
    _strict_loads(data)


def test_a_non_string_schedule_is_invalid_with_a_reason():
    (w,) = list(iter_workloads(_cronjob(schedule=12)))
    explanation = explain_workload(w, start=START)["schedule_explanation"]
    assert not explanation["valid"]
    assert explanation["error"]["message"] == "schedule must be a string, not a number"


def test_deadline_outside_int64_is_named_not_formatted():
    (w,) = list(iter_workloads(_cronjob(startingDeadlineSeconds=10**5000)))
    notes = explain_workload(w, start=START)["notes"]
    assert "startingDeadlineSeconds is outside the 64-bit integer range: the API server rejects the CronJob." in notes
    assert not any("No startingDeadlineSeconds" in n for n in notes)


def test_json_output_of_a_file_is_strict_json(tmp_path):
    path = tmp_path / "cj.yaml"
    digits = "9" * 30  # beyond int64 (the loader's 4300-digit limit is another class of issue 16)
    path.write_text(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\n"
        f"spec:\n  schedule: .nan\n  startingDeadlineSeconds: {digits}\n  suspend: .inf\n"
        "  jobTemplate: {spec: {activeDeadlineSeconds: -.inf, template: {spec: {containers: []}}}}\n"
    )
    out, _ = run_explain([str(path)], fmt="json", start=START)
    (item,) = _strict_loads(out)
    assert item["schedule"] == ".nan"
    assert item["policy"]["suspend"] == ".inf"
    assert item["policy"]["startingDeadlineSeconds"] == 1e30  # go-yaml reads an integer past uint64 as a float


def test_json_output_replaces_lone_surrogates():
    out, _ = run_explain(["0 2 * * *\udcff"], fmt="json", start=START)
    out.encode("utf-8")
    assert _strict_loads(out)["expression"] == "0 2 * * *\ufffd"


TRICKS = ["\x1b[2J", "\x00", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\x7f", "\x9b", "\u2028"]


@pytest.mark.parametrize("trick", TRICKS, ids=[f"U+{ord(t[-1]):04X}" for t in TRICKS])
def test_text_output_escapes_controls_from_schedule_zone_and_name(trick, tmp_path):
    path = tmp_path / "cj.yaml"
    obj = _cronjob(schedule=f"0 2{trick} * * *", timeZone=f"Europe/{trick}Berlin")
    obj["metadata"] = {"name": f"n{trick}x", "namespace": f"ns{trick}"}
    path.write_text(json.dumps(obj))
    for args in ([str(path)], [f"0 2 * * *{trick}"], ["0 2 * * *", "-z", f"UTC{trick}"]):
        result = CliRunner().invoke(main, ["explain", *args, "--from", START])
        assert result.exit_code in (0, 1), result.output
        for ch in result.output:
            assert ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp"), repr(result.output)
        assert visible(trick) in result.output


def test_visible_leaves_printable_text_alone_and_escapes_the_rest():
    assert visible("0 2 * * 1-5 日本 é") == "0 2 * * 1-5 日本 é"
    assert visible("a\x1bb\u202ec\td\udcffe\U000e0041") == "a\\x1bb\\u202ec\\td\\udcffe\\U000e0041"


def test_caret_sits_under_the_escaped_field():
    output, _ = run_explain(["0 61\u202e * * *"], start=START)
    lines = output.splitlines()
    assert lines[1:3] == ["  0 61\\u202e * * *", "    ^^^^^^^^"]
    assert caret_line("\x1b 61 * * *", 2, 4) == " " * len("\\x1b ") + "^^"
