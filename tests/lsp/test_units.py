"""The conversions, actions and fallbacks of jobcheck.lsp, without a client."""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from jobcheck.finding import Finding, Severity
from jobcheck.lint.options import build_options
from jobcheck.lsp import convert
from jobcheck.lsp.actions import suppress_actions, suppress_line_text
from jobcheck.lsp.documents import Linter, is_manifest_document
from jobcheck.run import lint_text, options_for


@pytest.mark.parametrize("encoding,expected", [("utf-16", 5), ("utf-8", 8), ("utf-32", 4)])
def test_character_counts_code_units(encoding, expected):
    line = "é😀ab"  # é: 1/2/1 units, 😀: 2/4/1 (UTF-16/UTF-8/UTF-32)
    assert convert.character(line, 5, encoding) == expected  # column 5 = after "é😀ab"
    assert convert.column(line, expected, encoding) == 5


def test_column_inside_a_surrogate_pair_is_that_character():
    assert convert.column("😀x", 1) == 1
    assert convert.column("😀x", 2) == 2
    assert convert.column("😀x", 99) == 3


@pytest.mark.parametrize("old,new", [
    ("a\nb\nc\n", "a\nB\nc\n"),
    ("a\r\nb\r\nc\r\n", "a\r\nb\r\n  x: 1\r\nc\r\n"),
    ("x😀: 1\ny: 2", "x😀: 1\nz: 3\ny: 2"),
    ("only", "other"),
    ("a\nb\n", "a\nb\nc\n"),
])
def test_text_edit_round_trip(old, new):
    edit = convert.text_edit(old, new)
    assert convert.apply_text_edit(old, edit) == new
    assert convert.text_edit(old, old) is None


def finding(line: int, rule: str = "JC701") -> Finding:
    return Finding("f.yaml", line, 1, rule, severity=Severity.WARNING, message="m")


def test_suppress_line_goes_above_a_line_with_a_comment():
    text = "a: 1\n  image: x  # pinned later\nb: 2\n"
    assert suppress_line_text(text, finding(2)) == "a: 1\n  # jobcheck: ignore[JC701]\n  image: x  # pinned later\nb: 2\n"
    crlf = "a: 1\r\n  image: x\r\n"
    assert suppress_line_text(crlf, finding(2)) == "a: 1\r\n  image: x  # jobcheck: ignore[JC701]\r\n"


def test_json_documents_get_no_suppression_comments():
    text = json.dumps({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                       "spec": {"template": {"spec": {"restartPolicy": "Never",
                                                      "containers": [{"name": "a", "image": "busybox"}]}}}}, indent=1)
    options = build_options()
    findings = lint_text(text, "j.json", options).findings
    f = next(f for f in findings if f.rule == "JC701")
    assert suppress_actions(text, f, findings, "j.json", options, {}) == []


def test_broken_configuration_is_one_diagnostic(tmp_path):
    (tmp_path / ".jobcheck.yaml").write_text("select: [NOPE999]\n", encoding="utf-8")
    linter = Linter()
    linted = linter.lint((tmp_path / "a.yaml").as_uri(), "kind: Job\n")
    (diag,) = linter.diagnostics(linted)
    assert diag["severity"] == 1 and diag["message"].startswith("jobcheck configuration error: ")


def test_excluded_file_is_not_linted(tmp_path):
    (tmp_path / ".jobcheck.yaml").write_text("exclude: ['gen/*']\n", encoding="utf-8")
    (tmp_path / "gen").mkdir()
    assert options_for(str(tmp_path / "gen" / "a.yaml")) is None
    assert options_for(str(tmp_path / "a.yaml")) is not None


def test_which_documents_are_linted():
    assert is_manifest_document("file:///x/a.yml", None)
    assert is_manifest_document("untitled:1", "yaml")
    assert not is_manifest_document("file:///x/a.py", "python")


def test_lsp_without_the_extra_says_how_to_install(monkeypatch):
    from jobcheck.cli import main

    monkeypatch.setitem(sys.modules, "pygls", None)  # import pygls raises ImportError
    result = CliRunner().invoke(main, ["lsp"])
    assert result.exit_code == 2
    assert "pip install 'jobcheck[lsp]'" in result.output
    assert "Traceback" not in result.output


def test_kustomize_patch_is_partial_as_lint_reads_it(tmp_path):
    patch = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  suspend: true\n"
    linter = Linter()
    whole = {f.rule for f in linter.lint((tmp_path / "patch.yaml").as_uri(), patch).findings}
    assert "JC101" in whole or "JC103" in whole  # alone, the object lacks required fields
    (tmp_path / "kustomization.yaml").write_text("patches:\n- path: patch.yaml\n", encoding="utf-8")
    linter.forget_config()
    partial = {f.rule for f in linter.lint((tmp_path / "patch.yaml").as_uri(), patch).findings}
    assert not partial & {"JC101", "JC103"}


def test_unsaved_buffer_is_linted_under_the_workspace_config(tmp_path):
    (tmp_path / ".jobcheck.yaml").write_text("ignore: [JC701]\n", encoding="utf-8")
    text = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n"
            "      restartPolicy: Never\n      containers: [{name: a, image: busybox}]\n")
    rules = {f.rule for f in Linter(root=str(tmp_path)).lint("untitled:Untitled-1", text).findings}
    assert rules and "JC701" not in rules


def test_timezone_hover_offset_and_next_change():
    from datetime import datetime, timezone

    from jobcheck.lsp.hover import timezone_hover

    now = datetime(2026, 3, 1, tzinfo=timezone.utc)
    text = timezone_hover("America/New_York", now)
    assert "(UTC-05:00)" in text
    assert "next change: 2026-03-08T03:00:00-04:00 (2026-03-08T07:00:00Z): UTC-05:00 → UTC-04:00" in text
    assert "no offset change" in timezone_hover("Asia/Tokyo", now)
    assert "UTC+09:00" in timezone_hover("Asia/Tokyo", now)
    bad = timezone_hover("Mars/Olympus\u202e", now)
    assert "\u202e" not in bad and "\\u202e" in bad  # shown escaped, never as the raw control character


def test_schedule_hover_runs_in_the_cronjobs_zone():
    from datetime import datetime, timezone

    from jobcheck.kube.objects import Workload
    from jobcheck.lsp.hover import schedule_hover

    obj = {"kind": "CronJob", "metadata": {"name": "n"}, "spec": {"schedule": "0 9 * * *", "timeZone": "Asia/Tokyo"}}
    text = schedule_hover(Workload("CronJob", obj, ()), datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert "2026-01-02T09:00:00+09:00" in text and "Asia/Tokyo" in text


def test_handler_errors_are_contained(monkeypatch):
    pytest.importorskip("pygls")
    from jobcheck.lsp.server import JobcheckServer

    monkeypatch.delenv("JOBCHECK_DEBUG", raising=False)
    server = JobcheckServer()
    told = []
    monkeypatch.setattr(server, "window_log_message", told.append)

    def boom():
        raise RuntimeError("secret-value-never-shown")

    assert server.safely(boom, default=[]) == []
    (params,) = told
    assert "internal error" in params.message and "secret-value" not in params.message
