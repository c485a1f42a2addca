"""Each fixer on awkward layouts: the exact result, nothing else touched, and the finding gone."""

from __future__ import annotations

import pytest
from fixsupport import INTENDED_SAFETY, changed_lines, options_for, rules_found

from jobcheck import record
from jobcheck.fix import edits
from jobcheck.fix.transform import fix_stream
from jobcheck.lint.registry import load_rules
from jobcheck.yaml.loader import load_text

JOB_4SPACE = """\
# nightly migration
apiVersion: batch/v1   # keep
kind: Job
metadata:
    name: "db-migrate"    # quoted on purpose
    labels: {app: 'db'}
spec:
    # retries
    backoffLimit: 2
    template:
        spec:
            restartPolicy: Never
            containers:
            -   name: migrate
                image: 'registry.example.com/migrate:2.3.0'
                args: ["--all", "--yes"]
"""

CRON_2SPACE = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report   # the report
spec:
  schedule: "0 3 * * *"    # 03:00
  concurrencyPolicy: Allow # overlap ok?
  jobTemplate:
    spec:
      ttlSecondsAfterFinished: 600
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: report
            image: "registry.example.com/report:1.4.2"
"""


def fix(text: str, rule: str, **params) -> tuple[str, list[str]]:
    options = options_for(rule, params={rule: params} if params else None)
    outcome = fix_stream(text, "t.yaml", options, unsafe=True)
    assert rule not in rules_found(outcome.text, options), "the fixed text still has the finding"
    return outcome.text, [f.rule for f in outcome.fixed]


# --- JC201 missing-ttl ---------------------------------------------------------------------------

def test_ttl_inserted_first_in_job_spec_at_its_indentation():
    text, fixed = fix(JOB_4SPACE, "JC201")
    assert fixed == ["JC201"]
    assert changed_lines(JOB_4SPACE, text) == ([], ["    ttlSecondsAfterFinished: 86400"])
    assert text.split("\n")[6:9] == ["spec:", "    ttlSecondsAfterFinished: 86400", "    # retries"]


def test_ttl_uses_the_default_ttl_parameter():
    text, _ = fix(JOB_4SPACE, "JC201", default_ttl=3600)
    assert "\n    ttlSecondsAfterFinished: 3600\n" in text


def test_ttl_in_a_json_manifest_stays_json():
    before = '{\n  "apiVersion": "batch/v1",\n  "kind": "Job",\n  "metadata": {"name": "j"},\n  "spec": {\n' \
             '    "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "x", "image": "y:1"}]}}\n' \
             '  }\n}\n'
    text, _ = fix(before, "JC201")
    assert text == before.replace('"y:1"}]}}\n', '"y:1"}]}},\n    "ttlSecondsAfterFinished": 86400\n')
    import json

    assert json.loads(text)["spec"]["ttlSecondsAfterFinished"] == 86400


def test_ttl_into_a_one_line_flow_spec():
    before = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n" \
             "spec: {template: {spec: {restartPolicy: Never, containers: [{name: x, image: 'y:1'}]}}}\n"
    text, _ = fix(before, "JC201")
    assert text == before.replace("}]}}}", "}]}}, ttlSecondsAfterFinished: 86400}")


# --- JC306 concurrency-allow ---------------------------------------------------------------------

def test_concurrency_allow_replaced_in_place_keeping_the_comment():
    text, fixed = fix(CRON_2SPACE, "JC306")
    assert fixed == ["JC306"]
    assert changed_lines(CRON_2SPACE, text) == (
        ["  concurrencyPolicy: Allow # overlap ok?"], ["  concurrencyPolicy: Forbid # overlap ok?"])


def test_concurrency_allow_keeps_the_quote_style():
    before = CRON_2SPACE.replace("concurrencyPolicy: Allow", "concurrencyPolicy: 'Allow'")
    text, _ = fix(before, "JC306")
    assert "  concurrencyPolicy: 'Forbid' # overlap ok?\n" in text


def test_concurrency_unset_gets_forbid_after_nothing_else_moves():
    before = CRON_2SPACE.replace("  concurrencyPolicy: Allow # overlap ok?\n", "")
    text, _ = fix(before, "JC306")
    assert changed_lines(before, text) == ([], ["  concurrencyPolicy: Forbid"])
    assert text.split("\n")[4:6] == ["spec:", "  concurrencyPolicy: Forbid"]


# --- JC307 missing-starting-deadline ---------------------------------------------------------------

def test_starting_deadline_goes_after_concurrency_policy():
    text, _ = fix(CRON_2SPACE, "JC307")
    assert changed_lines(CRON_2SPACE, text) == ([], ["  startingDeadlineSeconds: 200"])
    assert text.split("\n")[6:8] == ["  concurrencyPolicy: Allow # overlap ok?", "  startingDeadlineSeconds: 200"]


def test_starting_deadline_parameter():
    text, _ = fix(CRON_2SPACE, "JC307", default_starting_deadline=90)
    assert "  startingDeadlineSeconds: 90\n" in text


# --- JC305 missing-timezone ----------------------------------------------------------------------

def test_timezone_goes_after_schedule():
    before = CRON_2SPACE.replace('"0 3 * * *"', '"0 3 * * 1"')
    text, _ = fix(before, "JC305")
    assert changed_lines(before, text) == ([], ["  timeZone: Etc/UTC"])
    assert text.split("\n")[5:7] == ['  schedule: "0 3 * * 1"    # 03:00', "  timeZone: Etc/UTC"]


# --- JC103 restartPolicy -------------------------------------------------------------------------

def test_restart_policy_always_becomes_never():
    before = JOB_4SPACE.replace("restartPolicy: Never", "restartPolicy: Always")
    text, fixed = fix(before, "JC103")
    assert fixed == ["JC103"]
    assert text == JOB_4SPACE


def test_missing_restart_policy_is_added_to_the_pod_spec():
    before = CRON_2SPACE.replace("          restartPolicy: Never\n", "")
    text, _ = fix(before, "JC103")
    assert text == CRON_2SPACE


def test_other_api_rejections_are_not_touched():
    before = JOB_4SPACE.replace("backoffLimit: 2", "backoffLimit: -1")
    options = options_for("JC103")
    outcome = fix_stream(before, "t.yaml", options)
    assert outcome.text == before and not outcome.fixed
    assert rules_found(before, options) == ["JC103"]


# --- JC602 privilege-escalation ------------------------------------------------------------------

def test_privilege_escalation_adds_security_context_after_image_four_spaces():
    text, _ = fix(JOB_4SPACE, "JC602")
    assert changed_lines(JOB_4SPACE, text) == (
        [], ["                securityContext:", "                    allowPrivilegeEscalation: false"])
    assert text.split("\n")[14:17] == [
        "                image: 'registry.example.com/migrate:2.3.0'",
        "                securityContext:",
        "                    allowPrivilegeEscalation: false",
    ]


def test_privilege_escalation_non_indented_sequence_two_spaces():
    text, _ = fix(CRON_2SPACE, "JC602")
    assert text.endswith(
        '            image: "registry.example.com/report:1.4.2"\n'
        "            securityContext:\n"
        "              allowPrivilegeEscalation: false\n"
    )


def test_privilege_escalation_into_an_existing_security_context():
    before = CRON_2SPACE + "            securityContext:\n              runAsNonRoot: true  # yes\n"
    text, _ = fix(before, "JC602")
    assert changed_lines(before, text) == ([], ["              allowPrivilegeEscalation: false"])
    assert text.endswith("securityContext:\n              allowPrivilegeEscalation: false\n"
                         "              runAsNonRoot: true  # yes\n")


def test_privilege_escalation_true_becomes_false():
    before = CRON_2SPACE + "            securityContext: {allowPrivilegeEscalation: true}\n"
    text, _ = fix(before, "JC602")
    assert text == CRON_2SPACE + "            securityContext: {allowPrivilegeEscalation: false}\n"


def test_privilege_escalation_init_container_and_container():
    before = CRON_2SPACE + "          initContainers:\n          - name: init\n            image: busybox:1.36\n"
    text, fixed = fix(before, "JC602")
    assert fixed == ["JC602", "JC602"]
    assert text.count("allowPrivilegeEscalation: false") == 2


# --- JC003 removed-api-version -------------------------------------------------------------------

@pytest.mark.parametrize("old, new", [
    ("apiVersion: batch/v1beta1", "apiVersion: batch/v1"),
    ('apiVersion: "batch/v1beta1"  # old', 'apiVersion: "batch/v1"  # old'),
    ("apiVersion: 'batch/v2alpha1'", "apiVersion: 'batch/v1'"),
])
def test_removed_api_version(old, new):
    before = CRON_2SPACE.replace("apiVersion: batch/v1", old)
    text, fixed = fix(before, "JC003")
    assert fixed == ["JC003"]
    assert text == CRON_2SPACE.replace("apiVersion: batch/v1", new)


# --- streams ---------------------------------------------------------------------------------------

def test_only_the_document_with_the_finding_changes():
    other = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  script: |\n    ---\n    apiVersion: batch/v1\n'
    before = other + "---\n" + CRON_2SPACE + "---\n" + CRON_2SPACE.replace("Allow", "Forbid")
    text, fixed = fix(before, "JC306")
    assert fixed == ["JC306"]
    assert text == other + "---\n" + CRON_2SPACE.replace("Allow", "Forbid") * 1 + "---\n" + \
        CRON_2SPACE.replace("Allow", "Forbid")


def test_list_items_are_fixed_individually():
    before = ("apiVersion: v1\nkind: List\nitems:\n"
              "- apiVersion: batch/v1beta1\n  kind: CronJob\n  metadata: {name: a}\n"
              "  spec:\n    schedule: '* * * * *'\n    jobTemplate:\n      spec:\n        template:\n"
              "          spec: {restartPolicy: Never, containers: [{name: x, image: 'y:1'}]}\n")
    text, _ = fix(before, "JC003")
    assert text == before.replace("batch/v1beta1", "batch/v1")


def test_all_fixes_together_on_a_four_space_file():
    options = options_for("JC003", "JC103", "JC201", "JC602")
    before = JOB_4SPACE.replace("batch/v1", "batch/v1beta1").replace("restartPolicy: Never", "restartPolicy: Always")
    outcome = fix_stream(before, "t.yaml", options, unsafe=True)
    assert sorted(f.rule for f in outcome.fixed) == ["JC003", "JC103", "JC201", "JC602"]
    assert rules_found(outcome.text, options) == []
    assert outcome.text == JOB_4SPACE.replace(
        "spec:\n    # retries", "spec:\n    ttlSecondsAfterFinished: 86400\n    # retries").replace(
        "migrate:2.3.0'\n", "migrate:2.3.0'\n                securityContext:\n"
        "                    allowPrivilegeEscalation: false\n")


def test_unsafe_fixes_need_the_flag():
    outcome = fix_stream(CRON_2SPACE, "t.yaml", options_for("JC306", "JC307"), unsafe=False)
    assert [f.rule for f in outcome.fixed] == ["JC307"]
    assert "concurrencyPolicy: Allow" in outcome.text


def test_a_merge_key_fix_is_refused_not_corrupted():
    before = ("apiVersion: v1\nkind: List\nitems:\n"
              "- apiVersion: batch/v1\n  kind: Job\n  metadata: {name: a}\n  spec: &s\n    template:\n"
              "      spec: {restartPolicy: Never, containers: [{name: x, image: 'y:1'}]}\n"
              "- apiVersion: batch/v1\n  kind: Job\n  metadata: {name: b}\n  spec:\n    <<: *s\n")
    options = options_for("JC201")
    outcome = fix_stream(before, "t.yaml", options)
    # The first Job's spec is merged into the second: changing it would change both.
    assert [f.object for f, _ in outcome.skipped] == ["a"]
    assert "merge" in outcome.skipped[0][1]
    assert [f.object for f in lint_findings(outcome.text, options)] == ["a"]


def lint_findings(text, options):
    from jobcheck.lint.engine import lint_stream

    return lint_stream(text, "t.yaml", options).findings


def test_crlf_lines_stay_crlf():
    before = CRON_2SPACE.replace("\n", "\r\n")
    text, _ = fix(before, "JC602")
    assert text == (CRON_2SPACE + "            securityContext:\n              allowPrivilegeEscalation: false\n"
                    ).replace("\n", "\r\n")


def test_files_with_syntax_errors_are_not_fixed():
    before = CRON_2SPACE + "---\nkey: [unclosed\n"
    outcome = fix_stream(before, "t.yaml", options_for("JC001", "JC306"), unsafe=True)
    assert outcome.text == before and not outcome.fixed


def test_an_empty_value_is_filled_in():
    before = CRON_2SPACE.replace("concurrencyPolicy: Allow # overlap ok?", "concurrencyPolicy:   # overlap ok?")
    text, _ = fix(before, "JC306")
    assert changed_lines(before, text) == (
        ["  concurrencyPolicy:   # overlap ok?"], ["  concurrencyPolicy: Forbid   # overlap ok?"])


@pytest.mark.parametrize("text", [JOB_4SPACE, CRON_2SPACE, CRON_2SPACE.replace("\n", "\r\n")])
def test_fixing_twice_changes_nothing_more(text):
    options = options_for(*sorted(INTENDED_SAFETY))
    once = fix_stream(text, "t.yaml", options, unsafe=True).text
    twice = fix_stream(once, "t.yaml", options, unsafe=True)
    assert twice.text == once and not twice.fixed


def test_every_fixer_has_an_intended_safety():
    assert {rid for rid, rule in load_rules().items() if rule.fixer} == set(INTENDED_SAFETY)


def test_rule_files_declare_fix_safety():
    declared = {rid: rule.fix_safety for rid, rule in load_rules().items()}
    assert {rid: declared.get(rid) for rid in INTENDED_SAFETY} == INTENDED_SAFETY


def test_fixers_named_by_the_rule_files_are_the_functions_in_edits():
    for rule in load_rules().values():
        if rule.fixer:
            module, _, name = rule.fixer.partition(":")
            assert module == edits.__name__
            assert edits.fixer_function(rule.fixer) is getattr(edits, name)


def test_fixers_read_the_parameter_the_rule_file_declares_and_no_alias():
    options = options_for("JC307")
    rule = options.rules["JC307"]
    (finding,) = lint_findings(CRON_2SPACE, options)
    data = next(iter(load_text(CRON_2SPACE))).data
    declared = {"default_starting_deadline": 45}
    assert edits.plan(finding, rule, data, declared)[0].value == 45
    with pytest.raises(KeyError):  # an alias is not read, and there is no default in code
        edits.plan(finding, rule, data, {"default_deadline": 45})
    assert edits.plan(finding, record.replace(rule, fixer=None), data, declared) is None
