"""--fix never makes a manifest worse: it leaves hooks to their tool, does not add a field next to
its misspelling, and does not add a deadline its own rule advises against."""

from __future__ import annotations

import pytest
from fixsupport import options_for, rules_found

from jobcheck.fix.transform import Fixer, fix_stream

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  annotations:
{annotations}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: registry.example.com/migrate:2.3.0
"""

CRON = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: heartbeat
spec:
  schedule: "{schedule}"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: ping
              image: registry.example.com/ping:1.0.0
"""


@pytest.mark.parametrize("annotations", [
    '    "helm.sh/hook": pre-upgrade\n    "helm.sh/hook-delete-policy": hook-succeeded',
    "    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation",
])
def test_no_ttl_is_added_to_a_hook_its_tool_deletes(annotations):
    text = JOB.format(annotations=annotations)
    options = options_for("JC201")
    assert rules_found(text, options) == []
    outcome = fix_stream(text, "t.yaml", options)
    assert outcome.text == text and not outcome.fixed


def test_a_hook_without_a_delete_policy_still_gets_a_ttl():
    text = JOB.format(annotations='    "helm.sh/hook": pre-upgrade')
    outcome = fix_stream(text, "t.yaml", options_for("JC201"))
    assert [f.rule for f in outcome.fixed] == ["JC201"]
    assert "\n  ttlSecondsAfterFinished: 86400\n" in outcome.text


@pytest.mark.parametrize("typo", ["ttlSecondAfterFinished", "ttlsecondsafterfinished", "ttlSecondsAfterFinish"])
def test_a_misspelt_ttl_is_not_doubled_but_reported(typo):
    text = JOB.format(annotations="    team: data").replace("  backoffLimit: 0\n", f"  {typo}: 600\n")
    outcome = fix_stream(text, "t.yaml", options_for("JC201"))
    assert outcome.text == text and not outcome.fixed
    [(finding, why)] = outcome.skipped
    assert finding.rule == "JC201"
    assert f'spec has "{typo}", a misspelling of "ttlSecondsAfterFinished"' in why


def test_the_skip_reason_reaches_the_user():
    text = JOB.format(annotations="    team: data").replace("  backoffLimit: 0\n", "  ttlSecondAfterFinished: 600\n")
    note = Fixer(options_for("JC201"), write=False)("t.yaml", "t.yaml", text.encode(), text)
    assert not note.changed
    assert note.messages == [
        't.yaml:7:1: JC201 not fixed: spec has "ttlSecondAfterFinished", a misspelling of '
        '"ttlSecondsAfterFinished": rename it rather than add a second field'
    ]


def test_a_misspelt_time_zone_is_not_doubled():
    text = CRON.format(schedule="0 3 * * *").replace("  jobTemplate:", "  timezone: Europe/Paris\n  jobTemplate:")
    outcome = fix_stream(text, "t.yaml", options_for("JC305"), unsafe=True)
    assert outcome.text == text and not outcome.fixed
    assert 'a misspelling of "timeZone"' in outcome.skipped[0][1]


@pytest.mark.parametrize(("schedule", "every"), [("* * * * *", "1 minute"), ("*/2 * * * *", "2 minutes")])
def test_no_starting_deadline_at_or_above_the_schedule_interval(schedule, every):
    text = CRON.format(schedule=schedule)
    outcome = fix_stream(text, "t.yaml", options_for("JC307"))
    assert outcome.text == text and not outcome.fixed
    [(finding, why)] = outcome.skipped
    assert finding.rule == "JC307"
    assert why.startswith(f"the schedule runs every {every}, and the default deadline of 200s is not below")


def test_a_starting_deadline_below_the_interval_is_still_added():
    text = CRON.format(schedule="*/5 * * * *")
    outcome = fix_stream(text, "t.yaml", options_for("JC307"))
    assert [f.rule for f in outcome.fixed] == ["JC307"]
    assert "\n  startingDeadlineSeconds: 200\n" in outcome.text
    assert rules_found(outcome.text, options_for("JC307")) == []


def test_a_smaller_configured_deadline_fits_an_every_minute_schedule():
    text = CRON.format(schedule="* * * * *")
    options = options_for("JC307", params={"JC307": {"default_starting_deadline": 30}})
    outcome = fix_stream(text, "t.yaml", options)
    assert "\n  startingDeadlineSeconds: 30\n" in outcome.text
