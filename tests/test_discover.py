"""Directory walks leave out what is not the user's (issue 11, part 3); explicit files never are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobcheck.cli import main
from jobcheck.discover import _listings, expand

JOB = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n"


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def walked(root: Path, *paths: str, **kwargs) -> set[str]:
    heard: list[tuple[str, str]] = []
    found = {Path(t.path).relative_to(root).as_posix()
             for t in expand([str(root / p) for p in paths or ("",)], skipped=lambda p, why: heard.append((p, why)),
                             **kwargs)}
    walked.heard = heard  # type: ignore[attr-defined]
    return found


@pytest.mark.parametrize("directory", [".git", "node_modules", "vendor", ".venv", "venv", "build", "dist",
                                       "sub/node_modules", "env-with-any-name"])
def test_walks_skip_what_is_not_the_users(tmp_path: Path, directory: str) -> None:
    tree(tmp_path, {"job.yaml": JOB, f"{directory}/job.yaml": JOB})
    if directory == "env-with-any-name":
        (tmp_path / directory / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert walked(tmp_path) == {"job.yaml"}
    if not directory.startswith("."):  # hidden directories are left out without a word, as before
        assert [why for _, why in walked.heard] == ["excluded by default (use --no-default-excludes to include it)"]
    included = walked(tmp_path, default_excludes=False)
    assert included == {"job.yaml"} | ({f"{directory}/job.yaml"} if not directory.startswith(".") else set())


def test_a_virtualenv_is_told_from_its_own_listing_and_its_parent_stats_nothing(tmp_path: Path, monkeypatch) -> None:
    """A folder the walk enters is known as a virtualenv by its listing: no stat of a pyvenv.cfg
    per folder from its parent (a repository of thousands of folders paid one each)."""
    tree(tmp_path, {"a/job.yaml": JOB, "b/c/job.yaml": JOB, "env/job.yaml": JOB, "env/sub/job.yaml": JOB,
                    "env/pyvenv.cfg": "home = /usr/bin\n"})
    looked: list[str] = []
    isfile = os.path.isfile
    monkeypatch.setattr(os.path, "isfile", lambda p: looked.append(p) or isfile(p))
    assert walked(tmp_path) == {"a/job.yaml", "b/c/job.yaml"}
    assert walked.heard == [(str(tmp_path / "env"), "excluded by default (use --no-default-excludes to include it)")]
    assert not [p for p in looked if p.endswith("pyvenv.cfg")]
    assert walked(tmp_path, default_excludes=False) == {"a/job.yaml", "b/c/job.yaml", "env/job.yaml", "env/sub/job.yaml"}


@pytest.mark.parametrize("how", ["symbolic link", "ignored by .gitignore"])
def test_a_virtualenv_the_walk_does_not_enter_is_still_told_as_one(tmp_path: Path, how: str) -> None:
    """Its parent looks for its pyvenv.cfg: the reason is the same as for one the walk reaches."""
    tree(tmp_path / "elsewhere", {"pyvenv.cfg": "home = /usr/bin\n", "job.yaml": JOB})
    tree(tmp_path / "repo", {"job.yaml": JOB})
    if how == "symbolic link":
        (tmp_path / "repo" / "env").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    else:
        tree(tmp_path / "repo", {".gitignore": "env/\n", "env/pyvenv.cfg": "", "env/job.yaml": JOB})
    assert walked(tmp_path / "repo") == {"job.yaml"}
    assert walked.heard == [(str(tmp_path / "repo" / "env"),
                             "excluded by default (use --no-default-excludes to include it)")]


def test_gitignore_is_respected_with_nesting_and_negation(tmp_path: Path) -> None:
    tree(tmp_path, {
        ".gitignore": "generated/\n*.out.yaml\n",
        "job.yaml": JOB, "generated/job.yaml": JOB, "a.out.yaml": JOB,
        "app/.gitignore": "!keep.out.yaml\nlocal.yaml\n",
        "app/keep.out.yaml": JOB, "app/drop.out.yaml": JOB, "app/local.yaml": JOB, "local.yaml": JOB,
    })
    assert walked(tmp_path) == {"job.yaml", "app/keep.out.yaml", "local.yaml"}
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p, _ in walked.heard) == [
        "a.out.yaml", "app/drop.out.yaml", "app/local.yaml", "generated"]
    assert len(walked(tmp_path, respect_gitignore=False)) == 7


def test_the_repository_root_gitignore_applies_below_it(tmp_path: Path) -> None:
    tree(tmp_path, {".git/info/exclude": "scratch.yaml\n", ".gitignore": "*.gen.yaml\n",
                    "deploy/a.gen.yaml": JOB, "deploy/job.yaml": JOB, "deploy/scratch.yaml": JOB})
    assert walked(tmp_path, "deploy") == {"deploy/job.yaml"}


def test_outside_a_repository_only_gitignores_under_the_root_count(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "*.yaml\n", "deploy/job.yaml": JOB})
    assert walked(tmp_path, "deploy") == {"deploy/job.yaml"}


def test_a_directory_named_explicitly_is_walked_even_if_ignored(tmp_path: Path) -> None:
    tree(tmp_path, {".git/HEAD": "", ".gitignore": "rendered/\n", "rendered/job.yaml": JOB})
    assert walked(tmp_path) == set()
    assert walked(tmp_path, "rendered") == {"rendered/job.yaml"}


def test_explicit_files_are_always_linted(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "*.yaml\n", "node_modules/job.yaml": JOB, "job.yaml": JOB})
    assert walked(tmp_path, "job.yaml", "node_modules/job.yaml") == {"job.yaml", "node_modules/job.yaml"}


def test_cli_flags_and_verbose(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "out/\n", "out/job.yaml": JOB, "dist/job.yaml": JOB, "job.yaml": JOB})

    def files(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, ["lint", "--no-config", "--select", "JC001", *args, str(tmp_path)])
        return int(result.stdout.split("Checked ")[1].split()[0]), result.stderr

    assert files()[0] == 1
    assert files("--no-respect-gitignore")[0] == 2
    assert files("--no-default-excludes")[0] == 2
    assert files("--no-respect-gitignore", "--no-default-excludes")[0] == 3
    stderr = files("--verbose")[1]
    assert f"{tmp_path / 'out'}: skipped: ignored by .gitignore" in stderr
    assert f"{tmp_path / 'dist'}: skipped: excluded by default" in stderr


def _odd_tree(root: Path) -> None:
    """Folders, links to folders (in and out of the tree), to files, dangling, and a FIFO."""
    for folder in ("a/b/c", "a/d", "e", "f/g/h"):
        (root / folder).mkdir(parents=True)
    for name in ("a/x.yaml", "a/b/y.yml", "a/b/c/z.json", "e/w.yaml", "f/g/h/v.yaml", "top.yaml"):
        (root / name).write_text("kind: Job\n")
    (root / "a" / "to-e").symlink_to(root / "e")  # listed, never entered
    (root / "a" / "to-file.yaml").symlink_to(root / "e" / "w.yaml")
    (root / "a" / "dangling.yaml").symlink_to(root / "missing.yaml")
    (root / "e" / "out.yaml").symlink_to(root.parent / "outside.yaml")
    (root.parent / "outside.yaml").write_text("kind: Job\n")
    os.mkfifo(root / "f" / "pipe.yaml")


def test_the_walk_lists_what_os_walk_lists_in_its_order(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    _odd_tree(root)
    for narrow, top in ((False, str(root)), (True, str(root)), (False, str(root) + os.sep)):
        ours, theirs = [], []
        errors: list[OSError] = []
        for walk, out in ((_listings(top, errors.append), ours), (((*t, None) for t in os.walk(top)), theirs)):
            for directory, dirnames, filenames, _ in walk:
                out.append((directory, list(dirnames), filenames))
                if narrow:  # the caller narrows and orders the folders to enter, as expand does
                    dirnames[:] = sorted(d for d in dirnames if d != "b")
        assert ours == theirs and len(ours) >= 6 and not errors


def test_a_walk_takes_regular_files_and_links_inside_the_tree_and_tells_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    _odd_tree(root)
    told: list[tuple[str, str]] = []
    found = [t.path for t in expand([str(root)], notice=lambda path, why: told.append((path, why)))]
    rel = [os.path.relpath(p, root) for p in found]
    assert rel == ["top.yaml", "a/dangling.yaml", "a/to-file.yaml", "a/x.yaml", "a/b/y.yml", "a/b/c/z.json",
                   "e/w.yaml", "f/g/h/v.yaml"]
    assert sorted((os.path.relpath(p, root), why.split(";")[0]) for p, why in told) == [
        ("e/out.yaml", "a symbolic link to a file outside the linted directory"),
        ("f/pipe.yaml", "not a regular file (a FIFO, socket or device)")]
    # Only what the listing shows as a regular file is opened without a stat (links are looked at).
    regular = [os.path.relpath(t.path, root) for t in expand([str(root)]) if t.regular]
    assert regular == [p for p in rel if p not in ("a/dangling.yaml", "a/to-file.yaml")]
    assert not next(iter(expand([str(root / "top.yaml")]))).regular  # named: the driver looks
