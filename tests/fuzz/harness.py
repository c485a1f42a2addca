"""The fuzz harness: one function that runs an input through every path of the command line and
says what went wrong (the inputs come from mutators.py).

Shared by the pytest fuzz tests (tests/fuzz/test_*.py) and the long mutation runner
(scripts/fuzz.py), so a class found by one is reproduced by the other. Everything runs in
process through click's CliRunner: a path costs milliseconds, not an interpreter start-up.

A problem has a class, which triage groups by: for an exception, its type and the innermost
jobcheck frame (``ValueError at jobcheck/yaml/scalars.py:88 in _to_int``); for an output that is
not valid, the path; for slowness, the path.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import os
import re
import shutil
import signal
import tempfile
import time
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mutators import CRONJOB_SEED, REPO

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")

# A slow input is one where a path takes longer than SLOW_FACTOR times a normal document of its size
# on this machine (measured once per process, see slow_bound): the size counts at what a lint costs
# per byte, so a --fix that costs far more than a lint of the same file is slow. At least SLOW_FLOOR
# seconds, so that a loaded CI machine does not
# make a normal input look slow. A path still running after three times its bound (at least HARD_LIMIT
# seconds) is stopped, and the input's other paths are not run, so that a hang cannot stall a run.
SLOW_FACTOR = 20
SLOW_FLOOR = 2.0
HARD_LIMIT = 5.0


# ----------------------------------------------------------------------------------------- the paths


class FuzzTimeout(BaseException):
    """Raised by the interval timer: a BaseException, so that no ``except Exception`` swallows it."""


@dataclass(frozen=True)
class Problem:
    kind: str  # traceback, exit-code, invalid-output, unsafe-text, internal-error, slow, wrote-file, secret, fix-endings
    where: str  # the path (lint -f json, explain FILE, ...) or the stack location
    detail: str = ""

    @property
    def cls(self) -> str:
        return f"{self.kind}: {self.where}"


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def slowest(self) -> tuple[str, float]:
        return max(self.seconds.items(), key=lambda kv: kv[1], default=("", 0.0))


def _frame_location(exc: BaseException) -> str:
    """The innermost jobcheck frame of a traceback, as file:line in function."""
    where = "outside jobcheck"
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        try:
            rel = path.resolve().relative_to(REPO)
        except ValueError:
            continue
        if rel.parts and rel.parts[0] == "jobcheck":
            where = f"{rel}:{frame.lineno} in {frame.name}"
    return f"{type(exc).__name__} at {where}"


class _Timer:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False

    def __enter__(self) -> _Timer:
        if self.seconds and hasattr(signal, "setitimer"):
            try:
                self.previous = signal.signal(signal.SIGALRM, self._fire)
            except ValueError:  # not the main thread: no hard limit, the time is still measured
                return self
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.armed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    @staticmethod
    def _fire(signum: int, frame: object) -> None:
        raise FuzzTimeout()


_BASELINE: list[float] = []
NORMAL_STREAM = 40  # documents in the normal stream that measures the cost of a byte


def baseline_seconds() -> tuple[float, float]:
    """What a normal document costs on this machine, measured once: the slowest path on one small
    CronJob (seconds), and the time per byte of ``lint`` on a stream of 40 of them."""
    if not _BASELINE:
        small = CRONJOB_SEED.encode()
        stream = b"---\n".join([small] * NORMAL_STREAM)
        run_paths(small, bound=None)  # warm up imports and caches
        per_path = min(max(run_paths(small, bound=None).seconds.values()) for _ in range(2))
        lint = min(run_paths(stream, bound=None, paths=["lint -f json"]).seconds["lint -f json"] for _ in range(2))
        _BASELINE.extend([per_path, lint / len(stream)])
    return _BASELINE[0], _BASELINE[1]


def slow_bound(size: int = 0) -> float:
    """The time bound of any path on an input of ``size`` bytes: SLOW_FACTOR times what a normal
    document costs (a small one, plus a lint of a normal stream of that size), at least SLOW_FLOOR."""
    fixed, per_byte = baseline_seconds()
    return max(SLOW_FLOOR, SLOW_FACTOR * (fixed + per_byte * size))


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _strict_json(text: str) -> object:
    def no_constant(name: str) -> object:
        raise ValueError(f"non-finite number {name}")

    value = json.loads(text, parse_constant=no_constant)
    _check_strings(value)
    return value


def _check_strings(value: object) -> None:
    """Every string in parsed output must be encodable as UTF-8 (no unpaired surrogate)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            v.encode("utf-8")
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, float) and not math.isfinite(v):
            raise ValueError("non-finite number")


def validate_output(fmt: str, out: str) -> str | None:
    """Why the report in format ``fmt`` is not valid, or None."""
    try:
        if fmt in ("json", "gitlab", "explain-json"):
            _strict_json(out)
        elif fmt == "sarif":
            doc = _strict_json(out)
            if not (isinstance(doc, dict) and doc.get("version") == "2.1.0" and isinstance(doc.get("runs"), list)):
                return "not a SARIF 2.1.0 log"
        elif fmt == "junit":
            root = ET.fromstring(out)
            if root.tag not in ("testsuites", "testsuite"):
                return f"root element {root.tag}"
        elif fmt == "github":
            # The runner reads commands line by line (\n); a raw CR would end one early.
            for line in out.split("\n"):
                if line and not re.match(r"^::(error|warning|notice|debug)( [^:]*)?::", line):
                    return f"not a workflow command: {line[:80]!r}"
                if "\r" in line:
                    return f"raw CR in a workflow command: {line[:80]!r}"
        elif fmt == "dump":
            for line in out.split("\n"):
                if line:
                    _strict_json(line)
        elif fmt in ("text", "explain-text", "show-source"):
            m = _CONTROL.search(out)
            if m:
                return f"unsafe:raw {m.group()!r} in terminal output"
    except (ValueError, ET.ParseError, UnicodeError, RecursionError) as exc:
        return f"{type(exc).__name__}: {str(exc)[:120]}"
    return None


def _ending(line: bytes) -> bytes:
    return b"\r\n" if line.endswith(b"\r\n") else line[-1:] if line[-1:] in (b"\n", b"\r") else b""


def foreign_endings(before: bytes, after: bytes) -> str | None:
    """Why a fix inserted a line whose ending differs from that of every line of its document (an
    LF line in a CRLF document), or None. A document that already mixes endings is left alone."""
    if before == after or len(before) > 200_000:
        return None
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    uniform: list[bytes | None] = []  # per old line: its document's one ending, if it has only one
    start = 0
    for k in range(len(old) + 1):
        if k == len(old) or (k > start and old[k].startswith(b"---")):
            endings = {_ending(line) for line in old[start:k] if not line.startswith(b"---")} - {b""}
            uniform.extend([endings.pop() if len(endings) == 1 else None] * (k - start))
            start = k
    for tag, i1, _i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag in ("insert", "replace") and old:
            expected = uniform[min(max(0, i1 - 1), len(old) - 1)]
            for line in new[j1:j2]:
                if expected and _ending(line) and _ending(line) != expected:
                    return f"a line ending {_ending(line)!r} inserted into a document of lines ending {expected!r}"
    return None


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _invoke(args: list[str], bound: float | None, outcome: Outcome, label: str) -> tuple[int | None, str, str] | None:
    from click.testing import CliRunner

    from jobcheck.cli import main

    runner = CliRunner()
    start = time.perf_counter()
    try:
        with _Timer(max(HARD_LIMIT, 3 * bound) if bound else 0):
            result = runner.invoke(main, args, catch_exceptions=True)
    except FuzzTimeout:
        outcome.seconds[label] = time.perf_counter() - start
        outcome.problems.append(Problem("slow", label, f"stopped after {time.perf_counter() - start:.0f} s"))
        return None
    elapsed = time.perf_counter() - start
    outcome.seconds[label] = elapsed
    if bound is not None and elapsed > bound:
        outcome.problems.append(Problem("slow", label, f"{elapsed:.1f} s (bound {bound:.1f} s)"))
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        if isinstance(exc, FuzzTimeout):
            outcome.problems.append(Problem("slow", label, f"stopped after {time.perf_counter() - start:.0f} s"))
            return None
        outcome.problems.append(Problem("traceback", _frame_location(exc), f"{label}: {str(exc)[:200]}"))
        return None
    try:
        out = result.stdout_bytes.decode("utf-8")
        err = result.stderr_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        outcome.problems.append(Problem("invalid-output", label, f"output is not UTF-8: {exc}"))
        return None
    if "Traceback" in out or "Traceback" in err:
        outcome.problems.append(Problem("traceback", label, "a traceback was printed"))
    # JC006 in a report, or the driver's line on stderr. A diff or a code frame prints the input's
    # own text, which may say anything (the internal-error rule's fixture mentions the rule).
    report = err if "--diff" in label or "--show-source" in label else out + err
    if "JC006" in report or re.search(r"internal[ -]error", err, re.IGNORECASE):
        outcome.problems.append(Problem("internal-error", label, (out + err)[:200]))
    if result.exit_code not in (0, 1, 2):
        outcome.problems.append(Problem("exit-code", label, str(result.exit_code)))
    return result.exit_code, out, err


# Every path an input file goes through: (label, command line before the file, what to validate).
PLAN: list[tuple[str, list[str], str]] = [(f"lint -f {fmt}", ["lint", "-f", fmt], fmt) for fmt in FORMATS] + [
    ("lint --show-source", ["lint", "--show-source"], "show-source"),
    ("lint --diff", ["lint", "--diff"], "diff"),
    ("lint --fix", ["lint", "--fix", "--unsafe-fixes"], "fix"),
    ("explain FILE", ["explain"], "explain-text"),
    ("explain FILE -f json", ["explain", "-f", "json"], "explain-json"),
    ("dump", ["dump"], "dump"),
]
PATH_LABELS = [label for label, _, _ in PLAN]


def run_paths(data: bytes, *, bound: float | None | str = "auto", secrets: Iterable[str] = (),
              paths: Iterable[str] | None = None, suffix: str = ".yaml") -> Outcome:
    """Run one input through every path; each path gets a fresh copy of the file."""
    if bound == "auto":
        bound = slow_bound(len(data))
    outcome = Outcome()
    selected = set(paths) if paths is not None else None
    with tempfile.TemporaryDirectory(prefix="jobcheck-fuzz-") as tmp:
        folder = Path(tmp)
        src = folder / f"m{suffix}"

        def fresh() -> Path:
            for p in folder.iterdir():
                p.unlink() if p.is_file() or p.is_symlink() else shutil.rmtree(p)
            src.write_bytes(data)
            return src

        for label, args, kind in PLAN:
            if selected is not None and label not in selected:
                continue
            if any(p.kind == "slow" for p in outcome.problems):
                break  # one path was slow: the input is proven slow, the others may take as long
            path = fresh()
            before = _digest(folder)
            mtime = path.stat().st_mtime_ns
            got = _invoke(args + [str(path)], bound if isinstance(bound, float) else None, outcome, label)
            after = _digest(folder)
            if kind != "fix" and (after != before or path.stat().st_mtime_ns != mtime):
                outcome.problems.append(Problem("wrote-file", label, "an input changed without --fix"))
            if kind == "fix" and set(after) != set(before):
                outcome.problems.append(Problem("wrote-file", label, f"files left behind: {sorted(set(after) ^ set(before))}"))
            if got is None:
                continue
            code, out, err = got
            if kind == "fix":
                why = foreign_endings(data, path.read_bytes())
                if why:
                    outcome.problems.append(Problem("fix-endings", label, why))
            elif kind != "diff" and not (code == 2 and not out and kind not in ("text", "show-source")):
                # (an input that cannot be read is a message on stderr and exit 2: no report to check)
                why = validate_output(kind, out)
                if why is not None:
                    if why.startswith("unsafe:"):
                        outcome.problems.append(Problem("unsafe-text", label, why[7:]))
                    else:
                        outcome.problems.append(Problem("invalid-output", f"{label}", why))
            for secret in secrets if label != "dump" else ():  # dump prints the data, on purpose
                if secret in out or secret in err:
                    outcome.problems.append(Problem("secret", label, "a planted secret value was printed"))
    return outcome


def explain_expression(expr: str, extra: list[str], bound: float | None | str = "auto") -> Outcome:
    """``jobcheck explain EXPR`` with options, text and JSON."""
    if bound == "auto":
        bound = slow_bound()
    outcome = Outcome()
    for fmt in ("text", "json"):
        label = f"explain EXPR -f {fmt}"
        got = _invoke(["explain", "-f", fmt, *extra, "--", expr], bound if isinstance(bound, float) else None, outcome, label)
        if got is None:
            continue
        code, out, err = got
        if code == 0 or fmt == "text":
            why = validate_output(f"explain-{fmt}", out)
            if why is not None:
                kind = "unsafe-text" if why.startswith("unsafe:") else "invalid-output"
                outcome.problems.append(Problem(kind, label, why.removeprefix("unsafe:")))
    return outcome


def minimal(data: bytes) -> str:
    """A short printable form of an input for a report."""
    text = data[:300].decode("utf-8", "backslashreplace")
    return text + ("…" if len(data) > 300 else "")


def environment() -> None:
    """Make check bugs raise instead of being swallowed (as the test suite does)."""
    os.environ.setdefault("JOBCHECK_DEBUG", "1")
