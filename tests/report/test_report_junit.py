from __future__ import annotations

import xml.etree.ElementTree as ET

from report_samples import CONTROL, NASTY, finding

from jobcheck.report import ReportContext, render
from jobcheck.report.junit import xml_text


def parse(findings, summary, rules, ctx) -> ET.Element:
    out = render("junit", findings, summary, rules, ctx)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(out.encode("utf-8"))


def test_structure_and_counts(findings, summary, rules, ctx):
    root = parse(findings, summary, rules, ctx)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "jobcheck"
    cases = suite.findall("testcase")
    failures = [fail for case in cases for fail in case.findall("failure")]
    assert len(failures) == len(findings)
    failed_cases = [case for case in cases if case.find("failure") is not None]
    for element in (root, suite):
        assert element.get("tests") == str(len(cases))
        assert element.get("failures") == str(len(failed_cases))
        assert element.get("errors") == "0"
    # One testcase per object of each file; clean files pass.
    names = [(c.get("classname"), c.get("name")) for c in cases]
    assert names == [
        ("broken.yaml", "broken.yaml"),
        ("deploy dir/job #1.yaml", "CronJob ops/backup"),
        ("deploy/job.yaml", "Job batch/migrate"),
        ("x%y/ü:v,w.yaml", "Job batch/migrate"),
        ("clean.yaml", "clean.yaml"),
    ]
    assert cases[-1].find("failure") is None
    assert len(cases[1].findall("failure")) == 2


def test_failures_carry_rule_message_and_position(findings, summary, rules, ctx):
    root = parse(findings, summary, rules, ctx)
    failures = root.findall(".//failure")
    for f, failure in zip(findings, failures, strict=True):
        assert failure.get("type") == f.rule
    nasty = next(
        fail for fail in failures if NASTY.replace("\r", "") in fail.get("message").replace("\r", "")
    )
    # Attribute values keep <&>" and line breaks (serialised as character references).
    assert nasty.get("message") == f"JC306 {NASTY}"
    assert nasty.text.startswith("deploy dir/job #1.yaml:7:12-7:17: JC306 warning value")
    assert "field: spec.concurrencyPolicy" in nasty.text
    assert "help: Use Forbid." in nasty.text


def test_characters_illegal_in_xml_are_shown_escaped(findings, summary, rules, ctx):
    root = parse(findings, summary, rules, ctx)
    control = next(f for f in root.findall(".//failure") if f.get("type") == "JC501")
    assert control.get("message").startswith("JC501 bell\\x07 esc\\x1b[31m red nul\\x00 del\\x7f")
    # DEL, C1 and bidirectional controls are legal XML 1.0, but a CI page would show them raw.
    assert xml_text(CONTROL) == "bell\\x07 esc\\x1b[31m red nul\\x00 del\\x7f"
    assert xml_text("a\tb\nc\rd") == "a\tb\nc\rd"
    assert xml_text("\x85 \u202e \ufffe \ud800 \udcff") == "\\x85 \\u202e \\ufffe \\ud800 \\xff"


def test_without_a_file_list_only_files_with_findings_appear(summary, rules):
    ctx = ReportContext(cwd="/work/checkout")
    root = parse([finding()], summary, rules, ctx)
    assert [c.get("classname") for c in root.iter("testcase")] == ["deploy/job.yaml"]


def test_everything_clean(summary, rules, ctx):
    root = parse([], summary, rules, ctx)
    assert root.get("tests") == "5" and root.get("failures") == "0"
