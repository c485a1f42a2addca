"""``--jobs N``: batches balanced by size, largest first, outcomes back in input order, so the
report's bytes are those of ``--jobs 1``; ``--jobs 0``/``auto`` take the CPUs the process may use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobcheck.cli import main
from jobcheck.cli.lint import available_cpus
from jobcheck.discover import Target
from jobcheck.report import REPORTERS
from jobcheck.run import FIXED_COST, _batches

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "tests" / "rules"

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: job-{n}
spec:
  template:
    spec:
      containers:
        - name: c
          image: busybox:1.36
"""


def _lint(*args: str):
    return CliRunner().invoke(main, ["lint", "--no-color", "--no-cache", *args], catch_exceptions=False)


def _targets(tmp_path: Path, sizes: list[int]) -> list[Target]:
    targets = []
    for n, size in enumerate(sizes):
        path = tmp_path / f"f{n:03}.yaml"
        path.write_bytes(b"x" * size)
        targets.append(Target(str(path)))
    return targets


def test_batches_hold_every_input_once_the_large_first(tmp_path: Path) -> None:
    sizes = [100] * 60 + [400_000] + [100] * 30 + [900_000, 50_000] + [100] * 10
    targets = _targets(tmp_path, sizes)
    batches = _batches(targets, 2)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(targets)))
    weights = [sum(sizes[i] + FIXED_COST for i in batch) for batch in batches]
    budget = sum(size + FIXED_COST for size in sizes) // 64
    # The files larger than a batch go first, alone, largest first.
    large = [i for i, size in enumerate(sizes) if size + FIXED_COST >= budget]
    assert [batch for batch in batches[: len(large)]] == [[i] for i in sorted(large, key=lambda i: -sizes[i])]
    # The small ones follow in input order, in batches of at most the budget.
    rest = batches[len(large):]
    assert [i for batch in rest for i in batch] == sorted(set(range(len(targets))) - set(large))
    assert all(weight <= budget for weight in weights[len(large):])
    assert len(rest) > 2  # more batches than workers: an idle worker takes the next one


def test_batches_of_unreadable_inputs_and_one_input(tmp_path: Path) -> None:
    targets = [Target(str(tmp_path / "missing.yaml")), Target("-"), Target("x", error="no such file")]
    assert sorted(i for batch in _batches(targets, 2) for i in batch) == [0, 1, 2]
    assert _batches(targets[:1], 8) == [[0]]


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """Files of very different sizes (the largest last in input order), suppressions used and not,
    a file that is not text, one that is not a manifest, and a directory named like a manifest."""
    root = tmp_path / "mixed"
    root.mkdir()
    for rule in ("unused-suppression", "day-or-semantics", "secret-literal-in-env"):
        for fixture in sorted((RULES / rule).glob("*.yaml")):
            (root / f"a-{rule}-{fixture.name}").write_bytes(fixture.read_bytes())
    for n in range(40):
        (root / f"m-{n:02}.yaml").write_text(JOB.format(n=n))
    (root / "n-binary.yaml").write_bytes(b"kind: Job\n\xff\xfe\x00")
    (root / "n-notes.yaml").write_text("just: a mapping\n")
    (root / "z-large.yaml").write_text("---\n".join(JOB.format(n=n) for n in range(400)))
    return root


@pytest.mark.parametrize("fmt", list(REPORTERS))
def test_jobs_2_gives_the_bytes_of_jobs_1(mixed: Path, fmt: str) -> None:
    one = _lint("--format", fmt, "--jobs", "1", str(mixed))
    two = _lint("--format", fmt, "--jobs", "2", str(mixed))
    assert one.stdout and "JC000" in one.stdout or fmt in ("junit", "sarif", "gitlab", "github")
    assert (two.stdout, two.stderr, two.exit_code) == (one.stdout, one.stderr, one.exit_code)


def test_jobs_2_keeps_input_order_with_show_source_and_verbose(mixed: Path) -> None:
    args = ("--show-source", "--verbose", str(mixed / "z-large.yaml"), str(mixed))
    one = _lint("--jobs", "1", *args)
    two = _lint("--jobs", "3", *args)
    assert (two.stdout, two.stderr) == (one.stdout, one.stderr)
    assert one.stdout.index("z-large.yaml") < one.stdout.index("a-unused")


@pytest.mark.parametrize("jobs", ["0", "auto", "AUTO"])
def test_jobs_auto_uses_the_available_cpus(mixed: Path, jobs: str) -> None:
    one = _lint("--format", "json", "--jobs", "1", str(mixed))
    auto = _lint("--format", "json", "--jobs", jobs, str(mixed))
    assert (auto.stdout, auto.exit_code) == (one.stdout, one.exit_code)


@pytest.mark.parametrize("jobs", ["-1", "65", "two", ""])
def test_a_bad_jobs_value_is_a_usage_error(mixed: Path, jobs: str) -> None:
    result = _lint("--jobs", jobs, str(mixed))
    assert result.exit_code == 2
    assert "--jobs" in result.output or "jobs" in result.output.lower()


def test_available_cpus_is_the_affinity() -> None:
    if hasattr(os, "sched_getaffinity"):
        assert available_cpus() == len(os.sched_getaffinity(0))
    else:
        assert available_cpus() == (os.cpu_count() or 1)
