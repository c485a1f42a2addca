"""One real process per command: what a user's shell sees (exit code, no traceback on stderr),
which the in-process fuzz tests cannot see (interpreter start-up, real stdout encoding)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import harness
import pytest

EXAMPLE = harness.REPO / "examples" / "nightly-backup-cronjob.yaml"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jobcheck", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, encoding="utf-8", errors="replace")


@pytest.mark.parametrize("args", [
    ["lint", "-f", "sarif", "{file}"], ["lint", "--show-source", "{file}"], ["lint", "--diff", "{file}"],
    ["lint", "--fix", "{file}"], ["explain", "-f", "json", "{file}"], ["explain", "0 3 * * MON", "-z", "Asia/Tokyo"],
    ["dump", "{file}"],
], ids=lambda a: " ".join(a[:3]))
def test_command_in_a_process(args: list[str], tmp_path: Path) -> None:
    target = tmp_path / "m.yaml"
    shutil.copyfile(EXAMPLE, target)
    before = target.read_bytes()
    done = _run([a.replace("{file}", str(target)) for a in args], harness.REPO)
    assert done.returncode in (0, 1, 2), done.stderr
    assert "Traceback" not in done.stderr
    if "--fix" not in args:
        assert target.read_bytes() == before
    if "json" in args or "sarif" in args:
        assert harness.validate_output("json", done.stdout) is None
