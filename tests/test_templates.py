"""Helm chart templates are not linted as YAML: one info note per template file (issue 11, part 2)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from jobcheck.cli import main
from jobcheck.yaml.prescan import prescan_text

JOB_TEMPLATE = """\
{{- if .Values.migrate.enabled }}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "shop.fullname" . }}-migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
{{- end }}
"""

CRON_TEMPLATE = """\
# {{ not this one: a comment }}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: {{ .Values.schedule | quote }}
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: report, image: "busybox"}]
"""


def _chart(root: Path) -> Path:
    chart = root / "shop"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("image:\n  repository: registry.example.com/migrate\n  tag: 2.3.0\n"
                                       "migrate:\n  enabled: true\nschedule: '0 3 * * *'\n")
    (chart / "templates" / "job.yaml").write_text(JOB_TEMPLATE)
    (chart / "templates" / "cronjob.yaml").write_text(CRON_TEMPLATE)
    (chart / "templates" / "_helpers.tpl").write_text('{{- define "shop.fullname" -}}shop{{- end }}\n')
    return chart


def test_a_chart_gives_one_info_note_per_template(tmp_path: Path) -> None:
    chart = _chart(tmp_path)
    result = CliRunner().invoke(main, ["lint", "--no-config", "--format", "json", "--verbose", str(chart)])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    got = sorted((Path(f["file"]).name, f["rule"], f["severity"], f["line"], f["column"]) for f in findings)
    assert got == [("cronjob.yaml", "JC005", "info", 7, 13), ("job.yaml", "JC005", "info", 1, 1)]
    assert "helm template" in findings[0]["message"]
    assert f"{chart / 'templates' / 'job.yaml'}: skipped: line 1: a Helm chart template" in result.stderr


def test_a_template_from_standard_input_is_noted_too() -> None:
    result = CliRunner().invoke(main, ["lint", "--no-config", "--format", "json", "-"], input=JOB_TEMPLATE)
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["JC005"]


def test_the_note_can_be_ignored(tmp_path: Path) -> None:
    chart = _chart(tmp_path)
    result = CliRunner().invoke(main, ["lint", "--no-config", "--format", "json", "--ignore", "JC005", str(chart)])
    assert json.loads(result.stdout)["findings"] == []


def test_braces_that_start_no_template_action_are_yaml() -> None:
    assert prescan_text('args: ["{{inputs.parameters.x}}", "{{workflow.name}}"]\n').template is None
    assert prescan_text("# {{ .Values.x }}\n  # {{- include \"a\" . }}\n").template is None
    assert prescan_text("a: 1\nb: {{/* note */}}\n").template == (2, 4)
    assert prescan_text("a: 1\nb: x{{- $v := 1 }}\n").template == (2, 5)
