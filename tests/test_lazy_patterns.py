"""jobcheck.redact compiles its patterns on first use: they must behave as compiled ones."""

from __future__ import annotations

import copy
import pickle
import re

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
