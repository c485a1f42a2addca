"""jobcheck.redact compiles its patterns on first use: they must behave as compiled ones."""

from __future__ import annotations

import copy
import pickle
import re

import pytest

from jobcheck import redact
from jobcheck.redact import LazyPattern


def test_a_lazy_pattern_answers_as_the_compiled_one():
    lazy, real = LazyPattern(r"(?<![\w-])bearer\s+(?=\S)", re.IGNORECASE), re.compile(
        r"(?<![\w-])bearer\s+(?=\S)", re.IGNORECASE
    )
    assert "search" not in vars(lazy)  # nothing compiled yet
    text = "curl -H 'Authorization: Bearer abc' -H 'x: bearer  def'"
    assert lazy.search(text).span() == real.search(text).span()
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.sub("<>", text) == real.sub("<>", text)
    assert lazy.fullmatch("bearer x") is None and lazy.match("Bearer x").group() == "Bearer "
    assert lazy.flags == real.flags and lazy.pattern == real.pattern
    assert vars(lazy)["search"] == real.search  # after the first use, the compiled pattern's own methods


def test_patterns_shared_with_other_modules_work_before_and_after_compiling():
    # URL_PASSWORD is imported by name into the secret checks: the same object must serve both.
    from jobcheck.lint.checks.secrets import URL_PASSWORD

    assert URL_PASSWORD is redact.URL_PASSWORD
    assert URL_PASSWORD.search("https://user:hunter2@example.com/x").group(1) == "hunter2"
    assert redact.credential_shape("AKIA" + "A" * 16) == "an AWS access key id"
    assert redact.credential_shape("plain text") is None


def test_a_lazy_pattern_copies_and_pickles_without_recursing():
    lazy = LazyPattern("a+b")
    for other in (copy.copy(lazy), copy.deepcopy(lazy), pickle.loads(pickle.dumps(lazy))):
        assert other.search("xaab").group() == "aab"


# Start-up (issue 13): the hints that spare compiling a pattern must never say "no" where the
# pattern says "yes". Strings that IGNORECASE matches through Unicode case equivalents ("ſ" for
# "s", the Kelvin sign for "k", dotless and dotted I for "i") are the corner cases.
SECRET_WORDS = ["password", "PASSWD", "paſſword", "passphrase", "ſecret", "toKen", "api_key", "apİkey",
                "apıkey", "ACCESS.KEY", "privateKey", "prİvate-key", "prıvatekey", "credentİal", "credential",
                "Authorization", "bearer", "pwd", "db_password", "x-auth", "MY_TOKEN_FILE"]
NOT_SECRET = ["LOG_LEVEL", "image", "HTTP_TIMEOUT", "waiting for postgres", "a=1,b=0", ""]


def test_secret_word_hints_never_hide_a_match():
    word = re.compile(redact._SECRET_WORD, re.IGNORECASE)
    for text in SECRET_WORDS + NOT_SECRET:
        assert bool(word.search(text)) <= redact._may_hold_secret_word(text), text
    for name in SECRET_WORDS:
        assert redact.name_looks_secret(name) == bool(re.search(redact._SECRET_WORD, name, re.IGNORECASE)), name
    for value in ("paſſword=hunter2", "apıkey: abc", "DB_PASSWORD=x", "token:abc"):
        assert redact.looks_secret(value), value
    assert not redact.looks_secret("LOG_LEVEL=info") and not redact.name_looks_secret("LOG_LEVEL")


def test_credential_shape_hints_cover_every_shape():
    samples = {
        "an AWS access key id": "AKIA" + "B" * 16, "a GitHub token": "ghp_" + "a" * 36,
        "a Slack token": "xoxb-" + "1" * 10, "a private key": "-----BEGIN RSA PRIVATE KEY-----",
        "a JSON Web Token": "eyJ" + "a" * 8 + ".eyJ" + "b" * 8 + "." + "c" * 8,
        "a Google API key": "AIza" + "d" * 35, "a Stripe secret key": "sk_live_" + "e" * 16,
    }
    assert set(samples) == {label for label, _ in redact.SHAPES}
    for label, value in samples.items():
        assert redact.credential_shape(f"x {value} y") == label
    assert redact.credential_shape("github_pat_" + "f" * 22) == "a GitHub token"


def test_memoised_answers_are_the_functions_own_for_short_and_long_texts():
    key = "AKIA" + "B" * 16
    for value in (key, "5432", f"{'x' * 70} {key}", "y" * 70):
        for _ in range(2):  # the second answer of a short text comes from the memo
            assert redact.credential_shape(value) == redact.credential_shape.__wrapped__(value), value
    for name in ("DB_PASSWORD", "LOG_LEVEL", "X_" * 40 + "TOKEN"):
        for _ in range(2):
            assert redact.name_looks_secret(name) == redact.name_looks_secret.__wrapped__(name), name


def test_kuttl_assertion_names_as_the_pattern_reads_them():
    from jobcheck.discover import TEST_ASSERTION, _test_assertion

    for name in ("01-assert.yaml", "02-errors.yml", "10-ASSERT.JSON", "01-aſſert.yaml", "x_3-errors.json",
                 "assert.yaml", "01-assert.yaml.bak", "job-assert.yaml", "a-b.yaml", "01-asserts.yaml"):
        assert _test_assertion(name) == bool(TEST_ASSERTION.search(name)), name


def test_printable_answers_as_its_pattern_and_plain_text_leaves_it_uncompiled():
    from jobcheck.report import escape

    unsafe = re.compile(escape._UNSAFE.pattern)
    keep_lines = re.compile(escape._UNSAFE_KEEP_LINES.pattern)
    for text in ("plain text: 1/2 [x] {y}", "tab\there", "line\nbreak\r", "\x1b[31mred", "caf\u00e9",
                 "\u202eevil", "bad \udcff byte", "", "~ \x7f", "\x85next"):
        assert escape.printable(text) == unsafe.sub(escape._escape, text), text
        assert escape.printable(text, "\t\r\n") == keep_lines.sub(escape._escape, text), text
        assert escape.has_unsafe(text) == (unsafe.search(text) is not None), text
    fresh = LazyPattern(escape._UNSAFE.pattern)
    old, escape._UNSAFE = escape._UNSAFE, fresh
    try:
        assert escape.printable("JC306 warning: concurrencyPolicy unset") == "JC306 warning: concurrencyPolicy unset"
        assert "sub" not in vars(fresh)  # not compiled for printable ASCII
    finally:
        escape._UNSAFE = old
    with pytest.raises(ValueError):
        escape.printable("text", keep="\n")
