from __future__ import annotations

import click
import pytest
from report_samples import finding

from jobcheck.finding import Severity, Summary
from jobcheck.report import REPORTERS, ReportContext, render, render_summary
from jobcheck.report.text import code_frame, format_finding

ESC = "\x1b"


def text(findings, summary, rules, **kw) -> str:
    return render("text", findings, summary, rules, ReportContext(cwd="/work/checkout", **kw))


def test_registry_feeds_click_choice():
    assert list(REPORTERS) == ["text", "json", "sarif", "github", "gitlab", "junit"]
    choice = click.Choice(list(REPORTERS))
    assert choice.convert("sarif", None, None) == "sarif"
    assert all(r.help for r in REPORTERS.values())
    with pytest.raises(KeyError):
        render("yaml", [], Summary(), {}, ReportContext())


def test_plain_lines(findings, summary, rules):
    out = text(findings, summary, rules)
    assert ESC not in out
    lines = out.splitlines()
    assert (
        lines[0]
        == "broken.yaml:1:1: JC001 error could not parse: mapping values are not allowed here (yaml-syntax)"
    )
    assert "deploy/job.yaml:3:5: JC101 error restartPolicy is not set (restart-policy-missing)" in lines
    assert (
        lines[-1]
        == "Checked 4 files, 5 documents (2 Jobs, 1 CronJob, 1 other object skipped): 2 errors, 2 warnings, 1 info"
    )


def test_helm_source_and_escaped_controls(findings, summary, rules):
    out = text(findings, summary, rules)
    line = next(line for line in out.splitlines() if line.startswith("x%y/"))
    assert line == (
        "x%y/ü:v,w.yaml:2:3: JC501 info bell\\x07 esc\\x1b[31m red nul\\x00 del\\x7f (image-latest)"
        " [from chart/templates/job.yaml]"
    )


def test_multiline_messages_continue_indented(findings, summary, rules):
    out = text(findings, summary, rules)
    assert "ünïcødé 日本 line1\n    line2\n    end %0A %25 ::x (concurrency-allow)" in out


def test_color(findings, summary, rules):
    out = text(findings, summary, rules, color=True)
    assert "\x1b[31merror\x1b[0m" in out
    assert "\x1b[33mwarning\x1b[0m" in out
    assert "\x1b[34minfo\x1b[0m" in out
    assert "\x1b[1mdeploy/job.yaml:3:5\x1b[0m" in out
    # The escape in a message is still shown escaped, never emitted.
    assert "esc\\x1b[31m" in out


def test_summary_wording():
    s = Summary(files=3, documents=5, jobs=2, cronjobs=3, skipped=1)
    s.by_severity = {"error": 2, "warning": 3, "info": 1}
    assert render_summary(s) == (
        "Checked 3 files, 5 documents (2 Jobs, 3 CronJobs, 1 other object skipped): 2 errors, 3 warnings, 1 info"
    )
    clean = Summary(files=1, documents=1, jobs=1)
    assert render_summary(clean) == "Checked 1 file, 1 document (1 Job): no problems found"
    assert render_summary(Summary(files=2, documents=0)) == "Checked 2 files, 0 documents: no problems found"
    unreadable = Summary(files=2, documents=1, cronjobs=1, io_errors=1)
    unreadable.by_severity["info"] = 2
    assert render_summary(unreadable) == (
        "Checked 2 files, 1 document (1 CronJob), 1 file could not be read: 2 info"
    )
    assert "\x1b[32mno problems found\x1b[0m" in render_summary(clean, color=True)
    assert ESC not in render_summary(s, color=False)


def test_empty_report_is_the_summary(rules):
    assert text([], Summary(files=1, documents=1), rules) == "Checked 1 file, 1 document: no problems found\n"


SOURCE = {
    "job.yaml": [
        "apiVersion: batch/v1",
        "kind: CronJob",
        "spec:",
        "  concurrencyPolicy: Allow",
        "  schedule: '日本 */5 * * *'",
        "\tx: y",
    ]
}


def frame(**kw) -> list[str]:
    f = finding(file="job.yaml", **kw)
    return format_finding(f, ReportContext(show_source=True, source_lines=SOURCE.get)).split("\n")


def caret_span(frame_lines: list[str]) -> tuple[int, int]:
    """Return the [start, end) offsets of the carets relative to the source text."""
    source, carets = frame_lines[1], frame_lines[2]
    offset = source.index("| ") + 2
    assert carets.index("| ") + 2 == offset
    start = carets.index("^")
    return start - offset, len(carets) - offset


def test_code_frame_caret_under_exact_columns():
    lines = frame(line=4, column=22, end_line=4, end_column=27, message="concurrencyPolicy is Allow")
    assert lines[1] == "  4 |   concurrencyPolicy: Allow"
    assert lines[2] == "    |                      ^^^^^"
    assert caret_span(lines) == (21, 26)  # columns 22..26, end 27 exclusive
    assert lines[3] == "  help: Set restartPolicy to Never or OnFailure."


def test_code_frame_single_caret_when_the_end_is_elsewhere():
    lines = frame(line=4, column=3, end_line=5, end_column=4)
    assert lines[2] == "    |   ^"
    lines = frame(line=4, column=3, end_line=0, end_column=0)
    assert lines[2] == "    |   ^"


def test_code_frame_counts_wide_characters_twice():
    # Columns count code points; the frame pads and underlines by display width.
    lines = frame(line=5, column=17, end_line=5, end_column=18)  # the "*" after "日本 "
    assert lines[1] == "  5 |   schedule: '日本 */5 * * *'"
    assert lines[2] == "    | " + " " * 13 + "    " + " " + "^"
    lines = frame(line=5, column=14, end_line=5, end_column=16)  # "日本"
    assert lines[2] == "    | " + " " * 13 + "^^^^"


def test_code_frame_keeps_tabs_for_alignment():
    lines = frame(line=6, column=2, end_line=6, end_column=3)
    assert lines[2] == "    | \t^"


def test_code_frame_without_source():
    f = finding(file="job.yaml", line=99)
    assert code_frame(f, SOURCE["job.yaml"], color=False) == []
    out = format_finding(f, ReportContext(show_source=True, source_lines=SOURCE.get))
    assert out.split("\n")[1] == "  help: Set restartPolicy to Never or OnFailure."
    out = format_finding(finding(file="gone.yaml"), ReportContext(show_source=True))
    assert len(out.split("\n")) == 2


def test_code_frame_color_only_when_asked():
    f = finding(file="job.yaml", line=4, column=22, end_line=4, end_column=27, severity=Severity.WARNING)
    plain = format_finding(f, ReportContext(show_source=True, source_lines=SOURCE.get))
    assert ESC not in plain
    colored = format_finding(f, ReportContext(color=True, show_source=True, source_lines=SOURCE.get))
    assert "\x1b[33m^^^^^\x1b[0m" in colored


def test_findings_with_frames_are_separated_by_blank_lines(rules):
    findings = [finding(file="job.yaml", line=4), finding(file="job.yaml", line=5)]
    out = render("text", findings, Summary(), rules, ReportContext(show_source=True, source_lines=SOURCE.get))
    assert out.count("\n\n") == 2


def test_bidi_controls_are_shown_escaped():
    # A right-to-left override in a quoted value would make the line display reordered.
    f = finding(message='image "evil\u202egnp.exe"')
    assert format_finding(f, ReportContext()).endswith('image "evil\\u202egnp.exe" (restart-policy-missing)')
