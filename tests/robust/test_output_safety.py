"""Every string taken from a manifest is escaped for the format it goes into: a manifest full
of hostile strings (controls, bidirectional overrides, NUL, DEL, C1, non-finite numbers, in
names, label values, env values, the image, the schedule, comments and file names) gives a
text report with every such character visibly escaped, strict JSON, SARIF valid against the
2.1.0 schema, well-formed JUnit XML and one GitHub workflow command per line."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata

import pytest

from jobcheck.report.escape import BIDI_CONTROLS, json_safe, printable, unicode_safe
from tests.robust.output_checks import FORMATS, UNSAFE_TEXT, check_output

HOSTILE = r"""apiVersion: batch/v1
kind: CronJob
metadata:
  name: "evil\e[31m\u202ename\0"   # a comment with raw bidi controls: ‮ and ⁦isolate⁩
  namespace: "ns\x7f\x9b"
  labels:
    app: "v\x85\x9b\u2066x\u200f"
  annotations:
    note: "\e]0;title\a\e[2J"
spec:
  schedule: "0 3 * * *\e]0;pwned\a"
  timeZone: "Europe/Berlin\u202e"
  startingDeadlineSeconds: .nan
  jobTemplate:
    spec:
      backoffLimit: .inf
      activeDeadlineSeconds: -.inf
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: "c\x01\u061c"
              image: "busybox:\e[2J\u202e1.36"
              args: ["\0", "\e[8m hidden"]
              env:
                - name: "X\x7f"
                  value: "\0nul\e[1m‮bidi"
                - name: RATIO
                  value: .nan
"""
PLAIN_JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: plain
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: "busybox:1.36"}]
"""


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    (root / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    # Raw controls are not YAML: a syntax error whose line --show-source prints.
    (root / "raw.yaml").write_bytes(b"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\x1b[31mb\x07\n")
    (root / "evil\x1b[2J\u202e\x7f.yaml").write_text(PLAIN_JOB, encoding="utf-8")
    (root / "skipped\x1b[8m.yaml").write_text('apiVersion: v1\nkind: "Map\\e[31m\\u202e"\n', encoding="utf-8")
    try:
        (root / "undecodable-\udcff.yaml").write_text(PLAIN_JOB, encoding="utf-8")  # the byte 0xff in the name
    except (UnicodeEncodeError, OSError):
        pass  # a file system that refuses it
    return root


def _lint(directory, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("JOBCHECK_DEBUG", "PYTHONIOENCODING")}
    return subprocess.run([sys.executable, "-m", "jobcheck", "lint", "--no-config", *args, "."], cwd=directory,
                          capture_output=True, env=env, timeout=120)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_hostile_manifest_gives_a_valid_escaped_report(hostile_dir, fmt: str) -> None:
    extra = ("--show-source",) if fmt == "text" else ()
    result = _lint(hostile_dir, "--format", fmt, *extra)
    assert result.returncode == 1, result.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in result.stderr
    output = result.stdout.decode("utf-8")  # strict: the report is valid UTF-8
    check_output(fmt, output)
    check_output("text", result.stderr.decode("utf-8"))  # the summary and messages on the terminal
    assert "hostile.yaml" in output and "raw.yaml" in output and "plain" in output or fmt == "github"
    if fmt in ("text", "github"):
        # The controls are there, visibly.
        assert "\\x1b" in output and "\\u202e" in output
    if fmt == "text":
        assert "evil\\x1b[2J\\u202e\\x7f.yaml" in output
        assert "\\u202e and \\u2066isolate\\u2069" in output  # the comment, in a code frame


def test_terminal_messages_are_escaped(hostile_dir) -> None:
    """--verbose names skipped files and the kinds that made them skipped, on standard error."""
    result = _lint(hostile_dir, "--format", "json", "--verbose")
    stderr = result.stderr.decode("utf-8")
    check_output("text", stderr)
    assert "skipped\\x1b[8m.yaml: skipped: document 1: Map\\x1b[31m\\u202e is not a Job or CronJob" in stderr


def test_the_json_report_escapes_what_json_would_carry_raw(hostile_dir) -> None:
    data = check_output("json", _lint(hostile_dir, "--format", "json").stdout.decode("utf-8"))
    files = {f["file"] for f in data["findings"]}
    if any("undecodable" in f for f in files):  # an undecodable byte of a name, escaped visibly
        assert "./undecodable-\\xff.yaml" in files or "undecodable-\\xff.yaml" in {f[2:] for f in files}


def test_printable_escapes_exactly_the_unsafe_characters() -> None:
    for code in [*range(0x0, 0x3000), *range(0xD7F0, 0xE010), 0xFEFF, 0xFFFD, 0x1F600]:
        ch = chr(code)
        unsafe = (code < 0x20 and ch != "\t") or 0x7F <= code <= 0x9F or code in BIDI_CONTROLS \
            or 0xD800 <= code <= 0xDFFF
        out = printable(ch)
        assert (out != ch) == unsafe, hex(code)
        assert UNSAFE_TEXT.search(out) is None
        if unsafe:
            assert out.startswith("\\x" if code <= 0xFF or 0xDC80 <= code <= 0xDCFF else "\\u"), (hex(code), out)
    assert printable("a\tb\r\nc", keep="\t\r\n") == "a\tb\r\nc"
    assert printable("a\tb\r\nc") == "a\tb\\x0d\\x0ac"
    clean = "ordinary text, ünïcødé, 日本語 " * 1000
    assert printable(clean) is clean or printable(clean) == clean


def test_code_frames_show_controls_escaped_with_carets_under_them() -> None:
    from jobcheck.finding import Finding
    from jobcheck.report.text import code_frame

    line = "  name: a\x1b[31m\u202eb # \x00"
    found = Finding("f.yaml", 1, 9, "JC103", end_line=1, end_column=16)  # a, ESC [ 3 1 m, U+202E
    source, carets = code_frame(found, [line], color=False)
    assert source == "  1 |   name: a\\x1b[31m\\u202eb # \\x00"
    assert carets == "    |         " + "^" * len("a\\x1b[31m\\u202e")


def test_json_safe_values() -> None:
    assert json_safe({"a": float("nan"), "b": [float("inf"), "x\ud800y"], "c": 1.5}) == {
        "a": None, "b": [None, "x\\ud800y"], "c": 1.5}
    assert unicode_safe("\udcff\U0001f600") == "\\xff\U0001f600"
    assert unicodedata.category(printable("\u202e")[0]) != "Cf"
