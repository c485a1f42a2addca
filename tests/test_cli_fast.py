"""The click-free path of ``jobcheck lint`` (jobcheck.cli.fast, issue 13) gives what click gives.

Each command line is parsed both ways: the fast parser's request must equal the one click builds,
or the fast parser must leave the line to click (None). End to end, the program run with the fast
path (``python -m jobcheck``) and with click alone prints the same bytes and exits the same.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from jobcheck.cli import fast, lintcmd
from jobcheck.cli import main as click_main
from jobcheck.cli.lint import make_request

ACCEPTED = [
    ["lint", "a.yaml"],
    ["lint", "a.yaml", "b.yml", "-"],
    ["lint", "-q", "a.yaml", "--no-cache"],
    ["lint", "--format", "json", "a.yaml"],
    ["lint", "--format=sarif", "a.yaml", "-f", "github"],
    ["lint", "-f", "junit", "--jobs", "2", "a.yaml"],
    ["lint", "-j", "auto", "a.yaml"],
    ["lint", "--jobs=0", "a.yaml"],
    ["lint", "--jobs", " 64 ", "a.yaml"],
    ["lint", "--select", "JC3,JC201", "--select=JC4", "--ignore", "JC1", "--extend-select", "JC9", "a.yaml"],
    ["lint", "--select=-x", "a.yaml"],
    ["lint", "--select=", "a.yaml"],
    ["lint", "--exclude", "*.tmpl.yaml", "--exclude=vendor/*", "dir"],
    ["lint", "-k", "1.30", "--kubernetes-version=1.29", "a.yaml"],
    ["lint", "--fail-on", "warning", "a.yaml"],
    ["lint", "--fail-on=never", "a.yaml"],
    ["lint", "--strict", "--no-strict", "a.yaml"],
    ["lint", "--no-strict", "--strict", "a.yaml"],
    ["lint", "--color", "a.yaml"],
    ["lint", "--no-color", "--show-source", "a.yaml"],
    ["lint", "--fix", "--unsafe-fixes", "a.yaml"],
    ["lint", "--diff", "a.yaml"],
    ["lint", "--no-config", "--no-respect-gitignore", "--no-default-excludes", "a.yaml"],
    ["lint", "--respect-gitignore", "--default-excludes", "-v", "--verbose", "a.yaml"],
    ["lint", "--stdin-filename", "job.yaml", "-"],
    ["lint", "", "a.yaml"],
    ["lint", "lint"],
    ["lint", "a.yaml", "--quiet", "--quiet"],
]

REJECTED = [
    [], ["lint"], ["lint", "-q"], ["--version"], ["-h"], ["lint", "--help"], ["lint", "-h", "a.yaml"],
    ["rules"], ["explain", "0 2 * * *"], ["lint", "--", "-a.yaml"], ["lint", "-qv", "a.yaml"],
    ["lint", "-fjson", "a.yaml"], ["lint", "--format", "xml", "a.yaml"], ["lint", "--format"],
    ["lint", "a.yaml", "--format"], ["lint", "--format", "--quiet", "a.yaml"], ["lint", "--quiet=1", "a.yaml"],
    ["lint", "--jobs", "65", "a.yaml"], ["lint", "--jobs", "two", "a.yaml"], ["lint", "--jobs=", "a.yaml"],
    ["lint", "--fail-on", "fatal", "a.yaml"], ["lint", "-o", "out.json", "a.yaml"],
    ["lint", "--config", "c.yaml", "a.yaml"], ["lint", "--rules-dir", "rules", "a.yaml"],
    ["lint", "--formats", "json", "a.yaml"], ["lint", "--no-quiet", "a.yaml"], ["lint", "-k=1.30", "a.yaml"],
    ["lint", "-x", "a.yaml"], ["lint", "--select"], ["LINT", "a.yaml"],
]


def _click_request(argv, monkeypatch):
    seen = []
    monkeypatch.setattr(lintcmd, "lint_command", lambda request: seen.append(request) or 0)
    with pytest.raises(SystemExit) as exc:
        click_main.main(argv, prog_name="jobcheck", standalone_mode=True)
    return seen, exc.value.code


@pytest.mark.parametrize("argv", ACCEPTED, ids=" ".join)
def test_the_fast_parser_builds_the_request_click_builds(argv, monkeypatch):
    values = fast.parse(argv)
    assert values is not None
    seen, code = _click_request(argv, monkeypatch)
    assert code == 0 and len(seen) == 1
    assert make_request(**values) == seen[0]


@pytest.mark.parametrize("argv", REJECTED, ids=lambda a: " ".join(a) or "(none)")
def test_other_command_lines_are_left_to_click(argv):
    assert fast.parse(argv) is None


def test_shell_completion_is_left_to_click(monkeypatch):
    monkeypatch.setenv("_JOBCHECK_COMPLETE", "bash_source")
    assert fast.parse(["lint", "a.yaml"]) is None


GOOD = """\
apiVersion: batch/v1
kind: Job
metadata: {name: ok}
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 60
  ttlSecondsAfterFinished: 60
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: registry.example.com/c:1.0
"""
BAD = GOOD.replace("restartPolicy: Never", "restartPolicy: Always").replace("backoffLimit", "backofLimit")
CLICK_ONLY = "import sys; from jobcheck.cli import main; main(prog_name='jobcheck')"

END_TO_END = [
    ["lint", "good.yaml"],
    ["lint", "bad.yaml", "good.yaml"],
    ["lint", "--format", "json", "bad.yaml"],
    ["lint", "-q", "--format=sarif", "bad.yaml"],
    ["lint", "--no-cache", "--jobs", "2", "bad.yaml", "good.yaml"],
    ["lint", "--fail-on", "never", "--color", "bad.yaml"],
    ["lint", "--select", "JC9999", "bad.yaml"],
    ["lint", "missing.yaml"],
    ["lint", "-", "--stdin-filename", "in.yaml"],
    ["lint", "--diff", "bad.yaml"],
    ["lint", "--format", "xml", "bad.yaml"],
    ["lint", "--jobs", "99", "bad.yaml"],
    ["lint", "-k", "1.2", "bad.yaml"],
    ["lint"],
]


@pytest.mark.parametrize("argv", END_TO_END, ids=lambda a: " ".join(a))
def test_the_program_prints_and_exits_as_click_does(argv, tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    env = dict(os.environ, JOBCHECK_CACHE_DIR=str(tmp_path / "cache"), NO_COLOR="")
    env.pop("NO_COLOR")
    runs = []
    for command in ([sys.executable, "-m", "jobcheck", *argv], [sys.executable, "-c", CLICK_ONLY, *argv]):
        proc = subprocess.run(command, input=BAD.encode(), capture_output=True, cwd=tmp_path, env=env, check=False)
        runs.append((proc.returncode, proc.stdout, proc.stderr.replace(b"python -m jobcheck", b"jobcheck")))
    assert b"Traceback" not in runs[0][2]
    assert runs[0] == runs[1]
