"""Every rule's bad fixtures report exactly the marked lines; its good fixtures stay clean.

Markers: a trailing ``# [JC306]`` (or ``# [JC306@5, JC201]`` to pin the column too) on the
line where a finding must be reported. An optional ``config.yaml`` beside the fixtures sets
``kubernetes_version``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jobcheck.config import Config
from jobcheck.lint.engine import build_options, lint_text
from jobcheck.lint.registry import load_rules
from jobcheck.yaml.loader import load_text

FIXTURES = Path(__file__).parent / "rules"
MARKER = re.compile(r"#\s*\[((?:[A-Z]+\d+(?:@\d+)?\s*,?\s*)+)\]\s*$")
RULES = load_rules()
BY_NAME = {rule.name: rule for rule in RULES.values()}


def _cases():
    if not FIXTURES.is_dir():
        return []
    out = []
    for directory in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for path in sorted(directory.glob("*.yaml")):
            if path.name.startswith(("bad", "good")):
                out.append(pytest.param(directory.name, path, id=f"{directory.name}/{path.name}"))
    return out


def _options(directory: Path):
    version = None
    config = directory / "config.yaml"
    if config.is_file():
        data = next(load_text(config.read_text())).data or {}
        version = data.get("kubernetes_version")
    return build_options(Config(select=("ALL",)), kubernetes_version=version)


def _expected(text: str) -> tuple[set[tuple[int, str]], dict[tuple[int, str], int]]:
    lines: set[tuple[int, str]] = set()
    columns: dict[tuple[int, str], int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = MARKER.search(line)
        if not match:
            continue
        for token in match.group(1).split(","):
            token = token.strip()
            if not token:
                continue
            rid, _, col = token.partition("@")
            lines.add((number, rid))
            if col:
                columns[(number, rid)] = int(col)
    return lines, columns


@pytest.mark.parametrize("rule_name, path", _cases())
def test_fixture(rule_name: str, path: Path) -> None:
    rule = BY_NAME.get(rule_name)
    assert rule is not None, f"tests/rules/{rule_name} names no rule"
    text = path.read_text(encoding="utf-8")
    findings = lint_text(text, str(path), options=_options(path.parent))
    expected, columns = _expected(text)
    ids = {rid for _, rid in expected} | {rule.id}
    actual = {(f.line, f.rule) for f in findings if f.rule in ids}
    if path.name.startswith("good"):
        assert not {a for a in actual if a[1] == rule.id}, f"{path.name} should not trigger {rule.id}: {findings}"
        return
    assert expected, f"{path.name} marks no expected finding"
    assert actual == expected, "\n".join(f"{f.line}:{f.column} {f.rule} {f.message}" for f in findings)
    for (line, rid), col in columns.items():
        got = [f.column for f in findings if (f.line, f.rule) == (line, rid)]
        assert col in got, f"{rid} on line {line}: expected column {col}, got {got}"


# No manifest triggers internal-error (only a bug of jobcheck does): tests/robust/test_containment.py.
NO_BAD_FIXTURE = {"JC006"}


def test_every_rule_has_fixtures() -> None:
    missing = []
    for rule in RULES.values():
        directory = FIXTURES / rule.name
        bad = list(directory.glob("bad*.yaml")) if directory.is_dir() else []
        bad = bad or (rule.id in NO_BAD_FIXTURE and ["none"])
        good = list(directory.glob("good*.yaml")) if directory.is_dir() else []
        if not bad or not good:
            missing.append(rule.id)
    assert not missing, f"rules without bad and good fixtures: {missing}"
