"""jobcheck.explain: expression and CronJob explanations, text rendering, the command's run and status."""

from __future__ import annotations

import json

import pytest

from jobcheck.explain import (
    MESSAGES,
    Status,
    caret_line,
    explain_expression,
    explain_workload,
    render_text,
    run_explain,
)
from jobcheck.kube.objects import Workload

START = "2027-01-10T12:00:00Z"


def codes(result):
    return [w["code"] for w in result["warnings"]]


def test_valid_expression_keys_and_next_runs():
    r = explain_expression("0 2 * * 1-5", "Asia/Seoul", START, 3)
    assert r["valid"] and r["error"] is None
    assert r["description"] == "At 02:00 on every day-of-week from Monday through Friday"
    assert [t["local"] for t in r["next"]] == [
        "2027-01-11T02:00:00+09:00", "2027-01-12T02:00:00+09:00", "2027-01-13T02:00:00+09:00"]
    assert r["next"][0]["utc"] == "2027-01-10T17:00:00Z"
    assert [f["field"] for f in r["fields"]] == ["minute", "hour", "dom", "month", "dow"]
    assert r["fields"][4]["values"] == [1, 2, 3, 4, 5]


def test_korean_description():
    r = explain_expression("0 2 * * 1-5", "UTC", START, 1, "ko")
    assert r["description"] == "월요일부터 금요일까지 매일 02:00에"


def test_invalid_expression_error_and_caret():
    r = explain_expression("0 0 * * 7", "UTC", START)
    assert not r["valid"]
    assert r["error"] == {"message": "end of range (7) above maximum (6): 7", "start": 8, "end": 9}
    text = render_text(r)
    assert "  0 0 * * 7\n          ^\n" in text


def test_caret_counts_wide_characters():
    assert caret_line("월 0 * * *", 2, 3) == "   ^"


@pytest.mark.parametrize(
    "expr, tz, code",
    [
        ("0 0 1 * 1", "UTC", "day-or"),
        ("30 2 * * *", "America/New_York", "dst-skip"),
        ("30 1 * * *", "America/New_York", "dst-repeat"),
        ("0 0 30 2 *", "UTC", "never-fires"),
        ("* * * * *", "UTC", "every-minute"),
        ("0,,30 * * * *", "UTC", "empty-items"),
        ("@every 30s", "UTC", "every-sub-minute"),
        ("@every 2h", "UTC", "every-relative"),
        ("*/60 * * * *", "UTC", "step-single"),
    ],
)
def test_warnings(expr, tz, code):
    r = explain_expression(expr, tz, START)
    assert code in codes(r)
    ko = explain_expression(expr, tz, START, lang="ko")
    assert code in codes(ko)


def test_hang_stop_warning():
    r = explain_expression("0 2 * * 0", "Pacific/Apia", "2011-12-29T04:00:00Z", 3)
    assert r["stopped"] and codes(r)[0] == "hang-stop"


def test_every_message_languages_complete():
    for code, texts in MESSAGES.items():
        assert set(texts) == {"en", "ko"}, code


def test_invalid_timezone():
    r = explain_expression("0 0 * * *", "Mars/Base", START)
    assert not r["valid"] and r["timezone_error"] == "unknown time zone Mars/Base"


def cronjob(**spec):
    spec.setdefault("jobTemplate", {"spec": {}})
    return Workload("CronJob", {"kind": "CronJob", "metadata": {"name": "sync"}, "spec": spec}, ())


def test_explain_workload_reads_policy_with_schedule():
    r = explain_workload(cronjob(schedule="*/5 * * * *"), start=START)
    assert r["timeZone"] is None and "kube-controller-manager" in r["timezone_note"]
    assert r["shortest_interval_seconds"] == 300
    assert any("Allow (default), a run longer than 5 minutes overlaps" in n for n in r["notes"])
    assert any("No startingDeadlineSeconds" in n for n in r["notes"])


def test_explain_workload_forbid_deadline_and_zone():
    w = cronjob(schedule="0 * * * *", timeZone="Europe/Berlin", concurrencyPolicy="Forbid",
                startingDeadlineSeconds=120,
                jobTemplate={"spec": {"activeDeadlineSeconds": 7200}})
    r = explain_workload(w, start=START, lang="ko")
    assert r["timezone_note"] is None
    assert r["schedule_explanation"]["next"][0]["local"].endswith("+01:00")
    joined = " ".join(r["notes"])
    assert "Forbid" in joined and "120초" in joined and "2시간" in joined
    assert "sync" in render_text(r, "ko")


def test_explain_workload_odd_types():
    r = explain_workload(cronjob(schedule=5, timeZone=["x"], concurrencyPolicy=3), start=START)
    assert r["schedule_explanation"]["valid"] is False


def test_command_expression_words_are_joined():
    out, status = run_explain(["0", "2", "*", "*", "1-5"], None, START, 2, "en", "json")
    data = json.loads(out)
    assert status is Status.OK and data["expression"] == "0 2 * * 1-5"


def test_command_status(tmp_path):
    assert run_explain(["0 0 * * 8"], None, START, 1, "en", "text")[1] is Status.INVALID
    assert run_explain(["0 0 * * *"], None, "yesterday", 1, "en", "text")[1] is Status.USAGE
    assert run_explain(["0 0 * * *"], None, START, 1, "fr", "text")[1] is Status.USAGE
    assert run_explain([], None, START, 1, "en", "text")[1] is Status.USAGE
    manifest = tmp_path / "cj.yaml"
    manifest.write_text(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n"
        "  schedule: '30 2 * * *'\n  timeZone: America/New_York\n  jobTemplate:\n    spec: {}\n"
        "---\nkind: CronJob\nmetadata:\n  name: broken\nspec:\n  schedule: '0 0 * * 7'\n",
        encoding="utf-8",
    )
    out, status = run_explain([str(manifest)], None, START, 2, "en", "text")
    assert status is Status.INVALID and "nightly" in out and "broken" in out and "^" in out
    out, status = run_explain([str(manifest)], None, START, 2, "en", "json")
    assert [r["name"] for r in json.loads(out)] == ["nightly", "broken"]


@pytest.mark.parametrize(
    "args, code, on_stderr",
    [(["0 2 * * 1-5", "--from", START], 0, False), (["0 0 * * 7", "--from", START], 1, False),
     (["0 0 * * *", "--from", "yesterday"], 2, True)],
)
def test_cli_maps_status_to_exit_code(args, code, on_stderr):
    from click.testing import CliRunner

    from jobcheck.cli import main

    result = CliRunner().invoke(main, ["explain", *args])
    assert result.exit_code == code
    assert bool(result.stderr) is on_stderr and bool(result.stdout) is not on_stderr
