from __future__ import annotations

import pytest

from jobcheck.finding import Severity
from jobcheck.lint.checks import lifecycle
from tests.checks._build import cronjob, hits, job

JOB_SPEC = ("spec",)
CJ_JOB_SPEC = ("spec", "jobTemplate", "spec")


def test_backoff_limit_unset_is_info_at_the_job_spec() -> None:
    [hit] = hits(lifecycle.backoff_limit, job(), max=10)
    assert hit.path == JOB_SPEC + ("backoffLimit",)
    assert hit.severity is Severity.INFO
    assert "6" in hit.message


def test_backoff_limit_above_max_is_a_warning_and_at_max_is_fine() -> None:
    [hit] = hits(lifecycle.backoff_limit, job(backoffLimit=11), max=10)
    assert hit.severity is Severity.WARNING and "11" in hit.message
    assert hits(lifecycle.backoff_limit, job(backoffLimit=10), max=10) == []


def test_backoff_limit_is_skipped_with_backoff_limit_per_index_and_odd_types() -> None:
    assert hits(lifecycle.backoff_limit, job(backoffLimitPerIndex=1), max=10) == []
    assert hits(lifecycle.backoff_limit, job(backoffLimit="lots"), max=10) == []
    assert hits(lifecycle.backoff_limit, job(backoffLimit=True), max=10) == []


def test_backoff_limit_reaches_cronjob_templates() -> None:
    [hit] = hits(lifecycle.backoff_limit, cronjob(), max=10)
    assert hit.path == CJ_JOB_SPEC + ("backoffLimit",)


@pytest.mark.parametrize(
    "spec, expected",
    [
        ({"parallelism": 10, "completions": 3}, 1),
        ({"parallelism": 3, "completions": 3}, 0),
        ({"parallelism": 10}, 0),
        ({"parallelism": "10", "completions": 3}, 0),
    ],
)
def test_parallelism_exceeds_completions(spec: dict, expected: int) -> None:
    found = hits(lifecycle.parallelism_exceeds_completions, job(**spec))
    assert len(found) == expected
    if found:
        assert found[0].path == JOB_SPEC + ("parallelism",)


def test_onfailure_loses_logs_names_the_effective_limit() -> None:
    [hit] = hits(lifecycle.onfailure_loses_logs, job(pod={"restartPolicy": "OnFailure"}))
    assert hit.path == ("spec", "template", "spec", "restartPolicy")
    assert "default backoffLimit 6" in hit.message
    [hit] = hits(lifecycle.onfailure_loses_logs, job(pod={"restartPolicy": "OnFailure"}, backoffLimit=2))
    assert "backoffLimit 2" in hit.message
    assert hits(lifecycle.onfailure_loses_logs, job()) == []


def test_suspended_on_job_cronjob_and_template() -> None:
    assert [h.path for h in hits(lifecycle.suspended, job(suspend=True))] == [("spec", "suspend")]
    data = cronjob(suspend=True, job_spec=job(suspend=True))
    assert [h.path for h in hits(lifecycle.suspended, data)] == [
        ("spec", "suspend"),
        CJ_JOB_SPEC + ("suspend",),
    ]
    assert hits(lifecycle.suspended, job(suspend="true")) == []


def test_ttl_defeats_history_compares_with_the_schedule_interval() -> None:
    daily = cronjob("0 3 * * *", job_spec=job(ttlSecondsAfterFinished=3600))
    [hit] = hits(lifecycle.ttl_defeats_history, daily)
    assert hit.path == CJ_JOB_SPEC + ("ttlSecondsAfterFinished",)
    assert "the 1 day between runs" in hit.message
    long_ttl = cronjob("0 * * * *", job_spec=job(ttlSecondsAfterFinished=7200))
    assert hits(lifecycle.ttl_defeats_history, long_ttl) == []


def test_ttl_defeats_history_uses_the_shortest_gap_of_uneven_schedules() -> None:
    weekdays = cronjob(
        "0 9 * * 1-5", job_spec=job(ttlSecondsAfterFinished=2 * 86400), timeZone="Europe/Berlin"
    )
    assert hits(lifecycle.ttl_defeats_history, weekdays) == []  # 2 days >= the 1-day gap


def test_ttl_zero_with_history_and_without() -> None:
    zero = job(ttlSecondsAfterFinished=0)
    [hit] = hits(lifecycle.ttl_defeats_history, cronjob(job_spec=zero))
    assert "successfulJobsHistoryLimit 3 and failedJobsHistoryLimit 1" in hit.message
    none_kept = cronjob(job_spec=zero, successfulJobsHistoryLimit=0, failedJobsHistoryLimit=0)
    assert hits(lifecycle.ttl_defeats_history, none_kept) == []


@pytest.mark.parametrize("schedule, zone", [("0 3 * *", None), ("0 3 * * *", "Mars/Olympus"), (None, None)])
def test_ttl_defeats_history_is_silent_when_the_schedule_is_unusable(schedule, zone) -> None:
    data = cronjob(job_spec=job(ttlSecondsAfterFinished=60))
    data["spec"]["schedule"] = schedule
    if zone:
        data["spec"]["timeZone"] = zone
    assert hits(lifecycle.ttl_defeats_history, data) == []


def test_ttl_defeats_history_ignores_jobs() -> None:
    assert hits(lifecycle.ttl_defeats_history, job(ttlSecondsAfterFinished=0)) == []

