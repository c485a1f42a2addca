"""The regression corpus: each file in tests/fuzz/crashers/ is the minimal trigger of one class the
fuzzer found (tests/fuzz/crashers/README.md lists them), run through every path; each line of
crashers/explain.jsonl is the argument list of one ``jobcheck explain`` that failed."""

from __future__ import annotations

import json
from pathlib import Path

import harness
import mutators
import pytest

harness.environment()
CRASHERS = Path(__file__).resolve().parent / "crashers"
FILES = sorted(p for p in CRASHERS.iterdir() if p.suffix in (".yaml", ".json"))
COMMANDS = [json.loads(line) for line in (CRASHERS / "explain.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def test_corpus_is_present() -> None:
    assert len(FILES) >= 10 and COMMANDS


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_crasher_every_path(path: Path) -> None:
    outcome = harness.run_paths(path.read_bytes(), secrets=(mutators.CANARY, mutators.CANARY_NUMBER),
                                suffix=path.suffix)
    assert not outcome.problems, [p.cls + " — " + p.detail for p in outcome.problems]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a)[:60] for a in COMMANDS])
def test_crasher_explain(args: list[str]) -> None:
    *extra, expr = args
    outcome = harness.explain_expression(expr, extra)
    assert not outcome.problems, [p.cls + " — " + p.detail for p in outcome.problems]
