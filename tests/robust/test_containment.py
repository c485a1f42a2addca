"""A bug of jobcheck met on one file is contained to that file: an internal-error finding
(JC006) for it, exit code 2, every other file still linted and reported, in every format, with
``--jobs 2`` and under ``--fix``/``--diff``. The bugs are injected: a check, the loader and a
fixer are made to raise."""

from __future__ import annotations

import multiprocessing
import re

import pytest
from click.testing import CliRunner

import jobcheck.fix.edits as edits
import jobcheck.lint.checks.schedule as schedule
import jobcheck.lint.engine as engine
from jobcheck.cli import main
from jobcheck.finding import Severity
from jobcheck.fix.edits import fixer_function
from jobcheck.lint.registry import python_check
from tests.robust.output_checks import FORMATS, check_output

SECRET = "hunter2-do-not-print"

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: c
              image: busybox:1.36
"""


@pytest.fixture(autouse=True)
def _contained(monkeypatch):
    """The test suite sets JOBCHECK_DEBUG to surface bugs; a real run contains them."""
    monkeypatch.delenv("JOBCHECK_DEBUG", raising=False)


@pytest.fixture
def files(tmp_path):
    """boom.yaml (where the injected bug fires) between two files that must still be reported."""
    paths = []
    for name in ("a-first", "boom", "z-last"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(CRONJOB.format(name=name))
        paths.append(str(path))
    return paths


def _clear_caches() -> None:
    python_check.cache_clear()
    fixer_function.cache_clear()


@pytest.fixture
def failing_check(monkeypatch):
    """JC306 (concurrency-allow) raises on the object named boom, with the value in the exception."""
    real = schedule.concurrency_allow

    def broken(w, params):
        if w.name == "boom":
            Severity.parse(SECRET)  # a KeyError, raised inside jobcheck, that quotes the value
        return real(w, params)

    monkeypatch.setattr(schedule, "concurrency_allow", broken)
    _clear_caches()
    yield
    monkeypatch.undo()
    _clear_caches()


def _lint(*args: str):
    return CliRunner().invoke(main, ["lint", "--no-config", *args])


def _rules_by_file(fmt: str, output: str) -> dict[str, set[str]]:
    """{file name: rule ids} read back from a report in format ``fmt``."""
    data = check_output(fmt, output)
    found: dict[str, set[str]] = {}

    def add(file: str, rule: str) -> None:
        found.setdefault(re.sub(r".*/", "", file), set()).add(rule)

    if fmt == "json":
        for f in data["findings"]:
            add(f["file"], f["rule"])
    elif fmt == "sarif":
        for r in data["runs"][0]["results"]:
            add(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"])
    elif fmt == "gitlab":
        for issue in data:
            add(issue["location"]["path"], issue["check_name"])
    elif fmt == "junit":
        for failure in data.iter("failure"):
            add(failure.text.split(":", 1)[0], failure.get("type"))
    else:
        for match in re.finditer(r"(?:file=|^)([^\s,:]+\.yaml)(?::\d+:\d+: |.*title=)(JC\d+)", output, re.M):
            add(match.group(1), match.group(2))
    return found


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failing_check_is_contained_in_every_format(files, failing_check, fmt: str, jobs: str) -> None:
    if jobs == "2" and multiprocessing.get_start_method() != "fork":
        pytest.skip("the injected bug reaches --jobs workers only when they are forked")
    result = _lint("--format", fmt, "--jobs", jobs, *files)
    assert result.exit_code == 2, result.output
    assert SECRET not in result.output + result.stderr
    found = _rules_by_file(fmt, result.stdout)
    # The failing rule is missing only where it failed; the other files keep it.
    assert "JC306" in found["a-first.yaml"] and "JC306" in found["z-last.yaml"]
    assert "JC006" not in found["a-first.yaml"] and "JC006" not in found["z-last.yaml"]
    assert "JC306" not in found["boom.yaml"] and "JC006" in found["boom.yaml"]
    # The object's other rules still ran.
    assert {"JC305", "JC307"} <= found["boom.yaml"]
    # One line on the terminal names the exception type and the rule, never its message.
    assert "boom.yaml: KeyError in rule JC306 concurrency-allow (jobcheck.finding:parse)" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_finding_names_type_rule_and_function_not_the_value(files, failing_check) -> None:
    result = _lint("--format", "json", files[1])
    (finding,) = [f for f in check_output("json", result.stdout)["findings"] if f["rule"] == "JC006"]
    assert finding["name"] == "internal-error" and finding["severity"] == "error"
    assert finding["message"].startswith(
        "internal error: KeyError in rule JC306 concurrency-allow (jobcheck.finding:parse); "
        "that rule was not checked on this object")
    assert (finding["line"], finding["kind"], finding["object"]) == (1, "CronJob", "boom")


def test_verbose_prints_the_traceback_on_stderr(files, failing_check) -> None:
    result = _lint("--verbose", "--format", "json", files[1])
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert "Traceback" not in result.stdout


def test_the_exit_code_is_2_even_when_the_rule_is_not_selected(files, failing_check) -> None:
    result = _lint("--format", "json", "--ignore", "JC006", *files)
    assert result.exit_code == 2
    assert "JC006" not in result.stdout
    assert "internal error" in result.stderr


def test_a_failing_loader_is_contained_to_its_file(files, monkeypatch) -> None:
    """The loader raises on the second document of boom.yaml: its first document is reported,
    then JC006 at the second one; the other files are linted."""
    real = engine.load_file

    def broken(handle, sources=None, **options):
        for doc in real(handle, sources, **options):
            if doc.index == 1 and "boom" in handle.name:
                raise KeyError(SECRET)
            yield doc

    monkeypatch.setattr(engine, "load_file", broken)
    with open(files[1], "a") as handle:
        handle.write("---\n" + CRONJOB.format(name="second"))
    for fmt in FORMATS:
        result = _lint("--format", fmt, *files)
        assert result.exit_code == 2, result.output
        assert SECRET not in result.output + result.stderr
        found = _rules_by_file(fmt, result.stdout)
        assert "JC306" in found["a-first.yaml"] and "JC306" in found["z-last.yaml"]
        assert {"JC306", "JC006"} <= found["boom.yaml"]
    data = check_output("json", _lint("--format", "json", files[1]).stdout)
    (bug,) = [f for f in data["findings"] if f["rule"] == "JC006"]
    assert bug["message"].startswith("internal error: KeyError in the loader or the engine")
    assert "the rest of this file was not linted" in bug["message"]
    assert data["summary"]["documents"] == 1


@pytest.mark.parametrize("mode", ["--fix", "--diff"])
def test_a_failing_fixer_leaves_the_file_unchanged(tmp_path, monkeypatch, mode: str) -> None:
    """JC201's fixer (missing ttlSecondsAfterFinished) raises on boom.yaml: that file is not
    changed and is linted as it is; the other file is fixed."""
    real = edits.fix_missing_ttl

    def broken(f, w, params):
        if w.name == "boom":
            raise IndexError(SECRET)
        return real(f, w, params)

    monkeypatch.setattr(edits, "fix_missing_ttl", broken)
    _clear_caches()
    job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {}\nspec:\n  template:\n    spec:\n" \
          "      restartPolicy: Never\n      containers: [{{name: c, image: 'busybox:1.36'}}]\n"
    boom, other = tmp_path / "boom.yaml", tmp_path / "other.yaml"
    boom.write_text(job.format("boom"))
    other.write_text(job.format("other"))
    try:
        result = _lint(mode, "--format", "json", str(boom), str(other))
    finally:
        monkeypatch.undo()
        _clear_caches()
    assert result.exit_code == 2, result.output
    assert SECRET not in result.output + result.stderr
    assert boom.read_text() == job.format("boom")
    assert "boom.yaml: IndexError in a fixer (jobcheck" in result.stderr
    if mode == "--fix":
        assert "ttlSecondsAfterFinished" in other.read_text()
        data = check_output("json", result.stdout)
        rules = {(f["file"].rsplit("/", 1)[-1], f["rule"]) for f in data["findings"]}
        assert ("boom.yaml", "JC006") in rules and ("boom.yaml", "JC201") in rules
        assert ("other.yaml", "JC201") not in rules
    else:
        assert other.read_text() == job.format("other")
        assert "+  ttlSecondsAfterFinished" in result.stdout and "boom.yaml" not in result.stdout


def test_lint_text_never_raises_on_a_failing_check(failing_check) -> None:
    from jobcheck.lint.engine import build_options, lint_stream

    result = lint_stream(CRONJOB.format(name="boom"), "boom.yaml", build_options())
    assert [e.reason for e in result.internal_errors] == [
        "KeyError in rule JC306 concurrency-allow (jobcheck.finding:parse)"]
    assert "JC006" in {f.rule for f in result.findings}


def test_a_worker_that_dies_costs_only_its_input(files, monkeypatch) -> None:
    """A check that kills its --jobs worker (as a crash in a C extension would) on boom.yaml:
    that input is an internal error, the others are linted and reported."""
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the injected bug reaches --jobs workers only when they are forked")
    import os

    real = schedule.concurrency_allow

    def dies(w, params):
        if w.name == "boom":
            os._exit(3)
        return real(w, params)

    monkeypatch.setattr(schedule, "concurrency_allow", dies)
    _clear_caches()
    try:
        result = _lint("--format", "json", "--jobs", "2", *files)
    finally:
        monkeypatch.undo()
        _clear_caches()
    assert result.exit_code == 2, result.output
    found = _rules_by_file("json", result.stdout)
    assert "JC306" in found["a-first.yaml"] and "JC306" in found["z-last.yaml"]
    assert found["boom.yaml"] == {"JC006"}
    assert "boom.yaml: BrokenProcessPool in a worker process" in result.stderr
