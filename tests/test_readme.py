"""The README's shown runs stay true: each `$ jobcheck ...` block is re-run and compared."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobcheck.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```\n(.*?)```", re.DOTALL)


def _runs() -> list[tuple[str, str]]:
    runs = []
    for block in BLOCK.findall(README.read_text(encoding="utf-8")):
        if not block.startswith("$ jobcheck "):
            continue
        for chunk in re.split(r"\n(?=\$ )", block.strip("\n")):
            command, _, output = chunk.partition("\n")
            runs.append((command[2:], output.rstrip("\n")))
    return runs


def test_readme_opens_with_the_newcomer_commands() -> None:
    head = README.read_text(encoding="utf-8").splitlines()[:10]
    assert any("pip install . && .venv/bin/jobcheck lint examples/" in line for line in head)
    assert any("pip install '.[test]' && .venv/bin/pytest" in line for line in head)


@pytest.mark.parametrize("command, expected", _runs(), ids=lambda v: v[:50])
def test_readme_runs_are_real(command: str, expected: str, monkeypatch) -> None:
    monkeypatch.chdir(README.parent)
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(main, args)
    assert result.stdout.rstrip("\n") == expected
