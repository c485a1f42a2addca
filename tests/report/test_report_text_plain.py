"""The plain text line (no colour, no code frame) has a path of its own in format_finding: it
must write exactly what the styled path writes with every style off."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jobcheck.finding import Finding, Severity
from jobcheck.report import ReportContext
from jobcheck.report.text import _format_styled, format_finding

# Text that exercises the escapes: controls, line breaks of each kind, bidi marks, surrogates
# (an undecodable byte of a file name), wide and combining characters.
_tricky = st.text(
    alphabet=st.sampled_from(list("ab :/-_.()[]\t\n\r\x1b\x7f\x85\u202e\u200f\udcff\u4e00\u0301é")),
    max_size=24,
)


@settings(max_examples=400, deadline=None)
@given(
    file=_tricky,
    line=st.integers(0, 10**6),
    column=st.integers(0, 500),
    rule=st.sampled_from(["JC101", "JC306", "ACME001"]),
    name=st.sampled_from(["", "concurrency-allow", "x"]),
    severity=st.sampled_from(list(Severity)),
    message=_tricky,
    source=st.one_of(st.none(), st.just(""), _tricky),
)
def test_plain_line_is_the_styled_line_without_styles(file, line, column, rule, name, severity, message, source):
    f = Finding(file=file, line=line, column=column, rule=rule, name=name, severity=severity, message=message,
                source=source)
    ctx = ReportContext(cwd="/w")
    assert format_finding(f, ctx) == _format_styled(f, ctx)


def test_plain_line_examples():
    ctx = ReportContext(cwd="/w")
    f = Finding(file="a\x1b.yaml", line=3, column=7, rule="JC306", name="concurrency-allow",
                severity=Severity.WARNING, message="two\r\nlines\rhere", source="chart/templates/c.yaml")
    assert format_finding(f, ctx) == (
        "a\\x1b.yaml:3:7: JC306 warning two\n    lines\n    here (concurrency-allow) [from chart/templates/c.yaml]"
    )
    assert format_finding(Finding(file="b.yaml", line=1, column=1, rule="JC101", severity=Severity.INFO,
                                  message="m"), ctx) == "b.yaml:1:1: JC101 info m"
