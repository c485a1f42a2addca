"""explain and lint say the same about a schedule: one source of truth, ``cron.analysis.schedule_facts``.

For each expression, the lint rules a CronJob with that schedule (and time zone) trips among the
schedule rules that judge the expression itself equal the rules explain names: its errors
(JC301 robfig, JC302 TZ in the schedule, JC303 the time zone) and the ``rule`` of each warning.

``@every 30s`` used to be the odd one out: explain warned, lint did not. It is JC313 now
(Job names carry the scheduled minute, so a second run within one minute is lost).

Explain-only by design (``rule`` is None; lint has no finding for them, listed here so that
adding one is a decision): ``every-relative`` and ``every-minute`` (descriptions of what the
author asked for), ``empty-items`` (ignored, harmless), ``step-single`` and ``uneven-step``
(the schedule does what robfig says; explain shows the values), ``beyond-range`` and
``hang-stop`` (limits of the computation, not of the CronJob).
Also explain-only: what explain says about a schedule the API server refuses (lint stops at
JC301/JC302), and DST warnings for a CronJob without timeZone under an explicit --timezone
(lint cannot know kube-controller-manager's zone). The policy rules (JC305-JC309) read the rest
of the CronJob and are worded as explain's run-policy notes, not compared here.
"""

from __future__ import annotations

import importlib
from datetime import datetime, timezone

import pytest

from jobcheck.cron.parse import TZ_IN_SCHEDULE
from jobcheck.explain import explain_workload
from jobcheck.kube.objects import Workload
from jobcheck.lint.registry import load_rules

NOW = datetime(2027, 1, 10, 12, tzinfo=timezone.utc)
EXPRESSION_RULES = ("JC301", "JC302", "JC303", "JC304", "JC310", "JC311", "JC313")
EXPLAIN_ONLY = {"every-relative", "every-minute", "empty-items", "step-single",
                "uneven-step", "beyond-range", "hang-stop"}

CASES = [
    ("0 2 * * *", None), ("0 2 * * *", "Europe/Berlin"), ("30 2 * * *", "America/New_York"),
    ("30 1 * * *", "America/New_York"), ("0 * * * *", "America/New_York"), ("*/5 * * * *", "Europe/Berlin"),
    ("30 2 * * *", None), ("0 0 1 * 1", "UTC"), ("0 0 1-7 * MON", "Europe/Berlin"), ("0 0 30 2 *", "UTC"),
    ("0 0 31 4 *", None), ("@every 30s", None), ("@every 59s", "Europe/Berlin"), ("@every 1m", None),
    ("@every 500ms", None), ("@every 2h", "Europe/Berlin"), ("@daily", "America/New_York"),
    ("@hourly", "America/New_York"), ("*/45 * * * *", None), ("0 0 * */5 *", "UTC"), ("* * * * *", None),
    ("0,,30 * * * *", None), ("*/60 * * * *", None), ("0 0 * * 7", None), ("0 0 12 * * ?", "UTC"),
    ("TZ=Asia/Seoul 0 2 * * *", None), ("0 2 * * *", "Mars/Base"), ("0 2 * * *", ""), ("0 2 * * *", "Local"),
    ("0 0 * * 0", "Pacific/Apia"), ("30 2 * 3 0", "Europe/London"), ("0 1-3 * * *", "America/New_York"),
]


def _lint_checks():
    checks = {}
    for rule in load_rules().values():
        if rule.id in EXPRESSION_RULES:
            module, _, name = rule.check["python"].partition(":")
            checks[rule.id] = (getattr(importlib.import_module(module), name), rule.params)
    assert set(checks) == set(EXPRESSION_RULES)
    return checks


CHECKS = _lint_checks()


def cronjob(schedule, tz):
    spec = {"schedule": schedule, "jobTemplate": {"spec": {}}}
    if tz is not None:
        spec["timeZone"] = tz
    return Workload("CronJob", {"kind": "CronJob", "metadata": {"name": "x"}, "spec": spec}, (), now=NOW)


def lint_rules(w):
    return {rid for rid, (check, params) in CHECKS.items() if list(check(w, dict(params)))}


def explain_rules(w):
    e = explain_workload(w, start=NOW)["schedule_explanation"]
    rules = {"JC302" if err["message"] == TZ_IN_SCHEDULE else "JC301" for err in e["errors"]}
    if e["timezone_error"]:
        rules.add("JC303")
    for warning in e["warnings"]:
        assert (warning["rule"] is None) is (warning["code"] in EXPLAIN_ONLY), warning
        if warning["rule"] and not rules & {"JC301", "JC302"}:  # lint stops at a refused schedule
            rules.add(warning["rule"])
    return rules


@pytest.mark.parametrize("schedule, tz", CASES, ids=lambda v: repr(v))
def test_explain_and_lint_agree(schedule, tz):
    w = cronjob(schedule, tz)
    assert explain_rules(w) == lint_rules(w)


def test_the_cases_cover_every_shared_fact_and_both_sides_of_jc311():
    seen = set()
    for schedule, tz in CASES:
        seen |= lint_rules(cronjob(schedule, tz))
    assert seen == set(EXPRESSION_RULES)
    # the DST change hits an hourly schedule too, but neither command reports it
    hourly = explain_workload(cronjob("0 * * * *", "America/New_York"), start=datetime(2027, 3, 1, tzinfo=timezone.utc))
    assert not any(w["code"].startswith("dst-") for w in hourly["schedule_explanation"]["warnings"])
