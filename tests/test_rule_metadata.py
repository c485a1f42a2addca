"""Every rule file is well formed and documented; its examples behave; generated docs are fresh."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from jobcheck.config import Config
from jobcheck.lint.engine import build_options, lint_text
from jobcheck.lint.registry import RuleError, load_rule_file, load_rules, python_check

REPO = Path(__file__).resolve().parents[1]
RULES = load_rules()
OPTIONS = build_options(Config(select=("ALL",)))
# Rules whose examples cannot be a standalone manifest: they are about the file, not an object.
NO_MANIFEST_EXAMPLES = {"JC000", "JC001", "JC002", "JC006"}  # JC006: only a bug of jobcheck triggers it
VERSION_NOTE = re.compile(r"--kubernetes-version (1\.\d+)")


def _options_for(example: str):
    """An example may say which Kubernetes version it is about, in a comment."""
    match = VERSION_NOTE.search(example)
    if not match:
        return OPTIONS
    return build_options(Config(select=("ALL",)), kubernetes_version=match.group(1))


def test_the_catalog_is_complete() -> None:
    expected = {"JC000", "JC001", "JC002", "JC003", "JC101", "JC102", "JC103", "JC104",
                *(f"JC20{i}" for i in range(1, 8)), *(f"JC3{i:02d}" for i in range(1, 12)),
                "JC401", "JC402", "JC501", "JC502", "JC503", *(f"JC60{i}" for i in range(1, 9)),
                "JC701", "JC702", "JC801", "JC802", "JC901"}
    assert expected <= set(RULES), sorted(expected - set(RULES))


@pytest.mark.parametrize("rid", sorted(RULES))
def test_rule_is_documented(rid: str) -> None:
    rule = RULES[rid]
    assert Path(rule.source).name == f"{rule.id}-{rule.name}.yaml"
    for section in ("summary", "what", "why", "fix"):
        assert getattr(rule, section).strip(), f"{rid} lacks {section}"
    assert not rule.summary.endswith("."), f"{rid}: summary is a fragment without a trailing period"
    assert rule.fix_safety in ("safe", "unsafe", "none")
    assert (rule.fixer is not None) == (rule.fix_safety != "none"), f"{rid}: fixer and fix_safety disagree"
    assert rule.references, f"{rid} has no references"
    if "python" in rule.check:
        assert callable(python_check(rule.check["python"]))


@pytest.mark.parametrize("rid", sorted(set(RULES) - NO_MANIFEST_EXAMPLES))
def test_rule_examples_behave(rid: str) -> None:
    rule = RULES[rid]
    assert rule.bad.strip() and rule.good.strip(), f"{rid} needs bad and good examples"
    bad = {f.rule for f in lint_text(rule.bad, "bad.yaml", options=_options_for(rule.bad))}
    good = {f.rule for f in lint_text(rule.good, "good.yaml", options=_options_for(rule.good))}
    assert rid in bad, f"{rid}: its bad example does not trigger it"
    assert rid not in good, f"{rid}: its good example triggers it"


def test_generated_rule_docs_are_fresh() -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_rule_docs.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


_MINIMAL_RULE = """\
id: ACME001
name: acme-rule
severity: warning
category: custom
summary: A custom rule
check:
  python: acme.checks:rule
"""


@pytest.mark.parametrize(("extra", "line", "message"), [
    ("fix_safety: safe\n", 8, "fix_safety safe needs a fixer: package.module:function"),
    ("fix_safety: unsafe\n", 8, "fix_safety unsafe needs a fixer: package.module:function"),
    ("fixer: acme.fixes:fix\n", 8, "a rule with a fixer needs fix_safety safe or unsafe"),
    ("fix_safety: none\nfixer: acme.fixes:fix\n", 9, "a rule with a fixer needs fix_safety safe or unsafe"),
    ("fix_safety: safe\nfixer: not a reference\n", 9, "fixer must look like package.module:function"),
])
def test_fix_safety_and_fixer_come_together(tmp_path, extra: str, line: int, message: str) -> None:
    path = tmp_path / "ACME001-acme-rule.yaml"
    path.write_text(_MINIMAL_RULE + extra)
    with pytest.raises(RuleError) as error:
        load_rule_file(path)
    assert str(error.value) == f"{path}:{line}:1: {message}"


def test_a_fixer_with_its_fix_safety_loads(tmp_path) -> None:
    path = tmp_path / "ACME001-acme-rule.yaml"
    path.write_text(_MINIMAL_RULE + "fix_safety: unsafe\nfixer: acme.fixes:fix\n")
    rule = load_rule_file(path)
    assert (rule.fix_safety, rule.fixer) == ("unsafe", "acme.fixes:fix")
    path.write_text(_MINIMAL_RULE)
    assert (load_rule_file(path).fix_safety, load_rule_file(path).fixer) == ("none", None)
