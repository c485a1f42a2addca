"""`jobcheck lint` end to end: inputs, exit codes, reports, robustness on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobcheck.cli import main

GOOD_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: ok
spec:
  ttlSecondsAfterFinished: 600
  backoffLimit: 2
  activeDeadlineSeconds: 600
  template:
    spec:
      restartPolicy: Never
      securityContext: {runAsNonRoot: true, runAsUser: 1000}
      containers:
        - name: c
          image: busybox:1.36
          resources:
            requests: {cpu: 10m, memory: 16Mi}
            limits: {memory: 16Mi}
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}
"""

BAD_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: bad
spec:
  template:
    spec:
      containers:
        - name: c
          image: busybox:1.36
"""


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def lint_json(*args: str, input=None) -> tuple[int, dict]:
    result = run("lint", "--format", "json", *args, input=input)
    return result.exit_code, json.loads(result.stdout)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def test_clean_file_exits_0(tmp_path: Path) -> None:
    path = write(tmp_path, "ok.yaml", GOOD_JOB)
    code, report = lint_json(str(path), "--fail-on", "warning")
    assert [f for f in report["findings"] if f["severity"] != "info"] == []
    assert code == 0


def test_findings_exit_1_and_json_shape(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", BAD_JOB)
    code, report = lint_json(str(path))
    assert code == 1
    assert report["version"] == 1
    restart = [f for f in report["findings"] if f["rule"] == "JC103"]
    assert restart, report
    finding = restart[0]
    for key in ("rule", "name", "severity", "message", "file", "line", "column", "end_line", "end_column",
                "field", "document", "kind", "namespace", "object"):
        assert key in finding
    assert finding["field"] == "spec.template.spec.restartPolicy"
    assert (finding["line"], finding["column"]) == (7, 5)  # the template's `spec:` key: restartPolicy is missing
    assert report["summary"]["jobs"] == 1


def test_only_errors_fail_by_default_and_fail_on_warning_makes_warnings_fail(tmp_path: Path) -> None:
    path = write(tmp_path, "w.yaml", GOOD_JOB.replace("  ttlSecondsAfterFinished: 600\n", ""))
    assert run("lint", str(path), "--fail-on", "error").exit_code == 0
    assert run("lint", str(path)).exit_code == 0
    assert run("lint", str(path), "--fail-on", "warning").exit_code == 1


def test_stdin_and_list_items_keep_their_positions() -> None:
    stream = json.dumps({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}},
        {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
         "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}},
    ]}, indent=2)
    code, report = lint_json("-", "--select", "JC103", input=stream)
    assert code == 1
    [finding] = report["findings"]
    assert finding["file"] == "<stdin>"
    assert finding["field"] == "items[1].spec.template.spec.restartPolicy"
    line = stream.splitlines()[finding["line"] - 1]
    assert line.strip().startswith('"spec"')
    assert report["summary"]["skipped_objects"] == 1


def test_multi_document_streams_and_helm_sources() -> None:
    stream = "---\n# Source: chart/templates/job.yaml\n" + BAD_JOB + "---\n# Source: chart/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
    code, report = lint_json("-", "--select", "JC103", input=stream)
    assert {f["source"] for f in report["findings"]} == {"chart/templates/job.yaml"}
    assert report["summary"]["documents"] == 2


def test_directories_recurse_skip_hidden_and_honor_exclude(tmp_path: Path) -> None:
    write(tmp_path, "a/job.yaml", BAD_JOB)
    write(tmp_path, "a/job.json", json.dumps({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}}))
    write(tmp_path, "a/notes.txt", "not yaml: [")
    write(tmp_path, ".hidden/job.yaml", BAD_JOB)
    write(tmp_path, "vendor/job.yaml", BAD_JOB)
    code, report = lint_json(str(tmp_path), "--exclude", "vendor", "--select", "JC103")
    files = {Path(f["file"]).relative_to(tmp_path).as_posix() for f in report["findings"]}
    assert files == {"a/job.yaml", "a/job.json"}
    assert report["summary"]["files"] == 2


def test_kinds_other_than_job_are_counted_not_linted(tmp_path: Path) -> None:
    path = write(tmp_path, "d.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n")
    code, report = lint_json(str(path))
    assert code == 0 and report["findings"] == [] and report["summary"]["skipped_objects"] == 1


BAD_INPUTS = {
    "syntax.yaml": ("kind: Job\na: [1, 2\n", "JC001", 3),
    "duplicate.yaml": ("apiVersion: batch/v1\nkind: Job\nkind: Job\n", "JC002", 3),
    "tabs.yaml": ("kind: Job\nspec:\n\ttemplate: {}\n", "JC001", 3),
    "latin1.yaml": (b"kind: Job\nmetadata:\n  name: caf\xe9\n", "JC001", 3),
    "binary.yaml": (b"\x7fELF\x00\x00\x01 kind: Job", "JC001", 1),
    "bomb.yaml": ("kind: Job\na: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8)), "JC001", 6),
    "deep.yaml": ('{"kind": "Job", "x": ' + "[" * 10000 + "]" * 10000 + "}", "JC001", 1),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_a_finding_and_the_run_goes_on(tmp_path: Path, name: str) -> None:
    text, rule, line = BAD_INPUTS[name]
    bad = write(tmp_path, name, text)
    good = write(tmp_path, "zz-other.yaml", BAD_JOB)
    result = run("lint", "--format", "json", str(bad), str(good))
    assert "Traceback" not in result.output
    report = json.loads(result.stdout)
    mine = [f for f in report["findings"] if f["file"] == str(bad) and f["rule"] == rule]
    assert (mine[0]["rule"], mine[0]["line"]) == (rule, line), mine
    assert any(f["file"] == str(good) for f in report["findings"]), "the other file must still be linted"


def test_unreadable_paths_exit_2_and_the_run_goes_on(tmp_path: Path) -> None:
    good = write(tmp_path, "bad.yaml", BAD_JOB)
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    result = run("lint", str(tmp_path / "missing.yaml"), str(loop), str(good))
    assert result.exit_code == 2
    assert "missing.yaml" in result.stderr and "loop.yaml" in result.stderr
    assert "JC103" in result.stdout


def test_symlinked_directory_loops_do_not_trap_the_walk(tmp_path: Path) -> None:
    write(tmp_path, "d/job.yaml", BAD_JOB)
    (tmp_path / "d" / "again").symlink_to(tmp_path / "d")
    code, report = lint_json(str(tmp_path), "--select", "JC103")
    assert len(report["findings"]) == 1


def test_unreadable_file_permission(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = write(tmp_path, "secret.yaml", BAD_JOB)
    path.chmod(0)
    assert run("lint", str(path)).exit_code == 2


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, "x.yaml", BAD_JOB)
    assert run("lint", str(path), "--kubernetes-version", "1.12").exit_code == 2
    assert run("lint", str(path), "--select", "NOPE999").exit_code == 2
    assert run("lint").exit_code == 2


def test_linting_never_writes(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", BAD_JOB)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    run("lint", str(path))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_text_output_and_summary(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", BAD_JOB)
    result = run("lint", str(path), "--select", "JC103", "--no-color")
    assert f"{path}:7:5: JC103 error" in result.stdout
    assert "\x1b[" not in result.stdout
    assert "1 error" in result.stdout


def test_parallel_jobs_give_the_same_findings(tmp_path: Path) -> None:
    for i in range(6):
        write(tmp_path, f"f{i}.yaml", BAD_JOB if i % 2 else GOOD_JOB)
    _, one = lint_json(str(tmp_path), "--jobs", "1")
    _, two = lint_json(str(tmp_path), "--jobs", "2")
    assert one == two


def test_parallel_jobs_give_the_same_report_bytes(tmp_path: Path) -> None:
    # An unused suppression is reported after its document's findings and before the next
    # document's, not sorted into its line; a worker must hand findings over in that order too.
    stale = BAD_JOB.replace("  name: bad\n", "  name: bad  # jobcheck: ignore[JC999]\n")
    for i in range(4):
        write(tmp_path, f"f{i}.yaml", stale + "---\n" + BAD_JOB)
    (tmp_path / "binary.yaml").write_bytes(b"kind: Job\nmetadata: {name: \xc3\x28}\n")  # not UTF-8
    for fmt in ("json", "text"):
        one = run("lint", str(tmp_path), "--format", fmt, "--jobs", "1", "--no-color").stdout
        two = run("lint", str(tmp_path), "--format", fmt, "--jobs", "2", "--no-color").stdout
        assert "JC000" in one and "binary.yaml" in one
        assert one == two


def test_python_dash_m_and_version() -> None:
    out = subprocess.run([sys.executable, "-m", "jobcheck", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "jobcheck" in out.stdout


def test_kubernetes_version_changes_the_verdict(tmp_path: Path) -> None:
    text = GOOD_JOB.replace("  backoffLimit: 2\n", "  backoffLimit: 2\n  managedBy: example.com/queue\n")
    path = write(tmp_path, "m.yaml", text)
    _, old = lint_json(str(path), "--kubernetes-version", "1.30", "--select", "JC104")
    _, new = lint_json(str(path), "--kubernetes-version", "1.37", "--select", "JC104")
    assert [f["line"] for f in old["findings"]] == [8]
    assert new["findings"] == []


def test_show_source_on_stdin_and_streamed_reports_match_whole_renders(tmp_path: Path) -> None:
    result = run("lint", "-", "--select", "JC103", "--show-source", "--no-color", input=BAD_JOB)
    assert "7 |     spec:\n    |     ^^^^" in result.stdout
    # The streamed text/json output equals what the whole-report renderers produce.
    from jobcheck.finding import Summary
    from jobcheck.lint.engine import default_options, lint_stream
    from jobcheck.report import ReportContext, render

    path = write(tmp_path, "bad.yaml", BAD_JOB + "---\n" + GOOD_JOB)
    findings = lint_stream(path.read_text(), str(path), default_options()).findings
    summary = Summary(files=1, documents=2, jobs=2)
    for f in findings:
        summary.add(f)
    for fmt in ("text", "json"):
        streamed = run("lint", str(path), "--format", fmt, "--no-color", "-q").stdout
        assert streamed == render(fmt, findings, summary, default_options().rules, ReportContext())
