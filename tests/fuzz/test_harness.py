"""The harness finds what it must: a test that cannot fail proves nothing, so each check of
harness.run_paths is shown to fire on an injected fault (these pass on today's code)."""

from __future__ import annotations

import random
import time

import harness
import mutators
import pytest

harness.environment()
GOOD = mutators.CRONJOB_SEED.encode()


def test_clean_document_has_no_problem() -> None:
    outcome = harness.run_paths(GOOD)
    assert outcome.problems == []
    assert set(outcome.seconds) == set(harness.PATH_LABELS)


def test_an_escaping_exception_is_a_traceback_with_its_location(monkeypatch: pytest.MonkeyPatch) -> None:
    import jobcheck.run

    def broken(*args, **kwargs):
        raise ZeroDivisionError("injected")

    monkeypatch.setattr(jobcheck.run, "run", broken)
    outcome = harness.run_paths(GOOD, paths=["lint -f json"])
    assert [p.kind for p in outcome.problems] == ["traceback"]
    assert outcome.problems[0].where.startswith("ZeroDivisionError at ")


def test_a_contained_internal_error_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import jobcheck.yaml.tojson

    def broken(raw):
        raise KeyError("injected")

    monkeypatch.setattr(jobcheck.yaml.tojson, "convert_stream", broken)
    outcome = harness.run_paths(GOOD, paths=["dump"])
    assert "internal-error" in [p.kind for p in outcome.problems]


def test_a_write_without_fix_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    import jobcheck.discover

    original = jobcheck.discover.read_bytes

    def writing(path):
        data = original(path)
        with open(path, "ab") as f:
            f.write(b"# touched\n")
        return data

    monkeypatch.setattr(jobcheck.discover, "read_bytes", writing)
    outcome = harness.run_paths(GOOD, paths=["dump"])
    assert [p.kind for p in outcome.problems] == ["wrote-file"]


def test_slow_and_hung_paths_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    import jobcheck.yaml.tojson

    original = jobcheck.yaml.tojson.convert_stream

    def slow(raw):
        time.sleep(0.3)
        return original(raw)

    monkeypatch.setattr(jobcheck.yaml.tojson, "convert_stream", slow)
    outcome = harness.run_paths(GOOD, paths=["dump"], bound=0.1)
    assert [p.kind for p in outcome.problems] == ["slow"]
    monkeypatch.setattr(harness, "HARD_LIMIT", 0.1)
    outcome = harness.run_paths(GOOD, paths=["dump"], bound=0.05)
    assert [(p.kind, p.detail) for p in outcome.problems] == [("slow", "stopped after 0 s")]


def test_a_printed_secret_is_caught() -> None:
    # explain prints the schedule: a "secret" that is the schedule shows up.
    outcome = harness.run_paths(GOOD, paths=["explain FILE -f json"], secrets=("30 2 * * 1-5",))
    assert [p.kind for p in outcome.problems] == ["secret"]


@pytest.mark.parametrize(("fmt", "out"), [
    ("json", '{"a": NaN}'), ("json", '{"a": Infinity}'), ("json", '{"a": "\\ud800"}'), ("json", '{"a": 1'),
    ("gitlab", "[1,]"), ("sarif", '{"version": "2.0.0", "runs": []}'), ("junit", "<testsuites><x></testsuites>"),
    ("github", "file.yaml:1: error"), ("dump", '{"a": 1}\n{"b": -Infinity}'), ("text", "name \x1b[2J here"),
    ("explain-text", "evil \u202e txt"), ("show-source", "nul \x00"),
])
def test_invalid_output_is_rejected(fmt: str, out: str) -> None:
    assert harness.validate_output(fmt, out) is not None


@pytest.mark.parametrize(("fmt", "out"), [
    ("json", '{"a": 1.5, "b": "\\u00e9\\ud83d\\ude00"}'), ("sarif", '{"version": "2.1.0", "runs": []}'),
    ("junit", "<testsuites/>"), ("github", "::error file=a.yaml,line=1::x%0Ay\n"), ("text", "a\tb\n"),
])
def test_valid_output_is_accepted(fmt: str, out: str) -> None:
    assert harness.validate_output(fmt, out) is None


@pytest.mark.parametrize("name", sorted(mutators.MUTATORS))
def test_each_mutator_changes_some_seed_and_replays_exactly(name: str) -> None:
    seeds = [mutators.Seed("a", mutators.CRONJOB_SEED), mutators.Seed("b", mutators.SECRET_SEED)]
    changed = False
    for n in range(20):
        mutation = mutators.Mutation(seeds[n % 2], ((name, n),))
        assert mutation.build() == mutation.build()
        changed = changed or mutation.build() != seeds[n % 2].text.encode()
    assert changed


@pytest.mark.parametrize("encoding", sorted(mutators.ENCODINGS))
def test_encodings_produce_their_bytes(encoding: str) -> None:
    data = mutators.ENCODINGS[encoding]("a: é\n", random.Random(0))
    assert data != "a: é\n".encode() or encoding == "utf-8"
    if encoding.startswith("utf-16") and encoding != "utf-16-nobom":
        assert data.decode("utf-16") == "a: é\n"


def test_seeds_come_from_examples_fixtures_and_corpus() -> None:
    names = [seed.name for seed in mutators.load_seeds()]
    assert any(n.startswith("examples/") for n in names)
    assert any(n.startswith("tests/rules/") for n in names)
    if mutators.SHARED_CORPUS.is_dir():
        assert any(n.startswith("corpus/public/") for n in names)


def test_foreign_line_endings_after_a_fix_are_caught() -> None:
    before = b"a: 1\n---\r\nb: 2\r\nc: 3\r\n"
    assert harness.foreign_endings(before, b"a: 1\n---\r\nb: 2\r\nx: 0\nc: 3\r\n") is not None
    assert harness.foreign_endings(before, b"a: 1\nx: 0\n---\r\nb: 2\r\nx: 0\r\nc: 3\r\n") is None
    mixed = b"a: 1\r\nb: 2\nc: 3\n"  # one document that already mixes endings: either is acceptable
    assert harness.foreign_endings(mixed, b"a: 1\r\nx: 0\r\nb: 2\nc: 3\n") is None
