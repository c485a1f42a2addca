"""explain without rough edges (issue 14, part 3): each item with its minimal trigger."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from jobcheck.cli import main
from jobcheck.explain import Status, explain_expression, explain_workload, render_text, run_explain
from jobcheck.kube.objects import Workload

START = "2027-01-10T12:00:00Z"


def codes(result):
    return [w["code"] for w in result["warnings"]]


def warning(result, code):
    return next(w for w in result["warnings"] if w["code"] == code)


def cronjob(**spec):
    spec.setdefault("jobTemplate", {"spec": {}})
    return Workload("CronJob", {"kind": "CronJob", "metadata": {"name": "sync"}, "spec": spec}, ())


def cli(*args):
    return CliRunner().invoke(main, ["explain", *args])


# Uneven steps ------------------------------------------------------------------------------

def test_minute_step_45_fires_at_0_and_45_with_a_15_minute_gap():
    r = explain_expression("*/45 * * * *", None, START, 4)
    assert r["description"] == "At minutes 0 and 45"
    assert [t["utc"][11:16] for t in r["next"]] == ["12:45", "13:00", "13:45", "14:00"]
    assert [t["gap_seconds"] for t in r["next"]] == [None, 900, 2700, 900]
    w = warning(r, "uneven-step")
    assert "0 and 45" in w["message"] and "45 minutes apart" in w["message"] and "then 15 minutes" in w["message"]
    assert w["rule"] is None


def test_month_step_5_fires_in_january_june_november():
    r = explain_expression("0 0 1 */5 *", "UTC", START, 4)
    assert r["description"] == "At 00:00 on day-of-month 1 in January, June and November"
    assert [t["utc"][:10] for t in r["next"]] == ["2027-06-01", "2027-11-01", "2028-01-01", "2028-06-01"]
    w = warning(r, "uneven-step")
    assert "January, June and November" in w["message"] and "then 2 months" in w["message"]
    ko = explain_expression("0 0 1 */5 *", "UTC", START, 1, "ko")
    assert "1월, 6월, 11월" in warning(ko, "uneven-step")["message"]


@pytest.mark.parametrize(
    "expr, field, wrap",
    [("0 */5 * * *", "hour", "then 4 hours"), ("0 0 */2 * *", "day-of-month", "then 1 day from"),
     ("0 0 * * */4", "day-of-week", "then 3 days"), ("*/7 * * * *", "minute", "then 4 minutes")],
)
def test_uneven_step_in_every_field(expr, field, wrap):
    w = warning(explain_expression(expr, "UTC", START), "uneven-step")
    assert f" in {field} matches" in w["message"] and wrap in w["message"]


@pytest.mark.parametrize("expr", ["*/15 * * * *", "5/15 * * * *", "0 */6 * * *", "0 0 1 */3 *",
                                  "10-40/15 * * * *", "0,45 * * * *", "*/60 * * * *"])
def test_even_or_chosen_steps_are_not_uneven(expr):
    assert "uneven-step" not in codes(explain_expression(expr, "UTC", START))


# TZ= / CRON_TZ= and empty zones --------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["TZ", "CRON_TZ"])
def test_tz_prefix_one_zone_in_text_and_times(prefix):
    expr = f"{prefix}=Asia/Seoul 0 2 * * *"
    r = explain_expression(expr, "Europe/Berlin", START, 2)  # the prefix wins, as in robfig and the controller
    assert r["timezone"] == "Asia/Seoul" and r["timezone_source"] == "schedule"
    assert [t["local"] for t in r["next"]] == ["2027-01-11T02:00:00+09:00", "2027-01-12T02:00:00+09:00"]
    assert r["next"][0]["utc"] == "2027-01-10T17:00:00Z"
    assert not r["valid"]
    assert r["api_errors"] == [
        f'spec.schedule: Invalid value: "{expr}": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']
    text = render_text(r)
    assert f"Time zone: Asia/Seoul (from the schedule's {prefix}= prefix)" in text
    assert "Europe/Berlin" not in text and "Mon 2027-01-11T02:00:00+09:00 = Sun 2027-01-10T17:00:00Z" in text


def test_tz_prefix_with_an_unknown_zone_sets_error():
    out, status = run_explain(["TZ=Mars/Base 0 2 * * *"], None, START, 1, "en", "json")
    data = json.loads(out)
    assert status is Status.INVALID and data["error"]["message"] == "provided bad location Mars/Base: unknown time zone Mars/Base"
    assert data["next"] == []


def test_unknown_timezone_option_sets_error():
    data = json.loads(run_explain(["0 2 * * *"], "Mars/Base", START, 1, "en", "json")[0])
    assert data["error"] == {"message": "unknown time zone Mars/Base", "start": 0, "end": 0, "field": "timeZone"}
    assert data["timezone_error"] == "unknown time zone Mars/Base" and data["next"] == []


def test_empty_timezone_option_is_refused_like_the_api_server():
    result = cli("0 2 * * *", "--timezone", "", "--from", START)
    assert result.exit_code == 1
    assert "Invalid time zone: timeZone must be nil or non-empty string" in result.stdout
    assert '--timezone: Invalid value: "": timeZone must be nil or non-empty string' in result.stdout
    assert "Next runs" not in result.stdout


def test_empty_timezone_field_is_refused_like_the_api_server():
    r = explain_workload(cronjob(schedule="0 2 * * *", timeZone=""), start=START)
    e = r["schedule_explanation"]
    assert not e["valid"] and e["error"]["message"] == "timeZone must be nil or non-empty string"
    assert 'spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string' in e["api_errors"]


# explain FILE|DIR... ------------------------------------------------------------------------------

MANIFEST = (
    "# a comment\n"
    "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n"
    "  schedule: '30 2 * * *'\n  timeZone: America/New_York\n  jobTemplate:\n    spec: {}\n"
    "---\n"
    "apiVersion: v1\nkind: List\nitems:\n"
    "- apiVersion: batch/v1\n  kind: CronJob\n  metadata:\n    name: listed\n  spec:\n"
    "    schedule: '0 * * * *'\n    jobTemplate:\n      spec: {}\n"
)


def test_directory_names_file_and_line_of_each_cronjob(tmp_path, monkeypatch):
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "cron.yaml").write_text(MANIFEST, encoding="utf-8")
    (tmp_path / "deploy" / "notes.txt").write_text("kind: CronJob\n", encoding="utf-8")  # not a manifest suffix
    (tmp_path / "deploy" / "node_modules").mkdir()  # skipped by default, as lint skips it
    (tmp_path / "deploy" / "node_modules" / "x.yaml").write_text(MANIFEST, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out, status = run_explain(["deploy"], None, START, 1, "en", "json")
    data = json.loads(out)
    assert status is Status.OK
    assert [(r["file"], r["line"], r["name"]) for r in data] == [
        ("deploy/cron.yaml", 2, "nightly"), ("deploy/cron.yaml", 15, "listed")]
    text = cli("deploy", "--from", START).stdout
    assert "CronJob nightly  (deploy/cron.yaml:2)" in text and "CronJob listed  (deploy/cron.yaml:15)" in text


@pytest.mark.parametrize("path", ["missing.yaml", "deploy/cronjobs", "a/b.json", "./x"])
def test_missing_path_is_reported_not_parsed(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli(path)
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: No such file or directory\n"
    assert "Invalid schedule" not in result.stdout


@pytest.mark.parametrize("args", [["*/5 * * * *"], ["*/5", "*", "*", "*", "*"], ["0-30/10", "*/2", "*", "*", "*"],
                                  ["TZ=Europe/Berlin */5 * * * *"], ["@every 1h30m"]])
def test_expressions_with_slashes_stay_expressions(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli(*args, "--from", START)
    assert result.exit_code in (0, 1) and "Next runs:" in result.stdout


def test_invalid_expression_with_slash_words_stays_an_expression(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("*/5", "*", "*", "*")
    assert result.exit_code == 1 and "expected exactly 5 fields, found 4" in result.stdout


# Hints for other crons ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "expr, code, error, says",
    [
        ("0 0 12 * * ?", "quartz-seconds", "expected exactly 5 fields, found 6: [0 0 12 * * ?]", '"0 12 * * ?"'),
        ("0 15 10 ? * MON-FRI 2027", "quartz-seconds-year", "expected exactly 5 fields, found 7",
         '"15 10 ? * MON-FRI"'),
        ("0 12 * * ? *", "year-last", "expected exactly 5 fields, found 6", '"0 12 * * ?"'),
        ("30 2 * * * 2027", "year-last", "expected exactly 5 fields, found 6", '"30 2 * * *"'),
        ("0 0 L * *", "last-dom", "failed to parse int from L", "28-31"),
        ("0 0 * * 5L", "last-dow", "failed to parse int from 5L", "last seven days"),
        ("0 0 15W * *", "nearest-weekday", "failed to parse int from 15W", "no W"),
        ("0 0 * * MON#2", "nth-weekday", "failed to parse int from MON#2", "8-14"),
        ("0 0 1? * *", "question-mark", "failed to parse int from 1?", "exactly like *"),
        ("0 9 * * 7", "dow-seven", "end of range (7) above maximum (6): 7", "Use 0 or SUN"),
        ("0 9 * * 5-7", "dow-seven", "end of range (7) above maximum (6): 5-7", "5-6,0"),
    ],
)
def test_hints_for_other_crons(expr, code, error, says):
    r = explain_expression(expr, "UTC", START)
    assert not r["valid"] and r["error"]["message"].startswith(error)  # robfig's message, unchanged
    assert [h["code"] for h in r["hints"]] == [code]
    assert says in r["hints"][0]["message"]
    ko = explain_expression(expr, "UTC", START, lang="ko")
    assert [h["code"] for h in ko["hints"]] == [code] and ko["hints"][0]["message"] != r["hints"][0]["message"]
    assert "도움말:" in render_text(ko, "ko") and "Hints:" in render_text(r)


@pytest.mark.parametrize("expr", ["0 0 ? * MON", "0 0 * JUL *", "0 0 * * SAT", "*/5 * * * *"])
def test_no_hints_for_what_kubernetes_accepts(expr):
    assert explain_expression(expr, "UTC", START)["hints"] == []


# Next runs and the controller's zone ----------------------------------------------------------

def test_next_runs_show_weekday_local_utc_and_gap():
    r = explain_expression("0 2 * * 1,3", "Asia/Seoul", START, 3)
    assert [(t["weekday"], t["local"], t["utc"], t["gap_seconds"]) for t in r["next"]] == [
        ("Mon", "2027-01-11T02:00:00+09:00", "2027-01-10T17:00:00Z", None),
        ("Wed", "2027-01-13T02:00:00+09:00", "2027-01-12T17:00:00Z", 172800),
        ("Mon", "2027-01-18T02:00:00+09:00", "2027-01-17T17:00:00Z", 432000),
    ]
    lines = render_text(r).splitlines()
    start = lines.index("Next runs:")
    assert lines[start + 1:start + 4] == [
        "  Mon 2027-01-11T02:00:00+09:00 = Sun 2027-01-10T17:00:00Z",
        "  Wed 2027-01-13T02:00:00+09:00 = Tue 2027-01-12T17:00:00Z  +2d",
        "  Mon 2027-01-18T02:00:00+09:00 = Sun 2027-01-17T17:00:00Z  +5d",
    ]


def test_bare_expression_runs_in_the_controllers_zone():
    r = explain_expression("0 2 * * *", None, START, 1)
    assert r["timezone"] == "UTC" and r["timezone_source"] == "controller"
    assert "Time zone: UTC (kube-controller-manager's zone; --timezone sets it)" in render_text(r)
    given = explain_expression("0 2 * * *", "Asia/Seoul", START, 1)
    assert given["timezone_source"] == "option"
    assert "Time zone: Asia/Seoul (kube-controller-manager's zone, from --timezone)\n" in render_text(given)
    field = explain_workload(cronjob(schedule="0 2 * * *", timeZone="Asia/Seoul"), "Europe/Berlin", START, 1)
    assert "  Time zone: Asia/Seoul\n" in render_text(field)  # the CronJob's own timeZone: no note
    ko = render_text(explain_expression("0 2 * * *", "Asia/Seoul", START, 2, "ko"), "ko")
    assert "  월 2027-01-11T02:00:00+09:00 = 일 2027-01-10T17:00:00Z\n" in ko and "+1일" in ko


@pytest.mark.parametrize("expr", ["0 0 1 * 1", "0 15 10 ? * MON-FRI 2027", "TZ=Asia/Seoul 0 2 * * *",
                                  "*/45 * * * *", "@every 90s"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_text_fits_in_80_columns(expr, lang):
    from jobcheck.explain.render import _display_width

    lines = render_text(explain_expression(expr, "America/New_York", START, 5, lang), lang).splitlines()
    # robfig's message (verbatim, one line), the expression and its caret are exempt: they quote the input
    verbatim = {i + k for i, line in enumerate(lines) if line.startswith(("Invalid schedule:", "잘못된 스케줄:"))
                for k in range(3)}
    assert [line for i, line in enumerate(lines) if i not in verbatim and _display_width(line) > 80] == []


@pytest.mark.parametrize("args", [["a\x00.yaml"], ["deploy/\x00"], ["-", "x\x00/y.yml"]])
def test_a_path_with_a_nul_is_missing_not_a_crash(args):
    # os.stat raises ValueError on a NUL: such a name is reported like any path that does not exist
    out, status = run_explain(args, None, START, 1, "en", "text")
    assert status is Status.USAGE and "No such file or directory" in out


def test_an_expression_mixed_with_paths_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cj.yaml").write_text(MANIFEST, encoding="utf-8")
    out, status = run_explain(["0 0 * * 7", "cj.yaml"], None, START, 1, "en", "text")
    assert status is Status.USAGE
    assert out == "error: 0 0 * * 7: No such file or directory (give one cron expression, or paths)\n"


def test_directory_walk_follows_the_config_exclude_like_lint(tmp_path, monkeypatch):
    (tmp_path / ".jobcheck.yaml").write_text("exclude: [legacy]\n", encoding="utf-8")
    for sub in ("deploy", "legacy", ".hidden"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "cron.yaml").write_text(MANIFEST, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    data = json.loads(run_explain(["."], None, START, 1, "en", "json")[0])
    assert sorted({r["file"] for r in data}) == ["./deploy/cron.yaml"]
    lint = CliRunner().invoke(main, ["lint", ".", "--format", "json"])
    assert sorted({f["file"] for f in json.loads(lint.stdout)["findings"]}) == ["./deploy/cron.yaml"]


def test_an_unreadable_config_is_a_usage_error_not_a_traceback(tmp_path, monkeypatch):
    (tmp_path / ".jobcheck.yaml").write_text("exclude: [\n", encoding="utf-8")
    (tmp_path / "cron.yaml").write_text(MANIFEST, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli(".")
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: ") and ".jobcheck.yaml" in result.stderr
