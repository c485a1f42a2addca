"""--fix, --diff and --unsafe-fixes end to end: run_lint and the click CLI."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner
from test_fixers import CRON_2SPACE, JOB_4SPACE

from jobcheck.cli import main
from jobcheck.cli.lint import LintRequest
from jobcheck.cli.lint import lint_command as run_lint
from jobcheck.fix import transform as fix_module
from jobcheck.fix.transform import unified_diff

ONLY = ("JC003", "JC103", "JC201", "JC305", "JC306", "JC307", "JC602")


def request(*paths: str, **kw) -> LintRequest:
    kw.setdefault("select", ONLY)
    kw.setdefault("fail_on", "info")  # what is left unfixed (JC602) is info
    return LintRequest(paths=paths, no_config=True, **kw)


@pytest.fixture
def job(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_bytes(JOB_4SPACE.encode())
    return path


JOB_FIXED_SAFE = JOB_4SPACE.replace("spec:\n    # retries", "spec:\n    ttlSecondsAfterFinished: 86400\n    # retries")


def test_fix_writes_safe_fixes_and_reports_what_is_left(job, capsys):
    assert run_lint(request(str(job), fix=True)) == 1  # JC602 is unsafe, so it remains
    assert job.read_text() == JOB_FIXED_SAFE
    out, err = capsys.readouterr()
    assert "JC602" in out and "JC201" not in out
    assert "Fixed 1 finding in 1 file" in err


def test_fix_with_unsafe_fixes_leaves_nothing(job, capsys):
    assert run_lint(request(str(job), fix=True, unsafe_fixes=True)) == 0
    assert "allowPrivilegeEscalation: false" in job.read_text()
    assert "Fixed 2 findings in 1 file" in capsys.readouterr().err


def test_diff_prints_a_unified_diff_and_writes_nothing(job, capsys):
    before = job.stat()
    assert run_lint(request(str(job), diff=True)) == 1
    out, err = capsys.readouterr()
    assert out == (
        f"--- a/{str(job).lstrip('/')}\n+++ b/{str(job).lstrip('/')}\n@@ -5,6 +5,7 @@\n"
        "     name: \"db-migrate\"    # quoted on purpose\n     labels: {app: 'db'}\n spec:\n"
        "+    ttlSecondsAfterFinished: 86400\n     # retries\n     backoffLimit: 2\n     template:\n"
    )
    assert "Would fix 1 finding in 1 file" in err
    assert job.read_text() == JOB_4SPACE
    assert job.stat().st_mtime_ns == before.st_mtime_ns


def test_diff_without_changes_exits_zero(tmp_path, capsys):
    path = tmp_path / "ok.yaml"
    path.write_text(JOB_FIXED_SAFE)
    assert run_lint(request(str(path), diff=True)) == 0
    assert capsys.readouterr().out == ""


def test_files_without_fixable_findings_are_not_touched(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(JOB_FIXED_SAFE)
    inode, mtime = path.stat().st_ino, path.stat().st_mtime_ns
    run_lint(request(str(path), fix=True))
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (inode, mtime)
    assert sorted(os.listdir(tmp_path)) == ["ok.yaml"]


def test_atomic_write_keeps_permissions_and_leaves_no_temp_file(job, tmp_path):
    os.chmod(job, 0o640)
    inode = job.stat().st_ino
    run_lint(request(str(job), fix=True))
    assert stat.S_IMODE(job.stat().st_mode) == 0o640
    assert job.stat().st_ino != inode  # replaced, not rewritten in place
    assert sorted(os.listdir(tmp_path)) == ["job.yaml"]


def test_a_file_changed_meanwhile_is_not_overwritten(job, tmp_path, monkeypatch, capsys):
    real = fix_module.fix_stream

    def edit_behind_our_back(text, *args, **kw):
        job.write_text(JOB_4SPACE + "# edited by someone else\n")
        return real(text, *args, **kw)

    monkeypatch.setattr(fix_module, "fix_stream", edit_behind_our_back)
    assert run_lint(request(str(job), fix=True)) == 2
    assert job.read_text() == JOB_4SPACE + "# edited by someone else\n"
    assert "changed on disk while being fixed; not overwritten" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["job.yaml"]


def test_fix_never_writes_through_a_symlink(job, tmp_path, capsys):
    link = tmp_path / "link.yaml"
    link.symlink_to(job.name)
    assert run_lint(request(str(link), fix=True)) == 2
    assert link.is_symlink()
    assert job.read_text() == JOB_4SPACE
    assert "link.yaml: not fixed: is a symbolic link" in capsys.readouterr().err


def test_bom_and_crlf_are_kept(tmp_path):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + JOB_4SPACE.replace("\n", "\r\n").encode())
    run_lint(request(str(path), fix=True))
    assert path.read_bytes() == b"\xef\xbb\xbf" + JOB_FIXED_SAFE.replace("\n", "\r\n").encode()


def test_utf16_and_missing_final_newline_are_kept(tmp_path):
    path = tmp_path / "u16.yaml"
    path.write_bytes(b"\xff\xfe" + JOB_4SPACE.rstrip("\n").encode("utf-16-le"))
    run_lint(request(str(path), fix=True))
    assert path.read_bytes() == b"\xff\xfe" + JOB_FIXED_SAFE.rstrip("\n").encode("utf-16-le")


def test_several_documents_and_files(tmp_path, capsys):
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(JOB_4SPACE + "---\n" + JOB_FIXED_SAFE + "---\n" + JOB_4SPACE)
    b.write_text(CRON_2SPACE)
    run_lint(request(str(tmp_path), fix=True))
    assert a.read_text() == JOB_FIXED_SAFE + "---\n" + JOB_FIXED_SAFE + "---\n" + JOB_FIXED_SAFE
    assert b.read_text() == CRON_2SPACE.replace("Allow # overlap ok?\n", "Allow # overlap ok?\n"
                                                "  startingDeadlineSeconds: 200\n")
    assert "Fixed 3 findings in 2 files" in capsys.readouterr().err


def test_missing_file_is_an_io_error(tmp_path):
    assert run_lint(request(str(tmp_path / "nope.yaml"), fix=True)) == 2


def test_unified_diff_marks_a_missing_final_newline():
    assert unified_diff("a: 1", "a: 2", "x.yaml") == (
        "--- a/x.yaml\n+++ b/x.yaml\n@@ -1 +1 @@\n-a: 1\n\\ No newline at end of file\n"
        "+a: 2\n\\ No newline at end of file\n")


# --- the CLI -------------------------------------------------------------------------------------

def cli(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, ["lint", "--no-config", "--fail-on", "info", "--select", ",".join(ONLY), *args],
                              input=input)


def test_cli_fix(job):
    result = cli("--fix", str(job))
    assert result.exit_code == 1
    assert job.read_text() == JOB_FIXED_SAFE
    assert "Fixed 1 finding in 1 file" in result.stderr


def test_cli_diff_writes_nothing(job):
    result = cli("--diff", "--unsafe-fixes", str(job))
    assert result.exit_code == 1
    assert "+                securityContext:\n+                    allowPrivilegeEscalation: false\n" in result.stdout
    assert job.read_text() == JOB_4SPACE


def test_cli_stdin_prints_the_fixed_stream_and_reports_on_stderr():
    raw = b"\xef\xbb\xbf" + CRON_2SPACE.replace("\n", "\r\n").encode()
    result = cli("--fix", "--unsafe-fixes", "-", input=raw)
    expected = CRON_2SPACE.replace("Allow # overlap ok?\n", "Forbid # overlap ok?\n  startingDeadlineSeconds: 200\n")
    expected = expected.replace('"0 3 * * *"    # 03:00\n', '"0 3 * * *"    # 03:00\n  timeZone: Etc/UTC\n')
    expected += "            securityContext:\n              allowPrivilegeEscalation: false\n"
    assert result.stdout_bytes == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode()
    assert "Fixed" in result.stderr
    assert result.exit_code == 0


def test_cli_stdin_without_fixes_echoes_the_input():
    result = cli("--fix", "-", input=JOB_FIXED_SAFE.encode())
    assert result.stdout_bytes == JOB_FIXED_SAFE.encode()
    assert "JC602" in result.stderr
