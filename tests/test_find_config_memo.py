"""find_config with a memo shared by the calls of one run (jobcheck.cli.lint.file_options) gives
the answer it gives alone, whatever order the directories come in."""

from __future__ import annotations

import random
from pathlib import Path

from jobcheck.config import find_config


def _tree(root: Path) -> list[Path]:
    dirs = [root / p for p in ("a", "a/b", "a/b/c", "a/b/c/d", "a/x", "a/x/y", "e", "e/f", "e/f/g", "h/i")]
    for d in dirs:
        d.mkdir(parents=True, exist_ok=True)
    (root / "a" / ".jobcheck.yaml").write_text("select: [JC3]\n", encoding="utf-8")
    (root / "a" / "b" / "c" / "pyproject.toml").write_text("[tool.jobcheck]\nselect = ['JC2']\n", encoding="utf-8")
    (root / "a" / "x" / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")  # no section
    (root / "e" / "f" / ".jobcheck.yml").write_text("ignore: [JC1]\n", encoding="utf-8")
    return dirs


def test_a_shared_memo_gives_the_answers_of_separate_calls(tmp_path):
    dirs = _tree(tmp_path)
    expected = {d: find_config(d) for d in dirs}
    assert expected[tmp_path / "a/b/c/d"] == tmp_path / "a/b/c/pyproject.toml"
    assert expected[tmp_path / "a/x/y"] == tmp_path / "a/.jobcheck.yaml"  # the pyproject without [tool.jobcheck] does not count
    assert expected[tmp_path / "e/f/g"] == tmp_path / "e/f/.jobcheck.yml"
    rng = random.Random(13)
    for _ in range(60):
        order = rng.sample(dirs, len(dirs))
        memo: dict = {}
        assert {d: find_config(d, memo) for d in order} == expected
    memo = {}
    for d in reversed(dirs):  # files as well as directories start a search
        f = d / "job.yaml"
        f.write_text("kind: Job\n", encoding="utf-8")
        assert find_config(f, memo) == expected[d]
