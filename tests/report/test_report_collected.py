"""The whole-run formats written through ``open_report`` (batches spilled to disk, merged back at
close) give exactly what ``render`` gives over the sorted run, whatever order the batches came
in: files out of name order, a file's unused suppressions after its last document, the same
object in two documents of a file (fingerprints count it across both)."""

from __future__ import annotations

import io

import pytest
from report_samples import finding

from jobcheck.finding import Summary, finding_order
from jobcheck.record import replace
from jobcheck.report import open_report, render

WHOLE_RUN = ("sarif", "gitlab", "github", "junit")


def _batches():
    """(file, findings) as the driver hands them: per document, each sorted in itself."""
    b = "b.yaml"
    doc1 = [finding(file=b, line=3, object="dup"), finding(file=b, line=5, rule="JC201", object="dup")]
    doc2 = [finding(file=b, line=12, object="other", document=1)]
    doc3 = [finding(file=b, line=20, object="dup", document=2), finding(file=b, line=21, object="dup", document=2)]
    tail = [finding(file=b, line=1, column=3, rule="JC000", kind="", namespace="", object="", field="")]
    a = [finding(file="a.yaml", line=2, object="first")]
    return [("b.yaml", doc1), ("b.yaml", doc2), ("b.yaml", doc3), ("b.yaml", tail), ("a.yaml", a),
            ("clean.yaml", [])]


@pytest.mark.parametrize("fmt", WHOLE_RUN)
def test_spilled_reports_equal_the_rendered_sorted_run(fmt: str, rules, ctx) -> None:
    summary = Summary(files=3, documents=5)
    ctx = replace(ctx, files=())
    out = io.StringIO()
    report = open_report(fmt, out, ctx, rules)
    everything = []
    for file, found in _batches():
        report.add(file, found)
        everything += found
    report.close(summary)
    expected = render(fmt, sorted(everything, key=finding_order), summary, rules,
                      replace(ctx, files=("b.yaml", "a.yaml", "clean.yaml")))
    assert out.getvalue() == expected
    if fmt == "sarif":
        assert out.getvalue().count("jobcheck/v1") == len(everything)


def test_an_empty_run(rules, ctx) -> None:
    for fmt in WHOLE_RUN:
        out = io.StringIO()
        report = open_report(fmt, out, replace(ctx, files=()), rules)
        report.close(Summary())
        assert out.getvalue() == render(fmt, [], Summary(), rules, replace(ctx, files=()))


def test_fingerprints_count_repeats_as_one_table_of_the_whole_run_would(findings, ctx) -> None:
    """Counting per object and forgetting finished objects numbers repeats as counting every
    identity of the run in one table does."""
    import hashlib

    from jobcheck.report.base import display_path, fingerprints

    run = [f for _, batch in _batches() for f in batch] + findings
    run += [replace(f, line=f.line + 100) for f in run]  # every identity twice, far apart
    seen: dict[str, int] = {}
    expected = []
    for f in run:
        identity = "\0".join((f.rule, display_path(f.file, ctx.cwd), f.kind, f.namespace, f.object, f.field))
        n = seen.get(identity, 0)
        seen[identity] = n + 1
        expected.append(hashlib.sha256((identity + (f"\0{n}" if n else "")).encode("utf-8", "surrogateescape"))
                        .hexdigest())
    assert fingerprints(run, ctx.cwd) == expected
    assert len(set(expected)) == len(run)
