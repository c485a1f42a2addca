"""The published pre-commit hook, run the way a user's repository runs it.

``pre-commit try-repo`` clones this repository (its HEAD plus tracked, modified files),
installs it into a fresh virtualenv with pip, and runs the ``jobcheck`` hook from
``.pre-commit-hooks.yaml`` on the files given. It needs git, pre-commit, and pip
access to the build backend and dependencies (an index or a warm pip cache).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[1]

# A Job whose pod template has no restartPolicy: it defaults to Always, which the API server rejects for Jobs.
FAILING = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  namespace: ops
spec:
  ttlSecondsAfterFinished: 86400
  activeDeadlineSeconds: 600
  backoffLimit: 2
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
      containers:
        - name: migrate
          image: registry.example.com/migrate:2.3.0
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 128Mi}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
"""

PASSING = FAILING.replace(
    "    spec:\n      securityContext:", "    spec:\n      restartPolicy: Never\n      securityContext:"
)


def _missing_tools() -> str | None:
    if shutil.which("git") is None:
        return "git is not installed"
    if importlib.util.find_spec("pre_commit") is None:
        return "pre-commit is not installed"
    if not (REPO_ROOT / ".git").exists():
        return "not running from a git checkout"
    return None


@pytest.fixture(scope="module")
def user_repo(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    reason = _missing_tools()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("precommit")
    repo = root / "user-repo"
    repo.mkdir()
    (repo / "failing-job.yaml").write_text(FAILING, encoding="utf-8")
    (repo / "passing-job.yaml").write_text(PASSING, encoding="utf-8")
    env = {
        **os.environ,
        # Keep pre-commit's clones and virtualenvs out of the user's cache.
        "PRE_COMMIT_HOME": str(root / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "NO_COLOR": "1",
    }
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    subprocess.run(["git", "init", "-q", "."], cwd=repo, env=env, check=True)
    subprocess.run(["git", "add", "."], cwd=repo, env=env, check=True)
    return repo, env


def try_repo(repo: Path, env: dict[str, str], filename: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO_ROOT), "jobcheck", "--files", filename],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_hook_fails_on_a_job_without_restart_policy(user_repo):
    repo, env = user_repo
    proc = try_repo(repo, env, "failing-job.yaml")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "Traceback" not in output, output  # an uncaught exception also exits 1
    assert "- hook id: jobcheck" in output
    assert "- exit code: 1" in output, output  # jobcheck's "findings" code, not a crash (2)
    assert "failing-job.yaml:" in output
    assert "restartPolicy" in output


def test_hook_passes_a_clean_job(user_repo):
    repo, env = user_repo
    proc = try_repo(repo, env, "passing-job.yaml")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output
    assert "Passed" in output
