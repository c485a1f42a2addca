"""Unit tests for the schedule checks (JC301-JC311), on Workloads built from dicts."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from jobcheck.kube.objects import Workload
from jobcheck.lint.checks import schedule as sc
from jobcheck.lint.registry import load_rules, object_checks

NOW = datetime(2027, 1, 10, 12, tzinfo=timezone.utc)  # every run below looks ahead from here

# The rules that name a check of this module, as the engine runs them.
SCHEDULE_RULES = [
    rule for rule in load_rules().values()
    if isinstance(rule.check, dict) and str(rule.check.get("python", "")).startswith(sc.__name__ + ":")
]
RULE_PARAMS = {rule.check["python"].partition(":")[2]: rule.params for rule in SCHEDULE_RULES}


def cronjob(schedule="0 3 * * *", tz="Etc/UTC", job=None, **spec_extra):
    spec = {"schedule": schedule, "jobTemplate": {"spec": dict(job or {})}}
    if tz is not None:
        spec["timeZone"] = tz
    spec.update(spec_extra)
    return Workload("CronJob", {"kind": "CronJob", "metadata": {"name": "x"}, "spec": spec}, (), now=NOW)


def hits(check, w, params=None):
    """Run ``check`` the way the engine does: its rule file's parameters, updated with ``params``."""
    return list(check(w, {**RULE_PARAMS.get(check.__name__, {}), **(params or {})}))


# JC301 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "schedule, span, text",
    [
        ("0 0 * * 7", (8, 9), "end of range (7) above maximum (6): 7"),
        ("60 0 * * *", (0, 2), "end of range (60) above maximum (59): 60"),
        ("0 0 * * MON,FOO", (12, 15), "failed to parse int from FOO"),
        ("0 22-2 * * *", (2, 6), "beginning of range (22) beyond end of range (2): 22-2"),
        ("0 0 0 * * *", (0, 11), "expected exactly 5 fields, found 6: [0 0 0 * * *]"),
        ("@Daily", (0, 6), "unrecognized descriptor: @Daily"),
        ("@every 1d", (0, 9), 'time: unknown unit "d" in duration "1d"'),
        ("*/0 * * * *", (0, 3), "step of range should be a positive number: */0"),
    ],
)
def test_invalid_schedule_points_at_the_field(schedule, span, text):
    (hit,) = hits(sc.invalid_schedule, cronjob(schedule))
    assert hit.path == ("spec", "schedule")
    assert hit.span == span
    assert text in hit.message


def test_invalid_schedule_quiet_on_valid_and_on_wrong_types():
    assert hits(sc.invalid_schedule, cronjob("*/5 * * * *")) == []
    assert hits(sc.invalid_schedule, cronjob(5)) == []
    assert hits(sc.invalid_schedule, cronjob(["0 0 * * *"])) == []
    assert hits(sc.invalid_schedule, Workload("Job", {"kind": "Job", "spec": {}}, ())) == []


def test_invalid_schedule_empty_string():
    (hit,) = hits(sc.invalid_schedule, cronjob(""))
    assert "empty" in hit.message


def test_invalid_schedule_path_inside_list_item():
    w = cronjob("0 0 * * 8")
    w = Workload("CronJob", w.data, ("items", 2), now=NOW)
    (hit,) = hits(sc.invalid_schedule, w)
    assert hit.path == ("items", 2, "spec", "schedule")


# JC302 ---------------------------------------------------------------------------------------

def test_tz_in_schedule_spans_the_prefix():
    (hit,) = hits(sc.tz_in_schedule, cronjob("CRON_TZ=Asia/Seoul 0 9 * * *"))
    assert hit.span == (0, 18)
    assert "use timeZone field instead" in hit.message
    assert hits(sc.invalid_schedule, cronjob("CRON_TZ=Asia/Seoul 0 9 * * *")) == []


def test_tz_in_schedule_panicking_prefix_reports_both():
    assert len(hits(sc.tz_in_schedule, cronjob("TZ=UTC"))) == 1
    (parse_hit,) = hits(sc.invalid_schedule, cronjob("TZ=UTC"))
    assert "slice bounds out of range" in parse_hit.message


# JC303 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "tz, text",
    [
        ("", "timeZone must be nil or non-empty string"),
        ("Local", "must be an explicit time zone"),
        ("Europe/Berln", "unknown time zone Europe/Berln"),
        ("UTC+2", "unknown time zone UTC+2"),
        ("America", "is a directory"),
    ],
)
def test_invalid_timezone(tz, text):
    (hit,) = hits(sc.invalid_timezone, cronjob(tz=tz))
    assert hit.path == ("spec", "timeZone") and text in hit.message


@pytest.mark.parametrize("tz", ["Asia/Seoul", "Etc/UTC", None, ["Asia/Seoul"], 5])
def test_valid_or_untyped_timezone_is_quiet(tz):
    assert hits(sc.invalid_timezone, cronjob(tz=tz)) == []


# JC304 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("schedule", ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 , * *"])
def test_never_fires(schedule):
    (hit,) = hits(sc.schedule_never_fires, cronjob(schedule))
    assert "never fires" in hit.message


@pytest.mark.parametrize("schedule", ["0 0 29 2 *", "0 0 31 * *", "@every 1h", "0 0 30 2 *x"])
def test_fires_eventually_or_invalid(schedule):
    assert hits(sc.schedule_never_fires, cronjob(schedule)) == []


# JC305 ---------------------------------------------------------------------------------------

def test_missing_timezone():
    (hit,) = hits(sc.missing_timezone, cronjob(tz=None))
    assert hit.path == ("spec", "timeZone")
    assert hits(sc.missing_timezone, cronjob()) == []


@pytest.mark.parametrize("schedule", ["*/5 * * * *", "@every 30m", "7 * * * *"])
def test_missing_timezone_quiet_when_zone_does_not_matter(schedule):
    assert hits(sc.missing_timezone, cronjob(schedule, tz=None)) == []


# JC306 ---------------------------------------------------------------------------------------

def test_concurrency_allow():
    assert "defaults to Allow" in hits(sc.concurrency_allow, cronjob())[0].message
    (hit,) = hits(sc.concurrency_allow, cronjob(concurrencyPolicy="Allow"))
    assert hit.path == ("spec", "concurrencyPolicy")
    assert hits(sc.concurrency_allow, cronjob(concurrencyPolicy="Forbid")) == []
    assert hits(sc.concurrency_allow, cronjob(concurrencyPolicy=["Allow"])) == []


# JC307 / JC308 --------------------------------------------------------------------------------

def test_missing_starting_deadline():
    (hit,) = hits(sc.missing_starting_deadline, cronjob())
    assert hit.path == ("spec", "startingDeadlineSeconds")
    assert hits(sc.missing_starting_deadline, cronjob(startingDeadlineSeconds=300)) == []


@pytest.mark.parametrize("value, expected", [(0, "never starts"), (5, "below 10"), (10, None), (600, None),
                                             (-1, None), ("5", None), (True, None)])
def test_starting_deadline_too_short(value, expected):
    found = hits(sc.starting_deadline_too_short, cronjob(startingDeadlineSeconds=value))  # min 10 from JC308's file
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0].message


def test_starting_deadline_param_min():
    assert hits(sc.starting_deadline_too_short, cronjob(startingDeadlineSeconds=30), {"min": 60})
    assert hits(sc.starting_deadline_too_short, cronjob(startingDeadlineSeconds=30)) == []


def test_starting_deadline_min_that_is_not_a_number_still_reports_zero():
    assert hits(sc.starting_deadline_too_short, cronjob(startingDeadlineSeconds=5), {"min": "ten"}) == []
    assert hits(sc.starting_deadline_too_short, cronjob(startingDeadlineSeconds=0), {"min": "ten"})


# JC309 ---------------------------------------------------------------------------------------

def test_overlapping_runs_with_allow():
    w = cronjob("*/15 * * * *", job={"activeDeadlineSeconds": 3600}, concurrencyPolicy="Allow")
    (hit,) = hits(sc.overlapping_runs, w)
    assert hit.path == ("spec", "jobTemplate", "spec", "activeDeadlineSeconds")
    assert "15 minutes" in hit.message and "overlaps" in hit.message


def test_overlapping_runs_policy_wording():
    forbid = cronjob("*/15 * * * *", job={"activeDeadlineSeconds": 3600}, concurrencyPolicy="Forbid")
    assert "skipped" in hits(sc.overlapping_runs, forbid)[0].message
    unset = cronjob("*/15 * * * *", job={"activeDeadlineSeconds": 3600})
    assert "defaults to Allow" in hits(sc.overlapping_runs, unset)[0].message


def test_overlapping_runs_uses_shortest_gap():
    # 08:00 and 09:00 on weekdays: the shortest gap is one hour, not a day.
    w = cronjob("0 8,9 * * 1-5", job={"activeDeadlineSeconds": 5400})
    assert "1 hour" in hits(sc.overlapping_runs, w)[0].message


@pytest.mark.parametrize("job", [{"activeDeadlineSeconds": 840}, {}, {"activeDeadlineSeconds": "3600"}])
def test_overlapping_runs_quiet(job):
    assert hits(sc.overlapping_runs, cronjob("*/15 * * * *", job=job)) == []


def test_overlapping_runs_every():
    w = cronjob("@every 10m", job={"activeDeadlineSeconds": 900})
    assert "10 minutes" in hits(sc.overlapping_runs, w)[0].message


# JC310 ---------------------------------------------------------------------------------------

def test_day_or_semantics_span_and_dates():
    (hit,) = hits(sc.day_or_semantics, cronjob("0 9 1-7 * MON"))
    assert hit.span == (4, 13)
    assert "OR" in hit.message and "2027-01-11" in hit.message  # Monday 11 Jan 2027 matches by weekday


@pytest.mark.parametrize("schedule", ["0 9 * * MON", "0 9 1 * *", "0 9 ? * 1", "0 0 1 * */1", "@weekly"])
def test_day_or_semantics_quiet_with_a_star(schedule):
    assert hits(sc.day_or_semantics, cronjob(schedule)) == []


def test_day_or_semantics_counts_stepped_star_as_restricted():
    assert hits(sc.day_or_semantics, cronjob("0 0 */2 * 1"))


# JC311 ---------------------------------------------------------------------------------------

def test_dst_skipped():
    (hit,) = hits(sc.dst_skipped_or_repeated, cronjob("30 2 * * *", tz="America/New_York"))
    assert "2027-03-14" in hit.message and "skipped" in hit.message
    assert hit.span == (3, 4)


def test_dst_repeated():
    (hit,) = hits(sc.dst_skipped_or_repeated, cronjob("30 1 * * *", tz="America/New_York"))
    assert "2027-11-07" in hit.message and "twice" in hit.message


@pytest.mark.parametrize(
    "schedule, tz",
    [("30 3 * * *", "America/New_York"), ("30 2 * * *", "Asia/Seoul"), ("30 2 * * *", None),
     ("30 2 * * *", "Etc/UTC"), ("*/10 * * * *", "America/New_York"), ("30 2 * * *", "Bad/Zone")],
)
def test_dst_quiet(schedule, tz):
    assert hits(sc.dst_skipped_or_repeated, cronjob(schedule, tz=tz)) == []


# robustness -----------------------------------------------------------------------------------

ODD_VALUES = [None, 5, 3.5, True, [], {}, ["x"], {"a": 1}, "", "   ", "TZ=", "@every", "\u00a0"]


def test_every_schedule_rule_is_covered():
    assert [rule.id for rule in SCHEDULE_RULES] == [f"JC3{n:02}" for n in range(1, 12)] + ["JC313"]


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize("rule", SCHEDULE_RULES, ids=[rule.id for rule in SCHEDULE_RULES])
def test_no_check_crashes_on_odd_values(rule, value):
    ((_, check),) = object_checks(rule)
    w = cronjob(value, tz=value, job={"activeDeadlineSeconds": value},
                concurrencyPolicy=value, startingDeadlineSeconds=value)
    list(check(w, dict(rule.params)))
    odd_spec = Workload("CronJob", {"kind": "CronJob", "spec": value}, ())
    list(check(odd_spec, {name: value for name in rule.params}))
