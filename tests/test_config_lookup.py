"""find_config resolves symbolic links as ``Path.resolve`` does, with or without a shared memo
(which resolves each directory from its parent's real path, issue 13), and from relative paths
whose ".." follows a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jobcheck.config import CONFIG_NAMES, find_config


def _reference(start: Path) -> Path | None:
    """The lookup written plainly: resolve (as Path.resolve does, without its error on a link
    loop), then walk up the real directories."""
    here = Path(os.path.realpath(start))
    if here.is_file() or not here.exists():
        here = here.parent
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or "[tool.jobcheck]" in candidate.read_text()):
                return candidate
    return None


@pytest.fixture
def tree(tmp_path, monkeypatch):
    (tmp_path / "real" / "deep" / "er").mkdir(parents=True)
    (tmp_path / "real" / ".jobcheck.yaml").write_text("select: [JC3]\n", encoding="utf-8")
    (tmp_path / "other" / "sub").mkdir(parents=True)
    (tmp_path / "other" / "pyproject.toml").write_text("[tool.jobcheck]\nselect = ['JC2']\n", encoding="utf-8")
    (tmp_path / "other" / "sub" / "to-real").symlink_to(tmp_path / "real" / "deep")
    (tmp_path / "other" / "sub" / "rel-link").symlink_to(Path("..") / ".." / "real" / "deep" / "er")
    (tmp_path / "real" / "deep" / "er" / "job.yaml").write_text("kind: Job\n", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    monkeypatch.chdir(tmp_path / "other" / "sub")
    return tmp_path


STARTS = ["to-real", "to-real/er", "to-real/er/job.yaml", "rel-link", "rel-link/job.yaml", "to-real/..",
          "rel-link/../..", "../sub/to-real/er", ".", "..", "missing/file.yaml", "{t}/loop", "{t}/loop/x",
          "{t}/other/sub/to-real/er/job.yaml", "{t}/other/sub/rel-link/..", "/"]


@pytest.mark.parametrize("start", STARTS)
def test_the_lookup_follows_links_as_path_resolve_does(tree, start):
    path = Path(start.format(t=tree))
    expected = _reference(path)
    assert find_config(path) == expected
    memo: dict = {}
    for other in STARTS:  # a memo filled by other lookups first gives the same answer
        find_config(Path(other.format(t=tree)), memo)
    assert find_config(path, memo) == expected


def test_the_link_target_decides_which_config_applies(tree):
    # to-real lives under other/ (which has a pyproject with [tool.jobcheck]) but points into real/.
    assert find_config(Path("to-real/er/job.yaml")) == tree / "real" / ".jobcheck.yaml"
    assert os.path.realpath("to-real/..") == str(tree / "real")
    assert find_config(Path("to-real/..")) == tree / "real" / ".jobcheck.yaml"
    assert find_config(Path(".")) == tree / "other" / "pyproject.toml"


def test_a_symbolic_link_loop_is_an_unreadable_input_not_a_traceback(tree):
    # Path.resolve raised RuntimeError ("Symlink loop") out of the configuration lookup.
    from click.testing import CliRunner

    from jobcheck.cli import main

    result = CliRunner().invoke(main, ["lint", str(tree / "loop")])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "loop: Too many levels of symbolic links" in result.output
