"""--fix and --diff on every line-ending and layout a manifest can have: no traceback, a result
that still parses with the same documents, each document's own line ending, and work that grows
linearly with the stream."""

from __future__ import annotations

import difflib
import random
from pathlib import Path

import pytest
from fixsupport import options_for

from jobcheck.fix import edits, transform
from jobcheck.fix.files import unified_diff
from jobcheck.fix.transform import Fixer, fix_stream
from jobcheck.lint.engine import build_options
from jobcheck.yaml.loader import SYNTAX, decode, load_text

REPO = Path(__file__).resolve().parents[2]

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
TTL = options_for("JC201")


def test_cr_only_line_endings_are_fixed_and_kept():
    outcome = fix_stream(JOB.replace("\n", "\r"), "t.yaml", TTL)
    assert outcome.text == FIXED.replace("\n", "\r")
    assert len(outcome.fixed) == 1


def test_a_crlf_document_after_an_lf_document_keeps_crlf():
    text = JOB + "---\n" + JOB.replace("\n", "\r\n")
    outcome = fix_stream(text, "t.yaml", TTL)
    assert outcome.text == FIXED + "---\n" + FIXED.replace("\n", "\r\n")


def test_an_lf_document_after_a_crlf_document_keeps_lf():
    text = JOB.replace("\n", "\r\n") + "---\r\n" + JOB
    assert fix_stream(text, "t.yaml", TTL).text == FIXED.replace("\n", "\r\n") + "---\r\n" + FIXED


@pytest.mark.parametrize("odd", ["\r", "\x85", "\u2028", "\u2029"])
def test_other_yaml_line_breaks_are_refused_not_raised(odd):
    # A lone CR (or NEL, LS, PS) among LF lines is a line break to YAML, so the loader's line
    # numbers are not the lines the fixer would write into: this raised IndexError.
    text = JOB.replace("  name: migrate\n", f"  name: migrate  # a{odd}  # b\n")
    outcome = fix_stream(text, "t.yaml", TTL)
    assert outcome.text == text and not outcome.fixed
    assert "line breaks other than LF and CRLF" in outcome.skipped[0][1]


# --- a small mutation sweep: the shapes the fuzz campaign broke --fix with -----------------------

def _lines(t: str, f) -> str:
    return "\n".join(f(i, line) for i, line in enumerate(t.split("\n")))


MUTATIONS = {
    "reindent": lambda t: _lines(t, lambda _i, ln: " " * (2 * (len(ln) - len(ln.lstrip(" ")))) + ln.lstrip(" ")),
    "comments": lambda t: _lines(t, lambda i, ln: ln + (f"\n{' ' * (i % 9)}# odd {{x}} - y" if i % 3 == 0 else "")),
    "trailing comments": lambda t: _lines(t, lambda i, ln: ln + ("  # c" if ln.strip() and i % 2
                                                                  and not ln.rstrip().endswith(("|", ">", "-"))
                                                                  else "")),
    "no final newline": lambda t: t.rstrip("\n"),
    "tabs": lambda t: t.replace("  #", "\t#"),
    "bom": lambda t: "\ufeff" + t,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "cr only": lambda t: t.replace("\n", "\r"),
    "lf then crlf": lambda t: t.rstrip("\n") + "\n---\n" + t.replace("\n", "\r\n"),
    "crlf then lf": lambda t: t.replace("\n", "\r\n").rstrip("\r\n") + "\r\n---\n" + t,
    "empty documents": lambda t: "---\n---\n" + t.rstrip("\n") + "\n---\n...\n",
    "dedented lists": lambda t: t.replace("\n    - ", "\n  - ").replace("\n  - ", "\n- "),
    "flow": lambda t: t.replace("\n  template:\n", "\n  template: {}\n", 1) if "  template:\n    metadata" in t else t,
}


def _sources() -> list[str]:
    found = sorted(REPO.glob("examples/*.yaml")) + sorted(REPO.glob("tests/rules/*/bad*.yaml"))
    return [p.read_text(encoding="utf-8") for p in found if "Job" in p.read_text(encoding="utf-8")]


def test_mutated_manifests_fix_without_traceback_and_keep_their_documents():
    diff = Fixer(build_options(), write=False, unsafe=True)
    rng = random.Random(16)
    sources, names = _sources(), list(MUTATIONS)
    assert len(sources) > 20
    changed = 0
    for source in sources:
        for _ in range(3):
            text = source
            for name in rng.sample(names, rng.randint(1, 3)):
                text = MUTATIONS[name](text)
            raw = text[1:].encode("utf-8-sig") if text.startswith("\ufeff") else text.encode()
            decoded, _ = decode(raw)
            note = diff("x.yaml", "x.yaml", raw, decoded)  # must not raise
            if decoded is None or not note.changed:
                continue
            changed += 1
            before, after = list(load_text(decoded)), list(load_text(note.text))
            assert len(after) == len(before)
            assert not any(p.kind == SYNTAX for d in after for p in d.problems)
    assert changed > len(sources)  # the sweep exercised real fixes, not only refusals


# --- linear work --------------------------------------------------------------------------------

def test_fixing_a_long_stream_loads_each_document_a_bounded_number_of_times(monkeypatch):
    loaded = []
    real = transform.load_text

    def counting(text, *args, **kw):
        loaded.append(len(text))
        return real(text, *args, **kw)

    monkeypatch.setattr(transform, "load_text", counting)
    monkeypatch.setattr(edits, "load_text", counting)
    text = "---\n".join(JOB.replace("migrate", f"job-{i}") for i in range(400))
    outcome = fix_stream(text, "t.yaml", TTL)
    assert len(outcome.fixed) == 400
    # Before: every edit reloaded the whole stream twice (800 x the stream); now each edit
    # loads its own document twice, plus the stream a fixed number of times.
    assert sum(loaded) < 6 * len(text)


def _reference_diff(old: str, new: str, name: str) -> str:
    def lines(text: str) -> list[str]:
        parts = text.split("\n")
        return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])

    out = []
    for line in difflib.unified_diff(lines(old), lines(new), f"a/{name}", f"b/{name}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _apply(diff: str, old: str) -> str:
    """Apply a unified diff to ``old`` (hunks in order, context checked): what ``patch`` does
    (texts that end with a newline only)."""
    source = old.split("\n")
    rows = diff.split("\n")[2:]
    out, at, i = [], 0, 0
    while i < len(rows) and rows[i].startswith("@@"):
        start = int(rows[i].split()[1][1:].split(",")[0])
        length = rows[i].split()[1][1:].split(",")
        start = start - 1 if len(length) == 1 or int(length[1]) else start
        out += source[at:start]
        at = start
        i += 1
        while i < len(rows) and rows[i][:1] in (" ", "-", "+"):
            row = rows[i]
            if row[0] in " -":
                assert source[at] == row[1:], (source[at], row)
                at += 1
            if row[0] in " +":
                out.append(row[1:])
            i += 1
    out += source[at:]
    return "\n".join(out)


def test_the_diff_by_pieces_applies_and_without_pieces_is_difflibs():
    rng = random.Random(7)
    for _ in range(500):
        pieces = []
        for _ in range(rng.randint(1, 6)):
            old = [rng.choice("abc") for _ in range(rng.randint(0, 8))]
            new = list(old)
            for _ in range(rng.randint(0, 2)):
                new.insert(rng.randint(0, len(new)), f"X{rng.randint(0, 9)}")
            pieces.append(("".join(x + "\n" for x in old), "".join(x + "\n" for x in new)))
        old, new = "".join(a for a, _ in pieces), "".join(b for _, b in pieces)
        by_pieces = unified_diff(old, new, "f.yaml", pieces)
        assert (by_pieces == "") == (old == new)
        if by_pieces:
            assert _apply(by_pieces, old) == new
        assert unified_diff(old, new, "f.yaml") == _reference_diff(old, new, "f.yaml")


def _list_of_jobs(n: int) -> str:
    item = "".join("    " + line + "\n" for line in JOB.splitlines())
    return "apiVersion: v1\nkind: List\nitems:\n" + "".join(
        "  - " + item[4:].replace("migrate", f"job-{i}") for i in range(n))


def test_the_edits_of_one_long_document_are_written_together(monkeypatch):
    # A List of Jobs is one document: its edits are planned against one text and verified by
    # one re-reading, not one re-reading each (400 items took 43 s of CPU).
    loaded = []
    real = edits.load_text
    monkeypatch.setattr(edits, "load_text", lambda text, *a, **kw: loaded.append(len(text)) or real(text, *a, **kw))
    text = _list_of_jobs(200)
    outcome = fix_stream(text, "t.yaml", TTL)
    assert len(outcome.fixed) == 200 and not outcome.skipped
    assert outcome.text.count("  ttlSecondsAfterFinished: 86400\n      template:") == 200
    assert sum(loaded) < 3 * len(text)


def test_edits_written_one_by_one_stay_within_the_budget(monkeypatch):
    # When a document's edits cannot be written together, each is verified alone; past the
    # budget the remaining findings are left for the next run, with the reason.
    monkeypatch.setattr(transform, "apply_edits", lambda *_args: None)
    monkeypatch.setattr(transform, "FIX_WORK_FLOOR", 0)
    monkeypatch.setattr(transform, "FIX_WORK_FACTOR", 20)
    text = _list_of_jobs(60)
    outcome = fix_stream(text, "t.yaml", TTL)
    assert 5 <= len(outcome.fixed) < 60
    assert len(outcome.fixed) + len(outcome.skipped) == 60
    assert all("used the run's budget (run --fix again)" in why for _, why in outcome.skipped)
    assert outcome.text.count("ttlSecondsAfterFinished: 86400") == len(outcome.fixed)
    again = fix_stream(outcome.text, "t.yaml", TTL)  # the next run goes on where this one stopped
    assert len(again.fixed) > 0


def test_a_long_piece_is_compared_in_linear_time_and_the_diff_applies(monkeypatch):
    # difflib over one document of thousands of lines (a List) took 150 s; past _DIFFLIB_MAX a
    # piece is compared by resynchronising after each difference.
    from jobcheck.fix import files

    monkeypatch.setattr(files, "_DIFFLIB_MAX", 0)
    rng = random.Random(11)
    for _ in range(200):
        old = [rng.choice(["spec:", "a", "kind: Job", f"n{rng.randint(0, 40)}"]) for _ in range(rng.randint(0, 300))]
        new = list(old)
        for _ in range(rng.randint(0, 20)):
            k = rng.randint(0, len(new))
            roll = rng.random()
            if roll < 0.6:
                new[k:k] = ["X"] * rng.randint(1, 3)
            elif k < len(new):
                new[k: k + 1] = ["Y"] if roll < 0.8 else []
        a, b = "".join(x + "\n" for x in old), "".join(x + "\n" for x in new)
        diff = unified_diff(a, b, "f.yaml")
        assert (diff == "") == (a == b)
        if diff:
            assert _apply(diff, a) == b
