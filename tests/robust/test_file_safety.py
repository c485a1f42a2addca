"""--fix respects the file it rewrites, walks stay in their tree, and the report never lands
on an input: permissions, owner, hard links, symlinks, FIFOs, concurrent changes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading

import pytest

from jobcheck.cli.lint import LintRequest
from jobcheck.cli.lint import lint_command as run_lint
from jobcheck.discover import expand
from jobcheck.fix import files

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: registry.example.com/migrate:2.3.0
"""
FIXED = JOB.replace("spec:\n  template:", "spec:\n  ttlSecondsAfterFinished: 86400\n  template:")
SECRET = "-----BEGIN PRIVATE KEY----- not-a-manifest"


def request(*paths: str, **kw) -> LintRequest:
    kw.setdefault("select", ("JC201",))
    kw.setdefault("fail_on", "warning")  # JC201 is a warning: exit 1 tells that it was found
    return LintRequest(paths=paths, no_config=True, **kw)


@pytest.fixture
def job(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text(JOB)
    return path


def test_the_fixture_is_fixable(job):
    assert run_lint(request(str(job), fix=True)) == 0
    assert job.read_text() == FIXED


def test_a_read_only_file_is_not_rewritten(job, capsys):
    os.chmod(job, 0o444)
    assert run_lint(request(str(job), fix=True)) == 2
    assert job.read_text() == JOB
    assert stat.S_IMODE(job.stat().st_mode) == 0o444
    assert "job.yaml: not fixed: is not writable by its permissions" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_owner_group_and_mode_are_kept(job):
    os.chown(job, 1234, 2345)
    os.chmod(job, 0o640)
    assert run_lint(request(str(job), fix=True)) == 0
    info = job.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 2345, 0o640)
    assert job.read_text() == FIXED


def test_an_owner_that_cannot_be_kept_refuses_the_write(job, monkeypatch, capsys):
    def no_chown(*_args):
        raise PermissionError(1, "Operation not permitted")

    real_fstat = os.fstat
    monkeypatch.setattr(files.os, "fchown", no_chown)
    # The temporary file appears to belong to someone else, as it does for a user fixing a
    # group-writable file owned by a colleague.
    monkeypatch.setattr(files.os, "fstat", lambda fd: os.stat_result(
        (*real_fstat(fd)[:4], real_fstat(fd).st_uid + 1, *real_fstat(fd)[5:])))
    assert run_lint(request(str(job), fix=True)) == 2
    assert job.read_text() == JOB
    assert "owner or group could not be kept" in capsys.readouterr().err
    assert sorted(os.listdir(job.parent)) == ["job.yaml"]


def test_a_hard_linked_file_is_left_alone(job, tmp_path, capsys):
    other = tmp_path / "other.yaml"
    os.link(job, other)
    assert run_lint(request(str(job), fix=True)) == 2
    assert job.read_text() == other.read_text() == JOB
    assert job.stat().st_nlink == 2 and os.path.samefile(job, other)
    assert "has 2 hard links" in capsys.readouterr().err


def test_an_explicit_symlink_is_not_written_through(job, tmp_path, capsys):
    link = tmp_path / "link.yaml"
    link.symlink_to(job)
    assert run_lint(request(str(link), fix=True)) == 2
    assert link.is_symlink() and job.read_text() == JOB
    assert "is a symbolic link" in capsys.readouterr().err


def test_a_file_replaced_meanwhile_is_not_clobbered(job):
    raw = job.read_bytes()
    job.write_text(JOB + "# someone else's edit\n")
    with pytest.raises(files.ChangedOnDisk):
        files.write_atomic(str(job), raw, FIXED.encode())
    assert job.read_text() == JOB + "# someone else's edit\n"
    assert sorted(os.listdir(job.parent)) == ["job.yaml"]


def test_special_files_are_refused_by_the_writer(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(files.Refused, match="not a regular file"):
        files.write_atomic(str(fifo), b"", b"x")


@pytest.fixture
def tree(tmp_path):
    """tree/ with a manifest, a symlink out of the tree to a secret, a symlink inside the tree
    and a FIFO named like a manifest; outside/ holds the secret and a fixable manifest."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "key.yaml").write_text(SECRET + "\n")
    (tmp_path / "outside" / "job.yaml").write_text(JOB)
    root = tmp_path / "tree"
    root.mkdir()
    (root / "a.yaml").write_text(JOB)
    (root / "key.yaml").symlink_to(tmp_path / "outside" / "key.yaml")
    (root / "far.yaml").symlink_to(tmp_path / "outside" / "job.yaml")
    (root / "sub").mkdir()
    (root / "sub" / "near.yaml").symlink_to(root / "a.yaml")
    os.mkfifo(root / "pipe.yaml")
    return root


def test_a_walk_stays_in_its_tree_and_skips_special_files(tree):
    told: list[tuple[str, str]] = []
    found = [t.path for t in expand([str(tree)], notice=lambda path, why: told.append((path, why)))]
    assert found == [str(tree / "a.yaml"), str(tree / "sub" / "near.yaml")]
    reasons = dict(told)
    assert "outside the linted directory" in reasons[str(tree / "key.yaml")]
    assert "outside the linted directory" in reasons[str(tree / "far.yaml")]
    assert "not a regular file" in reasons[str(tree / "pipe.yaml")]


def test_a_walk_with_a_fifo_finishes_and_never_shows_files_outside(tree):
    # In a subprocess with a timeout: before the fix this run blocked forever on the FIFO.
    run = subprocess.run([sys.executable, "-m", "jobcheck", "lint", str(tree), "--show-source", "--no-config",
                          "--fail-on", "warning"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "not-a-manifest" not in run.stdout + run.stderr
    assert "pipe.yaml: skipped: not a regular file" in run.stderr
    assert "key.yaml: skipped: a symbolic link to a file outside" in run.stderr


def test_fix_on_a_directory_never_writes_outside_it(tree):
    # sub/near.yaml, the symlink inside the tree, is linted after a.yaml was fixed: nothing to write
    assert run_lint(request(str(tree), fix=True)) == 0
    assert (tree.parent / "outside" / "job.yaml").read_text() == JOB
    assert (tree / "a.yaml").read_text() == FIXED
    assert (tree / "sub" / "near.yaml").is_symlink()


def test_an_explicit_fifo_is_read_like_standard_input(tmp_path, capsys):
    fifo = tmp_path / "in.yaml"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_text, args=(JOB,))
    writer.start()
    try:
        code = run_lint(request(str(fifo), show_source=True))
    finally:
        writer.join(timeout=30)
    assert code == 1
    out = capsys.readouterr().out
    assert f"{fifo}:5:1: JC201" in out and "  5 | spec:" in out


@pytest.mark.parametrize("how", ["same name", "hard link", "symlink"])
def test_the_report_never_overwrites_an_input(job, tmp_path, capsys, how):
    output = job
    if how == "hard link":
        output = tmp_path / "report.txt"
        os.link(job, output)
    elif how == "symlink":
        output = tmp_path / "report.txt"
        output.symlink_to(job)
    assert run_lint(request(str(job), output=str(output))) == 2
    assert job.read_text() == JOB
    assert "is one of the inputs" in capsys.readouterr().err


def test_the_report_may_not_overwrite_a_file_in_a_linted_directory(tree, capsys):
    assert run_lint(request(str(tree), output=str(tree / "a.yaml"))) == 2
    assert (tree / "a.yaml").read_text() == JOB


def test_a_new_report_file_is_fine(job, tmp_path):
    report = tmp_path / "report.txt"
    assert run_lint(request(str(job), output=str(report))) == 1
    assert "JC201" in report.read_text()
