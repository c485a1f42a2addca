"""find_config with a memo shared by the calls of one run (jobcheck.cli.lint.file_options) gives
the answer it gives alone, whatever order the directories come in."""

from __future__ import annotations

import functools
import os
import random
from pathlib import Path

from jobcheck.config import find_config, note_listing
from jobcheck.discover import expand


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


def test_a_memo_told_what_a_walk_listed_gives_the_same_answers_and_looks_only_at_listed_names(tmp_path, monkeypatch):
    """``jobcheck lint`` walks directories, then looks up each one's nearest config: told what the
    walk listed (config.note_listing), find_config checks only the config names a folder holds."""
    root = tmp_path / "repo"
    dirs = _tree(root)
    (root / "e" / ".jobcheck.yaml").mkdir()  # a directory of that name is no config
    (root / "h" / ".jobcheck.yml").symlink_to(root / "missing.yaml")  # a dangling link is none either
    (root / "h" / "i" / "pyproject.toml").symlink_to(root / "a" / "b" / "c" / "pyproject.toml")  # a link to one is
    link = tmp_path / "link"
    link.symlink_to(root)  # a walk may start from a symbolic link: the memo holds real paths
    expected = {d.relative_to(root): find_config(d) for d in dirs}
    assert expected[Path("h/i")] == root / "h" / "i" / "pyproject.toml" and expected[Path("e")] is None
    listed = {root / rel for rel in ("a/.jobcheck.yaml", "a/b/c/pyproject.toml", "a/x/pyproject.toml",
                                     "e/f/.jobcheck.yml", "h/.jobcheck.yml", "h/i/pyproject.toml")}
    for start in (root, link):
        memo: dict = {}
        list(expand([str(start)], listed=functools.partial(note_listing, memo)))
        looked: list[str] = []
        isfile = os.path.isfile
        monkeypatch.setattr(os.path, "isfile", lambda p, looked=looked, isfile=isfile: looked.append(p) or isfile(p))
        assert {rel: find_config(start / rel, memo) for rel in expected} == expected
        monkeypatch.undo()
        inside = {Path(p) for p in looked if Path(p).is_relative_to(root)}
        assert inside <= listed and root / "a" / ".jobcheck.yaml" in inside
