"""Every report format stays bounded in memory on a long stream: the whole-run formats (SARIF,
GitLab, GitHub, JUnit) write from a spill file, not from a list of every finding (which took
about 11 KB per finding in SARIF: 1.25 GB for a 5 MB stream). Each format runs in its own
process; its peak resident set comes from ``getrusage(RUSAGE_CHILDREN)`` of a wrapper that
waits for that one process. The full-size check is ``bench/bigstream.py`` (docs/limits.md)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")
# A 0.6 MB stream has about 13,000 findings; the interpreter with jobcheck loaded takes about
# 35 MB. Collecting the findings took over 150 MB in SARIF; streaming stays near the start.
STREAM_MB = 0.6
BOUND_MB = 100

_MEASURE = """\
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


@pytest.fixture(scope="module")
def stream(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("bigstream", REPO / "bench" / "bigstream.py")
    bigstream = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bigstream)
    path = tmp_path_factory.mktemp("memory") / "stream.yaml"
    with open(path, "w", encoding="utf-8") as out:
        bigstream.stream(int(STREAM_MB * 1_000_000), out)
    return path


def _peak_mb(*args: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != "JOBCHECK_DEBUG"}
    result = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "jobcheck", *args],
                            capture_output=True, text=True, env=env, timeout=300, check=True)
    kilobytes = int(result.stdout.strip())
    return kilobytes / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes on macOS


@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX")
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_long_stream_stays_bounded_in_every_format(stream: Path, fmt: str) -> None:
    peak = _peak_mb("lint", "--no-config", "-q", "--format", fmt, str(stream))
    assert peak < BOUND_MB, f"{fmt}: {peak:.0f} MB for a {STREAM_MB} MB stream"
